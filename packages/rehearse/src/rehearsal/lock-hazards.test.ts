/**
 * The long-lock rule on fabricated traces and estimates: what a lock blocks (SHARE and up
 * block writes, ACCESS EXCLUSIVE reads too) × how long it is held, statements outside a
 * transaction with their documented lock, and DML run while an earlier statement's lock is held.
 */
import { postgresLock, postgresLockModes } from '@understudy/postgres';
import { describe, expect, it } from 'vitest';
import type { EstimateReport, MigrationReport, StatementReport } from '../report/rehearsal-report.js';
import { lockHazards, type LockHazardOptions } from './lock-hazards.js';

const FILE = '002_change.up.sql';

function statement(line: number, sql: string, locks: Array<[string, string]>, extra: Partial<StatementReport> = {}): StatementReport {
  return { file: FILE, line, sql, durationMs: 2, rowsAffected: null, locks: locks.map(([relation, mode]) => postgresLock(relation, mode)), rewrites: [], ...extra };
}

function estimate(s: StatementReport, ms: number, rowsRead?: Record<string, number>): EstimateReport {
  return { migration: '002 change', file: s.file, line: s.line, sql: s.sql, table: 'public.orders', targetRows: 1_000_000, estimatedMs: ms, ...(rowsRead ? { rowsRead } : {}), basis: 'linear fit' };
}

function migration(statements: StatementReport[]): MigrationReport {
  return { id: '002', name: 'change', status: 'passed', durationMs: 10, statements, hazards: [] };
}

const options = (estimates: EstimateReport[], extra: Partial<LockHazardOptions> = {}): LockHazardOptions => ({
  tableRows: { 'public.orders': 1000 },
  lockThresholdRows: 10_000,
  lockThresholdMs: 1000,
  lockModes: postgresLockModes,
  estimates,
  ...extra,
});

describe('long-lock: what is blocked × for how long', () => {
  it('a plain CREATE INDEX (SHARE) estimated at 48 s blocks writes, not reads', () => {
    const s = statement(1, 'CREATE INDEX orders_total ON orders (total)', [['public.orders', 'ShareLock']]);
    expect(lockHazards(migration([s]), options([estimate(s, 48_000)])).map((h) => h.message)).toEqual([
      '002_change.up.sql:1 takes SHARE on public.orders, held an estimated 48.0 s at 1,000,000 rows (more than 1.0 s): every write to it waits until the migration commits (reads go on)',
    ]);
  });

  it('ADD FOREIGN KEY and CREATE TRIGGER (SHARE ROW EXCLUSIVE) and EXCLUSIVE are judged as ACCESS EXCLUSIVE is', () => {
    for (const [mode, name] of [
      ['ShareRowExclusiveLock', 'SHARE ROW EXCLUSIVE'],
      ['ExclusiveLock', 'EXCLUSIVE'],
      ['AccessExclusiveLock', 'ACCESS EXCLUSIVE'],
    ] as const) {
      const s = statement(1, 'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id)', [['public.orders', mode]]);
      const [hazard] = lockHazards(migration([s]), options([estimate(s, 5000)]));
      expect(hazard?.message).toContain(`takes ${name} on public.orders, held an estimated 5.0 s`);
      expect(hazard?.message).toContain(mode === 'AccessExclusiveLock' ? 'every read and write of it waits' : 'every write to it waits');
      expect(lockHazards(migration([s]), options([estimate(s, 400)]))).toEqual([]);
    }
  });

  it('SHARE UPDATE EXCLUSIVE (CREATE INDEX CONCURRENTLY, VALIDATE CONSTRAINT) blocks no write: never a hazard, however long', () => {
    const s = statement(1, 'CREATE INDEX CONCURRENTLY orders_total ON orders (total)', [['public.orders', 'ShareUpdateExclusiveLock']]);
    expect(lockHazards(migration([s]), options([estimate(s, 600_000)]))).toEqual([]);
  });

  it('VACUUM FULL, outside any transaction, holds its ACCESS EXCLUSIVE until it ends', () => {
    const s = statement(1, 'VACUUM FULL orders', [['public.orders', 'AccessExclusiveLock']]);
    expect(lockHazards(migration([s]), options([estimate(s, 90_000)])).map((h) => h.message)).toEqual([
      '002_change.up.sql:1 takes ACCESS EXCLUSIVE on public.orders, held an estimated 1 min 30 s at 1,000,000 rows (more than 1.0 s): every read and write of it waits until it ends',
    ]);
  });

  it('a metadata-only ACCESS EXCLUSIVE statement estimated short is no hazard, even on a table above the row threshold', () => {
    const s = statement(1, 'ALTER TABLE orders ADD COLUMN note text', [['public.orders', 'AccessExclusiveLock']]);
    expect(lockHazards(migration([s]), options([estimate(s, 2)], { tableRows: { 'public.orders': 50_000 } }))).toEqual([]);
  });
});

