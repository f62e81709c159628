/**
 * A column's constant DEFAULT says what most of its rows hold: the settings columns of a
 * users table (`lang varchar(5) DEFAULT 'en_GB'`, `sort varchar(255) DEFAULT 'desc'`,
 * `limit_nb tinyint DEFAULT 15`), a status that starts as `'pending'`, a flag that is off
 * until someone turns it on. Production keeps the default in most rows, and a small
 * integer that defaults to 0 or 1 under a name that counts nothing (`deactivated smallint
 * DEFAULT 0`, `use_markdown tinyint(3) unsigned DEFAULT 0`, `notif_comment_created … DEFAULT
 * 1`) is a flag: 0 or 1, not 340.
 *
 * Only where the name gave no meaning of its own, or a categorical one (a status, a role, a
 * code, a language); never where a key, a CHECK, an enum or a configured generator decides.
 *
 * @example
 * ```ts
 * defaultedSpec({ kind: 'smallint', name: 'deactivated', value: '0', rows: 1000, spec, named: undefined });
 * // { spec: { name: 'values', params: { values: [0, 1], weights: [85, 15] } }, reason: 'DEFAULT 0 on a small integer named for no count: a flag' }
 * ```
 */
import type { ColumnKind } from '@understudy/core';
import type { GeneratorSpecInput } from '../infer/semantic-intents.js';
import { nameTokens } from '../infer/name-tokens.js';

/** The share of rows that keep a constant default. */
export const DEFAULT_SHARE = 0.6;
/** A flag's rows at its default. */
const FLAG_DEFAULT_SHARE = 85;

/** Kinds a name gives whose values are categories, where a default is the usual one. */
const CATEGORICAL = new Set(['status', 'role', 'priority', 'tag', 'words', 'code', 'language', 'locale', 'currency_code', 'color', 'code_int', 'timezone', 'country_code', 'mime_type', 'version']);

/** Name words of a number that counts, measures, orders or identifies (not a flag). */
const NUMBER_WORDS = new Set(
  (
    'count counter counts num number nb no total totals size limit max min maximum minimum level order ordering position pos sort ' +
    'priority rank ranking score weight version year age duration attempts attempt retries retry tries port amount qty quantity ' +
    'times days hours minutes seconds secs ms width height depth length id code status type kind mode scope state stage tier ' +
    'layout step index idx offset percent pct rate ratio balance credits points votes likes views hits errors failures ' +
    'base interval timeout ttl delay threshold capacity value sequence seq method'
  ).split(' '),
);

/** First words of a setting that turns something on or off (`append_pdfs`, `use_markdown`, `notif_comments`). */
const SWITCH_WORDS = new Set('use uses allow allows enable disable show hide include inc append send notify notif auto force require is has can should'.split(' '));

/** A plural last word (`device_threads`, `graphs`, `data_sources`) counts things, unless a switch word comes first. */
function counts(words: readonly string[]): boolean {
  const last = words.at(-1) ?? '';
  return last.length > 3 && /[^su]s$/.test(last) && !SWITCH_WORDS.has(words[0] ?? '');
}

const SMALL_INTEGERS = new Set<ColumnKind>(['tinyint', 'smallint']);
const INTEGERS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint']);
const NUMBERS = new Set<ColumnKind>([...INTEGERS, 'decimal', 'money', 'real', 'double']);
const TEXTS = new Set<ColumnKind>(['char', 'varchar', 'text', 'citext']);

export interface DefaultedInput {
  readonly name: string;
  readonly kind: ColumnKind;
  /** The literal default, as the schema holds it (`'0'`, `'en_GB'`). */
  readonly value: string;
  /** The column's length (text), when bounded. */
  readonly length?: number;
  readonly rows: number;
  /** The generator chosen from the name or the type. */
  readonly spec: GeneratorSpecInput;
  /** The semantic kind the name gave, or undefined when the type chose. */
  readonly named: string | undefined;
}

/**
 * The value of a literal default as the schema holds it: PostgreSQL's SQL text (`'en_GB'::character
 * varying`, `'15'::smallint`, `(-1)`) or MySQL's bare value (`en_GB`, `0`).
 *
 * @example
 * ```ts
 * literalValue("'it''s'::text"); // "it's"
 * ```
 */
export function literalValue(raw: string): string {
  let v = raw.trim();
  while (/^\(.*\)$/s.test(v)) v = v.slice(1, -1).trim();
  const quoted = /^'((?:[^']|'')*)'(?:\s*::\s*[\w\s."]+(?:\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\[\])?)*$/s.exec(v);
  if (quoted) return quoted[1]!.replace(/''/g, "'");
  const cast = /^(-?\d+(?:\.\d+)?)\s*::\s*[\w\s"]+$/.exec(v);
  return cast ? cast[1]! : v;
}

/** See the module comment: the spec with the default's share of rows, or undefined to leave it. */
export function defaultedSpec(input: DefaultedInput): { spec: GeneratorSpecInput; reason: string } | undefined {
  const { kind, named } = input;
  const value = literalValue(input.value);
  if (named !== undefined && !CATEGORICAL.has(named) && !named.startsWith('flag')) return undefined;
  let typed: string | number;
  if (INTEGERS.has(kind)) {
    if (!/^-?\d+$/.test(value.trim())) return undefined;
    typed = Number(value);
    if (!Number.isSafeInteger(typed)) return undefined;
  } else if (NUMBERS.has(kind)) {
    if (!/^-?\d+(?:\.\d+)?$/.test(value.trim())) return undefined;
    typed = value.trim();
  } else if (TEXTS.has(kind)) {
    if (value === '' || (input.length !== undefined && [...value].length > input.length)) return undefined;
    typed = value;
  } else {
    return undefined;
  }
  // A small integer that starts at 0 or 1 and counts nothing: a flag.
  const words = nameTokens(input.name);
  if (
    typeof typed === 'number' &&
    (typed === 0 || typed === 1) &&
    SMALL_INTEGERS.has(kind) &&
    (named === undefined || named.startsWith('flag')) &&
    !words.some((w) => NUMBER_WORDS.has(w)) &&
    !counts(words)
  ) {
    const weights = typed === 0 ? [FLAG_DEFAULT_SHARE, 100 - FLAG_DEFAULT_SHARE] : [100 - FLAG_DEFAULT_SHARE, FLAG_DEFAULT_SHARE];
    return { spec: { name: 'values', params: { values: [0, 1], weights } }, reason: `DEFAULT ${typed} on a small integer named for no count: a flag, mostly ${typed}` };
  }
  // A flag the name already made keeps its own rates.
  if (named !== undefined && named.startsWith('flag')) return undefined;
  return {
    spec: { name: 'distribution', params: { valueType: 'other', rows: Math.max(1, input.rows), common: { values: [typed], weights: [DEFAULT_SHARE] }, fallback: input.spec } },
    reason: `DEFAULT ${typeof typed === 'string' && TEXTS.has(kind) ? `'${typed}'` : typed} in ${Math.round(DEFAULT_SHARE * 100)}% of the rows`,
  };
}
