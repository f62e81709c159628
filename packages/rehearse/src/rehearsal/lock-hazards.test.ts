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

function estimate(s: StatementReport, ms: number): EstimateReport {
  return { migration: '002 change', file: s.file, line: s.line, sql: s.sql, table: 'public.orders', targetRows: 1_000_000, estimatedMs: ms, basis: 'linear fit' };
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
    for (const [mode, name] of [['ShareRowExclusiveLock', 'SHARE ROW EXCLUSIVE'], ['ExclusiveLock', 'EXCLUSIVE'], ['AccessExclusiveLock', 'ACCESS EXCLUSIVE']] as const) {
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
      "002_change.up.sql:2 runs while the ACCESS EXCLUSIVE lock 002_change.up.sql:1 took on public.orders is still held: an estimated 12.0 s at 1,000,000 rows of lock time (more than 1.0 s): every read and write of it waits until the migration commits; run it in a transaction of its own",
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
    expect(messages).toEqual(['002_change.up.sql:1 takes SHARE on public.orders, held an estimated 1.4 s at 1,000,000 rows by it and 1 later statement of its transaction (more than 1.0 s): every write to it waits until the migration commits (reads go on)']);
  });

  it('without estimates, a long measured hold and the row threshold still decide', () => {
    const s = statement(1, 'CREATE INDEX a ON orders (a)', [['public.orders', 'ShareLock']], { durationMs: 3 });
    expect(lockHazards(migration([s]), options([], { estimates: undefined, tableRows: { 'public.orders': 20_000 } })).map((h) => h.message)).toEqual([
      '002_change.up.sql:1 takes SHARE on public.orders (20000 rows, more than 10000): every write to it waits until the migration commits (reads go on)',
    ]);
    expect(lockHazards(migration([s]), options([], { estimates: undefined }))).toEqual([]);
  });
});
