/**
 * Draws, for each row, one of a NULL-pattern group's allowed patterns (see
 * `PlanNullGroup`): a pure function of (seed, table, group columns, row index),
 * memoized for the current row because every member asks.
 *
 * @example
 * ```ts
 * const group = new NullGroupEvaluator(seed, 'public.acl', { columns: ['user_id', 'group_id'], patterns: ['10', '01'], weights: [1, 1], checks: ['xor'] });
 * group.notNull(7, 0); // true: row 7 has a user_id and no group_id
 * ```
 */
import type { PlanNullGroup } from '../plan/plan-model.js';
import { AddressRandom } from '../random/address-random.js';
import { addressKey } from '../random/hash.js';

export class NullGroupEvaluator {
  private readonly rnd: AddressRandom;
  /** Cumulative weights, normalized to end at 1. */
  private readonly cumulative: number[];
  private memoRow = -1;
  private memoPattern = '';

  constructor(
    seed: string,
    table: string,
    private readonly group: PlanNullGroup,
  ) {
    this.rnd = new AddressRandom(addressKey(seed, table, `nulls:${group.columns.join(',')}`));
    const total = group.weights.reduce((a, b) => a + b, 0);
    let sum = 0;
    this.cumulative = group.weights.map((w) => (sum += w / total));
  }

  /** Whether member `member` (its index in `columns`) is NOT NULL in row `row`. */
  notNull(row: number, member: number): boolean {
    if (row !== this.memoRow) {
      const x = this.rnd.at(row).float();
      let k = this.cumulative.findIndex((c) => x < c);
      if (k < 0) k = this.group.patterns.length - 1;
      this.memoPattern = this.group.patterns[k]!;
      this.memoRow = row;
    }
    return this.memoPattern[member] === '1';
  }
}
