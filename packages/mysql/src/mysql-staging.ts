/**
 * Tables whose engine cannot roll back (MyISAM, Aria, MEMORY, …) are never written in place:
 * each is loaded into an empty copy (`CREATE TABLE understudy_stage_<token>_<n> LIKE t`), and
 * only once every transactional table has committed does one `RENAME TABLE` swap every copy
 * in (atomic across tables), after which the old tables are dropped. A failed or interrupted
 * load drops the copies: the original tables were never touched. `--truncate` needs no DELETE
 * for them, since the copy starts empty.
 *
 * The session holds the user lock `understudy_stage_<token>` while its copies exist, so that
 * a later load can tell copies left by a process that was killed (their lock is free) from
 * those of a load still running, and drop them. The introspector never lists such tables.
 *
 * A table cannot be staged when its engine keeps its rows elsewhere (MERGE, FEDERATED,
 * CONNECT, …: a copy would write to the same place), when it has triggers (they belong to the
 * table and would not move with the swap), or when a trigger of a loaded table writes to it
 * (that write would bypass the copy and the transaction). Such a table is refused up front.
 *
 * @example
 * ```ts
 * const staged = new StagedTables(randomToken());
 * staged.add(table, found.get('shop.log')!);
 * for (const s of staged.createSql()) await run('staging', s);
 * // … load into staged.refOf(table) …
 * await run('swapping', staged.swapSql()!);
 * ```
 */
import { randomBytes } from 'node:crypto';
import { UsageError, type Table } from '@understudy/core';
import { quoteId, quoteString, tableRef } from './mysql-load-sql.js';
import { cell, keyOf, targetTableOf, type RunSql, type TargetTable } from './mysql-target-tables.js';

/** The name of every staging copy (and of every old table swapped out) starts with this. */
export const STAGE_TABLE_PREFIX = 'understudy_stage_';

const STAGE_NAME = /^understudy_stage_([0-9a-f]{8})_\d+(?:_old)?$/;

/**
 * True for a table name this module makes (a staging copy or an old table swapped out).
 * @example
 * ```ts
 * isStageTableName('understudy_stage_1a2b3c4d_1'); // true
 * ```
 */
export function isStageTableName(name: string): boolean {
  return STAGE_NAME.test(name);
}

/** Non-transactional engines whose tables keep their own rows, so that a copy made with LIKE is independent. */
const STAGEABLE_ENGINES = new Set(['myisam', 'aria', 'memory', 'heap', 'csv', 'archive']);

/** A fresh token for the names and the lock of one load's copies. */
export function randomToken(): string {
  return randomBytes(4).toString('hex');
}

interface Staged {
  readonly table: Table;
  readonly stage: string;
  readonly old: string;
  readonly autoIncrement: bigint | null;
}

/** The staging copies of one load. */
export class StagedTables {
  readonly token: string;
  readonly #byKey = new Map<string, Staged>();

  constructor(token: string) {
    this.token = token;
  }

