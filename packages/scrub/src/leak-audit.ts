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
 * identifies nobody. Nor does a word of a transformed text found in a kept column that
 * held the same word in the source (zencart's install text says "reviews" and "modules",
 * as its kept `admin_pages.page_key` does): the policy keeps it there. Such hits are
 * counted as coincidences and do not fail the audit. Every other hit (any whole value,
 * any rare token) is a leak.
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
import { isVocabularyWord, type PiiDictionaries, type Schema, type SnapshotReader, type Table, type TextRow } from '@understudy/core';
import { parseArrayLiteral } from './array-literal.js';
import { jsonLeavesAt } from './column-transforms.js';
import { fakeVocabulary } from './fakes.js';
import { keyedUint64 } from './keyed-prf.js';
import { FUNCTION_WORDS } from './free-text.js';
import { HashSet64 } from './hash-set.js';
import type { ScrubKey } from './scrub-key.js';
import type { ScrubPlan } from './scrub-plan.js';

/** Tokens shorter than this are not compared (a count, a word part). */
export const MIN_TOKEN_LENGTH = 5;
/** A token inside at least this many source values is common, not identifying (as the profile's k). */
export const COMMON_TOKEN_ROWS = 10;
const TOKEN_SPLIT = /[\s,;()[\]{}"'<>|=&!?*\\]+/;
/** A phone's extension (`x5403`, `ext.123`): a few digits, no more identifying than a phone's last group. */
const EXTENSION = /^(?:x|ext\.?)\d{1,5}$/i;

/**
 * The tokens of a text the audit compares: split at spaces and punctuation, with a sentence's
 * closing `.` or `:` dropped (a phone that ends a sentence, "… on +44 20 8534 0935.", has the
 * 4-digit group `0935`, too short to identify anyone, not a token `0935.` that a fake's own
 * last group can equal by chance), and at least `MIN_TOKEN_LENGTH` long; a phone's extension
 * (`x5403`) is no token either, for the same reason.
 * @example
 * ```ts
 * auditTokens('Ring +44 20 8534 0935. Ask for ann@example.org.'); // ['ann@example.org']
 * ```
 */
export function auditTokens(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(TOKEN_SPLIT)) {
    const token = part.replace(/[.:]+$/, '');
    if (token.length >= MIN_TOKEN_LENGTH && token !== text && !EXTENSION.test(token)) out.push(token);
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
  /** Hits on dictionary words and dates, and numbers as often equal by chance as expected: not traceable, not failing. */
  readonly coincidences: number;
  /**
   * Numbers (digits and separators only) of a length whose equal values are expected by chance,
   * with as many matches as chance explains: counted as coincidences (see `chanceMatches`).
   */
  readonly chanceMatches: readonly ChanceMatch[];
  readonly joins: readonly JoinCheck[];
  readonly uniqueKeys: readonly KeyCheck[];
  readonly notNulls: readonly KeyCheck[];
  /** True when nothing leaked and every re-check held. */
  readonly passed: boolean;
}

export interface ChanceMatch {
  /** How many digits the numbers have. */
  readonly digits: number;
  /** Distinct numbers of that length among the source's transformed values, and in the target. */
  readonly sourceNumbers: number;
  readonly targetNumbers: number;
  /** Target numbers equal to a source number, and how many chance alone gives (sources × targets / 10^digits). */
  readonly matches: number;
  readonly expected: number;
}

/** Below this many expected chance matches, every equal number is a leak. */
const CHANCE_FLOOR = 0.01;

/** The digits of a text made only of digits and a number's separators (`+44 20 8534 0935`, `096-8816`), else 0. */
export function numberDigits(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c !== 32 && c !== 43 && c !== 45 && c !== 46 && c !== 47 && c !== 40 && c !== 41) return 0; // space + - . / ( )
  }
  return digits;
}

/**
 * Whether `matches` equal numbers of one length are what chance gives: an exact comparison
 * cannot tell a leak from a coincidence when sources × targets / 10^digits is not small (a fake
 * phone's 7-digit part equals one of 800 source phones' with odds of 6% among 800 fakes); then
 * up to the expected count plus three standard deviations plus one are coincidences, and more
 * is a leak (a column copied as it is gives as many matches as rows).
 */
