/**
 * A MySQL/MariaDB data fingerprint (see `RehearsalTarget.fingerprint`): every base table of
 * the database, its primary key, and per column its `COLUMN_TYPE`, non-NULL count, the exact
 * sum of the CRC32 of each value as the server prints it (`valueText`, the
 * snapshot's form) and the longest of those texts. Two queries: the catalog, then one
 * aggregate per table joined with `UNION ALL`.
 *
 * @example
 * ```ts
 * const f = await fingerprintMysql(db, 'understudy_rehearse_1a2b3c', 'shop');
 * f.tables['shop.users']!.columns['email']!.nonNull; // 400
 * ```
 */
import type { ColumnFingerprint, DataFingerprint, TableFingerprint } from '@understudy/core';
import { sql } from 'kysely';
import { quoteId } from './mysql-load-sql.js';
import type { MysqlKysely } from './mysql-pool.js';
import { valueText } from './mysql-snapshot.js';

interface CatalogColumn {
  readonly t: string;
  readonly c: string;
  readonly type: string;
  readonly data: string;
  readonly pk: number | string;
}

const BYTE_TYPES = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'bit',
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
]);

function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * See the file comment. Tables are keyed `<shownAs>.<table>`, as the rehearsal's Schema names
 * them (the throwaway `database` shown under the user's database name).
 */
export async function fingerprintMysql(db: MysqlKysely, database: string, shownAs: string): Promise<DataFingerprint> {
  const { rows: catalog } = await sql<CatalogColumn>`
    SELECT c.TABLE_NAME AS t, c.COLUMN_NAME AS c, c.COLUMN_TYPE AS type, c.DATA_TYPE AS data, c.COLUMN_KEY = 'PRI' AS pk
    FROM information_schema.COLUMNS c JOIN information_schema.TABLES b ON b.TABLE_SCHEMA = c.TABLE_SCHEMA AND b.TABLE_NAME = c.TABLE_NAME
    WHERE c.TABLE_SCHEMA = ${database} AND b.TABLE_TYPE = 'BASE TABLE'
    ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION`.execute(db);
  const byTable = new Map<string, CatalogColumn[]>();
  for (const row of catalog) byTable.set(String(row.t), [...(byTable.get(String(row.t)) ?? []), row]);
  const tables: Record<string, TableFingerprint> = {};
  if (byTable.size === 0) return { tables };
  const queries = [...byTable].map(([table, columns]) => {
    const parts = columns.map((col) => {
      const kind = BYTE_TYPES.has(String(col.data).toLowerCase()) ? 'binary' : 'varchar';
      const v = `IF(${quoteId(String(col.c))} IS NULL, NULL, ${valueText({ name: String(col.c), kind })})`;
      return `CONCAT(COUNT(${quoteId(String(col.c))}), ',', COALESCE(SUM(CRC32(${v})), 0), ',', COALESCE(MAX(CHAR_LENGTH(${v})), ''))`;
    });
    return `SELECT ${literal(table)} AS t, CONCAT_WS(';', COUNT(*)${parts.length > 0 ? `, ${parts.join(', ')}` : ''}) AS v FROM ${quoteId(database)}.${quoteId(table)}`;
  });
  const { rows } = await sql.raw<{ t: string; v: string }>(queries.join(' UNION ALL ')).execute(db);
  const values = new Map(rows.map((r) => [String(r.t), String(r.v)]));
  for (const [table, columns] of byTable) {
    const [count, ...parts] = (values.get(table) ?? '0').split(';');
    const fingerprinted: Record<string, ColumnFingerprint> = {};
    columns.forEach((col, i) => {
      const [nonNull, content, longest] = (parts[i] ?? '0,0,').split(',');
      fingerprinted[String(col.c)] = { type: String(col.type), nonNull: Number(nonNull), content: content ?? '0', maxLength: longest ? Number(longest) : null };
    });
    tables[`${shownAs}.${table}`] = { rows: Number(count), key: columns.filter((c) => Number(c.pk) === 1).map((c) => String(c.c)), columns: fingerprinted };
  }
  return { tables };
}
