/**
 * Fits any generated text into its column: character set, case, LIKE pattern,
 * minimum and maximum length, and, for UNIQUE columns, an injective suffix.
 *
 * Uniqueness by construction: the row index in base 36 (`d`) ends the value's
 * core, after the last separator: `realistic-part` + `-` + `d`, or + ` ` + `d` when
 * the realistic text has spaces (it then reads as one more word), or `local.d@domain`
 * for e-mail. Digits never contain a separator, and a `-`-joined value has no space,
 * so the row index is the run after the value's last space or `-`: it can be read
 * back from any value, and two rows can never share one, in any chunk or worker.
 * When the length is too small for a realistic part, the value is `d` alone
 * (zero-padded to the minimum length), which has no separator and so cannot
 * equal a value of the first form. Both forms stay distinct when compared
 * case-insensitively (MySQL `_ci` collations), since digits are lower case.
 *
 * @example
 * ```ts
 * const fit = compileTextFit({ maxLength: 12, unique: 'email' });
 * fit('ada.lovelace@example.com', rnd, 1234); // 'ada.ya@x.io'
 * ```
 */
import { z } from 'zod';
import { buildLikeValue, likeFixedLength, likeHasWildcard, likeMatches, parseLike, type LikePattern } from '../checks/like-pattern.js';
import type { AddressRandom } from '../random/address-random.js';
import { MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { randomChars } from './char-codes.js';

export const TextFit = z.object({
  minLength: z.number().int().min(0).optional(),
  maxLength: z.number().int().min(0).optional(),
  /** A LIKE pattern every value matches (from a CHECK). */
  like: z.string().optional(),
  likeCaseInsensitive: z.boolean().optional(),
  /** Unique by construction: `suffix` appends `-<base36 row>` (` <base36 row>` after words), `email` puts `.<base36 row>` before the `@`. */
  unique: z.enum(['suffix', 'email']).optional(),
  /** `email`: shorten an e-mail by its local part first, keeping `@domain`. */
  style: z.enum(['email']).optional(),
  /** `ascii`: fold accents and drop other non-ASCII; `bmp`: drop characters outside the BMP (MySQL utf8mb3). */
  charset: z.enum(['ascii', 'bmp']).optional(),
  case: z.enum(['lower', 'upper']).optional(),
});
export type TextFit = z.infer<typeof TextFit>;

export type TextFitFn = (value: string, rnd: AddressRandom, rowIndex: number) => string;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const NON_ASCII = /[^\x00-\x7f]/;

function cleanCharset(value: string, charset: TextFit['charset']): string {
  if (!charset || !NON_ASCII.test(value)) return value;
  if (charset === 'bmp') return value.replace(/[\ud800-\udfff]/g, '');
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '');
}

/**
 * At most `n` UTF-16 units of `value`, never splitting a surrogate pair, without trailing
 * spaces, and cut at a word boundary when the cut would fall inside a word and an
 * earlier boundary keeps at least `minLength` characters ("Raven Smith" in 9 → "Raven",
 * not "Raven Smi"). A single word longer than `n` is cut: there is nothing else to keep.
 *
 * @example
 * ```ts
 * truncateText('hello world', 7); // 'hello'
 * truncateText('Sweden Guatemala', 15); // 'Sweden'
 * ```
 */
