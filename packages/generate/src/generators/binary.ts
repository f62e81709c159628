/**
 * Binary generators: byte strings (`Buffer`) and bit strings (`'0101'`).
 * Unique byte strings start with 6 bytes of a permuted row index; unique bit
 * strings are a permuted row index in binary, padded to the column's length.
 *
 * @example
 * ```ts
 * bytes.create({ minLength: 4, maxLength: 16 }, env)(rnd.at(0), 0); // <Buffer 9f 02 …>
 * bits.create({ minLength: 8, maxLength: 8 }, env)(rnd.at(0), 0);   // '10110010'
 * ```
 */
import { z } from 'zod';
import { createPermutation, MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { CharCodes } from './char-codes.js';
import { defineGenerator } from './generator-types.js';

/** Scratch space for bit strings drawn a bit at a time. */
const codes = new CharCodes();

const UNIQUE_PREFIX = 6;

export const bytes = defineGenerator({
  name: 'bytes',
  summary: 'minLength…maxLength random bytes; unique: a 6-byte permuted prefix',
  params: z.object({
    minLength: z.number().int().min(0).default(8),
    maxLength: z.number().int().min(0).default(32),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const perm = p.unique ? createPermutation(Math.min(256 ** Math.min(p.maxLength, UNIQUE_PREFIX), MAX_PERMUTATION_SIZE), env.key) : undefined;
    const prefix = Math.min(p.maxLength, UNIQUE_PREFIX);
    return (rnd, row) => {
      const length = perm ? Math.max(p.minLength, prefix) : rnd.int(p.minLength, Math.max(p.minLength, p.maxLength));
      const buffer = Buffer.allocUnsafe(length);
      let start = 0;
      if (perm) {
        let x = perm(row);
        for (let k = prefix - 1; k >= 0; k--) {
          buffer[k] = x % 256;
          x = Math.floor(x / 256);
        }
        start = prefix;
      }
      for (let k = start; k < length; k += 4) {
        const r = rnd.uint32();
        buffer[k] = r & 0xff;
        if (k + 1 < length) buffer[k + 1] = (r >>> 8) & 0xff;
        if (k + 2 < length) buffer[k + 2] = (r >>> 16) & 0xff;
        if (k + 3 < length) buffer[k + 3] = r >>> 24;
      }
      return buffer;
    };
  },
  capacity: (p) => Math.min(256 ** Math.min(p.maxLength, UNIQUE_PREFIX), MAX_PERMUTATION_SIZE),
});

export const bits = defineGenerator({
  name: 'bits',
  summary: 'a bit string of minLength…maxLength bits; unique: a permuted row index',
  params: z.object({
    minLength: z.number().int().min(0).default(1),
    maxLength: z.number().int().min(0).default(8),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    if (p.unique) {
      const width = p.maxLength;
      const encoded = Math.min(width, 52);
      const perm = createPermutation(2 ** encoded, env.key);
      return (rnd, row) => {
        for (let k = encoded; k < width; k++) codes.push(rnd.uint32() & 1 ? 49 : 48);
        codes.append(perm(row).toString(2).padStart(encoded, '0'));
        return codes.take();
      };
    }
    return (rnd) => {
      const length = rnd.int(p.minLength, Math.max(p.minLength, p.maxLength));
      for (let k = 0; k < length; k++) codes.push(rnd.uint32() & 1 ? 49 : 48);
      return codes.take();
    };
  },
  capacity: (p) => 2 ** Math.min(p.maxLength, 52),
});
