/**
 * Identifier generators: UUIDs (random v4 from the stream, or injective in the
 * row index for keys), hex digests and password hashes.
 *
 * An injective UUID puts a keyed 64-bit bijection of the row index in its first
 * 8 and last 8 hex digits, and stream bits elsewhere, with the version and
 * variant bits set: distinct rows always get distinct UUIDs, and a child can
 * compute its parent's UUID from the parent's row index.
 *
 * @example
 * ```ts
 * uuid.create({ unique: true }, env)(rnd.at(5), 5); // '3f2a…-…-4…-8…-…' (same for row 5, always)
 * ```
 */
import { z } from 'zod';
import { fmix32 } from '../random/hash.js';
import { createPermutation, MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { randomChars } from './char-codes.js';
import { defineGenerator } from './generator-types.js';

const HEX = '0123456789abcdef';
const BYTE_HEX: string[] = [];
for (let b = 0; b < 256; b++) BYTE_HEX.push(HEX[b >>> 4]! + HEX[b & 15]!);

function hex8(x: number): string {
  return BYTE_HEX[(x >>> 24) & 255]! + BYTE_HEX[(x >>> 16) & 255]! + BYTE_HEX[(x >>> 8) & 255]! + BYTE_HEX[x & 255]!;
}

function hex4(x: number): string {
  return BYTE_HEX[(x >>> 8) & 255]! + BYTE_HEX[x & 255]!;
}

/** 32 bits → 32 bits, a keyed bijection (two rounds of a 16-bit Feistel). */
function scramble32(x: number, k1: number, k2: number): number {
  let l = x >>> 16;
  let r = x & 0xffff;
  const f = (v: number, k: number): number => fmix32((v ^ k) >>> 0) & 0xffff;
  for (const k of [k1, k2, k1 ^ 0x5bd1e995, k2 ^ 0x27d4eb2f]) {
    const n = l ^ f(r, k);
    l = r;
    r = n;
  }
  return ((l << 16) | r) >>> 0;
}

export const uuid = defineGenerator({
  name: 'uuid',
  summary: 'a version-4 UUID; unique: injective in the row index (for keys)',
  params: z.object({ unique: z.boolean().optional() }),
  create(p, env) {
    const { a, b } = env.key;
    return (rnd, row) => {
      let w0: number;
      let w3: number;
      if (p.unique) {
        const lo = row >>> 0;
        const hi = Math.floor(row / 4294967296) >>> 0;
        // (hi, lo) → (w0, w3): each half scrambled, then mixed across: a bijection on 64 bits.
        const sl = scramble32(lo, a, b);
        w0 = scramble32((hi ^ sl) >>> 0, b, a);
        w3 = (sl ^ fmix32(w0)) >>> 0;
      } else {
        w0 = rnd.uint32();
        w3 = rnd.uint32();
      }
      const w1 = rnd.uint32();
      const w2 = rnd.uint32();
      // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: version 4, variant 10xx.
      const version = hex4(((w1 & 0x0fff) | 0x4000) >>> 0);
      const variant = hex4((((w2 >>> 16) & 0x3fff) | 0x8000) >>> 0);
      return `${hex8(w0)}-${hex4(w1 >>> 16)}-${version}-${variant}-${hex4(w2 & 0xffff)}${hex8(w3)}`;
    };
  },
  capacity: () => MAX_PERMUTATION_SIZE,
});

export const hex = defineGenerator({
  name: 'hex',
  summary: 'a lower-case hex digest of `length` digits (sha1: 40, sha256: 64, md5: 32)',
  params: z.object({ length: z.number().int().min(1).default(40), unique: z.boolean().optional() }),
  create(p, env) {
    const encoded = Math.min(p.length, 13);
    const perm = p.unique ? createPermutation(16 ** encoded, env.key) : undefined;
    return (rnd, row) => {
      const parts: string[] = [];
      const random = perm ? p.length - encoded : p.length;
      for (let k = 0; k < random; k += 8) parts.push(hex8(rnd.uint32()).slice(0, Math.min(8, random - k)));
      if (perm) parts.push(perm(row).toString(16).padStart(encoded, '0'));
      return parts.join('');
    };
  },
  capacity: (p) => Math.min(16 ** Math.min(p.length, 13), MAX_PERMUTATION_SIZE),
});

const BCRYPT = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const passwordHash = defineGenerator({
  name: 'password-hash',
  summary: 'a bcrypt-shaped hash ($2b$10$ + 53 characters); not the hash of any real password',
  params: z.object({ cost: z.number().int().min(4).max(31).default(10) }),
  create(p) {
    const head = `$2b$${p.cost < 10 ? `0${p.cost}` : p.cost}$`;
    return (rnd) => head + randomChars(rnd, BCRYPT, 53);
  },
});
