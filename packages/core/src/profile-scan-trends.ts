/**
 * Pair trends (how two columns move together), from aggregate queries only, never rows:
 *
 * - `correlations`: Pearson's r of two numeric or date/time columns of a table, over the rows
 *   where both are set, from centred sums (`sum((x − x̄)(y − ȳ))`, …) in one query per pair;
 *   dates become day numbers through `EXTRACT` (standard SQL: PostgreSQL and MariaDB alike);
 * - `contingencies`: for two columns of at most MAX_CATEGORIES distinct values, the rows per
 *   pair of values (`GROUP BY a, b`); `buildProfile` keeps only pairs of values both already
 *   kept as the columns' frequent values (the privacy policy's screen) with k rows or more;
 * - `childCounts`: across a foreign key, r of a parent's numeric column and its number of
 *   children (an invoice's `total` and its lines).
 *
 * @example
 * ```ts
 * const trends = await scanTrends(schema, table, quote, run);
 * trends.correlations[0]; // { columns: ['quantity', 'amount'], rows: 5000, r: 0.82 }
 * ```
 */
import type { Column, Schema, Table } from './schema-model.js';
import type { QuoteIdentifier } from './profile-scan-sql.js';
import { keyColumns, tableRef } from './profile-scan-lines.js';

/** At most this many correlation pairs per table. */
const MAX_CORRELATION_PAIRS = 45;
/** At most this many category columns per table are paired (28 pairs). */
const MAX_CATEGORY_COLUMNS = 8;
/** Columns with more distinct values than this are not paired as categories. */
export const MAX_CATEGORIES = 20;
/** At most this many parent columns per foreign key. */
const MAX_CHILD_COUNT_COLUMNS = 10;

const NUMBERS = new Set<Column['kind']>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real', 'double']);
const TIMES = new Set<Column['kind']>(['date', 'timestamp', 'timestamptz']);
const CATEGORIES = new Set<Column['kind']>(['char', 'varchar', 'text', 'citext', 'enum', 'boolean']);

export interface RawCorrelation {
  readonly columns: [string, string];
  /** Rows where both are set. */
  readonly rows: number;
  readonly r: number;
}

export interface RawContingency {
  readonly columns: [string, string];
  /** Rows where both are set. */
  readonly rows: number;
  /** Rows per pair of values, as the engine returned them (screened by `buildProfile`). */
  readonly cells: Array<{ values: [unknown, unknown]; rows: number }>;
}

export interface RawChildCount {
  readonly foreignKey: string;
  readonly column: string;
  /** Parents where the column is set. */
  readonly rows: number;
  readonly r: number;
}

export interface TableTrends {
  readonly correlations: RawCorrelation[];
  readonly contingencies: RawContingency[];
  readonly childCounts: RawChildCount[];
}

function scalar(c: Column): boolean {
  return c.arrayDimensions === 0 && !c.generated;
}

/** A column as a number in SQL: itself, or a date/time as a day number (months of 31 days: monotone, near linear). */
function asNumber(c: Column, expression: string): string {
  if (!TIMES.has(c.kind)) return `(${expression})`;
  const day = `((extract(year from ${expression}) * 12 + extract(month from ${expression})) * 31 + extract(day from ${expression}))`;
  return c.kind === 'date' ? day : `(${day} + (extract(hour from ${expression}) * 3600 + extract(minute from ${expression}) * 60) / 86400.0)`;
}

/**
 * SQL giving, for each pair i of expressions over the rows of `from`, `n<i>` rows where both are
 * set and the centred sums `sxy<i>`, `sxx<i>`, `syy<i>` over them (two passes: the means, then the
 * sums; both over the whole table once, whatever the number of pairs).
 * @example
 * ```ts
 * correlationSql('"public"."t"', [['("a")', '("b")']]); // select sum(case when … then 1 else 0 end) as n0, …
 * ```
 */
export function correlationSql(from: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  const both = (x: string, y: string): string => `${x} is not null and ${y} is not null`;
  const means = pairs.flatMap(([x, y], i) => [`avg(case when ${both(x, y)} then ${x} end) as mx${i}`, `avg(case when ${both(x, y)} then ${y} end) as my${i}`]);
  const sums = pairs.flatMap(([x, y], i) => {
    const when = (e: string): string => `sum(case when ${both(x, y)} then ${e} end)`;
    const dx = `(${x} - m.mx${i})`;
    const dy = `(${y} - m.my${i})`;
    return [`sum(case when ${both(x, y)} then 1 else 0 end) as n${i}`, `${when(`${dx} * ${dy}`)} as sxy${i}`, `${when(`${dx} * ${dx}`)} as sxx${i}`, `${when(`${dy} * ${dy}`)} as syy${i}`];
  });
  return `select ${sums.join(', ')} from ${from} cross join (select ${means.join(', ')} from ${from}) m`;
}

/** Pearson's r of pair i from `correlationSql`'s row; undefined when either side is constant. */
export function correlationOf(row: Record<string, unknown> | undefined, i: number): { rows: number; r: number } | undefined {
  const n = Number(row?.[`n${i}`] ?? 0);
  const sxy = Number(row?.[`sxy${i}`]);
  const sxx = Number(row?.[`sxx${i}`]);
  const syy = Number(row?.[`syy${i}`]);
  if (!(n > 2) || !(sxx > 0) || !(syy > 0) || !Number.isFinite(sxy)) return undefined;
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { rows: n, r: Math.round(r * 10000) / 10000 };
}

