/**
 * `understudy rehearse` through the built CLI, as a user runs it: a failing
 * migration exits 1 and names the offending rows; a clean set exits 0 and writes
 * a valid --json report; user checks from --config; usage and connection errors;
 * and, with UNDERSTUDY_TEST_PG_URL, a rehearsal on a server that leaves no
 * database behind.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel } from '@understudy/rehearse';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the rehearse --url test');

const FIXTURES = 'fixtures/migrations/rehearse';
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-rehearse-'));
});

describe('understudy rehearse', () => {
  it('not-null: exits 1 and prints the rows where the column IS NULL', async () => {
    const result = await runCli(['rehearse', `${FIXTURES}/not-null`, '--rows', '300']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ 002 require_nickname');
    expect(result.stdout).toMatch(/rows of public\.users where nickname IS NULL: \d+ rows/);
    expect(result.stdout).toMatch(/id=\d+ {2}nickname=NULL/);
    expect(result.stdout).toContain('found with: select "id"::text as "id", "nickname"::text as "nickname" from "public"."users" where "nickname" is null');
    expect(result.stdout).toMatch(/FAILED: 1 hazard/);
    expect(result.stderr).toContain('understudy: rehearsal found 1 hazard');
  });

  it('clean: exits 0 and writes a report that validates', async () => {
    const file = join(work, 'clean.json');
    const result = await runCli(['rehearse', `${FIXTURES}/clean`, '--rows', '200', '--seed', '3', '--json', file]);
    expect(result.stderr).toBe(`wrote ${file}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ 002 add_last_login {2}\d+ ms, 2 statements, no rewrite, AccessExclusiveLock on public\.users/);
    expect(result.stdout).toContain('added   column public.users.last_login');
    expect(result.stdout).toContain('Down check: the downs restore the schema');
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(report.environment).toBe('PGlite (in memory)');
    expect(report.seed).toMatchObject({ rows: 400, tables: 2 });
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['002', 'passed']]);
    expect(report.hazards).toEqual([]);
  });

  it('runs the checks from --config and fails on one whose result changes unexpectedly', async () => {
    const config = join(work, 'understudy.config.json');
    await writeFile(
      config,
      JSON.stringify({
        seed: 5,
        rehearse: {
          checks: [
            { name: 'order count', query: 'select count(*)::int as n from orders' },
            { name: 'user columns', query: "select column_name from information_schema.columns where table_name = 'users' order by 1" },
          ],
        },
      }),
    );
    const result = await runCli(['rehearse', `${FIXTURES}/clean`, '--rows', '100', '--config', config, '--no-down']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✓ order count: unchanged');
    expect(result.stdout).toContain('✗ user columns: changed');
    expect(result.stdout).toContain('check-failed  check "user columns" failed: its result changed');
    expect(result.stdout).toContain('Down check: not run');
  });

  it('rewrite: reports the rewrite and a long lock above --lock-threshold-rows', async () => {
    const result = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--rows', '300', '--lock-threshold-rows', '100']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✓ 002 orders_id_bigint .*rewrites public\.orders, public\.orders_pkey, AccessExclusiveLock on public\.orders/);
    expect(result.stdout).toMatch(/long-lock +002_orders_id_bigint\.up\.sql:2 takes ACCESS EXCLUSIVE on public\.orders \(300 rows, more than 100\)/);
  });

  it('usage and connection errors exit 2 and 3 and say what to do', async () => {
    const rows = await runCli(['rehearse', `${FIXTURES}/clean`, '--rows', 'many']);
    expect(rows.code).toBe(2);
    expect(rows.stderr).toContain('--rows must be a non-negative integer, got "many"');
    const missing = await runCli(['rehearse', `${FIXTURES}/no-such-folder`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no-such-folder');
    const command = await runCli(['rehearse', '.', '--command', 'npm run migrate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('--command needs --url');
    const mysql = await runCli(['rehearse', 'fixtures/migrations/mysql-plain']);
    expect(mysql.code).toBe(2);
    expect(mysql.stderr).toContain('holds mysql migrations, but the rehearsal database is postgres (the embedded PGlite)');
    expect(mysql.stderr).toContain('--url mysql://');
    const unreachable = await runCli(['rehearse', `${FIXTURES}/clean`, '--url', 'postgres://postgres@127.0.0.1:1/postgres']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('127.0.0.1:1');
    expect(unreachable.stderr).not.toContain('    at ');
  });

  it.skipIf(!PG_URL)('--url: rehearses in a throwaway database on the server and drops it', async () => {
    const file = join(work, 'server.json');
    const result = await runCli(['rehearse', `${FIXTURES}/cast`, '--url', PG_URL!, '--rows', '300', '--json', file]);
    expect(result.code).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(report.environment).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:5432\/understudy_rehearse_[0-9a-f]{12}$/);
    const failure = report.migrations[0]!.failure!;
    expect(failure.offendingRows!.total).toBeGreaterThan(0);
    for (const row of failure.offendingRows!.rows) expect(row['zip_code']).toMatch(/^\d{5}-\d{4}$/);
    const name = report.environment.slice(report.environment.lastIndexOf('/') + 1);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const { rows } = await client.query('select count(*)::int as n from pg_database where datname = $1', [name]);
      expect(rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });
});
