/**
 * Pair trends: how two columns move together, scored from the two profiles' `trends`
 * (aggregates only), as SDV's column-pair metrics do on rows:
 *
 * - `correlation` (two numeric/date columns of a table) and `childCount` (a parent's column
 *   against its number of children): CorrelationSimilarity = 1 − |r_source − r_target| / 2;
 * - `contingency` (two low-cardinality columns): ContingencySimilarity = 1 − total variation
 *   distance between the shares of rows per pair of values (pairs a profile does not list
 *   are one `(other)` cell on each side).
 *
 * Kept apart from the table and overall scores: a separate `pairTrends` score per table and
 * for the report (the mean of the pair scores), since `seed` does not yet generate correlations.
 *
 * @example
 * ```ts
 * scorePairTrends(source.tables['public.orders'], target.tables['public.orders'])?.pairs[0];
 * // { kind: 'correlation', subject: 'quantity, amount', source: 0.82, target: 0.03, score: 0.605, detail: 'r 0.82 vs 0.03' }
 * ```
 */
import type { ProfileTable, ProfileTrends } from '../profile-model.js';
import type { FidelityPairTrend } from './fidelity-model.js';

const r4 = (n: number): number => Number(n.toFixed(4));

type Contingency = ProfileTrends['contingencies'][number];

function shares(t: Contingency): Map<string, number> {
  const out = new Map<string, number>();
  if (t.rows <= 0) return out;
  for (const c of t.cells) out.set(`${String(c.values[0])}\u0000${String(c.values[1])}`, c.rows / t.rows);
  out.set('(other)', t.other / t.rows);
  return out;
}

/** 1 − TVD over the pairs of values of both sides. */
export function contingencySimilarity(a: Contingency, b: Contingency): number {
  const p = shares(a);
  const q = shares(b);
  let sum = 0;
  for (const key of new Set([...p.keys(), ...q.keys()])) sum += Math.abs((p.get(key) ?? 0) - (q.get(key) ?? 0));
  return 1 - Math.min(1, sum / 2);
}

/** 1 − |r_a − r_b| / 2. */
export function correlationSimilarity(a: number, b: number): number {
  return 1 - Math.abs(a - b) / 2;
}

const same = (a: readonly string[], b: readonly string[]): boolean => a[0] === b[0] && a[1] === b[1];

/** The pair trends both sides carry, scored; undefined when none. */
export function scorePairTrends(source: ProfileTable, target: ProfileTable): { score: number; pairs: FidelityPairTrend[] } | undefined {
  const s = source.trends;
  const t = target.trends;
  if (!s || !t) return undefined;
  const pairs: FidelityPairTrend[] = [];
  for (const c of s.correlations) {
    const o = t.correlations.find((x) => same(x.columns, c.columns));
    if (o) pairs.push({ kind: 'correlation', subject: c.columns.join(', '), source: c.r, target: o.r, score: r4(correlationSimilarity(c.r, o.r)), detail: `r ${c.r} vs ${o.r}` });
  }
  for (const c of s.contingencies) {
    const o = t.contingencies.find((x) => same(x.columns, c.columns));
    if (!o) continue;
    const score = r4(contingencySimilarity(c, o));
    pairs.push({ kind: 'contingency', subject: c.columns.join(', '), score, detail: `total variation ${r4(1 - score)} over ${c.cells.length} pairs of values (+ other)` });
  }
  for (const c of s.childCounts) {
    const o = t.childCounts.find((x) => x.foreignKey === c.foreignKey && x.column === c.column);
    if (o)
      pairs.push({ kind: 'childCount', subject: `${c.column} ~ children through ${c.foreignKey}`, source: c.r, target: o.r, score: r4(correlationSimilarity(c.r, o.r)), detail: `r ${c.r} vs ${o.r}` });
  }
  if (pairs.length === 0) return undefined;
  return { score: r4(pairs.reduce((sum, p) => sum + p.score, 0) / pairs.length), pairs };
}
