/**
 * Watches what other sessions do in the rehearsal database, from the rehearsal's
 * own session, while a `--command` tool (Rails, Django, Alembic, Knex…) applies
 * its migrations through its own connections: every `intervalMs` one query reads
 * `pg_stat_activity` (each session's statement, since when it runs, or when it
 * ended) joined with the relation locks `pg_locks` shows it holding. Statements are
 * keyed by session and start time; a lock is attributed to the statement its
 * session was running (or had just run, inside its transaction) when it was seen.
 * Only tables and indexes that existed when the watch began count: a lock on a
 * relation the tool just created blocks nobody. At `stop()`, the `relfilenode`s
 * are compared with those at the start: the storage the tool rewrote.
 *
 * Sampling sees what lasts: a statement shorter than the interval is seen only
 * if it is the last its session ran at a sample; a lock held a few milliseconds
 * may not be seen at all.
 *
 * @example
 * ```ts
 * const watch = await watchOtherSessions(db);
 * await runTheTool();
 * const trace = await watch.stop(); // trace.statements[0].locks: [{ relation: 'public.users', mode: 'AccessExclusiveLock' }]
 * ```
 */
import type { ExternalTrace, ExternalWatch, HeldLock, ObservedStatement } from '@understudy/core';
import { sql, type Kysely } from 'kysely';
import { lockModeRank, postgresLock, rewritesBetween, storageMap } from './postgres-lock-tracer.js';

/** Milliseconds between two samples. */
export const WATCH_INTERVAL_MS = 25;

interface Sample {
  readonly pid: number;
  readonly started: string;
  readonly query: string | null;
  readonly ms: number | string | null;
  readonly relation: string | null;
  readonly mode: string | null;
}

interface Seen {
  readonly sql: string;
  ms: number;
  readonly locks: Map<string, string>;
}

const stronger = (a: string, b: string): boolean => lockModeRank(a) > lockModeRank(b);

/** See the file comment. */
export async function watchOtherSessions(db: Kysely<any>, options: { readonly intervalMs?: number } = {}): Promise<ExternalWatch> {
  const intervalMs = options.intervalMs ?? WATCH_INTERVAL_MS;
  const before = await storageMap(db);
  const seen = new Map<string, Seen>();
  let samples = 0;
  let stopped = false;

  const sample = async (): Promise<void> => {
    const { rows } = await sql<Sample>`
      select a.pid, a.query_start::text as started, a.query,
        extract(epoch from (case when a.state = 'active' then clock_timestamp() else a.state_change end) - a.query_start) * 1000 as ms,
        n.nspname || '.' || c.relname as relation, l.mode
      from pg_catalog.pg_stat_activity a
      left join pg_catalog.pg_locks l on l.pid = a.pid and l.locktype = 'relation' and l.granted
      left join pg_catalog.pg_class c on c.oid = l.relation
      left join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where a.datname = current_database() and a.pid <> pg_backend_pid() and a.query_start is not null and a.backend_type = 'client backend'`.execute(db);
    samples++;
    for (const row of rows) {
      const text = row.query?.trim();
      if (!text) continue;
      const key = `${row.pid}|${row.started}`;
      let entry = seen.get(key);
      if (!entry) {
        entry = { sql: text, ms: 0, locks: new Map() };
        seen.set(key, entry);
      }
      entry.ms = Math.max(entry.ms, Number(row.ms ?? 0));
      if (row.relation && row.mode && before.has(row.relation) && before.get(row.relation)!.kind !== 'sequence') {
        const known = entry.locks.get(row.relation);
        if (known === undefined || stronger(row.mode, known)) entry.locks.set(row.relation, row.mode);
      }
    }
  };

  const notes: string[] = [];
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
      // What the sessions left behind (their last statements) is still worth one more look.
      await sample().catch(() => undefined);
      const rewrites = rewritesBetween(before, await storageMap(db));
      const statements: ObservedStatement[] = [...seen.values()].map((s) => ({
        sql: s.sql,
        durationMs: s.ms,
        locks: [...s.locks].map(([relation, mode]): HeldLock => postgresLock(relation, mode)).sort((a, b) => a.relation.localeCompare(b.relation)),
      }));
      return { statements, rewrites, samples, intervalMs, notes };
    },
  };
}
