/**
 * Turns an intent (from the column's name or type) into a concrete generator
 * for the column's kind, clipped to what the type holds and what the CHECKs
 * allow, and made unique by construction when the column must be.
 *
 * @example
 * ```ts
 * concreteGenerator({ type: 'number', min: 1, max: 5 }, shapeOf('smallint'), rules, { unique: false, rows: 100, now, dialect: 'postgres' });
 * // { name: 'integer', params: { min: 1, max: 5 } }
 * ```
 */
import type { DialectName } from '@understudy/core';
import type { Bound } from '../checks/check-constraints.js';
import { formatDate, formatTimestamp, parseTimestampSeconds } from '../generators/time-format.js';
import type { GeneratorSpecInput, SemanticIntent } from '../infer/semantic-intents.js';
import { FAMILY_KINDS } from '../infer/semantic-kinds.js';
import type { ColumnRules } from './column-rules.js';
import type { ColumnShape } from './column-shape.js';
import { dateDayRange, decimalRange, floatRange, integerRange, timestampSecondRange, WIDE_DAYS, type NumberRange } from './type-ranges.js';

export interface ConcreteOptions {
  readonly unique: boolean;
  readonly rows: number;
  /** Epoch seconds of the reference time. */
  readonly now: number;
  readonly dialect: DialectName;
  /** Partition windows for this column (half-open [from, to) texts or numbers). */
  readonly windows?: ReadonlyArray<readonly [string, string]>;
}

export function isIntegerKind(shape: ColumnShape): boolean {
  return FAMILY_KINDS.int.includes(shape.kind) || shape.kind === 'year' || shape.kind === 'oid';
}

export function isTextKind(shape: ColumnShape): boolean {
  return FAMILY_KINDS.text.includes(shape.kind);
}

export function isNumberKind(shape: ColumnShape): boolean {
  return isIntegerKind(shape) || FAMILY_KINDS.decimal.includes(shape.kind) || FAMILY_KINDS.float.includes(shape.kind);
}

export function isTimeKind(shape: ColumnShape): boolean {
  return shape.kind === 'date' || shape.kind === 'timestamp' || shape.kind === 'timestamptz';
}

function intersect(a: NumberRange, b: NumberRange): NumberRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
}

function size(r: NumberRange, unit: number): number {
  return r.max < r.min ? 0 : Math.floor((r.max - r.min) / unit + 1e-9) + 1;
}

/** A CHECK bound as a number (numbers, and numbers written as text); undefined for dates or `now`. */
export function numericBound(b: Bound | undefined): number | undefined {
  if (!b) return undefined;
  const v = typeof b.value === 'number' ? b.value : b.value.trim() !== '' && b.value !== 'now' ? Number(b.value) : Number.NaN;
  return Number.isFinite(v) ? v : undefined;
}

/** The smallest step of a numeric column: 1 for integers, 10^-scale for decimals, 10^-digits for floats. */
export function numberUnit(shape: ColumnShape, digits?: number): number {
  if (isIntegerKind(shape)) return 1;
  if (FAMILY_KINDS.decimal.includes(shape.kind)) return 10 ** -decimalRange(shape, digits ?? 2).scale;
  return 10 ** -(digits ?? (shape.kind === 'real' ? 4 : 6));
}

/** The type's range intersected with the CHECK bounds (exclusive bounds moved by one unit). */
export function hardNumberRange(shape: ColumnShape, rules: ColumnRules, digits?: number): NumberRange {
  const type = isIntegerKind(shape) ? integerRange(shape) : FAMILY_KINDS.decimal.includes(shape.kind) ? decimalRange(shape, digits ?? 2) : floatRange();
  const unit = numberUnit(shape, digits);
  let min = type.min;
  let max = type.max;
  const lo = numericBound(rules.min);
  const hi = numericBound(rules.max);
  if (lo !== undefined) min = Math.max(min, rules.min!.exclusive ? (isIntegerKind(shape) ? Math.floor(lo) + 1 : lo + unit) : isIntegerKind(shape) ? Math.ceil(lo) : lo);
  if (hi !== undefined) max = Math.min(max, rules.max!.exclusive ? (isIntegerKind(shape) ? Math.ceil(hi) - 1 : hi - unit) : isIntegerKind(shape) ? Math.floor(hi) : hi);
  return { min, max };
}

