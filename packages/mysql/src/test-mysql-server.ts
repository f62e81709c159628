/**
 * Test support (not built): the MariaDB server the tests talk to, named by
 * UNDERSTUDY_TEST_MYSQL_URL (for example mysql://root@127.0.0.1:3306/test), and helpers
 * to create uniquely named databases and users that each test drops afterwards.
 */
import { randomBytes } from 'node:crypto';
import { splitSql } from '@understudy/core';
import { sql } from 'kysely';
import { openMysql, type MysqlKysely } from './mysql-pool.js';
import { parseMysqlUrl } from './mysql-url.js';

export const TEST_MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];

if (!TEST_MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping MariaDB tests');

/** The test server URL; call only inside tests that are skipped without it. */
export function testUrl(): string {
  if (!TEST_MYSQL_URL) throw new Error('UNDERSTUDY_TEST_MYSQL_URL not set');
  return TEST_MYSQL_URL;
}

/** `prefix` + 10 random hex digits: a name no other test run uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** The test URL with another user, password or database. */
export function urlWith(changes: { user?: string; password?: string; database?: string }): string {
  const url = new URL(testUrl());
  if (changes.user !== undefined) url.username = encodeURIComponent(changes.user);
  if (changes.password !== undefined) url.password = encodeURIComponent(changes.password);
  if (changes.database !== undefined) url.pathname = `/${encodeURIComponent(changes.database)}`;
  return url.toString();
}

/** Runs `fn` with a kysely instance connected as the test URL's user, no database selected. */
export async function withAdmin<T>(fn: (db: MysqlKysely) => Promise<T>): Promise<T> {
  const url = testUrl();
  const { db } = await openMysql(parseMysqlUrl(url), url, { database: null, connectionLimit: 1 });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

export async function run(db: MysqlKysely, statement: string): Promise<void> {
  await sql.raw(statement).execute(db);
}

/** Databases whose name starts with `prefix`. */
export async function databasesLike(prefix: string): Promise<string[]> {
  return withAdmin(async (db) => {
    const found = await sql<{ name: string }>`
      SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ${`${prefix}%`}`.execute(db);
    return found.rows.map((r) => String(r.name));
  });
}

/** Creates database `name` and runs a DDL script in it, statement by statement, on one connection. */
export async function loadDirectly(name: string, ddl: string): Promise<void> {
  await withAdmin(async (db) => {
    await run(db, `CREATE DATABASE \`${name}\``);
    await db.connection().execute(async (conn) => {
      await run(conn, `USE \`${name}\``);
      for (const statement of splitSql(ddl, 'mysql')) await run(conn, statement.text);
    });
  });
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((db) => run(db, `DROP DATABASE IF EXISTS \`${name}\``));
}
