/**
 * Text generators: words and sentences (faker's English word lists), codes from
 * an alphabet (unique by a permutation of the code space), templates such as
 * `???-#####`, strings matching a regular expression (from a CHECK), and any
 * faker method by name (`person.firstName`). Length, LIKE and uniqueness are
 * applied afterwards by the column's text fit.
 *
 * @example
 * ```ts
 * words.create({ min: 1, max: 3 }, env)(rnd.at(0), 0);          // 'silver harbor'
 * template.create({ pattern: 'ORD-######' }, env)(rnd.at(0), 0); // 'ORD-804215'
 * fakerMethod.create({ method: 'person.firstName' }, env)(rnd.at(0), 0); // 'Ada'
 * ```
 */
import { z } from 'zod';
import { UsageError } from '@understudy/core';
import { enumerationLayout, generateFromRegex, layoutCapacity, parseRegex, regexLengthBounds, regexMatcher, stringAtIndex } from '../checks/regex-subset.js';
import { createPermutation, MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { fmix32, type AddressKey } from '../random/hash.js';
import type { GeneratedValue } from '../values.js';
import { CharCodes } from './char-codes.js';
import { defineGenerator, type ValueFn } from './generator-types.js';
import { compileTextFit } from './text-fit.js';
import { wordPool } from './word-pool.js';

/** Scratch space for codes drawn a character at a time (one generator runs at a time in a thread). */
const codes = new CharCodes();

const Case = z.enum(['lower', 'title', 'sentence']).optional();

function applyCase(text: string, mode: z.infer<typeof Case>): string {
  if (mode === 'title') return text.replace(/\b[a-z]/g, (c) => c.toUpperCase());
  if (mode === 'sentence') return text.charAt(0).toUpperCase() + text.slice(1);
  return text;
}

export const words = defineGenerator({
  name: 'words',
  summary: 'min…max words of the locale',
  params: z.object({ min: z.number().int().min(1).default(1), max: z.number().int().min(1).default(3), case: Case }),
  create(p, env) {
    const plain = wordPool(env.faker.faker).words;
    // Title case word by word is the same as over the joined words; sentence case touches the first only.
    const list = p.case === 'title' ? plain.map((w) => applyCase(w, 'title')) : plain;
    const first = p.case === 'sentence' ? plain.map((w) => applyCase(w, 'sentence')) : list;
    const n = list.length;
    return (rnd) => {
      const count = p.min === p.max ? p.min : rnd.int(p.min, Math.max(p.min, p.max));
      // Joined once (a `+=` per word makes a rope that the encoder would flatten again).
      const parts = new Array<string>(count);
      parts[0] = first[rnd.index(n)]!;
      for (let k = 1; k < count; k++) parts[k] = list[rnd.index(n)]!;
      return count === 1 ? parts[0] : parts.join(' ');
    };
  },
});

export const sentences = defineGenerator({
  name: 'sentences',
  summary: 'min…max sentences of words of the locale',
  params: z.object({ min: z.number().int().min(1).default(1), max: z.number().int().min(1).default(1), words: z.number().int().min(2).default(8) }),
  create(p, env) {
    const list = wordPool(env.faker.faker).words;
    const capitalized = list.map((w) => applyCase(w, 'sentence'));
    const n = list.length;
    return (rnd) => {
      const count = rnd.int(p.min, Math.max(p.min, p.max));
      const parts: string[] = [];
      for (let s = 0; s < count; s++) {
        const length = rnd.int(Math.max(2, p.words - 4), p.words + 4);
        parts.push(capitalized[rnd.index(n)]!);
        for (let k = 1; k < length; k++) parts.push(list[rnd.index(n)]!);
        parts[parts.length - 1] += '.';
      }
      return parts.join(' ');
    };
  },
});

export const ALPHABETS = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  upperAlnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  hex: '0123456789abcdef',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./',
} as const;
export const Alphabet = z.enum(Object.keys(ALPHABETS) as [keyof typeof ALPHABETS, ...Array<keyof typeof ALPHABETS>]);

/** The number of distinct codes of `length` over an alphabet of `size` letters, capped at 2^52. */
function codeSpace(size: number, length: number): number {
  return Math.min(size ** length, MAX_PERMUTATION_SIZE);
}

