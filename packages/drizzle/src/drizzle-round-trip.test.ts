/**
 * Round trip: the model read from a drizzle module (`--drizzle`) must equal the model
 * the dialect introspector reads from a database the same module was pushed into.
 * The PGlite round trip always runs (embedded PostgreSQL, no server). The server ones need: UNDERSTUDY_TEST_PG_URL (postgres://postgres@127.0.0.1:5432/postgres)
 * and UNDERSTUDY_TEST_MYSQL_URL (mysql://root@127.0.0.1:3306/test). Each run creates
 * a database `understudy_test_<random>` and drops it afterwards, even on failure.
 *
 * Every field removed before comparing is listed in `INHERENT_*` below with why it
 * cannot be the same on both sides.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect, Schema, Table } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { drizzleCreateStatements, introspectDrizzle, type DrizzleCasing } from './index.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];

if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL is not set: skipping the drizzle → PostgreSQL round trip.');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL is not set: skipping the drizzle → MySQL round trip.');

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/drizzle/${name}`, import.meta.url));
/**
 * The dialect packages are imported by a name vite does not analyse, so this file
 * loads (and its PostgreSQL half skips or fails on its own) when one is not built yet.
 */
async function dialectFrom(pkg: '@understudy/postgres' | '@understudy/mysql', name: string): Promise<Dialect> {
  const mod = (await import(/* @vite-ignore */ pkg)) as Record<string, Dialect | undefined>;
  const dialect = mod[name];
  if (!dialect) throw new Error(`${pkg} does not export ${name}`);
  return dialect;
}

