/**
 * Applies one migration step (a script or a command) on a rehearsal target and
 * traces it. A script runs in one transaction when its tool would
 * (`inTransaction`), else each statement in its own; a statement that cannot
 * run in a transaction (CREATE INDEX CONCURRENTLY) runs outside it (commit,
 * run, begin again). The first failing statement stops the step; the rows that
 * caused it are looked up (`diagnose`) before the transaction is rolled back.
 * A statement that acts on the server beyond the rehearsal database (the target
 * says which) is not run but listed in `skipped` (see server-level.ts); a command
 * step is run by command-run.ts.
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
import { skippedRoleIn } from './server-level.js';
import { errorText, isTransactionControl, oneLine } from './statement-text.js';

export interface StepOutcome {
  readonly statements: StatementReport[];
  /** A `--command` step: its exit status, output and watch. */
  readonly command?: CommandReport;
  /** Statements not run: they act on the server beyond the rehearsal database. */
  readonly skipped: SkippedStatementReport[];
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
  /** Roles and users created by statements that were not run, with where: shared by every step of a rehearsal. */
  readonly skippedRoles?: Map<string, string>;
  /** Ends a running `--command` when aborted. */
  readonly signal?: AbortSignal;
}

/** See the module comment. */
export async function runStep(target: RehearsalTarget, step: MigrationStep, context: StepContext): Promise<StepOutcome> {
  if (!isMigrationScript(step)) return runCommand(target, step, context);
  const started = performance.now();
  const statements: StatementReport[] = [];
  const skipped: SkippedStatementReport[] = [];
  let open = false;
  const begin = async (): Promise<void> => {
    await target.begin();
    open = true;
  };
  const end = async (commit: boolean): Promise<void> => {
    if (!open) return;
    open = false;
    if (commit) await target.commit();
    else await target.rollback();
  };
  if (step.inTransaction) await begin();
  try {
    for (const statement of step.statements) {
      if (isTransactionControl(statement.text)) continue;
      const where = { file: statement.file, line: statement.line, sql: oneLine(statement.text) };
      if (statement.copyData !== undefined) {
        await end(false);
        return { statements, skipped, durationMs: performance.now() - started, failure: { ...where, error: 'COPY … FROM stdin inside a migration cannot be rehearsed yet: load that data with INSERT statements' } };
      }
      const beyond = target.beyondDatabase?.(statement.text);
      if (beyond) {
        skipped.push({ ...where, effect: beyond.effect });
        if (beyond.creates !== undefined) context.skippedRoles?.set(beyond.creates, `${statement.file}:${statement.line}`);
        continue;
      }
      if (!statement.transactional) await end(true);
      else if (!step.inTransaction) await begin();
      try {
        const trace = await target.execute(statement.text);
        statements.push({ ...where, durationMs: trace.durationMs, rowsAffected: trace.rowsAffected, locks: [...trace.locks], rewrites: [...trace.rewrites], ...(trace.alter ? { alter: trace.alter } : {}) });
      } catch (error) {
        const role = skippedRoleIn(statement.text, context.skippedRoles);
        if (role) {
          // It failed for want of a role the rehearsal did not create: not run either (its savepoint undid it).
          skipped.push({ ...where, effect: `needs role ${role[0]}, created at ${role[1]}, which was not run` });
          if (!statement.transactional && step.inTransaction) await begin();
          else if (!step.inTransaction) await end(true);
          continue;
        }
        const offendingRows = context.diagnose === false ? undefined : await target.diagnose(statement.text, error, context.schema).catch(() => undefined);
        await end(false);
        return { statements, skipped, durationMs: performance.now() - started, failure: { ...where, error: errorText(error), ...(offendingRows ? { offendingRows: { ...offendingRows, rows: offendingRows.rows.map((r) => ({ ...r })) } } : {}) } };
      }
      if (!statement.transactional && step.inTransaction) await begin();
      else if (!step.inTransaction) await end(true);
    }
  } catch (error) {
    await end(false).catch(() => undefined);
    throw error;
  }
  try {
    await end(true);
  } catch (error) {
    return { statements, skipped, durationMs: performance.now() - started, failure: { file: step.file, error: `COMMIT failed: ${errorText(error)}` } };
  }
  return { statements, skipped, durationMs: performance.now() - started };
}
