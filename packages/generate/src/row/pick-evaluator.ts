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
import { UsageError } from '@understudy/core';
import type { PickReader } from '../generators/generator-types.js';
import type { PlanPick, PlanPickPair, PlanTuplePair } from '../plan/plan-model.js';
import { AddressRandom } from '../random/address-random.js';
import { addressKey } from '../random/hash.js';
import { createPermutation, type Permutation } from '../random/permutation.js';
import { createFanoutChildren, createFanoutSlots, mulMod, spreadStride, type FanoutShape, type FanoutSlots } from '../random/fanout.js';
import { skewedRank } from '../random/skew.js';
import type { GeneratedValue } from '../values.js';
import { agreeingPairs, countAgreeing, valuesKey, type AgreeingPairs } from './agreeing-pairs.js';

/** The fan-out a `fanout` pick follows (its slots and their inverse read the same one). */
function fanoutShape(pick: Extract<PlanPick, { kind: 'fanout' }>): FanoutShape {
  return {
    parents: pick.rows,
    children: pick.children,
    buckets: pick.buckets,
    nullRate: pick.nullRate,
    ...(pick.perParent !== undefined ? { perParent: pick.perParent } : {}),
    ...(pick.skew !== undefined ? { skew: pick.skew } : {}),
  };
}

/** A parent table's column, by row index (how an `agreeing` pick reads the parents' shared values). */
export type ParentValues = (table: string, column: string) => (row: number) => GeneratedValue;

export class PickEvaluator implements PickReader {
  private readonly rnd: AddressRandom;
  private perm: Permutation | undefined;
  private readonly strides: number[] = [];
  private fanout: FanoutSlots | undefined;
  private stride: number | undefined;
  private memoRank = 0;
  private pairs: AgreeingPairs | undefined;
  private firsts: number[] | undefined;
  private memoRow = -1;
  private memoIndex = -1;

  constructor(
    private readonly seed: string,
    private readonly table: string,
    private readonly id: string,
    private readonly pick: PlanPick,
    private readonly parentValues?: ParentValues,
    /** Another pick of the table (a `spread` fan-out reads the other's slots). */
    private readonly other?: (id: string) => PickEvaluator,
  ) {
    this.rnd = new AddressRandom(addressKey(seed, table, id));
    const permKey = addressKey(seed, table, id, 'permutation');
    if (pick.kind === 'skewed' || (pick.kind === 'permutation' && pick.distinct === undefined)) this.perm = createPermutation(pick.rows, permKey);
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
    this.memoRank = 0;
    const value = this.compute(row);
    this.memoRow = row;
    this.memoIndex = value;
    return value;
  }

  /**
   * For a `fanout` pick: the rows of this table whose parent is row `parent` of the parent table,
   * ascending; `undefined` for other kinds (their children cannot be listed without a scan).
   */
  childrenOf(): ((parent: number) => number[]) | undefined {
    const pick = this.pick;
    // A `spread` pick takes its parent through another pick's slots: not this fan-out's inverse.
    if (pick.kind !== 'fanout' || pick.pair || pick.spread) return undefined;
    return createFanoutChildren(fanoutShape(pick), addressKey(this.seed, this.table, this.id, 'fanout'));
  }

  component(row: number, c: number): number {
    const x = this.index(row);
    if (this.pick.kind === 'agreeing') return x < 0 ? -1 : this.pairs!.pair(x)[c]!;
    // A fanout numbered within its parent: component 1 is the child's place among its parent's.
    if (this.pick.kind === 'fanout') return c === 0 ? x : this.memoRank;
    const pick = this.pick as Extract<PlanPick, { kind: 'tuple' }>;
    const raw = (k: number): number => Math.floor(x / this.strides[k]!) % pick.sizes[k]!;
    const pair = pick.pairs?.find((p) => p.first === c || p.second === c);
    if (!pair) return raw(c);
    const [first, second] = pairedComponents(pair, raw(pair.first), raw(pair.second));
    return c === pair.first ? first : second;
  }

  private compute(row: number): number {
    const pick = this.pick;
    const rnd = this.rnd.at(row);
    switch (pick.kind) {
      case 'skewed':
        if (pick.rows === 0 || (pick.nullRate > 0 && rnd.sideFloat(0) < pick.nullRate)) return -1;
        return this.perm!(skewedRank(rnd.float(), pick.rows, pick.skew));
      case 'fanout': {
        const slots = this.slots(pick);
        if (!pick.spread) {
          const s = slots.slot(row);
          return s < 0 ? -1 : this.rankedIndex(slots.parent(s));
        }
        const first = this.other!(pick.spread.pick);
        const s = first.slot(row);
        if (s < 0 || slots.total === 0) return -1;
        this.stride ??= this.spreadStrideOf(first.slots(), slots);
        return this.rankedIndex(slots.parent(mulMod(s, this.stride, slots.total)));
      }
      case 'permutation':
        if (pick.rows === 0 || (pick.nullRate > 0 && rnd.sideFloat(0) < pick.nullRate)) return -1;
        if (pick.distinct !== undefined) return this.distinctParent(pick, row);
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
      case 'agreeing':
        return this.agreeing(pick, row, rnd.float());
    }
  }