/** Unique codes whose lengths follow `lengths` ([length, rows] pairs): see the `lengths` param of `letters`. */
function codesByLength(lengths: ReadonlyArray<readonly [number, number]>, alphabet: string, prefix: string, key: AddressKey): (rnd: unknown, row: number) => string {
  const size = alphabet.length;
  const total = lengths.reduce((n, [, rows]) => n + rows, 0);
  const shuffle = total > 0 ? createPermutation(total, { a: fmix32(key.a ^ 0x5bd1e995), b: key.b }) : undefined;
  const starts: number[] = [];
  let at = 0;
  for (const [, rows] of lengths) {
    starts.push(at);
    at += rows;
  }
  const perms = lengths.map(([length], i) => createPermutation(codeSpace(size, length), { a: key.a, b: fmix32(key.b + Math.imul(i + 1, 0x9e3779b9)) }));
  return (_rnd, row) => {
    const r = shuffle && row < total ? shuffle(row) : row;
    let g = lengths.length - 1;
    while (g > 0 && r < starts[g]!) g--;
    const length = lengths[g]![0];
    let x = perms[g]!(r - starts[g]!);
    const tail = new Array<number>(length);
    for (let k = length - 1; k >= 0; k--) {
      tail[k] = alphabet.charCodeAt(x % size);
      x = Math.floor(x / size);
    }
    codes.append(prefix);
    for (const c of tail) codes.push(c);
    return codes.take();
  };
}

export const letters = defineGenerator({
  name: 'letters',
  summary: 'a code of minLength…maxLength characters from an alphabet (or chars); unique: fixed length, permuted',
  params: z.object({
    minLength: z.number().int().min(0).default(1),
    maxLength: z.number().int().min(0).default(8),
    alphabet: Alphabet.default('upper'),
    /** Characters to use instead of a named alphabet (each once), e.g. nanoid's `A-Za-z0-9_-` spelled out. */
    chars: z.string().min(2).optional(),
    /** Characters the first position is drawn from (cuid2 ids start with a letter); the code's other positions use the alphabet. */
    firstChars: z.string().min(1).optional(),
    prefix: z.string().optional(),
    unique: z.boolean().optional(),
    /**
     * With unique: rows per code length (`[[2, 200], [3, 49]]`), from a profile's text lengths. The rows,
     * shuffled, are dealt out to the lengths in these counts; each length's codes are permuted in its own
     * space, and codes of different lengths never collide. Rows past the total take the last length.
     */
    lengths: z
      .array(z.tuple([z.number().int().min(1), z.number().int().min(0)]))
      .min(1)
      .optional(),
  }),
  create(p, env) {
    const alphabet: string = p.chars ?? ALPHABETS[p.alphabet];
    const size = alphabet.length;
    const first = p.firstChars;
    const prefix = p.prefix ?? '';
    if (p.unique && p.lengths) return codesByLength(p.lengths, alphabet, prefix, env.key);
    if (p.unique) {
      const length = p.maxLength;
      const space = codeSpace(size, length);
      const perm = createPermutation(space, env.key);
      // Digits of the permuted index fill the last positions; the rest is random.
      const encoded = Math.min(length, Math.ceil(Math.log(space) / Math.log(size) - 1e-9));
      return (rnd, row) => {
        let x = perm(row);
        const tail = new Array<number>(encoded);
        for (let k = encoded - 1; k >= 0; k--) {
          tail[k] = alphabet.charCodeAt(x % size);
          x = Math.floor(x / size);
        }
        codes.append(prefix);
        for (let k = encoded; k < length; k++) {
          const from = k === encoded && first !== undefined ? first : alphabet;
          codes.push(from.charCodeAt(rnd.index(from.length)));
        }
        for (const c of tail) codes.push(c);
        return codes.take();
      };
    }
    return (rnd) => {
      const length = rnd.int(p.minLength, Math.max(p.minLength, p.maxLength));
      codes.append(prefix);
      for (let k = 0; k < length; k++) {
        const from = k === 0 && first !== undefined ? first : alphabet;
        codes.push(from.charCodeAt(rnd.index(from.length)));
      }
      return codes.take();
    };
  },
  capacity: (p) =>
    p.unique && p.lengths ? p.lengths.reduce((n, [length]) => n + codeSpace((p.chars ?? ALPHABETS[p.alphabet]).length, length), 0) : codeSpace((p.chars ?? ALPHABETS[p.alphabet]).length, p.maxLength),
});

export const template = defineGenerator({
  name: 'template',
  summary: '`#` a digit, `?` an upper-case letter, `*` a letter or digit; anything else as is',
  params: z.object({ pattern: z.string().min(1) }),
  create(p) {
    const pattern = p.pattern;
    return (rnd) => {
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern.charCodeAt(i);
        if (c === 35)
          codes.push(48 + rnd.index(10)); // #
        else if (c === 63)
          codes.push(65 + rnd.index(26)); // ?
        else if (c === 42)
          codes.push(ALPHABETS.upperAlnum.charCodeAt(rnd.index(36))); // *
        else codes.push(c);
      }
      return codes.take();
    };
  },
});

/** Distinct strings a unique regex column's layout must offer before it stops growing: more than any seed writes. */
const ENOUGH_DISTINCT = 2 ** 40;

