/**
 * Runs a `ChunkTask`: generates the rows of the range with the row generator
 * and encodes them with the sink's encoder module. The same code runs inside a
 * worker thread and, with `--workers 0`, in the main thread. Keeps the compiled
 * plan, row generators and encoders between tasks.
 *
 * @example
 * ```ts
 * const runner = new ChunkRunner(planId, plan);
 * const bytes = await runner.run({ planId, table: 'public.film', kind: 'rows', start: 0, end: 5000, encoding, columns });
 * ```
 */
import type { EncoderColumn } from '@understudy/core';
import type { Plan } from '../plan/plan-model.js';
import { chunkMemory } from '../pool/chunk-buffers.js';
import { compilePlan, type CompiledPlan } from '../row/compiled-plan.js';
import { createRowGenerator, generateDeferredUpdates, type RowGenerator } from '../row/row-generator.js';
import type { GeneratedValue } from '../values.js';
import type { ChunkTask } from './chunk-task.js';

type Encode = (rows: readonly (readonly GeneratedValue[])[]) => Uint8Array;
interface EncoderModule {
  createEncoder(columns: readonly EncoderColumn[], options: unknown): Encode;
}

/** Rows generated and encoded together inside a chunk. */
const ENCODE_SLICE_ROWS = 256;

const modules = new Map<string, Promise<EncoderModule>>();

async function loadEncoderModule(specifier: string): Promise<EncoderModule> {
  let m = modules.get(specifier);
  if (!m) {
    m = import(specifier).then((mod: Partial<EncoderModule>) => {
      if (typeof mod.createEncoder !== 'function') throw new Error(`encoder module ${specifier} exports no createEncoder()`);
      return mod as EncoderModule;
    });
    modules.set(specifier, m);
  }
  return m;
}

/** `parts` one after another in `into`, or in a new buffer (see `chunkMemory`). */
function joined(parts: readonly Uint8Array[], into: ArrayBuffer | undefined): Uint8Array {
  let bytes = 0;
  for (const part of parts) bytes += part.byteLength;
  const out = chunkMemory(bytes, into);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export class ChunkRunner {
  private readonly compiled: CompiledPlan;
  private readonly generators = new Map<string, RowGenerator>();
  private readonly encoders = new Map<string, Encode>();

  constructor(
    readonly planId: string,
    plan: Plan,
  ) {
    this.compiled = compilePlan(plan);
  }

  /**
   * The task's rows, encoded, in `into` when it is large enough (else in a new buffer):
   * always memory of the chunk's own from offset 0, never a view into a shared pool.
   * `yieldBetweenSlices`: let the event loop run between slices of rows (in the main thread, so
   * its I/O goes on while it makes a chunk).
   */
  async run(task: ChunkTask, into?: ArrayBuffer, options: { readonly yieldBetweenSlices?: boolean } = {}): Promise<Uint8Array> {
    if (task.planId !== this.planId) throw new Error(`worker holds plan ${this.planId}, task is for ${task.planId}`);
    const encode = await this.encoder(task);
    if (task.kind !== 'rows') {
      const rows: GeneratedValue[][] = [];
      for (const u of generateDeferredUpdates(this.compiled, task.table, task.start, task.end)) {
        if (u.foreignKey === task.foreignKey) rows.push([...u.key, ...u.values]);
      }
      return joined([encode(rows)], into);
    }
    // Encoded a slice at a time: the rows of a slice die young, so the garbage collector
    // scavenges them cheaply instead of promoting a whole chunk's values (~40% of a worker's time before).
    const generator = this.generator(task.table);
    const parts: Uint8Array[] = [];
    for (let start = task.start; start < task.end; start += ENCODE_SLICE_ROWS) {
      const end = Math.min(task.end, start + ENCODE_SLICE_ROWS);
      const rows = new Array<GeneratedValue[]>(end - start);
      for (let i = start; i < end; i++) rows[i - start] = generator.row(i);
      parts.push(encode(rows));
      if (options.yieldBetweenSlices) await new Promise((resolve) => setImmediate(resolve));
    }
    return joined(parts, into);
  }

  private generator(table: string): RowGenerator {
    let g = this.generators.get(table);
    if (!g) {
      g = createRowGenerator(this.compiled, table);
      this.generators.set(table, g);
    }
    return g;
  }

  private async encoder(task: ChunkTask): Promise<Encode> {
    const key = `${task.table}\u0000${task.kind}\u0000${task.foreignKey ?? ''}\u0000${task.encoding.module}\u0000${JSON.stringify(task.encoding.options ?? null)}`;
    let e = this.encoders.get(key);
    if (!e) {
      const mod = await loadEncoderModule(task.encoding.module);
      e = mod.createEncoder(task.columns, task.encoding.options);
      this.encoders.set(key, e);
    }
    return e;
  }
}
