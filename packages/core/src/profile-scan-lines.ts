/**
 * Count-only queries for relations between a parent row and its children's rows across
 * a foreign key: a parent's number equal to the sum of its children's (an invoice's
 * `total = SUM(line.unit_price * line.quantity)`), and children's periods that follow
 * each other without gap or overlap (an employee's salaries: each `from_date` is the
 * previous row's `to_date`, or the day after). Each query returns counts only, never a
 * value, and runs on PostgreSQL, PGlite, MySQL 8 and MariaDB 10.2+ (window functions).
 *
 * @example
 * ```ts
 * const pairs = sumPairs(schema, fk, invoiceLine); // [{ parentColumn: 'total', columns: ['unit_price', 'quantity'] }, …]
 * const text = sumSql(schema, fk, invoiceLine, pairs, quote);
 * ```
 */
import type { Column, ForeignKey, Schema, Table } from './schema-model.js';
import type { QuoteIdentifier } from './profile-scan-sql.js';

/** The share of child rows a period relation must hold in to be kept. */
const HOLDS = 0.99;
/**
 * A sum must hold for every parent: it replaces the parent column's own values with its children's
 * sum, and where production's sum misses some parents the column is not only that (baseball's
 * `teams.W = SUM(managers.W)` holds for 2,950 of 2,955 teams; generated as a sum of managers'
 * wins drawn one by one, the column scored 0.75 against production's).
 */
const SUM_HOLDS = 1;
/** At most this many (parent column, child term) pairs per foreign key. */
const MAX_SUM_PAIRS = 40;
/** At most this many period pairs per foreign key. */
const MAX_PERIOD_PAIRS = 6;

const EXACT = new Set<Column['kind']>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal']);
const APPROXIMATE = new Set<Column['kind']>(['real', 'double']);
const WHOLE = new Set<Column['kind']>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint']);
const DAYS = new Set<Column['kind']>(['date', 'timestamp', 'timestamptz']);

/** A parent's column equal to the sum over its children of one column or of the product of two. */
export interface SumPair {
  readonly parentColumn: string;
  readonly columns: readonly string[];
}

/** A sum relation as measured: of `rows` parents with children and the column set, `holds` share equal. */
export interface SumRelation extends SumPair {
  readonly rows: number;
  readonly holds: number;
}

/** Children's periods: `from` of each row (by `from`, per parent) is the previous row's `to` plus `gap` days. */
export interface PeriodPair {
  readonly from: string;
  readonly to: string;
}

export interface PeriodRelation extends PeriodPair {
  /** 0: the next period starts on the day the previous ends; 1: on the day after. */
  readonly gap: 0 | 1;
  /** Child rows that have a previous row under the same parent, both set. */
  readonly rows: number;
  readonly holds: number;
}

/** `"schema"."table"` in the engine's quoting. */
export function tableRef(table: Pick<Table, 'schema' | 'name'>, quote: QuoteIdentifier): string {
  return `${quote(table.schema)}.${quote(table.name)}`;
}

/** The columns of a table's primary key, single-column unique keys and foreign keys. */
export function keyColumns(table: Table): Set<string> {
  const out = new Set<string>(table.primaryKey?.columns ?? []);
  for (const u of table.uniques) if (u.columns.length === 1) out.add(u.columns[0]!);
  for (const f of table.foreignKeys) for (const c of f.columns) out.add(c);
  return out;
}

/** Scalar, written, non-key numeric columns of a table. */
function amounts(table: Table): Column[] {
  const keys = keyColumns(table);
  return table.columns.filter((c) => (EXACT.has(c.kind) || APPROXIMATE.has(c.kind)) && c.arrayDimensions === 0 && !c.generated && !keys.has(c.name));
}

/**
 * The sums a profile measures across `fk` from `child` to its parent: each of the parent's
 * numeric columns against the sum of each child numeric column, and of each product of a
 * whole-number child column (a quantity) with another numeric one (a unit price).
 * @example
 * ```ts
 * sumPairs(schema, invoiceLineFk, invoiceLine); // [{ parentColumn: 'total', columns: ['unit_price'] }, { parentColumn: 'total', columns: ['unit_price', 'quantity'] }, …]
 * ```
 */
