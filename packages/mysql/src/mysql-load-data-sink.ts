/**
 * The MySQL/MariaDB sink: one connection, one transaction, each table streamed
 * with `LOAD DATA LOCAL INFILE` (mysql2's `infileStreamFactory`), or — when the
 * server has `local_infile` off — batched multi-row INSERTs of SQL literals the
 * workers encoded. `sink.loadMethod` says which. FK checks stay on (the plan
 * loads parents first), except for the child table of a cycle of NOT NULL FKs
 * that no order can load (sakila's staff ↔ store), and, for rows copied as they are
 * (`textValues`: scrub, which does not NULL a cycle's nullable FK to update it later),
 * the child of any cycle's broken edge and a self-referencing table (a row may point at
 * a later one): those tables load with `FOREIGN_KEY_CHECKS = 0`, and their FKs are
 * validated by query before COMMIT.
 * AUTO_INCREMENT is advanced after COMMIT (ALTER TABLE commits implicitly in MySQL).
 *
 * The target is left as it was by a failed or interrupted load, beyond what ROLLBACK does:
 * - a table whose engine cannot roll back (MyISAM, Aria, …) is loaded into a staging copy and
 *   swapped in after COMMIT (`mysql-staging.ts`); one that cannot be staged is refused up front;
 * - AUTO_INCREMENT counters, which InnoDB never rolls back, are set back (`mysql-auto-increment.ts`);
 * - `--truncate` is refused when tables outside the load point at a table it would empty
 *   (`mysql-outside-references.ts`); the tables must all exist (`mysql-target-tables.ts`).
 * What cannot be undone (the server gone, a privilege missing) is named, never hidden.
 *
 * @example
 * ```ts
 * const sink = await openMysqlSink('mysql://root@127.0.0.1/shop', { schema, truncate: true });
 * const writer = await sink.beginTable(target);
 * await writer.write(chunk); await writer.end();
 * await sink.commit({ advanceSequences: true });
 * ```
 */
import {
  buildFkGraph,
  keptReferenceError,
  referencesFromKept,
  ConnectionError,
  DEFAULT_LOCK_TIMEOUT_MS,
  type FkGraph,
  isUnderstudyError,
  UsageError,
  type ChunkWriter,
  type DeferredUpdateTarget,
  type EncoderColumn,
  type ExistingRows,
  type ExistingRowsRequest,
  type LoadTarget,
  type OpenSinkOptions,
  type RowEncoding,
  type Sink,
  type SinkCommitOptions,
  type Table,
} from '@understudy/core';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import { restoreAutoIncrements } from './mysql-auto-increment.js';
import { connectionErrorFrom, driverMessage } from './mysql-errors.js';
import { explainLockWait, lockWaitSql } from './mysql-lock-waits.js';
import { readMysqlExistingRows } from './mysql-existing-rows.js';
import { insertWriter, loadDataWriter } from './mysql-load-writers.js';
import { loadDataSql, nonEmptyTablesSql, orphanCountSql, quoteId, quoteString, tableRef, updateJoinSql } from './mysql-load-sql.js';
import { assertNoOutsideReferences } from './mysql-outside-references.js';
import { dropLeftoverCopies, randomToken, StagedTables, tablesToStage } from './mysql-staging.js';
import { assertTablesExist, keyOf, readTargetTables, type RunSql, type TargetTable } from './mysql-target-tables.js';
import { CONNECT_TIMEOUT_MS, parseMysqlUrl } from './mysql-url.js';

export type MysqlLoadMethod = 'load-data' | 'insert';

export interface MysqlSinkOptions extends OpenSinkOptions {
  /** Force a load method; by default LOAD DATA LOCAL when the server's `local_infile` is on, else INSERT. */
  readonly loadMethod?: MysqlLoadMethod;
}

export const LOAD_DATA_ENCODING: RowEncoding = { module: '@understudy/mysql/load-data-encoder' };
export const INSERT_ENCODING: RowEncoding = { module: '@understudy/mysql/insert-encoder' };

/** Opens one more session to the target (the rollback needs one after dropping a busy connection). */
type Reconnect = () => Promise<Connection>;

/** What to do when a rollback could not undo everything (each item names its statement). */
const UNDO_HINT = 'Run the statements named above (as a user with the ALTER and DROP privileges) to leave the target as it was.';

