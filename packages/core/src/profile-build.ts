/**
 * Assembles a Profile from the raw statistics a dialect read, passing every column
 * through the privacy policy. Dialects read; this decides what is kept.
 *
 * @example
 * ```ts
 * const profile = buildProfile(schema, rawTables, { k: 10, scanned: true, ranAnalyze: false, dictionaries: await loadPiiDictionaries() });
 * ```
 */
import { PROFILE_VERSION, type FanoutBucket, type Profile, type ProfileForeignKey, type ProfileNullsTogether, type ProfileOrder, type ProfileTable } from './profile-model.js';
import { withPartitionForeignKeys } from './partition-foreign-keys.js';
import { applyPrivacyPolicy, classifyColumn, DEFAULT_K, type RawColumnStats } from './profile-privacy.js';
import { PEOPLE_TABLES } from './pii/column-name-detector.js';
import type { PiiDictionaries } from './pii/dictionaries.js';
import type { PiiKind } from './pii/pii-kind.js';
import { UsageError } from './errors.js';
import type { ForeignKeyRelations } from './profile-scan-sql.js';
import { redactUrl } from './redact-url.js';
import type { TableTrends } from './profile-scan-trends.js';
import { screenTrends } from './profile-trends-screen.js';
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
  /** Relations across foreign keys by foreign-key name (only when scanned; `foreignKeyRelations`). */
  readonly foreignKeyRelations?: ReadonlyMap<string, ForeignKeyRelations>;
  /** Orders between date/time columns (only when scanned; `orderRelations`). */
  readonly orders?: readonly ProfileOrder[];
  /** Columns NULL in the same rows (only when scanned; `nullsTogetherRelations`). */
  readonly nullsTogether?: readonly ProfileNullsTogether[];
  /** Pair trends (only when scanned), before the privacy screen (`screenTrends`). */
  readonly trends?: TableTrends;
  /** Scan queries that failed on their own (`part: reason`, `tolerantScan`): the profile notes them. */
  readonly skipped?: readonly string[];
}

export interface BuildProfileOptions {
  readonly k?: number;
  /** See `ProfileOptions.copyScale`. */
  readonly copyScale?: number;
  /** See `ProfileOptions.unscreened`. */
  readonly unscreened?: (table: string, column: string) => boolean;
  readonly scanned: boolean;
  /** Whether ANALYZE was run before reading the statistics. */
  readonly ranAnalyze: boolean;
  readonly takenAt?: Date;
  /** Advice for tables without statistics (names the dialect's way to build them). */
  readonly unanalysedNote?: string;
  /** Name dictionaries for the value detectors (`await loadPiiDictionaries()`). */
  readonly dictionaries: PiiDictionaries;
}

/** Kinds that make a table a table of people: a foreign key to it keeps its shape only. */
const IDENTITY_KINDS = new Set<PiiKind>(['person-name', 'email', 'phone', 'address', 'national-id', 'username', 'birth-date', 'card-number', 'iban']);

/** Tables that hold people: named so, or with a column personal by name or content of an identity kind. */
function personalTables(schema: Schema, columns: ReadonlyMap<string, ProfileTable['columns']>): Set<string> {
  const out = new Set<string>();
  for (const [key, table] of Object.entries(schema.tables)) {
    if (PEOPLE_TABLES.test(table.name)) out.add(key);
    for (const column of table.columns) {
      const byName = classifyColumn(table, column).kinds ?? [];
      const byContent = columns.get(key)?.[column.name]?.detected?.map((d) => d.kind) ?? [];
      if ([...byName, ...byContent].some((kind) => IDENTITY_KINDS.has(kind))) out.add(key);
    }
  }
  return out;
}

/** The relations counted over at least `k` rows (copies: a profile shares nothing with the dialect's reads). */
function atLeastK<T extends { readonly rows: number }>(list: readonly T[] | undefined, k: number): T[] {
  return (list ?? []).filter((r) => r.rows >= k).map((r) => ({ ...r }));
}

/**
 * Applies the policy to every column of every table of `schema`.
 * @throws UsageError when `k` is not a positive integer.
 * @example
 * ```ts
 * buildProfile(schema, new Map([['public.t', { rowEstimate: 10, analysed: true, columns: new Map() }]]), { scanned: false, ranAnalyze: false, dictionaries });
 * ```
 */
