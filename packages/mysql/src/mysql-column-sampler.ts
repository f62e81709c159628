/**
 * Sampling a table's rows on MySQL and MariaDB for `scan`: every column as text, cut to
 * a bounded length, inside a READ ONLY transaction. MySQL has no TABLESAMPLE, so a
 * table no larger than 20× the sample is read with `ORDER BY RAND() LIMIT n`, and a
 * larger one with a bounded read: `WHERE RAND() < p LIMIT n`, p chosen so that about
 * twice the sample would qualify over the whole table. The read stops after n rows,
 * so it costs about half a scan, and leans slightly towards the rows it meets first.
 *
 * @example
 * ```ts
 * const sample = await sampleMysqlColumns(conn.db, schema.tables['shop.customers']!, { limit: 200 });
 * ```
 */
import type { Column, ColumnSample, ColumnSampleOptions, Table } from '@understudy/core';
import { sql } from 'kysely';
import type { MysqlKysely } from './mysql-pool.js';

const quote = (id: string): string => `\`${id.replace(/`/g, '``')}\``;

/** The expression that reads a column as text. */
function asText(column: Column, width: number): string {
  const c = quote(column.name);
  if (column.kind === 'spatial') return `LEFT(ST_AsText(${c}), ${width})`;
  if (column.kind === 'bit') return `CAST(${c} + 0 AS CHAR)`;
  if (column.kind === 'binary' || column.kind === 'varbinary' || column.kind === 'blob') return `LEFT(CONVERT(${c} USING utf8mb4), ${width})`;
  return `LEFT(CAST(${c} AS CHAR), ${width})`;
}

/** Above this many times the sample size, a bounded read instead of a sort of the whole table. */
const BOUNDED_FACTOR = 20;

/**
 * Samples up to `limit` rows of `table`, read-only.
 * @example
 * ```ts
 * const { rows, method } = await sampleMysqlColumns(db, table, { limit: 100 });
 * ```
 */
export async function sampleMysqlColumns(db: MysqlKysely, table: Table, options: ColumnSampleOptions): Promise<ColumnSample> {
  const limit = Math.max(1, Math.floor(options.limit));
  const width = Math.max(16, Math.floor(options.maxValueLength ?? 2000));
  const columns = table.columns;
  const select = columns.length === 0 ? 'NULL' : columns.map((c, i) => `${asText(c, width)} AS c${i}`).join(', ');
  const from = `${quote(table.schema)}.${quote(table.name)}`;
  return db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      const estimateRows = await sql<{ n: number | string | null }>`
      SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${table.schema} AND TABLE_NAME = ${table.name}`.execute(trx);
      const estimate = Number(estimateRows.rows[0]?.n ?? 0) || 0;
      let text = `SELECT ${select} FROM ${from} ORDER BY RAND() LIMIT ${limit}`;
      let method = `ORDER BY RAND() LIMIT ${limit}`;
      if (estimate > BOUNDED_FACTOR * limit) {
        const p = Number(Math.min(1, (2 * limit) / estimate).toPrecision(3));
        text = `SELECT ${select} FROM ${from} WHERE RAND() < ${p} LIMIT ${limit}`;
        method = `WHERE RAND() < ${p} LIMIT ${limit} (bounded read)`;
      }
      const { rows } = await sql.raw<Record<string, unknown>>(text).execute(trx);
      const values = new Map<string, Array<string | null>>(columns.map((c) => [c.name, []]));
      for (const row of rows) {
        columns.forEach((c, i) => {
          const v = row[`c${i}`];
          values.get(c.name)!.push(v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
        });
      }
      return { rows: rows.length, values, method };
    });
}
