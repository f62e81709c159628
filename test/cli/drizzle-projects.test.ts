/**
 * Real drizzle projects (fixtures/drizzle-projects), as their owners lay them out,
 * through the built CLI. For each project, its own migration folder builds a
 * database on the server (UNDERSTUDY_TEST_PG_URL, UNDERSTUDY_TEST_MYSQL_URL); then:
 * - `introspect --drizzle` equals `introspect --url` of that database, but for the
 *   differences listed in docs/drizzle.md (asserted here one by one);
 * - `seed --drizzle --url` fills that database at 1,000 rows per table, warning about
 *   each listed difference, and the independent check finds no violation;
 * - `seed --drizzle --pglite DIR` (PostgreSQL projects) creates the tables from the
 *   module and fills them, checked the same way in the kept PGlite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Schema } from '@understudy/core';
import { comparableSchema } from '@understudy/drizzle';
import { connectPostgres, createScratchDatabase, dropScratchDatabase, postgresDialect, urlForDatabase } from '@understudy/postgres';
import { diffSchemas } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyDrizzleProject, type ProjectCopy } from '../../packages/drizzle/src/test-support/project-copy.js';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { runCli } from '../run-cli.js';
import { DRIZZLE_PROJECTS, migrationStatements, type DrizzleProjectCase } from './drizzle-projects.js';
import { INHERENT_DIFFERENCES } from './drizzle-project-differences.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the drizzle projects on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the drizzle projects on MySQL/MariaDB');

const quotePg = (n: string): string => `"${n.replace(/"/g, '""')}"`;
const quoteMy = (n: string): string => `\`${n.replace(/`/g, '``')}\``;

/** A database built by the project's own migrations; returns its URL and how to drop it. */
async function migratedDatabase(project: DrizzleProjectCase, copy: ProjectCopy): Promise<{ url: string; drop: () => Promise<void> }> {
  const statements = await migrationStatements(copy.path(join(project.packageDir, project.migrations)), project.migrationText);
  if (project.dialect === 'postgres') {
    const name = await createScratchDatabase(pgUrl!, 'understudy_drizzle_project');
    const url = urlForDatabase(pgUrl!, name);
    const drop = (): Promise<void> => dropScratchDatabase(pgUrl!, name);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const sql of statements) await client.query(sql);
    } catch (error) {
      await client.end();
      await drop();
      throw error;
    }
    await client.end();
    return { url, drop };
  }
  const name = `understudy_drizzle_${Math.random().toString(36).slice(2, 10)}`;
  const server = new URL(mysqlUrl!);
  const admin = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
  await admin.query(`CREATE DATABASE ${quoteMy(name)}`);
  await admin.query(`USE ${quoteMy(name)}`);
  try {
    for (const sql of statements) await admin.query(sql);
  } catch (error) {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteMy(name)}`);
    throw error;
  } finally {
    await admin.end();
  }
  const url = new URL(mysqlUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await mysql.createConnection({ host: server.hostname, port: Number(server.port || 3306), user: decodeURIComponent(server.username), password: decodeURIComponent(server.password) });
      await c.query(`DROP DATABASE IF EXISTS ${quoteMy(name)}`).finally(() => c.end());
    },
  };
}

/** The independent check of a seeded server database. */
async function checkServer(project: DrizzleProjectCase, url: string, stdout: string): Promise<void> {
  if (project.dialect === 'postgres') {
    const conn = await connectPostgres(url, postgresDialect);
    const schema = await conn.introspect().finally(() => conn.close());
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const target: CheckTarget = { dialect: 'postgres', quote: quotePg, query: async (sql) => (await client.query(sql)).rows };
      await expectClean(target, schema, stdout, project);
    } finally {
      await client.end();
    }
    return;
  }
  const { mysqlDialect } = await import('@understudy/mysql');
  const conn = await mysqlDialect.connect(url);
  const schema = await conn.introspect().finally(() => conn.close());
  const u = new URL(url);
  const client = await mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
  });
  try {
    const target: CheckTarget = { dialect: 'mysql', quote: quoteMy, query: async (sql) => (await client.query(sql))[0] as Record<string, unknown>[] };
    await expectClean(target, schema, stdout, project);
  } finally {
    await client.end();
  }
}

async function expectClean(target: CheckTarget, schema: Schema, stdout: string, project: DrizzleProjectCase): Promise<void> {
  const rows = reportedRows(stdout);
  const bookkeeping = project.bookkeeping ?? [];
  expect(Object.keys(rows)).toHaveLength(project.tables - bookkeeping.length);
  for (const n of Object.values(rows)) expect(n).toBe(1000);
  const report = await checkSeededDatabase(target, schema, { ...rows, ...Object.fromEntries(bookkeeping.map((t) => [t, 0])) });
  expect(report.problems).toEqual([]);
  expect(report.uniqueKeys).toBeGreaterThan(0);
}

/** The drift between the module and the database, as `seed --drizzle --url` reports it, one line per difference. */
function driftOf(drizzle: Schema, live: Schema): string[] {
  return diffSchemas(comparableSchema(drizzle), comparableSchema(live)).map((c) => `${c.change} ${c.object} ${c.name}${c.detail ? `: ${c.detail}` : ''}`);
}

for (const project of DRIZZLE_PROJECTS) {
  const server = project.dialect === 'postgres' ? pgUrl : mysqlUrl;
  describe.skipIf(!server)(project.label, () => {
    let copy: ProjectCopy;
    let db: { url: string; drop: () => Promise<void> };
    const cwd = (): string => copy.path(project.packageDir);
    const env = (): NodeJS.ProcessEnv => ({ DRIZZLE_DATABASE_URL: db.url });

    beforeAll(async () => {
      copy = await copyDrizzleProject(`drizzle-projects/${project.fixture}`, project.install);
      db = await migratedDatabase(project, copy);
    });
    afterAll(async () => {
      await db?.drop();
      await copy?.remove();
    });

    it('introspect --drizzle equals introspect --url of the database its migrations build, but for the listed differences', async () => {
      const fromModule = await runCli(['introspect', '--drizzle', ...project.drizzleArgs], { cwd: cwd(), env: env() });
      expect(fromModule.stderr).toBe('');
      expect(fromModule.code).toBe(0);
      const fromDatabase = await runCli(['introspect', '--url', db.url]);
      expect(fromDatabase.code).toBe(0);
      const drizzle = JSON.parse(fromModule.stdout) as Schema;
      const live = JSON.parse(fromDatabase.stdout) as Schema;
      expect(Object.keys(drizzle.tables)).toHaveLength(project.tables);
      expect(driftOf(drizzle, live)).toEqual(INHERENT_DIFFERENCES[project.differences] ?? []);
    });

    it('seed --drizzle --url fills the database at 1,000 rows per table, warning about each difference, with 0 violations', async () => {
      const result = await runCli(['seed', '--drizzle', ...project.drizzleArgs, '--url', db.url, '--rows', '1000', '--json'], { cwd: cwd(), env: env() });
      expect(result.code, result.stderr).toBe(0);
      const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning:'));
      expect(warnings).toHaveLength((INHERENT_DIFFERENCES[project.differences] ?? []).length);
      await checkServer(project, db.url, result.stdout);
    });

    // Only the tests that apply to the project are registered (a MySQL module needs --url; see seed-drizzle.test.ts).
    if (project.dialect === 'postgres' && project.pgliteRefused === undefined)
      it('seed --drizzle --pglite DIR creates the tables from the module and fills them, with 0 violations', async () => {
        const dir = await mkdtemp(join(tmpdir(), 'understudy-drizzle-pglite-'));
        try {
          const result = await runCli(['seed', '--drizzle', ...project.drizzleArgs, '--pglite', join(dir, 'db'), '--rows', '1000', '--json'], { cwd: cwd() });
          expect(result.code, result.stderr).toBe(0);
          const introspected = await runCli(['introspect', '--url', `pglite://${join(dir, 'db')}`]);
          expect(introspected.code).toBe(0);
          const kept = new PGlite(join(dir, 'db'));
          try {
            const target: CheckTarget = { dialect: 'postgres', quote: quotePg, query: async (sql) => (await kept.query<Record<string, unknown>>(sql)).rows };
            await expectClean(target, JSON.parse(introspected.stdout) as Schema, result.stdout, project);
          } finally {
            await kept.close();
          }
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });

    if (project.pgliteRefused !== undefined)
      it('seed --drizzle without --url names the statement PGlite refuses when the module cannot create its tables', async () => {
        const result = await runCli(['seed', '--drizzle', ...project.drizzleArgs, '--rows', '10'], { cwd: cwd() });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(project.pgliteRefused!);
        expect(result.stderr).toContain('--url');
      });
  });
}