/**
 * The enumeration layout of the shortest strings that still offer `ENOUGH_DISTINCT` values (or all
 * there are): a tag name under `^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$` in a `text` column of at most
 * 255 characters is 9 characters long, not 255.
 */
function shortLayout(parsed: ReturnType<typeof parseRegex>, maxLength: number | undefined): string[] | undefined {
  const full = enumerationLayout(parsed, maxLength);
  if (!full || layoutCapacity(full) < ENOUGH_DISTINCT) return full;
  const { min } = regexLengthBounds(parsed);
  for (let length = Math.max(min, 1); length < full.length; length++) {
    const layout = enumerationLayout(parsed, length);
    if (layout && layoutCapacity(layout) >= ENOUGH_DISTINCT) return layout;
  }
  return full;
}

export const regex = defineGenerator({
  name: 'regex',
  summary: 'a string matching a regular expression (subset: classes, groups, quantifiers)',
  params: z.object({
    pattern: z.string(),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    unique: z.boolean().optional(),
    /**
     * What the column's name gives (an e-mail, a URL), kept in every row where it matches the
     * pattern and fits the lengths; the pattern's own strings elsewhere. With `unique`, made unique
     * as such text is (`preferUnique`: `.<row>` before an e-mail's `@`, else `-<row>`).
     */
    prefer: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) }).optional(),
    preferUnique: z.enum(['suffix', 'email']).optional(),
    caseInsensitive: z.boolean().optional(),
  }),
  create(p, env) {
    const parsed = parseRegex(p.pattern);
    let own: ValueFn;
    if (p.unique) {
      const layout = shortLayout(parsed, p.maxLength);
      if (!layout) throw new UsageError(`pattern /${p.pattern}/ cannot be enumerated for a unique column`);
      const perm = createPermutation(layoutCapacity(layout), env.key);
      own = (_rnd, row) => stringAtIndex(layout, perm(row));
    } else {
      const bounds = { minLength: p.minLength, maxLength: p.maxLength };
      own = (rnd) => generateFromRegex(parsed, rnd, bounds);
    }
    if (!p.prefer) return own;
    const named = env.compile(p.prefer);
    const matches = regexMatcher(parsed, p.caseInsensitive);
    const fit = compileTextFit({
      ...(p.maxLength !== undefined ? { maxLength: p.maxLength } : {}),
      ...(p.minLength !== undefined ? { minLength: p.minLength } : {}),
      ...(p.unique ? { unique: p.preferUnique ?? 'suffix' } : {}),
      ...(p.preferUnique === 'email' ? { style: 'email' as const } : {}),
    });
    const min = p.minLength ?? 0;
    const max = p.maxLength ?? Infinity;
    return (rnd, row) => {
      const value = named(rnd, row);
      if (typeof value === 'string') {
        const fitted = fit(value, rnd, row);
        if (fitted.length >= min && fitted.length <= max && matches(fitted)) return fitted;
      }
      return own(rnd, row);
    };
  },
  capacity: (p) => {
    const parsed = parseRegex(p.pattern);
    const layout = enumerationLayout(parsed, p.maxLength);
    if (!layout) return 1;
    const { min } = regexLengthBounds(parsed);
    if (p.maxLength !== undefined && min > p.maxLength) return 0;
    return layoutCapacity(layout);
  },
});

/** Resolves `module.method` on a faker instance, or undefined. */
function resolveFakerMethod(faker: object, method: string): ((...args: unknown[]) => unknown) | undefined {
  const [moduleName, fnName, ...rest] = method.split('.');
  if (!moduleName || !fnName || rest.length > 0) return undefined;
  const module = (faker as Record<string, unknown>)[moduleName];
  if (module === null || typeof module !== 'object') return undefined;
  const fn = (module as Record<string, unknown>)[fnName];
  return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown).bind(module) : undefined;
}

function toValue(result: unknown, pick: string | undefined): GeneratedValue {
  let v = result;
  if (pick !== undefined && v !== null && typeof v === 'object') v = (v as Record<string, unknown>)[pick];
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

export const fakerMethod = defineGenerator({
  name: 'faker',
  summary: 'any faker method by name (`person.firstName`), with optional args and a property to pick',
  params: z.object({ method: z.string(), args: z.array(z.unknown()).optional(), pick: z.string().optional() }),
  create(p, env) {
    const fn = resolveFakerMethod(env.faker.faker, p.method);
    if (!fn) {
      throw new UsageError(`${env.table}.${env.column}: faker has no method "${p.method}"`, {
        hint: 'Name a faker method as module.method, e.g. person.firstName, internet.email, commerce.price.',
      });
    }
    const args = p.args ?? [];
    return (rnd) => {
      env.faker.use(rnd);
      return toValue(fn(...args), p.pick);
    };
  },
});
