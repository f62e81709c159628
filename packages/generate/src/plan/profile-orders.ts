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
import type { DialectName, ProfileOrder, ProfileTable } from '@understudy/core';
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
