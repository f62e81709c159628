/**
 * The count-only aggregate queries a profile runs when scanning is allowed:
 * foreign-key fan-out (children per parent, zero-child parents included), text
 * lengths, and orders between a table's date/time columns. Each returns `(n, count)` pairs and never a stored value, so the
 * same SQL (standard enough for PostgreSQL, PGlite, MySQL and MariaDB) serves every
 * dialect; the dialect only supplies identifier quoting.
 *
 * @example
 * ```ts
 * const text = fanoutSql(schema, fk, childTable, (id) => `"${id.replace(/"/g, '""')}"`);
 * // select n, count(*) as c from (select count(c."user_id") as n from "public"."users" p left join … ) s group by n
 * ```
 */
import { bucketCounts, type FanoutBucket, type LengthBucket, type ProfileNullsTogether, type ProfileOrder } from './profile-model.js';
import type { Column, ForeignKey, Schema, Table } from './schema-model.js';
import { scanTrends, type TableTrends } from './profile-scan-trends.js';
import { periodPairs, periodRelations, periodSql, sumPairs, sumRelations, sumSql, tableRef, type PeriodRelation, type SumRelation } from './profile-scan-lines.js';
import { tolerantScan } from './profile-scan-tolerant.js';

/** Quotes one identifier for the engine (`"a"` or `` `a` ``). */
export type QuoteIdentifier = (identifier: string) => string;

/** Column kinds whose length distribution a profile records. */
const TEXT_KINDS = new Set<Column['kind']>(['char', 'varchar', 'text', 'citext']);

/** Whether a profile scans this column's lengths. */
export function hasTextLengths(column: Column): boolean {
  return TEXT_KINDS.has(column.kind) && column.arrayDimensions === 0;
}

/**
 * SQL giving `(n, c)`: `c` parents have exactly `n` children through `fk`. `undefined` when
 * the referenced table is not in the schema or the key is malformed.
 * @example
 * ```ts
 * const text = fanoutSql(schema, table.foreignKeys[0]!, table, quote);
 * ```
 */
export function fanoutSql(schema: Schema, fk: ForeignKey, child: Table, quote: QuoteIdentifier): string | undefined {
  const parent = schema.tables[fk.references.table];
  const first = fk.columns[0];
  if (!parent || !first || fk.columns.length !== fk.references.columns.length) return undefined;
  const on = fk.columns.map((c, i) => `c.${quote(c)} = p.${quote(fk.references.columns[i]!)}`).join(' and ');
  const keys = fk.references.columns.map((c) => `p.${quote(c)}`);
  return (
    `select n, count(*) as c from (select count(c.${quote(first)}) as n from ${tableRef(parent, quote)} p ` +
    `left join ${tableRef(child, quote)} c on ${on} where ${keys.map((k) => `${k} is not null`).join(' and ')} ` +
    `group by ${keys.join(', ')}) s group by n`
  );
}

/**
 * SQL giving `(n, c)`: `c` non-null values of `column` are `n` characters long.
 * @example
 * ```ts
 * lengthSql(table, column, quote); // select char_length("email") as n, count(*) as c from "public"."users" where …
 * ```
 */
export function lengthSql(table: Table, column: Column, quote: QuoteIdentifier): string {
  const col = quote(column.name);
  return `select char_length(${col}) as n, count(*) as c from ${tableRef(table, quote)} where ${col} is not null group by char_length(${col})`;
}

/** Reads `(n, c)` rows (numbers or numeric strings) into power-of-two buckets. */
function pairs(rows: ReadonlyArray<Record<string, unknown>>): Array<[number, number]> {
  return rows.map((r) => [Number(r['n']), Number(r['c'])] as [number, number]).filter(([n, c]) => Number.isFinite(n) && Number.isFinite(c));
}

/**
 * Fan-out rows to buckets.
 * @example
 * ```ts
 * fanoutBuckets([{ n: 0, c: 1 }, { n: 10, c: 1 }]); // [{ children: '0', parents: 1 }, { children: '8-15', parents: 1 }]
 * ```
 */
export function fanoutBuckets(rows: ReadonlyArray<Record<string, unknown>>): FanoutBucket[] {
  return bucketCounts(pairs(rows)).map(([children, parents]) => ({ children, parents }));
}

/**
 * Length rows to buckets.
 * @example
 * ```ts
 * lengthBuckets([{ n: 5, c: 10 }]); // [{ length: '4-7', rows: 10 }]
 * ```
 */
