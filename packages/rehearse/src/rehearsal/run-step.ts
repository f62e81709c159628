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
import { UsageError, type ExternalTrace, type ObservedStatement, type RehearsalTarget, type Schema } from '@understudy/core';
import { inWorktree } from '../git-worktree.js';
import type { MigrationCommand, MigrationStep } from '../migration-model.js';
import { isMigrationScript } from '../migration-model.js';
import type { CommandReport, FailureReport, SkippedStatementReport, StatementReport } from '../report/rehearsal-report.js';
import { runCommandStep } from './command-step.js';
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

/**
 * The observed statements as reports: file `command`, line the order they were seen in. Rewrites
 * are the command's as a whole (`CommandReport.rewrites`): sampling cannot tell which statement made them.
 */
function observedStatements(trace: ExternalTrace): StatementReport[] {
  return trace.statements.map((s, i) => ({ file: 'command', line: i + 1, sql: oneLine(s.sql.replace(/;\s*$/, '')), durationMs: s.durationMs, rowsAffected: null, locks: [...s.locks], rewrites: [] }));
}

/** Statements worth running again to explain a command's failure: those that change the shape or the rows. */
const CHANGING = /^\s*(alter|create|drop|insert|update|delete|merge|truncate|comment|grant|revoke)\b/i;

/**
 * A failed command's last changing statement run again, inside a transaction that is rolled back
 * (only where DDL rolls back): when it fails again, its error and the rows behind it.
 */
async function reproduce(target: RehearsalTarget, seen: readonly ObservedStatement[], context: StepContext): Promise<Pick<FailureReport, 'file' | 'line' | 'sql' | 'offendingRows'> & { error: string } | undefined> {
  const index = seen.findLastIndex((s) => CHANGING.test(s.sql));
  if (!target.transactionalDdl || index < 0 || context.diagnose === false) return undefined;
  const statement = seen[index]!.sql.replace(/;\s*$/, '');
  await target.begin();
  try {
    await target.execute(statement);
    return undefined;
  } catch (error) {
    const rows = await target.diagnose(statement, error, context.schema).catch(() => undefined);
    return { file: 'command', line: index + 1, sql: oneLine(statement), error: errorText(error), ...(rows ? { offendingRows: { ...rows, rows: rows.rows.map((r) => ({ ...r })) } } : {}) };
  } finally {
    await target.rollback();
  }
}

async function runCommand(target: RehearsalTarget, step: MigrationCommand, context: StepContext): Promise<StepOutcome> {
  if (target.url === undefined) {
    throw new UsageError(`--command needs a database URL to hand the command as DATABASE_URL, and ${target.description} has none`, {
      hint: 'Add --url postgres://user@host:5432/postgres (a server to create the throwaway database on).',
    });
  }
  const env = { ...target.commandEnvironment?.(), DATABASE_URL: target.url, UNDERSTUDY_REHEARSAL_STEP: step.at ? 'baseline' : 'pending' };
  const run = (cwd: string) => runCommandStep(step.command, { cwd, env, secretsOf: target.url, ...(context.signal ? { signal: context.signal } : {}) });
  if (step.at) {
    const result = await inWorktree(context.dir, step.at.commit, run);
    const failure = result.exitCode === 0 ? undefined : { sql: step.command, error: `command exited with status ${result.exitCode}${result.output ? `: ${result.output}` : ''}` };
    return { statements: [], skipped: [], durationMs: result.durationMs, ...(failure ? { failure } : {}) };
  }
  // The command's sessions, watched from the rehearsal's own (runCommandStep never throws: the watch always stops).
  const watch = await target.watch?.();
  const result = await run(context.dir);
  const trace = await watch?.stop();
  const command: CommandReport = {
    command: step.command,
    exitCode: result.exitCode,
    output: result.output,
    outputTruncated: result.truncated,
    samples: trace?.samples ?? 0,
    intervalMs: trace?.intervalMs ?? 0,
    rewrites: [...(trace?.rewrites ?? [])],
    notes: [...(trace?.notes ?? []), ...(watch ? [] : [`${target.description} cannot watch other sessions: no locks or statements were traced`])],
  };
  const statements = trace ? observedStatements(trace) : [];
  if (result.exitCode === 0) return { statements, skipped: [], durationMs: result.durationMs, command };
  const lastLine = result.output.split('\n').map((l) => l.trim()).filter(Boolean).at(-1);
  const exited = `command exited with status ${result.exitCode}${lastLine ? `: ${lastLine}` : ''}`;
  const again = trace ? await reproduce(target, trace.statements, context).catch(() => undefined) : undefined;
  const failure: FailureReport = again ? { ...again, error: `${exited}; the last changing statement it was seen running, run again: ${again.error}` } : { sql: step.command, error: exited };
  return { statements, skipped: [], durationMs: result.durationMs, command, failure };
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
