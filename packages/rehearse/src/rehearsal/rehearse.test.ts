/**
 * The rehearsal engine end to end on PGlite (always) and on a PostgreSQL server
 * (UNDERSTUDY_TEST_PG_URL), over the fixture sets in fixtures/migrations/rehearse:
 * each set's outcome, the offending rows (cross-checked by running the reported
 * query on an independently seeded copy of the baseline: the data is deterministic),
 * the schema and data diffs, the down check, locks, rewrites and hazards.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RehearsalTarget } from '@understudy/core';
import { buildPlan, seed } from '@understudy/generate';
import { postgresDialect, postgresLock } from '@understudy/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, tempFolder } from '../test-folders.js';
import { isMigrationScript } from '../migration-model.js';
import { readMigrations } from '../read-migrations.js';
import { RehearsalReportModel, rehearsalExitCode, type RehearsalReport } from '../report/rehearsal-report.js';
import { rehearse, type RehearseOptions } from './rehearse.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL server rehearsals (PGlite still runs)');

const SEED = 7;
const ROWS = 600;
const environments: Array<{ name: string; url?: string }> = [{ name: 'pglite' }, ...(PG_URL ? [{ name: 'postgres 15', url: PG_URL }] : [])];

/** Rehearses a fixture set on `target` (one per environment, shared by the tests: each rehearsal resets it first). */
async function run(fixture: string, target: RehearsalTarget, extra: Partial<RehearseOptions> = {}): Promise<RehearsalReport> {
  const set = await readMigrations(join(FIXTURES, 'rehearse', fixture));
  const report = await rehearse({ set, dialect: postgresDialect, seed: SEED, rows: ROWS, target, ...extra });
  // What the CLI writes with --json must validate.
  expect(RehearsalReportModel.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  return report;
}

function failureOf(report: RehearsalReport) {
  const failed = report.migrations.find((m) => m.status === 'failed');
  expect(failed, 'a migration should have failed').toBeDefined();
  return failed!.failure!;
}

describe.each(environments)('rehearse on $name', ({ url }) => {
  /** The baseline with the same seeded data as every rehearsal here: the reported queries are run on it. */
  let copy: RehearsalTarget;
  /** Where the rehearsals run. */
  let target: RehearsalTarget;

  beforeAll(async () => {
    target = await postgresDialect.openRehearsalTarget!(url ? { url } : {});
    copy = await postgresDialect.openRehearsalTarget!(url ? { url } : {});
    const set = await readMigrations(join(FIXTURES, 'rehearse', 'clean'));
    const baseline = set.migrations[0]!.up;
    if (!isMigrationScript(baseline)) throw new Error('baseline should be SQL');
    for (const statement of baseline.statements) await copy.execute(statement.text);
    const schema = await copy.introspect();
    await seed({ plan: buildPlan(schema, { seed: SEED, rows: ROWS }), sink: await copy.openSink(schema), workers: 0 });
  });
  afterAll(async () => {
    await copy?.close();
    await target?.close();
  });

  async function countOf(query: string): Promise<number> {
    const rows = await copy.query!(`select count(*)::int as n from (${query}) q`);
    return Number(rows[0]!['n']);
  }

  it('clean: passes, reports the new column and index, and the down restores the schema', async () => {
    const report = await run('clean', target, {
      checks: [
        { name: 'users are kept', query: 'select count(*)::int as n from users', expectChange: false },
        { name: 'users gains a column', query: "select count(*)::int as n from information_schema.columns where table_name = 'users'", expectChange: true },
      ],
    });
    expect(report.migrations.map((m) => m.status)).toEqual(['passed']);
    expect(report.seed.rows).toBe(2 * ROWS);
    expect(report.schemaChanges).toEqual(
      expect.arrayContaining([
        { change: 'added', object: 'column', name: 'public.users.last_login' },
        { change: 'added', object: 'index', name: 'public.users.users_plan_idx' },
      ]),
    );
    expect(report.dataChanges).toEqual([]);
    expect(report.down).toMatchObject({ restored: true, differences: [], steps: [{ id: '002', status: 'passed' }] });
    expect(report.checks.map((c) => [c.name, c.status, c.changed])).toEqual([
      ['users are kept', 'passed', false],
      ['users gains a column', 'passed', true],
    ]);
    expect(report.checks[0]!.before).toEqual([{ n: ROWS }]);
    expect(report.hazards).toEqual([]);
    expect(rehearsalExitCode(report)).toBe(0);
  });

  it('not-null: fails and names the rows where the column IS NULL', async () => {
    const report = await run('not-null', target);
    const failure = failureOf(report);
    expect(failure).toMatchObject({ file: '002_require_nickname.up.sql', line: 1 });
    expect(failure.error).toMatch(/nickname.*null/i);
    const rows = failure.offendingRows!;
    expect(rows.description).toContain('nickname IS NULL');
    expect(rows.total).toBe(await countOf('select * from users where nickname is null'));
    expect(rows.total).toBeGreaterThan(0);
    expect(rows.rows).toHaveLength(Math.min(10, rows.total));
    for (const row of rows.rows) expect(row).toMatchObject({ id: expect.stringMatching(/^\d+$/), nickname: null });
    expect(await countOf(rows.query)).toBe(rows.total);
    expect(report.hazards.map((h) => h.kind)).toEqual(['failed']);
    expect(report.down).toBeUndefined();
    expect(rehearsalExitCode(report)).toBe(1);
  });

  it('unique: fails with the duplicate groups and their counts', async () => {
    const report = await run('unique', target);
    const rows = failureOf(report).offendingRows!;
    expect(rows.total).toBe(3);
    expect(rows.rows.map((r) => r['plan']).sort()).toEqual(['free', 'pro', 'team']);
    // Every user is in one of the groups.
    expect(rows.rows.reduce((n, r) => n + Number(r['count']), 0)).toBe(ROWS);
    expect(report.migrations[0]!.hazards[0]).toMatch(/could not create unique index/);
  });

  it('cast: fails with the values that are not integers', async () => {
    const report = await run('cast', target);
    const failure = failureOf(report);
    expect(failure.error).toMatch(/invalid input syntax for type integer/);
    const rows = failure.offendingRows!;
    expect(rows.total).toBe(await countOf("select * from users where zip_code !~ '^[0-9]+$'"));
    expect(rows.total).toBeGreaterThan(0);
    for (const row of rows.rows) expect(row['zip_code']).not.toMatch(/^\d+$/);
  });

  it('check: fails with the rows that violate the new CHECK', async () => {
    const report = await run('check', target);
    const rows = failureOf(report).offendingRows!;
    expect(rows.description).toContain('total < 1000');
    expect(rows.total).toBe(await countOf('select * from orders where total >= 1000'));
    expect(rows.total).toBeGreaterThan(0);
    for (const row of rows.rows) expect(Number(row['total'])).toBeGreaterThanOrEqual(1000);
  });

  it('data-loss: a dropped column and a narrowing cast are data-lost hazards', async () => {
    const report = await run('data-loss', target);
    expect(report.migrations[0]!.status).toBe('passed');
    const users = report.dataChanges.find((t) => t.table === 'public.users')!;
    const nickname = users.columns.find((c) => c.column === 'nickname')!;
    const nonNull = ROWS - (await countOf('select * from users where nickname is null'));
    expect(nickname).toMatchObject({ dropped: true });
    expect(ROWS - nickname.nullsBefore).toBe(nonNull);
    const note = report.dataChanges.find((t) => t.table === 'public.orders')!.columns.find((c) => c.column === 'note')!;
    expect(note.truncated).toBe(true);
    expect(note.changedRows).toBe(await countOf('select * from orders where length(note) > 10'));
    expect(report.schemaChanges).toEqual(
      expect.arrayContaining([
        { change: 'removed', object: 'column', name: 'public.users.nickname' },
        { change: 'changed', object: 'column', name: 'public.orders.note', detail: 'type character varying(100) → character varying(10)' },
      ]),
    );
    const lost = report.hazards.filter((h) => h.kind === 'data-lost').map((h) => h.message);
    expect(lost).toEqual(expect.arrayContaining([expect.stringContaining(`public.users.nickname was dropped with ${nonNull} non-NULL values`), expect.stringContaining('public.orders.note')]));
    // The down brings the columns back (not their data): the schema is restored.
    expect(report.down?.restored).toBe(true);
  });

  it('data-loss: a check that expects the change acknowledges the loss in the table it names', async () => {
    const report = await run('data-loss', target, {
      checks: [{ name: 'nickname goes', query: "select column_name from information_schema.columns where table_name = 'users' order by 1", expectChange: true }],
    });
    const lost = report.hazards.filter((h) => h.kind === 'data-lost').map((h) => h.message);
    expect(lost.some((m) => m.includes('public.users'))).toBe(false);
    expect(lost.some((m) => m.includes('public.orders.note'))).toBe(true);
  });

  it('bad-down: the down does not restore the schema, naming what still differs', async () => {
    const report = await run('bad-down', target);
    expect(report.migrations[0]!.status).toBe('passed');
    expect(report.down?.restored).toBe(false);
    expect(report.down?.differences).toEqual(
      expect.arrayContaining([
        { change: 'changed', object: 'column', name: 'public.orders.status', detail: "default none → 'new'::text" },
        { change: 'added', object: 'index', name: 'public.orders.orders_status_idx' },
      ]),
    );
    expect(report.down?.differences.some((d) => d.name.includes('referral_code'))).toBe(false);
    expect(report.hazards.map((h) => h.kind)).toEqual(['down-mismatch']);
  });

  it('rewrite: a type change rewrites the table and its index under AccessExclusiveLock', async () => {
    const quiet = await run('rewrite', target);
    const statement = quiet.migrations[0]!.statements[0]!;
    expect(statement.rewrites).toEqual([
      { relation: 'public.orders', kind: 'table' },
      { relation: 'public.orders_pkey', kind: 'index' },
    ]);
    expect(statement.locks).toEqual(expect.arrayContaining([postgresLock('public.orders', 'AccessExclusiveLock')]));
    expect(statement.durationMs).toBeGreaterThan(0);
    // 600 rows are under the default threshold: no hazard; above a lower threshold it is a long lock.
    expect(quiet.hazards).toEqual([]);
    const strict = await run('rewrite', target, { lockThresholdRows: ROWS - 1, down: false });
    expect(strict.hazards).toHaveLength(1);
    expect(strict.hazards[0]).toMatchObject({ kind: 'long-lock', migration: '002' });
    expect(strict.hazards[0]!.message).toContain('public.orders');
    expect(strict.down).toBeUndefined();
  });

  it('rewrite with an estimate: reruns on the reset target at a bigger size and extrapolates per table', async () => {
    const report = await run('rewrite', target, { down: false, estimate: { targetRows: { orders: 3_000_000 }, source: '--target-rows', rows: 100 * ROWS } });
    // users has no target rows; the ALTER on orders is the only statement.
    expect(report.estimates).toEqual([expect.objectContaining({ migration: '002 orders_id_bigint', table: 'public.orders', targetRows: 3_000_000, lockMode: 'AccessExclusiveLock' })]);
    // A rewrite reads every row: 100 × the rows is measurably slower (10 × was within the timer's noise
    // on a loaded machine), and 3,000,000 rows far more.
    expect(report.estimates[0]!.basis).toMatch(/^linear fit over 600 and 60,000 rows of public\.orders \(.*\); target 3,000,000 rows from --target-rows$/);
    expect(report.estimates[0]!.estimatedMs).toBeGreaterThan(10 * report.migrations[0]!.statements[0]!.durationMs);
    // The report (diffs, seed) is the first run's, at ROWS.
    expect(report.seed.rows).toBe(2 * ROWS);
    // The shared target was reset and used again: a later rehearsal on it still works (the next tests).
  });
});

describe('rehearse: usage errors', () => {
  it('a failing baseline is an error naming file:line, not a rehearsal result', async () => {
    const set = await readMigrations(join(FIXTURES, 'rehearse', 'clean'));
    const broken = {
      ...set,
      migrations: set.migrations.map((m, i) =>
        i === 0 && isMigrationScript(m.up) ? { ...m, up: { ...m.up, statements: [...m.up.statements, { ...m.up.statements[0]!, text: 'ALTER TABLE nope ADD COLUMN x int', line: 42 }] } } : m,
      ),
    };
    await expect(rehearse({ set: broken, dialect: postgresDialect, rows: 10 })).rejects.toThrow(
      /001_create_users_and_orders\.up\.sql:42: baseline migration 001_create_users_and_orders failed: relation "nope" does not exist/,
    );
  });
});

describe('rehearse on PGlite: extensions and new relations', () => {
  it('loads the contrib extensions the migrations create, and reports locks only on tables that existed before', async () => {
    const dir = await tempFolder('understudy-rehearse-ext-');
    await writeFile(join(dir, '001_init.up.sql'), 'CREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE member (id serial PRIMARY KEY, email citext NOT NULL UNIQUE, handle text);\n');
    await writeFile(join(dir, '002_handle.up.sql'), 'CREATE TABLE badge (id int PRIMARY KEY);\nCREATE INDEX member_handle_idx ON member (handle);\n');
    const report = await rehearse({ set: await readMigrations(dir), dialect: postgresDialect, rows: 50, down: false });
    expect(report.seed.rows).toBe(50);
    const [createTable, createIndex] = report.migrations[0]!.statements;
    // The new table is invisible to other sessions until COMMIT: its locks block nobody.
    expect(createTable!.locks).toEqual([]);
    expect(createIndex!.locks).toEqual([postgresLock('public.member', 'ShareLock')]);
    expect(report.hazards).toEqual([]);
  });
});