export function lengthBuckets(rows: ReadonlyArray<Record<string, unknown>>): LengthBucket[] {
  return bucketCounts(pairs(rows)).map(([length, count]) => ({ length, rows: count }));
}

/** Column kinds whose order against each other a profile measures. */
const TIME_KINDS = new Set<Column['kind']>(['date', 'timestamp', 'timestamptz']);
/** At most this many column pairs per table (a table with 12 date columns has 66). */
export const MAX_ORDER_PAIRS = 45;
/** The share of rows an order must hold in to be kept. */
export const ORDER_HOLDS = 0.99;

/**
 * The pairs of a table's date/time columns whose order a profile measures, in column order
 * (generated and array columns left out), at most MAX_ORDER_PAIRS.
 * @example
 * ```ts
 * orderPairs(rental); // [['rental_date', 'return_date'], ['rental_date', 'last_update'], …]
 * ```
 */
export function orderPairs(table: Table): Array<[string, string]> {
  const times = table.columns.filter((c) => TIME_KINDS.has(c.kind) && c.arrayDimensions === 0 && !c.generated).map((c) => c.name);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < times.length; i++) for (let j = i + 1; j < times.length; j++) if (out.length < MAX_ORDER_PAIRS) out.push([times[i]!, times[j]!]);
  return out;
}

/**
 * One row of counts for `pairs`: for pair i, `n<i>` rows where both are set, `a<i>` where the
 * first is before the second, `b<i>` where it is after (equal rows are n − a − b). `undefined`
 * when there is no pair.
 * @example
 * ```ts
 * orderSql(table, [['created_at', 'closed_at']], quote);
 * // select sum(case when "created_at" is not null and "closed_at" is not null then 1 else 0 end) as n0, …
 * ```
 */
export function orderSql(table: Table, pairs: ReadonlyArray<readonly [string, string]>, quote: QuoteIdentifier): string | undefined {
  if (pairs.length === 0) return undefined;
  const parts = pairs.flatMap(([x, y], i) => {
    const a = quote(x);
    const b = quote(y);
    return [
      `sum(case when ${a} is not null and ${b} is not null then 1 else 0 end) as n${i}`,
      `sum(case when ${a} < ${b} then 1 else 0 end) as a${i}`,
      `sum(case when ${a} > ${b} then 1 else 0 end) as b${i}`,
    ];
  });
  return `select ${parts.join(', ')} from ${tableRef(table, quote)}`;
}

/**
 * The orders that hold in at least 99% of the rows where both columns are set, from the
 * row of `orderSql`, with at least `k` such rows. Each pair once: when the columns are
 * equal in (nearly) every row, the first is `earlier`.
 * @example
 * ```ts
 * orderRelations([['a', 'b']], { n0: 100, a0: 100, b0: 0 }, 10); // [{ earlier: 'a', later: 'b', rows: 100, holds: 1 }]
 * ```
 */
export function orderRelations(pairs: ReadonlyArray<readonly [string, string]>, row: Record<string, unknown> | undefined, k: number): ProfileOrder[] {
  const out: ProfileOrder[] = [];
  if (!row) return out;
  pairs.forEach(([x, y], i) => {
    const n = Number(row[`n${i}`] ?? 0);
    const before = Number(row[`a${i}`] ?? 0);
    const after = Number(row[`b${i}`] ?? 0);
    if (!Number.isFinite(n) || n < k || n === 0) return;
    const forward = (n - after) / n;
    const backward = (n - before) / n;
    const round = (v: number): number => Math.floor(v * 10000) / 10000;
    if (forward >= ORDER_HOLDS && forward >= backward) out.push({ earlier: x, later: y, rows: n, holds: round(forward) });
    else if (backward >= ORDER_HOLDS) out.push({ earlier: y, later: x, rows: n, holds: round(backward) });
  });
  return out;
}

/** One child/parent relation across a foreign key, as a profile keeps it. */
export interface ForeignKeyRelation {
  readonly column: string;
  readonly parentColumn: string;
  readonly rows: number;
  readonly holds: number;
}

/** The column pairs measured across one foreign key. */
export interface ForeignKeyPairs {
  /** [child date/time column, parent date/time column]: is the child's at or after the parent's? */
  readonly orders: Array<[string, string]>;
  /** [child column, parent column] of one name, both foreign keys to the same key: are they equal? */
  readonly agrees: Array<[string, string]>;
}

/** At most this many order pairs per foreign key. */
const MAX_FK_ORDER_PAIRS = 20;

