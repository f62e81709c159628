/**
 * Orders between date/time columns that production's rows hold (the profile's
 * `orders`: `later ≥ earlier` in at least 99% of the rows where both are set, from a
 * count-only query) and that nothing else gave the plan: the later column becomes an
 * `after` of the earlier one that keeps its own profiled value wherever that value
 * already comes after (so production's distribution, `to_date = '9999-01-01'` in 73% of
 * rows, stays), and on the other rows takes the earlier value plus a delta, uniform up
 * to twice the gap between the two columns' medians (from their histograms), at least a
 * day; 30 days without histograms.
 *
 * A column already ordered (a CHECK, a name such as `return_date` after `rental_date`),
 * a key, a reference or an array keeps its plan. Where a column follows several,
 * it follows the latest of them (the one none of the others comes after).
 *
 * @example
 * ```ts
 * applyProfileOrders(results, profile.table, { shapes, rulesOf, now, dialect });
 * results.get('shipped_at')!.column.reason; // '…; profile: after ordered_at in 100% of 4,120 rows'
 * ```
 */
import type { DialectName, ForeignKey, ProfileForeignKey, ProfileOrder, ProfileTable, Schema, Table } from '@understudy/core';
import type { MatchedProfileTable } from './profile-planner.js';
import { afterSpec, type ColumnPlanResult } from './column-planner.js';
import type { ColumnRules } from './column-rules.js';
import { columnShape, type ColumnShape } from './column-shape.js';
import { isTimeKind } from './concrete-generator.js';
import { parseTimestampSeconds } from '../generators/time-format.js';

const DAY = 86400;
/** Generators a column equal to its parent's (the profile's `agrees`) replaces with the parent's value: references and free values. */
const AGREE_FROM = new Set(['reference', 'distribution', 'values', 'words', 'letters', 'integer', 'decimal', 'date', 'boolean', 'faker', 'sentences', 'city']);
/** Generators an order never replaces. */
const FIXED = new Set(['after', 'sequence', 'reference', 'tuple', 'values', 'regex', 'json']);

export interface ProfileOrderContext {
  readonly shapes: ReadonlyMap<string, ColumnShape>;
  readonly rulesOf: (column: string) => ColumnRules;
  readonly now: number;
  readonly dialect: DialectName;
}