const uniqueDatabaseName = (): string => `understudy_test_${randomBytes(6).toString('hex')}`;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const byName = <T extends { name: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

type Comparable = Record<string, unknown>;

/**
 * Differences that cannot disappear, on both dialects:
 * - `virtual` foreign keys exist only in the drizzle model (declared with `relations()`,
 *   the database has no constraint to report).
 * - `rowEstimate`: drizzle knows no rows (null); the server keeps a statistic (0, -1, …).
 * - the order of uniques, foreign keys, checks and indexes is not meaningful (each side
 *   lists them in its own catalog order), so both sides are sorted by name.
 */
function comparableTable(table: Table, strip: (t: Table) => Table): Comparable {
  const t = strip(structuredClone(table));
  const { rowEstimate: _rowEstimate, ...rest } = t;
  return {
    ...rest,
    uniques: byName(t.uniques),
    foreignKeys: byName(t.foreignKeys.filter((fk) => !fk.virtual)),
    checks: byName(t.checks),
    indexes: byName(t.indexes),
  };
}

/**
 * PostgreSQL differences that are inherent:
 * - casts on constants in check constraint and generated column expressions:
 *   PostgreSQL stores the parsed expression and prints it back with the constant cast
 *   to the column's type (`salary > 0` → `salary > 0::numeric`, `reading * 2` →
 *   `reading * 2::double precision`); drizzle has only the source text and no type
 *   resolution. The casts are removed from both sides; everything else must match
 *   (`quantity > 0` on an integer column is identical on both sides as it is).
 */
function stripPgInherent(t: Table): Table {
  const withoutConstantCasts = (e: string): string => e.replace(/\b(\d+(?:\.\d+)?)::[a-z][a-z ]*[a-z]/g, '$1');
  for (const c of t.checks) c.expression = withoutConstantCasts(c.expression);
  for (const c of t.columns) if (c.generated) c.generated.expression = withoutConstantCasts(c.generated.expression);
  return t;
}

/**
 * MySQL / MariaDB differences that are inherent:
 * - column `charset` and `collation`: the server's / database's defaults (drizzle
 *   declares none unless the column does), so only the server knows them.
 * - generated column expressions: the server stores and re-prints them
 *   (`reading * 2` → `` `reading` * 2 ``, `lower(sensor)` → `` lcase(`sensor`) ``).
 */
function stripMysqlInherent(t: Table): Table {
  for (const c of t.columns) {
    delete c.charset;
    delete c.collation;
    if (c.generated) c.generated.expression = '<re-printed by the server>';
  }
  return t;
}

function compareModels(drizzle: Schema, live: Schema, strip: (t: Table) => Table, virtualNames: string[]): void {
  expect(Object.keys(drizzle.tables).sort()).toEqual(Object.keys(live.tables).sort());
  for (const key of Object.keys(live.tables).sort()) {
    const fromDrizzle = comparableTable(drizzle.tables[key]!, strip);
    const fromDatabase = comparableTable(live.tables[key]!, strip);
    expect(fromDrizzle, `table ${key}`).toEqual(fromDatabase);
  }
  expect(drizzle.enums).toEqual(live.enums);
  expect(drizzle.sequences).toEqual(live.sequences);
  expect(drizzle.domains).toEqual(live.domains);
  expect(drizzle.dialect).toBe(live.dialect);
  // The virtual FK is the one thing only drizzle has.
  const virtual = Object.values(drizzle.tables).flatMap((t) => t.foreignKeys.filter((fk) => fk.virtual).map((fk) => fk.name));
  expect(virtual).toEqual(virtualNames);
}

const PG_CASES: { file: string; casing?: DrizzleCasing; virtual: string[] }[] = [
  { file: 'pg-schema.ts', virtual: ['orders_salesRep_virtual'] },
  { file: 'pg-casing-schema.ts', casing: 'snake_case', virtual: ['posts_editor_virtual'] },
];

describe('drizzle → PGlite round trip', () => {
  it.each(PG_CASES)('$file: the --drizzle model equals PGlite after loading the schema', async ({ file, casing, virtual }) => {
    const postgresDialect = await dialectFrom('@understudy/postgres', 'postgresDialect');
    const path = fixture(file);
    const options = casing ? { casing } : {};
    const { statements } = await drizzleCreateStatements(path, options);
    const dir = await mkdtemp(join(tmpdir(), 'understudy-drizzle-'));
    try {
      const sqlFile = join(dir, 'schema.sql');
      await writeFile(sqlFile, statements.map((s) => (s.endsWith(';') ? s : `${s};`)).join('\n\n'));
      const live = await postgresDialect.introspectSqlFile(sqlFile);
      const fromDrizzle = await introspectDrizzle(path, options);
      expect(fromDrizzle.namespaces).toEqual(live.namespaces);
      compareModels(fromDrizzle, live, stripPgInherent, virtual);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!PG_URL)('drizzle → PostgreSQL round trip', () => {
  it.each(PG_CASES)('$file: the --drizzle model equals the introspected database after pushing the schema', async ({ file, casing, virtual }) => {
    const { default: pg } = await import('pg');
    const postgresDialect = await dialectFrom('@understudy/postgres', 'postgresDialect');
    const path = fixture(file);
    const options = casing ? { casing } : {};
    const database = uniqueDatabaseName();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
      const url = withDatabase(PG_URL!, database);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { dialect, statements } = await drizzleCreateStatements(path, options);
        expect(dialect).toBe('postgres');
        for (const statement of statements) await client.query(statement);
      } finally {
        await client.end();
      }
      const connection = await postgresDialect.connect(url);
      let live: Schema;
      try {
        live = await connection.introspect();
      } finally {
        await connection.close();
      }
      const fromDrizzle = await introspectDrizzle(path, options);
      expect(fromDrizzle.namespaces).toEqual(live.namespaces);
      compareModels(fromDrizzle, live, stripPgInherent, virtual);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe.skipIf(!MYSQL_URL)('drizzle → MySQL round trip', () => {
  it('the --drizzle model equals the introspected database after pushing the schema', async () => {
    const mysql = await import('mysql2/promise');
    const mysqlDialect = await dialectFrom('@understudy/mysql', 'mysqlDialect');
    const file = fixture('mysql-schema.ts');
    const database = uniqueDatabaseName();
    const admin = await mysql.createConnection({ uri: withDatabase(MYSQL_URL!, ''), multipleStatements: false });
    try {
      await admin.query(`CREATE DATABASE \`${database}\``);
      const url = withDatabase(MYSQL_URL!, database);
      const client = await mysql.createConnection({ uri: url });
      try {
        const { dialect, statements } = await drizzleCreateStatements(file);
        expect(dialect).toBe('mysql');
        for (const statement of statements) await client.query(statement);
      } finally {
        await client.end();
      }
      const connection = await mysqlDialect.connect(url);
      let live: Schema;
      try {
        live = await connection.introspect();
      } finally {
        await connection.close();
      }
      const fromDrizzle = await introspectDrizzle(file, { database });
      expect(fromDrizzle.namespaces).toEqual(live.namespaces);
      compareModels(fromDrizzle, live, stripMysqlInherent, ['orders_salesRep_virtual']);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    }
  });
});
