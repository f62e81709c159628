/**
 * A counter-based random stream for one address `(seed, table, column, rowIndex)`.
 *
 * The per-column key is hashed once (`addressKey`); moving to another row is a
 * few integer mixes (`at(rowIndex)`), with no allocation. Draws come from
 * `fmix32(fmix32(stateA + counter·φ) ^ stateB)`, so a row's stream never depends
 * on which rows were drawn before it: every value is a pure function of its address.
 *
 * @example
 * ```ts
 * const rnd = new AddressRandom(addressKey('42', 'public.customer', 'age'));
 * rnd.at(17).int(18, 90); // the same number for row 17, in any process, any chunk
 * ```
 */
import { fmix32, type AddressKey } from './hash.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/**
 * A counter-based random stream for one address (see the module comment).
 *
 * @example
 * ```ts
 * const rnd = new AddressRandom(addressKey('42', 'public.t', 'age'));
 * rnd.at(17).int(18, 90);
 * ```
 */
export class AddressRandom {
  private ka: number;
  private kb: number;
  private sa = 0;
  private sb = 0;
  private n = 0;
  private mixed = false;
  /** The row index the stream is at. */
  row = 0;

  constructor(key: AddressKey) {
    this.ka = key.a >>> 0;
    this.kb = key.b >>> 0;
    this.at(0);
  }

  /** The key this stream is derived from. */
  get key(): AddressKey {
    return { a: this.ka, b: this.kb };
  }

  /** Points the stream at another key (a new column) and rewinds it to row 0. */
  setKey(key: AddressKey): this {
    this.ka = key.a >>> 0;
    this.kb = key.b >>> 0;
    return this.at(0);
  }

  /**
   * Points the stream at `rowIndex` (a safe integer ≥ 0) and rewinds its counter.
   * The state is mixed lazily, on the first draw: generators that ignore the
   * stream (sequences, references) cost nothing here.
   */
  at(rowIndex: number): this {
    this.row = rowIndex;
    this.n = 0;
    this.mixed = false;
    return this;
  }

  private mix(): void {
    const rowIndex = this.row;
    const lo = rowIndex >>> 0;
    const hi = Math.floor(rowIndex / TWO_POW_32) >>> 0;
    this.sa = fmix32((this.ka ^ fmix32((lo + Math.imul(hi, 0x9e3779b9)) | 0)) >>> 0);
    this.sb = fmix32(((this.kb + fmix32((lo ^ 0x5bd1e995) >>> 0)) ^ Math.imul(hi, 0x27d4eb2f)) >>> 0);
    this.mixed = true;
  }

  /** Rewinds the counter of the current address (draws repeat from the start). */
  rewind(): this {
    this.n = 0;
    return this;
  }

  /** The next uniform uint32. */
  uint32(): number {
    if (!this.mixed) this.mix();
    this.n = (this.n + 1) | 0;
    return fmix32((fmix32((this.sa + Math.imul(this.n, 0x9e3779b9)) >>> 0) ^ this.sb) >>> 0);
  }

  /**
   * A uint32 from a side lane of the current address, without advancing the
   * stream: used for decisions (is this value NULL?) that must not shift the
   * value's own draws.
   */
  side(lane: number): number {
    if (!this.mixed) this.mix();
    return fmix32((fmix32((this.sa ^ Math.imul(lane + 1, 0x85ebca77)) >>> 0) + this.sb) >>> 0);
  }

  /** A uniform float in [0, 1) from a side lane (see `side`). */
  sideFloat(lane: number): number {
    return this.side(lane) / TWO_POW_32;
  }

  /** A uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** A uniform float in [0, 1) with 32 random bits (cheaper; enough for choices). */
  fraction(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** A uniform integer in [min, max] (both inclusive; safe integers). */
  int(min: number, max: number): number {
    if (max <= min) return min;
    const span = max - min + 1;
    if (span <= TWO_POW_32) {
      const r = Math.floor((this.uint32() / TWO_POW_32) * span);
      return min + (r < span ? r : span - 1);
    }
    const r = Math.floor(this.float() * span);
    return min + (r < span ? r : span - 1);
  }

  /** An index in [0, length). */
  index(length: number): number {
    return length <= 1 ? 0 : this.int(0, length - 1);
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.index(items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.fraction() < p;
  }
}