/** Realistic range ∩ hard range; when they do not meet, a slice of the hard range near its nearest end. */
function realisticRange(intent: NumberRange, hard: NumberRange, unit: number): NumberRange {
  const both = intersect(intent, hard);
  if (both.min <= both.max) return both;
  const span = Math.max(intent.max - intent.min, 1000 * unit);
  if (hard.min > intent.max) return { min: hard.min, max: Math.min(hard.max, hard.min + span) };
  return { min: Math.max(hard.min, hard.max - span), max: hard.max };
}

function numberGenerator(intent: Extract<SemanticIntent, { type: 'number' }>, shape: ColumnShape, rules: ColumnRules, options: ConcreteOptions): GeneratorSpecInput {
  // Unique floats are whole numbers: exact in float4 below 2^24, in float8 below 2^53.
  const digits = FAMILY_KINDS.decimal.includes(shape.kind) ? decimalRange(shape, intent.digits ?? 2).scale : options.unique ? 0 : intent.digits;
  const unit = numberUnit(shape, digits);
  const hard = hardNumberRange(shape, rules, digits);
  let range = realisticRange({ min: intent.min, max: intent.max }, hard, unit);
  if (options.unique && size(range, unit) < options.rows) range = hard;
  const unique = options.unique ? { unique: true } : {};
  const distribution = intent.distribution && !options.unique ? { distribution: intent.distribution } : {};
  if (isIntegerKind(shape)) {
    return { name: 'integer', params: { min: Math.ceil(range.min), max: Math.floor(range.max), ...distribution, ...unique } };
  }
  if (FAMILY_KINDS.decimal.includes(shape.kind)) {
    return { name: 'decimal', params: { min: range.min, max: range.max, scale: digits ?? 2, ...distribution, ...unique } };
  }
  return {
    name: 'float',
    params: { min: range.min, max: range.max, digits: digits ?? (shape.kind === 'real' ? 4 : 6), ...(shape.kind === 'real' ? { single: true } : {}), ...distribution, ...unique },
  };
}

/** The CHECK bounds of a date/timestamp column in epoch seconds (`now` is the reference time). */
function timeBound(b: Bound | undefined, now: number): number | undefined {
  if (!b) return undefined;
  if (b.value === 'now') return now;
  if (typeof b.value !== 'string') return undefined;
  const s = parseTimestampSeconds(b.value);
  return Number.isNaN(s) ? undefined : s;
}

/** The hard range of a date (days) or timestamp (seconds) column. */
export function hardTimeRange(shape: ColumnShape, rules: ColumnRules, options: Pick<ConcreteOptions, 'now' | 'dialect'>): NumberRange {
  const isDate = shape.kind === 'date';
  const unit = isDate ? 86400 : 1;
  const type = isDate ? dateDayRange() : timestampSecondRange(shape, options.dialect);
  let min = type.min;
  let max = type.max;
  const lo = timeBound(rules.min, options.now);
  const hi = timeBound(rules.max, options.now);
  if (lo !== undefined) min = Math.max(min, Math.floor(lo / unit) + (rules.min!.exclusive || (isDate && lo % 86400 !== 0) ? 1 : 0));
  if (hi !== undefined) max = Math.min(max, Math.floor(hi / unit) - (rules.max!.exclusive && (!isDate || hi % 86400 === 0) ? 1 : 0));
  return { min, max };
}

