/**
 * Relations between a parent row and its children's rows that production holds (the
 * profile's `sums` and `periods` of a foreign key, from count-only queries), planned where
 * the child's foreign key follows the profile's fan-out (a `fanout` pick, which lists each
 * parent's children without a scan; see `generators/lines.ts`):
 *
 * - a parent column equal to the sum of its children's (`invoice.total = SUM(line.unit_price *
 *   line.quantity)`) becomes `childSum` over the child table's rows that chose it;
 * - a child's period columns that follow each other per parent (`from_date` = the previous
 *   row's `to_date`) become `periodStart` / `periodEnd`.
 *
 * Keys, unique columns, references and columns a CHECK ordered keep their plan.
 *
 * @example
 * ```ts
 * applyLineRelations(results, 'public.invoice', table, { schema, profiles, generated, shapes, picks });
 * results.get('total')!.column.reason; // '…; profile: sum of public.invoice_line.unit_price × quantity through … in 100% of 412 parents'
 * ```
 */
import type { ProfileForeignKey, Schema, Table } from '@understudy/core';
import type { ColumnPlanResult } from './column-planner.js';
import type { ColumnShape } from './column-shape.js';
import type { PlanPick, PlanTable } from './plan-model.js';
import type { MatchedProfileTable } from './profile-planner.js';
import { parseTimestampSeconds } from '../generators/time-format.js';

