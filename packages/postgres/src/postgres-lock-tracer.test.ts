import { describe, expect, it } from 'vitest';
import { LOCK_MODES, postgresLock } from './postgres-lock-tracer.js';

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
