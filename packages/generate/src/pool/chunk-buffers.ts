/**
 * The memory chunks are made in, passed round instead of allocated per chunk. A worker
 * fills a buffer, transfers it to the main thread, the sink writes it, and (when the sink
 * lets go of a chunk once its write resolves: `Sink.releasesWrittenChunks`) the main
 * thread hands the same buffer to the next task. Without that, every chunk is allocated
 * in a worker and freed whenever the main thread's garbage collector gets round to it:
 * V8 lets ~64 MB of such garbage pile up, and the allocator keeps what it frees in the
 * worker's arena, so a seed's peak memory crept up with its length (301 → 399 MB from 1M
 * to 10M pagila rows).
 *
 * @example
 * ```ts
 * const buffers = new ChunkBuffers(16 << 20);
 * const bytes = await pool.run(task, buffers.take(expectedBytes)); // the worker fills it, or a new one
 * await writer.write(bytes);
 * buffers.give(bytes); // the sink has let go of it
 * ```
 */

/** A buffer for a chunk of `bytes`: `into` when it is large enough, else a new one with room for a slightly larger chunk of the same table next time. */
export function chunkMemory(bytes: number, into: ArrayBuffer | undefined): Uint8Array {
  if (into && into.byteLength >= bytes) return new Uint8Array(into, 0, bytes);
  return new Uint8Array(new ArrayBuffer(withRoom(bytes)), 0, bytes);
}

/** An eighth more, in whole pages. */
function withRoom(bytes: number): number {
  return Math.ceil((bytes + bytes / 8) / 4096) * 4096;
}

/** Free buffers of written chunks (see the module comment). */
export class ChunkBuffers {
  readonly #maxBytes: number;
  /** Oldest first. */
  readonly #free: ArrayBuffer[] = [];
  #bytes = 0;

  /** `maxBytes`: the most free memory kept; the oldest buffers go past it. */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes held free. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * The smallest free buffer of at least `bytes` and at most twice that and a page (a large
   * buffer for a small chunk would hold memory the chunk budget does not count), or
   * undefined: the worker then allocates. `bytes` 0 (size unknown): undefined.
   */
  take(bytes: number): ArrayBuffer | undefined {
    if (bytes <= 0) return undefined;
    let best = -1;
    for (let i = 0; i < this.#free.length; i++) {
      const size = this.#free[i]!.byteLength;
      if (size >= bytes && size <= 2 * bytes + 4096 && (best < 0 || size < this.#free[best]!.byteLength)) best = i;
    }
    if (best < 0) return undefined;
    const [buffer] = this.#free.splice(best, 1);
    this.#bytes -= buffer!.byteLength;
    return buffer;
  }

  /** Keeps the memory of a chunk the sink has let go of, if the chunk owns it from its start. */
  give(chunk: Uint8Array): void {
    const buffer = chunk.buffer;
    // A view into memory shared with other values (Node's small-Buffer pool) is not ours to reuse.
    if (!(buffer instanceof ArrayBuffer) || chunk.byteOffset !== 0 || buffer.byteLength === 0 || buffer.byteLength > this.#maxBytes) return;
    this.#free.push(buffer);
    this.#bytes += buffer.byteLength;
    while (this.#bytes > this.#maxBytes) this.#bytes -= this.#free.shift()!.byteLength;
  }
}
