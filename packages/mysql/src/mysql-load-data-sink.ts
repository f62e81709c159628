/**
 * The MySQL/MariaDB sink: one connection, one transaction, each table streamed
 * with `LOAD DATA LOCAL INFILE` (mysql2's `infileStreamFactory`), or — when the
 * server has `local_infile` off — batched multi-row INSERTs of SQL literals the
 * workers encoded. `sink.loadMethod` says which. FK checks stay on (the plan
 * loads parents first), except for the child table of a cycle of NOT NULL FKs
 * that no order can load (sakila's staff ↔ store): that table loads with
 * `FOREIGN_KEY_CHECKS = 0`, and its FKs are validated by query before COMMIT.
 * AUTO_INCREMENT is advanced after COMMIT (ALTER TABLE commits implicitly in MySQL).
 *
 * @example
 * ```ts
 * const sink = await openMysqlSink('mysql://root@127.0.0.1/shop', { schema, truncate: true });
 * const writer = await sink.beginTable(target);
 * await writer.write(chunk); await writer.end();
 * await sink.commit({ advanceSequences: true });
 * ```
 */
import { buildFkGraph, keptReferenceError, referencesFromKept, ConnectionError, type FkGraph, isUnderstudyError, UsageError, type ChunkWriter, type DeferredUpdateTarget, type EncoderColumn, type ExistingRows, type ExistingRowsRequest, type LoadTarget, type OpenSinkOptions, type RowEncoding, type Sink, type SinkCommitOptions, type Table } from '@understudy/core';
import { createConnection, type Connection } from 'mysql2/promise';
import { connectionErrorFrom, driverMessage } from './mysql-errors.js';
import { insertWriter, loadDataWriter } from './mysql-load-writers.js';
import { readMysqlExistingRows } from './mysql-existing-rows.js';
import { loadDataSql, nonEmptyTablesSql, orphanCountSql, quoteId, tableRef, updateJoinSql } from './mysql-load-sql.js';
import { CONNECT_TIMEOUT_MS, parseMysqlUrl } from './mysql-url.js';

export type MysqlLoadMethod = 'load-data' | 'insert';

export interface MysqlSinkOptions extends OpenSinkOptions {
  /** Force a load method; by default LOAD DATA LOCAL when the server's `local_infile` is on, else INSERT. */
  readonly loadMethod?: MysqlLoadMethod;
}

export const LOAD_DATA_ENCODING: RowEncoding = { module: '@understudy/mysql/load-data-encoder' };
export const INSERT_ENCODING: RowEncoding = { module: '@understudy/mysql/insert-encoder' };

/** A `Sink` into one MySQL/MariaDB database. Made by {@link openMysqlSink}. */
export class MysqlLoadSink implements Sink {
  readonly encoding: RowEncoding;
  readonly updateEncoding: RowEncoding;
  readonly description: string;
  /** Both writers keep copies, never the chunk: LOAD DATA sends copied pieces, INSERT decodes it to text. */
  readonly releasesWrittenChunks = true;
  readonly loadMethod: MysqlLoadMethod;
  readonly #conn: Connection;
  readonly #options: MysqlSinkOptions;
  readonly #url: string;
  readonly #maxStatementBytes: number;
  readonly #autoIncrement = new Map<string, string>();
  /** The FK graph as this sink loads it (a cycle of NOT NULL FKs broken by loading unchecked). */
  readonly #graph: FkGraph;
  /** Tables that close an FK cycle no order can load: loaded with FK checks off, validated before COMMIT. */
  readonly #unchecked: ReadonlySet<string>;
  #temps = 0;
  #streaming = 0;
  #done = false;

  constructor(conn: Connection, url: string, description: string, method: MysqlLoadMethod, maxPacket: number, options: MysqlSinkOptions) {
    this.#conn = conn;
    this.#url = url;
    this.description = description;
    this.loadMethod = method;
    this.encoding = method === 'load-data' ? LOAD_DATA_ENCODING : INSERT_ENCODING;
    this.updateEncoding = this.encoding;
    this.#maxStatementBytes = Math.max(64 * 1024, Math.min(4 * 1024 * 1024, maxPacket - 16 * 1024));
    this.#options = options;
    this.#graph = buildFkGraph(options.schema, { uncheckedLoad: true });
    this.#unchecked = new Set(this.#graph.cycles.flatMap((c) => c.broken.filter((b) => b.how === 'unchecked').map((b) => b.from)));
  }

