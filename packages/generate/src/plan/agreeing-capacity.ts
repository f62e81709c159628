/**
 * How many rows the `agreeing` picks of a plan can give (foreign keys that share columns): the
 * pairs of parent rows that agree are known only from the parents' values, so they are counted
 * here, once the plan is made, by computing those values (the second parent's rows, and the
 * first's until there are enough pairs; every worker then indexes both).
 * A table whose distinct pairs are fewer than its rows gets a problem with the limit (a blanket
 * row count is then capped to it); a table whose parents agree nowhere gets a problem.
 *
 * @example
 * ```ts
 * agreeingShortfalls(plan); // [{ code: 'unique-capacity', table: 'public.prpga', limit: 129, … }]
 * ```
 */
import type { CompiledPlan } from '../row/compiled-plan.js';
import { noAgreeingPairs } from '../row/pick-evaluator.js';
import type { Plan } from './plan-model.js';
import type { PlanProblem } from './plan-errors.js';

/** Too few parent rows with values of their own for a unique key over part of a composite foreign key. */
function distinctShortfall(table: string, rows: number, count: number, pick: Extract<Plan['tables'][string]['picks'][string], { kind: 'permutation' }>): PlanProblem {
  const columns = pick.distinct!.columns.join(', ');
  return {
    code: 'unique-capacity',
    table,
    column: columns,
    message: `${table}: ${pick.distinct!.key} needs a row of ${pick.table} with its own ${columns} per row (the key is part of a foreign key to it), and ${pick.table} has ${count} different: at most ${count} rows, but ${rows} were requested`,
    hint: `lower the rows of ${table}, or raise those of ${pick.table} and of the table its ${columns} references`,
    limit: count,
  };
}

export function agreeingShortfalls(plan: Plan, compiled: CompiledPlan): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const key of plan.loadOrder) {
    const table = plan.tables[key]!;
    if (table.rows === 0) continue;
    for (const [id, pick] of Object.entries(table.picks)) {
      if (pick.kind === 'permutation' && pick.distinct !== undefined) {
        const count = compiled.table(key).distinctCount(id);
        if (table.rows > count) problems.push(distinctShortfall(key, table.rows, count, pick));
        continue;
      }
      if (pick.kind !== 'agreeing') continue;
      const count = compiled.table(key).agreeingCount(id, pick.distinct !== undefined ? table.rows : 1);
      const [first, second] = pick.tables;
      const shared = pick.on.map(([a, b]) => (a === b ? a : `${a} = ${b}`)).join(', ');
      const column = pick.on.map(([a]) => a).join(', ');
      const fks = `foreign keys ${pick.foreignKeys.join(' and ')} share ${shared}`;
      if (count === 0) {
        const error = noAgreeingPairs(key, pick);
        problems.push({ code: 'empty-parent', table: key, column, message: error.message, ...(error.hint !== undefined ? { hint: error.hint } : {}) });
      } else if (pick.distinct !== undefined && table.rows > count) {
        problems.push({
          code: 'unique-capacity',
          table: key,
          column,
          message: `${key}: ${pick.distinct.key} needs a different pair of rows of ${first} and ${second} per row (${fks}): at most ${count} rows, but ${table.rows} were requested`,
          hint: `lower the rows of ${key}, or raise those of ${first} and ${second}`,
          limit: count,
        });
      }
    }
  }
  return problems;
}
