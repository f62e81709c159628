/**
 * `seed`: loads a plan into a sink. For each table in load order (parents
 * first, or, into a sink that sets foreign keys aside, `plan.costOrder`: the
 * database's heaviest tables first): beginTable, the encoded chunks in row
 * order, end; then the deferred FK updates; then commit (advancing
 * sequences). Any error or an abort (Ctrl-C) rolls the sink back, so the
 * target is left as it was, and rethrows.
 *
 * @example
 * ```ts
 * const sink = await openFileSink({ dir: 'out', format: 'csv' });
 * const result = await seed({ plan, sink, workers: 2, onProgress: (p) => console.log(p.table, p.rowsDone) });
 * ```
 */
import { UnderstudyError, type Sink } from '@understudy/core';
import type { Plan } from '../plan/plan-model.js';
import { ChunkBuffers } from '../pool/chunk-buffers.js';
import { createChunkPool, defaultWorkers, type ChunkPool } from '../pool/chunk-pool.js';
import { compilePlan } from '../row/compiled-plan.js';
import { createRowGenerator } from '../row/row-generator.js';
import { planChunks, rampedChunks, shardRange, type RowRange } from '../sink/chunks.js';
import { deferredUpdateTargets, loadTarget } from '../sink/load-targets.js';
import { progressOf, type SeedProgress, type SeedResult, type TableSeedResult } from './seed-progress.js';
import { OrderedChunks, writeInOrder } from './ordered-chunks.js';
import { withKeptValues } from '../plan/target-plan.js';

/** Rows per chunk when none is given. */
export const DEFAULT_CHUNK_ROWS = 10_000;
/** Memory of written chunks kept for the next ones, at most. */
const FREE_CHUNK_BYTES = 8 * 1024 * 1024;
/**
 * How far the workers may run ahead of the target: chunks per worker, and bytes of finished and
 * running chunks. Enough for the workers to make the rest of a schema while the target rebuilds a
 * large table's indexes (pagila's `film`: ~1.4 s), so the target never waits on a slow table after
 * it. At 32 chunks and 16 MiB the workers stopped four tables past `film`, and the 12-table pagila
 * seed (66,667 rows each) waited 0.1–0.25 s on `staff` and `rental`: 4.14 s against 3.99 s (mean of
 * 6 interleaved seeds), for ~48 MB more at the peak.
 */
const AHEAD_CHUNKS_PER_WORKER = 128;
const AHEAD_BYTES = 64 * 1024 * 1024;

/**
 * Plans of at most this many rows (in this run, so per shard) are made in the main thread when
 * no worker count is given: booting workers (~0.25 s) costs more than they save. Measured on
 * pagila into PostgreSQL: 15,000 rows 0.48 s in this thread against 0.57 s with a worker;
 * 100,000 rows 1.2 s against 1.3 s.
 */
export const SMALL_PLAN_ROWS = 100_000;

/** The worker count when none is given: this thread for a small plan, else `defaultWorkers()`. */
export function workersFor(plan: Plan, shard?: SeedOptions['shard']): number {
  const rows = plan.loadOrder.reduce((n, key) => {
    const range = rangeOf(plan.tables[key]!.rows, shard);
    return n + range.end - range.start;
  }, 0);
  return rows <= SMALL_PLAN_ROWS ? 0 : defaultWorkers();
}

export interface SeedOptions {
  readonly plan: Plan;
  readonly sink: Sink;
  /** Worker threads (default `workersFor(plan)`: this thread for a small plan, else one less than the cores; 0: in this thread). */
  readonly workers?: number;
  /** Only this slice of every table (0-based index). */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SeedProgress) => void;
  /** Rows per chunk (default 10,000). */
  readonly chunkRows?: number;
}

/** A seed stopped by its AbortSignal (Ctrl-C): the target was rolled back. `during` says what it was doing. */
export class SeedAbortedError extends UnderstudyError {
  readonly during: string;
  constructor(during: string) {
    super(`seed interrupted while ${during}: everything written was rolled back, the target is as it was`, { exitCode: 3 });
    this.during = during;
  }
}

