import { describe, expect, it } from 'vitest';
import { CharCodes, randomChars } from './char-codes.js';

describe('CharCodes', () => {
  it('gives the string of the codes pushed, of any length, and starts over after each take', () => {
    const codes = new CharCodes();
    codes.append('ab');
    codes.push(0x1f600 >> 10); // any UTF-16 code unit
    expect(codes.take()).toBe(`ab${String.fromCharCode(0x1f600 >> 10)}`);
    expect(codes.take()).toBe('');
    const long = 'xyz'.repeat(10_000); // past the 8,192 codes fromCharCode takes at once
    codes.append(long);
    expect(codes.take()).toBe(long);
  });

  it('draws characters of the alphabet, one index per character', () => {
    let k = 0;
    const rnd = { index: (n: number) => k++ % n };
    expect(randomChars(rnd, 'ab', 5)).toBe('ababa');
    expect(randomChars(rnd, 'ab', 0)).toBe('');
  });
});