function singleReference(table: Table, column: string): string | undefined {
  const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === column);
  return fk ? `${fk.references.table}(${fk.references.columns.join(',')})` : undefined;
}

/** Column kinds whose equality across a foreign key a profile measures (short values: codes, categories, numbers, dates). */
const AGREE_KINDS = new Set<Column['kind']>(['char', 'varchar', 'text', 'citext', 'enum', 'boolean', 'smallint', 'integer', 'bigint', 'tinyint', 'mediumint', 'year', 'date']);

/** A column of the table's primary key or of a single-column unique key (its value names the row, not a property of it). */
function isKeyColumn(table: Table, column: string): boolean {
  return (table.primaryKey?.columns ?? []).includes(column) || table.uniques.some((u) => u.columns.length === 1 && u.columns[0] === column);
}

/**
 * The pairs a profile measures across `fk` from `child` to its parent: child date/time
 * columns against the parent's, and columns both tables hold under one name: a reference
 * to the same key (a payment's and its rental's `customer_id`) or a plain value of the
 * same kind outside the parent's keys (a region's and its country's `continent`).
 * @example
 * ```ts
 * foreignKeyPairs(schema, paymentRentalFk, payment); // { orders: [['payment_date', 'rental_date'], …], agrees: [['customer_id', 'customer_id']] }
 * ```
 */
export function foreignKeyPairs(schema: Schema, fk: ForeignKey, child: Table): ForeignKeyPairs {
  const parent = schema.tables[fk.references.table];
  if (!parent || fk.columns.length !== fk.references.columns.length) return { orders: [], agrees: [] };
  const times = (t: Table): string[] => t.columns.filter((c) => TIME_KINDS.has(c.kind) && c.arrayDimensions === 0 && !c.generated).map((c) => c.name);
  const orders: Array<[string, string]> = [];
  for (const c of times(child)) for (const p of times(parent)) if (orders.length < MAX_FK_ORDER_PAIRS) orders.push([c, p]);
  const agrees: Array<[string, string]> = [];
  for (const c of child.columns) {
    if (fk.columns.includes(c.name) || agrees.length >= MAX_FK_ORDER_PAIRS) continue;
    const target = singleReference(child, c.name);
    const pc = parent.columns.find((x) => x.name === c.name);
    if (!pc || pc.kind !== c.kind) continue;
    // A reference to the same key under one name, or a plain value both hold (a region's and its country's `continent`).
    const plain =
      target === undefined && singleReference(parent, pc.name) === undefined && AGREE_KINDS.has(c.kind) && !c.generated && !pc.generated && c.arrayDimensions === 0 && !isKeyColumn(parent, pc.name);
    if (!plain && (target === undefined || singleReference(parent, pc.name) !== target)) continue;
    agrees.push([c.name, pc.name]);
  }
  return { orders, agrees };
}

/**
 * One row of counts over the child rows joined to their parent through `fk`: `o<i>` rows
 * where both columns of order pair i are set, `a<i>` where the child's is at or after the
 * parent's; `e<i>` rows where agreement pair i is equal, `m<i>` where both are set.
 * `undefined` when there is nothing to measure.
 * @example
 * ```ts
 * foreignKeySql(schema, fk, payment, pairs, quote); // select sum(case when c."payment_date" is not null and … from "public"."payment" c join "public"."rental" p on …
 * ```
 */
export function foreignKeySql(schema: Schema, fk: ForeignKey, child: Table, pairs: ForeignKeyPairs, quote: QuoteIdentifier): string | undefined {
  const parent = schema.tables[fk.references.table];
  if (!parent || (pairs.orders.length === 0 && pairs.agrees.length === 0)) return undefined;
  const parts = [
    ...pairs.orders.flatMap(([x, y], i) => [
      `sum(case when c.${quote(x)} is not null and p.${quote(y)} is not null then 1 else 0 end) as o${i}`,
      `sum(case when c.${quote(x)} >= p.${quote(y)} then 1 else 0 end) as a${i}`,
    ]),
    ...pairs.agrees.flatMap(([x, y], i) => [
      `sum(case when c.${quote(x)} is not null and p.${quote(y)} is not null then 1 else 0 end) as m${i}`,
      `sum(case when c.${quote(x)} = p.${quote(y)} then 1 else 0 end) as e${i}`,
    ]),
  ];
  const on = fk.columns.map((c, i) => `c.${quote(c)} = p.${quote(fk.references.columns[i]!)}`).join(' and ');
  return `select ${parts.join(', ')} from ${tableRef(child, quote)} c join ${tableRef(parent, quote)} p on ${on}`;
}

