/**
 * The privacy screen for pair trends (`profile-scan-trends.ts`) before they land in a profile:
 * nothing about a personal column, nothing counted on fewer than k rows, and of the rows per
 * pair of values only pairs of values each column already keeps as a frequent value (the
 * screen `profile-privacy.ts` applied to it), with k rows or more; every other row is `other`.
 *
 * @example
 * ```ts
 * screenTrends(raw, 'public.orders', columns, columnsByTable, schema, 10).contingencies[0]?.cells;
 * // [{ values: ['paid', 'card'], rows: 4120 }, …]
 * ```
 */
import type { ProfileTable, ProfileTrends, ProfileValue } from './profile-model.js';
import type { TableTrends } from './profile-scan-trends.js';
import type { Schema } from './schema-model.js';

type Columns = ProfileTable['columns'];

/** The kept frequent values of a column by their text, or undefined when it keeps none (or is personal). */
function keptValues(columns: Columns, name: string): Map<string, ProfileValue> | undefined {
  const c = columns[name];
  if (!c || c.personal || !c.mostCommon) return undefined;
  return new Map(c.mostCommon.values.map((v) => [String(v), v]));
}

/** Whether a value the engine returned is a kept value (booleans as MySQL's 0/1 too). */
function lookup(kept: Map<string, ProfileValue>, value: unknown): ProfileValue | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value instanceof Date ? value.toISOString() : String(value);
  if (kept.has(text)) return kept.get(text);
  if (text === '1' || text === '0') return kept.get(text === '1' ? 'true' : 'false');
  return undefined;
}

export function screenTrends(raw: TableTrends, tableKey: string, columns: Columns, columnsByTable: ReadonlyMap<string, Columns>, schema: Schema, k: number): ProfileTrends {
  const open = (cs: Columns, name: string): boolean => cs[name] !== undefined && !cs[name].personal;
  const correlations = raw.correlations
    .filter((c) => c.rows >= k && open(columns, c.columns[0]) && open(columns, c.columns[1]))
    .map((c) => ({ columns: [c.columns[0], c.columns[1]] as [string, string], rows: c.rows, r: c.r }));
  const contingencies = raw.contingencies.flatMap((t) => {
    const a = keptValues(columns, t.columns[0]);
    const b = keptValues(columns, t.columns[1]);
    if (!a || !b || t.rows < k) return [];
    const cells = t.cells.flatMap((cell) => {
      const x = lookup(a, cell.values[0]);
      const y = lookup(b, cell.values[1]);
      return x !== undefined && y !== undefined && cell.rows >= k ? [{ values: [x, y] as [ProfileValue, ProfileValue], rows: cell.rows }] : [];
    });
    if (cells.length === 0) return [];
    const listed = cells.reduce((s, c) => s + c.rows, 0);
    return [{ columns: [t.columns[0], t.columns[1]] as [string, string], rows: t.rows, cells, other: Math.max(0, t.rows - listed) }];
  });
  const childCounts = raw.childCounts.filter((c) => {
    const fk = schema.tables[tableKey]?.foreignKeys.find((f) => f.name === c.foreignKey);
    const parent = fk ? columnsByTable.get(fk.references.table) : undefined;
    return c.rows >= k && parent !== undefined && open(parent, c.column);
  });
  return { correlations, contingencies, childCounts: childCounts.map((c) => ({ ...c })) };
}
