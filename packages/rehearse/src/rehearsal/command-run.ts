/**
 * A `--command` migration step on a rehearsal target. At the merge-base (`at`: the
 * baseline of `--command --since REF`) it runs in a temporary git worktree of that
 * commit. In the current tree it runs watched from outside (`RehearsalTarget.watch`):
 * the statements its sessions were seen running, with their locks, become the step's
 * statements (file `command`, line: the order they were first seen in), and the storage
 * it rewrote, its exit status and its output (secrets removed) its `CommandReport`.
 * A command that fails has its last changing statement run again, in a transaction
 * rolled back, where DDL rolls back: its error and the rows behind it explain the failure.
 *
 * @example
 * ```ts
 * const outcome = await runCommand(target, { command: 'npx knex migrate:latest' }, { dir: '.', schema });
 * outcome.command?.output; // 'Batch 2 run: 1 migrations'
 * ```
 */
import { UsageError, type ExternalTrace, type ObservedStatement, type RehearsalTarget } from '@understudy/core';
import { inWorktree } from '../git-worktree.js';
import type { MigrationCommand } from '../migration-model.js';
import type { CommandReport, FailureReport, StatementReport } from '../report/rehearsal-report.js';
import { runCommandStep } from './command-step.js';
import type { StepContext, StepOutcome } from './run-step.js';
import { errorText, oneLine } from './statement-text.js';

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
async function reproduce(
  target: RehearsalTarget,
  seen: readonly ObservedStatement[],
  context: StepContext,
): Promise<(Pick<FailureReport, 'file' | 'line' | 'sql' | 'offendingRows'> & { error: string }) | undefined> {
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

/** See the module comment. */
export async function runCommand(target: RehearsalTarget, step: MigrationCommand, context: StepContext): Promise<StepOutcome> {
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
  const lastLine = result.output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  const exited = `command exited with status ${result.exitCode}${lastLine ? `: ${lastLine}` : ''}`;
  const again = trace ? await reproduce(target, trace.statements, context).catch(() => undefined) : undefined;
  const failure: FailureReport = again ? { ...again, error: `${exited}; the last changing statement it was seen running, run again: ${again.error}` } : { sql: step.command, error: exited };
  return { statements, skipped: [], durationMs: result.durationMs, command, failure };
}
