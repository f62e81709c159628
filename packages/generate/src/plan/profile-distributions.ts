/**
 * The arithmetic of generating to a profile: profile values as the numbers a
 * `distribution` generator draws between (dates as days, timestamps as epoch
 * seconds), bucket labels as ranges, distinct counts scaled to the copy's rows,
 * and how many slots give about D distinct values when only some rows draw.
 *
 * @example
 * ```ts
 * bucketRange('4-7');                      // [4, 7]
 * scaledDistinct(column, 5000, 50_000);    // 40 for a 40-value column; 5000 for a unique one
 * slotsForDistinct(900, 10_000, 0.5);      // slots so that about 900 distinct values appear
 * ```
 */
import { expectedDistinct, type ProfileColumn, type ProfileValue } from '@understudy/core';
import { parseDateDays, parseTimestampSeconds } from '../generators/time-format.js';

/** A ratio of distinct values to rows at or above which distinct values grow with the rows. */
export const PROPORTIONAL_DISTINCT_RATIO = 0.1;

export type OrderedType = 'integer' | 'decimal' | 'float' | 'date' | 'timestamp';

/**
 * `'0'` → [0, 0], `'1'` → [1, 1], `'4-7'` → [4, 7]; undefined for a label that is neither.
 *
 * @example
 * ```ts
 * bucketRange('8-15'); // [8, 15]
 * ```
 */
export function bucketRange(label: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(label);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return hi >= lo ? [lo, hi] : undefined;
}

/**
 * A profile value as a number on the column's axis: numbers as they are, dates as
 * days since 1970, timestamps as epoch seconds (fractions kept); undefined if unreadable.
 *
 * @example
 * ```ts
 * axisValue('2024-01-02', 'date');          // 19724
 * axisValue('12.50', 'decimal');            // 12.5
 * ```
 */
export function axisValue(value: ProfileValue, type: OrderedType): number | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (type === 'date') {
    const d = typeof value === 'string' ? parseDateDays(value) : Number.NaN;
    return Number.isNaN(d) ? undefined : d;
  }
  if (type === 'timestamp') {
    if (typeof value !== 'string') return undefined;
    const s = parseTimestampSeconds(value);
    if (Number.isNaN(s)) return undefined;
    const fraction = /:\d{2}(\.\d+)/.exec(value)?.[1];
    return fraction ? s + Number(fraction) : s;
  }
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Histogram bounds on the column's axis, ascending; undefined when fewer than two are readable.
 *
 * @example
 * ```ts
 * axisBounds(['2024-01-01', '2024-02-01'], 'date'); // [19723, 19754]
 * ```
 */
export function axisBounds(values: readonly ProfileValue[], type: OrderedType): number[] | undefined {
  const out: number[] = [];
  for (const v of values) {
    const x = axisValue(v, type);
    if (x !== undefined) out.push(x);
  }
  out.sort((a, b) => a - b);
  return out.length >= 2 ? out : undefined;
}

/**
 * The distinct values a copy of `rows` rows should hold. With the source's row count,
 * the copy is taken as a sample of production at scale s = rows ÷ source rows: the
 * source's D values over n non-null rows, each taken as n/D rows, survive when any of
 * their rows does: D · (1 − (1 − s)^(n/D)) (a unique column keeps s·n, a 30-value
 * domain keeps 30); above scale 1, D + (s − 1) · D²/n. Without it: the count, or
 * the ratio times the rows when production's distinct values grew with its rows.
 * Never more than the rows.
 *
 * @example
 * ```ts
 * scaledDistinct({ distinctCount: 40, distinctRatio: 0.0008, nullFraction: 0 }, 5000, 50_000); // 40
 * scaledDistinct({ distinctCount: 50_000, distinctRatio: 1, nullFraction: 0 }, 5000, 50_000);   // 5000
 * ```
 */
export function scaledDistinct(
  column: Pick<ProfileColumn, 'distinctCount' | 'distinctRatio' | 'distinctBasis' | 'nullFraction'> & Partial<Pick<ProfileColumn, 'mostCommon'>>,
  rows: number,
  sourceRows?: number | null,
): number | undefined {
  const ratio = column.distinctRatio;
  const count = column.distinctCount ?? (ratio !== null && sourceRows ? ratio * sourceRows : null);
  let target: number | undefined;
  if (count !== null && sourceRows !== undefined && sourceRows !== null && sourceRows > 0) {
    const nonNull = 1 - (column.nullFraction ?? 0);
    const n = sourceRows * nonNull;
    // The frequent values with their own rows, the others as equally frequent (as fidelity expects).
    const common = nonNull > 0 ? (column.mostCommon?.frequencies ?? []).map((f) => f / nonNull) : [];
    target = count <= 0 || n <= 0 ? count : expectedDistinct(count, n, rows / sourceRows, common);
  } else {
    const proportional = column.distinctBasis === 'ratio' || (ratio !== null && ratio >= PROPORTIONAL_DISTINCT_RATIO);
    if (proportional && ratio !== null) target = ratio * rows;
    else if (count !== null) target = count;
    else if (ratio !== null) target = ratio * rows;
  }
  if (target === undefined || !Number.isFinite(target)) return undefined;
  return Math.max(1, Math.min(rows, Math.round(target)));
}

/**
 * How many slots to spread "other" values over so that about `target` distinct
 * values appear, when each of `rows` rows draws an other value with probability
 * `share` (the rest are NULL or frequent values). Row i takes slot perm(i) mod S,
 * so a slot holds rows/S rows and is seen with probability 1 − (1 − share)^(rows/S).
 * With `capacities` (how many distinct values each equi-depth bucket can hold, e.g.
 * 201 cents between 1.00 and 3.00), slots landing on the same value are allowed for.
 *
 * @example
 * ```ts
 * slotsForDistinct(100, 10_000, 0.5); // 100: every slot is seen
 * ```
 */
export function slotsForDistinct(target: number, rows: number, share: number, capacities?: readonly number[]): number {
  if (rows <= 0 || share <= 0) return Math.max(1, Math.round(target));
  const seenSlots = (s: number): number => s * (1 - Math.pow(1 - Math.min(1, share), rows / s));
  const buckets = capacities && capacities.length > 0 ? capacities : undefined;
  const seen = buckets
    ? (s: number): number => {
        const perBucket = seenSlots(s) / buckets.length;
        return buckets.reduce((sum, w) => sum + (w > 0 ? w * (1 - Math.exp(-perBucket / w)) : 0), 0);
      }
    : seenSlots;
  if (seen(rows) <= target) return rows;
  let lo = Math.max(1, Math.floor(Math.min(target, rows)));
  let hi = rows;
  for (let i = 0; i < 60 && hi - lo > 1; i++) {
    const mid = Math.floor((lo + hi) / 2);
    if (seen(mid) < target) lo = mid;
    else hi = mid;
  }
  return Math.max(1, Math.abs(seen(lo) - target) <= Math.abs(seen(hi) - target) ? lo : hi);
}

/**
 * How many distinct values each bucket between consecutive bounds can hold, in steps of `unit`.
 *
 * @example
 * ```ts
 * bucketCapacities([1, 3, 6], 0.01); // [201, 301]
 * ```
 */
export function bucketCapacities(bounds: readonly number[], unit: number): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) out.push(Math.floor((bounds[i + 1]! - bounds[i]!) / unit + 1e-9) + 1);
  return out;
}
