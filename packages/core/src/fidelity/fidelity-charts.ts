/**
 * The bars a FidelityReport carries for its charts: the source and target
 * distributions over the same labels, as fractions of all rows (NULL included)
 * or of all parents (fan-out). Pure; the HTML report draws them.
 *
 * @example
 * ```ts
 * categoricalChart(sourceColumn, targetColumn)?.bars; // [{ label: 'active', source: 0.6, target: 0.58 }, …, { label: 'NULL', … }]
 * ```
 */
import type { FanoutBucket, LengthBucket, ProfileColumn } from '../profile-model.js';
import { categoryShares, cdfAt, cdfQuantile, OTHER, type Cdf } from './distribution-distance.js';
import type { FidelityBar, FidelityChart } from './fidelity-model.js';

const MAX_CATEGORIES = 24;
const NUMERIC_BINS = 16;
const CDF_POINTS = 64;

const round = (n: number): number => Number(n.toFixed(6));
const nonNull = (c: ProfileColumn): number => Math.max(0, 1 - (c.nullFraction ?? 0));

function nullBar(source: ProfileColumn, target: ProfileColumn): FidelityBar[] {
  const s = source.nullFraction ?? 0;
  const t = target.nullFraction ?? 0;
  return s > 0 || t > 0 ? [{ label: 'NULL', source: round(s), target: round(t) }] : [];
}

/**
 * Frequent values (the source's most frequent first, at most 24; the rest folded
 * into `(other)`), then `(other)`, then NULL.
 * @example
 * ```ts
 * categoricalChart(a, b)?.bars.map((bar) => bar.label); // ['basic', 'gold', '(other)', 'NULL']
 * ```
 */
export function categoricalChart(source: ProfileColumn, target: ProfileColumn): FidelityChart | undefined {
  const s = categoryShares(source);
  const t = categoryShares(target);
  if (!s || !t) return undefined;
  const order = [...new Set([...s.keys(), ...t.keys()])].filter((label) => label !== OTHER).sort((a, b) => (s.get(b) ?? 0) - (s.get(a) ?? 0) || (t.get(b) ?? 0) - (t.get(a) ?? 0));
  const shown = order.slice(0, MAX_CATEGORIES);
  const bars: FidelityBar[] = shown.map((label) => ({
    label,
    source: round((s.get(label) ?? 0) * nonNull(source)),
    target: round((t.get(label) ?? 0) * nonNull(target)),
  }));
  const rest = (shares: Map<string, number>): number => [...shares.entries()].filter(([l]) => !shown.includes(l)).reduce((sum, [, v]) => sum + v, 0);
  const otherS = rest(s);
  const otherT = rest(t);
  // A remainder below 0.05% on both sides is rounding in the engine's frequencies, not a category.
  if (otherS > 5e-4 || otherT > 5e-4) bars.push({ label: OTHER, source: round(otherS * nonNull(source)), target: round(otherT * nonNull(target)) });
  return { kind: 'categorical', unit: 'fraction of rows', bars: [...bars, ...nullBar(source, target)] };
}