export function explainedByChance(matches: number, expected: number): boolean {
  return expected >= CHANCE_FLOOR && matches <= expected + 3 * Math.sqrt(expected) + 1;
}

/**
 * The audit's numbers: distinct source numbers and compared target numbers per digit count,
 * and the target's matches on numbers, held until the counts say whether chance explains them.
 */
class NumberMatches {
  readonly #source = new Map<number, number>();
  readonly #target = new Map<number, number>();
  readonly #held = new Map<number, { count: number; hits: LeakHit[] }>();

  /** A distinct source value or token (newly remembered). */
  source(text: string): void {
    const digits = numberDigits(text);
    if (digits > 0) this.#source.set(digits, (this.#source.get(digits) ?? 0) + 1);
  }

  /** A target value or token compared: its digit count when it is a number, else 0. */
  target(text: string): number {
    const digits = numberDigits(text);
    if (digits > 0) this.#target.set(digits, (this.#target.get(digits) ?? 0) + 1);
    return digits;
  }

  hold(digits: number, hit: LeakHit): void {
    const held = this.#held.get(digits) ?? { count: 0, hits: [] };
    held.count++;
    if (held.hits.length < 100) held.hits.push(hit);
    this.#held.set(digits, held);
  }

  /** The held matches as leaks or, where chance explains them, coincidences. */
  settle(): { leakCount: number; leaks: LeakHit[]; coincidences: number; chanceMatches: ChanceMatch[] } {
    const out = { leakCount: 0, leaks: [] as LeakHit[], coincidences: 0, chanceMatches: [] as ChanceMatch[] };
    for (const [digits, held] of [...this.#held].sort((a, b) => a[0] - b[0])) {
      const sourceNumbers = this.#source.get(digits) ?? 0;
      const targetNumbers = this.#target.get(digits) ?? 0;
      const expected = (sourceNumbers * targetNumbers) / 10 ** digits;
      if (explainedByChance(held.count, expected)) {
        out.coincidences += held.count;
        out.chanceMatches.push({ digits, sourceNumbers, targetNumbers, matches: held.count, expected });
      } else {
        out.leakCount += held.count;
        out.leaks.push(...held.hits);
      }
    }
    return out;
  }
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
const TUPLE_KEY = Buffer.from('understudy-audit-tuple');

function tupleHash(values: readonly (string | null)[]): bigint {
  return keyedUint64(TUPLE_KEY, values.join('\u0000'));
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

/** The leaves a json rule rewrites in a source document (the whole text when it is no JSON: the rule then scrubs it as free text). */
function jsonLeaves(text: string, paths: readonly string[]): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return [text];
  }
  return paths.flatMap((p) => jsonLeavesAt(doc, p));
}

function weakJson(doc: unknown, isWeak: (text: string) => boolean): boolean {
  if (doc === null || typeof doc === 'boolean') return true;
  if (typeof doc === 'number') return Math.abs(doc) < 1000;
  if (typeof doc === 'string') return doc.length < 4 || isWeak(doc);
  if (Array.isArray(doc)) return doc.every((x) => weakJson(x, isWeak));
  if (typeof doc === 'object') return Object.entries(doc).every(([k, v]) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || isWeak(k)) && weakJson(v, isWeak));
  return false;
}

/** The elements of a PostgreSQL array literal, flattened, or `undefined` when the text is none. */
function arrayElements(text: string): (string | null)[] | undefined {
  if (!/^(\[[^\]]*\](\[[^\]]*\])*=)?\{[\s\S]*\}$/.test(text.trim())) return undefined;
  try {
    type Element = string | null | Element[];
    const flat = (xs: Element[]): (string | null)[] => xs.flatMap((x) => (Array.isArray(x) ? flat(x) : [x]));
    return flat(parseArrayLiteral(text.trim()).elements);
  } catch {
    return undefined;
  }
}

/**
 * Whether a source value names nobody: a date, a time of day, a dictionary word (or one inflected), a fake's own word
 * or phrase, an array or a text made only of them.
 * @example
 * ```ts
 * weakValues(dictionaries, fakeVocabulary())('{cantaloupe}'); // true
 * ```
 */