type Run = (sql: string) => Promise<ReadonlyArray<Record<string, unknown>>>;

async function correlations(table: Table, quote: QuoteIdentifier, run: Run): Promise<RawCorrelation[]> {
  const keys = keyColumns(table);
  const cols = table.columns.filter((c) => scalar(c) && !keys.has(c.name) && (NUMBERS.has(c.kind) || TIMES.has(c.kind)));
  const pairs: Array<[Column, Column]> = [];
  for (let i = 0; i < cols.length; i++) for (let j = i + 1; j < cols.length && pairs.length < MAX_CORRELATION_PAIRS; j++) pairs.push([cols[i]!, cols[j]!]);
  if (pairs.length === 0) return [];
  const row = (
    await run(
      correlationSql(
        `${tableRef(table, quote)} t`,
        pairs.map(([a, b]) => [asNumber(a, `t.${quote(a.name)}`), asNumber(b, `t.${quote(b.name)}`)]),
      ),
    )
  )[0];
  return pairs.flatMap(([a, b], i) => {
    const found = correlationOf(row, i);
    return found ? [{ columns: [a.name, b.name] as [string, string], ...found }] : [];
  });
}

async function contingencies(table: Table, quote: QuoteIdentifier, run: Run): Promise<RawContingency[]> {
  const keys = keyColumns(table);
  const candidates = table.columns.filter((c) => scalar(c) && !keys.has(c.name) && CATEGORIES.has(c.kind));
  if (candidates.length < 2) return [];
  const counts = (await run(`select ${candidates.map((c, i) => `count(distinct ${quote(c.name)}) as d${i}`).join(', ')} from ${tableRef(table, quote)}`))[0];
  const few = candidates.filter((_, i) => {
    const d = Number(counts?.[`d${i}`] ?? 0);
    return d >= 2 && d <= MAX_CATEGORIES;
  });
  const cols = few.slice(0, MAX_CATEGORY_COLUMNS);
  const out: RawContingency[] = [];
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      const [a, b] = [quote(cols[i]!.name), quote(cols[j]!.name)];
      const rows = await run(`select ${a} as a, ${b} as b, count(*) as c from ${tableRef(table, quote)} where ${a} is not null and ${b} is not null group by ${a}, ${b}`);
      const cells = rows.map((r) => ({ values: [r['a'], r['b']] as [unknown, unknown], rows: Number(r['c']) }));
      out.push({ columns: [cols[i]!.name, cols[j]!.name], rows: cells.reduce((s, c) => s + c.rows, 0), cells });
    }
  }
  return out;
}

async function childCounts(schema: Schema, table: Table, quote: QuoteIdentifier, run: Run): Promise<RawChildCount[]> {
  const out: RawChildCount[] = [];
  for (const fk of table.foreignKeys) {
    const parent = schema.tables[fk.references.table];
    if (!parent || parent === table || fk.columns.length !== fk.references.columns.length) continue;
    const keys = keyColumns(parent);
    const cols = parent.columns.filter((c) => scalar(c) && !keys.has(c.name) && (NUMBERS.has(c.kind) || TIMES.has(c.kind))).slice(0, MAX_CHILD_COUNT_COLUMNS);
    if (cols.length === 0) continue;
    const on = fk.references.columns.map((c, i) => `n.k${i} = p.${quote(c)}`).join(' and ');
    const keysOf = fk.columns.map((c, i) => `${quote(c)} as k${i}`).join(', ');
    const counts = `(select ${keysOf}, count(*) as n from ${tableRef(table, quote)} where ${fk.columns.map((c) => `${quote(c)} is not null`).join(' and ')} group by ${fk.columns.map((c) => quote(c)).join(', ')}) n`;
    const values = cols.map((col, i) => `${asNumber(col, `p.${quote(col.name)}`)} as v${i}`).join(', ');
    const from = `(select ${values}, coalesce(n.n, 0) as k from ${tableRef(parent, quote)} p left join ${counts} on ${on}) s`;
    const row = (
      await run(
        correlationSql(
          from,
          cols.map((_, i) => [`s.v${i}`, 's.k']),
        ),
      )
    )[0];
    cols.forEach((col, i) => {
      const found = correlationOf(row, i);
      if (found) out.push({ foreignKey: fk.name, column: col.name, ...found });
    });
  }
  return out;
}

/**
 * Runs the pair-trend queries of one table: correlations of its numeric/date pairs, counts per
 * pair of values of its low-cardinality columns, and, for each foreign key, correlations of the
 * parent's numeric/date columns with the number of children.
 * @example
 * ```ts
 * await scanTrends(schema, table, quote, async (sql) => (await client.query(sql)).rows);
 * ```
 */
export async function scanTrends(schema: Schema, table: Table, quote: QuoteIdentifier, run: Run): Promise<TableTrends> {
  return { correlations: await correlations(table, quote, run), contingencies: await contingencies(table, quote, run), childCounts: await childCounts(schema, table, quote, run) };
}
