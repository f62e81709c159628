/**
 * Applies one migration step (a script or a command) on a rehearsal target and
 * traces it. A script runs the way its tool runs it (see run-script.ts); a
 * command runs through the shell with DATABASE_URL set.
 *
 * @example
 * ```ts
 * const outcome = await runStep(target, migration.up, { dir: set.dir, schema });
 * if (outcome.failure) console.log(outcome.failure.error, outcome.failure.offendingRows);
 * ```
 */
import { UsageError, type RehearsalTarget, type Schema } from '@understudy/core';
import type { MigrationStep } from '../migration-model.js';
import { isMigrationScript } from '../migration-model.js';
import type { FailureReport, StatementReport } from '../report/rehearsal-report.js';
import { runCommandStep } from './command-step.js';
import { runScript } from './run-script.js';

export interface StepOutcome {
  readonly statements: StatementReport[];
  readonly failure?: FailureReport;
  readonly durationMs: number;
}

export interface StepContext {
  /** The migration folder (a command's working directory). */
  readonly dir: string;
  /** The schema before the step, for diagnosing a failure (tables created by the step itself are not in it). */
  readonly schema: Schema;
  /** Look up the rows behind a failure (default true). */
  readonly diagnose?: boolean;
}

async function runCommand(target: RehearsalTarget, command: string, context: StepContext): Promise<StepOutcome> {
  if (target.url === undefined) {
    throw new UsageError(`--command needs a database URL to hand the command as DATABASE_URL, and ${target.description} has none`, {
      hint: 'Add --url postgres://user@host:5432/postgres (a server to create the throwaway database on).',
    });
  }
  const result = await runCommandStep(command, { cwd: context.dir, databaseUrl: target.url });
  if (result.exitCode === 0) return { statements: [], durationMs: result.durationMs };
  return {
    statements: [],
    durationMs: result.durationMs,
    failure: { sql: command, error: `command exited with status ${result.exitCode}${result.output ? `: ${result.output}` : ''}` },
  };
}

/** See the module comment. */
export async function runStep(target: RehearsalTarget, step: MigrationStep, context: StepContext): Promise<StepOutcome> {
  return isMigrationScript(step) ? runScript(target, step, context) : runCommand(target, step.command, context);
}