function formatEdge(x: number, dates: boolean): string {
  if (dates) return new Date(x).toISOString().slice(0, 10);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/**
 * Mass in 16 bins over the 1st–99th percentile range of both sides (the first
 * and last bins take the tails); bins are logarithmic when every value is
 * positive and the range spans more than two orders of magnitude (heavy tails).
 * @example
 * ```ts
 * numericChart(a, b, sourceColumn, targetColumn).bars[0]; // { label: '≤ 1.5', source: 0.06, target: 0.07 }
 * ```
 */
export function numericChart(a: Cdf, b: Cdf, source: ProfileColumn, target: ProfileColumn, ks?: { distance: number; at: number }): FidelityChart {
  const low = Math.min(cdfQuantile(a, 0.01), cdfQuantile(b, 0.01));
  const high = Math.max(cdfQuantile(a, 0.99), cdfQuantile(b, 0.99));
  const logarithmic = low > 0 && high / low > 100;
  const edges: number[] = [];
  for (let i = 0; i <= NUMERIC_BINS; i++) {
    const f = i / NUMERIC_BINS;
    edges.push(logarithmic ? Math.exp(Math.log(low) + f * (Math.log(high) - Math.log(low))) : low + f * (high - low));
  }
  const dates = a.dates || b.dates;
  const bars: FidelityBar[] = [];
  for (let i = 0; i < NUMERIC_BINS; i++) {
    const from = i === 0 ? -Infinity : edges[i]!;
    const to = i === NUMERIC_BINS - 1 ? Infinity : edges[i + 1]!;
    const mass = (cdf: Cdf): number => (to === Infinity ? 1 : cdfAt(cdf, to)) - (from === -Infinity ? 0 : cdfAt(cdf, from));
    const label = i === 0 ? `≤ ${formatEdge(edges[1]!, dates)}` : i === NUMERIC_BINS - 1 ? `> ${formatEdge(edges[i]!, dates)}` : `${formatEdge(edges[i]!, dates)}–${formatEdge(edges[i + 1]!, dates)}`;
    bars.push({ label, source: round(mass(a) * nonNull(source)), target: round(mass(b) * nonNull(target)) });
  }
  // The CDFs along the same axis, for the KS picture.
  const position = (x: number): number => (high <= low ? 0 : logarithmic ? (Math.log(Math.max(x, low)) - Math.log(low)) / (Math.log(high) - Math.log(low)) : (x - low) / (high - low));
  const points = Array.from({ length: CDF_POINTS + 1 }, (_, i) => {
    const f = i / CDF_POINTS;
    const x = logarithmic ? Math.exp(Math.log(low) + f * (Math.log(high) - Math.log(low))) : low + f * (high - low);
    return { at: round(f), source: round(cdfAt(a, x)), target: round(cdfAt(b, x)) };
  });
  const cdf: NonNullable<FidelityChart['cdf']> = { from: formatEdge(low, dates), to: formatEdge(high, dates), points };
  if (ks && !Number.isNaN(ks.at) && ks.distance > 0) {
    cdf.gap = { at: round(Math.min(1, Math.max(0, position(ks.at)))), label: formatEdge(ks.at, dates), distance: round(ks.distance) };
  }
  return { kind: 'numeric', unit: `fraction of rows${logarithmic ? ' (log-spaced bins)' : ''}`, bars: [...bars, ...nullBar(source, target)], cdf };
}

function bucketFloor(label: string): number {
  return Number(label.split('-')[0]);
}

function bucketChart(kind: 'lengths' | 'fanout', unit: string, s: Map<string, number>, t: Map<string, number>): FidelityChart {
  const total = (m: Map<string, number>): number => [...m.values()].reduce((sum, v) => sum + v, 0) || 1;
  const ts = total(s);
  const tt = total(t);
  const labels = [...new Set([...s.keys(), ...t.keys()])].sort((a, b) => bucketFloor(a) - bucketFloor(b));
  return { kind, unit, bars: labels.map((label) => ({ label, source: round((s.get(label) ?? 0) / ts), target: round((t.get(label) ?? 0) / tt) })) };
}

/** Text lengths, as fractions of the non-null values per power-of-two bucket. */
export function lengthsChart(source: readonly LengthBucket[], target: readonly LengthBucket[]): FidelityChart {
  const map = (b: readonly LengthBucket[]): Map<string, number> => new Map(b.map((x) => [x.length, x.rows]));
  return bucketChart('lengths', 'fraction of non-null values, by length in characters', map(source), map(target));
}

/** Children per parent, as fractions of the parents per power-of-two bucket. */
export function fanoutChart(source: readonly FanoutBucket[], target: readonly FanoutBucket[]): FidelityChart {
  const map = (b: readonly FanoutBucket[]): Map<string, number> => new Map(b.map((x) => [x.children, x.parents]));
  return bucketChart('fanout', 'fraction of parents, by number of children', map(source), map(target));
}
