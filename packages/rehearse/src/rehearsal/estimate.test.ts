/**
 * The pure estimation: the table a statement works on, the fit through two runs, the
 * extrapolation to production rows, the lock held and for how long, the basis text.
 */
import { describe, expect, it } from 'vitest';
import type { MigrationReport, StatementReport } from '../report/rehearsal-report.js';
import { estimateStatements, extrapolate, fasterOf, fitLinear, targetRowsFor } from './estimate.js';
import { statementTable, tableOfStatement } from './statement-table.js';
import { postgresLock } from '@understudy/postgres';

describe('statementTable', () => {
  it.each([
    ['ALTER TABLE orders ALTER COLUMN id TYPE bigint', { name: 'orders' }],
    ['alter table if exists only public.orders add column c int', { schema: 'public', name: 'orders' }],
    ['ALTER TABLE "Sales"."Orders" ADD COLUMN c int', { schema: 'Sales', name: 'Orders', quoted: true }],
    ['CREATE INDEX orders_total_idx ON orders (total)', { name: 'orders' }],
    ['create unique index concurrently if not exists ix on only public.orders using btree (a)', { schema: 'public', name: 'orders' }],
    ['CREATE INDEX ON orders (total)', { name: 'orders' }],
    ['CREATE INDEX ix USING BTREE ON `orders` (total)', { name: 'orders', quoted: true }],
    ["-- backfill\nUPDATE orders SET status = 'new' WHERE status IS NULL", { name: 'orders' }],
    ['DELETE FROM ONLY orders WHERE total < 0', { name: 'orders' }],
    ['INSERT INTO audit (id) SELECT id FROM orders', { name: 'audit' }],
    ['ALTER TABLE `test`.`users` MODIFY nickname varchar(40) NOT NULL', { schema: 'test', name: 'users', quoted: true }],
    ['TRUNCATE TABLE orders', { name: 'orders' }],
    ['VACUUM (ANALYZE) orders', { name: 'orders' }],
    ['OPTIMIZE TABLE orders', { name: 'orders' }],
  ])('%s', (sql, expected) => {
    expect(statementTable(sql)).toEqual(expected);
  });

  it.each(['CREATE TABLE orders (id int)', 'DROP INDEX orders_total_idx', 'CREATE FUNCTION f() RETURNS int AS $$ select 1 $$ LANGUAGE sql', 'VACUUM', 'ANALYZE;'])('no table: %s', (sql) => {
    expect(statementTable(sql)).toBeUndefined();
  });

  it('resolves the name to a schema key: qualified, by name, public first, quoted names case-sensitively', () => {
    const keys = ['public.orders', 'archive.orders', 'public.users', 'public.Mixed'];
    expect(tableOfStatement('UPDATE archive.orders SET a = 1', keys)).toBe('archive.orders');
    expect(tableOfStatement('UPDATE orders SET a = 1', keys)).toBe('public.orders');
    expect(tableOfStatement('UPDATE USERS SET a = 1', keys)).toBe('public.users');
    expect(tableOfStatement('UPDATE "mixed" SET a = 1', keys)).toBeUndefined();
    expect(tableOfStatement('UPDATE "Mixed" SET a = 1', keys)).toBe('public.Mixed');
    expect(tableOfStatement('UPDATE nowhere SET a = 1', keys)).toBeUndefined();
  });
});

describe('fitLinear and extrapolate', () => {
  it('fits a line through two runs and extrapolates it', () => {
    const fit = fitLinear({ rows: 1000, ms: 3 }, { rows: 4000, ms: 9 });
    expect(fit.kind).toBe('linear');
    expect(fit.slope).toBeCloseTo(0.002);
    expect(fit.intercept).toBeCloseTo(1);
    expect(extrapolate(fit, 2_000_000)).toBeCloseTo(4001);
    // Order of the samples does not matter.
    expect(fitLinear({ rows: 4000, ms: 9 }, { rows: 1000, ms: 3 })).toEqual(fit);
  });

  it('is a constant, the slower run, when the larger run is not measurably slower (timer noise, metadata-only statements)', () => {
    expect(fitLinear({ rows: 1000, ms: 5 }, { rows: 4000, ms: 4 })).toEqual({ intercept: 5, slope: 0, kind: 'constant' });
    // Under 25 % more: noise.
    expect(fitLinear({ rows: 1000, ms: 20 }, { rows: 4000, ms: 24 }).kind).toBe('constant');
    // Under 1 ms more: noise.
    expect(fitLinear({ rows: 1000, ms: 0.2 }, { rows: 4000, ms: 0.9 }).kind).toBe('constant');
    expect(fitLinear({ rows: 1000, ms: 20 }, { rows: 4000, ms: 26 }).kind).toBe('linear');
  });

  it('keeps a line whose intercept is below 0, and never extrapolates below 0 ms', () => {
    const steep = fitLinear({ rows: 1000, ms: 2 }, { rows: 4000, ms: 9 });
    expect(steep.kind).toBe('linear');
    expect(steep.intercept).toBeCloseTo(-1 / 3);
    expect(extrapolate(steep, 8000)).toBeCloseTo(18 + 1 / 3);
    expect(extrapolate(steep, 10)).toBe(0);
  });

  it('is a constant when the rows did not change', () => {
    expect(fitLinear({ rows: 500, ms: 2 }, { rows: 500, ms: 3 })).toEqual({ intercept: 3, slope: 0, kind: 'constant' });
    expect(fitLinear({ rows: 0, ms: 2 }, { rows: 0, ms: 1 })).toEqual({ intercept: 2, slope: 0, kind: 'constant' });
  });
});

