/**
 * The rows already in a MySQL/MariaDB target, read for a seed that keeps them
 * and uses them as parents: which tables have rows, and the values of the
 * columns other tables reference, in key order, as generated values of their kind.
 *
 * @example
 * ```ts
 * const existing = await readMysqlExistingRows(async (sql) => (await conn.query(sql))[0], schema, [
 *   { table: 'shop.users', columns: ['id'], limit: 10_000 },
 * ]);
 * // [{ table: 'shop.users', rows: 1, more: false, values: { id: [1] } }]
 * ```
 */
import type { Column, ExistingRows, ExistingRowsRequest, Schema, Table } from '@understudy/core';
import { nonEmptyTablesSql, quoteId, tableRef } from './mysql-load-sql.js';

type Query = (text: string) => Promise<unknown>;

const INTEGER_KINDS = new Set<Column['kind']>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'year']);
const BINARY_KINDS = new Set<Column['kind']>(['binary', 'varbinary', 'blob']);

/** How a column is read (as text, or hex for binary), and the generated value of that text. */
function columnReader(column: Column): { select: string; value: (text: string) => unknown } {
  const ref = quoteId(column.name);
  if (INTEGER_KINDS.has(column.kind)) return { select: `CAST(${ref} AS CHAR)`, value: (t) => (Number.isSafeInteger(Number(t)) ? Number(t) : t) };
  if (column.kind === 'real' || column.kind === 'double') return { select: `CAST(${ref} AS CHAR)`, value: (t) => Number(t) };
  if (column.kind === 'boolean') return { select: `CAST(${ref} AS CHAR)`, value: (t) => t !== '0' };
  if (BINARY_KINDS.has(column.kind)) return { select: `HEX(${ref})`, value: (t) => Buffer.from(t, 'hex') };
  return { select: `CAST(${ref} AS CHAR)`, value: (t) => t };
}

/**
 * For each request whose table has rows: up to `limit` rows' values of its columns, ascending by
 * those columns (the same rows every time), and whether it has more. `refOf` names where a
 * table's rows are (a staging copy that --truncate emptied, see mysql-staging.ts).
 */
export async function readMysqlExistingRows(query: Query, schema: Schema, requests: readonly ExistingRowsRequest[], refOf: (table: Table) => string = tableRef): Promise<ExistingRows[]> {
  const tables = requests.map((r) => schema.tables[r.table]).filter((t) => t !== undefined);
  if (tables.length === 0) return [];
  // The query names tables by where they are (`Table.schema`), which need not be their key (a rehearsal database shown under the URL's name).
  const keyOf = new Map<string, string>(
    requests.flatMap((r): Array<[string, string]> => (schema.tables[r.table] ? [[`${schema.tables[r.table]!.schema}.${schema.tables[r.table]!.name}`, r.table]] : [])),
  );
  const nonEmpty = new Set(((await query(nonEmptyTablesSql(tables, refOf))) as Array<{ name: string }>).map((r) => keyOf.get(r.name) ?? r.name));
  const answers: ExistingRows[] = [];
  for (const request of requests) {
    const table = schema.tables[request.table];
    if (!table || !nonEmpty.has(request.table)) continue;
    const columns = request.columns.map((name) => table.columns.find((c) => c.name === name)).filter((c): c is Column => c !== undefined);
    if (columns.length === 0) {
      const [row] = (await query(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${refOf(table)} LIMIT ${request.limit + 1}) s`)) as Array<{ n: number | string }>;
      const n = Number(row?.n ?? 0);
      answers.push({ table: request.table, rows: Math.min(n, request.limit), more: n > request.limit, values: {} });
      continue;
    }
    const readers = columns.map(columnReader);
    // NULLs last, as PostgreSQL reads them: a kept row with a NULL key is picked last.
    const order = columns.map((c) => `${quoteId(c.name)} IS NULL, ${quoteId(c.name)}`).join(', ');
    const rows = (await query(`SELECT ${readers.map((r, i) => `${r.select} AS c${i}`).join(', ')} FROM ${refOf(table)} ORDER BY ${order} LIMIT ${request.limit + 1}`)) as Array<
      Record<string, string | null>
    >;
    const kept = rows.slice(0, request.limit);
    const values: Record<string, unknown[]> = {};
    columns.forEach((c, i) => {
      values[c.name] = kept.map((row) => {
        const text = row[`c${i}`];
        return text === null || text === undefined ? null : readers[i]!.value(String(text));
      });
    });
    answers.push({ table: request.table, rows: kept.length, more: rows.length > request.limit, values });
  }
  return answers;
}
