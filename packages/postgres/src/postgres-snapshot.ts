/**
 * A data snapshot of a PostgreSQL database for the rehearsal diff: per table
 * the row count and, per column, NULLs, distinct values, min/max (as text, for
 * types with an order) and the longest value (text-like and numeric columns) in
 * one aggregate query; and for tables with a primary key and at most
 * `SNAPSHOT_ROW_LIMIT` rows, an md5 per row and a short hash per row and column,
 * keyed by the key's values (one more query).
 *
 * @example
 * ```ts
 * const snapshot = await snapshotPostgres(db, schema);
 * snapshot.tables['public.users']!.columns['email']!.nulls; // 97
 * ```
 */
import { SNAPSHOT_ROW_LIMIT, type Column, type ColumnSnapshot, type DataSnapshot, type Schema, type Table, type TableSnapshot } from '@understudy/core';
import { sql, type Kysely } from 'kysely';

/**
 * A double-quoted identifier.
 * @example
 * ```ts
 * quoteIdent('Order "items"'); // '"Order ""items"""'
 * ```
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `"schema"."table"`.
 * @example
 * ```ts
 * qualifiedTable({ schema: 'public', name: 'users' }); // '"public"."users"'
 * ```
 */
export function qualifiedTable(table: Pick<Table, 'schema' | 'name'>): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/** Kinds PostgreSQL has `min`/`max` aggregates for (citext: the extension's own; enum: `anyenum`'s). */
const ORDERED_KINDS: ReadonlySet<Column['kind']> = new Set([
  'smallint',
  'integer',
  'bigint',
  'decimal',
  'real',
  'double',
  'money',
  'char',
  'varchar',
  'text',
  'citext',
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'inet',
  'cidr',
  'enum',
  'oid',
]);
/**
 * Kinds with an order but no `min`/`max` aggregate, whose text form is fixed-width lowercase hex and
 * so sorts as the values do: their min and max are taken over `::text`.
 */
const TEXT_ORDERED_KINDS: ReadonlySet<Column['kind']> = new Set(['uuid', 'macaddr', 'macaddr8']);
const LENGTH_KINDS: ReadonlySet<Column['kind']> = new Set(['char', 'varchar', 'text', 'citext', 'decimal', 'real', 'double', 'money']);

/** `min(…)`/`max(…)` argument for a column, or undefined for a column with no order (json, arrays, points, composites…). */
function orderedValue(column: Column, ref: string): string | undefined {
  if (column.arrayDimensions !== 0) return undefined;
  if (ORDERED_KINDS.has(column.kind)) return ref;
  if (TEXT_ORDERED_KINDS.has(column.kind)) return `${ref}::text`;
  return undefined;
}

function hasLength(column: Column): boolean {
  return column.arrayDimensions === 0 && LENGTH_KINDS.has(column.kind);
}

async function statistics(db: Kysely<any>, table: Table): Promise<{ rows: number; columns: Record<string, ColumnSnapshot> }> {
  const parts = ['count(*)::bigint as n'];
  table.columns.forEach((column, i) => {
    const c = quoteIdent(column.name);
    parts.push(`count(${c})::bigint as nn${i}`, `count(distinct ${c}::text)::bigint as d${i}`);
    const ordered = orderedValue(column, c);
    if (ordered) parts.push(`min(${ordered})::text as lo${i}`, `max(${ordered})::text as hi${i}`);
    if (hasLength(column)) parts.push(`max(length(${c}::text))::int as len${i}`);
  });
  const { rows } = await sql.raw<Record<string, unknown>>(`select ${parts.join(', ')} from ${qualifiedTable(table)}`).execute(db);
  const row = rows[0]!;
  const count = Number(row['n']);
  const columns: Record<string, ColumnSnapshot> = {};
  table.columns.forEach((column, i) => {
    const lo = row[`lo${i}`];
    const hi = row[`hi${i}`];
    columns[column.name] = {
      nulls: count - Number(row[`nn${i}`]),
      distinct: Number(row[`d${i}`]),
      min: lo === undefined || lo === null ? null : String(lo),
      max: hi === undefined || hi === null ? null : String(hi),
      ...(hasLength(column) ? { maxLength: row[`len${i}`] === null ? null : Number(row[`len${i}`]) } : {}),
    };
  });
  return { rows: count, columns };
}

async function rowHashes(db: Kysely<any>, table: Table): Promise<Pick<TableSnapshot, 'rowChecksums' | 'columnValueHashes'>> {
  const key = table.primaryKey!.columns.map((c) => `t.${quoteIdent(c)}::text`).join(', ');
  const hashes = table.columns.map((column, i) => `coalesce(left(md5(t.${quoteIdent(column.name)}::text), 12), '-') as h${i}`);
  const { rows } = await sql
    .raw<Record<string, string>>(`select concat_ws('|', ${key}) as k, md5(t::text) as r${hashes.length > 0 ? `, ${hashes.join(', ')}` : ''} from ${qualifiedTable(table)} t`)
    .execute(db);
  const rowChecksums: Record<string, string> = {};
  const columnValueHashes: Record<string, Record<string, string>> = {};
  for (const column of table.columns) columnValueHashes[column.name] = {};
  for (const row of rows) {
    rowChecksums[row['k']!] = row['r']!;
    table.columns.forEach((column, i) => {
      columnValueHashes[column.name]![row['k']!] = row[`h${i}`]!;
    });
  }
  return { rowChecksums, columnValueHashes };
}

/**
 * Snapshots every table of `schema` (see the file comment).
 * @example
 * ```ts
 * const before = await snapshotPostgres(db, schema);
 * ```
 */
export async function snapshotPostgres(db: Kysely<any>, schema: Schema): Promise<DataSnapshot> {
  const tables: Record<string, TableSnapshot> = {};
  for (const [key, table] of Object.entries(schema.tables)) {
    const stats = await statistics(db, table);
    const keyed = table.primaryKey && table.primaryKey.columns.length > 0 && stats.rows <= SNAPSHOT_ROW_LIMIT ? await rowHashes(db, table) : {};
    tables[key] = { ...stats, ...keyed };
  }
  return { tables };
}
