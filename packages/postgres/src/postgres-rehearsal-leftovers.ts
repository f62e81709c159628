/**
 * Drops the rehearsal databases a killed rehearsal left on a PostgreSQL server:
 * throwaway names (`understudy_rehearse_<time>_<hex>`) older than an hour that no
 * session is connected to (`pg_stat_activity`). The DROP itself is refused by the
 * server if a session connects in between (no `FORCE`), so a database in use is
 * never dropped. Kept (`understudy_rehearse_kept_…`) and undated names are left.
 *
 * @example
 * ```ts
 * const cleanup = await cleanPostgresRehearsalDatabases('postgres://postgres@localhost:5432/postgres');
 * cleanup.dropped; // ['understudy_rehearse_20250114t093000_3f9a0c12']
 * ```
 */
import { leftoverRehearsalDatabases, redactSecrets, type RehearsalCleanup } from '@understudy/core';
import pg from 'pg';
import { withAdminClient } from './postgres-scratch-database.js';

/** SQLSTATE of "database is being accessed by other users". */
const OBJECT_IN_USE = '55006';

/** See the file comment. @throws ConnectionError when the server cannot be reached. */
export async function cleanPostgresRehearsalDatabases(url: string, options: { readonly now?: Date; readonly olderThanMs?: number } = {}): Promise<RehearsalCleanup> {
  if (/^pglite:/i.test(url)) return { dropped: [], inUse: [], recent: [], undated: [], failed: [], notes: ['an embedded PGlite leaves no rehearsal database behind'] };
  return withAdminClient(url, async (client) => {
    const { rows } = await client.query<{ datname: string }>(String.raw`select datname from pg_database where datname like 'understudy\_rehearse\_%'`);
    const groups = leftoverRehearsalDatabases(
      rows.map((r) => r.datname),
      options,
    );
    const dropped: string[] = [];
    const inUse: string[] = [];
    const failed: Array<{ name: string; error: string }> = [];
    for (const name of groups.old) {
      const sessions = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
      if ((sessions.rows[0]?.n ?? 0) > 0) {
        inUse.push(name);
        continue;
      }
      try {
        await client.query(`drop database if exists ${pg.escapeIdentifier(name)}`);
        dropped.push(name);
      } catch (error) {
        if ((error as { code?: string }).code === OBJECT_IN_USE) inUse.push(name);
        else failed.push({ name, error: redactSecrets((error as Error).message, url) });
      }
    }
    return { dropped, inUse, recent: groups.recent, undated: groups.undated, failed, notes: [] };
  });
}
