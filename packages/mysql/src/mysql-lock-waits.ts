/**
 * Lock waits of a MySQL/MariaDB load: the session's `lock_wait_timeout`
 * (metadata locks: a DELETE behind another session's open transaction on the
 * table waits a year by default) and `innodb_lock_wait_timeout` (row locks) are
 * set to the load's lock timeout, and a wait that gives up (1205) is explained:
 * the sessions with an open transaction, or else the other sessions on the
 * database, by thread id, user, host and for how long.
 *
 * @example
 * ```ts
 * await conn.query(lockWaitSql(10_000)); // SET SESSION lock_wait_timeout = 10, innodb_lock_wait_timeout = 10
 * const known = await explainLockWait(conn, error, 10_000);
 * ```
 */
import type { Connection } from 'mysql2/promise';
import { asDriverError } from './mysql-errors.js';

const LOCK_WAIT_TIMEOUT = 1205;

/** The statement that bounds this session's lock waits, or undefined for 0 (the server's defaults: no practical limit). */
export function lockWaitSql(timeoutMs: number): string | undefined {
  if (timeoutMs <= 0) return undefined;
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  return `SET SESSION lock_wait_timeout = ${seconds}, innodb_lock_wait_timeout = ${seconds}`;
}

interface Session {
  readonly id: number;
  readonly user: string | null;
  readonly host: string | null;
  readonly db: string | null;
  readonly command: string | null;
  readonly seconds: number | null;
}

const OPEN_TRANSACTIONS_SQL = `
  SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.DB AS db, p.COMMAND AS command, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) AS seconds
    FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id
   WHERE p.ID <> CONNECTION_ID() ORDER BY p.DB <=> DATABASE() DESC, t.trx_started LIMIT 5`;

const OTHER_SESSIONS_SQL = `
  SELECT ID AS id, USER AS user, HOST AS host, DB AS db, COMMAND AS command, TIME AS seconds
    FROM information_schema.PROCESSLIST
   WHERE ID <> CONNECTION_ID() AND DB = DATABASE() AND COMMAND NOT IN ('Daemon', 'Binlog Dump') ORDER BY TIME DESC LIMIT 5`;

async function rows(conn: Connection, text: string): Promise<Session[]> {
  try {
    const [result] = await conn.query(text);
    return result as Session[];
  } catch {
    return [];
  }
}

function describe(s: Session): string {
  return [
    `thread ${s.id}`,
    s.user ? `user ${s.user}` : '',
    s.host ? `from ${s.host}` : '',
    s.db ? `database ${s.db}` : '',
    s.command ? `${s.command.toLowerCase()}${s.seconds !== null ? ` for ${s.seconds} s` : ''}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * A message and hint for a lock wait that timed out (1205), or undefined for any other error.
 * @example
 * ```ts
 * (await explainLockWait(conn, error, 10_000))?.message; // 'waited 10 s for a lock and gave up: a session with an open transaction holds it: thread 42, …'
 * ```
 */
export async function explainLockWait(conn: Connection, error: unknown, timeoutMs: number): Promise<{ message: string; hint: string } | undefined> {
  if (asDriverError(error).errno !== LOCK_WAIT_TIMEOUT) return undefined;
  const open = await rows(conn, OPEN_TRANSACTIONS_SQL);
  const sessions = open.length > 0 ? open : await rows(conn, OTHER_SESSIONS_SQL);
  const who = sessions.map(describe);
  const what =
    sessions.length === 0
      ? 'another session holds it (it ended before it could be named)'
      : `${open.length > 0 ? 'a session with an open transaction holds it' : 'another session on the database holds it'}${sessions.length > 1 ? ', one of' : ':'} ${who.join('; ')}`;
  const kill = sessions.length === 1 ? ` (if it is stuck: KILL ${sessions[0]!.id})` : sessions.length > 1 ? ' (if it is stuck: KILL <thread>)' : '';
  return {
    message: `waited ${Math.max(1, Math.ceil(timeoutMs / 1000))} s for a lock and gave up: ${what}`,
    hint: `Nothing was changed: the load was rolled back. End that session's transaction${kill} and seed again, or let the seed wait longer: --lock-timeout 60s (target.lockTimeout in the config; 0 waits without limit).`,
  };
}
