/**
 * Rows of a table, as arrays of values in the plan's load-column order. A row
 * is a pure function of (plan, table, rowIndex): any chunking, any number of
 * workers, any machine gives the same rows.
 *
 * Columns of a broken FK cycle (`deferred`) are NULL in these rows;
 * `generateDeferredUpdates` gives their values, with the row's key, for the
 * UPDATE that runs after every table is loaded.
 *
 * @example
 * ```ts
 * const rows = generateRows(plan, 'public.customer', 0, 1000);
 * rows[0]; // [1, 'Mary', 'Smith', 'mary.smith.0@example.com', …]
 * ```
 */
import { UsageError } from '@understudy/core';
import { loadColumns, type Plan } from '../plan/plan-model.js';
import type { GeneratedValue } from '../values.js';
import { CompiledPlan, compilePlan } from './compiled-plan.js';

function compiledOf(plan: Plan | CompiledPlan): CompiledPlan {
  return plan instanceof CompiledPlan ? plan : compilePlan(plan);
}

function checkRange(rows: number, start: number, end: number, table: string): void {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new UsageError(`rows [${start}, ${end}) of ${table} is not a range of row indexes`);
  }
  if (end > rows) throw new UsageError(`rows [${start}, ${end}) of ${table} go past its ${rows} planned rows`);
}

export interface RowGenerator {
  readonly table: string;
  /** The loaded columns, in the order of every row. */
  readonly columns: readonly string[];
  /** Fills `out` (or a new array) with row `rowIndex`. */
  row(rowIndex: number, out?: GeneratedValue[]): GeneratedValue[];
}

/**
 * A reusable generator for one table's rows (a worker keeps one per table).
 *
 * @example
 * ```ts
 * const gen = createRowGenerator(plan, 'public.film');
 * const buffer: GeneratedValue[] = [];
 * for (let i = 0; i < 100; i++) sink.write(gen.row(i, buffer));
 * ```
 */
export function createRowGenerator(plan: Plan | CompiledPlan, tableKey: string): RowGenerator {
  const compiled = compiledOf(plan);
  const table = compiled.table(tableKey);
  const evaluators = table.loadColumns();
  const deferred = loadColumns(table.plan).map((c) => c.deferred === true);
  const n = evaluators.length;
  return {
    table: tableKey,
    columns: evaluators.map((e) => e.name),
    row(rowIndex: number, out: GeneratedValue[] = new Array<GeneratedValue>(n)): GeneratedValue[] {
      for (let k = 0; k < n; k++) out[k] = deferred[k] ? null : evaluators[k]!.value(rowIndex);
      return out;
    },
  };
}

/**
 * Rows [startRow, endRow) of a table.
 *
 * @example
 * ```ts
 * const a = generateRows(plan, 'public.film', 0, 300);
 * const b = generateRows(plan, 'public.film', 300, 1000); // a ++ b equals generateRows(plan, 'public.film', 0, 1000)
 * ```
 */
export function generateRows(plan: Plan | CompiledPlan, tableKey: string, startRow: number, endRow: number): GeneratedValue[][] {
  const compiled = compiledOf(plan);
  checkRange(compiled.table(tableKey).plan.rows, startRow, endRow, tableKey);
  const generator = createRowGenerator(compiled, tableKey);
  const rows: GeneratedValue[][] = [];
  for (let i = startRow; i < endRow; i++) rows.push(generator.row(i));
  return rows;
}

export interface DeferredUpdateRow {
  readonly foreignKey: string;
  /** Values of `keyColumns` (which row to update). */
  readonly key: GeneratedValue[];
  /** Values of `columns` (what to set). */
  readonly values: GeneratedValue[];
}

/**
 * The UPDATEs that close broken FK cycles, for rows [startRow, endRow): one per
 * row and deferred FK whose value is not NULL.
 *
 * @example
 * ```ts
 * for (const u of generateDeferredUpdates(plan, 'public.dept', 0, 100)) {
 *   // UPDATE dept SET head_id = u.values[0] WHERE id = u.key[0]
 * }
 * ```
 */
export function generateDeferredUpdates(plan: Plan | CompiledPlan, tableKey: string, startRow: number, endRow: number): DeferredUpdateRow[] {
  const compiled = compiledOf(plan);
  const table = compiled.table(tableKey);
  checkRange(table.plan.rows, startRow, endRow, tableKey);
  const out: DeferredUpdateRow[] = [];
  for (const update of table.plan.deferredUpdates) {
    const keys = update.keyColumns.map((c) => table.column(c));
    const sets = update.columns.map((c) => table.column(c));
    for (let i = startRow; i < endRow; i++) {
      const values = sets.map((e) => e.value(i));
      if (values.every((v) => v === null)) continue;
      out.push({ foreignKey: update.foreignKey, key: keys.map((e) => e.value(i)), values });
    }
  }
  return out;
}
