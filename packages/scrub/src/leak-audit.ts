/**
 * The leak audit: proves that no original value of a column the policy transforms
 * appears anywhere in the target, in any table or column, whole or as a token inside
 * text and JSON. Source values are kept only as keyed 64-bit hashes (HMAC-SHA256 under
 * the scrub key) in a `HashSet64`; the report carries counts and target row keys,
 * never a value.
 *
 * A source value that is a single dictionary word (a first name, a surname, a place,
 * a street word, a common word), a word or phrase the fakes' own dictionaries hold
 * (faker's cities include real ones), or a date can equal a fake drawn from the same
 * dictionaries, or another entity's shifted date, by chance (so can a text made only of
 * such words, which is what the `text` transform keeps); and a token found inside
 * the texts of at least `COMMON_TOKEN_ROWS` source values (a JSON key, a user agent)
 * identifies nobody. Such hits are counted as coincidences and do not fail the audit.
 * Every other hit (any whole value, any rare token) is a leak.
 *
 * It also re-checks the target: every foreign key's join count equals the source's,
 * every primary and unique key holds, and NOT NULL columns have no NULL.
 *
 * @example
 * ```ts
 * const report = await auditLeaks({ plan, source, target, sourceSchema, targetSchema, key, dictionaries });
 * report.leaks.length; // 0
 * ```
 */
import { createHmac } from 'node:crypto';
import type { PiiDictionaries, Schema, SnapshotReader, Table, TextRow } from '@understudy/core';
import { fakeVocabulary } from './fakes.js';
import { FUNCTION_WORDS } from './free-text.js';
import { HashSet64 } from './hash-set.js';
import type { ScrubKey } from './scrub-key.js';
import type { ScrubPlan } from './scrub-plan.js';

/** Tokens shorter than this are not compared (a count, a word part). */
export const MIN_TOKEN_LENGTH = 5;
/** A token inside at least this many source values is common, not identifying (as the profile's k). */
export const COMMON_TOKEN_ROWS = 10;
const TOKEN_SPLIT = /[\s,;()[\]{}"'<>|=&!?*\\]+/;

/**
 * The tokens of a text the audit compares: split at spaces and punctuation, with a sentence's
 * closing `.` or `:` dropped (a phone that ends a sentence, "… on +44 20 8534 0935.", has the
 * 4-digit group `0935`, too short to identify anyone, not a token `0935.` that a fake's own
 * last group can equal by chance), and at least `MIN_TOKEN_LENGTH` long.
 * @example
 * ```ts
 * auditTokens('Ring +44 20 8534 0935. Ask for ann@example.org.'); // ['ann@example.org']
 * ```
 */
export function auditTokens(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(TOKEN_SPLIT)) {
    const token = part.replace(/[.:]+$/, '');
    if (token.length >= MIN_TOKEN_LENGTH && token !== text) out.push(token);
  }
  return out;
}

export interface LeakHit {
  readonly table: string;
  readonly column: string;
  /** The target row's primary key, `id=42` (a scrubbed value), or its row number. */
  readonly row: string;
  /** The whole value matched, or a token inside it. */
  readonly where: 'value' | 'token';
}

export interface KeyCheck {
  readonly table: string;
  readonly name: string;
  readonly violations: number;
}

export interface JoinCheck {
  readonly table: string;
  readonly foreignKey: string;
  readonly sourceJoins: number;
  readonly targetJoins: number;
}

export interface AuditReport {
  readonly transformedColumns: number;
  readonly sourceHashes: number;
  readonly hashBytes: number;
  readonly targetRows: number;
  readonly comparedValues: number;
  readonly comparedTokens: number;
  /** Leaks (first 100) and their count. */
  readonly leaks: readonly LeakHit[];
  readonly leakCount: number;
  /** Hits on dictionary words and dates: not traceable, not failing. */
  readonly coincidences: number;
  readonly joins: readonly JoinCheck[];
  readonly uniqueKeys: readonly KeyCheck[];
  readonly notNulls: readonly KeyCheck[];
  /** True when nothing leaked and every re-check held. */
  readonly passed: boolean;
}

export interface AuditOptions {
  readonly plan: ScrubPlan;
  readonly sourceSchema: Schema;
  readonly targetSchema: Schema;
  readonly source: SnapshotReader;
  readonly target: SnapshotReader;
  readonly key: ScrubKey;
  readonly dictionaries: PiiDictionaries;
  /** The fakes' locale (default en): a source value its dictionaries hold is a coincidence, not a leak. */
  readonly locale?: string;
}

function tableRows(schema: Schema): [string, Table][] {
  return Object.entries(schema.tables).filter(([, t]) => t.kind !== 'partition');
}

/** A plain 64-bit hash of a tuple of texts (for key and join checks; not keyed, never printed). */
function tupleHash(values: readonly (string | null)[]): bigint {
  return BigInt(`0x${createHmac('sha256', 'understudy-audit-tuple').update(values.join('\u0000')).digest('hex').slice(0, 16)}`);
}

type ForeignKeys = ReadonlyArray<{ table: string; fk: Table['foreignKeys'][number] }>;

