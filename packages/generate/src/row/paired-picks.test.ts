import { describe, expect, it } from 'vitest';
import { pairedComponents, pairedIndexes } from './pick-evaluator.js';

describe('tuple pairs', () => {
  it('turn every raw (first, offset) into a distinct pair that holds the relation, within the parent rows', () => {
    for (const relation of ['<>', '<', '<='] as const) {
      for (let n = 2; n <= 41; n++) {
        const offsets = relation === '<>' ? n - 1 : Math.floor((n - 1) / 2) + (relation === '<=' ? 1 : 0);
        const seen = new Set<string>();
        for (let p = 0; p < n; p++) {
          for (let q = 0; q < offsets; q++) {
            const [a, b] = pairedComponents({ first: 0, second: 1, relation, size: n }, p, q);
            expect(a >= 0 && a < n && b >= 0 && b < n, `${relation} n=${n} (${p}, ${q}) → (${a}, ${b})`).toBe(true);
            expect(relation === '<>' ? a !== b : relation === '<' ? a < b : a <= b, `${relation} n=${n} (${p}, ${q}) → (${a}, ${b})`).toBe(true);
            seen.add(`${a},${b}`);
          }
        }
        expect(seen.size, `${relation} n=${n}`).toBe(n * offsets);
      }
    }
  });
});

describe('paired foreign keys', () => {
  it('hold the relation for every pair of parent rows, and leave NULLs as drawn', () => {
    for (const relation of ['<>', '<', '<='] as const) {
      for (let i = 0; i < 12; i++) {
        for (let j = 0; j < 12; j++) {
          const [a, b] = pairedIndexes(relation, i, j, 12);
          expect(relation === '<>' ? a !== b : relation === '<' ? a < b : a <= b, `${relation} (${i}, ${j}) → (${a}, ${b})`).toBe(true);
          expect(Math.max(a, b)).toBeLessThan(12);
        }
      }
      expect(pairedIndexes(relation, -1, 3, 12)).toEqual([-1, 3]);
      expect(pairedIndexes(relation, 3, -1, 12)).toEqual([3, -1]);
    }
    // One parent row: the second is NULL where the two would meet.
    expect(pairedIndexes('<>', 0, 0, 1)).toEqual([0, -1]);
  });
});
