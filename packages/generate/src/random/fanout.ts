/**
 * Fan-out following a profile: how many children each parent row gets, drawn
 * from the profile's buckets (children per parent, zero-child parents
 * included), scaled so that the counts add up to exactly the child rows that
 * point somewhere. Child row i takes slot `perm(i)`; a slot past that total is
 * NULL, and slot s belongs to the parent whose prefix sum of counts covers it.
 * So children of one parent are scattered over the child table, and the whole
 * mapping is a pure function of (seed, table, pick id) and the row index.
 *
 * Built once per worker: one Float64Array of parent-count size.
 *
 * @example
 * ```ts
 * const map = createFanout({ parents: 1000, children: 5000, buckets: [[0, 0, 300], [1, 1, 200], [2, 3, 300], [8, 15, 200]], nullRate: 0 }, key);
 * map(17); // the parent row index of child row 17
 * ```
 */
import { fmix32, type AddressKey } from './hash.js';
import { createPermutation, createPermutationInverse } from './permutation.js';
import { skewedRank } from './skew.js';

export interface FanoutShape {
  readonly parents: number;
  readonly children: number;
  /** `[min children, max children, parents in the bucket]`. */
  readonly buckets: ReadonlyArray<readonly [number, number, number]>;
  readonly nullRate: number;
  /** Without buckets: each child draws its parent as a `skewed` pick does (rank ⌊n·u^skew⌋, permuted). */
  readonly skew?: number;
  /** At most this many children per parent (a key numbered within its parent has that many values). */
  readonly perParent?: number;
}

const TWO_POW_32 = 4294967296;

/**
 * Children per parent, one count per parent row, summing to `total`.
 *
 * @example
 * ```ts
 * fanoutCounts({ parents: 3, children: 6, buckets: [[1, 3, 1]], nullRate: 0 }, key, 6); // e.g. [2, 1, 3]
 * ```
 */
export function fanoutCounts(shape: FanoutShape, key: AddressKey, total: number): Float64Array {
  const counts = uncappedCounts(shape, key, total);
  return shape.perParent === undefined ? counts : capCounts(counts, shape.perParent, key);
}

/** Counts above `cap` lowered to it, the children they lose given to parents with room (in a permuted order). */
function capCounts(counts: Float64Array, cap: number, key: AddressKey): Float64Array {
  const n = counts.length;
  let over = 0;
  for (let p = 0; p < n; p++) {
    if (counts[p]! > cap) {
      over += counts[p]! - cap;
      counts[p] = cap;
    }
  }
  const order = createPermutation(n, { a: fmix32((key.a ^ 0x9e3779b9) >>> 0), b: key.b });
  // One more child at a time to parents that have some (the buckets' shape kept), then to the childless.
  for (const some of [true, false]) {
    let moved = true;
    while (over > 0 && moved) {
      moved = false;
      for (let i = 0; i < n && over > 0; i++) {
        const p = order(i);
        if (counts[p]! > 0 !== some || counts[p]! >= cap) continue;
        counts[p] = counts[p]! + 1;
        over--;
        moved = true;
      }
      if (!some) break;
    }
  }
  for (let i = 0; i < n && over > 0; i++) {
    const p = order(i);
    const add = Math.min(cap - counts[p]!, over);
    counts[p] = counts[p]! + add;
    over -= add;
  }
  return counts;
}

