import { describe, expect, it } from 'vitest';
import { agreeingPairs, countAgreeing, valuesKey } from './agreeing-pairs.js';

describe('agreeingPairs', () => {
  it('enumerates every pair of rows with the same values, and only those', () => {
    const first = ['o1', 'o2', 'o1', 'o3', null];
    const second = ['o1', 'o1', 'o3', 'o4', 'o2', null];
    const pairs = agreeingPairs(
      first.length,
      second.length,
      (a) => valuesKey([first[a]!]),
      (b) => valuesKey([second[b]!]),
    );
    const all = Array.from({ length: pairs.count }, (_, p) => pairs.pair(p).join(','));
    // Counted by hand: o1 (rows 0 and 2) × 2 rows, o2 × 1, o3 × 1; NULL matches nothing.
    expect(all.sort()).toEqual(['0,0', '0,1', '1,4', '2,0', '2,1', '3,2']);
  });

  it('counts the pairs as the enumeration does, up to what is enough', () => {
    const first = [1, 2, 1, 3, 1];
    const second = [1, 1, 3, 2, 1];
    const key = (values: number[]) => (row: number) => valuesKey([values[row]!]);
    const all = agreeingPairs(5, 5, key(first), key(second)).count;
    expect(all).toBe(3 * 3 + 1 + 1);
    expect(countAgreeing(5, 5, key(first), key(second), Infinity)).toBe(all);
    // Stops once enough: after the first row (3 pairs) when 2 are enough.
    expect(countAgreeing(5, 5, key(first), key(second), 2)).toBe(3);
  });

  it('has no pair when the values never meet', () => {
    expect(
      agreeingPairs(
        3,
        3,
        (a) => valuesKey([a]),
        (b) => valuesKey([b + 10]),
      ).count,
    ).toBe(0);
  });

  it('keys a number and its text alike, bytes by their content, and no NULL', () => {
    expect(valuesKey([1, 'a'])).toBe(valuesKey(['1', 'a']));
    expect(valuesKey(['a,b'])).not.toBe(valuesKey(['a', 'b']));
    expect(valuesKey([Buffer.from('ab')])).toBe(valuesKey([Buffer.from('ab')]));
    expect(valuesKey(['x', null])).toBeUndefined();
  });
});
