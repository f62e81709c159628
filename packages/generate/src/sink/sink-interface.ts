/**
 * What a sink (PostgreSQL COPY, MySQL LOAD DATA, SQL/CSV/JSONL files) plugs
 * into. Generation knows nothing of databases: workers turn row ranges into
 * encoded chunks with a `ChunkEncoder` the dialect provides, and the main thread
 * hands the chunks to a `RowSink` in load order.
 *
 * Load protocol for one plan (`loadPlan` will drive it):
 * 1. `begin(plan)`: one transaction, or staging tables (nothing is lost);
 *    `plan.deferredConstraints` non-empty → constraints deferred for the load;
 * 2. for each table of `plan.loadOrder`: `beginTable(spec)` (COPY … (columns)
 *    [OVERRIDING SYSTEM VALUE]), `writeChunk` per chunk in row order, `endTable`;
 * 3. `applyDeferredUpdates` for tables with `deferredUpdates`;
 * 4. `resetSequences` with each table's `sequences` (setval / AUTO_INCREMENT);
 * 5. `commit()`, or `abort()` on any error.
 *
 * @example
 * ```ts
 * const encoder: ChunkEncoder = { encode: (spec, rows) => Buffer.from(rows.map((r) => r.join('\t')).join('\n')) };
 * ```
 */
import type { Plan, PlanColumn, PlanTable } from '../plan/plan-model.js';
import type { DeferredUpdateRow } from '../row/row-generator.js';
import type { GeneratedValue } from '../values.js';

/** What a sink needs to start loading a table. */
export interface TableLoadSpec {
  readonly table: string;
  /** The loaded columns, in row order (with kinds and raw types for encoding). */
  readonly columns: readonly PlanColumn[];
  readonly rows: number;
  /** PostgreSQL: identity ALWAYS columns are written, with OVERRIDING SYSTEM VALUE. */
  readonly overridingSystemValue: boolean;
}

/** Encodes generated rows into the bytes a sink streams (COPY text/binary, LOAD DATA, CSV…). Runs in workers. */
export interface ChunkEncoder {
  encode(spec: TableLoadSpec, rows: readonly (readonly GeneratedValue[])[]): Uint8Array;
}

/** An encoded range of rows of one table. */
export interface EncodedChunk {
  readonly table: string;
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
}

export interface RowSink {
  begin(plan: Plan): Promise<void>;
  beginTable(spec: TableLoadSpec): Promise<void>;
  /** Chunks of one table arrive in row order. */
  writeChunk(chunk: EncodedChunk): Promise<void>;
  endTable(table: string): Promise<void>;
  applyDeferredUpdates(table: PlanTable, updates: readonly DeferredUpdateRow[]): Promise<void>;
  resetSequences(table: PlanTable): Promise<void>;
  commit(): Promise<void>;
  abort(error: unknown): Promise<void>;
}

/**
 * The load spec of a planned table.
 *
 * @example
 * ```ts
 * await sink.beginTable(tableLoadSpec(plan.tables['public.film']!));
 * ```
 */
export function tableLoadSpec(table: PlanTable): TableLoadSpec {
  return {
    table: table.table,
    columns: table.columns.filter((c) => c.load),
    rows: table.rows,
    overridingSystemValue: table.overridingSystemValue,
  };
}