function statement(line: number, sql: string, durationMs: number, extra: Partial<StatementReport> = {}): StatementReport {
  return { file: '002_change.up.sql', line, sql, durationMs, rowsAffected: null, locks: [], rewrites: [], ...extra };
}

function migration(statements: StatementReport[]): MigrationReport {
  return { id: '002', name: 'change', status: 'passed', durationMs: statements.reduce((n, s) => n + s.durationMs, 0), statements, hazards: [] };
}

const AEL = postgresLock('public.orders', 'AccessExclusiveLock');

describe('estimateStatements', () => {
  const small = migration([
    statement(1, 'ALTER TABLE orders ALTER COLUMN id TYPE bigint', 10, { locks: [AEL] }),
    statement(2, 'UPDATE orders SET total = 0', 5, { locks: [AEL] }),
    statement(3, 'CREATE TABLE audit (id int)', 1, { locks: [AEL] }),
    statement(4, 'UPDATE users SET plan = 1', 7, { locks: [AEL] }),
  ]);
  const large = migration([
    statement(1, 'ALTER TABLE orders ALTER COLUMN id TYPE bigint', 31, { locks: [AEL] }),
    statement(2, 'UPDATE orders SET total = 0', 14, { locks: [AEL] }),
    statement(3, 'CREATE TABLE audit (id int)', 2, { locks: [AEL] }),
    statement(4, 'UPDATE users SET plan = 1', 20, { locks: [AEL] }),
  ]);
  const run = (target: Record<string, number>) =>
    estimateStatements({
      small: { tableRows: { 'public.orders': 1000, 'public.users': 1000 }, migrations: [small] },
      large: { tableRows: { 'public.orders': 4000, 'public.users': 4000 }, migrations: [large] },
      targetRows: target,
      source: 'profile.json',
    });

  it("extrapolates each statement to its table's target rows and says how", () => {
    const [alter, update, create, ...rest] = run({ 'public.orders': 1_000_000 });
    expect(rest).toEqual([]); // users has no target: no estimate
    expect(alter).toMatchObject({ migration: '002 change', line: 1, table: 'public.orders', targetRows: 1_000_000, lockMode: 'AccessExclusiveLock' });
    expect(alter!.estimatedMs).toBeCloseTo(3 + 0.007 * 1_000_000);
    expect(alter!.basis).toBe('linear fit over 1,000 and 4,000 rows of public.orders (10 ms, 31 ms); target 1,000,000 rows from profile.json');
    expect(update!.estimatedMs).toBeCloseTo(2 + 0.003 * 1_000_000);
    expect(create).toMatchObject({ targetRows: 0, estimatedMs: 2 });
    expect(create!.table).toBeUndefined();
    expect(create!.basis).toMatch(/^constant: works on no table's rows/);
    // ACCESS EXCLUSIVE is held from the ALTER to COMMIT: its own time, the UPDATE's, the CREATE's and the last statement's measured time.
    expect(alter!.lockMs).toBeCloseTo(alter!.estimatedMs + update!.estimatedMs + 2 + 7);
  });

  it('grows with the target rows', () => {
    const few = run({ 'public.orders': 100_000, 'public.users': 100_000 });
    const many = run({ 'public.orders': 10_000_000, 'public.users': 10_000_000 });
    for (let i = 0; i < few.length; i++) {
      if (few[i]!.table === undefined) expect(many[i]!.estimatedMs).toBe(few[i]!.estimatedMs);
      else expect(many[i]!.estimatedMs).toBeGreaterThan(few[i]!.estimatedMs * 50);
    }
    expect(many).toHaveLength(4);
  });

  it('MySQL: the probed ALGORITHM/LOCK is the lock, held for the statement itself when it blocks', () => {
    const at = (ms: number, lock: 'NONE' | 'SHARED') => migration([statement(1, 'ALTER TABLE users MODIFY c bigint', ms, { alter: { algorithm: lock === 'NONE' ? 'INPLACE' : 'COPY', lock } })]);
    const [copy] = estimateStatements({
      small: { tableRows: { 'test.users': 100 }, migrations: [at(10, 'SHARED')] },
      large: { tableRows: { 'test.users': 400 }, migrations: [at(40, 'SHARED')] },
      targetRows: { 'test.users': 1000 },
      source: '--target-rows',
    });
    expect(copy).toMatchObject({ lockMode: 'ALGORITHM=COPY LOCK=SHARED', table: 'test.users' });
    expect(copy!.lockMs).toBeCloseTo(100);
    const [online] = estimateStatements({
      small: { tableRows: { 'test.users': 100 }, migrations: [at(10, 'NONE')] },
      large: { tableRows: { 'test.users': 400 }, migrations: [at(40, 'NONE')] },
      targetRows: { 'test.users': 1000 },
      source: '--target-rows',
    });
    expect(online!.lockMode).toBe('ALGORITHM=INPLACE LOCK=NONE');
    expect(online!.lockMs).toBeUndefined();
  });
});

describe('noise is not extrapolated', () => {
  it('a 0.1 ms → 1.8 ms step of a metadata-only ADD COLUMN is noise-bound, not 1.8 s at a million rows', () => {
    expect(fitLinear({ rows: 1000, ms: 0.1 }, { rows: 4000, ms: 1.8 })).toEqual({ intercept: 1.8, slope: 0, kind: 'constant', noise: true });
    // Larger than the 2 ms floor, but a cost per row 6 × what the small run paid for all its rows: a hiccup.
    expect(fitLinear({ rows: 1000, ms: 0.2 }, { rows: 10_000, ms: 12 }).noise).toBe(true);
    // An index build: sorting makes a row dearer at 10 × the rows, still a real growth.
    expect(fitLinear({ rows: 1000, ms: 1.4 }, { rows: 10_000, ms: 25 }).kind).toBe('linear');
    // Growth within the spread of two warm small runs.
    expect(fitLinear({ rows: 1000, ms: 10 }, { rows: 10_000, ms: 25 }, 16).noise).toBe(true);
    expect(fitLinear({ rows: 1000, ms: 10 }, { rows: 10_000, ms: 25 }, 2).kind).toBe('linear');
    // A statement that reads every row grows with them: kept.
    expect(fitLinear({ rows: 1000, ms: 4 }, { rows: 10_000, ms: 31 }).kind).toBe('linear');
  });

  it("says so in the estimate, with the small runs' spread", () => {
    const add = (ms: number) => migration([statement(1, 'ALTER TABLE orders ADD COLUMN note text', ms, { locks: [AEL] })]);
    const [estimate] = estimateStatements({
      small: { tableRows: { 'public.orders': 1000 }, migrations: [add(0.1)], runs: [[add(0.4)], [add(0.1)]] },
      large: { tableRows: { 'public.orders': 4000 }, migrations: [add(1.8)] },
      targetRows: { 'public.orders': 1_000_000 },
      source: '--target-rows',
    });
    expect(estimate).toMatchObject({ estimatedMs: 1.8, lockMs: 1.8, noiseBound: true });
    expect(estimate!.basis).toBe(
      "constant, noise-bound: the step from 0.1 ms at 1,000 rows to 1.8 ms at 4,000 rows of public.orders is within the timer's noise (two warm runs at the small size 0.3 ms apart), not extrapolated; target 1,000,000 rows from --target-rows",
    );
  });
});

describe('REINDEX INDEX', () => {
  it("is estimated on the rows of the index's table, the one its trace shows locked", () => {
    const reindex = (ms: number) => migration([statement(1, 'REINDEX INDEX orders_pkey', ms, { locks: [AEL, postgresLock('public.orders_pkey', 'AccessExclusiveLock')] })]);
    const [estimate] = estimateStatements({
      small: { tableRows: { 'public.orders': 1000 }, migrations: [reindex(4)] },
      large: { tableRows: { 'public.orders': 10_000 }, migrations: [reindex(31)] },
      targetRows: { 'public.orders': 1_000_000 },
      source: '--target-rows',
    });
    expect(estimate).toMatchObject({ table: 'public.orders', lockMode: 'AccessExclusiveLock' });
    expect(estimate!.estimatedMs).toBeCloseTo(1 + 0.003 * 1_000_000);
  });
});

describe('fasterOf', () => {
  it('keeps, per statement, the faster of two runs at the same size', () => {
    const first = migration([statement(1, 'UPDATE orders SET a = 1', 30), statement(2, 'UPDATE orders SET b = 1', 4)]);
    const again = migration([statement(1, 'UPDATE orders SET a = 1', 12), statement(2, 'UPDATE orders SET b = 1', 9)]);
    expect(fasterOf([first], [again])[0]!.statements.map((s) => s.durationMs)).toEqual([12, 4]);
  });
});

describe('targetRowsFor', () => {
  it('gives every table the one number, or resolves table=N names', () => {
    expect(targetRowsFor(5, ['public.a', 'public.b']).rows).toEqual({ 'public.a': 5, 'public.b': 5 });
    expect(targetRowsFor({ a: 7, 'public.b': 9, nope: 1 }, ['public.a', 'public.b'])).toEqual({ rows: { 'public.a': 7, 'public.b': 9 }, unknown: ['nope'] });
  });
});

describe('rows read decide what grows with the table', () => {
  const at = (ms: number, reads: Array<{ relation: string; rows: number }>, sql = 'ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID') =>
    migration([statement(1, sql, ms, { locks: [AEL], reads })]);
  const estimateOf = (small: MigrationReport, large: MigrationReport) =>
    estimateStatements({
      small: { tableRows: { 'public.orders': 1000, 'public.users': 1000 }, migrations: [small] },
      large: { tableRows: { 'public.orders': 10_000, 'public.users': 10_000 }, migrations: [large] },
      targetRows: { 'public.orders': 1_000_000, 'public.users': 1_000_000 },
      source: '--target-rows',
    })[0]!;

  it('a statement that reads no rows is a constant, however its timings grew (the 10,000,000-row false positives)', () => {
    const e = estimateOf(at(1, []), at(6, []));
    expect(e).toMatchObject({ estimatedMs: 6, rowsRead: {} });
    expect(e.noiseBound).toBeUndefined();
    expect(e.basis).toBe('constant: reads no rows of public.orders (a catalog change) at 1,000 and 10,000 rows (the slower of 1.0 ms and 6.0 ms); target 1,000,000 rows from --target-rows');
  });

  it('an UPDATE through the key reads the same rows at both sizes: a constant', () => {
    const sql = 'UPDATE orders SET flagged = true WHERE id = 1';
    const e = estimateOf(at(1, [{ relation: 'public.orders', rows: 2 }], sql), at(9, [{ relation: 'public.orders', rows: 2 }], sql));
    expect(e).toMatchObject({ estimatedMs: 9, rowsRead: { 'public.orders': 2 } });
    expect(e.basis).toMatch(/^constant: reads the same 2 rows of public.orders/);
  });

  it('a scan is extrapolated, and so are the rows it reads of each table (a foreign key reads the parent too)', () => {
    const sql = 'ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (user_id) REFERENCES users (id)';
    const reads = (n: number) => [
      { relation: 'public.orders', rows: n },
      { relation: 'public.users', rows: n },
    ];
    const e = estimateOf(at(4, reads(1000), sql), at(31, reads(10_000), sql));
    expect(e.rowsRead).toEqual({ 'public.orders': 1_000_000, 'public.users': 1_000_000 });
    // A rewrite that reads its rows three times (the table, two index rebuilds): still the table's rows.
    expect(estimateOf(at(4, reads(3000), sql), at(31, reads(30_000), sql)).rowsRead).toEqual({ 'public.orders': 1_000_000, 'public.users': 1_000_000 });
    expect(e.estimatedMs).toBeCloseTo(1 + 0.003 * 1_000_000);
    expect(e.basis).toMatch(/^linear fit over 1,000 and 10,000 rows/);
  });

  it('where rows read are not counted (MySQL, outside a transaction), the timings alone decide, as before', () => {
    const plain = (ms: number) => migration([statement(1, 'ALTER TABLE orders ADD COLUMN c int', ms, { locks: [AEL] })]);
    const e = estimateOf(plain(4), plain(31));
    expect(e.rowsRead).toBeUndefined();
    expect(e.basis).toMatch(/^linear fit/);
  });
});
