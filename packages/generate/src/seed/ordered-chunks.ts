/**
 * Runs chunk tasks through the pool ahead of the writer and hands their bytes
 * back strictly in task order (a reorder buffer), so the output is the same
 * whatever the worker count. At most `maxAhead` tasks are started and not yet
 * taken, and none is started while the finished, untaken chunks plus the running
 * ones would pass `maxBufferedBytes`. A running chunk counts at its rows times the
 * bytes per row of its group's (its table's) last finished chunk; until one chunk of
 * a group has finished, only one of that group runs (at the very start, when nothing
 * is known yet, `initialAhead` run). Counting at the last chunk's size instead let a
 * table of small first chunks start 64 large ones (109 MB held for a 64 MiB budget).
 * So memory stays flat however many rows are asked for, and the workers keep going
 * while the writer waits on the target (rebuilding one table's indexes while the
 * next table's chunks are made).
 *
 * @example
 * ```ts
 * const chunks = new OrderedChunks(ranges.length, (i) => pool.run(taskFor(ranges[i]!)), { maxAhead: 8 });
 * try {
 *   for (let i = 0; i < ranges.length; i++) await writer.write(await chunks.next());
 * } finally {
 *   await chunks.settle();
 * }
 * ```
 */

export interface OrderedChunksOptions {
  /** Tasks started and not yet taken, at most (≥ 1). */
  readonly maxAhead: number;
  /**
   * Bytes the finished, untaken chunks and the running ones may hold together (default 16 MiB;
   * `seed` passes its own, see `AHEAD_BYTES` there).
   */
  readonly maxBufferedBytes?: number;
  /** Tasks started before any has finished, so before a chunk's size is known (default 2, at most `maxAhead`). */
  readonly initialAhead?: number;
  /** What task `index` makes: its group (a table) and its rows (default: one row of one group, so a chunk counts at the size of the last). */
  readonly sizeOf?: (index: number) => ChunkSize;
}

/** See `OrderedChunksOptions.sizeOf`. */
export interface ChunkSize {
  readonly group: string;
  readonly rows: number;
}

const ONE_ROW: ChunkSize = { group: '', rows: 1 };

/** See the module comment. */
export class OrderedChunks {
  readonly #count: number;
  readonly #start: (index: number, expectedBytes: number) => Promise<Uint8Array>;
  readonly #maxAhead: number;
  readonly #maxBytes: number;
  readonly #initialAhead: number;
  readonly #sizeOf: (index: number) => ChunkSize;
  readonly #queue: Promise<Uint8Array>[] = [];
  /** Bytes per row of each group's last finished chunk, and the most of any group. */
  readonly #bytesPerRow = new Map<string, number>();
  #mostBytesPerRow = 0;
  /** Started and not finished, by task index. */
  readonly #running = new Set<number>();
  #started = 0;
  #taken = 0;
  #buffered = 0;
  #failed = false;

  /** `start(index, expectedBytes)`: runs task `index`, which should make about `expectedBytes` (0: not known yet). */
  constructor(count: number, start: (index: number, expectedBytes: number) => Promise<Uint8Array>, options: OrderedChunksOptions) {
    this.#count = count;
    this.#start = start;
    this.#maxAhead = Math.max(1, options.maxAhead);
    this.#maxBytes = options.maxBufferedBytes ?? 16 * 1024 * 1024;
    this.#initialAhead = Math.max(1, options.initialAhead ?? 2);
    this.#sizeOf = options.sizeOf ?? (() => ONE_ROW);
  }

  /** Tasks handed out so far. */
  get taken(): number {
    return this.#taken;
  }

  /** The bytes task `index` is expected to make (0 before any task has finished). */
  #expected(index: number): number {
    const { group, rows } = this.#sizeOf(index);
    return rows * (this.#bytesPerRow.get(group) ?? this.#mostBytesPerRow);
  }

  /** Whether a chunk of `group` is running and none has finished: its size is a guess until one does. */
  #probing(group: string): boolean {
    if (this.#bytesPerRow.has(group)) return false;
    for (const i of this.#running) if (this.#sizeOf(i).group === group) return true;
    return false;
  }

  #fill(): void {
    let running = 0;
    for (const i of this.#running) running += this.#expected(i);
    while (!this.#failed && this.#started < this.#count && this.#started - this.#taken < this.#maxAhead) {
      const next = this.#expected(this.#started);
      // Always one for the writer to wait on (a chunk larger than the budget still goes through, alone).
      if (this.#started > this.#taken) {
        if (this.#mostBytesPerRow === 0) {
          if (this.#running.size >= this.#initialAhead) break;
        } else if (this.#buffered + running + next > this.#maxBytes || this.#probing(this.#sizeOf(this.#started).group)) break;
      }
      running += next;
      const index = this.#started++;
      this.#running.add(index);
      const task = this.#start(index, next).then(
        (bytes) => {
          this.#running.delete(index);
          this.#buffered += bytes.buffer.byteLength; // the memory held, room to spare included
          const { group, rows } = this.#sizeOf(index);
          const perRow = bytes.byteLength / Math.max(1, rows);
          this.#bytesPerRow.set(group, perRow);
          this.#mostBytesPerRow = Math.max(this.#mostBytesPerRow, perRow);
          this.#fill();
          return bytes;
        },
        (error: unknown) => {
          this.#running.delete(index);
          this.#failed = true;
          throw error;
        },
      );
      task.catch(() => undefined); // taken (and awaited) in order by next(); never an unhandled rejection
      this.#queue.push(task);
    }
  }

  /** Starts the first tasks now, before the first `next()` (while the writer gets ready). */
  start(): void {
    this.#fill();
  }

  /** The next chunk's bytes, in task order; rejects with that task's error. */
  async next(): Promise<Uint8Array> {
    if (this.#taken >= this.#count) throw new Error(`all ${this.#count} chunks were taken`);
    this.#fill();
    const task = this.#queue.shift()!;
    this.#taken++;
    const bytes = await task;
    this.#buffered -= bytes.buffer.byteLength;
    this.#fill();
    return bytes;
  }

  /** Stops starting tasks and waits for those started to settle (before the pool is torn down). */
  async settle(): Promise<void> {
    this.#failed = true;
    await Promise.allSettled(this.#queue);
  }
}

/**
 * Runs `count` tasks with at most `inFlight` ahead and hands their bytes to `write` in task order.
 *
 * @example
 * ```ts
 * await writeInOrder(ranges.length, 4, (i) => pool.run(taskFor(ranges[i]!)), (bytes) => writer.write(bytes));
 * ```
 */
export async function writeInOrder(
  count: number,
  inFlight: number,
  start: (index: number) => Promise<Uint8Array>,
  write: (bytes: Uint8Array, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const chunks = new OrderedChunks(count, start, { maxAhead: inFlight });
  try {
    for (let i = 0; i < count; i++) {
      signal?.throwIfAborted();
      const bytes = await chunks.next();
      signal?.throwIfAborted();
      await write(bytes, i);
    }
  } finally {
    await chunks.settle();
  }
}