  /** The user lock held while the copies exist. */
  get lockName(): string {
    return `${STAGE_TABLE_PREFIX}${this.token}`;
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** Tables staged, in the order they were added. */
  get tables(): Table[] {
    return [...this.#byKey.values()].map((s) => s.table);
  }

  /** Stages `table` (the target says its engine cannot roll back). */
  add(table: Table, target: TargetTable): void {
    const n = this.#byKey.size + 1;
    const stage = `${STAGE_TABLE_PREFIX}${this.token}_${n}`;
    this.#byKey.set(keyOf(table), { table, stage, old: `${stage}_old`, autoIncrement: target.autoIncrement });
  }

  has(key: string): boolean {
    return this.#byKey.has(key);
  }

  /** Where `table`'s rows go: its copy when staged, else the table itself. */
  refOf(table: Table): string {
    const staged = this.#byKey.get(keyOf(table));
    return staged ? `${quoteId(table.schema)}.${quoteId(staged.stage)}` : tableRef(table);
  }

  /** CREATE TABLE … LIKE for each copy, then its AUTO_INCREMENT set to the original's (LIKE starts it at 1). */
  createSql(): Array<{ readonly table: string; readonly sql: string }> {
    return [...this.#byKey.values()].flatMap((s) => {
      const copy = `${quoteId(s.table.schema)}.${quoteId(s.stage)}`;
      const create = { table: keyOf(s.table), sql: `CREATE TABLE ${copy} LIKE ${tableRef(s.table)}` };
      return s.autoIncrement !== null && s.autoIncrement > 1n ? [create, { table: keyOf(s.table), sql: `ALTER TABLE ${copy} AUTO_INCREMENT = ${s.autoIncrement}` }] : [create];
    });
  }

  /** One RENAME TABLE that puts the copies of the tables `which` picks in their place (atomic); undefined when it picks none. */
  swapSql(which: (key: string) => boolean = () => true): string | undefined {
    const pairs = this.#pick(which).flatMap((s) => {
      const db = quoteId(s.table.schema);
      return [`${tableRef(s.table)} TO ${db}.${quoteId(s.old)}`, `${db}.${quoteId(s.stage)} TO ${tableRef(s.table)}`];
    });
    return pairs.length === 0 ? undefined : `RENAME TABLE ${pairs.join(', ')}`;
  }

  /** DROP TABLE of the old tables a swap of the tables `which` picks put aside. */
  dropOldSql(which: (key: string) => boolean = () => true): string | undefined {
    return dropSql(this.#pick(which), (s) => s.old);
  }

  /** DROP TABLE of the copies of the tables `which` picks (all: a rolled-back load). */
  dropCopiesSql(which: (key: string) => boolean = () => true): string | undefined {
    return dropSql(this.#pick(which), (s) => s.stage);
  }

  #pick(which: (key: string) => boolean): Staged[] {
    return [...this.#byKey.entries()].filter(([key]) => which(key)).map(([, s]) => s);
  }
}

function dropSql(staged: readonly Staged[], name: (s: Staged) => string): string | undefined {
  if (staged.length === 0) return undefined;
  return `DROP TABLE IF EXISTS ${staged.map((s) => `${quoteId(s.table.schema)}.${quoteId(name(s))}`).join(', ')}`;
}

/** The triggers of the given namespaces: the table they are on, their name and body. */
async function readTriggers(run: RunSql, namespaces: readonly string[]): Promise<Array<{ on: string; name: string; body: string }>> {
  const rows = await run(
    'reading the triggers of the target',
    'SELECT EVENT_OBJECT_SCHEMA AS s, EVENT_OBJECT_TABLE AS n, TRIGGER_NAME AS name, ACTION_STATEMENT AS body FROM information_schema.TRIGGERS ' +
      `WHERE EVENT_OBJECT_SCHEMA IN (${namespaces.map(quoteString).join(', ')})`,
  );
  return rows.map((r) => ({ on: `${cell(r['s'])}.${cell(r['n'])}`, name: cell(r['name']), body: cell(r['body']) }));
}

/**
 * True when a trigger body writes `table` (`INSERT`/`REPLACE … INTO`, `UPDATE`, `DELETE … FROM`,
 * the name bare, backquoted or qualified), in any case.
 */
function writesTo(body: string, table: Pick<Table, 'schema' | 'name'>): boolean {
  const literal = (name: string): string => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const id = (name: string): string => `(?:\`${literal(name.replace(/`/g, '``'))}\`|${literal(name)}(?![A-Za-z0-9_$]))`;
  const ref = `(?:${id(table.schema)}\\s*\\.\\s*)?${id(table.name)}`;
  const write = `(?:\\b(?:insert|replace)\\b[^;]*?\\binto|\\bupdate(?:\\s+(?:low_priority|ignore))*|\\bdelete\\b[^;]*?\\bfrom)\\s+${ref}`;
  return new RegExp(write, 'i').test(body);
}