/**
 * The relations of `foreignKeySql`'s row that hold in at least 99% of the joined rows where
 * both columns are set (at least `k` of them).
 * @example
 * ```ts
 * foreignKeyRelations({ orders: [['paid', 'rented']], agrees: [] }, { o0: 50, a0: 50 }, 10).orders; // [{ column: 'paid', parentColumn: 'rented', rows: 50, holds: 1 }]
 * ```
 */
export function foreignKeyRelations(pairs: ForeignKeyPairs, row: Record<string, unknown> | undefined, k: number): { orders: ForeignKeyRelation[]; agrees: ForeignKeyRelation[] } {
  const pick = (list: ReadonlyArray<readonly [string, string]>, total: string, good: string): ForeignKeyRelation[] =>
    list.flatMap(([column, parentColumn], i) => {
      const n = Number(row?.[`${total}${i}`] ?? 0);
      const ok = Number(row?.[`${good}${i}`] ?? 0);
      if (!Number.isFinite(n) || n < Math.max(1, k) || ok / n < ORDER_HOLDS) return [];
      return [{ column, parentColumn, rows: n, holds: Math.floor((ok / n) * 10000) / 10000 }];
    });
  return { orders: pick(pairs.orders, 'o', 'a'), agrees: pick(pairs.agrees, 'm', 'e') };
}

/** At most this many column pairs per table are measured for NULLs together. */
const MAX_NULL_PAIRS = 120;

/** A table's columns that may be NULL and are written (not generated), in column order. */
function nullableColumns(table: Table): string[] {
  return table.columns.filter((c) => c.nullable && !c.generated).map((c) => c.name);
}

/**
 * One row of counts: `r` the table's rows, `z<i>` the rows where `columns[i]` is NULL.
 * @example
 * ```ts
 * nullCountSql(table, ['shipped_at', 'carrier'], quote);
 * // select count(*) as r, sum(case when "shipped_at" is null then 1 else 0 end) as z0, …
 * ```
 */
function nullCountSql(table: Table, columns: readonly string[], quote: QuoteIdentifier): string {
  return `select count(*) as r${columns.map((c, i) => `, sum(case when ${quote(c)} is null then 1 else 0 end) as z${i}`).join('')} from ${tableRef(table, quote)}`;
}

/**
 * The pairs worth measuring: both columns sometimes NULL and sometimes set, with NULL counts
 * within 1% of the rows of each other (a pair NULL together in 99% of rows must be), at most MAX_NULL_PAIRS.
 */
function nullPairs(columns: readonly string[], row: Record<string, unknown> | undefined): Array<[string, string]> {
  const rows = Number(row?.['r'] ?? 0);
  if (!row || !(rows > 0)) return [];
  const nulls = columns.map((_, i) => Number(row[`z${i}`] ?? 0));
  const out: Array<[string, string]> = [];
  for (let i = 0; i < columns.length; i++) {
    if (!(nulls[i]! > 0 && nulls[i]! < rows)) continue;
    for (let j = i + 1; j < columns.length && out.length < MAX_NULL_PAIRS; j++) {
      if (nulls[j]! > 0 && nulls[j]! < rows && Math.abs(nulls[i]! - nulls[j]!) <= (1 - ORDER_HOLDS) * rows) out.push([columns[i]!, columns[j]!]);
    }
  }
  return out;
}

/**
 * One row of counts for `pairs`: `r` rows, `s<i>` rows where both or neither are NULL, `t<i>` rows where both are.
 * @example
 * ```ts
 * nullPairSql(table, [['shipped_at', 'carrier']], quote);
 * ```
 */
function nullPairSql(table: Table, pairs: ReadonlyArray<readonly [string, string]>, quote: QuoteIdentifier): string | undefined {
  if (pairs.length === 0) return undefined;
  const parts = pairs.flatMap(([x, y], i) => {
    const a = quote(x);
    const b = quote(y);
    return [
      `sum(case when (${a} is null and ${b} is null) or (${a} is not null and ${b} is not null) then 1 else 0 end) as s${i}`,
      `sum(case when ${a} is null and ${b} is null then 1 else 0 end) as t${i}`,
    ];
  });
  return `select count(*) as r, ${parts.join(', ')} from ${tableRef(table, quote)}`;
}

