/**
 * What a drizzle schema knows about values that the database does not: the
 * values of a TypeScript-only enum (`text({ enum: ['public', 'private'] })`,
 * `varchar({ enum })`), and the shape of the values its `$defaultFn` /
 * `$onUpdateFn` makes (ids from nanoid, cuid2, ulid or a prefixed generator;
 * `Date.now()` epoch numbers). They become generator settings in the shape of an
 * Understudy config's `tables` section, which a user's own config overrides.
 *
 * A `$defaultFn` is called a few times to see what it returns; the generator then
 * makes values of that shape, unique by construction where the column is a key.
 *
 * @example
 * ```ts
 * const hints = drizzleGenerationHints(mod, keyOf);
 * hints['public.Chat']?.visibility;
 * // { values: ['public', 'private'], reason: 'drizzle: { enum } (TypeScript only)' }
 * ```
 */
import type { DrizzleCasing } from './drizzle-config.js';
import type { DrizzleModule, DrizzleTable } from './drizzle-module-loader.js';
import { columnDbName } from './drizzle-relations.js';

/** A generator setting for one column, as a config file would give it, with why. */
export interface ColumnHint {
  readonly values?: string[];
  readonly generator?: string;
  readonly params?: Record<string, unknown>;
  readonly reason: string;
}

/** Table key → column name → hint. */
export type GenerationHints = Record<string, Record<string, ColumnHint>>;

interface HintColumn {
  readonly name: string;
  readonly keyAsName?: boolean;
  readonly table: DrizzleTable;
  readonly columnType?: string;
  readonly enumValues?: readonly string[];
  readonly defaultFn?: () => unknown;
  readonly onUpdateFn?: () => unknown;
  readonly dataType?: string;
}

/** Epoch bounds for `Date.now()`-style defaults: fixed, so the same seed makes the same rows any day. */
const EPOCH_MIN = Date.UTC(2020, 0, 1);
const EPOCH_MAX = Date.UTC(2025, 11, 31);
/**
 * Calls of a `$defaultFn` per column: enough that every character class its alphabet has
 * shows up (a nanoid of 21 characters misses `_` in 64 calls once in a billion), so the
 * hint, and the data made from it, is the same on every run.
 */
const SAMPLES = 64;

/**
 * The generator hints of every table of a module.
 *
 * @param tableKey the Schema key of a drizzle table.
 * @example
 * ```ts
 * drizzleGenerationHints(mod, (t) => `public.${mod.orm.getTableName(t)}`);
 * ```
 */
export function drizzleGenerationHints(mod: DrizzleModule, tableKey: (table: DrizzleTable) => string, casing?: DrizzleCasing): GenerationHints {
  const getTableConfig = (mod.dialect === 'postgres' ? mod.orm.pg : mod.orm.mysql)['getTableConfig'] as (t: DrizzleTable) => { columns: HintColumn[] };
  const hints: GenerationHints = {};
  for (const table of mod.tables) {
    for (const column of getTableConfig(table).columns) {
      const hint = columnHint(column);
      if (!hint) continue;
      (hints[tableKey(table)] ??= {})[columnDbName(column, mod.orm, casing)] = hint;
    }
  }
  return hints;
}

function columnHint(column: HintColumn): ColumnHint | undefined {
  const type = column.columnType ?? '';
  if (column.enumValues && column.enumValues.length > 0 && !/enum/i.test(type) && /(text|char)$/i.test(type)) {
    return { values: [...column.enumValues], reason: 'drizzle: { enum } (TypeScript only)' };
  }
  const fn = column.defaultFn ?? column.onUpdateFn;
  if (typeof fn !== 'function') return undefined;
  const samples: unknown[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) samples.push(fn());
  } catch {
    return undefined;
  }
  const via = `drizzle: ${column.defaultFn ? '$defaultFn' : '$onUpdateFn'}(${sourceOf(fn)})`;
  return epochHint(samples, via) ?? idHint(samples, via, fn);
}

