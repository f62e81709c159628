/**
 * Planning against a target that may already hold rows: the tables that have
 * some are kept as they are and serve as parents (their rows are read through
 * the sink, in the load's transaction), and a plan file never carries those
 * rows' values (they are read again when a saved plan is seeded).
 *
 * @example
 * ```ts
 * const sink = await dialect.openSink(url, { schema, truncate, tables: writableTables(schema, { config }) });
 * const plan = await planForSink(schema, sink, { seed: 1, rows: 1000, config });
 * await seed({ plan, sink });
 * ```
 */
import { UsageError, type Schema, type Sink } from '@understudy/core';
import { buildPlan, type PlanOptions } from './build-plan.js';
import { GenerateConfig, type GenerateConfigInput } from './generate-config.js';
import type { Plan } from './plan-model.js';
import { existingRowsRequests, KEPT_PARENT_ROWS, selectTables } from './table-selection.js';

/**
 * The tables a load may write (and `--truncate` may empty): all but migration tools' bookkeeping
 * tables and those `only` / `exclude` (flags and config) leave out.
 * @example
 * ```ts
 * writableTables(schema, { exclude: ['audit.*'] }); // ['public.users', 'public.orders']
 * ```
 */
export function writableTables(schema: Schema, options: { readonly config?: GenerateConfigInput; readonly only?: readonly string[]; readonly exclude?: readonly string[] }): string[] {
  const config = GenerateConfig.safeParse(options.config ?? {});
  const only = [...(config.success ? (config.data.only ?? []) : []), ...(options.only ?? [])];
  const exclude = [...(config.success ? (config.data.exclude ?? []) : []), ...(options.exclude ?? [])];
  return [...selectTables(schema, { only, exclude }).writable];
}

/**
 * Reads the rows already in the sink's tables, then plans: tables with rows are kept.
 * @example
 * ```ts
 * const plan = await planForSink(schema, sink, { seed: 1, rows: 1000 });
 * Object.keys(plan.kept); // ['public.settings', 'public.schema_migrations']
 * ```
 */
export async function planForSink(schema: Schema, sink: Pick<Sink, 'existingRows'>, options: PlanOptions): Promise<Plan> {
  const existing = sink.existingRows ? await sink.existingRows(existingRowsRequests(schema)) : [];
  return buildPlan(schema, { ...options, existing });
}

/**
 * A plan whose kept tables carry the values of their rows, read from the sink when the plan does
 * not have them (a plan saved by `plan --out`).
 * @throws UsageError when a kept table now has fewer rows than the plan's children pick from.
 * @example
 * ```ts
 * const ready = await withKeptValues(parseSavedPlan(json, 'plan.json'), sink);
 * ```
 */
export async function withKeptValues(plan: Plan, sink: Sink): Promise<Plan> {
  const missing = Object.entries(plan.kept).filter(([, k]) => k.rows > 0 && k.values === undefined);
  if (missing.length === 0 || !sink.existingRows) return plan;
  const wanted = new Map<string, Set<string>>();
  for (const table of Object.values(plan.tables)) {
    // The columns two agreeing foreign keys share: read in both parents to pair their rows.
    for (const pick of Object.values(table.picks)) {
      if (pick.kind === 'permutation' && pick.distinct !== undefined && plan.kept[pick.table]) {
        const set = wanted.get(pick.table) ?? new Set<string>();
        for (const c of pick.distinct.columns) set.add(c);
        wanted.set(pick.table, set);
      }
      if (pick.kind !== 'agreeing') continue;
      pick.tables.forEach((parent, i) => {
        if (!plan.kept[parent]) return;
        const set = wanted.get(parent) ?? new Set<string>();
        for (const on of pick.on) set.add(on[i]!);
        wanted.set(parent, set);
      });
    }
    for (const column of table.columns) {
      const g = column.generator;
      if (g?.name !== 'reference' && !(g?.name === 'tuple' && g.params['valueType'] === 'parent')) continue;
      const parent = String(g.params['table']);
      if (!plan.kept[parent]) continue;
      const set = wanted.get(parent) ?? new Set<string>();
      set.add(String(g.params['column']));
      wanted.set(parent, set);
    }
  }
  const requests = missing.map(([table]) => ({ table, columns: [...(wanted.get(table) ?? [])], limit: Math.max(KEPT_PARENT_ROWS, plan.kept[table]!.rows) }));
  const read = new Map((await sink.existingRows(requests)).map((e) => [e.table, e]));
  const kept = { ...plan.kept };
  for (const [table, k] of missing) {
    const got = read.get(table);
    if (!got || got.rows < k.rows) {
      throw new UsageError(`the plan picks parents among ${k.rows} rows kept in ${table}, but ${sink.description} has ${got?.rows ?? 0} there now`, {
        hint: 'Make the plan again against this target.',
      });
    }
    kept[table] = { ...k, values: Object.fromEntries(Object.entries(got.values).map(([c, v]) => [c, v.slice(0, k.rows)])) };
  }
  return { ...plan, kept };
}

/**
 * The plan as a file holds it: kept tables without their rows' values (those may be personal, and
 * are read again from the target when the plan is seeded).
 * @example
 * ```ts
 * await writeFile('plan.json', JSON.stringify(planForSaving(plan), null, 2));
 * ```
 */
export function planForSaving(plan: Plan): Plan {
  const kept = Object.fromEntries(Object.entries(plan.kept).map(([table, { values: _values, ...rest }]) => [table, rest]));
  return { ...plan, kept };
}
