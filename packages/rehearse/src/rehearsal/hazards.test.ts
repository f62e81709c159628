/**
 * The long-lock rule on hand-built reports: MySQL/MariaDB ALTERs probed LOCK=SHARED /
 * EXCLUSIVE or ALGORITHM=COPY on a big table; and, with estimates at production size, the
 * estimated lock time against `lockThresholdMs` instead of the rehearsal's row count.
 */
import { describe, expect, it } from 'vitest';
import type { EstimateReport, MigrationReport, StatementReport } from '../report/rehearsal-report.js';
import { findHazards, type HazardInput } from './hazards.js';
import { postgresLock } from '@understudy/postgres';

function statement(line: number, sql: string, extra: Partial<StatementReport> = {}): StatementReport {
  return { file: '002_change.up.sql', line, sql, durationMs: 5, rowsAffected: null, locks: [], rewrites: [], ...extra };
}

function input(statements: StatementReport[], extra: Partial<HazardInput> = {}): HazardInput {
  const migration: MigrationReport = { id: '002', name: 'change', status: 'passed', durationMs: 10, statements, hazards: [] };
  return { migrations: [migration], pending: [], dataChanges: [], checks: [], tableRows: { 'test.users': 20_000, 'test.plans': 5 }, lockThresholdRows: 10_000, ...extra };
}

describe('long-lock on MySQL/MariaDB', () => {
  it('an ALTER probed COPY, LOCK=SHARED on a table above the threshold is a hazard; INSTANT and LOCK=NONE are not', () => {
    const hazards = findHazards(
      input([
        statement(1, 'ALTER TABLE users ADD COLUMN c int', { alter: { algorithm: 'INSTANT', lock: 'NONE' } }),
        statement(2, 'CREATE INDEX users_c ON users (c)', { alter: { algorithm: 'INPLACE', lock: 'NONE' } }),
        statement(3, 'ALTER TABLE `users` MODIFY nickname varchar(40)', { alter: { algorithm: 'COPY', lock: 'SHARED' }, rewrites: [{ relation: 'test.users', kind: 'table' }] }),
        statement(4, 'ALTER TABLE plans MODIFY name varchar(40)', { alter: { algorithm: 'COPY', lock: 'EXCLUSIVE' } }),
      ]),
    );
    expect(hazards).toEqual([
      {
        kind: 'long-lock',
        migration: '002',
        message: '002_change.up.sql:3 runs ALGORITHM=COPY LOCK=SHARED on test.users (20000 rows, more than 10000), rewritten by 002_change.up.sql:3: every write to it waits until the ALTER ends',
      },
    ]);
  });

  it('LOCK=EXCLUSIVE blocks reads too, and a lower threshold catches the small table', () => {
    const hazards = findHazards(input([statement(1, 'ALTER TABLE plans MODIFY name varchar(40)', { alter: { algorithm: 'INPLACE', lock: 'EXCLUSIVE' } })], { lockThresholdRows: 1 }));
    expect(hazards.map((h) => h.message)).toEqual([
      '002_change.up.sql:1 runs ALGORITHM=INPLACE LOCK=EXCLUSIVE on test.plans (5 rows, more than 1): every read and write of it waits until the ALTER ends',
    ]);
  });
});

describe('long-lock with estimates at production size', () => {
  const AEL = postgresLock('public.orders', 'AccessExclusiveLock');
  const base = { tableRows: { 'public.orders': 50 }, lockThresholdRows: 10_000 };
  const estimate = (lockMs: number): EstimateReport => ({
    migration: '002 change',
    file: '002_change.up.sql',
    line: 1,
    sql: 'ALTER TABLE orders ALTER COLUMN id TYPE bigint',
    table: 'public.orders',
    targetRows: 5_000_000,
    estimatedMs: lockMs,
    lockMode: 'AccessExclusiveLock',
    lockMs,
    basis: 'linear fit',
  });
  const statements = [statement(1, 'ALTER TABLE orders ALTER COLUMN id TYPE bigint', { locks: [AEL] })];

  it('an ACCESS EXCLUSIVE lock estimated above lockThresholdMs is a hazard, however few rows the rehearsal had', () => {
    const hazards = findHazards(input(statements, { ...base, estimates: [estimate(42_000)], lockThresholdMs: 1000 }));
    expect(hazards.map((h) => h.message)).toEqual([
      '002_change.up.sql:1 takes ACCESS EXCLUSIVE on public.orders, held an estimated 42.0 s at 5,000,000 rows (more than 1.0 s): every read and write of it waits until the migration commits',
    ]);
  });

  it('below lockThresholdMs it is not, even on a table above the row threshold', () => {
    expect(findHazards(input(statements, { ...base, tableRows: { 'public.orders': 50_000 }, estimates: [estimate(300)] }))).toEqual([]);
    // Without the estimate, the row rule applies.
    expect(findHazards(input(statements, { ...base, tableRows: { 'public.orders': 50_000 } })).map((h) => h.kind)).toEqual(['long-lock']);
  });
});
