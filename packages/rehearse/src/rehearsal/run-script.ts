/**
 * Runs a migration script on a rehearsal target the way its tool runs it
 * (`MigrationScript.transaction`, see migration-model.ts), tracing each statement:
 *
 * - `file`: one transaction around the script;
 * - `implicit`: one transaction when the script holds more than one statement
 *   (PostgreSQL's implicit transaction for a multi-statement query), none for a lone one;
 *   after a `COMMIT` written in the script the rest runs in a new implicit transaction;
 * - `none`: each statement on its own.
 *
 * `BEGIN`, `COMMIT` and `ROLLBACK` written in the script are honoured as the server
 * would: a `BEGIN` inside an open transaction changes nothing, a `COMMIT` ends it. The
 * transaction modes a file gives (`BEGIN ISOLATION LEVEL SERIALIZABLE`; on PostgreSQL a
 * `SET TRANSACTION …` before the transaction's first query, langfuse's `BEGIN; SET TRANSACTION
 * ISOLATION LEVEL REPEATABLE READ;`) start the transaction: the rehearsal's own catalog
 * readings come after them, as the server requires. A
 * statement outside any transaction still runs in a short one of its own (so its locks
 * can be traced), unless it cannot run in one (CREATE INDEX CONCURRENTLY): then it runs
 * bare. Inside a transaction such a statement is sent all the same, and fails as it would
 * in production; its error then says what to change (`transactionHint`).
 *
 * The baseline (`StepContext.traced` false) runs each statement through `RehearsalTarget.run`,
 * untraced, where the target has it: the same transactions, no catalog readings around it.
 *
 * The first failing statement stops the script: the rows behind it are looked up
 * (`diagnose`) before the transaction is rolled back. A statement that acts on the
 * server beyond the rehearsal database (`RehearsalTarget.beyondDatabase`) is not run
 * but listed in `skipped`, and so is one that fails for want of a role such a
 * statement would have made (the target's per-statement savepoint undid it).
 *
 * @example
 * ```ts
 * const outcome = await runScript(target, script, { dir: set.dir, schema });
 * if (outcome.failure) console.log(outcome.failure.error);
 * ```
 */
import type { RehearsalTarget, StatementTrace } from '@understudy/core';
import type { MigrationScript, MigrationStatement } from '../migration-model.js';
import type { FailureReport, SkippedStatementReport, StatementReport } from '../report/rehearsal-report.js';
import type { StepContext, StepOutcome } from './run-step.js';
import { schemaWithoutOwner, skippedRoleIn } from './server-level.js';
import { errorText, oneLine, transactionControl, transactionModes, withoutPasswords } from './statement-text.js';

/** Who opened the transaction that is open: the tool (or the server's implicit one), or a BEGIN in the file. */
type Opener = { readonly by: 'tool' } | { readonly by: 'file'; readonly statement: MigrationStatement };

function where(statement: MigrationStatement): { file: string; line: number; sql: string } {
  // Passwords a statement gives (`CREATE USER app PASSWORD 'root'`) are not repeated in a report.
  return { file: statement.file, line: statement.line, sql: oneLine(withoutPasswords(statement.text)) };
}

/** What to change so the statement runs outside the transaction it failed in. */
function outsideHint(step: MigrationScript, opener: Opener): string | undefined {
  if (opener.by === 'file') return `the BEGIN at ${opener.statement.file}:${opener.statement.line} opens that transaction: run this statement outside it`;
  return step.transactionHint;
}

/** What a traced statement did, for the report. */
function statementReport(statement: MigrationStatement, trace: StatementTrace): StatementReport {
  return {
    ...where(statement),
    durationMs: trace.durationMs,
    rowsAffected: trace.rowsAffected,
    locks: [...trace.locks],
    rewrites: [...trace.rewrites],
    ...(trace.alter ? { alter: trace.alter } : {}),
    ...(trace.reads ? { reads: trace.reads.map((r) => ({ ...r })) } : {}),
  };
}

/** Sends one statement as the step runs them: traced (its report), or (the baseline) bare; adds the time the database spent on it to `spent`. */
async function sendStatement(target: RehearsalTarget, context: StepContext, statement: MigrationStatement, spent: { ms: number }): Promise<StatementReport | undefined> {
  const started = performance.now();
  if (context.traced === false && target.run) {
    try {
      // A statement that fails for want of a role not created is skipped (below): the transaction must survive it.
      await target.run(statement.text, { recoverable: (context.skippedRoles?.size ?? 0) > 0 });
    } finally {
      spent.ms += performance.now() - started;
    }
    return undefined;
  }
  let trace: StatementTrace;
  try {
    trace = await target.execute(statement.text);
  } catch (error) {
    spent.ms += performance.now() - started;
    throw error;
  }
  // The statement's own time, not the readings that trace it.
  const report = statementReport(statement, trace);
  spent.ms += report.durationMs;
  return report;
}

/**
 * A failed statement that names a role a statement not run would have created: not run either. A schema
 * owned by that role (supabase/auth's `CREATE SCHEMA auth AUTHORIZATION supabase_auth_admin`) is created
 * without its owner, the rehearsal user's, since the migrations need the schema, not its owner.
 */
async function skippedForRole(statement: MigrationStatement, context: StepContext, send: (s: MigrationStatement) => Promise<void>): Promise<SkippedStatementReport | undefined> {
  const role = skippedRoleIn(statement.text, context.skippedRoles);
  if (!role) return undefined;
  const owned = schemaWithoutOwner(statement.text, role[0]);
  const at = where(statement);
  if (
    owned !== undefined &&
    (await send({ ...statement, text: owned }).then(
      () => true,
      () => false,
    ))
  ) {
    return { ...at, sql: `the AUTHORIZATION ${role[0]} of ${at.sql}`, effect: `needs role ${role[0]}, created at ${role[1]}, which was not run: the schema was created owned by the rehearsal's user` };
  }
  return { ...at, effect: `needs role ${role[0]}, created at ${role[1]}, which was not run` };
}

