/**
 * Round trip: the model read from a drizzle module (`--drizzle`) must equal the model
 * the dialect introspector reads from a database the same module was pushed into.
 * The PGlite round trip always runs (embedded PostgreSQL, no server). The server ones need: UNDERSTUDY_TEST_PG_URL (postgres://postgres@127.0.0.1:5432/postgres)
 * and UNDERSTUDY_TEST_MYSQL_URL (mysql://root@127.0.0.1:3306/test). Each run creates
 * a database `understudy_test_<random>` and drops it afterwards, even on failure.
 *
 * What cannot be the same on both sides is set aside by `comparableSchema` (see its
 * documentation and docs/drizzle.md); everything else must be equal.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect, Schema } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { comparableSchema, drizzleCreateStatements, introspectDrizzle, type DrizzleCasing } from './index.js';

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

/**
 * Compares the two models after `comparableSchema` has set aside what can never be
 * the same on both sides (virtual foreign keys, row estimates, constraint order,
 * constant casts and keyword case PostgreSQL adds, the server's charset and collation
 * on MySQL: the list is in its documentation and in docs/drizzle.md).
 */
function compareModels(drizzle: Schema, live: Schema, virtualNames: string[]): void {
  const a = comparableSchema(drizzle);
  const b = comparableSchema(live);
  expect(Object.keys(a.tables).sort()).toEqual(Object.keys(b.tables).sort());
  for (const key of Object.keys(b.tables).sort()) expect(a.tables[key], `table ${key}`).toEqual(b.tables[key]);
  expect(a.enums).toEqual(b.enums);
  expect(a.sequences).toEqual(b.sequences);
  expect(a.domains).toEqual(b.domains);
  expect(a.dialect).toBe(b.dialect);
  // The virtual FK is the one thing only drizzle has.
  const virtual = Object.values(drizzle.tables).flatMap((t) => t.foreignKeys.filter((fk) => fk.virtual).map((fk) => fk.name));
  expect(virtual).toEqual(virtualNames);
}

const PG_CASES: { file: string; casing?: DrizzleCasing; virtual: string[] }[] = [
  { file: 'pg-schema.ts', virtual: ['orders_salesRep_virtual'] },
  { file: 'pg-casing-schema.ts', casing: 'snake_case', virtual: ['posts_editor_virtual'] },
  { file: 'pg-details-schema.ts', virtual: [] },
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
      compareModels(fromDrizzle, live, virtual);
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
      compareModels(fromDrizzle, live, virtual);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe.skipIf(!MYSQL_URL)('drizzle → MySQL round trip', () => {
  it.each([
    { file: 'mysql-schema.ts', virtual: ['orders_salesRep_virtual'] },
    { file: 'mysql-details-schema.ts', virtual: [] },
  ])('$file: the --drizzle model equals the introspected database after pushing the schema', async ({ file: name, virtual }) => {
    const mysql = await import('mysql2/promise');
    const mysqlDialect = await dialectFrom('@understudy/mysql', 'mysqlDialect');
    const file = fixture(name);
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
      compareModels(fromDrizzle, live, virtual);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    }
  });
});
