/**
 * Watches what other sessions do in the rehearsal database on MySQL/MariaDB while a
 * `--command` tool applies its migrations through its own connections: every
 * `intervalMs` one query reads `information_schema.PROCESSLIST` for the sessions in
 * that database (the statement, how long it has run, what the server says it is
 * doing: `copy to tmp table`, `Waiting for table metadata lock`), and, where the
 * server keeps them (`performance_schema.metadata_locks` on MySQL 8, the
 * `METADATA_LOCK_INFO` plugin on MariaDB), the metadata locks each session holds.
 * At `stop()`, the InnoDB table ids are compared with those at the start: the
 * tables the tool rebuilt.
 *
 * @example
 * ```ts
 * const watch = await watchMysqlSessions(db, 'understudy_rehearse_…', 'shop');
 * await runTheTool();
 * const trace = await watch.stop(); // trace.statements[0].states: ['copy to tmp table']
 * ```
 */
import { mysqlLock } from './mysql-lock-modes.js';
import type { ExternalTrace, ExternalWatch, HeldLock, ObservedStatement, Rewrite } from '@understudy/core';
import { sql } from 'kysely';
import type { MysqlKysely } from './mysql-pool.js';

/** Milliseconds between two samples. */
export const WATCH_INTERVAL_MS = 25;

/** Where each server shows the metadata locks of other sessions, tried in order. */
const LOCK_QUERIES = [
  (database: string) => sql<{ id: unknown; name: unknown; mode: unknown }>`
    SELECT t.PROCESSLIST_ID AS id, m.OBJECT_NAME AS name, m.LOCK_TYPE AS mode
    FROM performance_schema.metadata_locks m JOIN performance_schema.threads t ON t.THREAD_ID = m.OWNER_THREAD_ID
    WHERE m.OBJECT_SCHEMA = ${database} AND m.OBJECT_TYPE = 'TABLE' AND m.LOCK_STATUS = 'GRANTED'`,
  (database: string) => sql<{ id: unknown; name: unknown; mode: unknown }>`
    SELECT THREAD_ID AS id, TABLE_NAME AS name, LOCK_MODE AS mode FROM information_schema.METADATA_LOCK_INFO
    WHERE TABLE_SCHEMA = ${database} AND TABLE_NAME <> ''`,
];

/** The InnoDB table id of every table of `database`, or undefined when the server does not show them to this user. */
async function tableIds(db: MysqlKysely, database: string): Promise<Map<string, string> | undefined> {
  for (const source of ['INNODB_SYS_TABLES', 'INNODB_TABLES']) {
    try {
      const { rows } = await sql<{ name: unknown; id: unknown }>`SELECT NAME AS name, TABLE_ID AS id FROM ${sql.raw(`information_schema.${source}`)} WHERE NAME LIKE ${`${database}/%`}`.execute(db);
      return new Map(rows.map((r) => [String(r.name).slice(database.length + 1), String(r.id)]));
    } catch {
      // not this server's name for it, or no PROCESS privilege
    }
  }
  return undefined;
}

interface Seen {
  readonly sql: string;
  ms: number;
  readonly states: Set<string>;
  readonly locks: Map<string, string>;
}

/** See the file comment. `shownAs` is the database name reports use for the throwaway one. */
export async function watchMysqlSessions(db: MysqlKysely, database: string, shownAs: string, options: { readonly intervalMs?: number } = {}): Promise<ExternalWatch> {
  const intervalMs = options.intervalMs ?? WATCH_INTERVAL_MS;
  const notes: string[] = [];
  const before = await tableIds(db, database);
  if (!before) notes.push('no rewrites: this user cannot read the InnoDB table ids (PROCESS privilege)');
  let lockQuery: number | undefined;
  for (let i = 0; i < LOCK_QUERIES.length && lockQuery === undefined; i++) {
    if (
      await LOCK_QUERIES[i]!(database)
        .execute(db)
        .then(
          () => true,
          () => false,
        )
    )
      lockQuery = i;
  }
  if (lockQuery === undefined) notes.push('no metadata locks: the server keeps none to read (performance_schema off, no METADATA_LOCK_INFO plugin)');
  let timeMs = true;
  const seen = new Map<string, Seen>();
  let samples = 0;
  let stopped = false;

  const processes = async (): Promise<Array<{ id: unknown; ms: unknown; state: unknown; info: unknown }>> => {
    if (timeMs) {
      try {
        return (
          await sql<{ id: unknown; ms: unknown; state: unknown; info: unknown }>`
          SELECT ID AS id, TIME_MS AS ms, STATE AS state, INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ${database} AND ID <> CONNECTION_ID()`.execute(db)
        ).rows;
      } catch {
        timeMs = false; // MySQL has no TIME_MS
      }
    }
    return (
      await sql<{ id: unknown; ms: unknown; state: unknown; info: unknown }>`
      SELECT ID AS id, TIME * 1000 AS ms, STATE AS state, INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ${database} AND ID <> CONNECTION_ID()`.execute(db)
    ).rows;
  };

  const sample = async (): Promise<void> => {
    const rows = await processes();
    const locks = lockQuery === undefined ? [] : (await LOCK_QUERIES[lockQuery]!(database).execute(db)).rows;
    samples++;
    for (const row of rows) {
      const text = typeof row.info === 'string' ? row.info.trim() : row.info instanceof Buffer ? row.info.toString('utf8').trim() : '';
      if (!text) continue;
      const key = `${String(row.id)}|${text}`;
      let entry = seen.get(key);
      if (!entry) {
        entry = { sql: text, ms: 0, states: new Set(), locks: new Map() };
        seen.set(key, entry);
      }
      entry.ms = Math.max(entry.ms, Number(row.ms ?? 0));
      if (typeof row.state === 'string' && row.state.length > 0) entry.states.add(row.state);
      for (const lock of locks) {
        if (String(lock.id) !== String(row.id)) continue;
        const table = String(lock.name);
        if (before && !before.has(table)) continue;
        entry.locks.set(`${shownAs}.${table}`, String(lock.mode));
      }
    }
  };

  const loop = (async (): Promise<void> => {
    while (!stopped) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })().catch((error: unknown) => {
    notes.push(`sampling stopped early: ${(error as Error).message}`);
  });

  return {
    async stop(): Promise<ExternalTrace> {
      stopped = true;
      await loop;
      const after = before ? await tableIds(db, database) : undefined;
      const rewrites: Rewrite[] = [];
      for (const [table, id] of after ?? []) {
        const then = before?.get(table);
        if (then !== undefined && then !== id) rewrites.push({ relation: `${shownAs}.${table}`, kind: 'table' });
      }
      const statements: ObservedStatement[] = [...seen.values()].map((s) => ({
        sql: s.sql,
        durationMs: s.ms,
        locks: [...s.locks].map(([relation, mode]): HeldLock => mysqlLock(relation, mode)),
        ...(s.states.size > 0 ? { states: [...s.states] } : {}),
      }));
      return { statements, rewrites: rewrites.sort((a, b) => a.relation.localeCompare(b.relation)), samples, intervalMs, notes };
    },
  };
}
