/**
 * Time generators: dates, timestamps (with or without zone, with fractional
 * seconds), times of day, intervals. Bounds are ISO texts in the Plan; values
 * are texts (see values.ts). `windows` restricts values to a union of half-open
 * ranges, e.g. the bounds of a table's partitions.
 *
 * @example
 * ```ts
 * timestamp.create({ min: '2020-01-01', max: '2025-01-01', fractionalSeconds: 0, withZone: true }, env)(rnd.at(1), 1);
 * // '2022-07-14 09:31:07+00'
 * ```
 */
import { z } from 'zod';
import { UsageError } from '@understudy/core';
import { createPermutation, MAX_PERMUTATION_SIZE } from '../random/permutation.js';
import type { AddressRandom } from '../random/address-random.js';
import { defineGenerator } from './generator-types.js';
import { formatDate, formatTimeOfDay, formatTimestamp, parseDateDays, parseTimestampSeconds } from './time-format.js';

const TimeDistribution = z.enum(['uniform', 'recent']).optional();
const Window = z.tuple([z.string(), z.string()]);

function parseBound(text: string, what: string, parse: (t: string) => number): number {
  const v = parse(text);
  if (Number.isNaN(v)) throw new UsageError(`${what} "${text}" is not a date or timestamp (use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)`);
  return v;
}

/** Picks an integer in the union of [from, to) windows, proportionally to their widths. */
function windowPicker(windows: ReadonlyArray<readonly [number, number]>): (rnd: AddressRandom) => number {
  const usable = windows.filter(([a, b]) => b > a);
  const total = usable.reduce((n, [a, b]) => n + (b - a), 0);
  return (rnd) => {
    let x = Math.floor(rnd.float() * total);
    for (const [a, b] of usable) {
      if (x < b - a) return a + x;
      x -= b - a;
    }
    return usable[usable.length - 1]![0];
  };
}

function skewRecent(u: number, distribution: z.infer<typeof TimeDistribution>): number {
  return distribution === 'recent' ? 1 - u * u : u;
}

export const date = defineGenerator({
  name: 'date',
  summary: 'a date in [min, max]; unique: distinct days',
  params: z.object({
    min: z.string(),
    max: z.string(),
    distribution: TimeDistribution,
    windows: z.array(Window).optional(),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const lo = parseBound(p.min, 'date min', parseDateDays);
    const hi = Math.max(lo, parseBound(p.max, 'date max', parseDateDays));
    if (p.unique) {
      const perm = createPermutation(hi - lo + 1, env.key);
      return (_rnd, row) => formatDate(lo + perm(row));
    }
    if (p.windows && p.windows.length > 0) {
      const pick = windowPicker(p.windows.map(([a, b]) => [parseDateDays(a), parseDateDays(b)] as const));
      return (rnd) => formatDate(pick(rnd));
    }
    const width = hi - lo + 1;
    return (rnd) => formatDate(lo + Math.min(width - 1, Math.floor(skewRecent(rnd.float(), p.distribution) * width)));
  },
  capacity: (p) => parseDateDays(p.max) - parseDateDays(p.min) + 1,
});

export const timestamp = defineGenerator({
  name: 'timestamp',
  summary: 'a timestamp in [min, max] (UTC text); unique: distinct instants',
  params: z.object({
    min: z.string(),
    max: z.string(),
    fractionalSeconds: z.number().int().min(0).max(6).default(0),
    withZone: z.boolean().default(false),
    distribution: TimeDistribution,
    windows: z.array(Window).optional(),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const lo = parseBound(p.min, 'timestamp min', parseTimestampSeconds);
    const hi = Math.max(lo, parseBound(p.max, 'timestamp max', parseTimestampSeconds));
    const digits = p.fractionalSeconds;
    const zone = p.withZone;
    const step = 10 ** (6 - digits);
    if (p.unique) {
      const perTick = 10 ** digits;
      const perm = createPermutation(Math.min((hi - lo + 1) * perTick, MAX_PERMUTATION_SIZE), env.key);
      return (_rnd, row) => {
        const x = perm(row);
        const s = Math.floor(x / perTick);
        return formatTimestamp(lo + s, (x - s * perTick) * step, digits, zone);
      };
    }
    const micros = (rnd: AddressRandom): number => (digits === 0 ? 0 : rnd.int(0, 999999));
    if (p.windows && p.windows.length > 0) {
      // Windows are half-open: a value equal to the upper bound belongs to the next partition.
      const pick = windowPicker(p.windows.map(([a, b]) => [parseTimestampSeconds(a), parseTimestampSeconds(b)] as const));
      return (rnd) => formatTimestamp(pick(rnd), micros(rnd), digits, zone);
    }
    const width = hi - lo + 1;
    return (rnd) => {
      const s = lo + Math.min(width - 1, Math.floor(skewRecent(rnd.float(), p.distribution) * width));
      return formatTimestamp(s, s === hi ? 0 : micros(rnd), digits, zone);
    };
  },
  capacity: (p) => Math.min((parseTimestampSeconds(p.max) - parseTimestampSeconds(p.min) + 1) * 10 ** (p.fractionalSeconds ?? 0), MAX_PERMUTATION_SIZE),
});

export const time = defineGenerator({
  name: 'time',
  summary: 'a time of day (seconds in [min, max]); unique: distinct times',
  params: z.object({
    min: z.number().int().min(0).max(86399).default(0),
    max: z.number().int().min(0).max(86399).default(86399),
    fractionalSeconds: z.number().int().min(0).max(6).default(0),
    withZone: z.boolean().default(false),
    unique: z.boolean().optional(),
  }),
  create(p, env) {
    const digits = p.fractionalSeconds;
    const suffix = p.withZone ? '+00' : '';
    if (p.unique) {
      const perTick = 10 ** digits;
      const perm = createPermutation((p.max - p.min + 1) * perTick, env.key);
      return (_rnd, row) => {
        const x = perm(row);
        const s = Math.floor(x / perTick);
        return `${formatTimeOfDay(p.min + s, (x - s * perTick) * 10 ** (6 - digits), digits)}${suffix}`;
      };
    }
    return (rnd) => `${formatTimeOfDay(rnd.int(p.min, p.max), digits === 0 ? 0 : rnd.int(0, 999999), digits)}${suffix}`;
  },
  capacity: (p) => ((p.max ?? 86399) - (p.min ?? 0) + 1) * 10 ** (p.fractionalSeconds ?? 0),
});

export const interval = defineGenerator({
  name: 'interval',
  summary: 'an interval of up to maxDays days (PostgreSQL input syntax)',
  params: z.object({ maxDays: z.number().int().min(0).default(30) }),
  create(p) {
    return (rnd) => `${rnd.int(0, p.maxDays)} days ${formatTimeOfDay(rnd.int(0, 86399), 0, 0)}`;
  },
});
