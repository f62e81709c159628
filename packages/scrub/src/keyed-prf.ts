/**
 * Keyed pseudo-random functions: HalfSipHash-2-4 (32-bit words, 64-bit keys derived from
 * the scrub key by HMAC-SHA256) for the hot paths (Feistel rounds, fakes, date offsets,
 * noise: per-value streams), and HMAC-SHA256 where the output is the hash itself (`hash`,
 * the audit's set).
 *
 * @example
 * ```ts
 * const k = sipKey(key.derive('permute:int'), 0);
 * halfSip(k, 12345, 0); // a uint32, the same for the same key and input
 * ```
 */
import { createHmac, hash } from 'node:crypto';

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
// eslint-disable-next-line house/max-lines-per-function -- eight SipRounds unrolled by hand on purpose: a hot path of every keyed transform; a round function over shared state measured 2x slower (20M calls: 1.5 s against 3.3 s).
export function halfSip(key: SipKey, m0: number, m1: number): number {
  let v0 = key.k0 | 0;
  let v1 = key.k1 | 0;
  let v2 = 0x6c796765 ^ key.k0;
  let v3 = 0x74656462 ^ key.k1;
  // message word 0, two compression rounds
  v3 ^= m0;
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= m0;
  // message word 1
  v3 ^= m1;
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= m1;
  // length block (8 bytes), then four finalization rounds
  v3 ^= 0x08000000;
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 ^= 0x08000000;
  v2 ^= 0xff;
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  v0 = (v0 + v1) | 0;
  v1 = (v1 << 5) | (v1 >>> 27);
  v1 ^= v0;
  v0 = (v0 << 16) | (v0 >>> 16);
  v2 = (v2 + v3) | 0;
  v3 = (v3 << 8) | (v3 >>> 24);
  v3 ^= v2;
  v0 = (v0 + v3) | 0;
  v3 = (v3 << 7) | (v3 >>> 25);
  v3 ^= v0;
  v2 = (v2 + v1) | 0;
  v1 = (v1 << 13) | (v1 >>> 19);
  v1 ^= v2;
  v2 = (v2 << 16) | (v2 >>> 16);
  return (v1 ^ v3) >>> 0;
}

const sipKeys = new WeakMap<Buffer, readonly [SipKey, SipKey]>();

function keysOf(subkey: Buffer): readonly [SipKey, SipKey] {
  let keys = sipKeys.get(subkey);
  if (!keys) {
    keys = [sipKey(subkey, 2), sipKey(subkey, 3)];
    sipKeys.set(subkey, keys);
  }
  return keys;
}

/**
 * HalfSipHash-2-4 (32-bit tag) of a string's UTF-16LE bytes: two code units per 32-bit word,
 * two compression rounds per word, as the reference's `halfsiphash(…, outlen = 4)`.
 * @example
 * ```ts
 * sipString({ k0: 1, k1: 2 }, 'alice'); // a uint32
 * ```
 */
export function sipString(key: SipKey, text: string): number {
  let v0 = key.k0 | 0;
  let v1 = key.k1 | 0;
  let v2 = 0x6c796765 ^ key.k0;
  let v3 = 0x74656462 ^ key.k1;
  const n = text.length;
  const whole = n & ~1;
  for (let i = 0; i <= whole; i += 2) {
    // the last block: the byte length in the top byte, an odd code unit below it
    const m = i < whole ? text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16) : ((n * 2) << 24) | (n & 1 ? text.charCodeAt(n - 1) : 0);
    v3 ^= m;
    for (let r = 0; r < 2; r++) {
      v0 = (v0 + v1) | 0;
      v1 = (v1 << 5) | (v1 >>> 27);
      v1 ^= v0;
      v0 = (v0 << 16) | (v0 >>> 16);
      v2 = (v2 + v3) | 0;
      v3 = (v3 << 8) | (v3 >>> 24);
      v3 ^= v2;
      v0 = (v0 + v3) | 0;
      v3 = (v3 << 7) | (v3 >>> 25);
      v3 ^= v0;
      v2 = (v2 + v1) | 0;
      v1 = (v1 << 13) | (v1 >>> 19);
      v1 ^= v2;
      v2 = (v2 << 16) | (v2 >>> 16);
    }
    v0 ^= m;
  }
  v2 ^= 0xff;
  for (let r = 0; r < 4; r++) {
    v0 = (v0 + v1) | 0;
    v1 = (v1 << 5) | (v1 >>> 27);
    v1 ^= v0;
    v0 = (v0 << 16) | (v0 >>> 16);
    v2 = (v2 + v3) | 0;
    v3 = (v3 << 8) | (v3 >>> 24);
    v3 ^= v2;
    v0 = (v0 + v3) | 0;
    v3 = (v3 << 7) | (v3 >>> 25);
    v3 ^= v0;
    v2 = (v2 + v1) | 0;
    v1 = (v1 << 13) | (v1 >>> 19);
    v1 ^= v2;
    v2 = (v2 << 16) | (v2 >>> 16);
  }
  return (v1 ^ v3) >>> 0;
}

