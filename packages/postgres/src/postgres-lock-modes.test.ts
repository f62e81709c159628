/**
 * The documented locks of statements that run outside a transaction block, and index locks
 * counted on their table.
 */
import { postgresLock } from './postgres-lock-tracer.js';
import { describe, expect, it } from 'vitest';
import { knownStatementLock, postgresLockModes, withIndexTables } from './postgres-lock-modes.js';

describe('postgres lock modes', () => {
  it('ranks the modes and says which block writes and which block reads', () => {
    expect(postgresLockModes.filter((m) => m.blocksWrites).map((m) => m.name)).toEqual(['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE']);
    expect(postgresLockModes.filter((m) => m.blocksReads).map((m) => m.name)).toEqual(['ACCESS EXCLUSIVE']);
  });

  it('knows the lock of each statement that cannot run in a transaction block', () => {
    const SUE = 'ShareUpdateExclusiveLock';
    expect(knownStatementLock('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix ON ONLY public.orders (a)')).toEqual({ relation: 'public.orders', mode: SUE });
    expect(knownStatementLock('-- why\nDROP INDEX CONCURRENTLY IF EXISTS "Ix"')).toEqual({ relation: '"Ix"', mode: SUE });
    expect(knownStatementLock('REINDEX (VERBOSE) INDEX CONCURRENTLY orders_pkey')).toEqual({ relation: 'orders_pkey', mode: SUE });
    expect(knownStatementLock('ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY')).toEqual({ relation: 'events', mode: SUE });
    expect(knownStatementLock('VACUUM FULL orders')).toEqual({ relation: 'orders', mode: 'AccessExclusiveLock' });
    expect(knownStatementLock('vacuum (full, analyze) orders')).toEqual({ relation: 'orders', mode: 'AccessExclusiveLock' });
    expect(knownStatementLock('VACUUM ANALYZE orders')).toEqual({ relation: 'orders', mode: SUE });
    expect(knownStatementLock('REINDEX TABLE orders')).toEqual({ relation: 'orders', mode: 'ShareLock' });
    expect(knownStatementLock('VACUUM')).toBeUndefined();
    expect(knownStatementLock('VACUUM VERBOSE')).toBeUndefined();
    expect(knownStatementLock('CREATE INDEX ix ON orders (a)')).toBeUndefined();
  });

  it('counts an index lock on its table when stronger', () => {
    const parents = new Map([['public.orders_pkey', 'public.orders']]);
    expect(withIndexTables([postgresLock('public.orders', 'ShareLock'), postgresLock('public.orders_pkey', 'AccessExclusiveLock')], parents)).toEqual([
      postgresLock('public.orders', 'AccessExclusiveLock'),
      postgresLock('public.orders_pkey', 'AccessExclusiveLock'),
    ]);
    expect(withIndexTables([postgresLock('public.orders', 'AccessExclusiveLock'), postgresLock('public.orders_pkey', 'RowExclusiveLock')], parents)).toEqual([
      postgresLock('public.orders', 'AccessExclusiveLock'),
      postgresLock('public.orders_pkey', 'RowExclusiveLock'),
    ]);
  });
});