  /** A fan-out pick's slots, built on first use (one array of parent-count size per worker). */
  slots(pick = this.pick): FanoutSlots {
    if (pick.kind !== 'fanout') throw new Error(`pick ${this.id} of ${this.table} is not a fan-out`);
    return (this.fanout ??= createFanoutSlots(fanoutShape(pick), addressKey(this.seed, this.table, this.id, 'fanout')));
  }

  /** A fan-out pick's slot of a row (-1 for NULL). */
  slot(row: number): number {
    return this.slots().slot(row);
  }

  private spreadStrideOf(first: FanoutSlots, own: FanoutSlots): number {
    const stride = first.total === own.total ? spreadStride(own.total, first.most, own.most) : undefined;
    if (stride === undefined) {
      throw new UsageError(
        `${this.table}: the composite key over foreign keys ${this.id} and ${(this.pick as { spread?: { pick: string } }).spread?.pick} cannot keep both fan-outs (${first.most} and ${own.most} children per parent in ${own.total} rows)`,
        { hint: `give ${this.table} fewer rows, or more rows to the tables it references` },
      );
    }
    return stride;
  }

  private rankedIndex([parent, rank]: readonly [number, number]): number {
    this.memoRank = rank;
    return parent;
  }

  /**
   * For an `agreeing` pick: how many pairs of parent rows agree (how many rows a distinct one can
   * number), counted up to `enough` (exact below it; the plan asks no more than it needs).
   */
  agreeingCount(enough = Infinity): number {
    const pick = this.pick;
    if (pick.kind !== 'agreeing') throw new Error(`pick ${this.id} of ${this.table} is not an agreeing pick`);
    if (this.pairs) return this.pairs.count;
    return countAgreeing(pick.rows[0], pick.rows[1], this.pairKey(pick, 0), this.pairKey(pick, 1), enough);
  }

  /**
   * For a `permutation` pick with `distinct`: how many parent rows hold a value of its columns no
   * earlier row holds (how many rows the child can have).
   */
  distinctCount(): number {
    const pick = this.pick;
    if (pick.kind !== 'permutation' || pick.distinct === undefined) throw new Error(`pick ${this.id} of ${this.table} is not a distinct permutation`);
    return (this.firsts ??= this.firstRows(pick)).length;
  }

  /** The parent rows, in order, whose values of `distinct.columns` no earlier row holds (read once per worker). */
  private firstRows(pick: Extract<PlanPick, { kind: 'permutation' }>): number[] {
    const read = this.parentValues;
    if (!read) throw new Error(`pick ${this.id} of ${this.table}: a distinct permutation needs the parent's values`);
    const columns = pick.distinct!.columns.map((c) => read(pick.table, c));
    const seen = new Set<string>();
    const rows: number[] = [];
    for (let r = 0; r < pick.rows; r++) {
      const key = valuesKey(columns.map((c) => c(r)));
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      rows.push(r);
    }
    this.perm = createPermutation(rows.length, addressKey(this.seed, this.table, this.id, 'permutation'));
    return rows;
  }

  /** A parent row of its own value of the distinct columns for every row. */
  private distinctParent(pick: Extract<PlanPick, { kind: 'permutation' }>, row: number): number {
    const rows = (this.firsts ??= this.firstRows(pick));
    if (row >= rows.length) {
      const columns = pick.distinct!.columns.join(', ');
      throw new UsageError(
        `${this.table}: ${pick.distinct!.key} needs a row of ${pick.table} with its own ${columns} per row, but only ${rows.length} rows of ${pick.table} differ there, and row ${row + 1} was asked for`,
        {
          hint: `lower the rows of ${this.table} to ${rows.length} or fewer, or raise the rows of ${pick.table}`,
        },
      );
    }
    return rows[this.perm!(row)]!;
  }

  /** A pair of parent rows that agree on the shared columns: distinct per row, or skewed. */
  private agreeing(pick: Extract<PlanPick, { kind: 'agreeing' }>, row: number, u: number): number {
    const pairs = (this.pairs ??= this.buildPairs(pick));
    if (pairs.count === 0) throw noAgreeingPairs(this.table, pick);
    if (pick.distinct === undefined) return this.perm!(skewedRank(u, pairs.count, pick.skew));
    if (row >= pairs.count) {
      const [first, second] = pick.tables;
      throw new UsageError(
        `${this.table}: ${pick.distinct.key} needs a different pair of rows of ${first} and ${second} per row (foreign keys ${pick.foreignKeys.join(' and ')} share ${pick.on.map((o) => o[0]).join(', ')}), but only ${pairs.count} pairs agree, and row ${row + 1} was asked for`,
        { hint: `lower the rows of ${this.table} to ${pairs.count} or fewer, or raise the rows of ${first} and ${second}` },
      );
    }
    return this.perm!(row);
  }

