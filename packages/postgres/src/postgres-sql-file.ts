/**
 * `generate --format sql` for PostgreSQL: each table becomes a psql script
 * `COPY "s"."t" (…) FROM stdin;` + COPY text + `\.`, loadable with `psql -f`.
 *
 * @example
 * ```ts
 * const text = postgresSqlFile.header(target, schema) + copyText + postgresSqlFile.footer(target, schema);
 * ```
 */
import { UsageError, type LoadTarget, type Schema, type SqlFileFormat } from '@understudy/core';
import { copyIntoSql } from './postgres-load-sql.js';
import { COPY_TEXT_ENCODING } from './postgres-load-session.js';

function tableOf(target: LoadTarget, schema: Schema): { schema: string; name: string } {
  const table = schema.tables[target.table];
  if (!table) throw new UsageError(`table "${target.table}" is not in the schema`);
  return table;
}

/**
 * The PostgreSQL `SqlFileFormat`.
 * @example
 * ```ts
 * postgresSqlFile.header({ table: 'public.users', columns, rows: 10 }, schema);
 * // 'COPY "public"."users" ("id", "email") FROM stdin;\n'
 * ```
 */
export const postgresSqlFile: SqlFileFormat = {
  encoding: () => COPY_TEXT_ENCODING,
  header: (target, schema) =>
    `${copyIntoSql(
      tableOf(target, schema),
      target.columns.map((c) => c.name),
      'stdin',
    )};\n`,
  footer: () => '\\.\n',
};