/** Polls every this many ms until a killed session is gone. */
const GONE_POLL_MS = 50;

/** A `Sink` into one MySQL/MariaDB database. Made by {@link openMysqlSink}. */
export class MysqlLoadSink implements Sink {
  readonly encoding: RowEncoding;
  readonly updateEncoding: RowEncoding;
  readonly description: string;
  /** Both writers keep copies, never the chunk: LOAD DATA sends copied pieces, INSERT decodes it to text. */
  readonly releasesWrittenChunks = true;
  readonly loadMethod: MysqlLoadMethod;
  readonly #conn: Connection;
  readonly #reconnect: Reconnect;
  readonly #options: MysqlSinkOptions;
  readonly #url: string;
  readonly #maxStatementBytes: number;
  readonly #autoIncrement = new Map<string, string>();
  /** The FK graph as this sink loads it (a cycle of NOT NULL FKs broken by loading unchecked). */
  readonly #graph: FkGraph;
  /** Tables that close an FK cycle no order can load: loaded with FK checks off, validated before COMMIT. */
  readonly #unchecked: ReadonlySet<string>;
  /**
   * Tables whose rows, copied as they are (`textValues`: scrub), may name a parent row loaded after them:
   * the child of any edge broken to order a cycle (a nullable FK is not left NULL then) and a
   * self-referencing table (a row may point at a later one). Loaded with FK checks off, validated before COMMIT.
   */
  readonly #uncheckedAsTheyAre: ReadonlySet<string>;
  /** The tables actually loaded with FK checks off. */
  readonly #loadedUnchecked = new Set<string>();
  /** The target's tables before the load: engines and AUTO_INCREMENT counters to set back. */
  #before = new Map<string, TargetTable>();
  /** Copies of the tables that cannot roll back, loaded instead of them and swapped in after COMMIT. */
  readonly #staged = new StagedTables(randomToken());
  #copiesMade = false;
  /** Tables loaded (`beginTable`): without --truncate, only their staging copies are swapped in. */
  readonly #begun = new Set<string>();
  #temps = 0;
  #streaming = 0;
  #done = false;

  constructor(conn: Connection, reconnect: Reconnect, url: string, description: string, method: MysqlLoadMethod, maxPacket: number, options: MysqlSinkOptions) {
    this.#conn = conn;
    this.#reconnect = reconnect;
    this.#url = url;
    this.description = description;
    this.loadMethod = method;
    this.encoding = method === 'load-data' ? LOAD_DATA_ENCODING : INSERT_ENCODING;
    this.updateEncoding = this.encoding;
    this.#maxStatementBytes = Math.max(64 * 1024, Math.min(4 * 1024 * 1024, maxPacket - 16 * 1024));
    this.#options = options;
    this.#graph = buildFkGraph(options.schema, { uncheckedLoad: true });
    this.#unchecked = new Set(this.#graph.cycles.flatMap((c) => c.broken.filter((b) => b.how === 'unchecked').map((b) => b.from)));
    this.#uncheckedAsTheyAre = new Set([...this.#graph.cycles.flatMap((c) => c.broken.map((b) => b.from)), ...this.#graph.selfReferences.filter((e) => !e.virtual).map((e) => e.from)]);
  }

  /**
   * The sink's encoding; for rows of text a snapshot reader printed (scrub), binary columns come as hex.
   * @example
   * ```ts
   * sink.encodingFor({ table: 'shop.users', columns, rows: 10, textValues: true }).options; // { hexText: true }
   * ```
   */
  encodingFor(target: LoadTarget): RowEncoding {
    return target.textValues ? { ...this.encoding, options: { ...((this.encoding.options as object | undefined) ?? {}), hexText: true } } : this.encoding;
  }

  async #run(what: string, text: string): Promise<unknown> {
    try {
      const [result] = await this.#conn.query(text);
      return result;
    } catch (error) {
      const lockWait = await explainLockWait(this.#conn, error, this.#options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
      throw new ConnectionError(`${what} failed on ${this.description}: ${lockWait?.message ?? driverMessage(error, this.#url)}`, { cause: error, ...(lockWait ? { hint: lockWait.hint } : {}) });
    }
  }

