/**
 * PostgreSQL's table lock modes, ranked, with what each blocks, and the locks of
 * the statements that cannot run in a transaction block (so the rehearsal cannot
 * read them from `pg_locks` before they release them): their documented modes.
 *
 * - `postgresLockModes`: weakest first; SHARE and above block writes, ACCESS
 *   EXCLUSIVE blocks reads too (the lock conflict table of the PostgreSQL manual,
 *   "Explicit Locking");
 * - `knownStatementLock`: `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`,
 *   `REINDEX … CONCURRENTLY`, `DETACH PARTITION … CONCURRENTLY` and plain
 *   `VACUUM` take SHARE UPDATE EXCLUSIVE; `VACUUM FULL` ACCESS EXCLUSIVE;
 *   `REINDEX` SHARE on the table (ACCESS EXCLUSIVE on the index, which every
 *   query planning on the table waits for);
 * - `withIndexTables`: a lock on an index also counts on its table (queries on the
 *   table plan with every index of it, so an ACCESS EXCLUSIVE index blocks them).
 *
 * @example
 * ```ts
 * knownStatementLock('create index concurrently i on orders (a)'); // { relation: 'orders', mode: 'ShareUpdateExclusiveLock' }
 * postgresLockModes.find((m) => m.mode === 'ShareLock')!.blocksWrites; // true
 * ```
 */
import type { HeldLock, LockModeInfo } from '@understudy/core';
import { sql, type Kysely } from 'kysely';
import { LOCK_MODES, lockModeRank, postgresLock } from './postgres-lock-tracer.js';

/** See the module comment: the lock tracer's ranked list (postgres-lock-tracer.ts), as core's LockModeInfo. */
export const postgresLockModes: readonly LockModeInfo[] = LOCK_MODES.map((m) => ({ mode: m.mode, name: m.label, blocksWrites: m.blocks !== 'nothing', blocksReads: m.blocks === 'reads and writes' }));

const rank = lockModeRank;

/** A documented lock of a statement, on the relation as written (a table or an index). */
export interface KnownLock {
  /** The name as written, quotes kept (`"Orders"`, `public.orders`): resolved by `to_regclass`. */
  readonly relation: string;
  readonly mode: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[\p{L}_][\p{L}\p{N}_$]*)`;
const NAME = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const SUE = 'ShareUpdateExclusiveLock';

const RULES: ReadonlyArray<{ readonly form: RegExp; readonly mode: string }> = [
  { form: new RegExp(String.raw`^create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?(?:${IDENT}\s+)?on\s+(?:only\s+)?${NAME}`, 'iu'), mode: SUE },
  { form: new RegExp(String.raw`^drop\s+index\s+concurrently\s+(?:if\s+exists\s+)?${NAME}`, 'iu'), mode: SUE },
  { form: new RegExp(String.raw`^reindex\s+(?:\([^)]*\)\s+)?(?:index|table)\s+concurrently\s+${NAME}`, 'iu'), mode: SUE },
  { form: new RegExp(String.raw`^alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${NAME}[\s\S]*\bdetach\s+partition\b[\s\S]*\bconcurrently\b`, 'iu'), mode: SUE },
  { form: new RegExp(String.raw`^vacuum\s+(?:\([^)]*\bfull\b[^)]*\)|full)\s+(?:verbose\s+|freeze\s+|analyze\s+)*${NAME}`, 'iu'), mode: 'AccessExclusiveLock' },
  { form: new RegExp(String.raw`^vacuum\s+(?:\([^)]*\)\s+)?(?:verbose\s+|freeze\s+|analyze\s+)*${NAME}`, 'iu'), mode: SUE },
  { form: new RegExp(String.raw`^reindex\s+(?:\([^)]*\)\s+)?(?:index|table)\s+${NAME}`, 'iu'), mode: 'ShareLock' },
];

/** Leading comments and whitespace. */
function stripLead(text: string): string {
  let rest = text;
  for (;;) {
    const next = rest
      .replace(/^\s+/, '')
      .replace(/^--[^\n]*\n?/, '')
      .replace(/^\/\*[\s\S]*?\*\//, '');
    if (next === rest) return rest;
    rest = next;
  }
}

/** See the module comment; `undefined` for a statement with no documented lock here, or on no named relation. */
export function knownStatementLock(statement: string): KnownLock | undefined {
  const text = stripLead(statement);
  for (const rule of RULES) {
    const match = rule.form.exec(text);
    if (!match) continue;
    const name = match[1]!;
    if (/^(verbose|full|freeze|analyze|concurrently)$/i.test(name)) return undefined;
    return { relation: name, mode: rule.mode };
  }
  return undefined;
}

/**
 * The table a relation name means in this session (an index means its table), qualified, or
 * undefined when there is none (yet, or any more).
 */
export async function resolveLockedTable(db: Kysely<any>, relation: string): Promise<string | undefined> {
  const { rows } = await sql<{ name: string }>`
    select n.nspname || '.' || c.relname as name
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.oid = coalesce((select i.indrelid from pg_catalog.pg_index i where i.indexrelid = to_regclass(${relation})), to_regclass(${relation}))`.execute(db);
  return rows[0]?.name;
}

/**
 * Each index's lock also on its table, when stronger than what the table shows (`parents`: index →
 * table, qualified). Index locks stay listed.
 * @example
 * ```ts
 * withIndexTables([{ relation: 'public.orders_pkey', mode: 'AccessExclusiveLock' }], new Map([['public.orders_pkey', 'public.orders']]));
 * // [{ relation: 'public.orders', mode: 'AccessExclusiveLock' }, { relation: 'public.orders_pkey', mode: 'AccessExclusiveLock' }]
 * ```
 */
export function withIndexTables(locks: readonly HeldLock[], parents: ReadonlyMap<string, string>): HeldLock[] {
  const strongest = new Map(locks.map((l) => [l.relation, l.mode]));
  for (const lock of locks) {
    const table = parents.get(lock.relation);
    if (table === undefined) continue;
    const known = strongest.get(table);
    if (known === undefined || rank(lock.mode) > rank(known)) strongest.set(table, lock.mode);
  }
  return [...strongest].map(([relation, mode]) => postgresLock(relation, mode)).sort((a, b) => a.relation.localeCompare(b.relation));
}

/** Index → its table (qualified), for every user index. */
export async function indexTables(db: Kysely<any>): Promise<Map<string, string>> {
  const { rows } = await sql<{ index: string; table: string }>`
    select ni.nspname || '.' || ci.relname as index, nt.nspname || '.' || ct.relname as table
    from pg_catalog.pg_index i
    join pg_catalog.pg_class ci on ci.oid = i.indexrelid join pg_catalog.pg_namespace ni on ni.oid = ci.relnamespace
    join pg_catalog.pg_class ct on ct.oid = i.indrelid join pg_catalog.pg_namespace nt on nt.oid = ct.relnamespace
    where ni.nspname not in ('pg_catalog', 'information_schema') and ni.nspname not like 'pg\\_toast%'`.execute(db);
  return new Map(rows.map((r) => [r.index, r.table]));
}
