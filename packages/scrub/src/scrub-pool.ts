/**
 * The scrub's worker pool: piscina with N threads, each compiling the same scrub plan
 * (schema, policy and key sent once), rewriting chunks of a table's raw rows. Chunks are
 * handed out in order and their results taken in the same order, so the output is
 * byte-identical with 0, 1 or N workers; a bounded number are in flight at once, so
 * memory stays flat whatever the table's size.
 *
 * @example
 * ```ts
 * const pool = await createScrubPool(setup, { workers: 1 });
 * const out = await pool.rewrite('public.users', chunk);
 * await pool.close();
 * ```
 */
import { reviveWorkerError } from '@understudy/generate';
import type { ScrubChunkTask, ScrubReadyTask, ScrubWorkerSetup } from './workers/scrub-chunk-task.js';

export type { ScrubWorkerSetup } from './workers/scrub-chunk-task.js';

export interface ScrubPool {
  readonly workers: number;
  /** The chunk's rows rewritten (a copy of the chunk goes to a worker; the chunk itself is left alone). */
  rewrite(table: string, chunk: Uint8Array, binary?: ScrubChunkTask['binary']): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Starts `workers` threads (≥ 1) and waits until one has compiled the plan. */
export async function createScrubPool(setup: ScrubWorkerSetup, options: { readonly workers: number }): Promise<ScrubPool> {
  const { Piscina } = await import('piscina');
  const pool = new Piscina({
    // A CommonJS entry that import()s the worker: piscina require()s it (see the entry's comment).
    filename: new URL('./workers/scrub-chunk-entry.cjs', import.meta.url).href,
    minThreads: options.workers,
    maxThreads: options.workers,
    workerData: setup,
    idleTimeout: 60_000,
    stricterFIFO: true,
  });
  const ready: ScrubReadyTask = { kind: 'ready' };
  try {
    await pool.run(ready);
  } catch (error) {
    await pool.destroy();
    throw reviveWorkerError(error);
  }
  return {
    workers: options.workers,
    async rewrite(table, chunk, binary) {
      // Copied, then the copy transferred: the chunk's memory may still be the driver's (a view of its read buffer).
      const own = new Uint8Array(chunk);
      const task: ScrubChunkTask = { kind: 'chunk', table, chunk: own, ...(binary ? { binary } : {}) };
      try {
        return (await pool.run(task, { transferList: [own.buffer as ArrayBuffer] })) as Uint8Array;
      } catch (error) {
        throw reviveWorkerError(error);
      }
    },
    close: () => pool.destroy(),
  };
}
