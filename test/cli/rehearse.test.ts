/**
 * `understudy rehearse` through the built CLI, as a user runs it: a failing
 * migration exits 1 and names the offending rows; a clean set exits 0 and writes
 * a valid --json report; user checks from --config; --dialect by any of its names;
 * usage and connection errors;
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

  it('rewrite: reports the rewrite and a long lock: it reads more rows than --lock-threshold-rows under ACCESS EXCLUSIVE', async () => {
    const result = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--rows', '300', '--lock-threshold-rows', '100']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✓ 002 orders_id_bigint .*rewrites public\.orders, public\.orders_pkey, AccessExclusiveLock on public\.orders/);
    // The rewrite reads each of the 300 rows at least once (the table, then its primary key's rebuild).
    const read = /long-lock +002_orders_id_bigint\.up\.sql:2 takes ACCESS EXCLUSIVE on public\.orders and reads ([\d,]+) rows of it under that lock \(more than 100\)/.exec(result.stdout);
    expect(read, result.stdout).not.toBeNull();
    expect(Number(read![1]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(300);
  });

  it('rewrite --target-rows: estimates the ALTER at production size, growing with the target rows, and says how', async () => {
    const estimate = async (target: string) => {
      const file = join(work, `estimate-${target}.json`);
      const result = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--rows', '1000', '--estimate-rows', '8000', '--target-rows', target, '--no-down', '--json', file]);
      const report = RehearsalReportModel.parse(JSON.parse(await readFile(file, 'utf8')));
      return { result, report };
    };
    const small = await estimate('100000');
    const big = await estimate('20000000');
    for (const { report } of [small, big]) {
      expect(report.estimates).toHaveLength(1);
      expect(report.estimates[0]).toMatchObject({ migration: '002 orders_id_bigint', file: '002_orders_id_bigint.up.sql', line: 2, table: 'public.orders', lockMode: 'AccessExclusiveLock' });
      // A rewrite reads every row: 8 × the rows is measurably slower.
      expect(report.estimates[0]!.basis).toMatch(/^linear fit over 1,000 and 8,000 rows of public\.orders \([\d.]+ ms, [\d.]+ ms\); target [\d,]+ rows from --target-rows$/);
      // The lock is held from the ALTER to COMMIT: the ALTER is the only statement.
      expect(report.estimates[0]!.lockMs).toBe(report.estimates[0]!.estimatedMs);
    }
    expect(small.report.estimates[0]!.targetRows).toBe(100_000);
    expect(big.report.estimates[0]!.targetRows).toBe(20_000_000);
    expect(big.report.estimates[0]!.basis).toContain('target 20,000,000 rows from --target-rows');
    // 200 × the rows: far more time, whatever the timer noise of two separate rehearsals.
    expect(big.report.estimates[0]!.estimatedMs).toBeGreaterThan(small.report.estimates[0]!.estimatedMs * 10);
    expect(big.report.estimates[0]!.estimatedMs).toBeGreaterThan(1000);
    // At 20 million rows the ACCESS EXCLUSIVE lock is held beyond the 1 s default: a long-lock hazard, though the rehearsal had 1,000 rows.
    expect(big.result.code).toBe(1);
    expect(big.result.stdout).toContain('Estimates at production size (worst first):');
    expect(big.result.stdout).toMatch(/002 orders_id_bigint {2}002_orders_id_bigint\.up\.sql:2 {2}ALTER TABLE orders ALTER COLUMN id TYPE bigint, AccessExclusiveLock held /);
    expect(big.result.stdout).toMatch(
      /long-lock +002_orders_id_bigint\.up\.sql:2 takes ACCESS EXCLUSIVE on public\.orders, held an estimated [\d.]+ (s|min [\d]+ s) at 20,000,000 rows \(more than 1\.0 s\)/,
    );
  });

  it("--profile: seeds to the profile's shape and estimates at its row counts", async () => {
    const profile = join(work, 'profile.json');
    await writeFile(
      profile,
      JSON.stringify({
        version: 1,
        dialect: 'postgres',
        takenAt: '2026-11-01T00:00:00Z',
        k: 10,
        scanned: false,
        tables: { 'public.users': { rowEstimate: 90_000, analysed: true, columns: {} }, 'public.orders': { rowEstimate: 2_400_000, analysed: true, columns: {} } },
      }),
    );
    const file = join(work, 'profile-estimate.json');
    const markdown = join(work, 'profile-estimate.md');
    const junit = join(work, 'profile-estimate.xml');
    const result = await runCli([
      'rehearse',
      `${FIXTURES}/rewrite`,
      '--profile',
      profile,
      '--rows',
      '800',
      '--lock-threshold-ms',
      '100000000',
      '--lock-threshold-rows',
      '100000000',
      '--json',
      file,
      '--markdown',
      markdown,
      '--junit',
      junit,
    ]);
    // Both thresholds out of reach (the rewrite reads all 2,400,000 rows under ACCESS EXCLUSIVE): no hazard, exit 0.
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(file, 'utf8')));
    // The biggest table gets --rows, the other in proportion: 800 orders, 90,000 / 2,400,000 × 800 = 30 users.
    expect(report.seed.rows).toBe(830);
    expect(report.estimates[0]).toMatchObject({ table: 'public.orders', targetRows: 2_400_000 });
    expect(report.estimates[0]!.basis).toMatch(/ 800 and 10,000 rows of public\.orders .*target 2,400,000 rows from .*profile\.json$/);
    expect(report.notes.join('\n')).toContain('800 rows in the biggest table, three times, the fastest kept and the spread of the two warm runs taken as noise; and 10,000');
    expect(await readFile(markdown, 'utf8')).toMatch(/<summary>Estimates at production size \(1\)<\/summary>[\s\S]*\| public\.orders \| 2,400,000 \|/);
    expect(await readFile(junit, 'utf8')).toMatch(
      /<system-out>Estimates at production size:\n002 orders_id_bigint 002_orders_id_bigint\.up\.sql:2 ~[\d.]+s on public\.orders at 2400000 rows \[AccessExclusiveLock held/,
    );
  });

  it('estimate flags: usage errors name the flag', async () => {
    const unknown = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--rows', '100', '--target-rows', 'orders=5,invoices=9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--target-rows names "invoices", not a table after the baseline migrations (tables: public.orders, public.users)');
    const bad = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--target-rows', 'orders=lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--target-rows: "orders=lots" is not table=N');
    const scale = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--scale', '0.1']);
    expect(scale.code).toBe(2);
    expect(scale.stderr).toContain('--scale multiplies the row estimates of a profile: add --profile FILE');
    const missing = await runCli(['rehearse', `${FIXTURES}/rewrite`, '--profile', join(work, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: no such file');
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

  it('--dialect takes any name of the dialect (pg, postgresql), and one with no embedded engine asks for a server', async () => {
    const file = join(work, 'dialect-pg.json');
    const pgAlias = await runCli(['rehearse', `${FIXTURES}/clean`, '--dialect', 'pg', '--rows', '50', '--json', file]);
    expect(pgAlias.stderr).toBe(`wrote ${file}\n`);
    expect(pgAlias.code).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(report.environment).toBe('PGlite (in memory)');
    expect(report.dialect).toBe('postgres');
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['002', 'passed']]);
    const postgresql = await runCli(['rehearse', `${FIXTURES}/clean`, '--dialect', 'PostgreSQL', '--rows', '20']);
    expect(postgresql.code).toBe(0);
    const mariadb = await runCli(['rehearse', 'fixtures/migrations/mysql-plain', '--dialect', 'mariadb']);
    expect(mariadb.code).toBe(2);
    expect(mariadb.stderr).toContain('--dialect mariadb: MySQL/MariaDB has no embedded engine to rehearse on');
    expect(mariadb.stderr).toContain('--url mysql://');
    const unknown = await runCli(['rehearse', `${FIXTURES}/clean`, '--dialect', 'oracle']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown --dialect "oracle"');
    expect(unknown.stderr).toContain('Use postgres (PostgreSQL; also postgresql, pg');
  });

  it.skipIf(!PG_URL)('--url: rehearses in a throwaway database on the server and drops it', async () => {
    const file = join(work, 'server.json');
    const result = await runCli(['rehearse', `${FIXTURES}/cast`, '--url', PG_URL!, '--rows', '300', '--json', file]);
    expect(result.code).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(file, 'utf8')));
    expect(report.environment).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:5432\/understudy_rehearse_\d{8}t\d{6}_[0-9a-f]{8}$/);
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