function uncappedCounts(shape: FanoutShape, key: AddressKey, total: number): Float64Array {
  const n = shape.parents;
  const counts = new Float64Array(n);
  const buckets = shape.buckets.filter(([lo, hi, w]) => w > 0 && hi >= lo);
  const even = (): Float64Array => {
    for (let p = 0; p < n; p++) counts[p] = Math.floor(((p + 1) * total) / n) - Math.floor((p * total) / n);
    return counts;
  };
  if (n === 0 || total <= 0) return counts;
  if (buckets.length === 0 && shape.skew !== undefined) {
    const order = createPermutation(n, key);
    const kb = key.b >>> 0;
    for (let i = 0; i < total; i++) {
      const p = order(skewedRank(fmix32((kb + fmix32((i * 2 + 1) >>> 0)) >>> 0) / TWO_POW_32, n, shape.skew));
      counts[p] = counts[p]! + 1;
    }
    return counts;
  }
  if (buckets.length === 0) return even();
  const cumulative: number[] = [];
  let weight = 0;
  for (const [, , w] of buckets) cumulative.push((weight += w));
  // Each parent's bucket: its place in a permutation of the parents, so the buckets hold their exact shares.
  const order = createPermutation(n, key);
  const bucketOf = new Uint16Array(n);
  const kb = key.b >>> 0;
  let raw = 0;
  for (let p = 0; p < n; p++) {
    const x = ((order(p) + 0.5) / n) * weight;
    let b = 0;
    while (b < cumulative.length - 1 && cumulative[b]! <= x) b++;
    bucketOf[p] = b;
    const [lo, hi] = buckets[b]!;
    const c = lo + Math.floor((fmix32((kb + fmix32((p * 2 + 2) >>> 0)) >>> 0) / TWO_POW_32) * (hi - lo + 1));
    counts[p] = c;
    raw += c;
  }
  // Move the counts toward the total inside their buckets, in proportion to each parent's room.
  let diff = total - raw;
  if (diff !== 0) {
    const grow = diff > 0;
    const roomOf = (p: number): number => {
      const [lo, hi] = buckets[bucketOf[p]!]!;
      return grow ? hi - counts[p]! : counts[p]! - lo;
    };
    let room = 0;
    for (let p = 0; p < n; p++) room += roomOf(p);
    const need = Math.abs(diff);
    const share = room > 0 ? Math.min(1, need / room) : 0;
    for (let p = 0; p < n && diff !== 0; p++) {
      const step = Math.min(Math.floor(roomOf(p) * share), Math.abs(diff));
      counts[p] = counts[p]! + (grow ? step : -step);
      diff += grow ? -step : step;
    }
    for (let i = 0; i < n && diff !== 0; i++) {
      const p = order(i);
      if (roomOf(p) <= 0) continue;
      counts[p] = counts[p]! + (grow ? 1 : -1);
      diff += grow ? -1 : 1;
    }
    if (diff !== 0) {
      // The buckets cannot hold the total (rows far from the profile's): scale, keeping zeros zero.
      let sum = 0;
      for (let p = 0; p < n; p++) sum += counts[p]!;
      if (sum === 0) return even();
      const f = total / sum;
      let before = 0;
      let acc = 0;
      for (let p = 0; p < n; p++) {
        acc += counts[p]!;
        const upTo = Math.round(acc * f);
        counts[p] = upTo - before;
        before = upTo;
      }
    }
  }
  return counts;
}

/**
 * The parent row index of each child row (-1 for NULL), following the buckets.
 *
 * @example
 * ```ts
 * createFanout(shape, key)(0); // a parent index in [0, shape.parents), or -1
 * ```
 */
export function createFanout(shape: FanoutShape, key: AddressKey): (row: number) => number {
  const ranked = createRankedFanout(shape, key);
  return (row) => ranked(row)[0];
}

/** A fan-out as slots: child row → slot, slot → parent row and place among its children. */
export interface FanoutSlots {
  /** Slots that point at a parent (the rest are NULL). */
  readonly total: number;
  /** The most children any parent has. */
  readonly most: number;
  /** The row's slot, or -1 for NULL. */
  slot(row: number): number;
  /** The parent row index of a slot (below `total`) and the slot's place among that parent's children. */
  parent(slot: number): readonly [number, number];
}

/**
 * The fan-out's slots: children of a parent take consecutive slots (parent 0's first), child
 * row i takes slot perm(i).
 *
 * @example
 * ```ts
 * const slots = createFanoutSlots(shape, key);
 * slots.parent(slots.slot(0)); // [412, 2]: the third child of parent row 412
 * ```
 */
