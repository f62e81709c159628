/**
 * What the main thread asks a worker for: one range of one table's rows (or
 * of its deferred updates), encoded with the sink's encoder. Plain data, cloned
 * into the worker; the plan itself is sent once per worker (workerData).
 */
import type { EncoderColumn, RowEncoding } from '@understudy/core';

export interface ChunkTask {
  /** Which plan the worker must hold (a hash of its JSON), so a stale worker is caught. */
  readonly planId: string;
  readonly table: string;
  /** `rows`: the table's rows; `updates`: the deferred-update rows of one foreign key (key columns then set columns). */
  readonly kind: 'rows' | 'updates';
  /** For `updates`: which deferred foreign key. */
  readonly foreignKey?: string;
  readonly start: number;
  readonly end: number;
  readonly encoding: RowEncoding;
  readonly columns: readonly EncoderColumn[];
}

/** Asked of a worker once, first: it answers when it has started (its modules loaded, the plan compiled). */
export interface ReadyTask {
  readonly kind: 'ready';
}

/** What a worker is started with. */
export interface WorkerSetup {
  readonly planId: string;
  readonly planJson: string;
}
