/**
 * The values a column's type can hold: integer ranges (signed/unsigned),
 * decimal precision/scale, and the date spans engines accept (MySQL TIMESTAMP
 * stops in 2038, YEAR spans 1901–2155).
 *
 * @example
 * ```ts
 * integerRange({ kind: 'smallint', unsigned: true });  // { min: 0, max: 65535 }
 * decimalRange({ precision: 5, scale: 2 });             // { min: -999.99, max: 999.99, scale: 2 }
 * ```
 */
import { dialectInfo, type DialectName } from '@understudy/core';
import type { ColumnShape } from './column-shape.js';
import { daysFromCivil } from '../generators/time-format.js';

export interface NumberRange {
  readonly min: number;
  readonly max: number;
}

const SAFE = Number.MAX_SAFE_INTEGER;

const SIGNED: Record<string, NumberRange> = {
  tinyint: { min: -128, max: 127 },
  smallint: { min: -32768, max: 32767 },
  mediumint: { min: -8388608, max: 8388607 },
  integer: { min: -2147483648, max: 2147483647 },
  bigint: { min: -SAFE, max: SAFE },
  oid: { min: 0, max: 4294967295 },
  year: { min: 1901, max: 2155 },
};

const UNSIGNED: Record<string, NumberRange> = {
  tinyint: { min: 0, max: 255 },
  smallint: { min: 0, max: 65535 },
  mediumint: { min: 0, max: 16777215 },
  integer: { min: 0, max: 4294967295 },
  bigint: { min: 0, max: SAFE },
};

/** The range of an integer kind (bigint is capped at ±2^53 − 1: values stay exact JS numbers). */
export function integerRange(shape: Pick<ColumnShape, 'kind' | 'unsigned'>): NumberRange {
  const table = shape.unsigned ? UNSIGNED : SIGNED;
  return table[shape.kind] ?? SIGNED[shape.kind] ?? { min: -SAFE, max: SAFE };
}

export interface DecimalRange extends NumberRange {
  readonly scale: number;
}

/** The range of a decimal: |x| < 10^(precision − scale); unconstrained numeric gets scale 2 and ±10^15. */
export function decimalRange(shape: Pick<ColumnShape, 'kind' | 'precision' | 'scale' | 'unsigned'>, fallbackScale = 2): DecimalRange {
  if (shape.kind === 'money') return { min: -1e12, max: 1e12, scale: 2 };
  const scale = shape.scale ?? (shape.precision !== undefined ? 0 : fallbackScale);
  if (shape.precision === undefined) return { min: shape.unsigned ? 0 : -1e15, max: 1e15, scale };
  const digits = Math.max(0, shape.precision - scale);
  const max = Math.min(10 ** digits - 10 ** -scale, 1e15);
  return { min: shape.unsigned ? 0 : -max, max, scale };
}

/** The range generated for float kinds. */
export function floatRange(): NumberRange {
  return { min: -1e15, max: 1e15 };
}

/** Day numbers a date column accepts (kept to years 1000–9999, the span every engine takes). */
export function dateDayRange(): NumberRange {
  return { min: daysFromCivil(1000, 1, 1), max: daysFromCivil(9999, 12, 31) };
}

function dayOf(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return daysFromCivil(y, m, d);
}

/** Epoch seconds a timestamp column accepts: the dialect's narrower range for its type (MySQL's TIMESTAMP stops at 2038-01-19), else years 1000–9999. */
export function timestampSecondRange(shape: Pick<ColumnShape, 'rawType'>, dialect: DialectName): NumberRange {
  const narrow = dialectInfo(dialect).capabilities.timestampRanges.find((r) => r.rawType.test(shape.rawType));
  if (narrow) return { min: dayOf(narrow.min) * 86400, max: dayOf(narrow.max) * 86400 };
  return { min: daysFromCivil(1000, 1, 1) * 86400, max: daysFromCivil(9999, 12, 31) * 86400 + 86399 };
}

/** A wide but plausible span for unique dates and timestamps: 1900–2100. */
export const WIDE_DAYS: NumberRange = { min: daysFromCivil(1900, 1, 1), max: daysFromCivil(2100, 12, 31) };
