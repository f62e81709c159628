/**
 * Number generators: integers (uniform, skewed toward the low end, or unique by
 * a keyed permutation of the range), sequences (row index based keys), exact
 * decimals as strings, and floats.
 *
 * @example
 * ```ts
 * integer.create({ min: 1, max: 5 }, env)(rnd.at(0), 0);               // 1…5
 * decimal.create({ min: 0, max: 999.99, scale: 2 }, env)(rnd.at(0), 0); // '417.23'
 * sequence.create({ start: 1, step: 1 }, env)(rnd, 41);                 // 42
 * ```
 */
import { z } from 'zod';
import { createPermutation, MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import { defineGenerator } from './generator-types.js';

export const Distribution = z.enum(['uniform', 'low']);
export type Distribution = z.infer<typeof Distribution>;

/** A uniform draw in [0, 1) bent by `distribution` ('low': most values near the minimum, a long tail up). */
function shape(u: number, distribution: Distribution | undefined): number {
  return distribution === 'low' ? u * u * u : u;
}

function span(min: number, max: number): number {
  return Math.min(Math.max(0, max - min + 1), MAX_PERMUTATION_SIZE);
}

export const integer = defineGenerator({
  name: 'integer',
  summary: 'an integer in [min, max]; unique: a keyed permutation of the range',
  params: z.object({
    min: z.number().int(),
    max: z.number().int(),
    distribution: Distribution.optional(),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const { min, max } = p;
    if (p.unique) {
      const perm = createPermutation(span(min, max), env.key);
      return (_rnd, row) => min + perm(row);
    }
    if (p.distribution === 'low') {
      const width = max - min + 1;
      return (rnd) => min + Math.min(width - 1, Math.floor(shape(rnd.float(), 'low') * width));
    }
    return (rnd) => rnd.int(min, max);
  },
  capacity: (p) => span(p.min, p.max),
});

export const sequence = defineGenerator({
  name: 'sequence',
  summary: 'start + rowIndex × step: identity, serial and plain integer keys',
  params: z.object({ start: z.number().int().default(1), step: z.number().int().default(1) }),
  create(p) {
    const { start, step } = p;
    return (_rnd, row) => start + row * step;
  },
  capacity: () => MAX_PERMUTATION_SIZE,
});

const SAFE_UNITS = Number.MAX_SAFE_INTEGER;

/** `value × 10^scale` rounded toward the inside of a range (`up` for a minimum). */
export function toUnits(value: number, scale: number, direction: 'up' | 'down'): number {
  const x = value * 10 ** scale;
  const r = Math.round(x);
  const units = Math.abs(x - r) < 1e-6 * Math.max(1, Math.abs(x)) ? r : direction === 'up' ? Math.ceil(x) : Math.floor(x);
  return Math.max(-SAFE_UNITS, Math.min(SAFE_UNITS, units));
}

/** The exact decimal text of `units × 10^-scale`: `formatUnits(12345, 2)` → `'123.45'`. */
export function formatUnits(units: number, scale: number): string {
  if (scale <= 0) return `${units}`;
  const negative = units < 0;
  const abs = Math.abs(units);
  const factor = 10 ** scale;
  const whole = Math.floor(abs / factor);
  const frac = abs - whole * factor;
  const text = `${whole}.${`${frac}`.padStart(scale, '0')}`;
  return negative ? `-${text}` : text;
}

export const decimal = defineGenerator({
  name: 'decimal',
  summary: 'an exact decimal text in [min, max] with `scale` fraction digits',
  params: z.object({
    min: z.number(),
    max: z.number(),
    scale: z.number().int().min(0).max(30),
    distribution: Distribution.optional(),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const scale = Math.min(p.scale, 15);
    const lo = toUnits(p.min, scale, 'up');
    const hi = Math.max(lo, toUnits(p.max, scale, 'down'));
    const padding = p.scale > scale ? '0'.repeat(p.scale - scale) : '';
    const format = (units: number): string => (padding ? `${formatUnits(units, scale)}${padding}` : formatUnits(units, scale));
    if (p.unique) {
      const perm = createPermutation(span(lo, hi), env.key);
      return (_rnd, row) => format(lo + perm(row));
    }
    const width = hi - lo + 1;
    return (rnd) => format(lo + Math.min(width - 1, Math.floor(shape(rnd.float(), p.distribution) * width)));
  },
  capacity: (p) => {
    const scale = Math.min(p.scale, 15);
    return span(toUnits(p.min, scale, 'up'), toUnits(p.max, scale, 'down'));
  },
});

export const float = defineGenerator({
  name: 'float',
  summary: 'a float in [min, max], rounded to `digits` decimals (real: single precision)',
  params: z.object({
    min: z.number(),
    max: z.number(),
    digits: z.number().int().min(0).max(15).optional(),
    distribution: Distribution.optional(),
    single: z.boolean().optional(),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const { min, max } = p;
    const digits = p.digits ?? (p.single ? 4 : 6);
    const factor = 10 ** digits;
    const round = (v: number): number => {
      const r = Math.round(v * factor) / factor;
      // Single precision keeps the rounded decimal (the engine stores its nearest float4).
      return r < min ? Math.ceil(min * factor) / factor : r > max ? Math.floor(max * factor) / factor : r;
    };
    if (p.unique) {
      const lo = toUnits(min, digits, 'up');
      const perm = createPermutation(span(lo, toUnits(max, digits, 'down')), env.key);
      return (_rnd, row) => (lo + perm(row)) / factor;
    }
    return (rnd) => round(min + shape(rnd.float(), p.distribution) * (max - min));
  },
  capacity: (p) => {
    // Single precision keeps 24 bits: distinct only as whole numbers below 2^24.
    const digits = p.digits ?? (p.single ? 4 : 6);
    const n = span(toUnits(p.min, digits, 'up'), toUnits(p.max, digits, 'down'));
    if (p.single) return digits === 0 && Math.max(Math.abs(p.min), Math.abs(p.max)) <= 2 ** 24 ? n : 0;
    return n;
  },
});
