/**
 * Keyed bijections on `[0, size)`: a balanced Feistel network with cycle walking.
 * They turn a row index into a distinct, random-looking value (a unique key, a
 * 1:1 parent, a distinct pair of parents) with no lookup table and no "seen" set.
 *
 * @example
 * ```ts
 * const perm = createPermutation(1000, addressKey('42', 'public.t', 'code'));
 * perm(0) !== perm(1); // always: distinct inputs give distinct outputs in [0, 1000)
 * ```
 */
import { fmix32, type AddressKey } from './hash.js';

/** The largest domain a permutation handles (2^52); larger sizes are treated as this. */
export const MAX_PERMUTATION_SIZE = 2 ** 52;

const ROUNDS = 4;

export type Permutation = (index: number) => number;

/** The Feistel network both directions share: halves of an even bit width covering `n`, and the keyed round function. */
function feistel(n: number, key: AddressKey): { base: number; mask: number; round: (value: number, r: number) => number } {
  let bits = Math.ceil(Math.log2(n));
  while (2 ** bits < n) bits++;
  if (bits % 2 === 1) bits++;
  const base = 2 ** (bits / 2);
  const mask = base - 1;
  const keys: number[] = [];
  for (let r = 0; r < ROUNDS; r++) keys.push(fmix32((key.a + Math.imul(r + 1, 0x9e3779b9)) ^ key.b));
  return { base, mask, round: (value, r) => fmix32((value ^ keys[r]!) >>> 0) & mask };
}

/**
 * A keyed bijection of `[0, size)` onto itself. `size` ≤ 2^52.
 *
 * @example
 * ```ts
 * const perm = createPermutation(10, addressKey('s', 't', 'c'));
 * [0, 1, 2].map(perm); // three distinct numbers in [0, 10)
 * ```
 */
export function createPermutation(size: number, key: AddressKey): Permutation {
  const n = Math.min(Math.floor(size), MAX_PERMUTATION_SIZE);
  if (n <= 1) return (i) => i;
  const { base, mask, round } = feistel(n, key);
  const encrypt = (x: number): number => {
    let left = Math.floor(x / base);
    let right = x - left * base;
    for (let r = 0; r < ROUNDS; r++) {
      const next = (left ^ round(right, r)) & mask;
      left = right;
      right = next;
    }
    return left * base + right;
  };
  return (index: number): number => {
    let x = encrypt(index);
    while (x >= n) x = encrypt(x);
    return x;
  };
}

/**
 * The inverse of `createPermutation(size, key)`: `inverse(perm(i)) === i` (the Feistel rounds
 * run backwards, walking the cycle the other way).
 *
 * @example
 * ```ts
 * const key = addressKey('s', 't', 'c');
 * createPermutationInverse(10, key)(createPermutation(10, key)(3)); // 3
 * ```
 */
export function createPermutationInverse(size: number, key: AddressKey): Permutation {
  const n = Math.min(Math.floor(size), MAX_PERMUTATION_SIZE);
  if (n <= 1) return (i) => i;
  const { base, mask, round } = feistel(n, key);
  const decrypt = (y: number): number => {
    let left = Math.floor(y / base);
    let right = y - left * base;
    for (let r = ROUNDS - 1; r >= 0; r--) {
      const previous = (right ^ round(left, r)) & mask;
      right = left;
      left = previous;
    }
    return left * base + right;
  };
  return (value: number): number => {
    let x = decrypt(value);
    while (x >= n) x = decrypt(x);
    return x;
  };
}
