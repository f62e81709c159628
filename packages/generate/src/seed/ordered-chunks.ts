/**
 * Runs chunk tasks through the pool ahead of the writer and hands their bytes
 * back strictly in task order (a reorder buffer), so the output is the same
 * whatever the worker count. At most `maxAhead` tasks are started and not yet
 * taken, and none is started while the finished, untaken chunks plus the running
 * ones (counted at the size of the last chunk that finished) would pass
 * `maxBufferedBytes`: memory stays flat however many rows are asked for, and the
 * workers keep going while the writer waits on the target (rebuilding one table's
 * indexes while the next table's chunks are made).
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
  /** Bytes the finished, untaken chunks and the running ones may hold together (default 64 MiB). */
  readonly maxBufferedBytes?: number;
  /** Tasks started before any has finished, so before a chunk's size is known (default 2, at most `maxAhead`). */
  readonly initialAhead?: number;
}

/** See the module comment. */
export class OrderedChunks {
  readonly #count: number;
  readonly #start: (index: number) => Promise<Uint8Array>;
  readonly #maxAhead: number;
  readonly #maxBytes: number;
  readonly #initialAhead: number;
  readonly #queue: Promise<Uint8Array>[] = [];
  #started = 0;
  #taken = 0;
  #running = 0;
  #buffered = 0;
  #lastBytes = 0;
  #failed = false;

  constructor(count: number, start: (index: number) => Promise<Uint8Array>, options: OrderedChunksOptions) {
    this.#count = count;
    this.#start = start;
    this.#maxAhead = Math.max(1, options.maxAhead);
    this.#maxBytes = options.maxBufferedBytes ?? 64 * 1024 * 1024;
    this.#initialAhead = Math.max(1, options.initialAhead ?? 2);
  }

  /** Tasks handed out so far. */
  get taken(): number {
    return this.#taken;
  }

  #fill(): void {
    while (
      !this.#failed &&
      this.#started < this.#count &&
      this.#started - this.#taken < this.#maxAhead &&
      // Always one for the writer to wait on (a chunk larger than the budget still goes through, alone).
      (this.#started === this.#taken ||
        (this.#lastBytes > 0 ? this.#buffered + (this.#running + 1) * this.#lastBytes <= this.#maxBytes : this.#running < this.#initialAhead))
    ) {
      this.#running++;
      const task = this.#start(this.#started++).then(
        (bytes) => {
          this.#running--;
          this.#buffered += bytes.byteLength;
          this.#lastBytes = bytes.byteLength;
          this.#fill();
          return bytes;
        },
        (error: unknown) => {
          this.#running--;
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
    this.#buffered -= bytes.byteLength;
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
