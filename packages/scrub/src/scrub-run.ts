/**
 * The scrub pipeline: every table of the plan streamed out of the source's
 * snapshot, transformed row by row, encoded in the sink's wire format and written
 * through the sink, all or nothing. Memory holds one batch per table at a time.
 *
 * @example
 * ```ts
 * const result = await runScrub({ plan, schema: targetSchema, reader, sink });
 * result.tables[0]; // { table: 'public.users', rows: 1000, transformed: true }
 * ```
 */
import { buildFkGraph, UsageError, type EncoderColumn, type LoadTarget, type Schema, type Sink, type SnapshotReader, type Table, type TextRow } from '@understudy/core';
import { planCostOrder, planLoadOrder } from '@understudy/generate';
import { derivedByTrigger, type ScrubPlan, type ScrubTablePlan } from './scrub-plan.js';
import type { Subset } from './subset.js';
import { createLineRewriter, type FieldCodec } from './scrub-lines.js';
import { createScrubPool, type ScrubPool, type ScrubWorkerSetup } from './scrub-pool.js';
import { binaryRewriteSpec, createBinaryRewriter, type BinaryEncoderModule, type BinaryRewriteSpec } from './scrub-binary-rows.js';
import { createLookAhead, type LookAhead } from './look-ahead.js';

export interface ScrubProgress {
  readonly table: string;
  readonly rows: number;
  /** The table's rows as counted or, on PostgreSQL, estimated by its statistics. */
  readonly tableRows: number;
  readonly doneRows: number;
  /** The sum of `tableRows`: an estimate where they are. */
  readonly totalRows: number;
}

export interface ScrubTableResult {
  readonly table: string;
  readonly rows: number;
  /** Columns whose values changed. */
  readonly transformedColumns: number;
  /** `binary`: the rows went as binary COPY tuples (only the transformed columns printed and parsed); `text`: as rows of text. */
  readonly copy: 'binary' | 'text';
}

export interface ScrubResult {
  readonly tables: readonly ScrubTableResult[];
  readonly rows: number;
  readonly seconds: number;
  /** Worker threads that rewrote rows (`RunScrubOptions.workers`); 0 when this thread did it all. */
  readonly workers: number;
}

export interface RunScrubOptions {
  readonly plan: ScrubPlan;
  /** The source schema (its FK graph orders the tables). */
  readonly schema: Schema;
  /** The target's own schema: every scrubbed table and column must be there. */
  readonly targetSchema: Schema;
  readonly reader: SnapshotReader;
  readonly sink: Sink;
  readonly signal?: AbortSignal;
  readonly batchRows?: number;
  readonly onProgress?: (progress: ScrubProgress) => void;
  /** Use the reader's own row format when the sink takes it (default true); false parses and encodes every row. */
  readonly linePath?: boolean;
  /**
   * Worker threads that rewrite chunks of the reader's raw rows (the line path); with none (or 0),
   * this thread does. The output is byte-identical either way.
   */
  readonly workers?: { readonly count: number; readonly setup: ScrubWorkerSetup };
  /**
   * Binary COPY both ways where the reader and the sink have it (PostgreSQL → PostgreSQL) and no
   * subset is asked for (default true); false keeps every table on the text path.
   * The target's rows are the same either way.
   */
  readonly binary?: boolean;
  /** Copy only these rows (`computeSubset`); every row is then parsed, and transformed in this thread. */
  readonly subset?: Subset;
}

/** Tuples in a chunk of whole binary COPY tuples. */
function countTuples(chunk: Uint8Array): number {
  let n = 0;
  for (let pos = 0; pos < chunk.length; n++) {
    const fields = (chunk[pos]! << 8) | chunk[pos + 1]!;
    pos += 2;
    for (let f = 0; f < fields; f++) {
      const len = ((chunk[pos]! << 24) | (chunk[pos + 1]! << 16) | (chunk[pos + 2]! << 8) | chunk[pos + 3]!) >> 0;
      pos += 4 + (len > 0 ? len : 0);
    }
  }
  return n;
}

interface BinaryTable {
  readonly spec: BinaryRewriteSpec;
  readonly encoder: BinaryEncoderModule;
  /** The encoder's module specifier (what a worker loads). */
  readonly module: string;
}

/**
 * The tables that take the binary path (PostgreSQL → PostgreSQL, no subset): those
 * whose every column the target's binary encoding covers and that `binaryRewriteSpec` accepts.
 */
