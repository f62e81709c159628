/**
 * The CHECKs a column's planned generator does not honour, although they were
 * understood: a key role decided elsewhere ignores the column's CHECK rules. A
 * sequence key (`start + rowIndex × step`) can leave a CHECK's bounds or list, a
 * foreign key copies its parent's keys whatever the child's CHECKs say, and a
 * distinct tuple does not skip excluded values or follow an ordering. Such a
 * CHECK is reported `partial` with the reason, never `interpreted`.
 *
 * @example
 * ```ts
 * unhonouredChecks(planColumn, rules, 1000);
 * // Map { 'orders_customer_positive' => 'customer_id copies keys of public.customer(id), whatever the CHECK says' }
 * ```
 */
import type { ColumnRules } from './column-rules.js';
import { numericBound } from './concrete-generator.js';
import type { PlanColumn } from './plan-model.js';

/** Why a sequence's values `start + i × step` (i < rows) break the column's bounds, list or exclusions, by CHECK. */
function sequenceBreaks(column: PlanColumn, rules: ColumnRules, rows: number): Map<string, string> {
  const out = new Map<string, string>();
  if (rows === 0) return out;
  const start = Number(column.generator!.params['start'] ?? 1);
  const step = Number(column.generator!.params['step'] ?? 1);
  const last = start + (rows - 1) * step;
  const lo = Math.min(start, last);
  const hi = Math.max(start, last);
  const why = `${column.name} is numbered ${start}, ${start + step}, … ${last} by its sequence`;
  const min = numericBound(rules.min);
  const max = numericBound(rules.max);
  if (min !== undefined && (rules.min!.exclusive ? lo <= min : lo < min)) out.set(rules.sources.min!, why);
  if (max !== undefined && (rules.max!.exclusive ? hi >= max : hi > max)) out.set(rules.sources.max!, why);
  if (rules.values !== undefined) {
    const listed = new Set(rules.values.map(Number));
    let inside = rows <= listed.size;
    for (let i = 0; inside && i < rows; i++) inside = listed.has(start + i * step);
    if (!inside) out.set(rules.sources.values!, why);
  }
  const hit = rules.exclude.map(Number).some((v) => Number.isInteger((v - start) / step) && v >= lo && v <= hi);
  if (hit) out.set(rules.sources.exclude!, why);
  return out;
}

/** A foreign-key column copies its parent's keys: none of its CHECKs on values is generated. */
function parentKeys(column: PlanColumn, rules: ColumnRules): Map<string, string> {
  const parent = `${String(column.generator!.params['table'])}(${String(column.generator!.params['column'])})`;
  return new Map(rules.valueChecks.map((check) => [check, `${column.name} copies keys of ${parent}, whatever the CHECK says`]));
}

/**
 * The understood CHECKs (by name) that `column`'s generator will not honour, and why.
 *
 * @example
 * ```ts
 * for (const [check, why] of unhonouredChecks(column, rulesOf(column.name), rows)) unmet.set(check, why);
 * ```
 */
export function unhonouredChecks(column: PlanColumn, rules: ColumnRules, rows: number): Map<string, string> {
  const generator = column.generator;
  if (!column.load || generator === null) return new Map();
  switch (generator.name) {
    case 'sequence':
      return sequenceBreaks(column, rules, rows);
    case 'reference':
      return parentKeys(column, rules);
    case 'tuple': {
      if (generator.params['valueType'] === 'parent') return parentKeys(column, rules);
      const out = new Map<string, string>();
      if (rules.exclude.length > 0 && generator.params['valueType'] !== 'values') out.set(rules.sources.exclude!, `${column.name} enumerates a distinct tuple and does not skip excluded values`);
      for (const after of rules.after) out.set(after.check, `${column.name} enumerates a distinct tuple and does not follow ${after.column}`);
      return out;
    }
    default:
      return new Map();
  }
}
