/**
 * What to tell a user when a statement of a load fails for a reason outside
 * their data, with what to do:
 *
 * - 55P03 lock_not_available: the statement waited `lock_timeout` for a lock
 *   another session holds. The load is rolled back first (its own locks go),
 *   then the sessions holding locks on the schema's tables are read from
 *   pg_locks and named: table, pid, application, user, state and for how long.
 * - 55006 "pending trigger events": a DEFERRABLE INITIALLY DEFERRED constraint
 *   trigger queued an event per loaded row, and PostgreSQL cannot alter a table
 *   (to put its keys back) while they are pending. The triggers are named.
 * - a lost connection (the server crashed, was killed or restarted: 57P01–57P03,
 *   "Connection terminated"): nothing was committed, and the server rolls the
 *   transaction back itself, after crash recovery too.
 *
 * @example
 * ```ts
 * const known = await explainLoadFailure(driver, error, { namespaces: ['public'], lockTimeoutMs: 10_000 });
 * known?.message; // 'waited 10 s for a lock: public.film is held by another session (pid 4242, …)'
 * ```
 */
import type { PgLoadDriver } from './postgres-load-session.js';

export interface LoadFailureContext {
  /** The schema's namespaces: where to look for locked tables and deferred triggers. */
  readonly namespaces: readonly string[];
  readonly lockTimeoutMs: number;
}

export interface ExplainedFailure {
  readonly message: string;
  readonly hint: string;
}

interface LockHolder {
  readonly table: string;
  readonly mode: string;
  readonly pid: number;
  readonly application: string | null;
  readonly usename: string | null;
  readonly state: string | null;
  readonly seconds: number | null;
}

/** Relation locks other sessions hold on the namespaces' tables (an index's lock counts for its table), longest-held first. */
const LOCK_HOLDERS_SQL = `
  SELECT DISTINCT ON (l.pid, t.oid)
         format('%I.%I', n.nspname, t.relname) AS "table", l.mode, l.pid,
         a.application_name AS application, a.usename, a.state,
         extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::int AS seconds
    FROM pg_catalog.pg_locks l
    JOIN pg_catalog.pg_class c ON c.oid = l.relation
    LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid
    JOIN pg_catalog.pg_class t ON t.oid = coalesce(i.indrelid, c.oid)
    JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
   WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
     AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
     AND n.nspname = ANY($1::text[])
   ORDER BY l.pid, t.oid`;

/** Other sessions of this database with an open transaction, when no relation lock explains the wait (a row lock). */
const OPEN_TRANSACTIONS_SQL = `
  SELECT '' AS "table", '' AS mode, pid, application_name AS application, usename, state,
         extract(epoch FROM now() - xact_start)::int AS seconds
    FROM pg_catalog.pg_stat_activity
   WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
   ORDER BY xact_start LIMIT 5`;

const DEFERRED_TRIGGERS_SQL = `
  SELECT format('%I.%I', n.nspname, c.relname) AS "table", t.tgname AS name
    FROM pg_catalog.pg_trigger t
    JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE t.tgdeferrable AND t.tginitdeferred AND NOT t.tgisinternal AND n.nspname = ANY($1::text[])
   ORDER BY 1, 2`;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function describeSession(h: LockHolder): string {
  const parts = [`pid ${h.pid}`];
  if (h.application) parts.push(`application "${h.application}"`);
  if (h.usename) parts.push(`user ${h.usename}`);
  if (h.state) parts.push(`${h.state}${h.seconds !== null ? ` for ${h.seconds} s` : ''}`);
  return parts.join(', ');
}