export function sumPairs(schema: Schema, fk: ForeignKey, child: Table): SumPair[] {
  const parent = schema.tables[fk.references.table];
  if (!parent || parent === child || fk.columns.length !== fk.references.columns.length) return [];
  const parents = amounts(parent);
  const lines = amounts(child);
  const terms: string[][] = lines.map((c) => [c.name]);
  for (const a of lines) for (const b of lines) if (a !== b && WHOLE.has(b.kind) && !(WHOLE.has(a.kind) && a.name > b.name)) terms.push([a.name, b.name]);
  const out: SumPair[] = [];
  for (const p of parents) for (const t of terms) if (out.length < MAX_SUM_PAIRS) out.push({ parentColumn: p.name, columns: t });
  return out;
}

function isApproximate(table: Table, names: readonly string[]): boolean {
  return names.some((n) => APPROXIMATE.has(table.columns.find((c) => c.name === n)?.kind ?? 'text'));
}

/**
 * One row of counts over the parents with at least one child: `m<i>` where pair i's parent
 * column is set, `e<i>` where it equals its children's sum, `z<i>` where it does and is not
 * zero (a relation that holds only as 0 = 0 says nothing). `undefined` without pairs.
 * @example
 * ```ts
 * sumSql(schema, fk, invoiceLine, [{ parentColumn: 'total', columns: ['unit_price', 'quantity'] }], quote);
 * ```
 */
export function sumSql(schema: Schema, fk: ForeignKey, child: Table, pairs: readonly SumPair[], quote: QuoteIdentifier): string | undefined {
  const parent = schema.tables[fk.references.table];
  if (!parent || pairs.length === 0) return undefined;
  const terms = [...new Set(pairs.map((p) => p.columns.join('*')))];
  const keys = fk.columns.map((c, i) => `c.${quote(c)} as k${i}`);
  // A product of integers is widened first (`1.0 *`, exact on both engines): two int4 columns of
  // Panoptes' `workflow_versions` (`major_number * minor_number`) overflowed, and the query failed.
  const sums = terms.map((t, j) => {
    const factors = t.split('*').map((c) => `c.${quote(c)}`);
    return `sum(${factors.length > 1 ? `1.0 * ${factors.join(' * ')}` : factors[0]}) as v${j}`;
  });
  const notNull = fk.columns.map((c) => `c.${quote(c)} is not null`).join(' and ');
  const inner = `select ${[...keys, ...sums].join(', ')} from ${tableRef(child, quote)} c where ${notNull} group by ${fk.columns.map((c) => `c.${quote(c)}`).join(', ')}`;
  const parts = pairs.flatMap((pair, i) => {
    const x = `p.${quote(pair.parentColumn)}`;
    const v = `s.v${terms.indexOf(pair.columns.join('*'))}`;
    const equal = isApproximate(parent, [pair.parentColumn]) || isApproximate(child, pair.columns) ? `abs(${x} - ${v}) <= 0.000001 * (1 + abs(${x}))` : `${x} = ${v}`;
    return [`sum(case when ${x} is not null then 1 else 0 end) as m${i}`, `sum(case when ${equal} then 1 else 0 end) as e${i}`, `sum(case when ${equal} and ${x} <> 0 then 1 else 0 end) as z${i}`];
  });
  const on = fk.references.columns.map((c, i) => `p.${quote(c)} = s.k${i}`).join(' and ');
  return `select ${parts.join(', ')} from ${tableRef(parent, quote)} p join (${inner}) s on ${on}`;
}

/**
 * The sums of `sumSql`'s row that hold for at least 99% of the parents with children and the
 * column set (at least `k` of them, and at least `k` where the sum is not zero); for each parent
 * column, the products first, then the single columns.
 * @example
 * ```ts
 * sumRelations([{ parentColumn: 'total', columns: ['amount'] }], { m0: 400, e0: 400, z0: 390 }, 10); // [{ parentColumn: 'total', columns: ['amount'], rows: 400, holds: 1 }]
 * ```
 */
export function sumRelations(pairs: readonly SumPair[], row: Record<string, unknown> | undefined, k: number): SumRelation[] {
  const out = pairs.flatMap((pair, i) => {
    const n = Number(row?.[`m${i}`] ?? 0);
    const ok = Number(row?.[`e${i}`] ?? 0);
    const nonZero = Number(row?.[`z${i}`] ?? 0);
    if (!Number.isFinite(n) || n < Math.max(1, k) || nonZero < Math.max(1, k) || ok / n < SUM_HOLDS) return [];
    return [{ parentColumn: pair.parentColumn, columns: [...pair.columns], rows: n, holds: Math.floor((ok / n) * 10000) / 10000 }];
  });
  return out.sort((a, b) => (a.parentColumn === b.parentColumn ? b.columns.length - a.columns.length : 0));
}

