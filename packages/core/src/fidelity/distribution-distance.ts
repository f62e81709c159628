/**
 * Distributions rebuilt from profile statistics, and the distances between them:
 * a CDF from frequent values + equi-depth histogram bounds (for the
 * Kolmogorov–Smirnov distance), category frequencies with one "other" category
 * (for the total variation distance), and bucketed counts (text lengths, FK
 * fan-out). Pure functions; every distribution is over the non-null rows.
 *
 * @example
 * ```ts
 * const a = columnCdf(sourceColumn), b = columnCdf(targetColumn);
 * if (a && b) ksDistance(a, b).distance; // 0.04
 * totalVariation(new Map([['x', 1]]), new Map([['x', 0.5], ['y', 0.5]])); // 0.5
 * ```
 */
import type { ProfileColumn, ProfileValue } from '../profile-model.js';

/**
 * A piece of probability mass: a point (`low === high`, a frequent value) or a
 * histogram bucket spread evenly over [low, high].
 */
export interface CdfPiece {
  readonly low: number;
  readonly high: number;
  readonly mass: number;
}

/** A distribution over numbers (dates as epoch milliseconds), total mass 1. */
export interface Cdf {
  readonly pieces: readonly CdfPiece[];
  /** Values are dates (epoch ms), for labels. */
  readonly dates: boolean;
}

/** Mass left unexplained (no histogram to put it in) beyond which no CDF is built. */
const UNEXPLAINED_TOLERANCE = 0.02;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}(:?\d{2})?|Z)?)?$/;

/**
 * A profile value on a number line: numbers as they are, numeric text as a
 * number, ISO dates and timestamps as epoch milliseconds (UTC when no offset).
 * @example
 * ```ts
 * orderedValue('2024-01-01'); // 1704067200000
 * orderedValue('active'); // undefined
 * ```
 */
export function orderedValue(value: ProfileValue): { value: number; date: boolean } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? { value, date: false } : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) return { value: Number(value), date: false };
  if (!ISO_DATE.test(value)) return undefined;
  const withZone = /[zZ]|[+-]\d{2}(:?\d{2})?$/.test(value) || value.length === 10 ? value : `${value}Z`;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  return Number.isFinite(ms) ? { value: ms, date: true } : undefined;
}

function nonNullMass(column: ProfileColumn): number {
  return Math.max(0, 1 - (column.nullFraction ?? 0));
}

/**
 * The CDF of a column's non-null values: each frequent value a point mass, the
 * rest (1 − null fraction − Σ frequent) spread over the histogram buckets by
 * their `sizes` (equally when the histogram has none), evenly within a bucket. `undefined` when the values are not numbers
 * or dates, or when more than 2% of the rows are in neither the frequent values
 * nor a histogram.
 * @example
 * ```ts
 * columnCdf({ nullFraction: 0, histogram: { bounds: [0, 10, 20] }, … })!.pieces; // [{low:0,high:10,mass:0.5},{low:10,high:20,mass:0.5}]
 * ```
 */
export function columnCdf(column: ProfileColumn): Cdf | undefined {
  const pieces: CdfPiece[] = [];
  let dates = false;
  let common = 0;
  const values = column.mostCommon?.values ?? [];
  for (let i = 0; i < values.length; i++) {
    const frequency = column.mostCommon!.frequencies[i] ?? 0;
    const point = orderedValue(values[i]!);
    if (!point) return undefined; // a category, not a number
    dates ||= point.date;
    pieces.push({ low: point.value, high: point.value, mass: frequency });
    common += frequency;
  }
  const bounds = (column.histogram?.bounds ?? []).map(orderedValue);
  if (bounds.some((b) => b === undefined)) return undefined;
  const rest = nonNullMass(column) - common;
  const numbers = (bounds as Array<{ value: number; date: boolean }>).map((b) => b.value).sort((a, b) => a - b);
  if (bounds.length > 0) dates ||= bounds[0]!.date;
  if (numbers.length >= 2 && rest > 0) {
    // Bucket sizes when the profile has them (MariaDB JSON_HB, a coarsened histogram), else equi-depth.
    const sizes = column.histogram?.sizes;
    const given = sizes && sizes.length === numbers.length - 1 ? sizes : undefined;
    const total = given ? given.reduce((a, b) => a + b, 0) : 0;
    for (let i = 0; i + 1 < numbers.length; i++) {
      const mass = given && total > 0 ? (rest * given[i]!) / total : rest / (numbers.length - 1);
      if (mass > 0) pieces.push({ low: numbers[i]!, high: numbers[i + 1]!, mass });
    }
  } else if (rest > UNEXPLAINED_TOLERANCE * Math.max(nonNullMass(column), 1e-9) && rest > 1e-9) {
    return undefined;
  }
  const total = pieces.reduce((sum, p) => sum + p.mass, 0);
  if (pieces.length === 0 || total <= 0) return undefined;
  return { pieces: pieces.map((p) => ({ ...p, mass: p.mass / total })), dates };
}

