/**
 * The worker pool that turns `ChunkTask`s into encoded bytes: piscina with N
 * worker threads, each holding the plan (sent once, as workerData), or, with
 * 0 workers, the same code in the main thread (for debugging).
 *
 * Workers take ~0.15 s to start (loading their modules, compiling the plan).
 * Until the first has answered, this thread makes the first chunks itself, a
 * slice of rows at a time so its I/O goes on, and the workers take the chunks
 * after those: the target gets rows almost at once instead of waiting. Chunks
 * are taken strictly in the order they were asked for, by whichever is free.
 *
 * @example
 * ```ts
 * const pool = await createChunkPool(plan, { workers: 2 });
 * try { const bytes = await pool.run(task); } finally { await pool.close(); }
 * ```
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { UsageError } from '@understudy/core';
import type { Plan } from '../plan/plan-model.js';
import { ChunkRunner } from '../workers/chunk-runner.js';
import type { ChunkTask, ReadyTask, WorkerSetup } from '../workers/chunk-task.js';
import { reviveWorkerError } from '../workers/worker-errors.js';

export interface ChunkPool {
  /** Worker threads generating (0: in this thread). */
  readonly workers: number;
  readonly planId: string;
  /** Chunks this thread has made (all of them with 0 workers; the first few while the workers start). */
  readonly chunksMadeHere: number;
  /** The task's bytes; `into` (transferred to the worker, unused in this thread) is memory to fill if it is large enough. */
  run(task: Omit<ChunkTask, 'planId'>, into?: ArrayBuffer): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface ChunkPoolOptions {
  /** Worker threads; default `defaultWorkers()`. 0: generate in this thread. */
  readonly workers?: number;
  /** Make the first chunks in this thread while the workers start (default true). */
  readonly warmStart?: boolean;
}

/** A chunk asked for and not yet handed to a worker or to this thread. */
interface Waiting {
  readonly task: ChunkTask;
  readonly into: ArrayBuffer | undefined;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: unknown) => void;
}

/** Chunks handed to piscina at once, per worker: one running, one ready to start when it ends. */
const IN_PISCINA_PER_WORKER = 2;

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
    let made = 0;
    return {
      workers: 0,
      planId,
      get chunksMadeHere() {
        return made;
      },
      run: (task) => {
        made++;
        return runner.run({ ...task, planId });
      },
      close: async () => undefined,
    };
  }
  const { Piscina } = await import('piscina');
  const setup: WorkerSetup = { planId, planJson };
  const pool = new Piscina({
    // A CommonJS entry that import()s the worker: piscina require()s it (see the entry's comment).
    filename: new URL('../workers/generate-chunk-entry.cjs', import.meta.url).href,
    minThreads: workers,
    maxThreads: workers,
    workerData: setup,
    idleTimeout: 60_000,
    // Tasks in the order they were run: the writer takes chunks in that order, and piscina otherwise
    // sends a task it could not place at once to the back of its queue, behind chunks needed later.
    stricterFIFO: true,
  });
  const inWorker = (task: ChunkTask, into: ArrayBuffer | undefined): Promise<Uint8Array> =>
    (pool.run({ ...task, into }, into ? { transferList: [into] } : {}) as Promise<Uint8Array>).catch((error: unknown) => {
      throw reviveWorkerError(error);
    });
  if (options.warmStart === false) {
    return { workers, planId, chunksMadeHere: 0, run: (task, into) => inWorker({ ...task, planId }, into), close: () => pool.destroy() };
  }
  // Chunks wait here, in order, for a worker (once one has started) or for this thread (until then).
  const waiting: Waiting[] = [];
  let started = false;
  let inPiscina = 0;
  let local: ChunkRunner | undefined;
  let localBusy = false;
  let madeHere = 0;
  const pump = (): void => {
    if (started) {
      while (inPiscina < workers * IN_PISCINA_PER_WORKER && waiting.length > 0) {
        const job = waiting.shift()!;
        inPiscina++;
        inWorker(job.task, job.into)
          .then(job.resolve, job.reject)
          .finally(() => {
            inPiscina--;
            pump();
          });
      }
    } else if (!localBusy && waiting.length > 0) {
      const job = waiting.shift()!;
      localBusy = true;
      madeHere++;
      local ??= new ChunkRunner(planId, plan);
      local
        .run(job.task, job.into, { yieldBetweenSlices: true })
        .then(job.resolve, job.reject)
        .finally(() => {
          localBusy = false;
          pump();
        });
    }
  };
  // Answered once a worker has loaded its modules and compiled the plan (a worker that fails to start
  // fails the chunks sent to it, with its error).
  const ready: ReadyTask = { kind: 'ready' };
  const workerStarted = (pool.run(ready) as Promise<unknown>)
    .catch(() => undefined)
    .then(() => {
      started = true;
      pump();
    });
  return {
    workers,
    planId,
    get chunksMadeHere() {
      return madeHere;
    },
    run: (task, into) =>
      new Promise<Uint8Array>((resolve, reject) => {
        waiting.push({ task: { ...task, planId }, into, resolve, reject });
        pump();
      }),
    // A run this thread finished alone waits for the worker to have started: ending a worker
    // while it loads its modules crashes Node 20 (`v8::Module::IsGraphAsync`).
    close: async () => {
      await workerStarted;
      await pool.destroy();
    },
  };
}
