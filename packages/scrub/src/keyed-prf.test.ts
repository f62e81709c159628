import { describe, expect, it } from 'vitest';
import { halfSip, KeyedStream, sipString } from './keyed-prf.js';

// The reference implementation's key (bytes 00..07) and its `vectors_hsip32` tags for the
// messages 00, 00 01, …: bytes read little-endian, as HalfSipHash does.
const KEY = { k0: 0x03020100, k1: 0x07060504 };
const TAGS: Record<number, number[]> = {
  0: [0xa9, 0x35, 0x9f, 0x5b],
  2: [0xfa, 0x62, 0xa6, 0x03],
  4: [0x2a, 0x6e, 0x46, 0x89],
  6: [0x58, 0x63, 0xfc, 0x23],
  8: [0xd0, 0xb8, 0x84, 0x8f],
  10: [0x94, 0xb0, 0x79, 0x34],
};
const le = (b: number[]): number => (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
/** The message 00 01 … (bytes - 1) as UTF-16LE code units. */
const unitsOf = (bytes: number): string => String.fromCharCode(...Array.from({ length: bytes / 2 }, (_, i) => 2 * i + ((2 * i + 1) << 8)));

describe('HalfSipHash-2-4', () => {
  it('matches the reference test vectors for an 8-byte message', () => {
    expect(halfSip(KEY, 0x03020100, 0x07060504)).toBe(le(TAGS[8]!));
  });

  it('sipString is HalfSipHash-2-4 of the UTF-16LE bytes (reference vectors, 0 to 10 bytes)', () => {
    for (const [bytes, tag] of Object.entries(TAGS)) expect(sipString(KEY, unitsOf(Number(bytes))), `${bytes} bytes`).toBe(le(tag));
  });

  it('tells apart strings that differ only in an odd last unit or in length', () => {
    const seen = new Set(['', 'a', 'ab', 'abc', 'b', 'ba', '\u0000', '\u0000\u0000', 'a\u0000'].map((s) => sipString(KEY, s)));
    expect(seen.size).toBe(9);
  });

  it('a keyed stream is the same for the same subkey and value, and differs with either', () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    const draws = (k: Buffer, v: string): number[] => {
      const s = new KeyedStream(k, v);
      return [s.uint32(), s.uint32(), s.uint32()];
    };
    expect(draws(k1, 'alice@example.com')).toEqual(draws(k1, 'alice@example.com'));
    expect(draws(k1, 'alice@example.com')).not.toEqual(draws(k2, 'alice@example.com'));
    expect(draws(k1, 'alice@example.com')).not.toEqual(draws(k1, 'alice@example.org'));
  });
});

describe('keyedHex', () => {
  it('is HMAC-SHA256 of the UTF-8 value', async () => {
    const { createHmac } = await import('node:crypto');
    const { keyedHex } = await import('./keyed-prf.js');
    const subkey = Buffer.from('0f'.repeat(32), 'hex');
    for (const v of ['', 'a', 'alice@example.com', 'Zoë Ünal — 東京', 'x'.repeat(300)]) expect(keyedHex(subkey, v)).toBe(createHmac('sha256', subkey).update(v).digest('hex'));
  });
});

describe('keyedUint64', () => {
  it('is the first 8 bytes of HMAC-SHA256, little-endian', async () => {
    const { createHmac } = await import('node:crypto');
    const { keyedUint64 } = await import('./keyed-prf.js');
    const subkey = Buffer.alloc(32, 9);
    expect(keyedUint64(subkey, 'bob')).toBe(createHmac('sha256', subkey).update('bob').digest().readBigUInt64LE(0));
  });
});
