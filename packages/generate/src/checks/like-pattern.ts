/**
 * SQL LIKE patterns (`%` any run, `_` one character, `\` escape): matching, and
 * building a value that matches from a realistic core.
 *
 * @example
 * ```ts
 * const like = parseLike('SKU-%');
 * likeMatches(like, 'SKU-77');                  // true
 * buildLikeValue(like, 'blue mug', rnd, 12);    // 'SKU-blue mug'
 * ```
 */
import type { AddressRandom } from '../random/address-random.js';

export interface LikePattern {
  readonly source: string;
  /** The pattern split at unescaped `%`; inside a part, `null` stands for `_`. */
  readonly parts: ReadonlyArray<ReadonlyArray<string | null>>;
  readonly caseInsensitive: boolean;
  readonly regex: RegExp;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Parses a LIKE pattern (`%`, `_`, `\\` escapes).
 *
 * @example
 * ```ts
 * parseLike('SKU-%').parts; // [['S','K','U','-'], []]
 * ```
 */
export function parseLike(source: string, caseInsensitive = false): LikePattern {
  const parts: Array<Array<string | null>> = [[]];
  let regex = '^';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const current = parts[parts.length - 1]!;
    if (c === '\\' && i + 1 < source.length) {
      const next = source[++i]!;
      current.push(next);
      regex += escapeRegex(next);
    } else if (c === '%') {
      parts.push([]);
      regex += '[\\s\\S]*';
    } else if (c === '_') {
      current.push(null);
      regex += '[\\s\\S]';
    } else {
      current.push(c);
      regex += escapeRegex(c);
    }
  }
  regex += '$';
  return { source, parts, caseInsensitive, regex: new RegExp(regex, caseInsensitive ? 'is' : 's') };
}

/**
 * Whether `value` matches the pattern.
 *
 * @example
 * ```ts
 * likeMatches(parseLike('%@%'), 'a@b'); // true
 * ```
 */
export function likeMatches(like: LikePattern, value: string): boolean {
  return like.regex.test(value);
}

/** Characters the pattern itself fixes (all parts, `_` included). */
export function likeFixedLength(like: LikePattern): number {
  return like.parts.reduce((n, part) => n + part.length, 0);
}

/** True when the pattern has at least one `%` (room for a free core). */
export function likeHasWildcard(like: LikePattern): boolean {
  return like.parts.length > 1;
}

const FILL = 'abcdefghijklmnopqrstuvwxyz';

function fill(part: ReadonlyArray<string | null>, rnd: AddressRandom): string {
  let out = '';
  for (const c of part) out += c ?? FILL[rnd.index(FILL.length)]!;
  return out;
}

/**
 * `prefix + core + inner parts + suffix`: matches `like` whatever `core` is
 * (core goes into the first `%`). A pattern with no `%` ignores the core.
 */
export function buildLikeValue(like: LikePattern, core: string, rnd: AddressRandom): string {
  const parts = like.parts;
  if (parts.length === 1) return fill(parts[0]!, rnd);
  let out = fill(parts[0]!, rnd) + core;
  for (let p = 1; p < parts.length; p++) out += fill(parts[p]!, rnd);
  return out;
}