/**
 * The pairs NULL together in at least 99% of the rows, from the row of `nullPairSql`.
 * @example
 * ```ts
 * nullsTogetherRelations([['a', 'b']], { r: 100, s0: 100, t0: 30 }); // [{ columns: ['a', 'b'], rows: 100, nulls: 30, holds: 1 }]
 * ```
 */
function nullsTogetherRelations(pairs: ReadonlyArray<readonly [string, string]>, row: Record<string, unknown> | undefined): ProfileNullsTogether[] {
  const rows = Number(row?.['r'] ?? 0);
  if (!row || !(rows > 0)) return [];
  return pairs.flatMap(([x, y], i) => {
    const same = Number(row[`s${i}`] ?? 0);
    const nulls = Number(row[`t${i}`] ?? 0);
    const holds = Math.floor((same / rows) * 10000) / 10000;
    return holds >= ORDER_HOLDS && nulls > 0 ? [{ columns: [x, y] as [string, string], rows, nulls, holds }] : [];
  });
}

/** What `scanRelations` measured across one foreign key. */
export interface ForeignKeyRelations {
  orders: ForeignKeyRelation[];
  agrees: ForeignKeyRelation[];
  /** Parent columns equal to the sum of the children's (`profile-scan-lines.ts`). */
  sums?: SumRelation[];
  /** Children's contiguous periods. */
  periods?: PeriodRelation[];
}

/** What `scanRelations` measured on one table. */
export interface TableRelations {
  readonly orders: ProfileOrder[];
  /** Pairs of columns NULL in the same rows (≥ 99%). */
  readonly nullsTogether: ProfileNullsTogether[];
  /** By foreign-key name. */
  readonly related: Map<string, ForeignKeyRelations>;
  /** Pair trends (`profile-scan-trends.ts`), screened by `buildProfile`. */
  readonly trends: TableTrends;
  /** `part: reason` of each query that failed on its own (`tolerantScan`): what it would have measured is left out. */
  readonly skipped: readonly string[];
}

/**
 * Runs the count-only relation queries of one table through the dialect's `run` (one
 * scan for its date/time orders, one join per foreign key) and reads their counts. A query
 * that fails on its own (not the connection) leaves out what it measures, named in `skipped`.
 * @example
 * ```ts
 * const { orders, related } = await scanRelations(schema, table, quote, async (sql) => (await client.query(sql)).rows);
 * ```
 */
export async function scanRelations(schema: Schema, table: Table, quote: QuoteIdentifier, run: (sql: string) => Promise<ReadonlyArray<Record<string, unknown>>>): Promise<TableRelations> {
  const scan = tolerantScan(run);
  const pairs = orderPairs(table);
  const orderText = orderSql(table, pairs, quote);
  const orders = orderText ? orderRelations(pairs, (await scan.run('date orders', orderText))?.[0], 1) : [];
  const related = new Map<string, ForeignKeyRelations>();
  for (const fk of table.foreignKeys) {
    const fkPairs = foreignKeyPairs(schema, fk, table);
    const text = foreignKeySql(schema, fk, table, fkPairs, quote);
    const part = `relations along ${fk.name}`;
    const found: ForeignKeyRelations = text ? foreignKeyRelations(fkPairs, (await scan.run(part, text))?.[0], 1) : { orders: [], agrees: [] };
    const sums = sumPairs(schema, fk, table);
    const sumText = sumSql(schema, fk, table, sums, quote);
    if (sumText) found.sums = sumRelations(sums, (await scan.run(part, sumText))?.[0], 1);
    const periods = periodPairs(schema, fk, table);
    const periodText = periodSql(fk, table, periods, quote);
    if (periodText) found.periods = periodRelations(periods, (await scan.run(part, periodText))?.[0], 1);
    if (text || sumText || periodText) related.set(fk.name, found);
  }
  const nullable = nullableColumns(table);
  const pairsNull = nullable.length >= 2 ? nullPairs(nullable, (await scan.run('NULLs together', nullCountSql(table, nullable, quote)))?.[0]) : [];
  const nullText = nullPairSql(table, pairsNull, quote);
  const nullsTogether = nullText ? nullsTogetherRelations(pairsNull, (await scan.run('NULLs together', nullText))?.[0]) : [];
  const trends = await scanTrends(schema, table, quote, async (sql) => (await scan.run('pair trends', sql)) ?? []);
  return { orders, related, nullsTogether, trends, skipped: scan.skipped };
}
