/**
 * Runs a `ChunkTask`: generates the rows of the range with the row generator
 * and encodes them with the sink's encoder module. The same code runs inside a
 * worker thread and, with `--workers 1`, in the main thread. Keeps the compiled
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
import { compilePlan, type CompiledPlan } from '../row/compiled-plan.js';
import { createRowGenerator, generateDeferredUpdates, type RowGenerator } from '../row/row-generator.js';
import type { GeneratedValue } from '../values.js';
import type { ChunkTask } from './chunk-task.js';

type Encode = (rows: readonly (readonly GeneratedValue[])[]) => Uint8Array;
interface EncoderModule {
  createEncoder(columns: readonly EncoderColumn[], options: unknown): Encode;
}

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

  async run(task: ChunkTask): Promise<Uint8Array> {
    if (task.planId !== this.planId) throw new Error(`worker holds plan ${this.planId}, task is for ${task.planId}`);
    const encode = await this.encoder(task);
    const rows: GeneratedValue[][] = [];
    if (task.kind === 'rows') {
      const generator = this.generator(task.table);
      for (let i = task.start; i < task.end; i++) rows.push(generator.row(i));
    } else {
      for (const u of generateDeferredUpdates(this.compiled, task.table, task.start, task.end)) {
        if (u.foreignKey === task.foreignKey) rows.push([...u.key, ...u.values]);
      }
    }
    return encode(rows);
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
