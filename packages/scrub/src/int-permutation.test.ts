import { describe, expect, it } from 'vitest';
import { cachedPermutation, createIntPermutation, integerKeyPermutation, integerRange } from './int-permutation.js';
import { ScrubKey } from './scrub-key.js';

const key = new ScrubKey(Buffer.from('a test key that is long enough'));
const other = new ScrubKey(Buffer.from('another key, also long enough'));

describe('Feistel integer permutation', () => {
  it('is injective on 10 million integers and stays in range (bitset)', () => {
    const n = 10_000_000;
    const perm = createIntPermutation(key.derive('permute:test'), n);
    const seen = new Uint8Array(Math.ceil(n / 8));
    for (let x = 0; x < n; x++) {
      const y = perm(x);
      if (y < 0 || y >= n || !Number.isInteger(y)) throw new Error(`perm(${x}) = ${y} is outside [0, ${n})`);
      const bit = 1 << (y & 7);
      if (seen[y >>> 3]! & bit) throw new Error(`collision at ${x} → ${y}`);
      seen[y >>> 3]! |= bit;
    }
    // every value was hit: a bijection onto [0, n)
    expect(seen.every((b, i) => b === 0xff || i === seen.length - 1)).toBe(true);
  }, 120_000);

  it('maps the first 200,000 ids of the integer type injectively into its positive range', () => {
    const f = integerKeyPermutation(key.derive('permute:int:integer'), integerRange('integer')!);
    const out = new Set<string>();
    for (let x = 1; x <= 200_000; x++) out.add(f(String(x)));
    expect(out.size).toBe(200_000);
    for (const v of out) expect(Number(v) >= 1 && Number(v) <= 2 ** 31 - 1).toBe(true);
    expect(f('0')).toBe('0');
    expect(Number(f('-5'))).toBeLessThan(0);
  });

  it('is deterministic, and another key gives other values', () => {
    const a = createIntPermutation(key.derive('x'), 1000);
    const b = createIntPermutation(key.derive('x'), 1000);
    const c = createIntPermutation(other.derive('x'), 1000);
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    expect(xs.map(a)).toEqual(xs.map(b));
    const differ = xs.filter((x) => a(x) !== c(x)).length;
    expect(differ).toBeGreaterThan(990);
  });

  it('handles bigint keys across the whole int8 range', () => {
    const f = integerKeyPermutation(key.derive('permute:int:bigint'), integerRange('bigint')!);
    const inputs = ['1', '2', '9223372036854775807', '-9223372036854775808', '4611686018427387904'];
    const outputs = inputs.map(f);
    expect(new Set(outputs).size).toBe(inputs.length);
    for (const [i, o] of outputs.entries()) {
      expect(BigInt(o) > 0n).toBe(BigInt(inputs[i]!) > 0n);
      expect(BigInt(o) <= 9223372036854775807n && BigInt(o) >= -9223372036854775808n).toBe(true);
    }
  });

  it('permutes a tiny domain completely', () => {
    for (const n of [2, 3, 5, 17, 1000]) {
      const perm = createIntPermutation(key.derive(`n${n}`), n);
      expect(new Set(Array.from({ length: n }, (_, i) => perm(i))).size).toBe(n);
    }
  });

  it('remembers images without changing them: values sharing a cache slot, repeats, any order', () => {
    const perm = createIntPermutation(key.derive('permute:int:integer'), 2 ** 31 - 1);
    const cached = cachedPermutation(perm);
    // x, x + 2^16 and x + 2^17 share a slot; each comes back several times, interleaved.
    const xs: number[] = [];
    for (let round = 0; round < 3; round++) for (let x = 0; x < 5000; x++) xs.push(x, x + 65_536, x + 131_072, (x * 7919) % 200_000);
    for (const x of xs) if (cached(x) !== perm(x)) throw new Error(`cached(${x}) = ${cached(x)}, perm(${x}) = ${perm(x)}`);
    const f = integerKeyPermutation(key.derive('permute:int:integer'), integerRange('integer')!);
    for (const x of xs) expect(f(String(x + 1))).toBe(String(perm(x) + 1));
  });

  it('gives the same images on numbers as on text (what the binary COPY path uses), for every sign, and none beyond 2^53', () => {
    for (const kind of ['smallint', 'integer'] as const) {
      const f = integerKeyPermutation(key.derive(`permute:int:${kind}`), integerRange(kind)!);
      const max = Number(integerRange(kind)!.max);
      for (const n of [0, 1, 2, -1, -2, 65_535, 65_536, max, -max, -max - 1, ...Array.from({ length: 2000 }, (_, i) => ((i * 2_654_435_761) % (2 * max)) - max)]) {
        expect(String(f.integer!(n)), `${kind} ${n}`).toBe(f(String(n)));
      }
    }
    expect(integerKeyPermutation(key.derive('permute:int:bigint'), integerRange('bigint')!).integer).toBeUndefined();
  });
});
