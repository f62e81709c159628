/**
 * 32-bit mixing and string hashing used to turn a value's address into random
 * bits. Everything here works on unsigned 32-bit integers with `Math.imul`, so
 * it costs no allocation and no BigInt.
 *
 * @example
 * ```ts
 * const key = addressKey('42', 'public.customer', 'email'); // once per column
 * fmix32(key.a ^ 7);                                        // cheap per value
 * ```
 */

/**
 * MurmurHash3's finalizer: a bijection on uint32 with full avalanche.
 *
 * @example
 * ```ts
 * fmix32(1); // 1364076727
 * ```
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * MurmurHash3 (x86, 32-bit) over the UTF-16 code units of `text`.
 *
 * @example
 * ```ts
 * hashString32('public.customer', 0);
 * ```
 */
export function hashString32(text: string, seed: number): number {
  let h = seed >>> 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= n;
  return fmix32(h);
}

/** A 64-bit key, as two uint32 halves. Derived once per (seed, table, column); never per value. */
export interface AddressKey {
  readonly a: number;
  readonly b: number;
}

/**
 * The key of an address prefix: `(seed, table, column)` or any list of string parts.
 * Parts are length-prefixed, so `('ab', 'c')` and `('a', 'bc')` differ.
 *
 * @example
 * ```ts
 * addressKey('42', 'public.customer', 'email'); // { a: 1324140257, b: 3280501551 }
 * ```
 */
export function addressKey(...parts: readonly string[]): AddressKey {
  let text = '';
  for (const part of parts) text += `${part.length}:${part}\u0000`;
  const a = hashString32(text, 0x9e3779b9);
  const b = hashString32(text, 0x7f4a7c15 ^ a);
  return { a, b };
}