/**
 * Which of `loaded` cannot roll back and must be staged.
 * @throws UsageError naming each table that cannot roll back and cannot be staged either (its
 *   engine, its own triggers), or that a trigger of a loaded table writes, and what to do.
 * @example
 * ```ts
 * const copies = await tablesToStage(run, tables, found);
 * ```
 */
export async function tablesToStage(run: RunSql, loaded: readonly Table[], found: ReadonlyMap<string, TargetTable>): Promise<Array<{ table: Table; target: TargetTable }>> {
  const plain = loaded.flatMap((table) => {
    const target = targetTableOf(found, table);
    return target && !target.transactional ? [{ table, target }] : [];
  });
  const elsewhere = [...found.values()].filter((t) => !t.transactional);
  if (elsewhere.length === 0) return [];
  const problems: Array<{ readonly table: Pick<Table, 'schema' | 'name'>; readonly why: string }> = [];
  for (const { table, target } of plain) {
    if (!STAGEABLE_ENGINES.has(target.engine.toLowerCase())) {
      problems.push({ table, why: `uses the ${target.engine || 'unknown'} engine, which cannot roll back and keeps its rows where a staging copy would write too` });
    }
  }
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  const triggers = await readTriggers(run, [...new Set(loaded.map((t) => t.schema))]);
  for (const { table, target } of plain) {
    const own = triggers.filter((t) => same(t.on, keyOf(table))).map((t) => t.name);
    if (own.length > 0) problems.push({ table, why: `(${target.engine}) has trigger${own.length > 1 ? 's' : ''} ${own.join(', ')}, which would not run on a staging copy` });
  }
  // A trigger of a loaded table that writes a non-transactional table (loaded or not) writes outside the transaction.
  const fired = triggers.filter((t) => loaded.some((l) => same(t.on, keyOf(l))));
  for (const target of elsewhere) {
    const writers = fired.filter((t) => !same(t.on, keyOf(target)) && writesTo(t.body, target));
    if (writers.length > 0) {
      const list = writers.map((t) => `${t.name} on ${t.on}`).join(', ');
      problems.push({ table: target, why: `(${target.engine}) is written by trigger${writers.length > 1 ? 's' : ''} ${list}, outside the transaction` });
    }
  }
  if (problems.length > 0) {
    const convert = [...new Set(problems.map((p) => `ALTER TABLE ${tableRef(p.table)} ENGINE=InnoDB;`))];
    throw new UsageError(`cannot load all-or-nothing with tables that cannot roll back: ${problems.map((p) => `${keyOf(p.table)} ${p.why}`).join('; ')}`, {
      hint: `A failed or interrupted seed would leave rows changed in them. Convert them to InnoDB (${convert.join(' ')}), or seed a copy of the database that does.`,
    });
  }
  return plain;
}

/**
 * Drops the staging copies (and old tables) that loads killed before they could clean up left
 * in `namespaces`: those whose user lock no session holds. Best effort: a copy that cannot be
 * dropped stays (the introspector does not list it).
 * @example
 * ```ts
 * await dropLeftoverCopies(run, ['shop']);
 * ```
 */
export async function dropLeftoverCopies(run: RunSql, namespaces: readonly string[]): Promise<void> {
  if (namespaces.length === 0) return;
  const rows = await run(
    'looking for staging copies left by a stopped seed',
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (${namespaces.map(quoteString).join(', ')}) ` +
      `AND TABLE_NAME LIKE ${quoteString(`${STAGE_TABLE_PREFIX.replace(/_/g, '\\_')}%`)}`,
  );
  for (const row of rows) {
    const name = cell(row['n']);
    const token = STAGE_NAME.exec(name)?.[1];
    if (token === undefined) continue;
    const free = await run('checking whether a staging copy is in use', `SELECT IS_FREE_LOCK(${quoteString(`${STAGE_TABLE_PREFIX}${token}`)}) AS free`);
    if (Number(free[0]?.['free']) !== 1) continue;
    await run('dropping a staging copy left by a stopped seed', `DROP TABLE IF EXISTS ${quoteId(cell(row['s']))}.${quoteId(name)}`).catch(() => undefined);
  }
}