export function createFanoutSlots(shape: FanoutShape, key: AddressKey): FanoutSlots {
  const children = Math.max(0, Math.floor(shape.children));
  if (shape.parents === 0 || children === 0) return { total: 0, most: 0, slot: () => -1, parent: () => [-1, 0] };
  const total = Math.round(children * (1 - shape.nullRate));
  const counts = fanoutCounts(shape, key, total);
  const prefix = new Float64Array(shape.parents);
  let sum = 0;
  let most = 0;
  for (let p = 0; p < shape.parents; p++) {
    prefix[p] = sum += counts[p]!;
    most = Math.max(most, counts[p]!);
  }
  const perm = createPermutation(children, slotKey(key));
  return {
    total,
    most,
    slot(row) {
      const s = perm(row % children);
      return s >= total ? -1 : s;
    },
    parent(s) {
      // The first parent whose running count passes s.
      let lo = 0;
      let hi = shape.parents - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (prefix[mid]! > s) hi = mid;
        else lo = mid + 1;
      }
      return [lo, s - (prefix[lo]! - counts[lo]!)];
    },
  };
}

/** The key of the permutation that places child rows in slots. */
function slotKey(key: AddressKey): AddressKey {
  return { a: fmix32((key.a ^ 0x3c6ef372) >>> 0), b: key.b };
}

/**
 * The inverse of `createFanout`: the child row indexes whose parent is a parent row, ascending
 * (the rows below `shape.children`; a child table with more rows repeats the mapping).
 *
 * @example
 * ```ts
 * const parentOf = createFanout(shape, key);
 * createFanoutChildren(shape, key)(7).every((row) => parentOf(row) === 7); // true
 * ```
 */
export function createFanoutChildren(shape: FanoutShape, key: AddressKey): (parent: number) => number[] {
  const children = Math.max(0, Math.floor(shape.children));
  if (shape.parents === 0 || children === 0) return () => [];
  const total = Math.round(children * (1 - shape.nullRate));
  const counts = fanoutCounts(shape, key, total);
  const prefix = new Float64Array(shape.parents + 1);
  for (let p = 0; p < shape.parents; p++) prefix[p + 1] = prefix[p]! + counts[p]!;
  const inverse = createPermutationInverse(children, slotKey(key));
  return (parent) => {
    if (parent < 0 || parent >= shape.parents) return [];
    const rows: number[] = [];
    for (let s = prefix[parent]!; s < prefix[parent + 1]!; s++) rows.push(inverse(s));
    return rows.sort((a, b) => a - b);
  };
}

/**
 * The parent row index of each child row (-1 for NULL) and the child's place among its parent's
 * children (0, 1, 2 …): children of a parent take consecutive slots, so the place is the slot
 * minus the parent's first one, distinct within the parent.
 *
 * @example
 * ```ts
 * createRankedFanout(shape, key)(0); // [412, 2]: the third child of parent row 412
 * ```
 */
export function createRankedFanout(shape: FanoutShape, key: AddressKey): (row: number) => readonly [number, number] {
  const slots = createFanoutSlots(shape, key);
  return (row) => {
    const s = slots.slot(row);
    return s < 0 ? [-1, 0] : slots.parent(s);
  };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** (a × b) mod m without losing digits above 2^53. */
export function mulMod(a: number, b: number, m: number): number {
  const p = a * b;
  return Number.isSafeInteger(p) ? p % m : Number((BigInt(a) * BigInt(b)) % BigInt(m));
}

/**
 * A stride K, coprime with `total`, such that slots d·K apart (d below `group`) are at least
 * `block` apart around the circle of `total` slots: a group of up to `group` consecutive slots of
 * one fan-out, sent to slot × K of another, lands in as many different blocks of at most `block`
 * consecutive slots (different parents). Undefined when none is found.
 *
 * @example
 * ```ts
 * spreadStride(26_428, 40, 25); // a K near 0.618 × 26,428
 * ```
 */
export function spreadStride(total: number, group: number, block: number): number | undefined {
  if (total <= 1 || group <= 1) return 1;
  const start = Math.max(1, Math.round(total * 0.6180339887498949));
  for (let t = 0; t < Math.min(total, 20_000); t++) {
    const k = ((start + t) % (total - 1)) + 1;
    if (gcd(k, total) !== 1) continue;
    let ok = true;
    for (let d = 1; d < group && ok; d++) {
      const x = mulMod(d, k, total);
      ok = Math.min(x, total - x) >= block;
    }
    if (ok) return k;
  }
  return undefined;
}