export function truncateText(value: string, n: number, minLength = 0): string {
  if (value.length <= n) return value;
  let cut = value.slice(0, Math.max(0, n));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  if (WORD_CHAR.test(value.charAt(cut.length)) && WORD_CHAR.test(cut.charAt(cut.length - 1))) {
    const boundary = cut.search(LAST_WORD);
    if (boundary > 0 && cut.slice(0, boundary).trimEnd().length >= Math.max(1, minLength)) cut = cut.slice(0, boundary);
  }
  return cut.trimEnd();
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Where the last (partial) word of a cut starts: after its last space or hyphen. */
const LAST_WORD = /[\s-][^\s-]*$/;

function padLetters(value: string, length: number, rnd: AddressRandom): string {
  return value.length >= length ? value : value + randomChars(rnd, LETTERS, length - value.length);
}

/** Trailing characters that read badly before a separator. */
const TRAILING = /[\s._@+-]+$/;

/**
 * `realistic + sep + base36(rowIndex)` within [minLength, maxLength], or
 * `base36(rowIndex)` zero-padded when there is no room for a realistic part.
 */
export function uniqueCore(realistic: string, rowIndex: number, minLength: number, maxLength: number, sep: string, upper: boolean, rnd: AddressRandom): string {
  const digits = upper ? rowIndex.toString(36).toUpperCase() : rowIndex.toString(36);
  if (maxLength >= digits.length + 2) {
    let head = truncateText(realistic, maxLength - digits.length - 1, minLength - digits.length - 1).replace(TRAILING, '');
    if (head.length === 0) head = upper ? 'X' : 'x';
    const needed = minLength - (head.length + 1 + digits.length);
    if (needed > 0) head = padLetters(head, head.length + needed, rnd);
    return `${head}${sep}${digits}`;
  }
  if (maxLength <= 0 && rowIndex === 0 && minLength <= 0) return '';
  if (digits.length > maxLength) {
    throw new RangeError(`row ${rowIndex} does not fit a unique value of at most ${maxLength} characters`);
  }
  return digits.padStart(Math.max(minLength, digits.length), '0');
}

/**
 * How many rows a unique text column can hold: 36^(room for the digits), at most 2^52.
 *
 * @example
 * ```ts
 * uniqueTextCapacity({ maxLength: 2 }); // 1296
 * ```
 */
export function uniqueTextCapacity(fit: TextFit): number {
  const like = fit.like === undefined ? undefined : parseLike(fit.like);
  if (like && !likeHasWildcard(like)) return 1;
  const room = (fit.maxLength ?? Infinity) - (like ? likeFixedLength(like) : 0);
  if (room <= 0) return 1;
  return room >= 11 ? MAX_PERMUTATION_SIZE : Math.min(36 ** room, MAX_PERMUTATION_SIZE);
}

function fitEmail(value: string, maxLength: number, rnd: AddressRandom, rowIndex: number | undefined, upper: boolean, minLength: number): string | undefined {
  const at = value.lastIndexOf('@');
  if (at <= 0) return undefined;
  const local = value.slice(0, at).replace(/@/g, '');
  let domain = value.slice(at + 1);
  if (rowIndex === undefined && value.length <= maxLength) return value;
  if (domain.length > maxLength - 2) domain = 'x.io';
  const budget = maxLength - 1 - domain.length;
  if (budget < 1) return undefined;
  if (rowIndex === undefined) {
    const head = truncateText(local, budget).replace(TRAILING, '') || 'x';
    return `${head}@${domain}`;
  }
  const digits = rowIndex.toString(36);
  if (budget < digits.length) return undefined;
  const head = uniqueCore(local, rowIndex, Math.max(0, minLength - 1 - domain.length), budget, '.', upper, rnd);
  return `${head}@${domain}`;
}

/**
 * Compiles a fit once; the returned function runs per value.
 *
 * @example
 * ```ts
 * const fit = compileTextFit({ maxLength: 10, unique: 'suffix' });
 * fit('Quiet Harbor Light', rnd, 1234); // 'Quiet ya'
 * ```
 */
export function compileTextFit(fit: TextFit): TextFitFn {
  const max = fit.maxLength ?? Infinity;
  const min = Math.min(fit.minLength ?? 0, max);
  const like: LikePattern | undefined = fit.like === undefined ? undefined : parseLike(fit.like, fit.likeCaseInsensitive);
  const fixed = like ? likeFixedLength(like) : 0;
  const upper = fit.case === 'upper';
  const recase = (v: string): string => (fit.case === 'lower' ? v.toLowerCase() : fit.case === 'upper' ? v.toUpperCase() : v);
  const emailish = fit.unique === 'email' || fit.style === 'email';

  return (raw, rnd, rowIndex) => {
    const value = recase(cleanCharset(raw, fit.charset));
    if (like) {
      if (!fit.unique && value.length <= max && value.length >= min && likeMatches(like, value)) return value;
      if (fit.unique === 'email' && max !== Infinity) {
        const email = fitEmail(value, max, rnd, rowIndex, upper, min);
        if (email !== undefined && likeMatches(like, email)) return email;
      }
      const room = max - fixed;
      const minCore = Math.max(0, min - fixed);
      const core = fit.unique ? uniqueCore(value.replace(/@/g, ''), rowIndex, minCore, room, '-', upper, rnd) : padLetters(truncateText(value, room), minCore, rnd);
      return recase(buildLikeValue(like, core, rnd));
    }
    if (fit.unique) {
      if (emailish && max !== Infinity) {
        const email = fitEmail(value, max, rnd, rowIndex, upper, min);
        if (email !== undefined) return email;
      } else if (emailish) {
        const at = value.lastIndexOf('@');
        if (at > 0) return `${uniqueCore(value.slice(0, at), rowIndex, 0, Infinity, '.', upper, rnd)}${value.slice(at)}`;
      }
      if (emailish) return uniqueCore(value.replace(/@/g, ''), rowIndex, min, max, '-', upper, rnd);
      // Words take their row number as one more word ("Quiet Harbor 1z"); other text as "-1z".
      return uniqueCore(value, rowIndex, min, max, value.includes(' ') ? ' ' : '-', upper, rnd);
    }
    let out = value;
    if (out.length > max) out = (emailish ? fitEmail(out, max, rnd, undefined, upper, min) : undefined) ?? truncateText(out, max);
    if (out.length < min) out = padLetters(out, min, rnd);
    return out;
  };
}
