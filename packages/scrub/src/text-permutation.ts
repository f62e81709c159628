/**
 * A keyed, format-preserving permutation of strings, for text keys (codes, SKUs,
 * usernames, uuids, e-mails on a unique column): every digit stays a digit, every
 * lower-case letter a lower-case letter, every upper-case letter an upper-case
 * letter (hex digits stay hex digits in `hex` mode), and every other character
 * stays where it is. So length and shape are kept, and the map is a bijection
 * on the strings of each shape: collision-free by construction.
 *
 * The permutable positions are split in two halves A and B; eight alternating
 * rounds add to each position of one half (mod its alphabet) a keyed function of
 * the other half and the shape (HalfSipHash-2-4 chained over its characters, under
 * a round key derived from the scrub key). Each round is invertible while the other
 * half is fixed, so the whole is a bijection.
 *
 * @example
 * ```ts
 * const perm = createTextPermutation(key.derive('permute:text'));
 * perm('C0012'); // e.g. 'R7305': same length, a letter then four digits
 * ```
 */
import { halfSip, sipKey } from './keyed-prf.js';

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const HEX_LOWER = '0123456789abcdef';
const HEX_UPPER = '0123456789ABCDEF';
const ROUNDS = 8;

function alphabetOf(c: string, hex: boolean): string | undefined {
  if (hex) {
    if (/[0-9a-f]/.test(c)) return HEX_LOWER;
    if (/[A-F]/.test(c)) return HEX_UPPER;
  }
  if (c >= '0' && c <= '9') return DIGITS;
  if (c >= 'a' && c <= 'z') return LOWER;
  if (c >= 'A' && c <= 'Z') return UPPER;
  return undefined;
}

export interface TextPermutationOptions {
  /** Treat 0-9a-f as one alphabet (uuids, hex tokens), so the output stays hex. */
  readonly hex?: boolean;
}

/**
 * A keyed bijection on strings that keeps each string's shape.
 * @param subkey 32 bytes (a `ScrubKey.derive` result).
 */
export function createTextPermutation(subkey: Buffer, options: TextPermutationOptions = {}): (text: string) => string {
  const hex = options.hex === true;
  const keys = Array.from({ length: ROUNDS }, (_, r) => sipKey(subkey, r));
  return (text: string): string => {
    const chars = [...text];
    const positions: number[] = [];
    const alphabets: string[] = [];
    const digits: number[] = [];
    let shapeHash = chars.length;
    for (let i = 0; i < chars.length; i++) {
      const alphabet = alphabetOf(chars[i]!, hex);
      const shapeCode = alphabet === undefined ? chars[i]!.codePointAt(0)! + 16 : alphabet.length === 10 ? 1 : alphabet === LOWER ? 2 : alphabet === UPPER ? 3 : alphabet === HEX_LOWER ? 4 : 5;
      shapeHash = halfSip(keys[0]!, shapeHash, shapeCode);
      if (alphabet === undefined) continue;
      positions.push(i);
      alphabets.push(alphabet);
      digits.push(alphabet.indexOf(chars[i]!));
    }
    const n = digits.length;
    if (n === 0) return text;
    // With one position there is no other half to key on: the round function keys on the shape alone.
    const split = n === 1 ? 1 : n >> 1;
    const halves: [number, number][] = [
      [0, split],
      [split, n],
    ];
    for (let r = 0; r < ROUNDS; r++) {
      const [ts, te] = halves[r % 2]!;
      const [os, oe] = halves[(r + 1) % 2]!;
      const k = keys[r]!;
      let h = shapeHash;
      for (let i = os; i < oe; i++) h = halfSip(k, h, digits[i]!);
      for (let i = ts; i < te; i++) {
        const radix = alphabets[i]!.length;
        digits[i] = (digits[i]! + (halfSip(k, h, 0x40000000 + i) % radix)) % radix;
      }
      if (n === 1) break;
    }
    for (let k = 0; k < n; k++) chars[positions[k]!] = alphabets[k]![digits[k]!]!;
    return chars.join('');
  };
}
