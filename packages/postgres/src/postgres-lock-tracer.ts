/**
 * What a migration statement did to the database's storage and locks, read from
 * the catalogs by the migration's own session: the relation locks it holds
 * (`pg_locks` for `pg_backend_pid()`, catalogs left out) and the user tables
 * and indexes whose storage was rewritten (their `relfilenode`, or for a
 * dropped-and-rebuilt index its oid, changed).
 *
 * @example
 * ```ts
 * const before = await storageMap(db);
 * await sql.raw('alter table orders alter column total type numeric(12,2)').execute(db);
 * const rewrites = rewritesBetween(before, await storageMap(db)); // [{ relation: 'public.orders', kind: 'table' }, …]
 * const locks = await heldLocks(db);                                // [{ relation: 'public.orders', mode: 'AccessExclusiveLock' }]
 * ```
 */
import type { HeldLock, LockEffect, Rewrite, RowReads } from '@understudy/core';
import { sql, type Kysely } from 'kysely';

const USER_NAMESPACES = sql`n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'`;

/**
 * Qualified name → `oid:relfilenode` and kind, for every user table, materialized view, index and
 * sequence (a sequence is never a rewrite; it is there so that a lock on one the transaction
 * created, a `SERIAL` column's, is known to block nobody).
 */
export type StorageMap = ReadonlyMap<string, { readonly storage: string; readonly kind: 'table' | 'index' | 'sequence' }>;

/**
 * Reads the storage identity of every user table and index.
 * @example
 * ```ts
 * const map = await storageMap(db); // Map { 'public.users' => { storage: '16384:16384', kind: 'table' } }
 * ```
 */
export async function storageMap(db: Kysely<any>): Promise<StorageMap> {
  const { rows } = await sql<{ name: string; storage: string; relkind: string }>`
    select n.nspname || '.' || c.relname as name, c.oid::text || ':' || c.relfilenode::text as storage, c.relkind::text as relkind
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'm', 'i', 'S') and ${USER_NAMESPACES}`.execute(db);
  return new Map(rows.map((r) => [r.name, { storage: r.storage, kind: r.relkind === 'i' ? 'index' : r.relkind === 'S' ? 'sequence' : 'table' }] as const));
}

/**
 * Relations present before and after whose storage changed (a new relation is not a rewrite).
 * @example
 * ```ts
 * rewritesBetween(before, after); // [{ relation: 'public.orders', kind: 'table' }]
 * ```
 */
export function rewritesBetween(before: StorageMap, after: StorageMap): Rewrite[] {
  const rewrites: Rewrite[] = [];
  for (const [name, now] of after) {
    const then = before.get(name);
    if (now.kind !== 'sequence' && then && then.storage !== now.storage) rewrites.push({ relation: name, kind: now.kind });
  }
  return rewrites.sort((a, b) => (a.kind === b.kind ? a.relation.localeCompare(b.relation) : a.kind === 'table' ? -1 : 1));
}

/**
 * PostgreSQL's table-level lock modes from weakest to strongest, each with what it makes other
 * sessions' ordinary statements wait for: SELECT takes ACCESS SHARE (blocked only by ACCESS
 * EXCLUSIVE), INSERT/UPDATE/DELETE take ROW EXCLUSIVE (blocked by SHARE and stronger).
 * The one list of them: reports rank and judge locks by the fields `postgresLock` fills in.
 */
export const LOCK_MODES = [
  { mode: 'AccessShareLock', label: 'ACCESS SHARE', blocks: 'nothing' },
  { mode: 'RowShareLock', label: 'ROW SHARE', blocks: 'nothing' },
  { mode: 'RowExclusiveLock', label: 'ROW EXCLUSIVE', blocks: 'nothing' },
  { mode: 'ShareUpdateExclusiveLock', label: 'SHARE UPDATE EXCLUSIVE', blocks: 'nothing' },
  { mode: 'ShareLock', label: 'SHARE', blocks: 'writes' },
  { mode: 'ShareRowExclusiveLock', label: 'SHARE ROW EXCLUSIVE', blocks: 'writes' },
  { mode: 'ExclusiveLock', label: 'EXCLUSIVE', blocks: 'writes' },
  { mode: 'AccessExclusiveLock', label: 'ACCESS EXCLUSIVE', blocks: 'reads and writes' },
] as const satisfies ReadonlyArray<{ mode: string; label: string; blocks: LockEffect }>;

