/**
 * A data snapshot of a MySQL/MariaDB database for a migration rehearsal: per table
 * the row count and, per column, NULLs, distinct values, min, max, longest value (text, and decimals to spot rounding) and
 * a checksum of the column keyed by primary key, all in one aggregate query per
 * table; for tables with a primary key and at most `SNAPSHOT_ROW_LIMIT` rows, also a
 * checksum per row (`MD5(CONCAT_WS(…))` over every column) and a short hash per
 * row and column, keyed by the primary key's values joined with `|`.
 *
 * Values are hashed as the server prints them (`QUOTE(c)` in utf8mb4, binary as hex), so
 * `'10'` in a varchar and `10` in an int hash alike, while `1.5` → `2` does not.
 *
 * @example
 * ```ts
 * const snapshot = await snapshotMysql(db, schema, 'understudy_rehearse_1a2b3c');
 * snapshot.tables['shop.users']?.columns['email']?.nulls; // 3
 * ```
 */
import { SNAPSHOT_ROW_LIMIT, type Column, type ColumnSnapshot, type DataSnapshot, type Schema, type Table, type TableSnapshot } from '@understudy/core';
import { sql } from 'kysely';
import { quoteId } from './mysql-load-sql.js';
import type { MysqlKysely } from './mysql-pool.js';

const BYTE_KINDS = new Set<Column['kind']>(['binary', 'varbinary', 'blob', 'bit', 'varbit', 'spatial', 'geometric']);
const NO_ORDER_KINDS = new Set<Column['kind']>(['binary', 'varbinary', 'blob', 'json', 'jsonb', 'spatial', 'geometric', 'other']);
/** Columns whose printed value carries its type's fraction digits (`.000000`, `.50`). */
const FRACTION_KINDS = new Set<Column['kind']>(['timestamp', 'timestamptz', 'time', 'decimal']);
/** Columns whose longest value is kept: text, and numbers with digits that a narrowing type drops (`1.50` → `2`). */
const LENGTH_KINDS = new Set<Column['kind']>(['char', 'varchar', 'text', 'citext', 'enum', 'set', 'json', 'uuid', 'decimal', 'real', 'double']);

/**
 * The SQL text a value is hashed as: unambiguous (quoted, or `NULL`), in one collation.
 * @example
 * ```ts
 * valueText({ name: 'email', kind: 'varchar' }); // "CONVERT(QUOTE(`email`) USING utf8mb4) COLLATE utf8mb4_bin"
 * ```
 */
export function valueText(column: Pick<Column, 'name' | 'kind'>): string {
  const c = quoteId(column.name);
  if (BYTE_KINDS.has(column.kind)) return `IFNULL(CONCAT('x', HEX(${c})), 'NULL')`;
  // A value with a fraction is hashed without the fraction's trailing zeros, so a widened
  // precision or scale (TIMESTAMP → TIMESTAMP(6), DECIMAL(10,2) → DECIMAL(12,4)) keeps the
  // value's hash: '… 10:00:00.000000' is '… 10:00:00', 1.5000 is 1.5; 1.25 → 1.3 still differs.
  const v = FRACTION_KINDS.has(column.kind) ? `IF(LOCATE('.', ${c}) > 0, TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM ${c})), ${c})` : c;
  return `CONVERT(QUOTE(${v}) USING utf8mb4) COLLATE utf8mb4_bin`;
}

/** The primary key's values joined with `|`, as an expression. */
function keyText(table: Table): string | undefined {
  const key = table.primaryKey?.columns ?? [];
  if (key.length === 0) return undefined;
  const parts = key.map((name) => {
    const column = table.columns.find((c) => c.name === name);
    return column && BYTE_KINDS.has(column.kind) ? `HEX(${quoteId(name)})` : quoteId(name);
  });
  return `CONCAT_WS('|', ${parts.join(', ')})`;
}

/** A value read back as text (`String(value)`), hex for bytes. */
export function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

const count = (value: unknown): number => Number(value ?? 0);

