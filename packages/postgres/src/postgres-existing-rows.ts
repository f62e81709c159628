/**
 * The rows already in a PostgreSQL (or PGlite) target, read for a seed that keeps
 * them and uses them as parents: which tables have rows, and the values of the
 * columns other tables reference, in key order, as generated values of their kind.
 *
 * @example
 * ```ts
 * const existing = await readExistingRows((sql, params) => client.query(sql, params), schema, [
 *   { table: 'public.users', columns: ['id'], limit: 10_000 },
 * ]);
 * // [{ table: 'public.users', rows: 1, more: false, values: { id: [1] } }]
 * ```
 */
import type { Column, ExistingRows, ExistingRowsRequest, Schema, Table } from '@understudy/core';
import { nonEmptyTablesSql, qualifiedTable, quoteIdent } from './postgres-load-sql.js';

type Query = <T = Record<string, unknown>>(text: string, params?: readonly unknown[]) => Promise<T[]>;

const INTEGER_KINDS = new Set<Column['kind']>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'year', 'oid']);

/** How a column is read (`::text`, or hex for bytea), and the generated value of its text. */
function columnReader(column: Column): { select: string; value: (text: string) => unknown } {
  const ref = quoteIdent(column.name);
  if (column.arrayDimensions > 0) return { select: `${ref}::text`, value: (t) => t };
  if (INTEGER_KINDS.has(column.kind)) {
    return { select: `${ref}::text`, value: (t) => (Number.isSafeInteger(Number(t)) ? Number(t) : t) };
  }
  if (column.kind === 'real' || column.kind === 'double') return { select: `${ref}::text`, value: (t) => Number(t) };
  if (column.kind === 'boolean') return { select: `${ref}::text`, value: (t) => t === 'true' };
  if (column.kind === 'binary' || column.kind === 'varbinary' || column.kind === 'blob') return { select: `encode(${ref}, 'hex')`, value: (t) => Buffer.from(t, 'hex') };
  return { select: `${ref}::text`, value: (t) => t };
}

/** Tables per emptiness query: a UNION of thousands of subqueries is more than PGlite's parser takes in one statement. */
const TABLES_PER_QUERY = 200;

/**
 * The keys (`schema.name`) of the tables of `tables` that have rows, asked in batches.
 * @example
 * ```ts
 * await nonEmptyTables(query, [users, orders]); // Set { 'public.users' }
 * ```
 */
export async function nonEmptyTables(query: Query, tables: readonly Table[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < tables.length; i += TABLES_PER_QUERY) {
    for (const r of await query<{ key: string }>(nonEmptyTablesSql(tables.slice(i, i + TABLES_PER_QUERY)))) found.add(r.key);
  }
  return found;
}

/**
 * For each request whose table has rows: up to `limit` rows' values of its columns, ascending
 * by those columns (so the same rows come back every time), and whether it has more.
 */
export async function readExistingRows(query: Query, schema: Schema, requests: readonly ExistingRowsRequest[]): Promise<ExistingRows[]> {
  const tables = requests.map((r) => schema.tables[r.table]).filter((t) => t !== undefined);
  if (tables.length === 0) return [];
  const nonEmpty = await nonEmptyTables(query, tables);
  const answers: ExistingRows[] = [];
  for (const request of requests) {
    const table = schema.tables[request.table];
    if (!table || !nonEmpty.has(request.table)) continue;
    const columns = request.columns.map((name) => table.columns.find((c) => c.name === name)).filter((c): c is Column => c !== undefined);
    if (columns.length === 0) {
      const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${qualifiedTable(table)} LIMIT ${request.limit + 1}) s`);
      const n = row?.n ?? 0;
      answers.push({ table: request.table, rows: Math.min(n, request.limit), more: n > request.limit, values: {} });
      continue;
    }
    const readers = columns.map(columnReader);
    const rows = await query<Record<string, string | null>>(
      `SELECT ${readers.map((r, i) => `${r.select} AS c${i}`).join(', ')} FROM ${qualifiedTable(table)} ` +
        `ORDER BY ${columns.map((c) => `${quoteIdent(c.name)} NULLS LAST`).join(', ')} LIMIT ${request.limit + 1}`,
    );
    const kept = rows.slice(0, request.limit);
    const values: Record<string, unknown[]> = {};
    columns.forEach((c, i) => {
      values[c.name] = kept.map((row) => {
        const text = row[`c${i}`];
        return text === null || text === undefined ? null : readers[i]!.value(text);
      });
    });
    answers.push({ table: request.table, rows: kept.length, more: rows.length > request.limit, values });
  }
  return answers;
}
