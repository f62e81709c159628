/**
 * Network generators: IPv4/IPv6 addresses (`inet`), networks (`cidr`, host bits
 * zero) and MAC addresses (6 or 8 bytes). Unique variants permute the row index
 * over the address space.
 *
 * @example
 * ```ts
 * inet.create({ family: 4 }, env)(rnd.at(0), 0);   // '172.16.88.14'
 * macaddr.create({ bytes: 6 }, env)(rnd.at(0), 0); // '08:00:2b:01:02:03'
 * ```
 */
import { z } from 'zod';
import { createPermutation, MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { defineGenerator } from './generator-types.js';

function ipv4(x: number): string {
  return `${(x >>> 24) & 255}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
}

function hex2(n: number): string {
  return n < 16 ? `0${n.toString(16)}` : n.toString(16);
}

export const inet = defineGenerator({
  name: 'inet',
  summary: 'an IPv4 (public-looking 1.0.0.0–223.255.255.255) or IPv6 address',
  params: z.object({ family: z.union([z.literal(4), z.literal(6)]).default(4), unique: z.boolean().optional() }),
  create(p, env) {
    if (p.family === 6) {
      const perm = p.unique ? createPermutation(2 ** 32, env.key) : undefined;
      return (rnd, row) => {
        const words: string[] = ['2001', 'db8'];
        for (let k = 0; k < 4; k++) words.push((rnd.uint32() & 0xffff).toString(16));
        const tail = perm ? perm(row) : rnd.uint32();
        words.push(((tail >>> 16) & 0xffff).toString(16), (tail & 0xffff).toString(16));
        return words.join(':');
      };
    }
    const space = 223 * 2 ** 24;
    if (p.unique) {
      const perm = createPermutation(space, env.key);
      return (_rnd, row) => ipv4(2 ** 24 + perm(row));
    }
    return (rnd) => ipv4(2 ** 24 + Math.floor(rnd.fraction() * space));
  },
  capacity: (p) => (p.family === 6 ? 2 ** 32 : 223 * 2 ** 24),
});

export const cidr = defineGenerator({
  name: 'cidr',
  summary: 'an IPv4 network with its host bits zero (/8…/30)',
  params: z.object({ unique: z.boolean().optional() }),
  create(p, env) {
    if (p.unique) {
      const perm = createPermutation(2 ** 24, env.key);
      return (_rnd, row) => `${ipv4(perm(row) * 256)}/24`;
    }
    return (rnd) => {
      const prefix = rnd.int(8, 30);
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      return `${ipv4((rnd.uint32() & mask) >>> 0)}/${prefix}`;
    };
  },
  capacity: () => 2 ** 24,
});

export const macaddr = defineGenerator({
  name: 'macaddr',
  summary: 'a MAC address of 6 (macaddr) or 8 (macaddr8) bytes',
  params: z.object({ bytes: z.union([z.literal(6), z.literal(8)]).default(6), unique: z.boolean().optional() }),
  create(p, env) {
    const perm = p.unique ? createPermutation(MAX_PERMUTATION_SIZE, env.key) : undefined;
    return (rnd, row) => {
      const parts: string[] = [];
      if (perm) {
        // A locally administered prefix byte, then 6 bytes (52 bits) of the permuted row index.
        let x = perm(row);
        const tail: string[] = [];
        for (let k = 0; k < p.bytes - 1; k++) {
          tail.push(hex2(x % 256));
          x = Math.floor(x / 256);
        }
        return ['02', ...tail.reverse()].join(':');
      }
      for (let k = 0; k < p.bytes; k++) parts.push(hex2(k === 0 ? (rnd.uint32() & 0xfc) | 0x02 : rnd.uint32() & 0xff));
      return parts.join(':');
    };
  },
  capacity: () => MAX_PERMUTATION_SIZE,
});
