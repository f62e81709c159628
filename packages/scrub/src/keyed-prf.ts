/**
 * Keyed pseudo-random functions: HalfSipHash-2-4 (32-bit words, 64-bit key) for the
 * hot paths (Feistel rounds, one call per round per value), and HMAC-SHA256 streams
 * for everything that draws from a whole value (fakes, hashes).
 *
 * @example
 * ```ts
 * const k = sipKey(key.derive('permute:int'), 0);
 * halfSip(k, 12345, 0); // a uint32, the same for the same key and input
 * ```
 */
import { createHmac } from 'node:crypto';

/** A HalfSipHash key: two uint32 words. */
export interface SipKey {
  readonly k0: number;
  readonly k1: number;
}

/** The `index`-th 64-bit HalfSipHash key inside a 32-byte subkey stream (HMAC-expanded past 4). */
export function sipKey(subkey: Buffer, index: number): SipKey {
  const bytes = index < 4 ? subkey.subarray(index * 8, index * 8 + 8) : createHmac('sha256', subkey).update(`round:${index}`).digest().subarray(0, 8);
  return { k0: bytes.readUInt32LE(0), k1: bytes.readUInt32LE(4) };
}

/**
 * HalfSipHash-2-4 of a 64-bit message given as two uint32 words (`m0`, `m1`).
 * @example
 * ```ts
 * halfSip({ k0: 1, k1: 2 }, 3, 4) !== halfSip({ k0: 1, k1: 2 }, 4, 3); // true
 * ```
 */
export function halfSip(key: SipKey, m0: number, m1: number): number {
  let v0 = key.k0 | 0;
  let v1 = key.k1 | 0;
  let v2 = 0x6c796765 ^ key.k0;
  let v3 = 0x74656462 ^ key.k1;
  // message word 0, two compression rounds
  v3 ^= m0;
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= m0;
  // message word 1
  v3 ^= m1;
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= m1;
  // length block (8 bytes), then four finalization rounds
  v3 ^= 0x08000000;
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= 0x08000000;
  v2 ^= 0xff;
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
    v0 = (v0 + v1) | 0; v1 = (v1 << 5) | (v1 >>> 27); v1 ^= v0; v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0; v3 = (v3 << 8) | (v3 >>> 24); v3 ^= v2;
    v0 = (v0 + v3) | 0; v3 = (v3 << 7) | (v3 >>> 25); v3 ^= v0;
    v2 = (v2 + v1) | 0; v1 = (v1 << 13) | (v1 >>> 19); v1 ^= v2; v2 = (v2 << 16) | (v2 >>> 16);
  return (v1 ^ v3) >>> 0;
}

/**
 * A deterministic stream of uint32 drawn from HMAC-SHA256(subkey, value): 8 words per block, more blocks on demand.
 * @example
 * ```ts
 * const s = new KeyedStream(key.derive('fake:email'), 'alice@example.com');
 * s.below(26); // a letter index, the same for the same key and value
 * ```
 */
export class KeyedStream {
  #block = 0;
  #words: number[] = [];
  readonly #subkey: Buffer;
  readonly #value: string;

  constructor(subkey: Buffer, value: string) {
    this.#subkey = subkey;
    this.#value = value;
  }

  uint32(): number {
    if (this.#words.length === 0) {
      const digest = createHmac('sha256', this.#subkey).update(`${this.#block++}\u0000${this.#value}`).digest();
      for (let i = 28; i >= 0; i -= 4) this.#words.push(digest.readUInt32LE(i));
    }
    return this.#words.pop()!;
  }

  /** An integer in [0, n), n ≤ 2^32 (bias below 2^-32·n, negligible here). */
  below(n: number): number {
    return Math.floor((this.uint32() / 4294967296) * n);
  }

  /** A float in [0, 1). */
  fraction(): number {
    return this.uint32() / 4294967296;
  }
}

/**
 * HMAC-SHA256(subkey, value) as lowercase hex.
 * @example
 * ```ts
 * keyedHex(key.derive('hash'), 'secret'); // 64 hex characters
 * ```
 */
export function keyedHex(subkey: Buffer, value: string): string {
  return createHmac('sha256', subkey).update(value).digest('hex');
}
