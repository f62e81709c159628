/**
 * `distribution`: values shaped like a production profile. A non-NULL value is
 * one of the frequent values (`common`, with their shares of the non-NULL rows)
 * or, for the remaining share, an "other" value: drawn from the piecewise-uniform
 * distribution between equi-depth histogram `bounds` (each bucket equal mass),
 * or made by the column's usual generator (`fallback`), optionally bent to the
 * profile's text `lengths`.
 *
 * Distinct counts: with `slots`, other values come from `slots` fixed points.
 * Row i takes slot `perm(i) mod slots` (a keyed permutation of the table's rows),
 * so the slots are hit evenly and a column with D distinct values in production
 * gets about D in the copy. A slot's value is a pure function of the slot (its
 * own address), so the same slot gives the same value in every row, chunk and
 * worker. `monotonic` makes the slot follow the row index instead (a column
 * correlated with the physical order, such as created_at against id).
 *
 * @example
 * ```ts
 * distribution.create({ valueType: 'integer', rows: 1000, common: { values: [0], weights: [0.4] }, bounds: [1, 10, 100, 1000] }, env)(rnd.at(5), 5);
 * // 0 in 40 % of rows; otherwise a third each from 1…10, 10…100, 100…1000
 * ```
 */
import { z } from 'zod';
import { AddressRandom } from '../random/address-random.js';
import { fmix32 } from '../random/hash.js';
import { createPermutation } from '../random/permutation.js';
import type { GeneratedValue } from '../values.js';
import { defineGenerator, type ValueFn } from './generator-types.js';
import { formatUnits, toUnits } from './numbers.js';
import { formatDate, formatTimestamp } from './time-format.js';

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const TWO_POW_32 = 4294967296;
/** Slots up to this many are made once per worker and kept distinct where the generator allows. */
const DEDUPE_SLOTS = 20_000;
const DEDUPE_TRIES = 8;

function keyOf(v: GeneratedValue): string {
  return typeof v === 'string' ? `s${v}` : (JSON.stringify(v) ?? 'u');
}

export const DistributionParams = z.object({
  /** How an "other" value drawn from `bounds` is written; `other`: from `fallback`. */
  valueType: z.enum(['integer', 'decimal', 'float', 'date', 'timestamp', 'other']),
  /** The table's row count (the domain of the slot permutation). */
  rows: z.number().int().min(0),
  /** Frequent values and their shares of the non-NULL rows. */
  common: z.object({ values: z.array(Scalar), weights: z.array(z.number().nonnegative()) }).optional(),
  /** Ascending histogram bounds: numbers, days since 1970 (date) or epoch seconds (timestamp). */
  bounds: z.array(z.number()).min(2).optional(),
  /** Each bucket's share of the histogram's rows (bounds.length − 1 weights); absent: equi-depth. */
  sizes: z.array(z.number().nonnegative()).optional(),
  /** The hard range of the column (same units as `bounds`). */
  min: z.number().optional(),
  max: z.number().optional(),
  /** Decimal: fraction digits; float: rounding digits; timestamp: fractional-second digits. */
  scale: z.number().int().min(0).max(15).optional(),
  withZone: z.boolean().optional(),
  /** How many distinct "other" values to draw from (absent: every row its own draw). */
  slots: z.number().int().min(1).optional(),
  /** Other values follow the row order (ascending, or descending with -1). */
  monotonic: z.union([z.literal(1), z.literal(-1)]).optional(),
  /** Text lengths: `[min, max, weight]` per bucket. */
  lengths: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().nonnegative()])).optional(),
  /** The generator of other values when there are no bounds. */
  fallback: z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) }).optional(),
  /** Values a CHECK forbids (`amount <> 0`): another slot (or draw) is taken instead. */
  exclude: z.array(Scalar).optional(),
});
export type DistributionParams = z.infer<typeof DistributionParams>;

/**
 * The inverse CDF of the piecewise-uniform distribution over histogram `bounds`:
 * equi-depth, or with bucket i holding `sizes[i]` of the mass. Always within
 * [bounds[0], bounds[last]]: the tails never pass the histogram's ends.
 *
 * @example
 * ```ts
 * histogramQuantile([0, 10, 1000], 0.75); // 505: halfway through the second bucket
 * histogramQuantile([0, 10, 1000], 0.75, [0.9, 0.1]); // 8.33…: still in the first bucket
 * ```
 */
