/**
 * `understudy rehearse --url mysql://… --dialect mysql` through the built CLI, on MariaDB
 * (UNDERSTUDY_TEST_MYSQL_URL): the ALGORITHM/LOCK each ALTER was probed with lands in the
 * --json report, the --junit and --markdown files say the same, a MODIFY … NOT NULL over
 * NULLs fails with exactly the rows that hold NULLs (counted again in SQL on the kept
 * database), and the throwaway database is gone afterwards.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the rehearse tests against MariaDB');

const FIXTURES = 'fixtures/migrations/rehearse-mysql';
let work: string;
const kept: string[] = [];

async function admin(): Promise<mysql.Connection> {
  const url = new URL(MYSQL_URL!);
  return mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
}

async function query(text: string, values: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  const conn = await admin();
  try {
    return (await conn.query(text, values))[0] as Array<Record<string, unknown>>;
  } finally {
    await conn.end();
  }
}

/** The throwaway database a report names in its environment URL. */
function databaseOf(report: RehearsalReport): string {
  const name = decodeURIComponent(new URL(report.environment).pathname.slice(1));
  expect(name).toMatch(/^understudy_rehearse_(kept_)?\d{8}t\d{6}_[0-9a-f]{8}$/);
  return name;
}

const exists = async (database: string): Promise<boolean> => (await query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database])).length > 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-rehearse-mysql-'));
});

afterAll(async () => {
  for (const name of kept) await query(`DROP DATABASE IF EXISTS \`${name}\``);
});