/** The median of a date/time column's histogram, in seconds, if it has one. */
function medianSeconds(table: ProfileTable | undefined, column: string): number | undefined {
  const bounds = table?.columns[column]?.histogram?.bounds;
  const mid = bounds?.[Math.floor(bounds.length / 2)];
  const seconds = typeof mid === 'string' ? parseTimestampSeconds(mid) : NaN;
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * The column's plan as an `after` of `earlier` (in its own row, or with `through`, in the
 * parent row its foreign key's pick chose) that keeps its own value where already in order;
 * `undefined` where its kind cannot be ordered. The delta: up to twice the gap between the medians.
 */
function followPlan(
  r: ColumnPlanResult,
  shape: ColumnShape,
  earlier: string,
  gap: number,
  why: string,
  ctx: ProfileOrderContext,
  through?: { pick: string; table: string },
): ColumnPlanResult | undefined {
  const c = r.column;
  const maxDelta = Number.isFinite(gap) ? Math.max(DAY, 2 * gap) : 30 * DAY;
  const spec = afterSpec(c.generator!, shape, ctx.rulesOf(c.name), earlier, false, { now: ctx.now, dialect: ctx.dialect }, maxDelta);
  if (!spec) return undefined;
  return {
    ...r,
    column: { ...c, generator: { name: spec.name, params: { ...spec.params, keepOrdered: true, ...through } }, reason: `${c.reason}; profile: ${why}` },
    ...(through ? {} : { dependsOn: [...r.dependsOn, earlier] }),
  };
}

/** `100% of 4,120 rows`. */
function shareOf(relation: { holds: number; rows: number }): string {
  return `${Math.floor(relation.holds * 1000) / 10}% of ${relation.rows.toLocaleString('en-US')} rows`;
}

/** Whether a column's plan may become an ordering: a loaded, non-key, scalar date/time whose generator is free. */
function orderable(r: ColumnPlanResult | undefined, shape: ColumnShape | undefined): shape is ColumnShape {
  const c = r?.column;
  return c !== undefined && shape !== undefined && isTimeKind(shape) && shape.arrayDimensions === 0 && c.load && c.generator !== null && !FIXED.has(c.generator.name) && !c.unique && !c.array;
}

function sameFamily(a: ColumnShape, b: ColumnShape): boolean {
  return a.kind === b.kind || (a.kind !== 'date' && b.kind !== 'date');
}

/** Rewrites the plans of later columns in `results` to follow the profile's orders. */
export function applyProfileOrders(results: Map<string, ColumnPlanResult>, table: ProfileTable, ctx: ProfileOrderContext): void {
  const orders = table.orders ?? [];
  const byLater = new Map<string, ProfileOrder[]>();
  for (const o of orders) byLater.set(o.later, [...(byLater.get(o.later) ?? []), o]);
  const follows = (a: string, b: string): boolean => orders.some((o) => o.earlier === b && o.later === a);
  for (const [later, candidates] of byLater) {
    const r = results.get(later);
    const shape = ctx.shapes.get(later);
    if (!orderable(r, shape)) continue;
    const usable = candidates.filter((o) => {
      const e = results.get(o.earlier)?.column;
      const es = ctx.shapes.get(o.earlier);
      return e !== undefined && e.load && e.generator !== null && es !== undefined && sameFamily(es, shape);
    });
    // The latest of the columns it follows: one no other candidate comes after.
    const order = usable.find((o) => !usable.some((p) => p !== o && follows(p.earlier, o.earlier))) ?? usable[0];
    if (!order) continue;
    const gap = (medianSeconds(table, later) ?? NaN) - (medianSeconds(table, order.earlier) ?? NaN);
    const followed = followPlan(r!, shape, order.earlier, gap, `after ${order.earlier} in ${shareOf(order)}`, ctx);
    if (followed) results.set(later, followed);
  }
}

export interface ForeignKeyRelationContext extends ProfileOrderContext {
  readonly schema: Schema;
  /** Profile tables by schema table key, for the parents' histograms. */
  readonly parents: ReadonlyMap<string, MatchedProfileTable>;
  /** Tables the plan generates: only their columns can be read by a child. */
  readonly generated: ReadonlySet<string>;
}

function profileForeignKey(profile: ProfileTable, fk: Table['foreignKeys'][number]): ProfileForeignKey | undefined {
  return profile.foreignKeys[fk.name] ?? Object.values(profile.foreignKeys).find((p) => p.columns.length === fk.columns.length && p.columns.every((c, i) => c === fk.columns[i]));
}

/** The tuple pick and component every column of a foreign key takes its parent row from, if they all do. */
function tupleComponent(results: ReadonlyMap<string, ColumnPlanResult>, columns: readonly string[], parent: string): { pick: string; component: number } | undefined {
  const specs = columns.map((c) => results.get(c)?.column.generator);
  const first = specs[0];
  if (!first || first.name !== 'tuple' || first.params['valueType'] !== 'parent' || first.params['table'] !== parent) return undefined;
  const same = specs.every((g) => g?.name === 'tuple' && g.params['pick'] === first.params['pick'] && g.params['component'] === first.params['component'] && g.params['valueType'] === 'parent');
  return same ? { pick: String(first.params['pick']), component: Number(first.params['component']) } : undefined;
}

/** Whether each column of `fk` is a `reference` of the key's own pick (`fk:<name>`): the parent row is that pick's. */
export function picksItsParent(results: ReadonlyMap<string, ColumnPlanResult>, fk: ForeignKey): boolean {
  return fk.columns.every((c) => {
    const g = results.get(c)?.column.generator;
    return g?.name === 'reference' && g.params['pick'] === `fk:${fk.name}`;
  });
}

/**
 * Relations production's rows hold across a foreign key (the profile's `agrees` and
 * `orders` of it), kept where the child's foreign key picks its parent row
 * (`reference`): a column equal to the parent's in ≥ 99% of rows (a payment's
 * `customer_id` is its rental's, a region's `continent` its country's) reads the
 * parent's value in the row that pick chose;
 * a date/time column at or after the parent's (`payment_date` after the rental's
 * `rental_date`) follows it, keeping its own value where already in order.
 * Keys, unique columns and columns a CHECK or a name already ordered keep their plan.
 */
export function applyForeignKeyRelations(results: Map<string, ColumnPlanResult>, table: Table, profile: ProfileTable, ctx: ForeignKeyRelationContext): void {
  for (const fk of table.foreignKeys) {
    const stats = profileForeignKey(profile, fk);
    const parentKey = fk.references.table;
    if (!stats || !ctx.generated.has(parentKey)) continue;
    const pickId = `fk:${fk.name}`;
    const picked = picksItsParent(results, fk);
    // A foreign key inside a distinct tuple (a composite primary key over it): its parent row is that tuple's component.
    const inTuple = picked ? undefined : tupleComponent(results, fk.columns, parentKey);
    for (const agree of picked || inTuple ? (stats.agrees ?? []) : []) {
      const r = results.get(agree.column);
      const g = r?.column.generator;
      if (!r || !g || !AGREE_FROM.has(g.name) || r.column.unique || fk.columns.includes(agree.column)) continue;
      const through = inTuple ? { pick: inTuple.pick, component: inTuple.component } : { pick: pickId };
      results.set(agree.column, {
        ...r,
        column: {
          ...r.column,
          generator: { name: 'via', params: { ...through, table: parentKey, column: agree.parentColumn, fallback: g } },
          reason: `${r.column.reason}; profile: equal to ${parentKey}.${agree.parentColumn} through ${fk.name} in ${shareOf(agree)}`,
        },
      });
    }
    if (!picked) continue;
    const parentProfile = ctx.parents.get(parentKey)?.table;
    const parentTable = ctx.schema.tables[parentKey];
    const byColumn = new Map<string, NonNullable<ProfileForeignKey['orders']>>();
    for (const o of stats.orders ?? []) byColumn.set(o.column, [...(byColumn.get(o.column) ?? []), o]);
    for (const [column, orders] of byColumn) {
      const r = results.get(column);
      const shape = ctx.shapes.get(column);
      if (!orderable(r, shape)) continue;
      // Of the parent columns of the same family it follows, the latest by median (or the first).
      const sameKind = orders.filter((o) => {
        const pc = parentTable?.columns.find((x) => x.name === o.parentColumn);
        return pc !== undefined && sameFamily(columnShape(ctx.schema, pc), shape);
      });
      if (sameKind.length === 0) continue;
      const medians = sameKind.map((o) => ({ o, m: medianSeconds(parentProfile, o.parentColumn) }));
      const chosen = medians.reduce((best, x) => ((x.m ?? -Infinity) > (best.m ?? -Infinity) ? x : best), medians[0]!);
      const gap = (medianSeconds(profile, column) ?? NaN) - (chosen.m ?? NaN);
      const why = `after ${parentKey}.${chosen.o.parentColumn} through ${fk.name} in ${shareOf(chosen.o)}`;
      const followed = followPlan(r!, shape, chosen.o.parentColumn, gap, why, ctx, { pick: pickId, table: parentKey });
      if (followed) results.set(column, followed);
    }
  }
}
