/**
 * Applies one migration step (a script or a command) on a rehearsal target and
 * traces it. A script runs the way its tool runs it (see run-script.ts): a
 * statement that acts on the server beyond the rehearsal database (the target
 * says which) is not run but listed in `skipped` (see server-level.ts); a
 * command step is run by command-run.ts.
 *
 * @example
 * ```ts
 * const outcome = await runStep(target, migration.up, { dir: set.dir, schema });
 * if (outcome.failure) console.log(outcome.failure.error, outcome.failure.offendingRows);
 * ```
 */
import type { RehearsalTarget, Schema } from '@understudy/core';
import type { MigrationStep } from '../migration-model.js';
import { isMigrationScript } from '../migration-model.js';
import type { CommandReport, FailureReport, SkippedStatementReport, StatementReport } from '../report/rehearsal-report.js';
import { runCommand } from './command-run.js';
import { runScript } from './run-script.js';

export interface StepOutcome {
  readonly statements: StatementReport[];
  /** A `--command` step: its exit status, output and watch. */
  readonly command?: CommandReport;
  /** Statements not run: they act on the server beyond the rehearsal database. */
  readonly skipped: SkippedStatementReport[];
  readonly failure?: FailureReport;
  /** A script's: the time its statements and COMMITs took in the database, not the tracing around them; a command's: its wall time. */
  readonly durationMs: number;
}

export interface StepContext {
  /** The migration folder (a command's working directory). */
  readonly dir: string;
  /** The schema before the step, for diagnosing a failure (tables created by the step itself are not in it). */
  readonly schema: Schema;
  /**
   * Trace each statement (default true). The baseline is not traced (`RehearsalTarget.run`): its
   * outcome lists no statements, only what was skipped and the failure.
   */
  readonly traced?: boolean;
  /** Look up the rows behind a failure (default true). */
  readonly diagnose?: boolean;
  /** Roles and users created by statements that were not run, with where: shared by every step of a rehearsal. */
  readonly skippedRoles?: Map<string, string>;
  /** Ends a running `--command` when aborted. */
  readonly signal?: AbortSignal;
}

/** See the module comment. */
export async function runStep(target: RehearsalTarget, step: MigrationStep, context: StepContext): Promise<StepOutcome> {
  return isMigrationScript(step) ? runScript(target, step, context) : runCommand(target, step, context);
}