describe('long-lock: statements run while an earlier statement holds a blocking lock', () => {
  it('a long UPDATE after ADD COLUMN in the same transaction: its time is lock time, a hazard of its own', () => {
    const add = statement(1, 'ALTER TABLE orders ADD COLUMN status text', [['public.orders', 'AccessExclusiveLock']]);
    const update = statement(2, "UPDATE orders SET status = 'new'", [['public.orders', 'AccessExclusiveLock']]);
    expect(lockHazards(migration([add, update]), options([estimate(add, 1), estimate(update, 12_000)])).map((h) => h.message)).toEqual([
      '002_change.up.sql:2 runs while the ACCESS EXCLUSIVE lock 002_change.up.sql:1 took on public.orders is still held: an estimated 12.0 s at 1,000,000 rows of lock time (more than 1.0 s): every read and write of it waits until the migration commits; run it in a transaction of its own',
    ]);
  });

  it('the same UPDATE in a transaction of its own (the lock released before it) is no lock hazard', () => {
    const add = statement(1, 'ALTER TABLE orders ADD COLUMN status text', [['public.orders', 'AccessExclusiveLock']]);
    const update = statement(2, "UPDATE orders SET status = 'new'", [['public.orders', 'RowExclusiveLock']]);
    expect(lockHazards(migration([add, update]), options([estimate(add, 1), estimate(update, 12_000)]))).toEqual([]);
  });

  it('short statements that add up under one lock: the lock taker is the hazard, with how many statements held it', () => {
    const index = statement(1, 'CREATE INDEX a ON orders (a)', [['public.orders', 'ShareLock']]);
    const other = statement(2, 'CREATE INDEX b ON orders (b)', [['public.orders', 'ShareLock']]);
    const messages = lockHazards(migration([index, other]), options([estimate(index, 700), estimate(other, 700)])).map((h) => h.message);
    expect(messages).toEqual([
      '002_change.up.sql:1 takes SHARE on public.orders, held an estimated 1.4 s at 1,000,000 rows by it and 1 later statement of its transaction (more than 1.0 s): every write to it waits until the migration commits (reads go on)',
    ]);
  });

  it('without estimates, a long measured hold and the row threshold still decide', () => {
    const s = statement(1, 'CREATE INDEX a ON orders (a)', [['public.orders', 'ShareLock']], { durationMs: 3 });
    expect(lockHazards(migration([s]), options([], { estimates: undefined, tableRows: { 'public.orders': 20_000 } })).map((h) => h.message)).toEqual([
      '002_change.up.sql:1 takes SHARE on public.orders (20000 rows, more than 10000): every write to it waits until the migration commits (reads go on)',
    ]);
    expect(lockHazards(migration([s]), options([], { estimates: undefined }))).toEqual([]);
  });
});