/** Join counts: per FK, the parents' key tuples, then the children that find one. */
async function joinCounts(fks: ForeignKeys, schema: Schema, reader: SnapshotReader): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const { table, fk } of fks) {
    const parent = schema.tables[fk.references.table];
    const child = schema.tables[table];
    if (!parent || !child) continue;
    const keys = new Set<bigint>();
    for await (const batch of reader.rows(parent, fk.references.columns)) for (const row of batch) if (row.every((v) => v !== null)) keys.add(tupleHash(row));
    let n = 0;
    for await (const batch of reader.rows(child, fk.columns)) for (const row of batch) if (row.every((v) => v !== null) && keys.has(tupleHash(row))) n++;
    counts.set(`${table} ${fk.name}`, n);
  }
  return counts;
}

/** `schema.table.column` names grouped by table. */
function columnsByTable(qualifiedColumns: readonly string[]): Map<string, string[]> {
  const transformed = new Map<string, string[]>();
  for (const qualified of qualifiedColumns) {
    const dot = qualified.lastIndexOf('.');
    const list = transformed.get(qualified.slice(0, dot)) ?? [];
    list.push(qualified.slice(dot + 1));
    transformed.set(qualified.slice(0, dot), list);
  }
  return transformed;
}

/** The primary and unique keys (not partial) of a table, as column positions, each with the tuples seen so far. */
function keySetsOf(table: Table, columns: readonly string[], pk: readonly number[]) {
  return [
    ...(table.primaryKey ? [{ name: table.primaryKey.name ?? 'primary key', cols: [...pk], nullsDistinct: false }] : []),
    ...table.uniques
      .filter((u) => u.columns.every((c) => c !== null) && u.where === undefined)
      .map((u) => ({ name: u.name, cols: u.columns.map((c) => columns.indexOf(c!)), nullsDistinct: !u.nullsNotDistinct })),
  ].map((k) => ({ ...k, seen: new Set<bigint>(), violations: 0 }));
}

export async function auditLeaks(options: AuditOptions): Promise<AuditReport> {
  const { plan, key, dictionaries: d } = options;
  const subkey = key.derive('audit');
  const keyed = (text: string): bigint => createHmac('sha256', subkey).update(text).digest().readBigUInt64LE(0);
  const strong = new HashSet64();
  const tokens = new HashSet64();
  const weak = new HashSet64();
  const fakes = fakeVocabulary(options.locale);
  const isWeak = (text: string): boolean => {
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) return true;
    // A text made only of common words (and short numbers) names nobody: what the `text` transform keeps.
    if (/\s/.test(text.trim()))
      return text
        .trim()
        .split(/[\s,;()!?]+/)
        .every((t) => t === '' || /^\d{1,3}[.:]?$/.test(t) || isWeak(t));
    const w = text
      .trim()
      .toLowerCase()
      .replace(/[.:]+$/, '');
    if (fakes.has(w) || FUNCTION_WORDS.has(w)) return true;
    return /^[\p{L}'-]+$/u.test(w) && (d.firstNames.has(w) || d.lastNames.has(w) || d.places.has(w) || d.vocabulary.has(w) || d.streetWords.has(w) || d.companySuffixes.has(w));
  };
  const remember = (text: string, token: boolean): void => {
    if (text.length < 4 || /^-?\d{1,5}(\.\d+)?$/.test(text)) return;
    (isWeak(text) ? weak : token ? tokens : strong).add(keyed(text));
  };

  // Join counts: per FK, the parents' key tuples, then the children that find one.
  const fks = Object.entries(options.sourceSchema.tables).flatMap(([table, t]) => t.foreignKeys.map((fk) => ({ table, fk })));

  // 1. The source: keyed hashes of every value (and token) of the transformed columns.
  for (const [tableKey, columns] of columnsByTable(plan.transformedColumns)) {
    const table = options.sourceSchema.tables[tableKey]!;
    for await (const batch of options.source.rows(table, columns)) {
      for (const row of batch) {
        for (const v of row) {
          if (v === null) continue;
          remember(v, false);
          if (v.length > MIN_TOKEN_LENGTH) for (const token of new Set(auditTokens(v))) remember(token, true);
        }
      }
    }
  }
  const sourceJoins = await joinCounts(fks, options.sourceSchema, options.source);

  // 2. The target: every value of every column, whole and tokenised; keys and NOT NULLs.
  const leaks: LeakHit[] = [];
  let leakCount = 0;
  let coincidences = 0;
  let targetRows = 0;
  let comparedValues = 0;
  let comparedTokens = 0;
  const uniqueKeys: KeyCheck[] = [];
  const notNulls: KeyCheck[] = [];
  for (const [tableKey, table] of tableRows(options.targetSchema)) {
    const columns = table.columns.map((c) => c.name);
    const pk = (table.primaryKey?.columns ?? []).map((c) => columns.indexOf(c));
    const keySets = keySetsOf(table, columns, pk);
    const nullCounts = table.columns.map(() => 0);
    let rowNumber = 0;
    for await (const batch of options.target.rows(table, columns)) {
      for (const row of batch as TextRow[]) {
        rowNumber++;
        targetRows++;
        for (const k of keySets) {
          const tuple = k.cols.map((i) => row[i] ?? null);
          if (k.nullsDistinct && tuple.some((v) => v === null)) continue;
          const h = tupleHash(tuple);
          if (k.seen.has(h)) k.violations++;
          else k.seen.add(h);
        }
        row.forEach((v, i) => {
          if (v === null) {
            nullCounts[i]!++;
            return;
          }
          const hit = (where: 'value' | 'token', text: string): void => {
            const h = keyed(text);
            if (strong.has(h) || (tokens.has(h) && tokens.count(h) < COMMON_TOKEN_ROWS)) {
              leakCount++;
              if (leaks.length < 100) leaks.push({ table: tableKey, column: columns[i]!, row: pk.length > 0 ? pk.map((p) => `${columns[p]}=${row[p]}`).join(',') : `row ${rowNumber}`, where });
            } else if (weak.has(h) || tokens.has(h)) coincidences++;
          };
          comparedValues++;
          hit('value', v);
          if (v.length > MIN_TOKEN_LENGTH) {
            for (const token of auditTokens(v)) {
              comparedTokens++;
              hit('token', token);
            }
          }
        });
      }
    }
    for (const k of keySets) uniqueKeys.push({ table: tableKey, name: k.name, violations: k.violations });
    table.columns.forEach((c, i) => {
      if (!c.nullable) notNulls.push({ table: tableKey, name: c.name, violations: nullCounts[i]! });
    });
  }
  const targetJoins = await joinCounts(fks, options.targetSchema, options.target);
  const joins: JoinCheck[] = fks
    .filter(({ table, fk }) => sourceJoins.has(`${table} ${fk.name}`))
    .map(({ table, fk }) => ({ table, foreignKey: fk.name, sourceJoins: sourceJoins.get(`${table} ${fk.name}`)!, targetJoins: targetJoins.get(`${table} ${fk.name}`) ?? 0 }));
  const passed = leakCount === 0 && joins.every((j) => j.sourceJoins === j.targetJoins) && uniqueKeys.every((k) => k.violations === 0) && notNulls.every((k) => k.violations === 0);
  return {
    transformedColumns: plan.transformedColumns.length,
    sourceHashes: strong.size + tokens.size + weak.size,
    hashBytes: strong.bytes + tokens.bytes + weak.bytes,
    targetRows,
    comparedValues,
    comparedTokens,
    leaks,
    leakCount,
    coincidences,
    joins,
    uniqueKeys,
    notNulls,
    passed,
  };
}

