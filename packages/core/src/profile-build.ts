/**
 * Assembles a Profile from the raw statistics a dialect read, passing every column
 * through the privacy policy. Dialects read; this decides what is kept.
 *
 * @example
 * ```ts
 * const profile = buildProfile(schema, rawTables, { k: 10, scanned: true, ranAnalyze: false });
 * ```
 */
import { PROFILE_VERSION, type FanoutBucket, type Profile, type ProfileForeignKey, type ProfileTable } from './profile-model.js';
import { applyPrivacyPolicy, DEFAULT_K, type RawColumnStats } from './profile-privacy.js';
import { UsageError } from './errors.js';
import { redactUrl } from './redact-url.js';
import type { Schema } from './schema-model.js';

/** What a dialect read about one table. */
export interface RawTableStats {
  readonly rowEstimate: number | null;
  /** The engine holds statistics for the table. */
  readonly analysed: boolean;
  /** Raw statistics by column name; a column absent here gets an empty entry. */
  readonly columns: ReadonlyMap<string, RawColumnStats>;
  /** Fan-out by foreign-key name (only when scanned). */
  readonly fanout?: ReadonlyMap<string, FanoutBucket[]>;
}

export interface BuildProfileOptions {
  readonly k?: number;
  readonly scanned: boolean;
  /** Whether ANALYZE was run before reading the statistics. */
  readonly ranAnalyze: boolean;
  readonly takenAt?: Date;
  /** Advice for tables without statistics (names the dialect's way to build them). */
  readonly unanalysedNote?: string;
}

/**
 * Applies the policy to every column of every table of `schema`.
 * @throws UsageError when `k` is not a positive integer.
 * @example
 * ```ts
 * buildProfile(schema, new Map([['public.t', { rowEstimate: 10, analysed: true, columns: new Map() }]]), { scanned: false, ranAnalyze: false });
 * ```
 */
export function buildProfile(schema: Schema, raw: ReadonlyMap<string, RawTableStats>, options: BuildProfileOptions): Profile {
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < 1) {
    throw new UsageError(`k must be a positive integer (rows a frequent value must occur in), got ${k}`, { hint: 'Use --k 10 or more.' });
  }
  const tables: Record<string, ProfileTable> = {};
  const unanalysed: string[] = [];
  for (const key of Object.keys(schema.tables).sort()) {
    const table = schema.tables[key]!;
    const stats: RawTableStats = raw.get(key) ?? { rowEstimate: null, analysed: false, columns: new Map() };
    const columns: ProfileTable['columns'] = {};
    for (const column of table.columns) {
      columns[column.name] = applyPrivacyPolicy({
        table,
        column,
        rowEstimate: stats.rowEstimate,
        stats: stats.columns.get(column.name) ?? {},
        k,
      });
    }
    const foreignKeys: Record<string, ProfileForeignKey> = {};
    for (const fk of [...table.foreignKeys].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const entry: ProfileForeignKey = { columns: [...fk.columns], references: { table: fk.references.table, columns: [...fk.references.columns] } };
      const fanout = stats.fanout?.get(fk.name);
      if (fanout) entry.fanout = fanout;
      foreignKeys[fk.name] = entry;
    }
    const out: ProfileTable = { rowEstimate: stats.rowEstimate, analysed: stats.analysed, columns, foreignKeys };
    if (table.kind === 'partition' && table.partitionOf) out.partitionOf = table.partitionOf;
    if (!stats.analysed && table.kind !== 'partitioned') {
      unanalysed.push(key);
      out.note = options.unanalysedNote ?? 'never analysed: the engine has no statistics; rerun with --analyze';
    }
    tables[key] = out;
  }
  const notes: string[] = [];
  if (unanalysed.length > 0) {
    notes.push(`${unanalysed.length} table(s) have no statistics (never analysed): ${unanalysed.slice(0, 5).join(', ')}${unanalysed.length > 5 ? ', …' : ''}; rerun with --analyze to build them`);
  }
  const profile: Profile = {
    version: PROFILE_VERSION,
    dialect: schema.dialect,
    takenAt: (options.takenAt ?? new Date()).toISOString(),
    k,
    scanned: options.scanned,
    ranAnalyze: options.ranAnalyze,
    tables,
    notes,
  };
  if (schema.serverVersion) profile.serverVersion = schema.serverVersion;
  if (schema.source) profile.source = redactUrl(schema.source);
  return profile;
}
