/**
 * Skewed choices: how many children a parent gets. A child draws a uniform `u`
 * and takes rank `⌊n·u^skew⌋`; with skew 2 the top 20 % of parents get about 45 %
 * of the children and many parents get none, like real fan-outs (orders per
 * customer, comments per post). A permutation then scatters the popular ranks
 * over the parent table, so the busiest parents are not simply the first rows.
 *
 * @example
 * ```ts
 * skewedRank(rnd.fraction(), 1000, 2); // more often small
 * ```
 */

/**
 * A rank in [0, n) drawn with density ∝ x^(1/skew − 1); skew 1 is uniform.
 *
 * @example
 * ```ts
 * skewedRank(0.5, 100, 2); // 25
 * ```
 */
export function skewedRank(u: number, n: number, skew: number): number {
  if (n <= 1) return 0;
  const r = Math.floor(n * power(u, skew));
  return r < n ? r : n - 1;
}

/** u^k by repeated multiplication for whole k (exact IEEE steps on every engine), Math.pow otherwise. */
function power(u: number, k: number): number {
  if (!Number.isInteger(k) || k > 16) return Math.pow(u, k);
  let out = 1;
  for (let i = 0; i < k; i++) out *= u;
  return out;
}