  /** The key of a parent row's shared values (to be read once per row, in row order). */
  private pairKey(pick: Extract<PlanPick, { kind: 'agreeing' }>, side: 0 | 1): (row: number) => string | undefined {
    const read = this.parentValues;
    if (!read) throw new Error(`pick ${this.id} of ${this.table}: an agreeing pick needs the parents' values`);
    const columns = pick.on.map((o) => read(pick.tables[side], o[side]));
    const on = (row: number): string | undefined => valuesKey(columns.map((c) => c(row)));
    if (pick.distinct === undefined) return on;
    // For a distinct key: one row per value of the key's columns in this parent.
    // With the shared columns: the key holds them too (a team name is distinct per org, not alone).
    const keyColumns = [...new Set([...pick.distinct.columns[side], ...pick.on.map((o) => o[side])])];
    const keyed = keyColumns.map((c) => read(pick.tables[side], c));
    const seen = new Set<string>();
    return (row) => {
      const value = valuesKey(keyed.map((c) => c(row)));
      if (value === undefined || seen.has(value)) return undefined;
      seen.add(value);
      return on(row);
    };
  }

  private buildPairs(pick: Extract<PlanPick, { kind: 'agreeing' }>): AgreeingPairs {
    const pairs = agreeingPairs(pick.rows[0], pick.rows[1], this.pairKey(pick, 0), this.pairKey(pick, 1));
    this.perm = createPermutation(pairs.count, addressKey(this.seed, this.table, this.id, 'permutation'));
    return pairs;
  }
}

/** Why a table with foreign keys that share columns cannot have a row: no parent rows agree. */
export function noAgreeingPairs(table: string, pick: Extract<PlanPick, { kind: 'agreeing' }>): UsageError {
  const [first, second] = pick.tables;
  const shared = pick.on.map(([a, b]) => (a === b ? a : `${a} = ${b}`)).join(', ');
  return new UsageError(
    `${table}: foreign keys ${pick.foreignKeys.join(' and ')} share ${shared}, so each row needs a row of ${first} and a row of ${second} with the same ${shared}, but no two rows agree`,
    { hint: `raise the rows of ${first} and ${second} (so that they share values of ${shared}), or give ${table} 0 rows` },
  );
}

/**
 * The two components of a tuple pair, from their raw digits: `first` is a parent row index below
 * `size`, `second` an offset whose range (the tuple's size for it) is what the relation leaves, so
 * distinct raw tuples stay distinct. `<>`: the offset skips `first`. `<`, `<=`: the unordered pair
 * {first, first + offset (+ 1) mod size} with offsets below size / 2, each pair once, read in order.
 *
 * @example
 * ```ts
 * pairedComponents({ first: 0, second: 1, relation: '<>', size: 10 }, 4, 4); // [4, 5]
 * pairedComponents({ first: 0, second: 1, relation: '<', size: 10 }, 8, 2);  // [1, 8]
 * ```
 */
export function pairedComponents(pair: PlanTuplePair, first: number, offset: number): [number, number] {
  if (pair.relation === '<>') return [first, offset >= first ? offset + 1 : offset];
  const other = (first + offset + (pair.relation === '<' ? 1 : 0)) % pair.size;
  return first <= other ? [first, other] : [other, first];
}

/**
 * Parent row indexes of two picks a CHECK compares, adjusted so it holds: `<>` moves the second
 * pick off the first's row (to the next one), `<`/`<=` read the two in order. A NULL (−1) on either
 * side leaves both as drawn (the CHECK is not false on NULL); with one parent row, the second is NULL
 * where the two would meet.
 *
 * @example
 * ```ts
 * pairedIndexes('<>', 7, 7, 100); // [7, 8]
 * pairedIndexes('<', 9, 3, 100);  // [3, 9]
 * ```
 */
export function pairedIndexes(relation: PlanPickPair['relation'], first: number, second: number, rows: number): [number, number] {
  if (first < 0 || second < 0) return [first, second];
  // With one parent row, the planner pairs only a second pick that may be NULL.
  if (relation !== '<=' && first === second && rows < 2) return [first, -1];
  const apart = relation !== '<=' && first === second ? (second + 1) % rows : second;
  return relation === '<>' || first <= apart ? [first, apart] : [apart, first];
}

/** A pick read with the pick it is paired with (see {@link pairedIndexes}); each is drawn as if alone. */
export class PairedPick implements PickReader {
  constructor(
    private readonly own: PickReader,
    private readonly partner: PickReader,
    private readonly pair: PlanPickPair,
    private readonly rows: number,
  ) {}

  index(row: number): number {
    const own = this.own.index(row);
    const partner = this.partner.index(row);
    const [first, second] = this.pair.first ? pairedIndexes(this.pair.relation, own, partner, this.rows) : pairedIndexes(this.pair.relation, partner, own, this.rows);
    return this.pair.first ? first : second;
  }

  component(row: number, c: number): number {
    return this.own.component(row, c);
  }
}
