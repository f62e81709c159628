/**
 * The worker pool that turns `ChunkTask`s into encoded bytes: piscina with N
 * worker threads, each holding the plan (sent once, as workerData), or, with
 * 0 workers, the same code in the main thread (for debugging).
 *
 * @example
 * ```ts
 * const pool = createChunkPool(plan, { workers: 2 });
 * try { const bytes = await pool.run(task); } finally { await pool.close(); }
 * ```
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { UsageError } from '@understudy/core';
import type { Plan } from '../plan/plan-model.js';
import { ChunkRunner } from '../workers/chunk-runner.js';
import type { ChunkTask, WorkerSetup } from '../workers/chunk-task.js';
import { reviveWorkerError } from '../workers/worker-errors.js';

export interface ChunkPool {
  /** Worker threads generating (0: in this thread). */
  readonly workers: number;
  readonly planId: string;
  /** The task's bytes; `into` (transferred to the worker, unused in this thread) is memory to fill if it is large enough. */
  run(task: Omit<ChunkTask, 'planId'>, into?: ArrayBuffer): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ChunkPoolOptions {
  /** Worker threads; default `defaultWorkers()`. 0: generate in this thread. */
  readonly workers?: number;
}

/**
 * The number of workers to use when none is given: one less than the cores, at least one.
 * This thread drives the target (the COPY stream; an embedded PGlite runs here) and needs
 * CPU of its own; one worker already makes rows about three times as fast as PostgreSQL's
 * COPY takes them on this project's 2-core machine.
 */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** A short id of a plan: the hash of its JSON. */
export function planIdOf(planJson: string): string {
  return createHash('sha256').update(planJson).digest('hex').slice(0, 16);
}

/** See the module comment. */
export async function createChunkPool(plan: Plan, options: ChunkPoolOptions = {}): Promise<ChunkPool> {
  const workers = options.workers ?? defaultWorkers();
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers must be a non-negative integer, got ${workers}`);
  const planJson = JSON.stringify(plan);
  const planId = planIdOf(planJson);
  if (workers === 0) {
    const runner = new ChunkRunner(planId, plan);
    return { workers: 0, planId, run: (task) => runner.run({ ...task, planId }), close: async () => undefined };
  }
  const { Piscina } = await import('piscina');
  const setup: WorkerSetup = { planId, planJson };
  const pool = new Piscina({
    filename: new URL('../workers/generate-chunk-worker.js', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    workerData: setup,
    idleTimeout: 60_000,
    // Tasks in the order they were run: the writer takes chunks in that order, and piscina otherwise
    // sends a task it could not place at once to the back of its queue, behind chunks needed later.
    stricterFIFO: true,
  });
  return {
    workers,
    planId,
    run: (task, into) =>
      (pool.run({ ...task, planId, into }, into ? { transferList: [into] } : {}) as Promise<Uint8Array>).catch((error: unknown) => {
        throw reviveWorkerError(error);
      }),
    close: () => pool.destroy(),
  };
}
