/**
 * The bookkeeping table a migration tool creates before it applies its first migration,
 * when some migration of the folder uses it: harbor's golang-migrate history alters
 * `schema_migrations`; lemmy's diesel history puts a trigger on `__diesel_schema_migrations`
 * (so that only its own runner can apply migrations); hasura-auth's comments on
 * `auth.schema_migrations`, which its driver keeps in the `auth` schema. Created as the tool
 * creates it (in the schema a migration names it in), then
 * run before the baseline, untraced (`MigrationSet.toolSetup`).
 *
 * @example
 * ```ts
 * toolSetupFor('diesel', texts, 'postgres', problems); // a script creating __diesel_schema_migrations, or undefined
 * ```
 */
import type { MigrationDialect, MigrationScript } from '../migration-model.js';
import { buildStatements } from '../statement-builder.js';

interface Bookkeeping {
  readonly table: string;
  /** The DDL, as the tool's PostgreSQL and MySQL drivers run it. */
  readonly ddl: string;
}

const BOOKKEEPING: Readonly<Record<string, Bookkeeping>> = {
  'golang-migrate': { table: 'schema_migrations', ddl: 'CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)' },
  diesel: {
    table: '__diesel_schema_migrations',
    ddl: 'CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)',
  },
};

/** The script creating `tool`'s bookkeeping table when one of `texts` names it; otherwise undefined. */
export function toolSetupFor(tool: string, texts: Iterable<string>, flavor: MigrationDialect, problems: string[]): MigrationScript | undefined {
  const bookkeeping = BOOKKEEPING[tool];
  if (!bookkeeping) return undefined;
  // Qualified by a schema (`auth.schema_migrations`: hasura-auth's golang-migrate driver is given SchemaName "auth"), it is made there.
  const named = new RegExp(`(?<![\\w$.])(?:(\\w+|"[^"]+")\\.)?${bookkeeping.table}(?![\\w$])`, 'ig');
  const mentions = [...texts].flatMap((text) => [...text.matchAll(named)]);
  if (mentions.length === 0) return undefined;
  const schema = mentions.find((m) => m[1] !== undefined)?.[1];
  const table = schema === undefined ? bookkeeping.table : `${schema}.${bookkeeping.table}`;
  const file = `(${tool} creates ${table})`;
  const ddl = bookkeeping.ddl.replace(` ${bookkeeping.table} `, ` ${table} `);
  return { file, statements: buildStatements(ddl, { file, flavor, firstLine: 1, problems }), transaction: 'file' };
}
