/**
 * Evaluates a table's picks: for a row index, the parent row index a foreign
 * key points at (or -1 for NULL), or the components of a distinct tuple. A pick
 * is a pure function of (seed, table, pick id, row index), memoized for the
 * current row because a composite FK reads it once per column.
 *
 * @example
 * ```ts
 * const pick = createPickEvaluator(seed, 'public.rental', 'fk:rental_customer_fk', plan.tables['public.rental']!.picks['fk:rental_customer_fk']!);
 * pick.index(17); // 412: row 17 of rental references row 412 of customer
 * ```
 */
import type { PickReader } from '../generators/generator-types.js';
import type { PlanPick } from '../plan/plan-model.js';
import { AddressRandom } from '../random/address-random.js';
import { addressKey } from '../random/hash.js';
import { createPermutation, type Permutation } from '../random/permutation.js';
import { createFanout } from '../random/fanout.js';
import { skewedRank } from '../random/skew.js';

export class PickEvaluator implements PickReader {
  private readonly rnd: AddressRandom;
  private readonly perm: Permutation | undefined;
  private readonly strides: number[] = [];
  private fanout: ((row: number) => number) | undefined;
  private memoRow = -1;
  private memoIndex = -1;

  constructor(
    private readonly seed: string,
    private readonly table: string,
    private readonly id: string,
    private readonly pick: PlanPick,
  ) {
    this.rnd = new AddressRandom(addressKey(seed, table, id));
    const permKey = addressKey(seed, table, id, 'permutation');
    if (pick.kind === 'skewed' || pick.kind === 'permutation') this.perm = createPermutation(pick.rows, permKey);
    else if (pick.kind === 'tuple') {
      let product = 1;
      for (let c = pick.sizes.length - 1; c >= 0; c--) {
        this.strides[c] = product;
        product *= pick.sizes[c]!;
      }
      this.perm = createPermutation(product, permKey);
    } else this.perm = undefined;
  }

  index(row: number): number {
    if (row === this.memoRow) return this.memoIndex;
    const value = this.compute(row);
    this.memoRow = row;
    this.memoIndex = value;
    return value;
  }

  component(row: number, c: number): number {
    const x = this.index(row);
    const size = (this.pick as { sizes: number[] }).sizes[c]!;
    return Math.floor(x / this.strides[c]!) % size;
  }

  private compute(row: number): number {
    const pick = this.pick;
    const rnd = this.rnd.at(row);
    switch (pick.kind) {
      case 'skewed':
        if (pick.rows === 0 || (pick.nullRate > 0 && rnd.sideFloat(0) < pick.nullRate)) return -1;
        return this.perm!(skewedRank(rnd.float(), pick.rows, pick.skew));
      case 'fanout':
        // Built on first use: one array of parent-count size per worker.
        this.fanout ??= createFanout({ parents: pick.rows, children: pick.children, buckets: pick.buckets, nullRate: pick.nullRate }, addressKey(this.seed, this.table, this.id, 'fanout'));
        return this.fanout(row);
      case 'permutation':
        if (pick.rows === 0 || (pick.nullRate > 0 && rnd.sideFloat(0) < pick.nullRate)) return -1;
        return this.perm!(row % pick.rows);
      case 'tree':
        if (row === 0) return pick.rootSelf ? 0 : -1;
        if (pick.rootRate > 0 && rnd.sideFloat(0) < pick.rootRate) return -1;
        return skewedRank(rnd.float(), row, pick.skew);
      case 'chain':
        if (row === 0) return pick.rootSelf ? 0 : -1;
        return row - 1;
      case 'tuple':
        return this.perm!(row);
    }
  }
}
