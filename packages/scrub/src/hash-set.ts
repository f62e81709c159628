/**
 * A multiset of 64-bit hashes in an open-addressing table (BigUint64Array keys, Uint32Array
 * counts): 12 bytes a slot, at most half full, never holding a value itself. What audit
 * keeps of the source.
 *
 * @example
 * ```ts
 * const set = new HashSet64();
 * set.add(0x1234n); set.count(0x1234n); // 1
 * ```
 */
export class HashSet64 {
  #slots = new BigUint64Array(1 << 12);
  #counts = new Uint32Array(1 << 12);
  #size = 0;

  /** Distinct hashes held. */
  get size(): number {
    return this.#size;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.#slots.byteLength + this.#counts.byteLength;
  }

  add(h: bigint, times = 1): void {
    const v = h === 0n ? 1n : h;
    if ((this.#size + 1) * 2 > this.#slots.length) this.#grow();
    const i = this.#find(this.#slots, v);
    if (this.#slots[i] === 0n) {
      this.#slots[i] = v;
      this.#size++;
    }
    this.#counts[i] = Math.min(0xffffffff, this.#counts[i]! + times);
  }

  has(h: bigint): boolean {
    return this.count(h) > 0;
  }

  /** How many times `h` was added (0: never). */
  count(h: bigint): number {
    const v = h === 0n ? 1n : h;
    const i = this.#find(this.#slots, v);
    return this.#slots[i] === 0n ? 0 : this.#counts[i]!;
  }

  /** The slot holding `v`, or the empty slot where it would go. */
  #find(slots: BigUint64Array, v: bigint): number {
    const mask = slots.length - 1;
    let i = Number(v & BigInt(mask));
    while (slots[i] !== 0n && slots[i] !== v) i = (i + 1) & mask;
    return i;
  }

  #grow(): void {
    const slots = new BigUint64Array(this.#slots.length * 2);
    const counts = new Uint32Array(slots.length);
    this.#slots.forEach((s, j) => {
      if (s === 0n) return;
      const i = this.#find(slots, s);
      slots[i] = s;
      counts[i] = this.#counts[j]!;
    });
    this.#slots = slots;
    this.#counts = counts;
  }
}
