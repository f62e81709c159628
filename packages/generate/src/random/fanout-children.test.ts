import { describe, expect, it } from 'vitest';
import { createFanout, createFanoutChildren } from './fanout.js';
import { createPermutation, createPermutationInverse } from './permutation.js';
import { addressKey } from './hash.js';

describe('inverse fan-out', () => {
  it('inverts the permutation', () => {
    for (const n of [2, 3, 10, 1000, 12345]) {
      const key = addressKey('s', 't', `c${n}`);
      const p = createPermutation(n, key);
      const q = createPermutationInverse(n, key);
      for (let i = 0; i < Math.min(n, 2000); i++) expect(q(p(i))).toBe(i);
    }
  });
  it('lists each parent children exactly', () => {
    const shape = {
      parents: 300,
      children: 2000,
      buckets: [
        [0, 0, 30],
        [1, 3, 100],
        [4, 15, 170],
      ] as Array<[number, number, number]>,
      nullRate: 0.1,
    };
    const key = addressKey('s', 'public.line', 'fk:x', 'fanout');
    const parentOf = createFanout(shape, key);
    const childrenOf = createFanoutChildren(shape, key);
    const seen: number[][] = Array.from({ length: 300 }, () => []);
    for (let r = 0; r < 2000; r++) {
      const p = parentOf(r);
      if (p >= 0) seen[p]!.push(r);
    }
    for (let p = 0; p < 300; p++) expect(childrenOf(p)).toEqual(seen[p]);
  });
});
