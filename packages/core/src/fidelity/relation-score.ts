/**
 * The `relations` metric of a table: of the relations between columns that production's
 * rows hold (the source profile's orders, NULLs together, and across each foreign key:
 * orders, equal values, sums of lines and contiguous periods, each in ≥ 99% of the rows),
 * the share the copy's profile shows too. A relation is looked for only where the copy
 * has rows enough for its profile to keep it (k of them at the copy's size); the target
 * must have been profiled with scans (`fidelity --url` does).
 *
 * @example
 * ```ts
 * scoreRelations(source.tables['public.invoice_line'], target.tables['public.invoice_line'], 0.1, 10)?.detail;
 * // 'kept 2 of 3 relations production holds in ≥ 99% of rows; lost: sum public.invoice.total = Σ unit_price × quantity'
 * ```
 */
import type { ProfileForeignKey, ProfileTable } from '../profile-model.js';
import type { FidelityMetric } from './fidelity-model.js';

interface Relation {
  readonly text: string;
  /** Rows of the source the relation was counted on (for nullsTogether: rows where both are NULL). */
  readonly rows: number;
  readonly kept: boolean;
}

function matchForeignKey(name: string, fk: ProfileForeignKey, target: ProfileTable): ProfileForeignKey | undefined {
  const byName = target.foreignKeys[name];
  if (byName) return byName;
  const tableName = (key: string): string => key.slice(key.lastIndexOf('.') + 1);
  return Object.values(target.foreignKeys).find((t) => t.columns.join(',') === fk.columns.join(',') && tableName(t.references.table) === tableName(fk.references.table));
}

function foreignKeyRelations(name: string, fk: ProfileForeignKey, other: ProfileForeignKey | undefined): Relation[] {
  const parent = fk.references.table;
  return [
    ...(fk.orders ?? []).map((o) => ({
      text: `order ${o.column} ≥ ${parent}.${o.parentColumn} (${name})`,
      rows: o.rows,
      kept: (other?.orders ?? []).some((x) => x.column === o.column && x.parentColumn === o.parentColumn),
    })),
    ...(fk.agrees ?? []).map((a) => ({
      text: `equal ${a.column} = ${parent}.${a.parentColumn} (${name})`,
      rows: a.rows,
      kept: (other?.agrees ?? []).some((x) => x.column === a.column && x.parentColumn === a.parentColumn),
    })),
    ...(fk.sums ?? []).map((s) => ({
      text: `sum ${parent}.${s.parentColumn} = Σ ${s.columns.join(' × ')} (${name})`,
      rows: s.rows,
      kept: (other?.sums ?? []).some((x) => x.parentColumn === s.parentColumn && x.columns.join('*') === s.columns.join('*')),
    })),
    ...(fk.periods ?? []).map((p) => ({
      text: `periods ${p.from} = previous ${p.to}${p.gap ? ' + 1 day' : ''} per ${parent} (${name})`,
      rows: p.rows,
      kept: (other?.periods ?? []).some((x) => x.from === p.from && x.to === p.to && x.gap === p.gap),
    })),
  ];
}

/**
 * The table's `relations` metric, or undefined when the source holds none the copy could show
 * (`share`: the copy's rows ÷ the source's; `k`: the copy profile's k).
 */
export function scoreRelations(source: ProfileTable, target: ProfileTable, share: number, k: number): FidelityMetric | undefined {
  const all: Relation[] = [
    ...(source.orders ?? []).map((o) => ({ text: `order ${o.earlier} ≤ ${o.later}`, rows: o.rows, kept: (target.orders ?? []).some((x) => x.earlier === o.earlier && x.later === o.later) })),
    ...(source.nullsTogether ?? []).map((n) => ({
      text: `NULL together ${n.columns.join(', ')}`,
      rows: n.nulls,
      kept: (target.nullsTogether ?? []).some((x) => x.columns.join(',') === n.columns.join(',')),
    })),
    ...Object.entries(source.foreignKeys).flatMap(([name, fk]) => foreignKeyRelations(name, fk, matchForeignKey(name, fk, target))),
  ];
  // Only where the copy has rows enough for its profile to keep the relation (twice its k, at the copy's size).
  const counted = all.filter((r) => r.rows * share >= 2 * k);
  if (counted.length === 0) return undefined;
  const kept = counted.filter((r) => r.kept).length;
  const lost = counted.filter((r) => !r.kept).map((r) => r.text);
  const tail = lost.length === 0 ? '' : `; lost: ${lost.slice(0, 5).join('; ')}${lost.length > 5 ? `; … (${lost.length - 5} more)` : ''}`;
  return {
    metric: 'relations',
    score: Number((kept / counted.length).toFixed(4)),
    detail: `kept ${kept} of ${counted.length} relations production holds in ≥ 99% of rows${tail}`,
  };
}