describe.skipIf(!MYSQL_URL)('understudy rehearse on MariaDB', () => {
  const urlDatabase = MYSQL_URL ? decodeURIComponent(new URL(MYSQL_URL).pathname.slice(1)) : '';

  it('clean: probes ADD COLUMN as INSTANT and ADD INDEX as INPLACE/LOCK=NONE, restores the schema, drops its database', async () => {
    const [json, xml, md] = ['clean.json', 'clean.xml', 'clean.md'].map((f) => join(work, f));
    const result = await runCli(['rehearse', `${FIXTURES}/clean`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '200', '--seed', '7', '--json', json!, '--junit', xml!, '--markdown', md!]);
    expect(result.stderr).toBe(`wrote ${json}\nwrote ${xml}\nwrote ${md}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ALGORITHM=INSTANT LOCK=NONE, ALGORITHM=INPLACE LOCK=NONE');

    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json!, 'utf8')));
    expect(report.dialect).toBe('mysql');
    expect(report.seed).toMatchObject({ rows: 400, tables: 2 });
    const [migration] = report.migrations;
    expect(migration).toMatchObject({ id: '002', status: 'passed' });
    expect(migration!.statements.map((s) => [s.sql, s.alter, s.locks, s.rewrites])).toEqual([
      ['ALTER TABLE users ADD COLUMN last_login datetime NULL', { algorithm: 'INSTANT', lock: 'NONE' }, [], []],
      ['ALTER TABLE users ADD INDEX users_plan_idx (plan)', { algorithm: 'INPLACE', lock: 'NONE' }, [], []],
    ]);
    expect(report.schemaChanges).toEqual([
      { change: 'added', object: 'column', name: `${urlDatabase}.users.last_login` },
      { change: 'added', object: 'index', name: `${urlDatabase}.users.users_plan_idx` },
    ]);
    expect(report.down).toMatchObject({ restored: true, differences: [] });
    expect(report.hazards).toEqual([]);
    expect(await exists(databaseOf(report))).toBe(false);

    const junit = await readFile(xml!, 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(1 + 2 + 3); // the migration; its down and "schema restored"; three hazard cases
    expect(junit).not.toContain('<failure');
    expect(junit).toContain('[ALGORITHM=INSTANT LOCK=NONE]');
    const markdown = await readFile(md!, 'utf8');
    expect(markdown.split('\n')[0]).toBe('### ✅ Rehearsal passed');
    expect(markdown).toContain('| 002 add\\_last\\_login | ✅ passed |');
    expect(markdown).toContain('ALGORITHM=INSTANT, LOCK=NONE<br>ALGORITHM=INPLACE, LOCK=NONE');
  });

  it('rewrite: a column type change is probed as COPY with LOCK=SHARED and reported as a table rewrite; values survive', async () => {
    const json = join(work, 'rewrite.json');
    const result = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '200', '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`rewrites ${urlDatabase}.orders, ALGORITHM=COPY LOCK=SHARED`);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations[0]!.statements.map((s) => [s.alter, s.rewrites])).toEqual([[{ algorithm: 'COPY', lock: 'SHARED' }, [{ relation: `${urlDatabase}.orders`, kind: 'table' }]]]);
    expect(report.schemaChanges).toEqual([{ change: 'changed', object: 'column', name: `${urlDatabase}.orders.id`, detail: 'type int(11) → bigint(20)' }]);
    expect(report.dataChanges).toEqual([]); // int → bigint keeps every value: the snapshots hash them alike
    expect(report.down?.restored).toBe(true);
    expect(await exists(databaseOf(report))).toBe(false);
  });

  it('rewrite: ALGORITHM=COPY LOCK=SHARED on a table above --lock-threshold-rows is a long-lock hazard', async () => {
    const result = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '200', '--no-down', '--lock-threshold-rows', '100']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `long-lock +002_orders_id_bigint\\.up\\.sql:\\d+ runs ALGORITHM=COPY LOCK=SHARED on ${urlDatabase}\\.orders \\(200 rows, more than 100\\), rewritten by .*: every write to it waits until the ALTER ends`,
      ),
    );
  });

  it('written-clause: an ALTER naming its own ALGORITHM=COPY, LOCK=SHARED is judged as the probe would judge it; one naming INPLACE, LOCK=NONE is not a hazard', async () => {
    const result = await runCli(['rehearse', `${FIXTURES}/written-clause`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '200', '--no-down', '--lock-threshold-rows', '100']);
    expect(result.code, result.stderr).toBe(1);
    const hazards = result.stdout.split('\n').filter((l) => /^\s*long-lock/.test(l));
    expect(hazards).toEqual([
      expect.stringMatching(
        new RegExp(`002_written_clauses\\.up\\.sql:3 runs ALGORITHM=COPY LOCK=SHARED on ${urlDatabase}\\.orders \\(200 rows, more than 100\\).*: every write to it waits until the ALTER ends`),
      ),
    ]);
  });

  it('rewrite --target-rows: estimates the COPY at production size on a second throwaway database, and its lock time makes the hazard', async () => {
    const json = join(work, 'rewrite-estimate.json');
    const result = await runCli([
      'rehearse',
      `${FIXTURES}/rewrite`,
      '--url',
      MYSQL_URL!,
      '--dialect',
      'mysql',
      '--rows',
      '2000',
      '--estimate-rows',
      '20000',
      '--no-down',
      '--target-rows',
      'orders=50000000',
      '--lock-threshold-ms',
      '1',
      '--json',
      json,
    ]);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.estimates).toHaveLength(1);
    const [estimate] = report.estimates;
    expect(estimate).toMatchObject({ table: `${urlDatabase}.orders`, targetRows: 50_000_000, lockMode: 'ALGORITHM=COPY LOCK=SHARED' });
    expect(estimate!.lockMs).toBe(estimate!.estimatedMs);
    // Sizes whose step is well above the timer's noise (at 200 and 800 rows it is noise-bound, and not extrapolated).
    expect(estimate!.basis).toMatch(new RegExp(` 2,000 and 20,000 rows of ${urlDatabase}\\.orders.*target 50,000,000 rows from --target-rows$`));
    expect(report.hazards.map((h) => h.message)).toEqual([
      expect.stringMatching(new RegExp(`runs ALGORITHM=COPY LOCK=SHARED on ${urlDatabase}\\.orders, held an estimated .* at 50,000,000 rows \\(more than 1 ms\\)`)),
    ]);
    expect(await exists(databaseOf(report))).toBe(false);
  });

  it("baseline-rows: rows the baseline inserted are kept and used as parents (read from the rehearsal database, not the URL's)", async () => {
    const json = join(work, 'baseline-rows.json');
    const result = await runCli(['rehearse', `${FIXTURES}/baseline-rows`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '50', '--keep', '--json', json]);
    expect(result.stderr, result.stdout).toContain(`wrote ${json}`);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const database = databaseOf(report);
    kept.push(database);
    expect(result.code, result.stderr).toBe(0);
    // The two plans are still exactly the baseline's, and every seeded user points at one of them.
    expect(await query(`SELECT id, name FROM \`${database}\`.plans ORDER BY id`)).toEqual([
      { id: 1, name: 'free' },
      { id: 2, name: 'pro' },
    ]);
    const [users] = await query(`SELECT COUNT(*) AS n, SUM(plan_id NOT IN (1, 2)) AS orphans FROM \`${database}\`.users`);
    expect(Number(users!['n'])).toBe(50);
    expect(Number(users!['orphans'])).toBe(0);
  });

  it('routines: V-prefixed files (authelia) with a stored procedure written without DELIMITER run, and its work shows', async () => {
    const json = join(work, 'routines.json');
    const result = await runCli(['rehearse', `${FIXTURES}/routines`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '50', '--pending', '1', '--json', json]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => m.id)).toEqual(['0002']);
    // Four statements: the DROP PROCEDURE, the whole CREATE PROCEDURE, the CALL, the last DROP.
    expect(report.migrations[0]!.statements.length).toBe(4);
    expect(report.schemaChanges).toContainEqual(expect.objectContaining({ change: 'removed', object: 'index', name: expect.stringMatching(/\.users\.users_email_idx$/) }));
    expect(await exists(databaseOf(report))).toBe(false);
  });

  it('rename-update: a column renamed by CHANGE COLUMN and then updated (roundcube) is not lost; a column dropped and added again under its name is', async () => {
    const json = join(work, 'rename-update.json');
    const result = await runCli(['rehearse', `${FIXTURES}/rename-update`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '200', '--no-down', '--json', json]);
    expect(result.code, result.stderr + result.stdout).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['002', 'passed']]);
    const lost = report.hazards.filter((h) => h.kind === 'data-lost').map((h) => h.message);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatch(/\.session\.ip\b/);
    expect(report.hazards.map((h) => h.message).join('\n')).not.toMatch(/changed|expires_at/);
  });

  it('not-null: exits 1 and reports exactly the rows whose nickname IS NULL', async () => {
    const json = join(work, 'not-null.json');
    const xml = join(work, 'not-null.xml');
    const result = await runCli(['rehearse', `${FIXTURES}/not-null`, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '300', '--keep', '--json', json, '--junit', xml]);
    expect(result.stderr, result.stdout).toContain(`wrote ${json}`);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const database = databaseOf(report);
    kept.push(database);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`rows of ${urlDatabase}.users where nickname IS NULL`);

    const [migration] = report.migrations;
    expect(migration).toMatchObject({ id: '002', status: 'failed' });
    const failure = migration!.failure!;
    expect(failure).toMatchObject({ file: '002_require_nickname.up.sql', line: 2, sql: 'ALTER TABLE users MODIFY nickname varchar(40) NOT NULL' });
    expect(failure.error).toMatch(/Data truncated for column 'nickname'|Invalid use of NULL value/);
    const offending = failure.offendingRows!;
    expect(offending.description).toBe(`rows of ${urlDatabase}.users where nickname IS NULL`);
    expect(offending.query).toBe('SELECT `id`, `nickname` FROM `users` WHERE `nickname` IS NULL');
    expect(report.hazards.map((h) => h.kind)).toEqual(['failed']);

    // Counted again, independently, on the kept database: the same NULL rows, the first ones shown.
    const nulls = await query(`SELECT id FROM \`${database}\`.users WHERE nickname IS NULL ORDER BY id`);
    expect(nulls.length).toBeGreaterThan(0);
    expect(offending.total).toBe(nulls.length);
    expect(offending.rows).toHaveLength(Math.min(10, nulls.length));
    for (const row of offending.rows) expect(row['nickname']).toBeNull();
    const ids = new Set(nulls.map((r) => String(r['id'])));
    for (const row of offending.rows) expect(ids.has(row['id']!)).toBe(true);

    const junit = await readFile(xml, 'utf8');
    expect(junit.match(/<failure /g)).toHaveLength(1);
    expect(junit).toContain(`Offending rows: rows of ${urlDatabase}.users where nickname IS NULL (${nulls.length} in all`);
  });
});