/** The aggregate query of one table (also used by tests to show what is measured). */
export function tableStatsSql(table: Table, database: string): string {
  const key = keyText(table);
  const parts = ['COUNT(*) AS `rows`'];
  table.columns.forEach((column, i) => {
    const c = quoteId(column.name);
    const ordered = column.kind === 'bit' ? `(${c} + 0)` : c;
    const distinct = column.kind === 'spatial' || column.kind === 'geometric' ? `HEX(${c})` : c;
    parts.push(`SUM(${c} IS NULL) AS \`n${i}\``, `COUNT(DISTINCT ${distinct}) AS \`d${i}\``);
    if (!NO_ORDER_KINDS.has(column.kind)) parts.push(`MIN(${ordered}) AS \`lo${i}\``, `MAX(${ordered}) AS \`hi${i}\``);
    if (LENGTH_KINDS.has(column.kind)) parts.push(`MAX(CHAR_LENGTH(${c})) AS \`len${i}\``);
    const hashed = key ? `CONCAT(${key}, ':', ${valueText(column)})` : valueText(column);
    parts.push(`COALESCE(SUM(CAST(CONV(LEFT(MD5(${hashed}), 15), 16, 10) AS UNSIGNED)), 0) AS \`cs${i}\``);
  });
  return `SELECT ${parts.join(', ')} FROM ${quoteId(database)}.${quoteId(table.name)}`;
}

/** The per-row query: key, row checksum, and a short hash per column. */
export function tableRowsSql(table: Table, database: string): string | undefined {
  const key = keyText(table);
  if (!key) return undefined;
  const values = table.columns.map(valueText);
  const hashes = values.map((v, i) => `LEFT(MD5(${v}), 12) AS \`h${i}\``);
  return `SELECT ${key} AS \`k\`, MD5(CONCAT_WS(',', ${values.join(', ')})) AS \`r\`${hashes.length > 0 ? `, ${hashes.join(', ')}` : ''} FROM ${quoteId(database)}.${quoteId(table.name)}`;
}

async function snapshotTable(db: MysqlKysely, table: Table, database: string): Promise<TableSnapshot> {
  const stats = (await sql.raw<Record<string, unknown>>(tableStatsSql(table, database)).execute(db)).rows[0] ?? {};
  const rows = count(stats['rows']);
  const columns: Record<string, ColumnSnapshot> = {};
  const columnChecksums: Record<string, string> = {};
  table.columns.forEach((column, i) => {
    columns[column.name] = {
      nulls: count(stats[`n${i}`]),
      distinct: count(stats[`d${i}`]),
      min: asText(stats[`lo${i}`]),
      max: asText(stats[`hi${i}`]),
      ...(LENGTH_KINDS.has(column.kind) ? { maxLength: stats[`len${i}`] === null || stats[`len${i}`] === undefined ? null : count(stats[`len${i}`]) } : {}),
    };
    columnChecksums[column.name] = String(stats[`cs${i}`] ?? '0');
  });
  const rowSql = rows <= SNAPSHOT_ROW_LIMIT ? tableRowsSql(table, database) : undefined;
  if (!rowSql) return { rows, columns, columnChecksums };
  const rowChecksums: Record<string, string> = {};
  const columnValueHashes: Record<string, Record<string, string>> = Object.fromEntries(table.columns.map((c) => [c.name, {}]));
  for (const row of (await sql.raw<Record<string, unknown>>(rowSql).execute(db)).rows) {
    const k = asText(row['k']) ?? '';
    rowChecksums[k] = String(row['r']);
    table.columns.forEach((column, i) => {
      columnValueHashes[column.name]![k] = String(row[`h${i}`]);
    });
  }
  return { rows, columns, columnChecksums, rowChecksums, columnValueHashes };
}

/**
 * Snapshots every table of `schema`, reading them from `database` (whatever namespace the
 * Schema gives them: a rehearsal names its throwaway database after the user's).
 * @example
 * ```ts
 * const before = await snapshotMysql(db, schema, 'understudy_rehearse_1a2b3c');
 * ```
 */
export async function snapshotMysql(db: MysqlKysely, schema: Schema, database: string): Promise<DataSnapshot> {
  const tables: Record<string, TableSnapshot> = {};
  for (const [key, table] of Object.entries(schema.tables)) {
    if (table.kind === 'partition') continue;
    tables[key] = await snapshotTable(db, table, database);
  }
  return { tables };
}