export function buildProfile(schema: Schema, raw: ReadonlyMap<string, RawTableStats>, options: BuildProfileOptions): Profile {
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < 1) {
    throw new UsageError(`k must be a positive integer (rows a frequent value must occur in), got ${k}`, { hint: 'Use --k 10 or more.' });
  }
  const statsOf = (key: string): RawTableStats => raw.get(key) ?? { rowEstimate: null, analysed: false, columns: new Map() };
  const privacy = (key: string, columnName: string, referencesPersonalTable?: string) => {
    const table = schema.tables[key]!;
    const stats = statsOf(key);
    return applyPrivacyPolicy({
      table,
      column: table.columns.find((c) => c.name === columnName)!,
      rowEstimate: stats.rowEstimate,
      stats: stats.columns.get(columnName) ?? {},
      k,
      ...(options.copyScale !== undefined ? { copyScale: options.copyScale } : {}),
      ...(options.unscreened?.(key, columnName) ? { unscreened: true } : {}),
      dictionaries: options.dictionaries,
      ...(referencesPersonalTable !== undefined ? { referencesPersonalTable } : {}),
    });
  };
  const keys = Object.keys(schema.tables).sort();
  const columnsByTable = new Map<string, ProfileTable['columns']>();
  for (const key of keys) {
    const columns: ProfileTable['columns'] = {};
    for (const column of schema.tables[key]!.columns) columns[column.name] = privacy(key, column.name);
    columnsByTable.set(key, columns);
  }
  // A column in a foreign key to a table of people keeps its shape only (a customer code names the customer).
  const people = personalTables(schema, columnsByTable);
  for (const key of keys) {
    const columns = columnsByTable.get(key)!;
    for (const fk of schema.tables[key]!.foreignKeys) {
      if (!people.has(fk.references.table)) continue;
      for (const name of fk.columns) if (columns[name] && !columns[name].reason.startsWith('references')) columns[name] = privacy(key, name, fk.references.table);
    }
  }
  const tables: Record<string, ProfileTable> = {};
  const unanalysed: string[] = [];
  for (const key of keys) {
    const table = schema.tables[key]!;
    const stats = statsOf(key);
    const columns = columnsByTable.get(key)!;
    const foreignKeys: Record<string, ProfileForeignKey> = {};
    // A partitioned table has its partitions' FKs too (pagila's payment): its fan-out is over all its rows.
    for (const fk of [...withPartitionForeignKeys(schema, key).foreignKeys].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const entry: ProfileForeignKey = { columns: [...fk.columns], references: { table: fk.references.table, columns: [...fk.references.columns] } };
      const fanout = stats.fanout?.get(fk.name);
      if (fanout) entry.fanout = fanout;
      const related = stats.foreignKeyRelations?.get(fk.name);
      const orders = atLeastK(related?.orders, k);
      const agrees = atLeastK(related?.agrees, k);
      if (orders.length > 0) entry.orders = orders;
      if (agrees.length > 0) entry.agrees = agrees;
      const sums = atLeastK(related?.sums, k);
      if (sums.length > 0) entry.sums = sums.map((x) => ({ parentColumn: x.parentColumn, columns: [...x.columns], rows: x.rows, holds: x.holds }));
      const periods = atLeastK(related?.periods, k);
      if (periods.length > 0) entry.periods = periods.map((x) => ({ ...x }));
      foreignKeys[fk.name] = entry;
    }
    const out: ProfileTable = { rowEstimate: stats.rowEstimate, analysed: stats.analysed, columns, foreignKeys };
    const orders = atLeastK(stats.orders, k);
    if (orders.length > 0) out.orders = orders;
    const together = (stats.nullsTogether ?? []).filter((t) => t.nulls >= k);
    if (stats.trends) out.trends = screenTrends(stats.trends, key, columns, columnsByTable, schema, k);
    if (together.length > 0) out.nullsTogether = together.map((t) => ({ ...t, columns: [t.columns[0], t.columns[1]] }));
    if (table.kind === 'partition' && table.partitionOf) out.partitionOf = table.partitionOf;
    if (!stats.analysed && table.kind !== 'partitioned') {
      unanalysed.push(key);
      out.note = options.unanalysedNote ?? 'never analysed: the engine has no statistics; rerun with --analyze';
    }
    tables[key] = out;
  }
  const notes: string[] = [];
  for (const [key, stats] of raw) {
    if (stats.skipped?.length) notes.push(`${key}: left out, the query failed on the server (the rest of the table is profiled): ${stats.skipped.join('; ')}`);
  }
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
