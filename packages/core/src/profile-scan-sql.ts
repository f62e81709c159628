/**
 * The count-only aggregate queries a profile runs when scanning is allowed:
 * foreign-key fan-out (children per parent, zero-child parents included) and
 * text lengths. Each returns `(n, count)` pairs and never a stored value, so the
 * same SQL (standard enough for PostgreSQL, PGlite, MySQL and MariaDB) serves every
 * dialect; the dialect only supplies identifier quoting.
 *
 * @example
 * ```ts
 * const text = fanoutSql(schema, fk, childTable, (id) => `"${id.replace(/"/g, '""')}"`);
 * // select n, count(*) as c from (select count(c."user_id") as n from "public"."users" p left join … ) s group by n
 * ```
 */
import { bucketCounts, type FanoutBucket, type LengthBucket } from './profile-model.js';
import type { Column, ForeignKey, Schema, Table } from './schema-model.js';

/** Quotes one identifier for the engine (`"a"` or `` `a` ``). */
export type QuoteIdentifier = (identifier: string) => string;

/** Column kinds whose length distribution a profile records. */
const TEXT_KINDS = new Set<Column['kind']>(['char', 'varchar', 'text', 'citext']);

/** Whether a profile scans this column's lengths. */
export function hasTextLengths(column: Column): boolean {
  return TEXT_KINDS.has(column.kind) && column.arrayDimensions === 0;
}

function tableRef(table: Pick<Table, 'schema' | 'name'>, quote: QuoteIdentifier): string {
  return `${quote(table.schema)}.${quote(table.name)}`;
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