describe('long-lock: rows read under a lock that blocks writes', () => {
  it('ADD FOREIGN KEY, ADD CHECK, SET NOT NULL, REINDEX reading 1,000,000 rows under a blocking lock: a hazard, though the warm rehearsal estimates 0.4 s', () => {
    for (const [sql, mode] of [
      ['ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id)', 'ShareRowExclusiveLock'],
      ['ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0)', 'AccessExclusiveLock'],
      ['ALTER TABLE orders ALTER COLUMN status SET NOT NULL', 'AccessExclusiveLock'],
      ['REINDEX TABLE orders', 'ShareLock'],
    ] as const) {
      const s = statement(1, sql, [['public.orders', mode]]);
      const messages = lockHazards(migration([s]), options([estimate(s, 400, { 'public.orders': 1_000_000 })])).map((h) => h.message);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('002_change.up.sql:1 takes');
      expect(messages[0]).toContain('on public.orders and reads an estimated 1,000,000 rows of it under that lock (more than 10,000)');
      expect(messages[0]).toContain("an estimated 400 ms at 1,000,000 rows on the rehearsal's warm copy being a floor");
    }
  });

  it('the same scan at a production size under the row threshold is no hazard', () => {
    const s = statement(1, 'ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0)', [['public.orders', 'AccessExclusiveLock']]);
    expect(lockHazards(migration([s]), options([estimate(s, 4, { 'public.orders': 8_000 })]))).toEqual([]);
  });

  it('a catalog-only statement (reads no rows) under ACCESS EXCLUSIVE is brief at any size', () => {
    const s = statement(1, 'ALTER TABLE orders ADD CONSTRAINT orders_total CHECK (total >= 0) NOT VALID', [['public.orders', 'AccessExclusiveLock']]);
    expect(lockHazards(migration([s]), options([estimate(s, 3, {})], { tableRows: { 'public.orders': 10_000 } }))).toEqual([]);
  });

  it('a scan under a lock another statement of the transaction took counts on that lock: the taker is the hazard, naming the reader', () => {
    const add = statement(1, 'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID', [['public.orders', 'ShareRowExclusiveLock']]);
    const validate = statement(2, 'ALTER TABLE orders VALIDATE CONSTRAINT orders_user', [['public.orders', 'ShareRowExclusiveLock']]);
    const messages = lockHazards(migration([add, validate]), options([estimate(add, 2, {}), estimate(validate, 300, { 'public.orders': 1_000_000 })])).map((h) => h.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('002_change.up.sql:1 takes SHARE ROW EXCLUSIVE on public.orders and 002_change.up.sql:2 reads an estimated 1,000,000 rows of it under that lock');
  });

  it('an UPDATE of one row by its key after ADD COLUMN is no hazard; a backfill of every row is, by its rows alone', () => {
    const add = statement(1, 'ALTER TABLE orders ADD COLUMN flagged boolean', [['public.orders', 'AccessExclusiveLock']]);
    const one = statement(2, 'UPDATE orders SET flagged = true WHERE id = 1', [['public.orders', 'AccessExclusiveLock']]);
    expect(lockHazards(migration([add, one]), options([estimate(add, 2, {}), estimate(one, 2, { 'public.orders': 2 })]))).toEqual([]);
    const all = statement(2, 'UPDATE orders SET flagged = true', [['public.orders', 'AccessExclusiveLock']]);
    const messages = lockHazards(migration([add, all]), options([estimate(add, 2, {}), estimate(all, 600, { 'public.orders': 1_000_000 })])).map((h) => h.message);
    expect(messages).toEqual([
      "002_change.up.sql:2 runs while the ACCESS EXCLUSIVE lock 002_change.up.sql:1 took on public.orders is still held: it reads or writes an estimated 1,000,000 rows of public.orders under it (more than 10,000; an estimated 600 ms at 1,000,000 rows on the rehearsal's warm copy): every read and write of it waits until the migration commits; run it in a transaction of its own",
    ]);
  });

  it("without estimates, the rows counted in the rehearsal replace the table's size: a catalog change on a big table is brief, a scan of it is not", () => {
    const rows = { tableRows: { 'public.orders': 20_000 }, estimates: undefined };
    const add = statement(1, 'ALTER TABLE orders ADD COLUMN note text', [['public.orders', 'AccessExclusiveLock']], { reads: [] });
    expect(lockHazards(migration([add]), options([], rows))).toEqual([]);
    const index = statement(1, 'CREATE INDEX a ON orders (a)', [['public.orders', 'ShareLock']], { reads: [{ relation: 'public.orders', rows: 20_000 }] });
    // A rewrite of a 1,000-row table with 12 indexes reads 13,000 rows: 1,000 of the table's, under the threshold.
    const rewrite = statement(1, 'ALTER TABLE orders ALTER COLUMN id TYPE bigint', [['public.orders', 'AccessExclusiveLock']], { reads: [{ relation: 'public.orders', rows: 13_000 }] });
    expect(lockHazards(migration([rewrite]), options([], { estimates: undefined }))).toEqual([]);
    expect(lockHazards(migration([index]), options([], rows)).map((h) => h.message)).toEqual([
      "002_change.up.sql:1 takes SHARE on public.orders and reads 20,000 rows of it under that lock (more than 10,000): it is held as long as that scan takes on production's disk and under its load, a measured 2 ms on the rehearsal's warm copy being a floor: every write to it waits until the migration commits (reads go on)",
    ]);
  });
});
