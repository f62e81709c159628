/**
 * Keyed, collision-free permutations of integers: a balanced Feistel network
 * (6 rounds of HalfSipHash-2-4 under 64-bit round keys derived from the scrub key)
 * over the smallest even number of bits that holds the domain, with cycle walking
 * to stay inside it. A bijection by construction: no "seen" set, no lookup table.
 *
 * `createIntPermutation(key, n)` permutes [0, n) for any n ≤ 2^64; `integerKeyPermutation`
 * permutes a column type's range, keeping the sign (positive ids stay positive).
 *
 * @example
 * ```ts
 * const perm = createIntPermutation(key.derive('permute:int:integer'), 2 ** 31 - 1);
 * perm(41) !== perm(42); // always
 * ```
 */
import { UsageError } from '@understudy/core';
import { halfSip, sipKey, type SipKey } from './keyed-prf.js';

const ROUNDS = 6;

export interface IntPermutation {
  /** The image of `x` in [0, n), for x a safe integer in [0, n). */
  (x: number): number;
  /** The same for bigint inputs (any n). */
  big(x: bigint): bigint;
}

/**
 * A keyed bijection of [0, n) onto itself.
 * @param subkey 32 bytes (a `ScrubKey.derive` result); round keys come from it.
 */
export function createIntPermutation(subkey: Buffer, n: bigint | number): IntPermutation {
  const size = BigInt(n);
  if (size > 1n << 64n) throw new RangeError(`permutation domain ${size} is larger than 2^64`);
  let bits = 2;
  while (1n << BigInt(bits) < size) bits++;
  if (bits % 2 === 1) bits++;
  const half = bits / 2;
  const keys: SipKey[] = Array.from({ length: ROUNDS }, (_, r) => sipKey(subkey, r));
  const mask = half === 32 ? 0xffffffff : 2 ** half - 1;
  const base = 2 ** half;
  const round = (value: number, r: number): number => (halfSip(keys[r]!, value, r + (half << 8)) & mask) >>> 0;
  const encrypt = (left: number, right: number): [number, number] => {
    for (let r = 0; r < ROUNDS; r++) {
      const next = (left ^ round(right, r)) >>> 0;
      left = right;
      right = next;
    }
    return [left, right];
  };
  const small = size <= BigInt(Number.MAX_SAFE_INTEGER) && bits <= 52;
  const limit = Number(size);
  const [k0, k1, k2, k3, k4, k5] = keys as [SipKey, SipKey, SipKey, SipKey, SipKey, SipKey];
  const tweak = half << 8;
  const perm = ((x: number): number => {
    if (!small) return Number(perm.big(BigInt(x)));
    if (limit <= 1) return x;
    let v = x;
    do {
      // encrypt() unrolled, without its pair: this runs for every key value of a scrub.
      let left = Math.floor(v / base);
      let right = v - left * base;
      left = (left ^ (halfSip(k0, right, tweak) & mask)) >>> 0;
      right = (right ^ (halfSip(k1, left, 1 + tweak) & mask)) >>> 0;
      left = (left ^ (halfSip(k2, right, 2 + tweak) & mask)) >>> 0;
      right = (right ^ (halfSip(k3, left, 3 + tweak) & mask)) >>> 0;
      left = (left ^ (halfSip(k4, right, 4 + tweak) & mask)) >>> 0;
      right = (right ^ (halfSip(k5, left, 5 + tweak) & mask)) >>> 0;
      v = left * base + right;
    } while (v >= limit);
    return v;
  }) as IntPermutation;
  const bigBase = BigInt(base);
  perm.big = (x: bigint): bigint => {
    if (size <= 1n) return x;
    let v = x;
    do {
      const [l, r] = encrypt(Number(v / bigBase), Number(v % bigBase));
      v = BigInt(l) * bigBase + BigInt(r);
    } while (v >= size);
    return v;
  };
  return perm;
}

/** The range of an integer column kind. */
export function integerRange(kind: string, unsigned = false): { min: bigint; max: bigint } | undefined {
  const bits = { tinyint: 8, smallint: 16, mediumint: 24, integer: 32, bigint: 64 }[kind];
  if (bits === undefined) return undefined;
  if (unsigned) return { min: 0n, max: (1n << BigInt(bits)) - 1n };
  return { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n };
}

/** Entries of `cachedPermutation`: 2^16, 1 MiB in all, whatever the row count. */
const CACHE_BITS = 16;

/**
 * `perm` with the images of recently seen values remembered in a direct-mapped table (a slot per
 * value's low 16 bits): a key's value comes back in every table that references it (a customer's
 * id in each of her rentals and payments), and six to twelve HalfSipHash rounds become a lookup.
 * A pure function of the value either way.
 */
export function cachedPermutation(perm: (x: number) => number): (x: number) => number {
  const slots = 1 << CACHE_BITS;
  const inputs = new Float64Array(slots).fill(-1);
  const images = new Float64Array(slots);
  return (x: number): number => {
    const slot = x % slots;
    if (inputs[slot] === x) return images[slot]!;
    const y = perm(x);
    inputs[slot] = x;
    images[slot] = y;
    return y;
  };
}

/** `integerKeyPermutation`'s function: on a value's text, and on safe integers where the range is. */
export interface IntegerKeyPermutation {
  (text: string): string;
  /** The same function on numbers, where every image is a safe integer: `String(f.integer(n)) === f(String(n))`. */
  integer?: (n: number) => number;
}

/**
 * A sign-keeping permutation of a column type's range, on the values' text: positive values
 * map onto [1, max], negative onto [min, -1], 0 stays 0. The same key and type give the same
 * function in every table, so a key and every FK to it agree.
 * @example
 * ```ts
 * const f = integerKeyPermutation(key, 'integer');
 * f('42'); // e.g. '1834477123'
 * ```
 */
export function integerKeyPermutation(subkey: Buffer, range: { min: bigint; max: bigint }): IntegerKeyPermutation {
  const positive = range.max > 0n ? createIntPermutation(subkey, range.max) : undefined;
  const negative = range.min < 0n ? createIntPermutation(Buffer.concat([subkey, Buffer.from('-')]), -range.min) : undefined;
  const safe = range.max <= BigInt(Number.MAX_SAFE_INTEGER);
  const cached = positive && safe ? cachedPermutation(positive) : undefined;
  const onText = (text: string): string => {
    // The common case first: a positive id of plain digits (what the slower path below would find too).
    if (safe && positive && text.length > 0 && text.length < 16) {
      let digits = true;
      for (let i = 0; i < text.length && digits; i++) {
        const c = text.charCodeAt(i);
        digits = c >= 48 && c <= 57;
      }
      if (digits) {
        const n = Number(text);
        if (n > 0) return String(cached!(n - 1) + 1);
      }
    }
    const trimmed = text.trim();
    if (!/^[+-]?\d+$/.test(trimmed)) throw new UsageError('a value of an integer key column is not an integer');
    if (trimmed.length < 16 && positive) {
      const n = Number(trimmed);
      if (n > 0 && n <= Number.MAX_SAFE_INTEGER && safe) return String(positive(n - 1) + 1);
    }
    const v = BigInt(trimmed);
    if (v > 0n && positive) return String(positive.big(v - 1n) + 1n);
    if (v < 0n && negative) return String(-(negative.big(-v - 1n) + 1n));
    return String(v);
  };
  if (!safe) return onText;
  // The same function on numbers (a binary COPY's integers): no text either way.
  const onNumber = (n: number): number => (n > 0 && cached ? cached(n - 1) + 1 : Number(onText(String(n))));
  return Object.assign(onText, { integer: onNumber });
}
