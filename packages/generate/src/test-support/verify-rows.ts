/**
 * Verifies generated rows against the Schema, independently of the planner:
 * NOT NULL, text length, unique and primary keys, foreign keys (every non-NULL
 * child tuple exists among the parent's generated rows), and every CHECK
 * (evaluated with the test's own SQL evaluator). Tests only.
 *
 * @example
 * ```ts
 * expect(verifyPlanRows(schema, plan)).toEqual([]);
 * ```
 */
import { dialectInfo, type Schema } from '@understudy/core';
import type { Plan } from '../plan/plan-model.js';
import { generateDeferredUpdates, generateRows } from '../row/row-generator.js';
import { checkPasses } from './sql-check-evaluator.js';

type Row = Record<string, unknown>;

function keyOf(values: readonly unknown[], caseInsensitive = false): string {
  return JSON.stringify(values.map((v) => (caseInsensitive && typeof v === 'string' ? v.toLowerCase() : v)));
}

/** All rows of every planned table as objects keyed by column name (deferred values applied). */
export function materialize(plan: Plan): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const key of plan.loadOrder) {
    const table = plan.tables[key]!;
    const names = table.columns.filter((c) => c.load).map((c) => c.name);
    const rows = generateRows(plan, key, 0, table.rows).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])) as Row);
    for (const update of table.deferredUpdates) {
      const byKey = new Map(rows.map((r) => [keyOf(update.keyColumns.map((c) => r[c])), r]));
      for (const u of generateDeferredUpdates(plan, key, 0, table.rows)) {
        if (u.foreignKey !== update.foreignKey) continue;
        const row = byKey.get(keyOf(u.key))!;
        update.columns.forEach((c, i) => (row[c] = u.values[i]));
      }
    }
    out.set(key, rows);
  }
  return out;
}

export function verifyPlanRows(schema: Schema, plan: Plan, options: { caseInsensitiveUnique?: boolean } = {}): string[] {
  const problems: string[] = [];
  const data = materialize(plan);
  const report = (message: string): void => {
    if (problems.length < 20) problems.push(message);
  };
  for (const [key, rows] of data) {
    const table = schema.tables[key]!;
    const planned = plan.tables[key]!;
    for (const column of table.columns) {
      const pc = planned.columns.find((c) => c.name === column.name)!;
      if (!pc.load) continue;
      const domainNotNull = column.domain ? schema.domains[column.domain]?.notNull : false;
      rows.forEach((r, i) => {
        const v = r[column.name];
        if (v === null && (!column.nullable || domainNotNull)) report(`${key}[${i}].${column.name} is NULL but NOT NULL`);
        if (typeof v === 'string' && column.length !== undefined && ['char', 'varchar'].includes(column.kind) && [...v].length > column.length)
          report(`${key}[${i}].${column.name} = ${JSON.stringify(v)} is longer than ${column.length}`);
      });
    }
    const keys = [...(table.primaryKey ? [table.primaryKey.columns] : []), ...table.uniques.map((u) => u.columns.filter((c): c is string => c !== null))];
    for (const k of keys) {
      const seen = new Set<string>();
      rows.forEach((r, i) => {
        const values = k.map((c) => r[c]);
        if (values.some((v) => v === null)) return;
        const id = keyOf(values, options.caseInsensitiveUnique);
        if (seen.has(id)) report(`${key}[${i}] repeats key (${k.join(', ')}) = ${id}`);
        seen.add(id);
      });
    }
    for (const f of table.foreignKeys) {
      const parentRows = data.get(f.references.table);
      if (!parentRows) continue;
      const parentKeys = new Set(parentRows.map((p) => keyOf(f.references.columns.map((c) => p[c]))));
      rows.forEach((r, i) => {
        const values = f.columns.map((c) => r[c]);
        if (values.some((v) => v === null)) return;
        if (!parentKeys.has(keyOf(values))) report(`${key}[${i}] (${f.columns.join(', ')}) = ${keyOf(values)} has no parent in ${f.references.table}`);
      });
    }
    const checks = [
      ...table.checks.map((c) => ({ name: c.name, expression: c.expression, map: (r: Row) => r })),
      ...table.columns.flatMap((column) =>
        (column.domain ? (schema.domains[column.domain]?.checks ?? []) : []).map((c) => ({ name: c.name, expression: c.expression, map: (r: Row) => ({ ...r, VALUE: r[column.name] }) })),
      ),
    ];
    for (const c of checks) {
      const status = planned.checks.find((pc) => pc.name === c.name)?.status;
      if (status !== 'interpreted') continue;
      rows.forEach((r, i) => {
        if (!checkPasses(c.expression, c.map(r), { backslashEscapes: dialectInfo(schema.dialect).syntax.stringEscapes === 'backslash', now: plan.referenceTime.replace('T', ' ').slice(0, 19) })) {
          report(`${key}[${i}] fails CHECK ${c.name}: ${c.expression} with ${JSON.stringify(r)}`);
        }
      });
    }
  }
  return problems;
}
