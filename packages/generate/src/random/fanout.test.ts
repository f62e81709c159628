import { bucketLabel } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { createFanout, createFanoutSlots, createRankedFanout, fanoutCounts, mulMod, spreadStride } from './fanout.js';
import { addressKey } from './hash.js';

const key = addressKey('s', 'public.orders', 'fk:orders_customer_fk', 'fanout');
const buckets: Array<[number, number, number]> = [
  [0, 0, 250],
  [1, 1, 250],
  [2, 3, 250],
  [8, 15, 250],
];

describe('fan-out from profile buckets', () => {
  it('gives each bucket its exact share of parents and adds up to the child rows', () => {
    const counts = fanoutCounts({ parents: 1000, children: 3500, buckets, nullRate: 0 }, key, 3500);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3500);
    const shares = new Map<string, number>();
    for (const c of counts) shares.set(bucketLabel(c), (shares.get(bucketLabel(c)) ?? 0) + 1);
    expect(Object.fromEntries(shares)).toEqual({ '0': 250, '1': 250, '2-3': 250, '8-15': 250 });
  });

  it('still adds up when the rows are far from what the buckets hold', () => {
    for (const total of [10, 50_000]) {
      const counts = fanoutCounts({ parents: 1000, children: total, buckets, nullRate: 0 }, key, total);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
      expect(counts.every((c) => c >= 0 && Number.isInteger(c))).toBe(true);
    }
  });

  it('maps every child to a parent (or NULL at the NULL rate), the same in any order', () => {
    const map = createFanout({ parents: 1000, children: 4000, buckets, nullRate: 0.25 }, key);
    const forward = Array.from({ length: 4000 }, (_, i) => map(i));
    expect(forward.filter((p) => p === -1).length).toBe(1000);
    expect(forward.every((p) => p >= -1 && p < 1000)).toBe(true);
    const again = createFanout({ parents: 1000, children: 4000, buckets, nullRate: 0.25 }, key);
    expect(Array.from({ length: 4000 }, (_, i) => again(3999 - i)).reverse()).toEqual(forward);
    // Children of one parent are not adjacent rows.
    const adjacent = forward.filter((p, i) => i > 0 && p !== -1 && p === forward[i - 1]).length;
    expect(adjacent).toBeLessThan(200);
  });

  it('numbers the children of each parent 0, 1, 2 … with at most perParent each, the total kept', () => {
    const ranked = createRankedFanout({ parents: 1000, children: 3500, buckets, nullRate: 0, perParent: 4 }, key);
    const byParent = new Map<number, number[]>();
    for (let i = 0; i < 3500; i++) {
      const [p, r] = ranked(i);
      byParent.set(p, [...(byParent.get(p) ?? []), r]);
    }
    expect([...byParent.values()].reduce((a, l) => a + l.length, 0)).toBe(3500);
    for (const ranks of byParent.values()) expect(ranks.sort((a, b) => a - b)).toEqual(ranks.map((_, i) => i));
    expect(Math.max(...[...byParent.values()].map((l) => l.length))).toBeLessThanOrEqual(4);
  });

  it('spreads a second fan-out from the first so no two children of a parent share the other parent', () => {
    const first = createFanoutSlots(
      {
        parents: 300,
        children: 6000,
        buckets: [
          [0, 0, 100],
          [10, 40, 200],
        ],
        nullRate: 0,
      },
      key,
    );
    const second = createFanoutSlots(
      {
        parents: 2000,
        children: 6000,
        buckets: [
          [0, 0, 1000],
          [1, 11, 1000],
        ],
        nullRate: 0,
      },
      addressKey('s', 't', 'fk:b', 'fanout'),
    );
    const k = spreadStride(6000, first.most, second.most)!;
    expect(k).toBeGreaterThan(0);
    const pairs = new Set<string>();
    for (let i = 0; i < 6000; i++) {
      const s = first.slot(i);
      pairs.add(`${first.parent(s)[0]}:${second.parent(mulMod(s, k, 6000))[0]}`);
    }
    expect(pairs.size).toBe(6000);
  });
});
