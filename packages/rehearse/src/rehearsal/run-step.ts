/**
 * Applies one migration step (a script or a command) on a rehearsal target and
 * traces it. A script runs in one transaction when its tool would
 * (`inTransaction`), else each statement in its own; a statement that cannot
 * run in a transaction (CREATE INDEX CONCURRENTLY) runs outside it (commit,
 * run, begin again). The first failing statement stops the step; the rows that
 * caused it are looked up (`diagnose`) before the transaction is rolled back.
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
import type { FailureReport, SkippedStatementReport, StatementReport } from '../report/rehearsal-report.js';
import { runCommandStep } from './command-step.js';
import { errorText, isTransactionControl, oneLine } from './statement-text.js';

export interface StepOutcome {
  readonly statements: StatementReport[];
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
}

async function runCommand(target: RehearsalTarget, command: string, context: StepContext): Promise<StepOutcome> {
  if (target.url === undefined) {
    throw new UsageError(`--command needs a database URL to hand the command as DATABASE_URL, and ${target.description} has none`, {
      hint: 'Add --url postgres://user@host:5432/postgres (a server to create the throwaway database on).',
    });
  }
  const result = await runCommandStep(command, { cwd: context.dir, databaseUrl: target.url });
  if (result.exitCode === 0) return { statements: [], skipped: [], durationMs: result.durationMs };
  return {
    statements: [],
    skipped: [],
    durationMs: result.durationMs,
    failure: { sql: command, error: `command exited with status ${result.exitCode}${result.output ? `: ${result.output}` : ''}` },
  };
}

/** The first role of `roles` that `text` names (as a word, or double-quoted), with where it was created. */
function skippedRoleIn(text: string, roles: ReadonlyMap<string, string> | undefined): [string, string] | undefined {
  for (const [role, where] of roles ?? []) {
    const name = role.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^\\w$"'\`])["'\`]?${name}["'\`]?([^\\w$]|$)`, 'i').test(text)) return [role, where];
  }
  return undefined;
}

/** See the module comment. */
export async function runStep(target: RehearsalTarget, step: MigrationStep, context: StepContext): Promise<StepOutcome> {
  if (!isMigrationScript(step)) return runCommand(target, step.command, context);
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