/** How strong a mode is: 0 weakest … 7 ACCESS EXCLUSIVE; -1 for a mode pg_locks does not list for tables. */
export function lockModeRank(mode: string): number {
  return LOCK_MODES.findIndex((m) => m.mode === mode);
}

/**
 * A lock as a report carries it: ranked, labelled and with what it blocks.
 * @example
 * ```ts
 * postgresLock('public.orders', 'AccessExclusiveLock'); // { …, rank: 7, label: 'ACCESS EXCLUSIVE', blocks: 'reads and writes' }
 * ```
 */
export function postgresLock(relation: string, mode: string): HeldLock {
  const rank = lockModeRank(mode);
  const known = LOCK_MODES[rank];
  return { relation, mode, rank, label: known?.label ?? mode, blocks: known?.blocks ?? 'nothing' };
}

/**
 * The relation locks this session holds right now, strongest mode per relation, catalogs left out.
 * @example
 * ```ts
 * await heldLocks(db); // [{ relation: 'public.users', mode: 'AccessExclusiveLock' }]
 * ```
 */
export async function heldLocks(db: Kysely<any>): Promise<HeldLock[]> {
  const { rows } = await sql<{ relation: string; mode: string }>`
    select n.nspname || '.' || c.relname as relation, l.mode as mode
    from pg_catalog.pg_locks l
    join pg_catalog.pg_class c on c.oid = l.relation
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where l.pid = pg_backend_pid() and l.locktype = 'relation' and l.granted and ${USER_NAMESPACES}`.execute(db);
  const strongest = new Map<string, string>();
  for (const r of rows) {
    const known = strongest.get(r.relation);
    if (known === undefined || lockModeRank(r.mode) > lockModeRank(known)) {
      strongest.set(r.relation, r.mode);
    }
  }
  return [...strongest].map(([relation, mode]) => postgresLock(relation, mode)).sort((a, b) => a.relation.localeCompare(b.relation));
}

/** Qualified table name → rows this transaction has read or written in it so far (see `rowReads`). */
export type RowCounts = ReadonlyMap<string, number>;

/**
 * What this transaction has read and written so far, per user table, from the server's statistics
 * (`pg_stat_xact_user_tables`: sequential-scan tuples, index fetches, inserts, updates, deletes).
 * Two readings around a statement give the rows it read (`readsBetween`): a scan, an index build,
 * a constraint's validation or a rewrite reads every row; a catalog-only change reads none.
 * @example
 * ```ts
 * const before = await rowReads(db);
 * await sql.raw('alter table orders add constraint c check (total >= 0)').execute(db);
 * readsBetween(before, await rowReads(db)); // [{ relation: 'public.orders', rows: 1000 }]
 * ```
 */
export async function rowReads(db: Kysely<any>): Promise<RowCounts> {
  const { rows } = await sql<{ name: string; n: string }>`
    select schemaname || '.' || relname as name,
      (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) + n_tup_ins + n_tup_upd + n_tup_del)::text as n
    from pg_catalog.pg_stat_xact_user_tables`.execute(db);
  return new Map(rows.map((r) => [r.name, Number(r.n)] as const));
}

/**
 * Rows per table read or written between two readings of `rowReads`, tables with none left out
 * (a table rewritten under a new relation can count below its earlier reading: floored at 0).
 * @example
 * ```ts
 * readsBetween(new Map([['public.orders', 10]]), new Map([['public.orders', 1010]])); // [{ relation: 'public.orders', rows: 1000 }]
 * ```
 */
export function readsBetween(before: RowCounts, after: RowCounts): RowReads[] {
  const reads: RowReads[] = [];
  for (const [relation, n] of after) {
    const rows = Math.max(0, n - (before.get(relation) ?? 0));
    if (rows > 0) reads.push({ relation, rows });
  }
  return reads.sort((a, b) => a.relation.localeCompare(b.relation));
}
