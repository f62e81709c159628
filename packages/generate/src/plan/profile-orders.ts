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
import type { DialectName, ProfileForeignKey, ProfileOrder, ProfileTable, Schema, Table } from '@understudy/core';
import { columnShape } from './column-shape.js';
import type { MatchedProfileTable } from './profile-planner.js';
import { afterSpec, type ColumnPlanResult } from './column-planner.js';
import type { ColumnRules } from './column-rules.js';
import type { ColumnShape } from './column-shape.js';
import { isTimeKind } from './concrete-generator.js';

const DAY = 86400;
/** Generators an order never replaces. */
const FIXED = new Set(['after', 'sequence', 'reference', 'tuple', 'values', 'regex', 'json']);

export interface ProfileOrderContext {
  readonly shapes: ReadonlyMap<string, ColumnShape>;
  readonly rulesOf: (column: string) => ColumnRules;
  readonly now: number;
  readonly dialect: DialectName;
}

/** The median of a date/time column's histogram, in seconds, if it has one. */
function medianSeconds(table: ProfileTable, column: string): number | undefined {
  const bounds = table.columns[column]?.histogram?.bounds;
  if (!bounds || bounds.length === 0) return undefined;
  const mid = bounds[Math.floor(bounds.length / 2)];
  const ms = typeof mid === 'string' ? Date.parse(mid.includes('T') || mid.length <= 10 ? mid : mid.replace(' ', 'T')) : NaN;
  return Number.isFinite(ms) ? ms / 1000 : undefined;
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
    if (!r || !shape || !isTimeKind(shape) || shape.arrayDimensions > 0) continue;
    const c = r.column;
    if (!c.load || c.generator === null || FIXED.has(c.generator.name) || c.unique || c.array) continue;
    const usable = candidates.filter((o) => {
      const e = results.get(o.earlier)?.column;
      const es = ctx.shapes.get(o.earlier);
      return e !== undefined && e.load && e.generator !== null && es !== undefined && sameFamily(es, shape);
    });
    // The latest of the columns it follows: one no other candidate comes after.
    const order = usable.find((o) => !usable.some((p) => p !== o && follows(p.earlier, o.earlier))) ?? usable[0];
    if (!order) continue;
    const gap = (medianSeconds(table, later) ?? NaN) - (medianSeconds(table, order.earlier) ?? NaN);
    const maxDelta = Number.isFinite(gap) ? Math.max(DAY, 2 * gap) : 30 * DAY;
    const spec = afterSpec(c.generator, shape, ctx.rulesOf(later), order.earlier, false, { now: ctx.now, dialect: ctx.dialect }, maxDelta);
    if (!spec) continue;
    const share = `${Math.floor(order.holds * 1000) / 10}%`;
    results.set(later, {
      ...r,
      column: { ...c, generator: { name: spec.name, params: { ...spec.params, keepOrdered: true } }, reason: `${c.reason}; profile: after ${order.earlier} in ${share} of ${order.rows.toLocaleString('en-US')} rows` },
      dependsOn: [...r.dependsOn, order.earlier],
    });
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

/**
 * Relations production's rows hold across a foreign key (the profile's `agrees` and
 * `orders` of it), kept where the child's foreign key picks its parent row
 * (`reference`): a column equal to the parent's in ≥ 99% of rows (a payment's
 * `customer_id` is its rental's) reads the parent's value in the row that pick chose;
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
    const picked = fk.columns.every((c) => results.get(c)?.column.generator?.name === 'reference' && results.get(c)?.column.generator?.params['pick'] === pickId);
    if (!picked) continue;
    for (const agree of stats.agrees ?? []) {
      const r = results.get(agree.column);
      const g = r?.column.generator;
      if (!r || !g || g.name !== 'reference' || r.column.unique || fk.columns.includes(agree.column)) continue;
      results.set(agree.column, {
        ...r,
        column: {
          ...r.column,
          generator: { name: 'via', params: { pick: pickId, table: parentKey, column: agree.parentColumn, fallback: g } },
          reason: `${r.column.reason}; profile: equal to ${parentKey}.${agree.parentColumn} through ${fk.name} in ${Math.floor(agree.holds * 1000) / 10}% of ${agree.rows.toLocaleString('en-US')} rows`,
        },
      });
    }
    const parentProfile = ctx.parents.get(parentKey)?.table;
    const byColumn = new Map<string, typeof stats.orders>();
    for (const o of stats.orders ?? []) byColumn.set(o.column, [...(byColumn.get(o.column) ?? []), o]);
    for (const [column, orders] of byColumn) {
      const r = results.get(column);
      const shape = ctx.shapes.get(column);
      const c = r?.column;
      if (!r || !c || !shape || !isTimeKind(shape) || shape.arrayDimensions > 0 || !c.load || c.generator === null || FIXED.has(c.generator.name) || c.unique) continue;
      // Of the parent columns of the same family it follows, the latest by median (or the first).
      const parentTable = ctx.schema.tables[parentKey];
      const sameKind = (orders ?? []).filter((o) => {
        const pc = parentTable?.columns.find((x) => x.name === o.parentColumn);
        return pc !== undefined && sameFamily(columnShape(ctx.schema, pc), shape);
      });
      if (sameKind.length === 0) continue;
      const medians = sameKind.map((o) => ({ o, m: parentProfile ? medianSeconds(parentProfile, o.parentColumn) : undefined }));
      const chosen = medians.reduce((best, x) => ((x.m ?? -Infinity) > (best.m ?? -Infinity) ? x : best), medians[0]!);
      const gap = (medianSeconds(profile, column) ?? NaN) - (chosen.m ?? NaN);
      const maxDelta = Number.isFinite(gap) ? Math.max(DAY, 2 * gap) : 30 * DAY;
      const spec = afterSpec(c.generator, shape, ctx.rulesOf(column), chosen.o.parentColumn, false, { now: ctx.now, dialect: ctx.dialect }, maxDelta);
      if (!spec) continue;
      results.set(column, {
        ...r,
        column: {
          ...c,
          generator: { name: spec.name, params: { ...spec.params, keepOrdered: true, pick: pickId, table: parentKey } },
          reason: `${c.reason}; profile: after ${parentKey}.${chosen.o.parentColumn} through ${fk.name} in ${Math.floor(chosen.o.holds * 1000) / 10}% of ${chosen.o.rows.toLocaleString('en-US')} rows`,
        },
      });
    }
  }
}
