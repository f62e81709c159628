/**
 * The `generate` transform: a column's value replaced by what `seed` makes for that column. The
 * seed's planner (`buildPlan` of @understudy/generate) plans the source's schema once, with a seed
 * derived from the scrub key, so the generator honours the column's type, length, CHECKs, enum and
 * domain as a seed does. A row takes the generated value at a row index drawn by keyed hash of its
 * primary key: the same key gives byte-identical output, another key other values.
 *
 * @example
 * ```ts
 * const generated = createGeneratedValues(schema, key);
 * generated('public.users', column)('Alice', 'public.users\u00007'); // 'Nikolas'
 * ```
 */
import { UsageError, type Column, type Schema } from '@understudy/core';
import { buildPlan, compilePlan, type CompiledPlan, type GeneratedValue } from '@understudy/generate';
import type { ValueTransform } from './column-transforms.js';
import { KeyedStream } from './keyed-prf.js';
import type { ScrubKey } from './scrub-key.js';

/** Rows planned per table at least (and at most): the row indexes a value is drawn from. */
const MIN_PLANNED_ROWS = 1000;
const MAX_PLANNED_ROWS = 1_000_000;
const BINARY_KINDS = new Set(['bytea', 'binary', 'varbinary', 'blob']);

/** A generated scalar as the text a source prints (booleans as 1/0, which both engines read). */
function asText(value: GeneratedValue, where: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new UsageError(`${where}: "generate" made a value scrub cannot write yet (bytes or an array)`, { hint: 'Use null or keep for this column.' });
}

function planFor(schema: Schema, seed: string, locale: string | undefined): CompiledPlan {
  const tableRows = Object.fromEntries(
    Object.entries(schema.tables)
      .filter(([, t]) => t.kind !== 'partition')
      .map(([k, t]) => [k, Math.min(MAX_PLANNED_ROWS, Math.max(MIN_PLANNED_ROWS, Math.round(t.rowEstimate ?? 0)))]),
  );
  const options = { seed, ...(locale ? { locale } : {}) };
  try {
    return compilePlan(buildPlan(schema, { ...options, tableRows }));
  } catch {
    // Row estimates a unique column's type cannot hold (a unique smallint in a big table): plan the seed's default rows.
  }
  try {
    return compilePlan(buildPlan(schema, { ...options, rows: MIN_PLANNED_ROWS }));
  } catch (error) {
    throw new UsageError(`"generate" needs a seed plan of the source's schema, and planning it failed: ${(error as Error).message}`, {
      hint: 'Run `understudy plan` on the source to see why, or use another transform for the generate columns.',
    });
  }
}

/**
 * For each column with `generate`, the function of a row's entity (its table and primary key) that
 * gives the seed's value for it. The plan is built on the first call.
 * @throws UsageError for a column seed leaves to the database, a binary or array column, or a schema the seed cannot plan.
 */
export function createGeneratedValues(schema: Schema, key: ScrubKey, locale?: string): (table: string, column: Column) => ValueTransform {
  let compiled: CompiledPlan | undefined;
  const subkey = key.derive('generate');
  const rowKey = key.derive('generate:row');
  return (table, column) => {
    const where = `${table}.${column.name}`;
    if (BINARY_KINDS.has(column.kind) || column.arrayDimensions > 0) {
      throw new UsageError(`${where}: "generate" does not make ${column.rawType} values in scrub yet`, { hint: 'Use null or keep for this column.' });
    }
    compiled ??= planFor(schema, subkey.toString('hex'), locale);
    const planned = compiled.plan.tables[table];
    const planColumn = planned?.columns.find((c) => c.name === column.name);
    if (!planned || !planColumn || !planColumn.load || planColumn.deferred) {
      throw new UsageError(`${where}: seed does not generate this column (${planned ? 'the database fills it, or it is set after the load' : 'seed does not load its table'})`, {
        hint: 'Use another transform for it: fake:<kind>, hash, null or keep.',
      });
    }
    const evaluator = compiled.table(table).column(column.name);
    const rows = planned.rows;
    return (_value, entity) => asText(evaluator.value(new KeyedStream(rowKey, entity).below(rows)), where);
  };
}