export function weakValues(d: PiiDictionaries, fakes: ReadonlySet<string>): (text: string) => boolean {
  const isWeak = (text: string): boolean => {
    if (/^\d{4}-\d{2}-\d{2}/.test(text)) return true;
    // a time of day (`15:28:56`, a token of a timestamp) is on thousands of rows by chance
    if (/^\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?|Z)?$/.test(text)) return true;
    // a fake's own value, several words long (`Augusta-Richmond County`, a city faker knows)
    if (fakes.has(text.trim().toLowerCase())) return true;
    // A JSON document made only of them (`{"count": 65, "active": true}`, a shape any row may have) names nobody either:
    // its keys are field names, its leaves short numbers, booleans and weak words.
    if (/^[{[]/.test(text.trim())) {
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch {
        doc = undefined;
      }
      if (doc !== undefined) return weakJson(doc, isWeak);
      // an array's literal (`{cantaloupe}`, `{admin,staff}`) names nobody when its elements name nobody
      const elements = arrayElements(text);
      if (elements !== undefined) return elements.every((e) => e === null || e.length < 4 || /^-?\d{1,3}(\.\d+)?$/.test(e) || isWeak(e));
    }
    // A text made only of common words (and short numbers) names nobody: what the `text` transform keeps.
    if (/\s/.test(text.trim()))
      return text
        .trim()
        .split(/[\s,;()!?]+/)
        .every((t) => t === '' || /^[^\p{L}\p{N}]*(\d{1,3})?[^\p{L}\p{N}]*$/u.test(t) || isWeak(t));
    const w = text
      .trim()
      .toLowerCase()
      .replace(/[.:-]+$/, ''); // a word cut at its hyphen (`well-`) is the word
    if (fakes.has(w) || FUNCTION_WORDS.has(w)) return true;
    // words joined by a hyphen (`Augusta-Richmond`, a token of a fake's city) name nobody when each does
    if (/^[\p{L}']+(-[\p{L}']+)+$/u.test(w) && w.split('-').every((part) => part.length < 4 || isWeak(part))) return true;
    return /^[\p{L}'-]+$/u.test(w) && (d.firstNames.has(w) || d.lastNames.has(w) || d.places.has(w) || isVocabularyWord(w, d) || d.streetWords.has(w) || d.companySuffixes.has(w));
  };
  return isWeak;
}

/** Every value (and token) of the source's transformed columns, given to `remember`. */
async function readTransformedSource(options: Pick<AuditOptions, 'plan' | 'sourceSchema' | 'source'>, remember: (text: string, token: boolean) => void): Promise<void> {
  const { plan } = options;
  for (const [tableKey, columns] of columnsByTable(plan.transformedColumns)) {
    const table = options.sourceSchema.tables[tableKey]!;
    const paths = columns.map((c) => plan.tables.find((t) => t.table === tableKey)?.jsonPaths[c]);
    for await (const batch of options.source.rows(table, columns)) {
      for (const row of batch) {
        for (const [i, cell] of row.entries()) {
          if (cell === null) continue;
          // a json rule rewrites its paths and keeps the rest of the document: only those leaves are the source's to find
          for (const v of paths[i] ? jsonLeaves(cell, paths[i]) : [cell]) {
            remember(v, false);
            if (v.length > MIN_TOKEN_LENGTH) for (const token of new Set(auditTokens(v))) remember(token, true);
          }
        }
      }
    }
  }
}

/**
 * The words of transformed texts found in kept columns, against each column's own source values: a word the
 * column held in the source is there by the policy (a coincidence), any other a leak.
 */
async function settleKeptHits(
  keptHits: ReadonlyMap<string, readonly { at: LeakHit; h: bigint }[]>,
  options: Pick<AuditOptions, 'sourceSchema' | 'source'>,
  keyed: (text: string) => bigint,
): Promise<{ leaks: LeakHit[]; coincidences: number }> {
  const out = { leaks: [] as LeakHit[], coincidences: 0 };
  for (const [where, held] of keptHits) {
    const [tableKey, column] = where.split('\u0000') as [string, string];
    const table = options.sourceSchema.tables[tableKey];
    const own = new HashSet64();
    if (table?.columns.some((c) => c.name === column)) {
      for await (const batch of options.source.rows(table, [column])) {
        for (const row of batch) {
          const v = row[0];
          if (v === null || v === undefined) continue;
          own.add(keyed(v));
          if (v.length > MIN_TOKEN_LENGTH) for (const token of auditTokens(v)) own.add(keyed(token));
        }
      }
    }
    for (const { at, h } of held) {
      if (own.has(h)) out.coincidences++;
      else out.leaks.push(at);
    }
  }
  return out;
}

export async function auditLeaks(options: AuditOptions): Promise<AuditReport> {
  const { plan, key, dictionaries: d } = options;
  const subkey = key.derive('audit');
  const keyed = (text: string): bigint => keyedUint64(subkey, text);
  const strong = new HashSet64();
  const tokens = new HashSet64();
  const weak = new HashSet64();
  const isWeak = weakValues(d, fakeVocabulary(options.locale));
  const numbers = new NumberMatches();
  // an enum's labels are the schema's, any row may hold them (coder's workspace_app_health, whose column scan gave generate)
  const labels = new Set(Object.values(options.sourceSchema.enums ?? {}).flatMap((e) => e.values));
  const remember = (text: string, token: boolean): void => {
    if (text.length < 4 || /^-?\d{1,5}(\.\d+)?$/.test(text)) return;
    const set = isWeak(text) || labels.has(text) ? weak : token ? tokens : strong;
    const before = set.size;
    set.add(keyed(text));
    if (set !== weak && set.size > before) numbers.source(text);
  };

  // Join counts: per FK, the parents' key tuples, then the children that find one.
  const fks = Object.entries(options.sourceSchema.tables).flatMap(([table, t]) => t.foreignKeys.map((fk) => ({ table, fk })));

  // 1. The source: keyed hashes of every value (and token) of the transformed columns.
  await readTransformedSource(options, remember);
  const sourceJoins = await joinCounts(fks, options.sourceSchema, options.source);

  // 2. The target: every value of every column, whole and tokenised; keys and NOT NULLs.
  const leaks: LeakHit[] = [];
  let leakCount = 0;
  let coincidences = 0;
  // words of transformed texts found in kept columns: settled at the end against those columns' own source values
  const transformedSet = new Set(plan.transformedColumns);
  const keptHits = new Map<string, { at: LeakHit; h: bigint }[]>();
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
            const digits = numbers.target(text);
            if (strong.has(h) || (tokens.has(h) && tokens.count(h) < COMMON_TOKEN_ROWS)) {
              const at: LeakHit = { table: tableKey, column: columns[i]!, row: pk.length > 0 ? pk.map((p) => `${columns[p]}=${row[p]}`).join(',') : `row ${rowNumber}`, where };
              if (digits > 0) return numbers.hold(digits, at);
              if (!strong.has(h) && !transformedSet.has(`${tableKey}.${columns[i]}`)) {
                const held = keptHits.get(`${tableKey}\u0000${columns[i]}`) ?? [];
                keptHits.set(`${tableKey}\u0000${columns[i]}`, (held.push({ at, h }), held));
                return;
              }
              leakCount++;
              if (leaks.length < 100) leaks.push(at);
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
  const kept = await settleKeptHits(keptHits, options, keyed);
  leakCount += kept.leaks.length;
  coincidences += kept.coincidences;
  leaks.push(...kept.leaks.slice(0, Math.max(0, 100 - leaks.length)));
  const settled = numbers.settle();
  leakCount += settled.leakCount;
  leaks.push(...settled.leaks.slice(0, Math.max(0, 100 - leaks.length)));
  coincidences += settled.coincidences;
  const chanceMatches = settled.chanceMatches;
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
    chanceMatches,
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
  for (const c of r.chanceMatches)
    lines.push(
      `    of which numbers of ${c.digits} digits: ${n(c.matches)} equal to a source number, about ${c.expected < 0.1 ? c.expected.toFixed(2) : c.expected.toFixed(1)} expected by chance (${n(c.sourceNumbers)} source × ${n(c.targetNumbers)} target numbers / 10^${c.digits})`,
    );
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