export function histogramQuantile(bounds: readonly number[], u: number, sizes?: readonly number[]): number {
  const buckets = bounds.length - 1;
  const q = Math.min(Math.max(u, 0), 1);
  if (sizes && sizes.length === buckets) {
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total > 0) {
      let acc = 0;
      for (let i = 0; i < buckets; i++) {
        const w = sizes[i]! / total;
        if (w > 0 && (q < acc + w || i === buckets - 1 || acc + w >= 1 - 1e-12)) {
          const f = Math.min(1, Math.max(0, (q - acc) / w));
          return bounds[i]! + f * (bounds[i + 1]! - bounds[i]!);
        }
        acc += w;
      }
      return bounds[buckets]!;
    }
  }
  const pos = q * buckets;
  const i = Math.min(buckets - 1, Math.floor(pos));
  const lo = bounds[i]!;
  const hi = bounds[i + 1]!;
  return lo + (pos - i) * (hi - lo);
}

/** A cumulative table and a lookup: index of the first cumulative weight above x. */
function cumulativeOf(weights: readonly number[]): { total: number; find: (x: number) => number } {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return {
    total,
    find: (x) => {
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > x) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}

/** Writes a number drawn from the histogram as the column's value, inside [min, max]. */
function formatter(p: DistributionParams): (x: number) => GeneratedValue {
  const min = p.min ?? -Infinity;
  const max = p.max ?? Infinity;
  const clamp = (x: number): number => (x < min ? min : x > max ? max : x);
  switch (p.valueType) {
    case 'integer':
    case 'date': {
      const whole = (x: number): number => clamp(Math.floor(x));
      return p.valueType === 'date' ? (x) => formatDate(whole(x)) : whole;
    }
    case 'decimal': {
      const scale = p.scale ?? 2;
      return (x) => formatUnits(toUnits(clamp(x), scale, 'down'), scale);
    }
    case 'float': {
      const factor = 10 ** (p.scale ?? 6);
      return (x) => clamp(Math.round(x * factor) / factor);
    }
    case 'timestamp': {
      const digits = p.scale ?? 0;
      const zone = p.withZone === true;
      return (x) => {
        const v = clamp(x);
        const s = Math.floor(v);
        const micros = digits === 0 ? 0 : Math.floor((v - s) * 10 ** digits) * 10 ** (6 - digits);
        return formatTimestamp(s, micros, digits, zone);
      };
    }
    case 'other':
      return (x) => x;
  }
}

/** Bends a text to a length drawn from the buckets: cut, or extended with more of the same generator. */
function lengthShaper(lengths: NonNullable<DistributionParams['lengths']>): (make: () => GeneratedValue, rnd: AddressRandom) => GeneratedValue {
  const usable = lengths.filter(([lo, hi, w]) => w > 0 && hi >= lo);
  const table = cumulativeOf(usable.map(([, , w]) => w));
  return (make, rnd) => {
    const first = make();
    if (typeof first !== 'string' || usable.length === 0) return first;
    const [lo, hi] = usable[table.find(rnd.fraction() * table.total)]!;
    const target = rnd.int(lo, hi);
    let text = first;
    for (let k = 0; [...text].length < target && k < 64; k++) {
      const more = make();
      text = `${text} ${typeof more === 'string' && more !== '' ? more : 'x'}`;
    }
    const chars = [...text].slice(0, target);
    if (chars.length > 0 && chars[chars.length - 1] === ' ') chars[chars.length - 1] = 'x';
    return chars.join('');
  };
}

export const distribution = defineGenerator({
  name: 'distribution',
  summary: 'values shaped like a production profile: frequent values, histogram, distinct count, text lengths',
  params: DistributionParams,
  create(p, env) {
    const common = p.common && p.common.values.length > 0 ? p.common : undefined;
    const commonTable = common ? cumulativeOf(common.weights) : undefined;
    // Share of non-NULL rows that are frequent values; the rest are "other" values.
    const commonShare = Math.min(1, commonTable?.total ?? 0);
    const hasOther = commonShare < 1 - 1e-9 || !common;
    const format = formatter(p);
    const slots = p.slots;
    const rows = Math.max(1, p.rows);
    const perm = slots !== undefined && p.monotonic === undefined ? createPermutation(rows, env.key) : undefined;
    // Rows spread over slots by `mod` leave some slots one row more: scatter slots over the distribution
    // so that this excess is not all at its low end (not for monotonic columns, whose slots follow the rows).
    const slotOrder = slots !== undefined && p.monotonic === undefined ? createPermutation(slots, { a: fmix32((env.key.a ^ 0x6a09e667) >>> 0), b: env.key.b }) : undefined;
    const jitterKey = fmix32((env.key.a ^ 0x2545f491) >>> 0);
    // A fixed point in [0, 1) per slot: the slot's place in the distribution.
    const slotU = (k: number, n: number): number => (k + fmix32((jitterKey ^ fmix32((k + 1) >>> 0)) >>> 0) / TWO_POW_32) / n;
    const fallback: ValueFn | undefined = p.fallback ? env.compile(p.fallback) : undefined;
    const slotRnd = new AddressRandom({ a: fmix32((env.key.a ^ 0x68e31da4) >>> 0), b: fmix32((env.key.b + 0x1b873593) >>> 0) });
    const shape = p.lengths && p.lengths.length > 0 ? lengthShaper(p.lengths) : undefined;

    // A slot's value is made at the slot's own address, so equal slots give equal values.
    const makeAt = (address: number): GeneratedValue => {
      const source = slotRnd.at(address);
      return shape ? shape(() => fallback!(source, address), source) : fallback!(source, address);
    };
    // Up to DEDUPE_SLOTS slots, made once per worker and kept apart: a slot whose value an earlier
    // slot already has tries other addresses (k + a·slots), so small domains (a boolean, five
    // ratings) show all their values, as production did.
    let table: GeneratedValue[] | undefined;
    const slotValue = (k: number): GeneratedValue => {
      if (slots === undefined || slots > DEDUPE_SLOTS) return makeAt(k);
      if (!table) {
        table = [];
        const seen = new Set<string>();
        for (let j = 0; j < slots; j++) {
          let v = makeAt(j);
          for (let a = 1; a < DEDUPE_TRIES && seen.has(keyOf(v)); a++) v = makeAt(j + a * slots);
          seen.add(keyOf(v));
          table.push(v);
        }
      }
      return table[k]!;
    };

    /** The slot of a row, or undefined when every row draws for itself. */
    const slotOf = (row: number): number | undefined => {
      if (slots === undefined) return undefined;
      if (p.monotonic !== undefined) return Math.min(slots - 1, Math.floor(((row % rows) * slots) / rows));
      return perm!(row % rows) % slots;
    };
    const other = (rnd: AddressRandom, row: number, shift: number): GeneratedValue => {
      const slot = slotOf(row);
      const k = slot === undefined ? undefined : (slot + shift) % slots!;
      if (p.bounds) {
        let u: number;
        if (k !== undefined) u = slotU(slotOrder ? slotOrder(k) : k, slots!);
        else if (p.monotonic !== undefined) u = ((row % rows) + rnd.fraction()) / rows;
        else u = rnd.float();
        if (p.monotonic === -1) u = 1 - u;
        return format(histogramQuantile(p.bounds, u, p.sizes));
      }
      if (!fallback) return null;
      if (k === undefined) return shape ? shape(() => fallback(rnd, row), rnd) : fallback(rnd, row);
      return slotValue(k);
    };

    const excluded = p.exclude && p.exclude.length > 0 ? new Set(p.exclude.map(String)) : undefined;
    return (rnd, row) => {
      if (common && (!hasOther || rnd.fraction() < commonShare)) {
        // Draw again within the frequent values, by their weights.
        const x = rnd.fraction() * commonTable!.total;
        return common.values[commonTable!.find(x)]!;
      }
      let v = other(rnd, row, 0);
      // A forbidden value: a slot further on (a fixed step, so the choice stays a function of the row).
      for (let a = 1; excluded && a <= DEDUPE_TRIES && v !== null && excluded.has(String(v)); a++) v = other(rnd, row, a * 7919);
      return v;
    };
  },
});