/** See the module comment. */
export async function runScript(target: RehearsalTarget, step: MigrationScript, context: StepContext): Promise<StepOutcome> {
  const statements: StatementReport[] = [];
  const skipped: SkippedStatementReport[] = [];
  // The time the database spent: each statement's own time and each COMMIT's, not the catalog readings that trace
  // them (1,074 COMMENT ON statements took 0.17 s in PGlite and 14 s with their tracing).
  const spent = { ms: 0 };
  const done = (failure?: FailureReport): StepOutcome => ({ statements, skipped, durationMs: spent.ms, ...(failure ? { failure } : {}) });
  // A lone statement sent as a query runs outside any transaction block.
  const mode = step.transaction === 'implicit' && step.statements.length <= 1 ? 'none' : step.transaction;
  let opener: Opener | undefined;
  // No statement of the file has run in the open transaction yet: its modes can still be set.
  let fresh = false;

  const begin = async (by: Opener, modes?: string): Promise<void> => {
    await target.begin(modes);
    opener = by;
    fresh = true;
  };
  /** Starts the open transaction again with `modes`: nothing has run in it but the rehearsal's own readings. */
  const restart = async (modes: string): Promise<void> => {
    await target.rollback();
    await begin(opener!, modes);
  };
  const end = async (commit: boolean): Promise<void> => {
    if (!opener) return;
    opener = undefined;
    const started = performance.now();
    await (commit ? target.commit() : target.rollback()).finally(() => (spent.ms += performance.now() - started));
  };
  /** Runs one statement, traced; on failure, diagnoses it and rolls back. */
  const run = async (statement: MigrationStatement): Promise<FailureReport | undefined> => {
    fresh = false;
    const send = async (sent: MigrationStatement): Promise<void> => {
      const report = await sendStatement(target, context, sent, spent);
      if (report) statements.push(report);
    };
    try {
      await send(statement);
      return undefined;
    } catch (error) {
      const skip = await skippedForRole(statement, context, send);
      if (skip) {
        skipped.push(skip);
        return undefined;
      }
      const offendingRows = context.diagnose === false ? undefined : await target.diagnose(statement.text, error, context.schema).catch(() => undefined);
      const hint = !statement.transactional && opener ? outsideHint(step, opener) : undefined;
      await end(false);
      return {
        ...where(statement),
        error: hint ? `${errorText(error)} (${hint})` : errorText(error),
        ...(offendingRows ? { offendingRows: { ...offendingRows, rows: offendingRows.rows.map((r) => ({ ...r })) } } : {}),
      };
    }
  };
  const commitFailure = async (statement: MigrationStatement | undefined): Promise<FailureReport | undefined> => {
    try {
      await end(true);
      return undefined;
    } catch (error) {
      return { ...(statement ? where(statement) : { file: step.file }), error: `COMMIT failed: ${errorText(error)}` };
    }
  };

  try {
    if (mode !== 'none') await begin({ by: 'tool' });
    for (const statement of step.statements) {
      const control = transactionControl(statement.text);
      const modes = transactionModes(statement.text);
      if (control === 'begin') {
        // Inside an open transaction PostgreSQL only warns ("there is already a transaction in progress"),
        // and takes the BEGIN's modes if no query has run in it.
        if (!opener) await begin({ by: 'file', statement }, modes?.modes);
        else if (modes && fresh) await restart(modes.modes);
        continue;
      }
      // PostgreSQL's SET TRANSACTION: the transaction it is about to run in starts with its modes.
      const setModes = modes?.from === 'set' && target.setTransactionBeforeFirstQuery === true ? modes.modes : undefined;
      if (setModes && opener && fresh) await restart(setModes);
      if (control === 'commit') {
        const failure = await commitFailure(statement);
        if (failure) return done(failure);
        continue;
      }
      if (control === 'rollback') {
        await end(false);
        continue;
      }
      if (statement.copyData !== undefined) {
        await end(false);
        return done({ ...where(statement), error: 'COPY … FROM stdin inside a migration cannot be rehearsed yet: load that data with INSERT statements' });
      }
      const beyond = target.beyondDatabase?.(statement.text);
      if (beyond) {
        skipped.push({ ...where(statement), effect: beyond.effect });
        if (beyond.creates !== undefined) context.skippedRoles?.set(beyond.creates, `${statement.file}:${statement.line}`);
        continue;
      }
      // After a COMMIT written in a multi-statement query, the rest of the query is a new implicit transaction.
      if (!opener && mode === 'implicit') await begin({ by: 'tool' }, setModes);
      if (opener) {
        const failure = await run(statement);
        if (failure) return done(failure);
      } else if (!statement.transactional) {
        const failure = await run(statement);
        if (failure) return done(failure);
      } else {
        await begin({ by: 'tool' }, setModes);
        const failure = (await run(statement)) ?? (await commitFailure(statement));
        if (failure) return done(failure);
      }
    }
  } catch (error) {
    await end(false).catch(() => undefined);
    throw error;
  }
  if (opener?.by === 'file' && mode === 'none') {
    // psql (Sqitch, a plain runner) ends its session here, and the server rolls the open transaction back.
    const { statement } = opener;
    await end(false);
    return done({
      ...where(statement),
      error: `the transaction this BEGIN opens is never committed: when the session ends, the server rolls back every change after ${statement.file}:${statement.line}`,
    });
  }
  return done(await commitFailure(undefined));
}