/**
 * The pairs of a child's date columns measured as periods: a column whose name says it
 * starts a period (`from_date`, `start_date`, `valid_from`, `begins_at`) with one that ends it
 * (`to_date`, `end_date`, `valid_to`, `ends_at`) of the same kind; else every ordered pair of
 * date columns (at most MAX_PERIOD_PAIRS).
 * @example
 * ```ts
 * periodPairs(schema, fk, salaries); // [{ from: 'from_date', to: 'to_date' }]
 * ```
 */
export function periodPairs(schema: Schema, fk: ForeignKey, child: Table): PeriodPair[] {
  if (!schema.tables[fk.references.table]) return [];
  const dates = child.columns.filter((c) => DAYS.has(c.kind) && c.arrayDimensions === 0 && !c.generated && !fk.columns.includes(c.name));
  const out: PeriodPair[] = [];
  for (const a of dates) for (const b of dates) if (a !== b && a.kind === b.kind && out.length < MAX_PERIOD_PAIRS) out.push({ from: a.name, to: b.name });
  return out;
}

/**
 * One row of counts over the child rows that have a previous row under the same parent
 * (ordered by `from`, then `to`): for pair i, `n<i>` such rows with both values set, `a<i>`
 * where `from` equals the previous row's `to`, `b<i>` where it is the day after.
 * @example
 * ```ts
 * periodSql(fk, salaries, [{ from: 'from_date', to: 'to_date' }], quote); // … sum(case when f0 = (l0 + interval '1' day) …
 * ```
 */
export function periodSql(fk: ForeignKey, child: Table, pairs: readonly PeriodPair[], quote: QuoteIdentifier): string | undefined {
  if (pairs.length === 0) return undefined;
  const by = fk.columns.map((c) => quote(c)).join(', ');
  const cols = pairs.flatMap((p, i) => [`${quote(p.from)} as f${i}`, `lag(${quote(p.to)}) over (partition by ${by} order by ${quote(p.from)}, ${quote(p.to)}) as l${i}`, `${quote(p.to)} as t${i}`]);
  const notNull = fk.columns.map((c) => `${quote(c)} is not null`).join(' and ');
  const inner = `select ${cols.join(', ')} from ${tableRef(child, quote)} where ${notNull}`;
  const parts = pairs.flatMap((_, i) => [
    `sum(case when f${i} is not null and l${i} is not null then 1 else 0 end) as n${i}`,
    `sum(case when f${i} = l${i} then 1 else 0 end) as a${i}`,
    `sum(case when f${i} = (l${i} + interval '1' day) then 1 else 0 end) as b${i}`,
    `sum(case when l${i} is not null and f${i} <= t${i} then 1 else 0 end) as o${i}`,
  ]);
  return `select ${parts.join(', ')} from (${inner}) w`;
}

/**
 * The periods of `periodSql`'s row that are contiguous in at least 99% of the rows with a
 * previous row (at least `k`), and whose `from` is at or before `to` in as many.
 * @example
 * ```ts
 * periodRelations([{ from: 'from_date', to: 'to_date' }], { n0: 900, a0: 900, b0: 0, o0: 900 }, 10); // [{ from: 'from_date', to: 'to_date', gap: 0, rows: 900, holds: 1 }]
 * ```
 */
export function periodRelations(pairs: readonly PeriodPair[], row: Record<string, unknown> | undefined, k: number): PeriodRelation[] {
  return pairs.flatMap((pair, i) => {
    const n = Number(row?.[`n${i}`] ?? 0);
    const same = Number(row?.[`a${i}`] ?? 0);
    const next = Number(row?.[`b${i}`] ?? 0);
    const ordered = Number(row?.[`o${i}`] ?? 0);
    if (!Number.isFinite(n) || n < Math.max(1, k) || ordered / n < HOLDS) return [];
    const gap: 0 | 1 = same >= next ? 0 : 1;
    const ok = Math.max(same, next);
    return ok / n >= HOLDS ? [{ from: pair.from, to: pair.to, gap, rows: n, holds: Math.floor((ok / n) * 10000) / 10000 }] : [];
  });
}
