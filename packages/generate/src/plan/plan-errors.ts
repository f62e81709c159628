/**
 * Why a plan cannot be built, listed all at once: a `PlanError` (a UsageError,
 * exit code 2) carries every problem found, each naming the table and column
 * and saying what to do, so one run shows everything to fix.
 *
 * @example
 * ```ts
 * try { buildPlan(schema, { seed: 1 }); }
 * catch (e) { if (e instanceof PlanError) for (const p of e.problems) console.error(p.message); }
 * ```
 */
import { UsageError } from '@understudy/core';

export type PlanProblemCode =
  | 'unsupported-column'
  | 'unique-capacity'
  | 'unbreakable-cycle'
  | 'missing-parent'
  | 'empty-parent'
  | 'unloaded-reference'
  | 'config'
  | 'deferred-without-key'
  | 'conflicting-keys'
  /** A CHECK no row can satisfy (`x > 5 AND x < 3`, exactly one of two NOT NULL columns). */
  | 'contradictory-check';

export interface PlanProblem {
  readonly code: PlanProblemCode;
  readonly table: string;
  readonly column?: string;
  readonly message: string;
  readonly hint?: string;
  /** `unique-capacity`: the most rows the table can get (a blanket row count is capped at it). */
  readonly limit?: number;
}

/**
 * PlanError
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PlanError) e.problems.filter((p) => p.code === 'unique-capacity'); }
 * ```
 */
export class PlanError extends UsageError {
  readonly problems: readonly PlanProblem[];

  constructor(problems: readonly PlanProblem[]) {
    const lines = problems.map((p) => `  - ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
    super(`cannot plan the data: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`, {
      hint: 'Fix the schema, lower the row counts, or give these columns a generator in the config (tables.<table>.columns.<column>).',
    });
    this.problems = problems;
  }
}
