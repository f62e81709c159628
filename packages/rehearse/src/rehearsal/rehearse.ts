/**
 * `rehearse`: runs a migration set's pending migrations on representative data and reports what
 * happened, in three steps, in the manner of changesets:
 *
 * 1. `planRehearsal` (pure, plan-rehearsal.ts): baseline and pending, seed sizes, estimate
 *    targets, thresholds: a plain `RehearsalPlan` (`rehearse --dry-run` prints it);
 * 2. `runRehearsal` (I/O, run-rehearsal.ts): the throwaway database, the baseline, the seed, the
 *    traced ups, snapshots, the downs, the estimate runs: a `RehearsalRun` of observations;
 * 3. `judgeRehearsal` (pure, judge-rehearsal.ts): diffs, data loss, estimates, hazards: the report.
 *
 * @example
 * ```ts
 * const set = await readMigrations('fixtures/migrations/rehearse/not-null');
 * const report = await rehearse({ set, dialect: postgresDialect, rows: 1000, seed: 1 });
 * process.exitCode = rehearsalExitCode(report);
 * ```
 */
import { selectPending, type PendingOptions } from '../pending.js';
import type { RehearsalReport } from '../report/rehearsal-report.js';
import { judgeRehearsal } from './judge-rehearsal.js';
import { planRehearsal, type PlanRehearsalInput } from './plan-rehearsal.js';
import { runRehearsal, type RunRehearsalOptions } from './run-rehearsal.js';

export { DEFAULT_REHEARSAL_ROWS } from './plan-rehearsal.js';

export interface RehearseOptions extends Omit<RunRehearsalOptions, 'selection'>, Omit<PlanRehearsalInput, 'set' | 'selection' | 'generateConfig' | 'profile'> {
  /** Which migrations are pending (default: the last one). */
  readonly pending?: PendingOptions;
}

/** See the module comment. @throws UsageError for bad options, SqlFileError for a failing baseline, ConnectionError for an unreachable server. */
export async function rehearse(options: RehearseOptions): Promise<RehearsalReport> {
  const selection = await selectPending(options.set, options.pending ?? {});
  const plan = planRehearsal({ ...options, selection });
  const run = await runRehearsal(plan, { ...options, selection });
  return judgeRehearsal(plan, run, selection, options.set);
}