/** Generators a line relation never replaces. */
const FIXED = new Set(['sequence', 'reference', 'tuple', 'via', 'regex', 'json', 'childSum', 'periodStart', 'periodEnd']);
const WHOLE = new Set(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint']);
const DAY = 86400;

export interface LineRelationContext {
  readonly schema: Schema;
  readonly profiles: ReadonlyMap<string, MatchedProfileTable>;
  /** Tables the plan generates. */
  readonly generated: ReadonlySet<string>;
  readonly shapes: ReadonlyMap<string, ColumnShape>;
  /** This table's picks. */
  readonly picks: Readonly<Record<string, PlanPick>>;
}

function free(r: ColumnPlanResult | undefined): r is ColumnPlanResult {
  const c = r?.column;
  return c !== undefined && c.load && c.generator !== null && !FIXED.has(c.generator.name) && !c.unique && !c.array;
}

function profileForeignKey(profile: MatchedProfileTable['table'] | undefined, fk: Table['foreignKeys'][number]): ProfileForeignKey | undefined {
  if (!profile) return undefined;
  return profile.foreignKeys[fk.name] ?? Object.values(profile.foreignKeys).find((p) => p.columns.length === fk.columns.length && p.columns.every((c, i) => c === fk.columns[i]));
}

function share(x: { holds: number; rows: number }, what: string): string {
  return `${Math.floor(x.holds * 1000) / 10}% of ${x.rows.toLocaleString('en-US')} ${what}`;
}

/** Parent columns equal to the sum of their children's: `childSum` over the child table's rows. */
function applySums(results: Map<string, ColumnPlanResult>, tableKey: string, ctx: LineRelationContext): void {
  for (const [childKey, child] of Object.entries(ctx.schema.tables)) {
    if (!ctx.generated.has(childKey) || childKey === tableKey) continue;
    for (const fk of child.foreignKeys) {
      if (fk.references.table !== tableKey) continue;
      const stats = profileForeignKey(ctx.profiles.get(childKey)?.table, fk);
      if (!stats?.fanout || stats.fanout.length === 0) continue;
      for (const sum of stats.sums ?? []) {
        const r = results.get(sum.parentColumn);
        const shape = ctx.shapes.get(sum.parentColumn);
        if (!free(r) || !shape || !sum.columns.every((c) => child.columns.some((x) => x.name === c))) continue;
        const valueType = WHOLE.has(shape.kind) ? 'integer' : shape.kind === 'decimal' ? 'decimal' : shape.kind === 'real' || shape.kind === 'double' ? 'float' : undefined;
        if (!valueType) continue;
        const params = {
          table: childKey,
          pick: `fk:${fk.name}`,
          columns: [...sum.columns],
          valueType,
          ...(valueType === 'decimal' ? { scale: Math.min(15, shape.scale ?? 2) } : {}),
          fallback: r.column.generator!,
        };
        const why = `sum of ${childKey}.${sum.columns.join(' × ')} through ${fk.name} in ${share(sum, 'parents')}`;
        results.set(sum.parentColumn, { ...r, column: { ...r.column, generator: { name: 'childSum', params }, reason: `${r.column.reason}; profile: ${why}` } });
      }
    }
  }
}

/** The median of a date/time column's histogram, in days. */
function medianDays(profile: MatchedProfileTable['table'] | undefined, column: string): number | undefined {
  const bounds = profile?.columns[column]?.histogram?.bounds;
  const mid = bounds?.[Math.floor(bounds.length / 2)];
  const seconds = typeof mid === 'string' ? parseTimestampSeconds(mid) : NaN;
  return Number.isFinite(seconds) ? seconds / DAY : undefined;
}

/** A child's periods that follow each other per parent: `periodStart` / `periodEnd` through the foreign key's fan-out. */
function applyPeriods(results: Map<string, ColumnPlanResult>, table: Table, profile: MatchedProfileTable['table'], ctx: LineRelationContext): void {
  for (const fk of table.foreignKeys) {
    const stats = profileForeignKey(profile, fk);
    const pickId = `fk:${fk.name}`;
    const pick = ctx.picks[pickId];
    if (!stats?.periods || pick?.kind !== 'fanout' || pick.pair) continue;
    for (const period of stats.periods) {
      const from = results.get(period.from);
      const to = results.get(period.to);
      const shape = ctx.shapes.get(period.from);
      if (!free(from) || !free(to) || !shape || (shape.kind !== 'date' && shape.kind !== 'timestamp' && shape.kind !== 'timestamptz')) continue;
      const valueType = shape.kind === 'date' ? 'date' : 'timestamp';
      if (period.gap === 1 && valueType !== 'date') continue;
      const withZone = shape.kind === 'timestamptz';
      const gap = (medianDays(profile, period.to) ?? NaN) - (medianDays(profile, period.from) ?? NaN);
      const maxDays = Number.isFinite(gap) && gap > 0 ? Math.min(3650, Math.max(2, Math.round(2 * gap))) : 365;
      const why = `periods follow each other per ${fk.references.table} through ${fk.name} (${period.from} = previous ${period.to}${period.gap ? ' + 1 day' : ''}) in ${share(period, 'rows')}`;
      results.set(period.from, {
        ...from,
        column: {
          ...from.column,
          generator: { name: 'periodStart', params: { pick: pickId, to: period.to, gap: period.gap, valueType, withZone, fallback: from.column.generator! } },
          reason: `${from.column.reason}; profile: ${why}`,
        },
      });
      results.set(period.to, {
        ...to,
        column: {
          ...to.column,
          generator: { name: 'periodEnd', params: { pick: pickId, from: period.from, valueType, withZone, minDays: 1, maxDays, fallback: to.column.generator! } },
          reason: `${to.column.reason}; profile: ${why}`,
        },
        dependsOn: [...new Set([...to.dependsOn, period.from])],
      });
    }
  }
}

/** Rewrites the plans of `tableKey`'s columns that production's parent/child relations tie to other rows. */
export function applyLineRelations(results: Map<string, ColumnPlanResult>, tableKey: string, table: Table, profile: MatchedProfileTable['table'], ctx: LineRelationContext): void {
  applySums(results, tableKey, ctx);
  applyPeriods(results, table, profile, ctx);
}

/**
 * Once every table is planned: a `childSum` whose child's foreign key does not follow the
 * profile's fan-out (a composite key's tuple, a 1:1 permutation) cannot list the children,
 * so it goes back to its own plan, and its reason says why.
 */
export function settleChildSums(tables: Record<string, PlanTable>): void {
  for (const [key, table] of Object.entries(tables)) {
    const columns = table.columns.map((c) => {
      const g = c.generator;
      if (g?.name !== 'childSum') return c;
      const child = tables[String(g.params['table'])];
      const pick = child?.picks[String(g.params['pick'])];
      if (pick?.kind === 'fanout' && !pick.pair && pick.children === child!.rows) return c;
      const reason = c.reason.replace(/; profile: sum of ([^;]*)/, `; profile: sum of $1 not kept: the children's foreign key does not follow the profile's fan-out (${pick?.kind ?? 'no pick'})`);
      return { ...c, generator: g.params['fallback'] as NonNullable<typeof g>, reason };
    });
    if (columns.some((c, i) => c !== table.columns[i])) tables[key] = { ...table, columns };
  }
}