/**
 * The report for people: counts and row keys, never a value.
 * @example
 * ```ts
 * process.stdout.write(formatAuditReport(report, 'postgres://…/staging'));
 * ```
 */
export function formatAuditReport(r: AuditReport, target: string): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const lines = [
    `audit of ${target}`,
    `  source: ${n(r.transformedColumns)} transformed columns, ${n(r.sourceHashes)} distinct values and tokens kept as keyed hashes (${n(Math.round(r.hashBytes / 1024))} KiB)`,
    `  target: ${n(r.targetRows)} rows, ${n(r.comparedValues)} values and ${n(r.comparedTokens)} tokens compared`,
    `  leaks: ${n(r.leakCount)}`,
  ];
  for (const l of r.leaks.slice(0, 20))
    lines.push(`    ${l.table}.${l.column}  ${l.row}  (${l.where === 'value' ? 'a whole value' : 'inside the text'} equals a source value of a transformed column)`);
  if (r.leakCount > 20) lines.push(`    … ${n(r.leakCount - 20)} more`);
  lines.push(`  coincidences (dictionary words, dates, tokens common to ${COMMON_TOKEN_ROWS}+ source values; not traceable to a row): ${n(r.coincidences)}`);
  const badJoins = r.joins.filter((j) => j.sourceJoins !== j.targetJoins);
  lines.push(`  foreign keys: ${r.joins.length} checked, ${badJoins.length === 0 ? "every join count equals the source's" : `${badJoins.length} differ`}`);
  for (const j of r.joins)
    lines.push(`    ${j.table} ${j.foreignKey}: ${n(j.sourceJoins)} joined rows in the source, ${n(j.targetJoins)} in the target${j.sourceJoins === j.targetJoins ? '' : '  ✗'}`);
  const badKeys = r.uniqueKeys.filter((k) => k.violations > 0);
  lines.push(`  primary and unique keys: ${r.uniqueKeys.length} checked, ${badKeys.length === 0 ? 'all hold' : badKeys.map((k) => `${k.table} ${k.name}: ${n(k.violations)} duplicates`).join('; ')}`);
  const badNulls = r.notNulls.filter((k) => k.violations > 0);
  lines.push(`  NOT NULL columns: ${r.notNulls.length} checked, ${badNulls.length === 0 ? 'no NULLs' : badNulls.map((k) => `${k.table}.${k.name}: ${n(k.violations)} NULLs`).join('; ')}`);
  lines.push(r.passed ? 'passed: no original value of a transformed column is in the target' : 'FAILED');
  return `${lines.join('\n')}\n`;
}
