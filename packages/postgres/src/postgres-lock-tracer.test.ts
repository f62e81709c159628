import { describe, expect, it } from 'vitest';
import { LOCK_MODES, postgresLock, readsBetween } from './postgres-lock-tracer.js';

describe('postgresLock', () => {
  it("ranks PostgreSQL's table lock modes and says which block reads, writes or nothing", () => {
    expect(postgresLock('public.orders', 'AccessExclusiveLock')).toEqual({ relation: 'public.orders', mode: 'AccessExclusiveLock', rank: 7, label: 'ACCESS EXCLUSIVE', blocks: 'reads and writes' });
    expect(postgresLock('public.orders', 'ShareLock')).toMatchObject({ rank: 4, label: 'SHARE', blocks: 'writes' });
    expect(postgresLock('public.orders', 'ShareUpdateExclusiveLock')).toMatchObject({ blocks: 'nothing' });
    expect(LOCK_MODES.filter((m) => m.blocks === 'reads and writes').map((m) => m.mode)).toEqual(['AccessExclusiveLock']);
  });

  it('keeps a mode it does not know, unranked', () => {
    expect(postgresLock('public.orders', 'AdvisoryLock')).toEqual({ relation: 'public.orders', mode: 'AdvisoryLock', rank: -1, label: 'AdvisoryLock', blocks: 'nothing' });
  });
});

describe('readsBetween', () => {
  it('gives the rows read per table between two readings, tables with none and counts that went down left out', () => {
    const before = new Map([
      ['public.orders', 10],
      ['public.users', 5],
      ['public.events', 7],
    ]);
    const after = new Map([
      ['public.orders', 1010],
      ['public.users', 5],
      ['public.events', 3],
      ['public.audit', 2],
    ]);
    expect(readsBetween(before, after)).toEqual([
      { relation: 'public.audit', rows: 2 },
      { relation: 'public.orders', rows: 1000 },
    ]);
  });
});