async function binaryTables(targets: readonly LoadTarget[], options: RunScrubOptions, byTable: ReadonlyMap<string, ScrubTablePlan>): Promise<Map<string, BinaryTable>> {
  const out = new Map<string, BinaryTable>();
  const { reader, sink } = options;
  if (!reader.binaryLines || !reader.binaryFormat || options.subset || options.linePath === false || options.binary === false) return out;
  for (const target of targets) {
    const { textValues: _text, ...binaryTarget } = target;
    const encoding = sink.encodingFor?.(binaryTarget);
    if (!encoding || encoding.module !== reader.binaryFormat.encodingModule) continue;
    const encoder = (await import(encoding.module)) as BinaryEncoderModule;
    const t = byTable.get(target.table)!;
    const targetTable = options.targetSchema.tables[target.table];
    const types = new Map((targetTable?.columns ?? []).map((c) => [c.name, c.rawType]));
    const spec = binaryRewriteSpec(t, types, (encoding.options as { codecs: readonly unknown[] }).codecs, encoder);
    if (spec) out.set(target.table, { spec, encoder, module: encoding.module });
  }
  return out;
}

/** Rows in a chunk of whole rows: its `\n` bytes. */
function countRows(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

type Encoder = (rows: readonly (readonly unknown[])[]) => Uint8Array;

/** `promise`, or a rejection as soon as `signal` aborts (a sink's write may wait on a statement the abort cancelled). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * Checks that the target has every table and column the scrub writes.
 * @throws UsageError naming what the target lacks and how to create it.
 */
export function checkTargetSchema(plan: ScrubPlan, target: Schema): void {
  const lacking: string[] = [];
  for (const t of plan.tables) {
    const table = target.tables[t.table];
    if (!table) {
      lacking.push(`table ${t.table}`);
      continue;
    }
    for (const c of t.columns) if (!table.columns.some((x) => x.name === c.name)) lacking.push(`column ${t.table}.${c.name}`);
    // a column the source's trigger derives is sent empty where its text changed: the target's own trigger must make it
    const targetDerived = derivedByTrigger(table);
    for (const { column, trigger } of t.derived) if (targetDerived.get(column)?.name !== trigger && remade(t, column)) lacking.push(`trigger ${trigger} on ${t.table} (it sets ${column})`);
  }
  if (lacking.length > 0) {
    throw new UsageError(`the target lacks ${lacking.length === 1 ? '' : `${lacking.length} objects: `}${lacking.slice(0, 10).join(', ')}${lacking.length > 10 ? ', …' : ''}`, {
      hint: "Create the source's schema on the target first, e.g. `pg_dump --schema-only SRC | psql TARGET` or `mariadb-dump --no-data SRC | mariadb TARGET` (or run your migrations there).",
    });
  }
}

function remade(t: ScrubTablePlan, column: string): boolean {
  return t.derived.some((d) => d.column === column && d.remade);
}

/**
 * What the sink loads for a table. Its row triggers are off while the rows go in (a restore runs none).
 * A search vector's `tsvector_update_trigger` too, when the target's also fires on UPDATE: the rows
 * whose text the scrub changed come with an empty vector, which it then remakes from the scrubbed
 * text (`remakeByTrigger`); every other row keeps the vector its unchanged text had. A trigger that
 * fires on INSERT only stays on, remaking every vector.
 */
function loadTargetOf(t: ScrubTablePlan, rows: number, targetTable: Table | undefined): LoadTarget {
  const columns: EncoderColumn[] = t.columns.map((c) => ({ name: c.name, kind: c.kind, arrayDimensions: c.arrayDimensions, rawType: c.rawType }));
  const identityAlways = t.columns.some((c) => c.default?.kind === 'identity' && c.default.generation === 'always');
  const targetTriggers = derivedByTrigger(targetTable ?? {});
  // (the function remakes a vector on UPDATE only when the statement sets a column it reads)
  const remake = t.derived.filter((d) => d.remade && d.reads?.length && targetTriggers.get(d.column)?.events.includes('update') === true);
  const keepOn = new Set(t.derived.filter((d) => d.remade && !remake.includes(d)).map((d) => d.trigger));
  const triggers = (t.source.triggers ?? []).map((tr) => tr.name).filter((name) => !keepOn.has(name));
  return {
    table: t.table,
    columns,
    rows,
    textValues: true,
    ...(identityAlways ? { overrideIdentity: true } : {}),
    ...(triggers.length > 0 ? { disableTriggers: triggers } : {}),
    ...(remake.length > 0 ? { remakeByTrigger: remake.map(({ trigger, column, reads }) => ({ trigger, column, from: reads![0]! })) } : {}),
  };
}

/**
 * Bytes of rows read (and rewritten) ahead of what the target has taken, held in memory across
 * tables: a bound, so memory stays flat whatever the row count. Small enough that a million
 * pagila rows already fill it (at 64 MiB they did not, and the peak RSS grew from 1M to 3M rows
 * by what the bigger tables added to the queue); V8 frees the chunks' buffers only in a full GC,
 * about 64 MiB of released buffers later, so what the queue holds counts about twice in the peak.
 */
const LOOK_AHEAD_BYTES = 32 * 1024 * 1024;

/**
 * Bytes the look-ahead may spill to its file past the memory bound (`look-ahead.ts`): while the
 * target builds a large table's keys and indexes, the reader and the transforms go on into the
 * next tables instead of waiting with a core idle. Bounded, so a slow target cannot fill the disk.
 */
const SPILL_BYTES = 1024 * 1024 * 1024;

/**
 * Bytes of raw rows per chunk on the line path. A chunk is decoded to one string and rewritten
 * into another: at about 64 KiB those strings mostly stay below V8's large-object size (128 KiB)
 * and die young in the scavenger; at 256 KiB every one went to the large-object space, the heap
 * grew with the row count (122 MB at 1M pagila rows, 147 MB at 3M) and so did the peak RSS. The
 * output does not depend on it (rows are never cut).
 */
const LINE_CHUNK_BYTES = 64 * 1024;

/**
 * Reads every table of `targets` in order and puts its chunks, as the sink takes them, and
 * then its end, into `ahead`; any failure is handed to `ahead` too.
 */
async function produceChunks(
  targets: readonly LoadTarget[],
  ahead: LookAhead,
  options: RunScrubOptions & {
    readonly byTable: ReadonlyMap<string, ScrubTablePlan>;
    readonly workerPool: ScrubPool | undefined;
    readonly usage: { pooledChunks: number };
    readonly binaryOf: ReadonlyMap<string, BinaryTable>;
  },
): Promise<void> {
  const { reader, sink, signal, subset } = options;
  try {
    for (const target of targets) {
      const t = options.byTable.get(target.table)!;
      const encoding = sink.encodingFor?.(target) ?? sink.encoding;
      const names = t.columns.map((c) => c.name);
      const rawFormat = reader.rawFormat;
      const binary = options.binaryOf.get(target.table);
      if (binary && reader.binaryLines) {
        // Binary tuples both ways: only the columns a transform touches are printed, parsed and encoded again.
        const pool = t.transformed ? options.workerPool : undefined;
        const rewrite = t.transformed && !pool ? createBinaryRewriter(t, binary.encoder, binary.spec) : undefined;
        const task = { module: binary.module, spec: binary.spec };
        for await (const chunk of reader.binaryLines(t.source, names, { asText: binary.spec.printed, chunkBytes: LINE_CHUNK_BYTES })) {
          signal?.throwIfAborted();
          if (pool) options.usage.pooledChunks++;
          const out = pool ? pool.rewrite(t.table, chunk, task) : Promise.resolve(rewrite ? rewrite(chunk) : chunk);
          out.catch(() => undefined); // awaited in order by the writing task
          if (!(await ahead.put({ out, rows: countTuples(chunk), bytes: (pool ? 3 : rewrite ? 2 : 1) * chunk.byteLength }))) return;
        }
      } else if (reader.lines && rawFormat && encoding.module === rawFormat.encodingModule && options.linePath !== false && !subset) {
        // The sink takes the reader's own format: rows are rewritten field by field, never parsed whole.
        const pool = t.transformed ? options.workerPool : undefined;
        const rewrite = t.transformed && !pool ? createLineRewriter(t, (await import(rawFormat.fieldCodec)) as FieldCodec) : undefined;
        const decoder = new TextDecoder('utf-8', { fatal: true });
        for await (const chunk of reader.lines(t.source, names, { chunkBytes: LINE_CHUNK_BYTES })) {
          signal?.throwIfAborted();
          const rows = countRows(chunk);
          if (pool) options.usage.pooledChunks++;
          // Chunks go out to the workers in order and are written in the same order.
          const out = pool ? pool.rewrite(t.table, chunk) : Promise.resolve(rewrite ? Buffer.from(rewrite(decoder.decode(chunk))) : chunk);
          out.catch(() => undefined); // awaited in order by the writing task; an earlier failure must not leave it unhandled
          // Rewritten, a chunk is held twice (the chunk until collected, the result); at a worker three times (and the copy sent): counted so.
          if (!(await ahead.put({ out, rows, bytes: (pool ? 3 : rewrite ? 2 : 1) * chunk.byteLength }))) return;
        }
      } else {
        const module = (await import(encoding.module)) as { createEncoder(columns: EncoderColumn[], options: unknown): Encoder };
        const encode = module.createEncoder([...target.columns], encoding.options ?? {});
        for await (const batch of reader.rows(t.source, names, { batchRows: options.batchRows ?? 5000 })) {
          signal?.throwIfAborted();
          const rowsIn = subset ? batch.filter((row) => subset.keep(t.table, row)) : batch;
          if (rowsIn.length === 0) continue;
          const out: TextRow[] = t.transformed ? rowsIn.map((row) => t.transformRow(row)) : rowsIn;
          const encoded = encode(out);
          if (!(await ahead.put({ out: Promise.resolve(encoded), rows: rowsIn.length, bytes: encoded.byteLength }))) return;
        }
      }
      if (!(await ahead.put('end'))) return;
    }
  } catch (error) {
    ahead.fail(error);
  }
}

/**
 * Streams, transforms and loads every table; commits once at the end.
 * @throws whatever the reader, a transform or the sink throws, after rolling the sink back.
 */
export async function runScrub(options: RunScrubOptions): Promise<ScrubResult> {
  const { plan, reader, sink, signal } = options;
  const started = performance.now();
  checkTargetSchema(plan, options.targetSchema);
  const byTable = new Map(plan.tables.map((t) => [t.table, t]));
  const graph = buildFkGraph(options.schema);
  const order = graph.loadOrder.filter((k) => byTable.has(k));
  for (const t of plan.tables) if (!order.includes(t.table)) order.push(t.table);
  const results: ScrubTableResult[] = [];
  let workerPool: ScrubPool | undefined;
  const usage = { pooledChunks: 0 };
  try {
    const counts = new Map<string, number>();
    // Only the load order and the progress total read them: the statistics' estimate where there is one.
    const counting = (async () => {
      const estimates = options.subset || !reader.estimate ? [] : await reader.estimate(order.map((key) => byTable.get(key)!.source));
      for (const [i, key] of order.entries()) counts.set(key, options.subset ? options.subset.kept(key) : (estimates[i] ?? (await reader.count(byTable.get(key)!.source))));
    })();
    // The source counts while the target sets its keys and indexes aside (neither needs the other).
    await Promise.all([counting, sink.prepare?.(order.map((key) => loadTargetOf(byTable.get(key)!, 0, options.targetSchema.tables[key])))]);
    // Loaded heaviest first (the target's work, as a seed orders it): while the target builds a big
    // table's indexes, the reader goes on into the rest instead of the target waiting on the reader at the start.
    const loadOrder = planLoadOrder(options.schema, graph, order, counts);
    for (const key of order) if (!loadOrder.includes(key)) loadOrder.push(key);
    const textTargets = (sink.anyTableOrder === true ? planCostOrder(options.schema, loadOrder, counts) : loadOrder).map((key) =>
      loadTargetOf(byTable.get(key)!, counts.get(key)!, options.targetSchema.tables[key]),
    );
    const binary = await binaryTables(textTargets, options, byTable);
    // a binary table's target takes the encoded tuples (the sink frames them as binary COPY)
    const targets = textTargets.map((target) => (binary.has(target.table) ? (({ textValues: _text, ...rest }) => rest)(target) : target));
    const totalRows = [...counts.values()].reduce((a, b) => a + b, 0);
    if (options.workers && options.workers.count > 0 && !options.subset && plan.tables.some((t) => t.transformed) && reader.lines && reader.rawFormat) {
      workerPool = await createScrubPool(options.workers.setup, { workers: options.workers.count });
    }
    const lookAhead = createLookAhead({ memoryBytes: LOOK_AHEAD_BYTES, spillBytes: SPILL_BYTES });
    // Read and transformed ahead of the target (the reader's session is this task's alone): while the
    // target puts a table's keys and indexes back, the next tables are already read and rewritten.
    const producing = produceChunks(targets, lookAhead, { ...options, byTable, workerPool, usage, binaryOf: binary });
    producing.catch(() => undefined); // its failure reaches the loop below through the look-ahead
    let doneRows = 0;
    try {
      for (const target of targets) {
        signal?.throwIfAborted();
        const t = byTable.get(target.table)!;
        const writer = await sink.beginTable(target);
        let rows = 0;
        for (let item = await lookAhead.take(); item !== 'end'; item = await lookAhead.take()) {
          await unlessAborted(writer.write(await unlessAborted(item.out, signal)), signal);
          lookAhead.release(item.bytes);
          rows += item.rows;
          doneRows += item.rows;
          options.onProgress?.({ table: t.table, rows, tableRows: target.rows, doneRows, totalRows });
        }
        await unlessAborted(writer.end(), signal);
        results.push({ table: t.table, rows, transformedColumns: Object.values(t.applied).filter((a) => a !== 'keep').length, copy: binary.has(t.table) ? 'binary' : 'text' });
      }
    } finally {
      lookAhead.stop();
      await producing.catch(() => undefined);
    }
    signal?.throwIfAborted();
    await sink.commit({ advanceSequences: true });
  } catch (error) {
    await sink.rollback();
    throw error;
  } finally {
    await workerPool?.close();
  }
  return {
    // reported parents first, as the schema reads, whatever order they loaded in
    tables: results.sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table)),
    rows: results.reduce((a, r) => a + r.rows, 0),
    seconds: (performance.now() - started) / 1000,
    workers: usage.pooledChunks > 0 ? (options.workers?.count ?? 0) : 0,
  };
}