  /** What the load did differently from a plain transaction: tables loaded through staging copies. */
  get notes(): readonly string[] {
    const swapped = this.#staged.tables.filter((t) => this.#swapped(keyOf(t))).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    if (swapped.length === 0) return [];
    return [stagedCopyNote(swapped.map((t) => `${keyOf(t)} (${this.#before.get(keyOf(t))?.engine ?? 'not transactional'})`))];
  }

  /** Whether a staged table's copy replaces it at commit: --truncate empties every table it may write; otherwise only a loaded one. */
  #swapped = (key: string): boolean => this.#options.truncate || this.#begun.has(key);

  /** `#run` for statements that return rows. */
  readonly #rows: RunSql = async (what, text) => (await this.#run(what, text)) as Array<Record<string, unknown>>;

  /**
   * Checks the target (the tables exist, none outside the load points at a table --truncate
   * empties, every table that cannot roll back can be staged), makes the staging copies, starts
   * the transaction and empties the tables it may write when asked to truncate. On failure
   * everything is undone and the connection closed.
   */
  async start(): Promise<void> {
    try {
      await this.#start();
    } catch (error) {
      throw await this.#rolledBack(error);
    }
  }

  async #start(): Promise<void> {
    const schema = this.#options.schema;
    const only = this.#options.tables ? new Set(this.#options.tables) : undefined;
    const order = this.#graph.loadOrder
      .filter((k) => !only || only.has(k))
      .map((k) => schema.tables[k]!)
      .filter(Boolean);
    if (order.length > 0) {
      await dropLeftoverCopies(this.#rows, [...new Set(order.map((t) => t.schema))]).catch(() => undefined);
      this.#before = await readTargetTables(this.#rows, schema);
      assertTablesExist(Object.values(schema.tables), this.#before, this.description);
      if (this.#options.truncate) {
        await this.#assertNoKeptReferences(order);
        await assertNoOutsideReferences(this.#rows, order, Object.values(schema.tables));
      }
      for (const { table, target } of await tablesToStage(this.#rows, order, this.#before)) this.#staged.add(table, target);
      await this.#makeCopies();
    }
    await this.#run('starting the load', 'START TRANSACTION');
    if (order.length === 0 || !this.#options.truncate) return;
    // DELETE (TRUNCATE would commit); children first, FK checks off so cycles and self-references empty too.
    // A staged table is not emptied: its copy starts empty, and the swap replaces it.
    await this.#run('emptying the tables', 'SET FOREIGN_KEY_CHECKS = 0');
    for (const t of [...order].reverse()) {
      if (!this.#staged.has(keyOf(t))) await this.#run(`emptying ${keyOf(t)}`, `DELETE FROM ${tableRef(t)}`);
    }
    await this.#run('emptying the tables', 'SET FOREIGN_KEY_CHECKS = 1');
  }

  /** --truncate must not empty a table that rows of a table of the schema it keeps reference (see core's truncate-guard). */
  async #assertNoKeptReferences(order: readonly Table[]): Promise<void> {
    const schema = this.#options.schema;
    const references = referencesFromKept(schema, new Set(order.map(keyOf)));
    if (references.length === 0) return;
    const children = [...new Set(references.map((r) => r.child))].map((k) => schema.tables[k]!);
    const full = new Set(((await this.#rows('checking the tables that reference the ones to empty', nonEmptyTablesSql(children))) as Array<{ name: string }>).map((r) => r.name));
    const found = references.filter((r) => full.has(r.child));
    if (found.length > 0) throw keptReferenceError(found, this.description);
  }

  /**
   * Where a table's rows are now, in this load: a staged table emptied by --truncate is its
   * (empty) copy; otherwise the table itself.
   */
  #currentRef = (table: Table): string => (this.#options.truncate ? this.#staged.refOf(table) : tableRef(table));

  /**
   * The rows already in the tables, for a seed that keeps them (see `Sink.existingRows`).
   * @example
   * ```ts
   * await sink.existingRows([{ table: 'shop.users', columns: ['id'], limit: 10_000 }]);
   * ```
   */
  async existingRows(requests: readonly ExistingRowsRequest[]): Promise<ExistingRows[]> {
    try {
      return await readMysqlExistingRows((text) => this.#run('reading the rows already in the tables', text), this.#options.schema, requests, this.#currentRef);
    } catch (error) {
      throw await this.#rolledBack(error);
    }
  }

  /** Refuses to load into a table that already has rows (the seed keeps those: a plan made before they had some). */
  async #assertEmpty(table: Table): Promise<void> {
    const full = (await this.#rows('checking that the table to load is empty', nonEmptyTablesSql([table], this.#currentRef))) as Array<{ name: string }>;
    if (full.length > 0) {
      throw new UsageError(`table ${full[0]!.name} on ${this.description} already has rows, but the plan loads it`, {
        hint: 'Plan again against this target (a seed keeps tables that have rows), or pass --truncate to replace their rows.',
      });
    }
  }

  /** Holds the copies' lock, then creates them (DDL: before the transaction, which it would commit). */
  async #makeCopies(): Promise<void> {
    if (this.#staged.size === 0) return;
    await this.#run('taking the lock of the staging copies', `DO GET_LOCK(${quoteString(this.#staged.lockName)}, 0)`);
    this.#copiesMade = true;
    for (const step of this.#staged.createSql()) {
      try {
        await this.#run(`making a staging copy of ${step.table} (its engine cannot roll back)`, step.sql);
      } catch (error) {
        throw new ConnectionError((error as Error).message, {
          cause: error,
          hint: 'A table whose engine cannot roll back is loaded into a copy (CREATE TABLE … LIKE), swapped in when the rest commits: the user needs the CREATE, ALTER and DROP privileges. Or convert the table to InnoDB.',
        });
      }
    }
  }

  #table(key: string): Table {
    const table = this.#options.schema.tables[key];
    if (!table) throw new UsageError(`table "${key}" is not in the schema the sink was opened with`);
    return table;
  }

  /** Where a table's rows go: its staging copy, or the table itself. */
  #refOf = (table: Table): string => this.#staged.refOf(table);

  #writer(table: string, columns: readonly EncoderColumn[], what: string, after?: () => Promise<void>): ChunkWriter {
    const inner =
      this.loadMethod === 'load-data'
        ? loadDataWriter(this.#conn, (file) => loadDataSql(table, columns, file), `understudy-${++this.#temps}`)
        : insertWriter(this.#conn, table, columns, this.#maxStatementBytes);
    const fail = async (error: unknown): Promise<never> => {
      if (isUnderstudyError(error)) throw await this.#rolledBack(error);
      const refused = [1148, 3948, 2068].includes(Number((error as { errno?: number }).errno));
      const failure = new ConnectionError(`${what} failed on ${this.description}: ${driverMessage(error, this.#url)}`, {
        cause: error,
        hint: refused
          ? 'The server refused LOAD DATA LOCAL INFILE: enable local_infile on the server, or load with the INSERT method (loadMethod: "insert"). Nothing was loaded.'
          : 'Nothing was loaded: the whole load was rolled back.',
      });
      throw await this.#rolledBack(failure);
    };
    const streaming = this.loadMethod === 'load-data';
    if (streaming) this.#streaming++;
    let open = streaming;
    const settle = (): void => {
      if (open) this.#streaming--;
      open = false;
    };
    return {
      write: (chunk) =>
        inner.write(chunk).catch(async (error: unknown) => {
          settle();
          return fail(error);
        }),
      end: async () => {
        await inner.end().then(settle, async (error: unknown) => {
          settle();
          return fail(error);
        });
        if (after) await after().catch(fail);
      },
    };
  }

  /**
   * Starts loading one table.
   * @example
   * ```ts
   * const writer = await sink.beginTable({ table: 'shop.users', columns, rows: 1000 });
   * ```
   */
  async beginTable(target: LoadTarget): Promise<ChunkWriter> {
    const table = this.#table(target.table);
    try {
      await this.#assertEmpty(table);
    } catch (error) {
      throw await this.#rolledBack(error);
    }
    this.#begun.add(target.table);
    for (const c of table.columns) {
      if (c.default?.kind === 'sequence' && target.columns.some((e) => e.name === c.name)) this.#autoIncrement.set(target.table, c.name);
    }
    const asTheyAre = target.textValues === true && this.#uncheckedAsTheyAre.has(target.table);
    if (!this.#unchecked.has(target.table) && !asTheyAre) return this.#writer(this.#refOf(table), target.columns, `loading ${target.table}`);
    this.#loadedUnchecked.add(target.table);
    const why = this.#unchecked.has(target.table) ? 'it closes an FK cycle' : 'its rows, copied as they are, may point at rows loaded after them';
    await this.#run(`loading ${target.table} with FK checks off (${why})`, 'SET FOREIGN_KEY_CHECKS = 0');
    return this.#writer(this.#refOf(table), target.columns, `loading ${target.table}`, async () => {
      await this.#conn.query('SET FOREIGN_KEY_CHECKS = 1');
    });
  }

  /** Every FK of the tables loaded with checks off must find its parent row, or nothing is committed. */
  async #validateUnchecked(): Promise<void> {
    for (const key of [...new Set([...this.#unchecked, ...this.#loadedUnchecked])].sort()) {
      const table = this.#table(key);
      for (const fk of table.foreignKeys) {
        const parent = this.#options.schema.tables[fk.references.table];
        if (!parent) continue;
        const rows = (await this.#run(`validating ${key} ${fk.name}`, orphanCountSql(table, fk, parent, this.#refOf))) as Array<{ n: string | number }>;
        const orphans = Number(rows[0]?.n ?? 0);
        if (orphans > 0) {
          throw new ConnectionError(`${orphans} row(s) of ${key} loaded with FK checks off have no parent for ${fk.name} → ${fk.references.table}`, {
            hint: 'This is a bug in Understudy: nothing was committed. Please report it with the schema.',
          });
        }
      }
    }
  }

  /**
   * Loads key + set columns into a temporary table, then `UPDATE … JOIN` on `end()`.
   * @example
   * ```ts
   * const writer = await sink.beginUpdates({ table: 'shop.dept', keyColumns, setColumns, rows: 10 });
   * ```
   */
  async beginUpdates(target: DeferredUpdateTarget): Promise<ChunkWriter> {
    const table = this.#table(target.table);
    const keys = target.keyColumns.map((c) => c.name);
    const sets = target.setColumns.map((c) => c.name);
    const temp = quoteId(`understudy_update_${++this.#temps}`);
    const cols = [...keys, ...sets].map(quoteId).join(', ');
    try {
      await this.#run(`preparing updates of ${target.table}`, `CREATE TEMPORARY TABLE ${temp} AS SELECT ${cols} FROM ${this.#refOf(table)} LIMIT 0`);
    } catch (error) {
      throw await this.#rolledBack(error);
    }
    return this.#writer(temp, [...target.keyColumns, ...target.setColumns], `updating ${target.table}`, async () => {
      await this.#conn.query(updateJoinSql(this.#refOf(table), temp, keys, sets));
      await this.#conn.query(`DROP TEMPORARY TABLE ${temp}`);
    });
  }

  /**
   * Commits, swaps the staging copies in, then (when asked) moves AUTO_INCREMENT past the loaded keys, and closes.
   * @example
   * ```ts
   * await sink.commit({ advanceSequences: true });
   * ```
   */
  async commit(options: SinkCommitOptions): Promise<void> {
    if (this.#done) throw new ConnectionError(`the load into ${this.description} was already ended`);
    try {
      await this.#validateUnchecked();
      await this.#run('committing the load', 'COMMIT');
    } catch (error) {
      throw await this.#rolledBack(error);
    }
    this.#done = true;
    try {
      await this.#swapCopies();
      if (options.advanceSequences) {
        for (const [key, column] of this.#autoIncrement) {
          const ref = tableRef(this.#table(key));
          const [rows] = (await this.#conn.query(`SELECT MAX(${quoteId(column)}) AS m FROM ${ref}`)) as unknown as [Array<{ m: string | number | null }>];
          const max = rows[0]?.m;
          if (max !== null && max !== undefined) {
            await this.#run(`advancing AUTO_INCREMENT of ${key} (the rows are committed)`, `ALTER TABLE ${ref} AUTO_INCREMENT = ${BigInt(max) + 1n}`);
          }
        }
      }
    } finally {
      await this.#conn.end().catch(() => undefined);
    }
  }

  /**
   * Puts the loaded copies in place of the tables that cannot roll back, in one atomic RENAME,
   * right after COMMIT (RENAME would commit the transaction itself), and drops the old tables.
   */
  async #swapCopies(): Promise<void> {
    // A table not loaded without --truncate keeps its rows: its copy is dropped.
    const swapped = this.#swapped;
    const unused = this.#staged.dropCopiesSql((key) => !swapped(key));
    if (unused !== undefined) await this.#conn.query(unused).catch(() => undefined);
    const swap = this.#staged.swapSql(swapped);
    if (swap === undefined) return;
    try {
      await this.#conn.query(swap);
    } catch (error) {
      const names = this.#staged.tables.map(keyOf).filter(swapped).join(', ');
      throw new ConnectionError(
        `the load into ${this.description} was committed, but putting the loaded copies of ${names} (whose engine cannot roll back) in place failed: ${driverMessage(error, this.#url)}`,
        {
          cause: error,
          hint: `${names} still hold their old rows. To finish by hand: ${swap}; ${this.#staged.dropOldSql(swapped)}; or seed again with --truncate (the next seed drops the copies).`,
        },
      );
    }
    await this.#conn.query(this.#staged.dropOldSql(swapped)!).catch(() => undefined);
  }

  /**
   * Rolls back and closes; safe to call twice or after a failed commit. Beyond ROLLBACK it drops
   * the staging copies and sets back the AUTO_INCREMENT counters that moved.
   * @throws ConnectionError naming what could not be undone (and the statement that would undo it).
   * @example
   * ```ts
   * await sink.rollback();
   * ```
   */
  async rollback(): Promise<void> {
    const left = await this.#undo();
    if (left.length > 0) {
      throw new ConnectionError(`the load into ${this.description} was rolled back, but not all of it could be undone: ${left.join('; ')}`, { hint: UNDO_HINT });
    }
  }

  /** Rolls back, then `failure` — or, when something could not be undone, an error that says so too. */
  async #rolledBack(failure: unknown): Promise<unknown> {
    const left = await this.#undo();
    if (left.length === 0) return failure;
    const said = isUnderstudyError(failure) || failure instanceof Error ? failure.message : String(failure);
    return new ConnectionError(`${said}; the load was rolled back, but not all of it could be undone: ${left.join('; ')}`, { cause: failure, hint: UNDO_HINT });
  }

  /** Ends the load without committing; returns what could not be undone (empty: the target is as it was). */
  async #undo(): Promise<string[]> {
    if (this.#done) return [];
    this.#done = true;
    let conn = this.#conn;
    // A LOAD DATA still reading its stream would make ROLLBACK queue behind it; a connection that
    // broke cannot run it. Either way the connection is dropped (the server rolls its transaction
    // back), and a second session ends that one at once (KILL) and waits for it to be gone before
    // undoing what ROLLBACK does not.
    const rolledBack =
      this.#streaming === 0 &&
      (await conn.query('ROLLBACK').then(
        () => true,
        () => false,
      ));
    if (!rolledBack) {
      const thread = conn.threadId;
      conn.destroy();
      try {
        conn = await this.#reconnect();
      } catch (error) {
        return this.#notUndone(`the server could not be reached to finish the rollback (${driverMessage(error, this.#url)})`);
      }
      await conn.query(`KILL ${Number(thread)}`).catch(() => undefined);
      await waitUntilGone(conn, thread);
    }
    const run: RunSql = async (_what, text) => (await conn.query(text))[0] as Array<Record<string, unknown>>;
    const left: string[] = [];
    const drop = this.#staged.dropCopiesSql();
    if (drop !== undefined && this.#copiesMade) {
      await run('dropping the staging copies', drop).catch((error: unknown) => left.push(`the staging copies could not be dropped (${driverMessage(error, this.#url)}): run ${drop}`));
    }
    left.push(...(await restoreAutoIncrements(run, this.#options.schema, this.#before)));
    await conn.end().catch(() => undefined);
    return left;
  }

  /** What may be left when no session can finish the rollback: moved counters, staging copies. */
  #notUndone(why: string): string[] {
    const counters = [...this.#before.values()].filter((t) => t.autoIncrement !== null && this.#autoIncrement.has(keyOf(t)));
    const drop = this.#copiesMade ? this.#staged.dropCopiesSql() : undefined;
    const steps = [...counters.map((t) => `ALTER TABLE ${quoteId(t.schema)}.${quoteId(t.name)} AUTO_INCREMENT = ${t.autoIncrement}`), ...(drop !== undefined ? [drop] : [])];
    return steps.length === 0 ? [] : [`${why}: the server rolls the rows back itself, but to set back what it does not, run ${steps.join('; ')}`];
  }
}

/** Waits until session `thread` (killed) has ended, so that its rollback is done. */
async function waitUntilGone(conn: Connection, thread: number | null): Promise<void> {
  if (thread === null) return;
  for (;;) {
    const found = await conn.query(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ${Number(thread)}`).then(
      ([rows]) => Number((rows as Array<{ n: unknown }>)[0]?.n ?? 0),
      () => 0,
    );
    if (found === 0) return;
    await new Promise((resolve) => setTimeout(resolve, GONE_POLL_MS));
  }
}

/** A connection with the session settings every statement of the load relies on (lock waits bounded by `lockTimeoutMs`). */
async function openSession(config: ConnectionOptions, lockTimeoutMs: number): Promise<Connection> {
  const conn = await createConnection(config);
  conn.on('error', () => undefined);
  try {
    await conn.query("SET time_zone = '+00:00'");
    // The INSERT path writes backslash escapes; make sure the session reads them as such.
    await conn.query("SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))");
    // MySQL 8 caches information_schema.TABLES (AUTO_INCREMENT among it) for a day; MariaDB has no such cache.
    await conn.query('SET SESSION information_schema_stats_expiry = 0').catch(() => undefined);
    // A DELETE behind another session's transaction gives up, naming it, instead of waiting (a year, by default).
    const bounded = lockWaitSql(lockTimeoutMs);
    if (bounded) await conn.query(bounded);
  } catch (error) {
    conn.destroy();
    throw error;
  }
  return conn;
}

/**
 * Opens a load into the database of a `mysql://` / `mariadb://` URL.
 * @throws UsageError (no database in the URL, a table missing, non-empty table without truncate, rows
 *   elsewhere pointing at a table truncate would empty, a table that cannot roll back nor be staged); ConnectionError.
 * @example
 * ```ts
 * const sink = await openMysqlSink(url, { schema, truncate: false });
 * console.log(sink.loadMethod); // 'load-data'
 * ```
 */
export async function openMysqlSink(url: string, options: MysqlSinkOptions): Promise<MysqlLoadSink> {
  const target = parseMysqlUrl(url);
  if (!target.database) throw new UsageError(`${target.description} names no database`, { hint: 'Add the database to the URL path: mysql://user@host:3306/shop.' });
  const config: ConnectionOptions = {
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    socketPath: target.socketPath,
    ssl: target.ssl ? {} : undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    charset: 'utf8mb4_general_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    timezone: 'Z',
  };
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  let conn: Connection;
  try {
    conn = await openSession(config, lockTimeoutMs);
  } catch (error) {
    throw connectionErrorFrom(error, target, url);
  }
  try {
    const [vars] = (await conn.query('SELECT @@GLOBAL.local_infile AS local_infile, @@max_allowed_packet AS packet')) as unknown as [Array<{ local_infile: string | number; packet: string | number }>];
    const method: MysqlLoadMethod = options.loadMethod ?? (Number(vars[0]?.local_infile) === 1 ? 'load-data' : 'insert');
    const sink = new MysqlLoadSink(conn, () => openSession(config, lockTimeoutMs), url, target.description, method, Number(vars[0]?.packet ?? 16 * 1024 * 1024), options);
    await sink.start();
    return sink;
  } catch (error) {
    await conn.end().catch(() => undefined);
    if (isUnderstudyError(error)) throw error;
    throw connectionErrorFrom(error, target, url);
  }
}

const STAGED_SHOWN = 10;

/**
 * The note for tables loaded through staging copies: the first ten named, the rest counted, so a
 * schema that is MyISAM throughout (piwigo's 34 tables) gets one readable line.
 * @example
 * ```ts
 * stagedCopyNote(['shop.log (MyISAM)']); // "shop.log (MyISAM): loaded into a copy swapped in after the commit, since its engine cannot roll back"
 * ```
 */
export function stagedCopyNote(tables: readonly string[]): string {
  const list = tables.length > STAGED_SHOWN ? `${tables.slice(0, STAGED_SHOWN).join(', ')} and ${tables.length - STAGED_SHOWN} more` : tables.join(', ');
  return `${list}: loaded into a copy swapped in after the commit, since ${tables.length > 1 ? 'their engines' : 'its engine'} cannot roll back`;
}