/**
 * A deterministic stream of uint32 for a value under a subkey: the value is hashed once
 * (two HalfSipHash-2-4 tags under keys derived from the subkey, 64 bits), then each draw
 * is HalfSipHash of that hash and a counter. About 20 times cheaper than an HMAC per value.
 * @example
 * ```ts
 * const s = new KeyedStream(key.derive('fake:email'), 'alice@example.com');
 * s.below(26); // a letter index, the same for the same key and value
 * ```
 */
export class KeyedStream {
  readonly #key: SipKey;
  readonly #h0: number;
  readonly #h1: number;
  #n = 0;

  constructor(subkey: Buffer, value: string) {
    const [a, b] = keysOf(subkey);
    this.#key = a;
    this.#h0 = sipString(a, value);
    this.#h1 = sipString(b, value);
  }

  uint32(): number {
    this.#n++;
    return halfSip(this.#key, this.#h0 ^ Math.imul(this.#n, 0x9e3779b9), this.#h1);
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

/** A subkey's HMAC pads (RFC 2104: the key, zero-filled to SHA-256's 64-byte block, XOR 0x36 and 0x5c). */
const hmacPads = new WeakMap<Buffer, readonly [Buffer, Buffer]>();

function padsOf(subkey: Buffer): readonly [Buffer, Buffer] {
  let pads = hmacPads.get(subkey);
  if (!pads) {
    if (subkey.length > 64) throw new Error('an HMAC subkey longer than a SHA-256 block');
    const inner = Buffer.alloc(64, 0x36);
    const outer = Buffer.alloc(64, 0x5c);
    for (let i = 0; i < subkey.length; i++) [inner[i], outer[i]] = [inner[i]! ^ subkey[i]!, outer[i]! ^ subkey[i]!];
    pads = [inner, outer];
    hmacPads.set(subkey, pads);
  }
  return pads;
}

/**
 * HMAC-SHA256(subkey, value) as lowercase hex: the RFC 2104 construction over two one-shot
 * SHA-256 calls with the pads made once per subkey (`createHmac` per value costs about twice
 * as much), the same bytes as `createHmac('sha256', subkey).update(value).digest('hex')`.
 * @example
 * ```ts
 * keyedHex(key.derive('hash'), 'secret'); // 64 hex characters
 * ```
 */
export function keyedHex(subkey: Buffer, value: string): string {
  return hmacSha256(subkey, value, 'hex');
}

/** HMAC-SHA256(subkey, value)'s first 8 bytes as a little-endian uint64 (the audit's sets). */
export function keyedUint64(subkey: Buffer, value: string): bigint {
  return hmacSha256(subkey, value, 'buffer').readBigUInt64LE(0);
}

function hmacSha256(subkey: Buffer, value: string, encoding: 'hex'): string;
function hmacSha256(subkey: Buffer, value: string, encoding: 'buffer'): Buffer;
function hmacSha256(subkey: Buffer, value: string, encoding: 'hex' | 'buffer'): string | Buffer {
  const [inner, outer] = padsOf(subkey);
  return hash('sha256', Buffer.concat([outer, hash('sha256', Buffer.concat([inner, Buffer.from(value)]), 'buffer')]), encoding as 'hex');
}
