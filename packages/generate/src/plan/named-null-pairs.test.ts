import { describe, expect, it } from 'vitest';
import { namedNullPairs } from './named-null-pairs.js';

describe('namedNullPairs', () => {
  const moments = new Set(['deletedAt', 'archived_on', 'approved_date', 'created_at', 'closed_at']);
  const isMoment = (c: string): boolean => moments.has(c);

  it('pairs a moment with the actor its name gives, in the styles schemas use', () => {
    const pairs = namedNullPairs(['id', 'deletedAt', 'deletedBy', 'archived_on', 'archived_by_id', 'approved_date', 'approved_by_user_id'], isMoment, () => true);
    expect(pairs.map((p) => p.columns)).toEqual([
      ['deletedAt', 'deletedBy'],
      ['archived_on', 'archived_by_id'],
      ['approved_date', 'approved_by_user_id'],
    ]);
    expect(pairs.every((p) => p.profiled === true && p.leader === p.columns[0] && p.patterns.join() === '00,11')).toBe(true);
  });

  it('leaves alone an actor with no moment of its stem, and columns that may not be NULL', () => {
    expect(namedNullPairs(['created_at', 'updated_by', 'closed_at', 'closed_by'], isMoment, (c) => c !== 'closed_by')).toEqual([]);
    expect(namedNullPairs(['created_at', 'created_by'], isMoment, (c) => c !== 'created_at')).toEqual([]);
  });
});
