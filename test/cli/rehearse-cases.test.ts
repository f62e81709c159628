/**
 * The rehearsal outcomes the issue lists that the other rehearse tests leave out,
 * through the built CLI:
 * - `rehearse/locks` (an index built without CONCURRENTLY, a volatile default that
 *   rewrites the table) on PGlite and on PostgreSQL 15: the trace shows the lock modes
 *   and the rewrite;
 * - the failing, data-losing and bad-down sets in their MySQL spelling
 *   (`rehearse-mysql/{unique,cast,check,data-loss,bad-down}`) on MariaDB, the offending
 *   rows counted again in SQL on the kept throwaway database.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: the lock-hazard rehearsal runs on PGlite only');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB rehearsal cases');

let work: string;
const kept: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-rehearse-cases-'));
});

async function rehearse(args: readonly string[], name: string): Promise<{ code: number; stdout: string; report: RehearsalReport }> {
  const json = join(work, `${name}.json`);
  const result = await runCli(['rehearse', ...args, '--json', json]);
  expect(result.stderr, result.stdout).toContain(`wrote ${json}`);
  return { code: result.code, stdout: result.stdout, report: RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8'))) };
}

const environments = [{ name: 'PGlite', args: [] as string[] }, ...(PG_URL ? [{ name: 'PostgreSQL 15', args: ['--url', PG_URL] }] : [])];

describe.each(environments)('rehearse locks on $name', ({ name, args }) => {
  it('shows the ShareLock of a plain CREATE INDEX and the ACCESS EXCLUSIVE rewrite of a volatile default; both block writes on big tables: hazards', async () => {
    const { code, stdout, report } = await rehearse(['fixtures/migrations/rehearse/locks', ...args, '--rows', '500', '--lock-threshold-rows', '100'], `locks-${name}`);
    expect(code).toBe(1);
    const [index, token] = report.migrations[0]!.statements;
    expect(index!.sql).toBe('CREATE INDEX orders_total_idx ON orders (total)');
    // Writes to orders wait while the index builds; reads do not. No rewrite.
    expect(index!.locks).toContainEqual(expect.objectContaining({ relation: 'public.orders', mode: 'ShareLock' }));
    expect(index!.rewrites).toEqual([]);
    expect(token!.sql).toMatch(/^ALTER TABLE users ADD COLUMN token double precision NOT NULL DEFAULT random\(\)/);
    expect(token!.locks).toContainEqual(expect.objectContaining({ relation: 'public.users', mode: 'AccessExclusiveLock' }));
    expect(token!.rewrites).toContainEqual({ relation: 'public.users', kind: 'table' });
    // SHARE blocks writes as ACCESS EXCLUSIVE does (and reads go on): judged the same way.
    expect(report.hazards.map((h) => h.kind)).toEqual(['long-lock', 'long-lock']);
    // Each reads every one of its table's 500 rows under its lock (the index build, the rewrite): more than the threshold.
    expect(index!.reads?.find((r) => r.relation === 'public.orders')?.rows).toBeGreaterThanOrEqual(500);
    expect(token!.reads?.find((r) => r.relation === 'public.users')?.rows).toBeGreaterThanOrEqual(500);
    expect(report.hazards[0]!.message).toMatch(
      /takes SHARE on public\.orders and reads [\d,]+ rows of it under that lock \(more than 100\).*: every write to it waits until the migration commits \(reads go on\)$/,
    );
    expect(report.hazards[1]!.message).toMatch(/takes ACCESS EXCLUSIVE on public\.users and reads [\d,]+ rows of it under that lock \(more than 100\)/);
    expect(stdout).toContain('rewrites public.users');
    expect(report.down?.restored).toBe(true);
  });
});

describe.skipIf(!MYSQL_URL)('rehearse the failing, data-losing and bad-down sets on MariaDB', () => {
  const FIXTURES = 'fixtures/migrations/rehearse-mysql';
  const urlDatabase = MYSQL_URL ? decodeURIComponent(new URL(MYSQL_URL).pathname.slice(1)) : '';

  async function admin(): Promise<mysql.Connection> {
    const url = new URL(MYSQL_URL!);
    return mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  }

  /** One number from a query on the rehearsal database the report names (kept with --keep). */
  async function countIn(report: RehearsalReport, query: string): Promise<number> {
    const database = decodeURIComponent(new URL(report.environment).pathname.slice(1));
    kept.push(database);
    const conn = await admin();
    try {
      await conn.query(`USE \`${database}\``);
      const [rows] = await conn.query(query);
      return Number((rows as Array<{ n: number | string }>)[0]!.n);
    } finally {
      await conn.end();
    }
  }

  afterAll(async () => {
    if (kept.length === 0) return;
    const conn = await admin();
    for (const name of kept) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  });

  const failing = async (set: string) => {
    const { code, report } = await rehearse([`${FIXTURES}/${set}`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '400', '--keep'], `mysql-${set}`);
    expect(code).toBe(1);
    const migration = report.migrations[0]!;
    expect(migration.status).toBe('failed');
    expect(report.hazards.map((h) => h.kind)).toEqual(['failed']);
    return { report, failure: migration.failure! };
  };

  it('unique: a unique index over duplicates fails with the duplicate groups', async () => {
    const { report, failure } = await failing('unique');
    expect(failure.error).toMatch(/Duplicate entry/);
    expect(failure.offendingRows!.total).toBe(await countIn(report, 'SELECT COUNT(*) AS n FROM (SELECT plan FROM users GROUP BY plan HAVING COUNT(*) > 1) d'));
    expect(failure.offendingRows!.total).toBe(3);
  });

  it('cast: zip codes to int fails with the values that are not integers', async () => {
    const { report, failure } = await failing('cast');
    expect(failure.offendingRows!.total).toBeGreaterThan(0);
    expect(failure.offendingRows!.total).toBe(await countIn(report, "SELECT COUNT(*) AS n FROM users WHERE zip_code NOT REGEXP '^[0-9]+$'"));
    for (const row of failure.offendingRows!.rows) expect(row['zip_code']).toMatch(/-/);
  });

  it('check: a CHECK the existing rows violate fails with those rows', async () => {
    const { report, failure } = await failing('check');
    expect(failure.offendingRows!.total).toBeGreaterThan(0);
    expect(failure.offendingRows!.total).toBe(await countIn(report, 'SELECT COUNT(*) AS n FROM orders WHERE NOT (total < 1000)'));
  });

  it('data-loss: a dropped column and cut notes are data-lost hazards', async () => {
    const { code, report } = await rehearse([`${FIXTURES}/data-loss`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '400'], 'mysql-data-loss');
    expect(code).toBe(1);
    expect(report.migrations[0]!.status).toBe('passed');
    const messages = report.hazards.filter((h) => h.kind === 'data-lost').map((h) => h.message);
    expect(messages).toContainEqual(expect.stringContaining(`column ${urlDatabase}.users.nickname was dropped with`));
    expect(messages).toContainEqual(expect.stringContaining(`values of ${urlDatabase}.orders.note were truncated`));
  });

  it('bad-down: a down that forgets a default and an index does not restore the schema, and says which', async () => {
    const { code, report } = await rehearse([`${FIXTURES}/bad-down`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '200'], 'mysql-bad-down');
    expect(code).toBe(1);
    expect(report.down?.restored).toBe(false);
    expect(report.down?.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ object: 'column', name: `${urlDatabase}.orders.status` }),
        expect.objectContaining({ change: 'added', object: 'index', name: `${urlDatabase}.orders.orders_status_idx` }),
      ]),
    );
    expect(report.hazards.map((h) => h.kind)).toEqual(['down-mismatch']);
  });
});

describe('rehearse --container', () => {
  // With a Docker engine the rehearsal runs in the container; without one (this project's CI) it must say so.
  it.each([
    { image: 'postgres:16-alpine', args: ['fixtures/migrations/rehearse/clean'], url: 'postgres://user@host:5432/postgres' },
    { image: 'mariadb:11', args: ['fixtures/migrations/rehearse-mysql/clean', '--dialect', 'mysql'], url: 'mysql://root@host:3306/test' },
  ])(
    '$image: rehearses in the container, or exits 3 saying no engine is reachable',
    async ({ image, args, url }) => {
      const result = await runCli(['rehearse', ...args, '--container', image, '--rows', '100']);
      if (result.code === 0) {
        expect(result.stdout).toContain('PASSED');
        return;
      }
      console.warn(`no container engine here: --container ${image} checked for its error only`);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`--container ${image}: no Docker (or Podman) engine is reachable`);
      expect(result.stderr).toContain(`--url ${url}`);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
    300_000,
  );
});