/**
 * F(x) = P(X ≤ x), or P(X < x) with `strict`.
 * @example
 * ```ts
 * cdfAt({ pieces: [{ low: 0, high: 10, mass: 1 }], dates: false }, 2.5); // 0.25
 * ```
 */
export function cdfAt(cdf: Cdf, x: number, strict = false): number {
  let total = 0;
  for (const p of cdf.pieces) {
    if (p.low === p.high) {
      if (strict ? p.low < x : p.low <= x) total += p.mass;
    } else if (x >= p.high) total += p.mass;
    else if (x > p.low) total += (p.mass * (x - p.low)) / (p.high - p.low);
  }
  return Math.min(1, total);
}

/**
 * The Kolmogorov–Smirnov distance sup |F(x) − G(x)|, evaluated at every
 * breakpoint of either CDF (both sides of a jump), where a piecewise-linear
 * difference takes its extremes; `at` is where it is largest.
 * @example
 * ```ts
 * ksDistance(uniform(0, 10), uniform(5, 15)); // { distance: 0.5, at: 10 }
 * ```
 */
export function ksDistance(a: Cdf, b: Cdf): { distance: number; at: number } {
  const points = new Set<number>();
  for (const p of [...a.pieces, ...b.pieces]) points.add(p.low).add(p.high);
  let distance = 0;
  let at = Number.NaN;
  for (const x of [...points].sort((m, n) => m - n)) {
    for (const strict of [true, false]) {
      const d = Math.abs(cdfAt(a, x, strict) - cdfAt(b, x, strict));
      if (d > distance + 1e-12) {
        distance = d;
        at = x;
      }
    }
  }
  return { distance: Math.min(1, distance), at };
}

/**
 * The inverse CDF: the smallest x with F(x) ≥ q (bisection).
 * @example
 * ```ts
 * cdfQuantile({ pieces: [{ low: 0, high: 10, mass: 1 }], dates: false }, 0.5); // 5
 * ```
 */
export function cdfQuantile(cdf: Cdf, q: number): number {
  let low = Math.min(...cdf.pieces.map((p) => p.low));
  let high = Math.max(...cdf.pieces.map((p) => p.high));
  if (q <= 0) return low;
  for (let i = 0; i < 100 && high - low > 1e-9 * Math.max(1, Math.abs(high)); i++) {
    const mid = (low + high) / 2;
    if (cdfAt(cdf, mid) >= q) high = mid;
    else low = mid;
  }
  return high;
}

/** The label under which a category is counted: the value as text (`null` never occurs: nulls are apart). */
export function categoryLabel(value: ProfileValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The name of the category holding every non-null value the frequent-value list leaves out. */
export const OTHER = '(other)';

/**
 * A column's non-null category frequencies: each frequent value's share of the
 * non-null rows, plus `(other)` for the remainder. `undefined` without frequent values.
 * @example
 * ```ts
 * categoryShares({ nullFraction: 0.5, mostCommon: { values: ['a'], frequencies: [0.25] }, … }); // Map { 'a' => 0.5, '(other)' => 0.5 }
 * ```
 */
export function categoryShares(column: ProfileColumn): Map<string, number> | undefined {
  const mcv = column.mostCommon;
  const nonNull = nonNullMass(column);
  if (!mcv || mcv.values.length === 0 || nonNull <= 0) return undefined;
  const shares = new Map<string, number>();
  let listed = 0;
  mcv.values.forEach((value, i) => {
    const share = Math.min(1, (mcv.frequencies[i] ?? 0) / nonNull);
    const label = categoryLabel(value);
    shares.set(label, (shares.get(label) ?? 0) + share);
    listed += share;
  });
  const other = Math.max(0, 1 - listed);
  if (other > 1e-9) shares.set(OTHER, other);
  return shares;
}

/**
 * Total variation distance ½ Σ |p(x) − q(x)| over the union of labels; each side
 * is normalised to sum to 1 first.
 * @example
 * ```ts
 * totalVariation(new Map([['a', 0.7], ['b', 0.3]]), new Map([['a', 0.3], ['b', 0.7]])); // 0.4
 * ```
 */
export function totalVariation(p: ReadonlyMap<string, number>, q: ReadonlyMap<string, number>): number {
  const sp = [...p.values()].reduce((s, v) => s + v, 0);
  const sq = [...q.values()].reduce((s, v) => s + v, 0);
  if (sp <= 0 || sq <= 0) return sp <= 0 && sq <= 0 ? 0 : 1;
  let sum = 0;
  for (const label of new Set([...p.keys(), ...q.keys()])) sum += Math.abs((p.get(label) ?? 0) / sp - (q.get(label) ?? 0) / sq);
  return Math.min(1, sum / 2);
}

/**
 * Counts by bucket label, as a map (for `totalVariation`).
 * @example
 * ```ts
 * bucketShares([{ children: '0', parents: 3 }], 'children', 'parents'); // Map { '0' => 3 }
 * ```
 */
export function bucketShares<T extends object>(buckets: readonly T[], label: keyof T, count: keyof T): Map<string, number> {
  const out = new Map<string, number>();
  for (const b of buckets) out.set(String(b[label]), (out.get(String(b[label])) ?? 0) + Number(b[count]));
  return out;
}
