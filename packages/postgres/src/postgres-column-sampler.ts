/**
 * Sampling a table's rows on PostgreSQL and PGlite for `scan`: every column cast to
 * text and cut to a bounded length, in a READ ONLY transaction. Small tables are
 * sampled with `ORDER BY random() LIMIT n`; a table much larger than the sample first
 * through `TABLESAMPLE SYSTEM (p)`, which reads only p% of its pages. When block
 * sampling returns too few rows (rows clustered in few pages), the plain form runs.
 *
 * @example
 * ```ts
 * const sample = await samplePostgresColumns(conn.db, schema.tables['public.users']!, { limit: 200 });
 * sample.values.get('email'); // ['ana@example.org', null, …]
 * ```
 */
import type { ColumnSample, ColumnSampleOptions, Table } from '@understudy/core';
import { sql, type Kysely } from 'kysely';

const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;

/** Rows a table holds, by the planner's estimate (partitioned parents: the sum of their partitions). */
async function estimateRows(db: Kysely<any>, table: Table): Promise<number> {
  const { rows } = await sql<{ n: number | string | null }>`
    select case when c.relkind = 'p' then (
      select sum(greatest(ch.reltuples, 0))::float8 from pg_catalog.pg_inherits i
      join pg_catalog.pg_class ch on ch.oid = i.inhrelid where i.inhparent = c.oid)
    else greatest(c.reltuples, 0)::float8 end as n
    from pg_catalog.pg_class c join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
    where ns.nspname = ${table.schema} and c.relname = ${table.name}`.execute(db);
  return Number(rows[0]?.n ?? 0) || 0;
}

/** Above this many times the sample size, block sampling first. */
const TABLESAMPLE_FACTOR = 20;

/**
 * Samples up to `limit` rows of `table`, read-only.
 * @example
 * ```ts
 * const { rows, method } = await samplePostgresColumns(db, table, { limit: 100 });
 * ```
 */
export async function samplePostgresColumns(db: Kysely<any>, table: Table, options: ColumnSampleOptions): Promise<ColumnSample> {
  const limit = Math.max(1, Math.floor(options.limit));
  const width = Math.max(16, Math.floor(options.maxValueLength ?? 2000));
  const columns = table.columns;
  const select = columns.length === 0 ? 'null' : columns.map((c, i) => `left(${quote(c.name)}::text, ${width}) as c${i}`).join(', ');
  const from = `${quote(table.schema)}.${quote(table.name)}`;
  return db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      const estimate = await estimateRows(trx, table);
      const run = async (sampling: string): Promise<Array<Record<string, unknown>>> =>
        (await sql.raw<Record<string, unknown>>(`select ${select} from ${from}${sampling} order by random() limit ${limit}`).execute(trx)).rows;
      let method = `ORDER BY random() LIMIT ${limit}`;
      let rows: Array<Record<string, unknown>>;
      if (estimate > TABLESAMPLE_FACTOR * limit) {
        const percent = Math.min(100, (100 * TABLESAMPLE_FACTOR * limit) / estimate);
        const pct = Number(percent.toPrecision(3));
        rows = await run(` tablesample system (${pct})`);
        method = `TABLESAMPLE SYSTEM (${pct}%), ${method}`;
        if (rows.length < limit / 2) {
          rows = await run('');
          method = `ORDER BY random() LIMIT ${limit} (block sample too small)`;
        }
      } else rows = await run('');
      const values = new Map<string, Array<string | null>>(columns.map((c) => [c.name, []]));
      for (const row of rows) {
        columns.forEach((c, i) => {
          const v = row[`c${i}`];
          values.get(c.name)!.push(v === null || v === undefined ? null : String(v));
        });
      }
      return { rows: rows.length, values, method };
    });
}