/**
 * A seed that failed or was interrupted, and whose sink could not undo all it wrote: the message
 * says why the seed stopped and what the sink left (the sink's own words, with what to run).
 */
export class SeedNotRolledBackError extends UnderstudyError {
  constructor(stopped: unknown, interrupted: boolean, rollback: unknown) {
    const why = interrupted ? 'seed interrupted' : `seed failed (${stopped instanceof Error ? stopped.message : String(stopped)})`;
    const left = rollback instanceof Error ? rollback.message : String(rollback);
    super(`${why}, and rolling it back did not leave the target as it was: ${left}`, {
      exitCode: 3,
      cause: stopped,
      ...(rollback instanceof UnderstudyError && rollback.hint !== undefined ? { hint: rollback.hint } : {}),
    });
  }
}

/** What a seed is doing, for the message of an interrupted one. */
interface SeedStep {
  during: string;
}

function rangeOf(rows: number, shard: SeedOptions['shard']): RowRange {
  return shard ? shardRange(rows, shard.index, shard.count) : { start: 0, end: rows };
}

/** One chunk of rows to make: a row range of a table, for that table's target and encoding. */
interface RowChunk {
  readonly table: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Loads every table's rows in load order through one stream of chunks: the workers make the
 * next chunks (across table boundaries) while the sink finishes a table or starts the next.
 */
async function loadAllRows(pool: ChunkPool, options: SeedOptions, step: SeedStep): Promise<TableSeedResult[]> {
  const { plan, sink } = options;
  // A sink that sets foreign keys aside takes the tables the database works hardest on first.
  const order = sink.anyTableOrder === true && plan.costOrder ? plan.costOrder : plan.loadOrder;
  const tables = order.map((key) => {
    const table = plan.tables[key]!;
    const range = rangeOf(table.rows, options.shard);
    const target = loadTarget(table, range.end - range.start);
    return { key, target, encoding: sink.encodingFor?.(target) ?? sink.encoding, chunks: rampedChunks(range.end, options.chunkRows ?? DEFAULT_CHUNK_ROWS, range.start) };
  });
  const jobs: Array<RowChunk & { readonly at: number }> = tables.flatMap((t, at) => t.chunks.map((c) => ({ table: t.key, start: c.start, end: c.end, at })));
  // Written chunks' memory goes back to the workers when the sink has let go of it (see ChunkBuffers).
  const buffers = pool.workers > 0 && sink.releasesWrittenChunks ? new ChunkBuffers(FREE_CHUNK_BYTES) : undefined;
  const stream = new OrderedChunks(
    jobs.length,
    (i, expectedBytes) => {
      const job = jobs[i]!;
      const { encoding, target } = tables[job.at]!;
      return pool.run({ table: job.table, kind: 'rows', start: job.start, end: job.end, encoding, columns: target.columns }, buffers?.take(expectedBytes));
    },
    // Far enough ahead to keep the workers busy while the target rebuilds a table's indexes; the byte budget bounds memory.
    {
      maxAhead: Math.max(2, pool.workers * AHEAD_CHUNKS_PER_WORKER),
      maxBufferedBytes: AHEAD_BYTES,
      initialAhead: Math.max(2, pool.workers * 2),
      sizeOf: (i) => ({ group: jobs[i]!.table, rows: jobs[i]!.end - jobs[i]!.start }),
    },
  );
  const results: TableSeedResult[] = [];
  try {
    // The workers start on the first chunks while the sink sets every table up.
    stream.start();
    step.during = 'preparing the tables';
    await sink.prepare?.(tables.map((t) => t.target));
    for (const { key, target, chunks } of tables) {
      step.during = `loading ${key}`;
      const startedAt = performance.now();
      const writer = await sink.beginTable(target);
      let done = 0;
      for (const chunk of chunks) {
        options.signal?.throwIfAborted();
        const bytes = await stream.next();
        options.signal?.throwIfAborted();
        await writer.write(bytes);
        buffers?.give(bytes);
        done += chunk.end - chunk.start;
        options.onProgress?.(progressOf(key, 'rows', done, target.rows, startedAt, false));
      }
      await writer.end();
      const progress = progressOf(key, 'rows', target.rows, target.rows, startedAt, true);
      options.onProgress?.(progress);
      results.push({ table: key, rows: target.rows, seconds: progress.elapsedSeconds, rowsPerSecond: progress.rowsPerSecond });
    }
  } finally {
    await stream.settle();
  }
  return results;
}

async function applyUpdates(pool: ChunkPool, options: SeedOptions, tableKey: string): Promise<number> {
  const table = options.plan.tables[tableKey]!;
  const range = rangeOf(table.rows, options.shard);
  const chunks = planChunks(range.end, options.chunkRows ?? DEFAULT_CHUNK_ROWS, range.start);
  let applied = 0;
  for (const target of deferredUpdateTargets(table, range.end - range.start)) {
    const startedAt = performance.now();
    const writer = await options.sink.beginUpdates(target);
    const columns = [...target.keyColumns, ...target.setColumns];
    let done = 0;
    await writeInOrder(
      chunks.length,
      Math.max(2, pool.workers * 2),
      (i) => pool.run({ table: tableKey, kind: 'updates', foreignKey: target.foreignKey, start: chunks[i]!.start, end: chunks[i]!.end, encoding: options.sink.updateEncoding, columns }),
      async (bytes, i) => {
        await writer.write(bytes);
        done += chunks[i]!.end - chunks[i]!.start;
        options.onProgress?.(progressOf(tableKey, 'updates', done, target.rows, startedAt, false));
      },
      options.signal,
    );
    await writer.end();
    applied += target.rows;
  }
  return applied;
}

/** See the module comment. @throws whatever failed, after rolling the sink back. */
export async function seed(given: SeedOptions): Promise<SeedResult> {
  const { sink, signal } = given;
  const startedAt = performance.now();
  let pool: ChunkPool | undefined;
  const step: SeedStep = { during: 'starting the workers' };
  try {
    signal?.throwIfAborted();
    // A saved plan's kept tables: their rows' values are read from the target now.
    const plan = await withKeptValues(given.plan, sink);
    const options = plan === given.plan ? given : { ...given, plan };
    // The workers start first (they take ~0.3 s to boot), then every table is compiled here while they do:
    // a config mistake (a faker method that does not exist) fails before anything is written.
    pool = await createChunkPool(plan, { workers: options.workers ?? workersFor(plan, options.shard) });
    const compiled = compilePlan(plan);
    for (const key of plan.loadOrder) createRowGenerator(compiled, key);
    const tables = await loadAllRows(pool, options, step);
    let updates = 0;
    for (const key of plan.loadOrder) {
      step.during = `updating ${key}`;
      updates += await applyUpdates(pool, options, key);
    }
    signal?.throwIfAborted();
    step.during = 'committing';
    await sink.commit({ advanceSequences: true });
    return {
      target: sink.description,
      tables,
      rows: tables.reduce((n, t) => n + t.rows, 0),
      updates,
      seconds: (performance.now() - startedAt) / 1000,
      workers: pool.workers,
      ...(options.shard ? { shard: options.shard } : {}),
      ...(Object.keys(plan.kept).length > 0 ? { kept: Object.entries(plan.kept).map(([table, k]) => ({ table, reason: k.reason })) } : {}),
      ...(sink.notes && sink.notes.length > 0 ? { notes: [...sink.notes] } : {}),
    };
  } catch (error) {
    // A sink that cannot undo everything says so (a rolled-back sink resolves, also when called again).
    const undone = await sink.rollback().then(
      () => undefined,
      (rollbackError: unknown) => rollbackError,
    );
    if (undone !== undefined) throw new SeedNotRolledBackError(error, signal?.aborted === true, undone);
    // The statement the sink was running when the signal came fails (cancelled): the interruption is the news.
    if (signal?.aborted) throw new SeedAbortedError(step.during);
    throw error;
  } finally {
    await pool?.close();
  }
}