function timeGenerator(intent: Extract<SemanticIntent, { type: 'time' }>, shape: ColumnShape, rules: ColumnRules, options: ConcreteOptions): GeneratorSpecInput {
  const isDate = shape.kind === 'date';
  const unit = isDate ? 86400 : 1;
  const hard = hardTimeRange(shape, rules, options);
  const wanted = { min: Math.floor(intent.from / unit), max: Math.floor(intent.to / unit) };
  let range = realisticRange(wanted, hard, 1);
  if (options.unique && size(range, 1) < options.rows) {
    const wide = isDate ? WIDE_DAYS : { min: WIDE_DAYS.min * 86400, max: WIDE_DAYS.max * 86400 };
    range = size(intersect(wide, hard), 1) >= options.rows ? intersect(wide, hard) : hard;
  }
  const extra: Record<string, unknown> = {};
  if (options.unique) extra['unique'] = true;
  else if (intent.distribution) extra['distribution'] = intent.distribution;
  if (options.windows && options.windows.length > 0 && !options.unique) extra['windows'] = options.windows.map(([a, b]) => [a, b]);
  if (isDate) return { name: 'date', params: { min: formatDate(range.min), max: formatDate(range.max), ...extra } };
  return {
    name: 'timestamp',
    params: {
      min: formatTimestamp(range.min, 0, 0, false),
      max: formatTimestamp(range.max, 0, 0, false),
      fractionalSeconds: Math.min(shape.fractionalSeconds ?? 0, 6),
      withZone: shape.kind === 'timestamptz',
      ...extra,
    },
  };
}

/** A concrete generator for an intent, or undefined when the intent does not suit the column's kind. */
export function concreteGenerator(intent: SemanticIntent, shape: ColumnShape, rules: ColumnRules, options: ConcreteOptions): GeneratorSpecInput | undefined {
  switch (intent.type) {
    case 'text':
      return isTextKind(shape) ? intent.generator : undefined;
    case 'generator': {
      const params = options.unique ? { ...intent.generator.params, unique: true } : intent.generator.params;
      return { name: intent.generator.name, params };
    }
    case 'boolean':
      if (shape.kind === 'boolean') return { name: 'boolean', params: options.unique ? { unique: true } : { trueRate: intent.trueRate } };
      if (isIntegerKind(shape)) return { name: 'values', params: { values: [1, 0], weights: [intent.trueRate, 1 - intent.trueRate] } };
      return undefined;
    case 'number':
      if (isNumberKind(shape)) return numberGenerator(intent, shape, rules, options);
      if (isTextKind(shape)) return numberGenerator(intent, { ...shape, kind: intent.digits ? 'double' : 'bigint' }, rules, options);
      return undefined;
    case 'time':
      if (isTimeKind(shape)) return timeGenerator(intent, shape, rules, options);
      return undefined;
  }
}

/** Distinct values a column can take under its type and CHECKs, for unique keys (Infinity: plenty). */
export function columnCapacity(shape: ColumnShape, rules: ColumnRules, options: Pick<ConcreteOptions, 'now' | 'dialect'>): number {
  if (shape.arrayDimensions > 0) return 0;
  if (rules.values) return rules.values.filter((v) => !rules.exclude.includes(v)).length;
  if (isIntegerKind(shape)) return size(hardNumberRange(shape, rules), 1);
  if (FAMILY_KINDS.decimal.includes(shape.kind) || FAMILY_KINDS.float.includes(shape.kind)) {
    const digits = FAMILY_KINDS.decimal.includes(shape.kind) ? undefined : 0;
    const r = hardNumberRange(shape, rules, digits);
    if (shape.kind === 'real') return size({ min: Math.max(r.min, -(2 ** 24)), max: Math.min(r.max, 2 ** 24) }, 1);
    return size(r, numberUnit(shape, digits));
  }
  if (isTimeKind(shape)) {
    const r = hardTimeRange(shape, rules, options);
    const n = size(r, 1);
    return shape.kind === 'date' ? n : n * 10 ** Math.min(shape.fractionalSeconds ?? 0, 6);
  }
  switch (shape.kind) {
    case 'boolean':
      return 2;
    case 'enum':
      return shape.values?.length ?? 0;
    case 'set':
      return 2 ** Math.min(shape.values?.length ?? 0, 52);
    case 'uuid':
    case 'macaddr':
    case 'macaddr8':
      return 2 ** 52;
    case 'inet':
      return 223 * 2 ** 24;
    case 'cidr':
      return 2 ** 24;
    case 'time':
    case 'timetz':
      return 86400 * 10 ** Math.min(shape.fractionalSeconds ?? 0, 6);
    case 'binary':
    case 'varbinary':
    case 'blob':
      return 256 ** Math.min(shape.length ?? 6, 6);
    case 'bit':
    case 'varbit':
      return 2 ** Math.min(shape.length ?? 1, 52);
    default:
      return isTextKind(shape) ? Infinity : 0;
  }
}