async function lockTimeout(driver: PgLoadDriver, context: LoadFailureContext): Promise<ExplainedFailure> {
  // Our own locks go with the rollback; the other session's stay and show who it is.
  await driver.query('ROLLBACK').catch(() => undefined);
  const holders = await driver.query<LockHolder>(LOCK_HOLDERS_SQL, [[...context.namespaces]]).catch(() => [] as LockHolder[]);
  const sessions = holders.length > 0 ? holders : await driver.query<LockHolder>(OPEN_TRANSACTIONS_SQL).catch(() => [] as LockHolder[]);
  const byPid = new Map<number, LockHolder[]>();
  for (const h of sessions) byPid.set(h.pid, [...(byPid.get(h.pid) ?? []), h]);
  const who = [...byPid.values()].slice(0, 3).map((held) => {
    const tables = held.map((h) => h.table).filter(Boolean);
    if (tables.length === 0) return `another session has a transaction open (${describeSession(held[0]!)})`;
    const named = `${tables.slice(0, 4).join(', ')}${tables.length > 4 ? ` and ${tables.length - 4} more` : ''}`;
    return `${tables.length > 1 ? 'tables' : 'table'} ${named} ${tables.length > 1 ? 'are' : 'is'} locked by another session (${describeSession(held[0]!)})`;
  });
  const pids = [...byPid.keys()].slice(0, 3);
  return {
    message: `waited ${seconds(context.lockTimeoutMs)} for a lock and gave up: ${who.length > 0 ? who.join('; ') : 'another session holds it (it ended before it could be named)'}`,
    hint:
      "Nothing was changed: the load was rolled back. End that session's transaction" +
      (pids.length > 0 ? ` (if it is stuck: SELECT pg_terminate_backend(${pids.join('), pg_terminate_backend(')}))` : '') +
      ' and seed again, or let the seed wait longer: --lock-timeout 60s (target.lockTimeout in the config; 0 waits without limit).',
  };
}

async function pendingTriggerEvents(driver: PgLoadDriver, context: LoadFailureContext): Promise<ExplainedFailure | undefined> {
  await driver.query('ROLLBACK').catch(() => undefined);
  const triggers = await driver.query<{ table: string; name: string }>(DEFERRED_TRIGGERS_SQL, [[...context.namespaces]]).catch(() => []);
  const named = triggers.slice(0, 3).map((t) => `${t.name} on ${t.table}`);
  const disable = triggers[0] ? ` (ALTER TABLE ${triggers[0].table} DISABLE TRIGGER ${triggers[0].name})` : '';
  return {
    message: `a deferred constraint trigger${named.length > 0 ? ` (${named.join(', ')}${triggers.length > 3 ? ', …' : ''})` : ''} queued an event for every loaded row, and PostgreSQL cannot change a table's keys while its trigger events are pending (the load rebuilds keys after the rows are in)`,
    hint: `Nothing was changed: the load was rolled back. Let the load disable user triggers (the default, which a config's triggers: 'run' turns off), disable this one while seeding${disable}, or make it INITIALLY IMMEDIATE on the database you seed.`,
  };
}

const LOST = /Connection terminated|connection (was )?(closed|lost|ended)|server closed the connection|ECONNRESET|EPIPE|terminating connection/i;

function lostConnection(error: unknown): ExplainedFailure | undefined {
  const e = error as { code?: string; message?: string };
  if (!['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE'].includes(e.code ?? '') && !LOST.test(e.message ?? '')) return undefined;
  return {
    message: `the connection to the server was lost (${e.message ?? e.code}): it may have crashed, been stopped or restarted`,
    hint: 'Nothing was committed: PostgreSQL rolls an unfinished transaction back itself, after a crash too. Check that the server is up (pg_isready), then seed again.',
  };
}

/**
 * A message and hint for a failure with a known cause outside the data (see the module comment), or
 * undefined. May roll the load back (it is failing anyway) to read the catalog.
 */
export async function explainLoadFailure(driver: PgLoadDriver, error: unknown, context: LoadFailureContext): Promise<ExplainedFailure | undefined> {
  const e = error as { code?: string; message?: string };
  if (e.code === '55P03') return lockTimeout(driver, context);
  if (e.code === '55006' && /pending trigger events/.test(e.message ?? '')) return pendingTriggerEvents(driver, context);
  return lostConnection(error);
}
