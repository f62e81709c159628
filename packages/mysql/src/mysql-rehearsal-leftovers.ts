/**
 * Drops the rehearsal databases a killed rehearsal left on a MySQL/MariaDB server:
 * throwaway names (`understudy_rehearse_<time>_<hex>`) older than an hour that no
 * session uses (`information_schema.PROCESSLIST`, `DB` column). A DROP that has to
 * wait for another session's lock on one of its tables gives up after a few
 * seconds and the database is reported in use. Kept (`understudy_rehearse_kept_…`)
 * and undated names are left.
 *
 * Without the PROCESS privilege a user sees only its own sessions: the age is then
 * the only guard against dropping a rehearsal another user is running, and the
 * cleanup says so in its notes.
 *
 * @example
 * ```ts
 * const cleanup = await cleanMysqlRehearsalDatabases('mysql://root@127.0.0.1:3306/test');
 * cleanup.dropped; // ['understudy_rehearse_20250114t093000_3f9a0c12']
 * ```
 */
import { leftoverRehearsalDatabases, type RehearsalCleanup } from '@understudy/core';
import { sql } from 'kysely';
import { driverMessage } from './mysql-errors.js';
import { quoteId } from './mysql-load-sql.js';
import { openMysql } from './mysql-pool.js';
import { parseMysqlUrl } from './mysql-url.js';

/** Seconds a cleanup's DROP waits for another session's lock before calling the database in use. */
const DROP_WAIT_SECONDS = 5;

/** MySQL: lock wait timeout (1205); MariaDB too; both for a metadata lock held by another session. */
const LOCK_WAIT_TIMEOUT = 1205;

/** See the file comment. @throws ConnectionError when the server cannot be reached. */
export async function cleanMysqlRehearsalDatabases(url: string, options: { readonly now?: Date; readonly olderThanMs?: number } = {}): Promise<RehearsalCleanup> {
  const { db } = await openMysql(parseMysqlUrl(url), url, { database: null, connectionLimit: 1 });
  try {
    const schemata = await sql<{ name: string }>`SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'understudy\\_rehearse\\_%'`.execute(db);
    const groups = leftoverRehearsalDatabases(
      schemata.rows.map((r) => String(r.name)),
      options,
    );
    const notes: string[] = [];
    if (groups.old.length > 0) {
      const seesAll = await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM information_schema.USER_PRIVILEGES
        WHERE PRIVILEGE_TYPE IN ('PROCESS', 'SUPER') AND GRANTEE = CONCAT('''', REPLACE(CURRENT_USER(), '@', '''@'''), '''')`.execute(db);
      if (Number(seesAll.rows[0]?.n ?? 0) === 0) {
        notes.push('this user lacks the PROCESS privilege and sees only its own sessions: a leftover is judged by its age alone');
      }
      await sql.raw(`SET SESSION lock_wait_timeout = ${DROP_WAIT_SECONDS}`).execute(db);
    }
    const dropped: string[] = [];
    const inUse: string[] = [];
    const failed: Array<{ name: string; error: string }> = [];
    for (const name of groups.old) {
      const sessions = await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ${name} AND ID <> CONNECTION_ID()`.execute(db);
      if (Number(sessions.rows[0]?.n ?? 0) > 0) {
        inUse.push(name);
        continue;
      }
      try {
        await sql.raw(`DROP DATABASE IF EXISTS ${quoteId(name)}`).execute(db);
        dropped.push(name);
      } catch (error) {
        if ((error as { errno?: number }).errno === LOCK_WAIT_TIMEOUT) inUse.push(name);
        else failed.push({ name, error: driverMessage(error, url) });
      }
    }
    return { dropped, inUse, recent: groups.recent, undated: groups.undated, failed, notes };
  } finally {
    await db.destroy().catch(() => undefined);
  }
}
