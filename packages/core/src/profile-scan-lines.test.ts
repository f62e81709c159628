import { describe, expect, it } from 'vitest';
import { periodRelations, sumRelations } from './profile-scan-lines.js';
import { contingencySimilarity, correlationSimilarity } from './fidelity/pair-trends.js';

describe('sums of lines and periods from counts', () => {
  it('keeps a sum that holds for every one of k parents, products first, and not one that holds for 99% or only as 0 = 0', () => {
    const pairs = [
      { parentColumn: 'total', columns: ['price'] },
      { parentColumn: 'total', columns: ['price', 'quantity'] },
      { parentColumn: 'zero', columns: ['price'] },
    ];
    const kept = sumRelations(pairs, { m0: 100, e0: 99, z0: 99, m1: 100, e1: 100, z1: 100, m2: 100, e2: 100, z2: 3 }, 10);
    expect(kept).toEqual([{ parentColumn: 'total', columns: ['price', 'quantity'], rows: 100, holds: 1 }]);
    expect(sumRelations(pairs.slice(0, 1), { m0: 100, e0: 98, z0: 98 }, 10)).toEqual([]);
    expect(sumRelations(pairs.slice(0, 1), { m0: 9, e0: 9, z0: 9 }, 10)).toEqual([]);
  });
  it('keeps contiguous periods (same day or the day after) and drops overlapping ones', () => {
    const pairs = [{ from: 'from_date', to: 'to_date' }];
    expect(periodRelations(pairs, { n0: 500, a0: 500, b0: 0, o0: 500 }, 10)).toEqual([{ from: 'from_date', to: 'to_date', gap: 0, rows: 500, holds: 1 }]);
    expect(periodRelations(pairs, { n0: 500, a0: 0, b0: 498, o0: 500 }, 10)).toEqual([{ from: 'from_date', to: 'to_date', gap: 1, rows: 500, holds: 0.996 }]);
    expect(periodRelations(pairs, { n0: 500, a0: 300, b0: 100, o0: 500 }, 10)).toEqual([]);
    expect(periodRelations(pairs, { n0: 500, a0: 500, b0: 0, o0: 400 }, 10)).toEqual([]);
  });
});

describe('pair-trend similarities', () => {
  it('scores correlations as 1 − |Δr|/2 and contingencies as 1 − TVD', () => {
    expect(correlationSimilarity(1, -1)).toBe(0);
    expect(correlationSimilarity(0.8, 0.8)).toBe(1);
    const a = { columns: ['s', 'c'] as [string, string], rows: 100, cells: [{ values: ['x', 'y'] as [string, string], rows: 60 }], other: 40 };
    const b = { columns: ['s', 'c'] as [string, string], rows: 10, cells: [{ values: ['x', 'y'] as [string, string], rows: 3 }], other: 7 };
    expect(contingencySimilarity(a, b)).toBeCloseTo(0.7, 10);
  });
});