/** `() => Date.now()` on a number column: epoch milliseconds (or seconds) in a recent window. */
function epochHint(samples: readonly unknown[], via: string): ColumnHint | undefined {
  if (!samples.every((s) => typeof s === 'number' && Number.isInteger(s))) return undefined;
  const now = Date.now();
  const near = (value: number, scale: number): boolean => Math.abs(value - now / scale) < 86_400_000 / scale;
  const values = samples as number[];
  if (values.every((v) => near(v, 1))) {
    return { generator: 'integer', params: { min: EPOCH_MIN, max: EPOCH_MAX }, reason: `${via}: epoch milliseconds` };
  }
  if (values.every((v) => near(v, 1000))) {
    return { generator: 'integer', params: { min: EPOCH_MIN / 1000, max: EPOCH_MAX / 1000 }, reason: `${via}: epoch seconds` };
  }
  return undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Random ids (`nanoid()`, `createId()`, `newId('key')`, `randomUUID()`): codes of their prefix, alphabet and length. */
function idHint(samples: readonly unknown[], via: string, fn: () => unknown): ColumnHint | undefined {
  if (!samples.every((s): s is string => typeof s === 'string') || new Set(samples).size < samples.length) return undefined;
  const kind = idKind(String(fn));
  if (samples.every((s) => UUID.test(s))) return { generator: 'uuid', reason: `${via}: UUIDs` };
  const prefix = commonPrefix(samples);
  const bodies = samples.map((s) => s.slice(prefix.length));
  // An id is long, random and of one length (or about: base58 drops leading zeros); other text is not steered.
  const lengths = bodies.map((b) => b.length);
  if (Math.min(...lengths) < 8 || Math.max(...lengths) - Math.min(...lengths) > 2) return undefined;
  const length = modal(lengths);
  const chars = alphabetOf(bodies.join(''));
  if (chars === undefined) return undefined;
  const firsts = bodies.map((b) => b[0]).join('');
  // cuid2 and ids like it start with a letter.
  const firstChars = /^[a-zA-Z]+$/.test(firsts) && /[0-9]/.test(chars) ? alphabetOf(firsts) : undefined;
  const params: Record<string, unknown> = { chars, minLength: length, maxLength: length };
  if (firstChars !== undefined) params['firstChars'] = firstChars;
  if (prefix.length > 0) params['prefix'] = prefix;
  return { generator: 'letters', params, reason: `${via}: ${kind ?? 'random ids'}` };
}

function idKind(source: string): string | undefined {
  if (/nanoid/i.test(source)) return 'nanoid ids';
  if (/cuid|createId/i.test(source)) return 'cuid2 ids';
  if (/ulid/i.test(source)) return 'ULIDs';
  return undefined;
}

/** The most common value (the larger one on a tie). */
function modal(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * The usual id alphabet that holds every character seen (digits, lower case, upper
 * case, `_`, `-`, in whole classes), or undefined for other text.
 */
function alphabetOf(text: string): string | undefined {
  if (/[^A-Za-z0-9_-]/.test(text)) return undefined;
  let chars = '';
  if (/[0-9]/.test(text)) chars += DIGITS;
  if (/[a-z]/.test(text)) chars += LOWER;
  if (/[A-Z]/.test(text)) chars += UPPER;
  if (text.includes('_')) chars += '_';
  if (text.includes('-')) chars += '-';
  return chars.length >= 2 ? chars : undefined;
}

/** The prefix every sample shares, cut after its last separator (`log_`, `key_`). */
function commonPrefix(samples: readonly string[]): string {
  let prefix = samples[0]!;
  for (const s of samples) while (!s.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = Math.max(prefix.lastIndexOf('_'), prefix.lastIndexOf('-'), prefix.lastIndexOf(':'));
  return cut >= 0 ? prefix.slice(0, cut + 1) : '';
}

/** `() => createId()` → `createId()`; short enough for a plan reason. */
function sourceOf(fn: () => unknown): string {
  const text = String(fn).replace(/\s+/g, ' ').trim();
  const body = /=>\s*(.+)$/.exec(text)?.[1] ?? text;
  return body.length > 40 ? `${body.slice(0, 37)}…` : body;
}
