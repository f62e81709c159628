/**
 * The pairs of parent rows two foreign keys that share columns can point at together: each row
 * of the first parent with each row of the second whose shared columns hold the same values
 * (`policy_revisions` row 3 of org 7 with every `policy_groups` row of org 7). Built once per
 * worker from the parents' computed values (a pure function of the plan, so the same on every
 * worker and machine): one index of the second parent's rows by value, one prefix sum over the
 * first parent's rows. Pair `p` is found by a binary search.
 *
 * @example
 * ```ts
 * const pairs = agreeingPairs(3, 2, (a) => ['o1', 'o2', 'o1'][a]!, (b) => ['o1', 'o1'][b]!);
 * pairs.count; // 4: rows 0 and 2 of the first parent, each with rows 0 and 1 of the second
 * pairs.pair(1); // [0, 1]
 * ```
 */
import type { GeneratedValue } from '../values.js';

export interface AgreeingPairs {
  readonly count: number;
  /** The pair at `p` in `[0, count)`: `[first parent row, second parent row]`. */
  pair(p: number): [number, number];
}

/**
 * A map key for a tuple of values; undefined when one is NULL (a NULL matches nothing). A number
 * and its text are one key (an `integer` parent column and a `bigint` one generated as text hold
 * the same key, as the database compares them).
 */
export function valuesKey(values: readonly GeneratedValue[]): string | undefined {
  if (values.some((v) => v === null)) return undefined;
  return JSON.stringify(values.map((v) => (Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : Array.isArray(v) ? JSON.stringify(v) : String(v))));
}

/**
 * Enumerates the agreeing pairs of two parents with `firstRows` and `secondRows` rows, given the
 * key of each row's shared values (see `valuesKey`; undefined leaves the row out). Each key
 * function is called once per row, in row order.
 */
export function agreeingPairs(firstRows: number, secondRows: number, firstKey: (row: number) => string | undefined, secondKey: (row: number) => string | undefined): AgreeingPairs {
  const byKey = new Map<string, number[]>();
  for (let b = 0; b < secondRows; b++) {
    const key = secondKey(b);
    if (key === undefined) continue;
    const rows = byKey.get(key);
    if (rows) rows.push(b);
    else byKey.set(key, [b]);
  }
  const starts = new Float64Array(firstRows + 1);
  const matches: Array<number[] | undefined> = new Array<number[] | undefined>(firstRows);
  for (let a = 0; a < firstRows; a++) {
    const key = firstKey(a);
    const rows = key === undefined ? undefined : byKey.get(key);
    matches[a] = rows;
    starts[a + 1] = starts[a]! + (rows?.length ?? 0);
  }
  const count = starts[firstRows]!;
  return {
    count,
    pair(p) {
      let lo = 0;
      let hi = firstRows - 1;
      // The last first-parent row whose pairs start at or before p.
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= p) lo = mid;
        else hi = mid - 1;
      }
      return [lo, matches[lo]![p - starts[lo]!]!];
    },
  };
}

/**
 * How many agreeing pairs there are, counted until `enough` (exact below it): the second parent's
 * rows counted by key, the first parent's rows read only until the count is reached.
 */
export function countAgreeing(firstRows: number, secondRows: number, firstKey: (row: number) => string | undefined, secondKey: (row: number) => string | undefined, enough: number): number {
  const counts = new Map<string, number>();
  for (let b = 0; b < secondRows; b++) {
    const key = secondKey(b);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let count = 0;
  for (let a = 0; a < firstRows && count < enough; a++) {
    const key = firstKey(a);
    if (key !== undefined) count += counts.get(key) ?? 0;
  }
  return count;
}
