import { describe, expect, it } from 'vitest';
import { AddressRandom } from './address-random.js';
import { createBoundFaker } from './faker-randomizer.js';
import { addressKey } from './hash.js';
import { createPermutation } from './permutation.js';
import { skewedRank } from './skew.js';

function chiSquare(counts: number[], expected: number): number {
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe('AddressRandom', () => {
  it('is a pure function of (key, row): same address, same draws, in any order', () => {
    const key = addressKey('42', 'public.t', 'c');
    const a = new AddressRandom(key);
    const b = new AddressRandom(key);
    const forward = [0, 1, 2, 1000, 2 ** 40].map((r) => [a.at(r).uint32(), a.uint32(), a.float()]);
    const backward = [2 ** 40, 1000, 2, 1, 0].map((r) => [b.at(r).uint32(), b.uint32(), b.float()]).reverse();
    expect(forward).toEqual(backward);
  });

  it('differs by seed, table, column and row', () => {
    const first = (seed: string, table: string, column: string, row: number): number => new AddressRandom(addressKey(seed, table, column)).at(row).uint32();
    const base = first('1', 't', 'c', 5);
    expect(first('2', 't', 'c', 5)).not.toBe(base);
    expect(first('1', 'u', 'c', 5)).not.toBe(base);
    expect(first('1', 't', 'd', 5)).not.toBe(base);
    expect(first('1', 't', 'c', 6)).not.toBe(base);
    // Length-prefixed parts: ('ab','c') is not ('a','bc').
    expect(first('1', 'ab', 'c', 0)).not.toBe(first('1', 'a', 'bc', 0));
  });

  it('spreads first draws of consecutive rows uniformly (chi-square, 16 buckets)', () => {
    const rnd = new AddressRandom(addressKey('seed', 'public.t', 'c'));
    const counts = new Array<number>(16).fill(0);
    const n = 160_000;
    for (let r = 0; r < n; r++) counts[rnd.at(r).uint32() >>> 28]! += 1;
    // 15 degrees of freedom: p = 0.001 critical value is 37.7.
    expect(chiSquare(counts, n / 16)).toBeLessThan(37.7);
  });

  it('spreads draws within one row uniformly', () => {
    const rnd = new AddressRandom(addressKey('seed', 't', 'c')).at(7);
    const counts = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let k = 0; k < n; k++) counts[Math.floor(rnd.float() * 10)]! += 1;
    expect(chiSquare(counts, n / 10)).toBeLessThan(27.9); // 9 dof, p = 0.001
  });

  it('has no correlation between neighbouring rows', () => {
    const rnd = new AddressRandom(addressKey('x', 't', 'c'));
    const n = 50_000;
    const xs: number[] = [];
    for (let r = 0; r <= n; r++) xs.push(rnd.at(r).float());
    let sum = 0;
    for (let r = 0; r < n; r++) sum += (xs[r]! - 0.5) * (xs[r + 1]! - 0.5);
    const correlation = sum / n / (1 / 12);
    expect(Math.abs(correlation)).toBeLessThan(0.03);
  });

  it('keeps int() within bounds and hits both ends', () => {
    const rnd = new AddressRandom(addressKey('x', 't', 'c')).at(0);
    const seen = new Set<number>();
    for (let k = 0; k < 10_000; k++) {
      const v = rnd.int(-3, 3);
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(3);
      seen.add(v);
    }
    expect(seen.size).toBe(7);
    for (let k = 0; k < 1000; k++) {
      const big = rnd.int(0, 2 ** 50);
      expect(big).toBeGreaterThanOrEqual(0);
      expect(big).toBeLessThanOrEqual(2 ** 50);
    }
  });

  it('side lanes do not advance the stream', () => {
    const rnd = new AddressRandom(addressKey('x', 't', 'c'));
    const plain = rnd.at(3).uint32();
    rnd.at(3).side(0);
    expect(rnd.uint32()).toBe(plain);
  });
});

describe('createPermutation', () => {
  it('is a bijection on [0, n) for many sizes', () => {
    for (const n of [1, 2, 3, 7, 16, 100, 1000, 4097]) {
      const perm = createPermutation(n, addressKey('p', String(n)));
      const seen = new Set<number>();
      for (let i = 0; i < n; i++) {
        const v = perm(i);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(n);
        seen.add(v);
      }
      expect(seen.size).toBe(n);
    }
  });

  it('has no collisions on a sample of a huge domain', () => {
    const perm = createPermutation(2 ** 48, addressKey('big'));
    const seen = new Set<number>();
    for (let i = 0; i < 50_000; i++) seen.add(perm(i * 7919));
    expect(seen.size).toBe(50_000);
  });
});

describe('skewedRank', () => {
  it('gives the first fifth of parents far more than a fifth of children', () => {
    const rnd = new AddressRandom(addressKey('s'));
    let top = 0;
    const n = 20_000;
    for (let r = 0; r < n; r++) if (skewedRank(rnd.at(r).float(), 1000, 2) < 200) top++;
    expect(top / n).toBeGreaterThan(0.4);
    expect(top / n).toBeLessThan(0.5);
  });
});

describe('faker through the address randomizer', () => {
  it('gives the same value for the same address, without re-seeding', () => {
    const a = createBoundFaker('en');
    const b = createBoundFaker('en');
    const rnd = new AddressRandom(addressKey('42', 'public.person', 'first_name'));
    const names = [0, 1, 2, 3].map((r) => a.use(rnd.at(r)).person.firstName());
    const again = [3, 2, 1, 0].map((r) => b.use(rnd.at(r)).person.firstName()).reverse();
    expect(again).toEqual(names);
    expect(new Set([...Array(50).keys()].map((r) => a.use(rnd.at(r)).person.firstName())).size).toBeGreaterThan(30);
  });

  it('uses the pinned reference time for date helpers', () => {
    const bound = createBoundFaker('en', Date.UTC(2020, 0, 1));
    const rnd = new AddressRandom(addressKey('d')).at(0);
    const d = bound.use(rnd).date.past();
    expect(d.getTime()).toBeLessThanOrEqual(Date.UTC(2020, 0, 1));
  });
});