  async #run(what: string, text: string): Promise<unknown> {
    try {
      const [result] = await this.#conn.query(text);
      return result;
    } catch (error) {
      throw new ConnectionError(`${what} failed on ${this.description}: ${driverMessage(error, this.#url)}`, { cause: error });
    }
  }

  /** Starts the transaction, then empties the tables it may write when asked to truncate. */
  async start(): Promise<void> {
    const schema = this.#options.schema;
    const only = this.#options.tables ? new Set(this.#options.tables) : undefined;
    const order = this.#graph.loadOrder.filter((k) => !only || only.has(k)).map((k) => schema.tables[k]!).filter(Boolean);
    await this.#run('starting the load', 'START TRANSACTION');
    if (order.length === 0) return;
    if (this.#options.truncate) {
      const references = referencesFromKept(schema, new Set(order.map((t) => `${t.schema}.${t.name}`)));
      if (references.length > 0) {
        const children = [...new Set(references.map((r) => r.child))].map((k) => schema.tables[k]!);
        const full = new Set(((await this.#run('checking the tables that reference the ones to empty', nonEmptyTablesSql(children))) as Array<{ name: string }>).map((r) => r.name));
        const found = references.filter((r) => full.has(r.child));
        if (found.length > 0) throw keptReferenceError(found, this.description);
      }
      // DELETE (TRUNCATE would commit); children first, FK checks off so cycles and self-references empty too.
      await this.#run('emptying the tables', 'SET FOREIGN_KEY_CHECKS = 0');
      for (const t of [...order].reverse()) await this.#run(`emptying ${t.schema}.${t.name}`, `DELETE FROM ${tableRef(t)}`);
      await this.#run('emptying the tables', 'SET FOREIGN_KEY_CHECKS = 1');
    }
  }

  /**
   * The rows already in the tables, for a seed that keeps them (see `Sink.existingRows`).
   * @example
   * ```ts
   * await sink.existingRows([{ table: 'shop.users', columns: ['id'], limit: 10_000 }]);
   * ```
   */
  async existingRows(requests: readonly ExistingRowsRequest[]): Promise<ExistingRows[]> {
    try {
      return await readMysqlExistingRows((text) => this.#run('reading the rows already in the tables', text), this.#options.schema, requests);
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** Refuses to load into a table that already has rows (the seed keeps those: a plan made before they had some). */
  async #assertEmpty(table: Table): Promise<void> {
    const full = (await this.#run('checking that the table to load is empty', nonEmptyTablesSql([table]))) as Array<{ name: string }>;
    if (full.length > 0) {
      throw new UsageError(`table ${full[0]!.name} on ${this.description} already has rows, but the plan loads it`, {
        hint: 'Plan again against this target (a seed keeps tables that have rows), or pass --truncate to replace their rows.',
      });
    }
  }

  #table(key: string): Table {
    const table = this.#options.schema.tables[key];
    if (!table) throw new UsageError(`table "${key}" is not in the schema the sink was opened with`);
    return table;
  }

  #writer(table: string, columns: readonly EncoderColumn[], what: string, after?: () => Promise<void>): ChunkWriter {
    const inner =
      this.loadMethod === 'load-data'
        ? loadDataWriter(this.#conn, (file) => loadDataSql(table, columns, file), `understudy-${++this.#temps}`)
        : insertWriter(this.#conn, table, columns, this.#maxStatementBytes);
    const fail = async (error: unknown): Promise<never> => {
      await this.rollback();
      if (isUnderstudyError(error)) throw error;
      const refused = [1148, 3948, 2068].includes(Number((error as { errno?: number }).errno));
      throw new ConnectionError(`${what} failed on ${this.description}: ${driverMessage(error, this.#url)}`, {
        cause: error,
        hint: refused
          ? 'The server refused LOAD DATA LOCAL INFILE: enable local_infile on the server, or load with the INSERT method (loadMethod: "insert"). Nothing was loaded.'
          : 'Nothing was loaded: the whole load was rolled back.',
      });
    };
    const streaming = this.loadMethod === 'load-data';
    if (streaming) this.#streaming++;
    let open = streaming;
    const settle = (): void => {
      if (open) this.#streaming--;
      open = false;
    };
    return {
      write: (chunk) => inner.write(chunk).catch(async (error: unknown) => {
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
      await this.rollback();
      throw error;
    }
    for (const c of table.columns) {
      if (c.default?.kind === 'sequence' && target.columns.some((e) => e.name === c.name)) this.#autoIncrement.set(target.table, c.name);
    }
    if (!this.#unchecked.has(target.table)) return this.#writer(tableRef(table), target.columns, `loading ${target.table}`);
    await this.#run(`loading ${target.table} with FK checks off (it closes an FK cycle)`, 'SET FOREIGN_KEY_CHECKS = 0');
    return this.#writer(tableRef(table), target.columns, `loading ${target.table}`, async () => {
      await this.#conn.query('SET FOREIGN_KEY_CHECKS = 1');
    });
  }

  /** Every FK of the tables loaded with checks off must find its parent row, or nothing is committed. */
  async #validateUnchecked(): Promise<void> {
    for (const key of [...this.#unchecked].sort()) {
      const table = this.#table(key);
      for (const fk of table.foreignKeys) {
        const parent = this.#options.schema.tables[fk.references.table];
        if (!parent) continue;
        const rows = (await this.#run(`validating ${key} ${fk.name}`, orphanCountSql(table, fk, parent))) as Array<{ n: string | number }>;
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
      await this.#run(`preparing updates of ${target.table}`, `CREATE TEMPORARY TABLE ${temp} AS SELECT ${cols} FROM ${tableRef(table)} LIMIT 0`);
    } catch (error) {
      await this.rollback();
      throw error;
    }
    return this.#writer(temp, [...target.keyColumns, ...target.setColumns], `updating ${target.table}`, async () => {
      await this.#conn.query(updateJoinSql(tableRef(table), temp, keys, sets));
      await this.#conn.query(`DROP TEMPORARY TABLE ${temp}`);
    });
  }

  /**
   * Commits, then (when asked) moves AUTO_INCREMENT past the loaded keys, and closes.
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
      await this.rollback();
      throw error;
    }
    this.#done = true;
    try {
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
   * Rolls back and closes; safe to call twice or after a failed commit.
   * @example
   * ```ts
   * await sink.rollback();
   * ```
   */
  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (this.#streaming > 0) {
      // A LOAD DATA is still reading its stream: ROLLBACK would queue behind it. Dropping the
      // connection makes the server roll the transaction back.
      this.#conn.destroy();
      return;
    }
    await this.#conn.query('ROLLBACK').catch(() => undefined);
    await this.#conn.end().catch(() => undefined);
  }
}

/**
 * Opens a load into the database of a `mysql://` / `mariadb://` URL.
 * @throws UsageError (no database in the URL, non-empty table without truncate); ConnectionError.
 * @example
 * ```ts
 * const sink = await openMysqlSink(url, { schema, truncate: false });
 * console.log(sink.loadMethod); // 'load-data'
 * ```
 */
export async function openMysqlSink(url: string, options: MysqlSinkOptions): Promise<MysqlLoadSink> {
  const target = parseMysqlUrl(url);
  if (!target.database) throw new UsageError(`${target.description} names no database`, { hint: 'Add the database to the URL path: mysql://user@host:3306/shop.' });
  let conn: Connection;
  try {
    conn = await createConnection({
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
    });
    conn.on('error', () => undefined);
  } catch (error) {
    throw connectionErrorFrom(error, target, url);
  }
  try {
    await conn.query("SET time_zone = '+00:00'");
    // The INSERT path writes backslash escapes; make sure the session reads them as such.
    await conn.query("SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))");
    const [vars] = (await conn.query('SELECT @@GLOBAL.local_infile AS local_infile, @@max_allowed_packet AS packet')) as unknown as [Array<{ local_infile: string | number; packet: string | number }>];
    const method: MysqlLoadMethod = options.loadMethod ?? (Number(vars[0]?.local_infile) === 1 ? 'load-data' : 'insert');
    const sink = new MysqlLoadSink(conn, url, target.description, method, Number(vars[0]?.packet ?? 16 * 1024 * 1024), options);
    try {
      await sink.start();
    } catch (error) {
      await sink.rollback();
      throw error;
    }
    return sink;
  } catch (error) {
    await conn.end().catch(() => undefined);
    if (isUnderstudyError(error)) throw error;
    throw connectionErrorFrom(error, target, url);
  }
}
