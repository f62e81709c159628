/**
 * The transactional load both PostgreSQL sinks share (server and PGlite): one
 * transaction, deferred constraints, truncate-or-refuse, foreign keys, primary
 * and unique keys and secondary indexes dropped for the load and rebuilt in one
 * pass each (COPY into a bare table), deferred updates through a temporary table,
 * and sequences advanced past the loaded keys. A driver only supplies `query` and
 * a COPY stream (`copyIn`).
 *
 * A table whose every column type has a binary codec (`postgres-binary-codecs.ts`)
 * is sent in COPY's binary format, which the server reads with each type's
 * receive function instead of parsing text; any other table as COPY text.
 *
 * A table's keys and indexes are rebuilt as soon as its rows are in, and a foreign
 * key as soon as both its tables are, so that work overlaps the generation of the
 * tables still to come instead of piling up before COMMIT; a table whose deferred
 * updates follow (`updatesFollow`) waits for the commit, which rebuilds whatever is left.
 *
 * @example
 * ```ts
 * const sink = await PostgresLoadSink.open(driver, { schema, truncate: true });
 * const w = await sink.beginTable(target); await w.write(bytes); await w.end();
 * await sink.commit({ advanceSequences: true });
 * ```
 */
import {
  ConnectionError,
  DEFAULT_LOCK_TIMEOUT_MS,
  isUnderstudyError,
  keptReferenceError,
  referencesFromKept,
  UsageError,
  type ChunkWriter,
  type DeferredUpdateTarget,
  type ExistingRows,
  type ExistingRowsRequest,
  type LoadTarget,
  type OpenSinkOptions,
  type RowEncoding,
  type Sink,
  type SinkCommitOptions,
  type Table,
} from '@understudy/core';
import { readBinaryCodecs } from './postgres-binary-codecs.js';
import { nonEmptyTables, readExistingRows } from './postgres-existing-rows.js';
import { settingsReadByDefaults } from './postgres-session-settings.js';
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER, type BinaryCodec, type BinaryCopyOptions } from './postgres-binary-copy-encoder.js';
import {
  advanceSequenceSql,
  copyIntoSql,
  createUpdateTempSql,
  loadableTables,
  missingTablesSql,
  qualifiedTable,
  quoteIdent,
  setAsideSql,
  truncateSql,
  unownedTablesSql,
  updateFromTempSql,
  type SetAsideRow,
} from './postgres-load-sql.js';
import { explainLoadFailure } from './postgres-seed-failures.js';

/** What a PostgreSQL driver gives the shared load. */
export interface PgLoadDriver {
  readonly description: string;
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs statements separated by semicolons, without parameters, in one round trip; their rows are dropped. */
  script(sql: string): Promise<void>;
  /**
   * Starts a `COPY … FROM` into `table`'s `columns`; the writer's `end()` resolves once the rows are in.
   * With `framing` (binary COPY), every COPY statement the driver runs starts with its header and ends with its trailer.
   */
  copyIn(table: Pick<Table, 'schema' | 'name'>, columns: readonly string[], copySql: (source: string) => string, framing?: CopyFraming): Promise<ChunkWriter>;
  /** Releases the connection (after COMMIT or ROLLBACK). */
  close(): Promise<void>;
  /** True while a COPY is still open: a rollback then drops the connection (the server rolls back) instead of queueing ROLLBACK behind it. */
  busy?(): boolean;
  /** Removes secrets (the URL's password) from a message. */
  redact(message: string): string;
  /** True when a `copyIn` writer's `write` lets go of the chunk when it resolves (`Sink.releasesWrittenChunks`). */
  readonly releasesWrittenChunks?: boolean;
}

/** The bytes around a binary COPY's tuples. */
export interface CopyFraming {
  readonly header: Uint8Array;
  readonly trailer: Uint8Array;
}

export interface PostgresSinkOptions extends OpenSinkOptions {
  /**
   * `binary` (default): a table whose every column type has a binary codec is sent in COPY's
   * binary format, the others as text; `text`: every table as COPY text.
   */
  readonly copyFormat?: 'binary' | 'text';
  /** Drop non-unique secondary indexes of loaded tables during the load and rebuild them before commit (default true). */
  readonly deferIndexes?: boolean;
  /**
   * Drop the foreign keys of loaded tables during the load and add them back before commit
   * (one validating pass per key instead of a trigger per row; default true).
   */
  readonly deferForeignKeys?: boolean;
  /**
   * Drop primary keys, unique constraints and unique indexes of loaded tables during the load
   * (after the foreign keys that reference them) and add them back before commit, so the load
   * goes into bare tables; a duplicate still fails the commit. Needs `deferForeignKeys`; default true.
   */
  readonly deferKeys?: boolean;
}

/** The encoding both PostgreSQL sinks take for a table that cannot go as binary, and for deferred updates: COPY text. */
export const COPY_TEXT_ENCODING: RowEncoding = { module: '@understudy/postgres/copy-encoder' };
/** The worker module of COPY's binary format; its options are `BinaryCopyOptions`. */
export const COPY_BINARY_MODULE = '@understudy/postgres/binary-copy-encoder';
const BINARY_FRAMING: CopyFraming = { header: BINARY_COPY_HEADER, trailer: BINARY_COPY_TRAILER };

/** Tables named in a message: all of a few, the first few of many. */
function tableList(keys: readonly string[]): string {
  return keys.length <= 4 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more tables`;
}

function message(error: unknown): string {
  const e = error as { message?: string; detail?: string; where?: string };
  return [e.message ?? String(error), e.detail].filter(Boolean).join(' — ');
}

/**
 * What to do about a failure the server explains only in its own terms: its lock table is full
 * (53200, `out of shared memory`: one transaction locks every table, key and index it loads).
 */
function hintFor(error: unknown, tables: number): string | undefined {
  if ((error as { code?: string }).code !== '53200') return undefined;
  return (
    `One load holds a lock on every table and index it writes (${tables.toLocaleString('en-US')} tables here), more than the server's lock table ` +
    '(max_locks_per_transaction × max_connections) has room for: raise max_locks_per_transaction (e.g. to 1024) and restart the server, ' +
    'or seed the tables in groups with --only. Nothing was loaded.'
  );
}

/** A `Sink` over any `PgLoadDriver`. Made by `openPostgresSink` / `openPgliteSink`. */
export class PostgresLoadSink implements Sink {
  readonly encoding = COPY_TEXT_ENCODING;
  readonly updateEncoding = COPY_TEXT_ENCODING;
  readonly description: string;
  readonly releasesWrittenChunks: boolean;
  /**
   * Every foreign key of a loaded table, its own and those that reference it, is set aside until
   * both its tables are in; not when a table the session does not own keeps its keys in place.
   */
  get anyTableOrder(): boolean {
    return this.#setsAsideForeignKeys && this.#unowned.size === 0;
  }
  /** What the load did differently from what was asked, for the user (tables loaded with their keys in place). */
  get notes(): readonly string[] {
    return this.#notes;
  }
  readonly #setsAsideForeignKeys: boolean;
  /** Tables the session cannot alter: their keys, indexes, foreign keys and triggers stay as they are. */
  #unowned = new Set<string>();
  readonly #notes: string[] = [];
  /** Triggers disabled for the load, with the statement that enables each again as it was. */
  readonly #enableTriggers: string[] = [];
  readonly #driver: PgLoadDriver;
  readonly #options: PostgresSinkOptions;
  readonly #loaded = new Map<string, Set<string>>();
  /** Tables whose keys, indexes and FKs are set aside already (by `prepare` or their first COPY). */
  readonly #prepared = new Set<string>();
  /** Per table key: the statements that put back its keys (first) and indexes, set aside for the load. */
  readonly #setAside = new Map<string, { keys: string[]; indexes: string[] }>();
  /** Foreign keys set aside (`table` and `name`: the referencing table as regclass text, the key), with the tables (as `schema.name`) whose rows must be final before they go back. */
  #droppedForeignKeys: Array<{ table: string; name: string; child: string; parent: string; sql: string }> = [];
  /** Tables whose rows are all in (their writer ended, no updates follow). */
  readonly #final = new Set<string>();
  /** Tables checked empty before their first rows. */
  readonly #checkedEmpty = new Set<string>();
  #temps = 0;
  #done = false;
  /** Per table key, each column's binary codec (undefined: none); empty with `copyFormat: 'text'`. */
  #codecs = new Map<string, Map<string, BinaryCodec | undefined>>();

  private constructor(driver: PgLoadDriver, options: PostgresSinkOptions) {
    this.#driver = driver;
    this.#options = options;
    this.description = driver.description;
    this.releasesWrittenChunks = driver.releasesWrittenChunks === true;
    this.#setsAsideForeignKeys = options.deferForeignKeys !== false && options.deferKeys !== false;
  }

  /**
   * Begins the load transaction on `driver` (closing it if that fails).
   * @throws UsageError naming a non-empty table when `truncate` is off.
   * @example
   * ```ts
   * const sink = await PostgresLoadSink.open(driver, { schema, truncate: false });
   * ```
   */
  static async open(driver: PgLoadDriver, options: PostgresSinkOptions): Promise<PostgresLoadSink> {
    const sink = new PostgresLoadSink(driver, options);
    try {
      await sink.#run('starting the load', 'BEGIN');
      await sink.#run('starting the load', 'SET CONSTRAINTS ALL DEFERRED');
      // A statement waiting on another session's lock gives up, naming it, instead of waiting silently.
      await sink.#run('starting the load', `SET LOCAL lock_timeout = ${Math.round(options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS)}`);
      // A DEFAULT that reads a setting the application sets per session (`current_setting('app.current_tenant')`)
      // is evaluated for the rows a trigger inserts: give the setting a value for the load when the session has none.
      for (const [name, value] of settingsReadByDefaults(options.schema)) {
        const set = await sink.#run<{ v: string }>('setting what the defaults read', `SELECT set_config($1, $2, true) AS v WHERE coalesce(current_setting($1, true), '') = ''`, [name, value]);
        if (set.length > 0) sink.#notes.push(`set ${name} = '${value}' for the load: column defaults read it with current_setting(), and this session had no value`);
      }
      const tables = loadableTables(options.schema);
      if (tables.length > 0) {
        const missing = await sink.#run<{ key: string }>('checking that the tables exist', missingTablesSql, [tables.map(qualifiedTable)]);
        if (missing.length > 0) {
          const keyOf = new Map(tables.map((t) => [qualifiedTable(t), `${t.schema}.${t.name}`]));
          const names = missing.map((r) => keyOf.get(r.key) ?? r.key);
          throw new UsageError(`the schema names table${names.length > 1 ? 's' : ''} ${names.join(', ')}, which ${driver.description} does not have`, {
            hint: 'Run your migrations on the target first, or introspect this database instead of giving a schema made from another one.',
          });
        }
        if (options.truncate) {
          const only = options.tables ? new Set(options.tables) : undefined;
          const emptied = only ? tables.filter((t) => only.has(`${t.schema}.${t.name}`)) : tables;
          const references = referencesFromKept(options.schema, new Set(emptied.map((t) => `${t.schema}.${t.name}`)));
          if (references.length > 0) {
            const children = [...new Set(references.map((r) => r.child))].map((k) => options.schema.tables[k]!);
            const full = await nonEmptyTables((text, params) => sink.#run('checking the tables that reference the ones to empty', text, params), children);
            const found = references.filter((r) => full.has(r.child));
            if (found.length > 0) throw keptReferenceError(found, driver.description);
          }
          if (emptied.length > 0) {
            // Locked as TRUNCATE would, and truncated only when a table has rows: TRUNCATE of empty
            // tables still makes new files for each and its indexes (tens of ms a table on a fresh copy
            // of a schema). (All or none: a table referencing a truncated one must be in the statement.)
            await sink.#run('emptying the tables', `LOCK TABLE ${emptied.map(qualifiedTable).join(', ')} IN ACCESS EXCLUSIVE MODE`);
            const withRows = await nonEmptyTables((text, params) => sink.#run('emptying the tables', text, params), emptied);
            if (withRows.size > 0) await sink.#run('emptying the tables', truncateSql(emptied));
          }
        }
        const unowned = await sink.#run<{ key: string }>('checking who owns the tables', unownedTablesSql, [tables.map(qualifiedTable)]);
        sink.#unowned = new Set(unowned.map((r) => r.key));
        if (unowned.length > 0) {
          sink.#notes.push(
            `${tableList(unowned.map((r) => r.key))}: loaded with ${unowned.length === 1 ? 'its' : 'their'} keys, indexes, foreign keys and triggers in place, ` +
              'as the role does not own them (slower; run as the owner to load into bare tables)',
          );
        }
        if (options.copyFormat !== 'text') {
          sink.#codecs = await readBinaryCodecs((sql, params) => sink.#run('reading the column types', sql, params), tables);
        }
      }
    } catch (error) {
      await sink.rollback();
      throw error;
    }
    return sink;
  }

  /**
   * The rows already in the tables, for a seed that keeps them (see `Sink.existingRows`).
   * @example
   * ```ts
   * await sink.existingRows([{ table: 'public.users', columns: ['id'], limit: 10_000 }]);
   * ```
   */
  async existingRows(requests: readonly ExistingRowsRequest[]): Promise<ExistingRows[]> {
    try {
      return await readExistingRows((text, params) => this.#run('reading the rows already in the tables', text, params), this.#options.schema, requests);
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** Refuses to load into tables that already have rows (the seed keeps those: a plan made before they had some). */
  async #assertEmpty(keys: readonly string[]): Promise<void> {
    const tables = keys.filter((k) => !this.#checkedEmpty.has(k)).map((k) => this.#table(k));
    if (tables.length === 0) return;
    for (const t of tables) this.#checkedEmpty.add(`${t.schema}.${t.name}`);
    const full = await nonEmptyTables((text, params) => this.#run('checking that the tables to load are empty', text, params), tables);
    if (full.size > 0) {
      const names = [...full];
      throw new UsageError(`table ${tableList(names)} on ${this.description} already has rows, but the plan loads ${names.length === 1 ? 'it' : 'them'}`, {
        hint: 'Plan again against this target (a seed keeps tables that have rows), or pass --truncate to replace their rows.',
      });
    }
  }

  async #run<T = Record<string, unknown>>(what: string, text: string, params?: readonly unknown[]): Promise<T[]> {
    this.#options.signal?.throwIfAborted(); // interrupted: start nothing more (ROLLBACK goes straight to the driver)
    try {
      return await this.#driver.query<T>(text, params);
    } catch (error) {
      throw await this.#failure(what, error);
    }
  }

  async #script(what: string, statements: readonly string[]): Promise<void> {
    if (statements.length === 0) return;
    this.#options.signal?.throwIfAborted();
    try {
      await this.#driver.script(statements.join(';\n'));
    } catch (error) {
      throw await this.#failure(what, error);
    }
  }

  /** The error for a failed statement: a lock wait that timed out, pending trigger events or a lost server explained (see postgres-seed-failures.ts). */
  async #failure(what: string, error: unknown, hint?: string): Promise<ConnectionError> {
    const context = { namespaces: this.#options.schema.namespaces, lockTimeoutMs: this.#options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS };
    const known = await explainLoadFailure(this.#driver, error, context);
    const detail = known ? known.message : message(error);
    const hintText = known?.hint ?? hintFor(error, loadableTables(this.#options.schema).length) ?? hint;
    return new ConnectionError(`${what} failed on ${this.description}: ${this.#driver.redact(detail)}`, { cause: error, ...(hintText ? { hint: hintText } : {}) });
  }

  #table(key: string): Table {
    const table = this.#options.schema.tables[key];
    if (!table) throw new UsageError(`table "${key}" is not in the schema the sink was opened with`);
    return table;
  }

  #setAsideFor(key: string): { keys: string[]; indexes: string[] } {
    let entry = this.#setAside.get(key);
    if (!entry) {
      entry = { keys: [], indexes: [] };
      this.#setAside.set(key, entry);
    }
    return entry;
  }

  /** The table a partition's rows are loaded through (itself for any other table). */
  #loadedThrough(key: string): string {
    let table = this.#options.schema.tables[key];
    while (table?.kind === 'partition' && table.partitionOf) {
      key = table.partitionOf;
      table = this.#options.schema.tables[key];
    }
    return key;
  }

  /**
   * Puts back what was set aside for `keys` (each table's keys, then its indexes) and the foreign
   * keys now between final tables, in one round trip: a duplicate or an orphan fails it and names
   * the key.
   */
  async #restore(keys: readonly string[], foreignKeys: (fk: { child: string; parent: string }) => boolean): Promise<void> {
    const statements: string[] = [];
    for (const key of keys) statements.push(...(this.#setAside.get(key)?.keys ?? []));
    for (const key of keys) {
      statements.push(...(this.#setAside.get(key)?.indexes ?? []));
      this.#setAside.delete(key);
    }
    const ready = this.#droppedForeignKeys.filter(foreignKeys);
    this.#droppedForeignKeys = this.#droppedForeignKeys.filter((fk) => !ready.includes(fk));
    statements.push(...ready.map((fk) => fk.sql));
    const tables = [...new Set([...keys, ...ready.map((fk) => fk.child)])];
    await this.#script(`putting back the keys, indexes and foreign keys of ${tableList(tables)} after the load`, statements);
  }

  /** After a table's last row: it is final, so its keys, indexes and the foreign keys between final tables go back now. */
  async #settle(key: string): Promise<void> {
    this.#final.add(key);
    const isFinal = (table: string): boolean => this.#final.has(this.#loadedThrough(table));
    await this.#restore([key], (fk) => isFinal(fk.child) && isFinal(fk.parent));
  }

  /**
   * Before the first COPY into any of `tables`: drops what would check rows one by one, to rebuild
   * it in one pass once their rows are in. One query reads it all and one round trip drops it.
   */
  async #setAsideForLoad(tables: ReadonlyArray<{ readonly table: Table; readonly disableTriggers?: readonly string[] }>): Promise<void> {
    const todo = new Map<string, Table>();
    const disable = new Map<string, ReadonlySet<string>>();
    for (const { table, disableTriggers } of tables) {
      const key = `${table.schema}.${table.name}`;
      if (!this.#prepared.has(key) && !this.#unowned.has(key)) {
        todo.set(key, table);
        if (disableTriggers && disableTriggers.length > 0) disable.set(key, new Set(disableTriggers));
      }
      this.#prepared.add(key);
    }
    const deferForeignKeys = this.#options.deferForeignKeys !== false;
    // Keys go after every foreign key that references them (from any table: each goes back once both its tables are final).
    const deferKeys = deferForeignKeys && this.#options.deferKeys !== false;
    const deferIndexes = this.#options.deferIndexes !== false;
    if (todo.size === 0 || (!deferForeignKeys && !deferIndexes && disable.size === 0)) return;
    const names = [...todo.keys()];
    const rows = await this.#run<SetAsideRow>(`reading the keys, indexes and foreign keys of ${tableList(names)}`, setAsideSql, [[...todo.values()].map(qualifiedTable)]);
    const order = new Map(names.map((key, i) => [key, i]));
    const of = (kind: SetAsideRow['kind']): SetAsideRow[] => rows.filter((r) => r.kind === kind).sort((a, b) => (order.get(a.of) ?? 0) - (order.get(b.of) ?? 0));
    const drops: string[] = [];
    for (const t of of('trigger')) {
      if (!disable.get(t.of)?.has(t.name)) continue;
      const alter = `ALTER TABLE ${qualifiedTable(todo.get(t.of)!)}`;
      drops.push(`${alter} DISABLE TRIGGER ${quoteIdent(t.name)}`);
      const mode = t.definition === 'A' ? 'ALWAYS ' : t.definition === 'R' ? 'REPLICA ' : '';
      this.#enableTriggers.push(`${alter} ENABLE ${mode}TRIGGER ${quoteIdent(t.name)}`);
    }
    const dropped = new Set(this.#droppedForeignKeys.map((fk) => `${fk.table}\u0000${fk.name}`));
    for (const fk of [...(deferForeignKeys ? of('fk') : []), ...(deferKeys ? of('referencing') : [])]) {
      const id = `${fk.table}\u0000${fk.name}`;
      if (dropped.has(id)) continue; // a key between two of the tables comes once as each's
      // A key to or from a table the session does not own stays: it checks each row as it comes.
      if (this.#unowned.has(fk.child!) || this.#unowned.has(fk.parent!)) continue;
      dropped.add(id);
      const alter = `ALTER TABLE ${fk.table!}`;
      drops.push(`${alter} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
      this.#droppedForeignKeys.push({
        table: fk.table!,
        name: fk.name,
        child: fk.child!,
        parent: fk.parent!,
        sql: [`${alter} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`, ...fk.after].join(';\n'),
      });
    }
    if (deferKeys) {
      for (const k of [...of('constraint'), ...of('unique-index')]) {
        const ref = qualifiedTable(todo.get(k.of)!);
        if (k.kind === 'constraint') {
          drops.push(`ALTER TABLE ${ref} DROP CONSTRAINT ${quoteIdent(k.name)}`);
          this.#setAsideFor(k.of).keys.push(`ALTER TABLE ${ref} ADD CONSTRAINT ${quoteIdent(k.name)} ${k.definition}`, ...k.after);
        } else {
          drops.push(`DROP INDEX ${k.name}`);
          this.#setAsideFor(k.of).keys.push(k.definition.replace(/^(CREATE UNIQUE INDEX .*? ON )ONLY /, '$1'), ...k.after);
        }
      }
    }
    if (deferIndexes) {
      for (const r of of('index')) {
        drops.push(`DROP INDEX ${r.name}`);
        // A partitioned parent's index prints as `ON ONLY`; rebuild it with its partitions' indexes.
        this.#setAsideFor(r.of).indexes.push(r.definition.replace(/^(CREATE INDEX .*? ON )ONLY /, '$1'), ...r.after);
      }
    }
    await this.#script(`setting aside the keys, indexes and foreign keys of ${tableList(names)} for the load`, drops);
  }

  /** Wraps a driver writer: a failure names the table, rolls the whole load back and is rethrown typed. */
  #guard(writer: ChunkWriter, what: string, after?: () => Promise<void>): ChunkWriter {
    const fail = async (error: unknown): Promise<never> => {
      const failure = isUnderstudyError(error) ? error : await this.#failure(what, error, 'Nothing was loaded: the whole load was rolled back.');
      await this.rollback();
      throw failure;
    };
    return {
      write: (chunk) => writer.write(chunk).catch(fail),
      end: async () => {
        await writer.end().catch(fail);
        if (after) await after().catch(fail);
      },
    };
  }

  /**
   * Sets aside the keys, indexes and FKs of every table to be loaded, before the first COPY: the
   * database does it while the workers start, not between one table's rows and the next's.
   * @example
   * ```ts
   * await sink.prepare(targets); // then beginTable(target) for each, in order
   * ```
   */
  async prepare(targets: readonly LoadTarget[]): Promise<void> {
    try {
      await this.#assertEmpty(targets.map((t) => t.table));
      await this.#setAsideForLoad(targets.map((t) => ({ table: this.#table(t.table), ...(t.disableTriggers ? { disableTriggers: t.disableTriggers } : {}) })));
    } catch (error) {
      await this.rollback();
      throw error;
    }
  }

  /** The binary COPY options of a target, when every one of its columns has a codec. */
  #binaryOptions(target: LoadTarget): BinaryCopyOptions | undefined {
    if (target.textValues) return undefined;
    const columns = this.#codecs.get(target.table);
    if (!columns) return undefined;
    const codecs: BinaryCodec[] = [];
    for (const c of target.columns) {
      const codec = columns.get(c.name);
      if (codec === undefined) return undefined;
      codecs.push(codec);
    }
    return { table: target.table, codecs };
  }

  /**
   * COPY's binary format for a table whose every column type has a binary codec, else COPY text.
   * @example
   * ```ts
   * sink.encodingFor(target); // { module: '@understudy/postgres/binary-copy-encoder', options: { table, codecs } }
   * ```
   */
  encodingFor(target: LoadTarget): RowEncoding {
    const options = this.#binaryOptions(target);
    return options ? { module: COPY_BINARY_MODULE, options } : COPY_TEXT_ENCODING;
  }

  /**
   * Starts `COPY` into a table (partitioned parents route rows to their partitions), in the format `encodingFor(target)` says.
   * @example
   * ```ts
   * const writer = await sink.beginTable({ table: 'public.users', columns, rows: 1000 });
   * ```
   */
  async beginTable(target: LoadTarget): Promise<ChunkWriter> {
    const table = this.#table(target.table);
    const columns = target.columns.map((c) => c.name);
    try {
      await this.#assertEmpty([target.table]);
      await this.#setAsideForLoad([{ table, ...(target.disableTriggers ? { disableTriggers: target.disableTriggers } : {}) }]);
    } catch (error) {
      await this.rollback();
      throw error;
    }
    const loaded = this.#loaded.get(target.table) ?? new Set<string>();
    for (const c of columns) loaded.add(c);
    this.#loaded.set(target.table, loaded);
    const binary = this.#binaryOptions(target) !== undefined;
    const writer = await this.#driver
      .copyIn(table, columns, (source) => copyIntoSql(table, columns, source, binary ? 'binary' : 'text'), binary ? BINARY_FRAMING : undefined)
      .catch(async (error: unknown) => {
        await this.rollback();
        throw new ConnectionError(`loading ${target.table} failed on ${this.description}: ${this.#driver.redact(message(error))}`, {
          cause: error,
        });
      });
    const remake = target.remakeByTrigger ?? [];
    const after = async (): Promise<void> => {
      await this.#remake(table, remake);
      if (!target.updatesFollow) await this.#settle(target.table);
    };
    return this.#guard(writer, `loading ${target.table}`, remake.length > 0 || !target.updatesFollow ? after : undefined);
  }

  /**
   * Once a table's rows are in: the values left empty for a trigger to make (`LoadTarget.remakeByTrigger`)
   * made by it, in one UPDATE that fires it alone (every other trigger of the table is off for the load).
   */
  async #remake(table: Table, remake: NonNullable<LoadTarget['remakeByTrigger']>): Promise<void> {
    const ref = qualifiedTable(table);
    // (`tsvector_update_trigger` remakes the vector only when the UPDATE sets a column it reads)
    const statements = remake.flatMap(({ trigger, column, from }) => [
      `ALTER TABLE ${ref} ENABLE TRIGGER ${quoteIdent(trigger)}`,
      `UPDATE ${ref} SET ${quoteIdent(from)} = ${quoteIdent(from)} WHERE ${quoteIdent(column)} = ''`,
      `ALTER TABLE ${ref} DISABLE TRIGGER ${quoteIdent(trigger)}`,
    ]);
    await this.#script(`remaking ${remake.map((r) => r.column).join(', ')} of ${ref} by ${remake.length === 1 ? 'its trigger' : 'their triggers'}`, statements);
  }

  /**
   * Loads key + set columns into a temporary table, then updates the target from it on `end()`.
   * @example
   * ```ts
   * const writer = await sink.beginUpdates({ table: 'public.users', keyColumns, setColumns, rows: 1000 });
   * ```
   */
  async beginUpdates(target: DeferredUpdateTarget): Promise<ChunkWriter> {
    const table = this.#table(target.table);
    const keys = target.keyColumns.map((c) => c.name);
    const sets = target.setColumns.map((c) => c.name);
    const temp = `understudy_update_${++this.#temps}`;
    const tempTable = { schema: 'pg_temp', name: temp };
    try {
      await this.#run(`preparing updates of ${target.table}`, createUpdateTempSql(table, temp, [...keys, ...sets]));
    } catch (error) {
      await this.rollback();
      throw error;
    }
    const writer = await this.#driver.copyIn(tempTable, [...keys, ...sets], (source) => copyIntoSql(tempTable, [...keys, ...sets], source));
    return this.#guard(writer, `updating ${target.table}`, async () => {
      await this.#driver.query(updateFromTempSql(table, temp, keys, sets));
      await this.#driver.query(`DROP TABLE ${quoteIdent(temp)}`);
    });
  }

  /**
   * Rebuilds what is still set aside (tables whose updates followed, FKs to them), advances sequences (when asked), and commits. On failure everything rolls back.
   * @example
   * ```ts
   * await sink.commit({ advanceSequences: true });
   * ```
   */
  async commit(options: SinkCommitOptions): Promise<void> {
    if (this.#done) throw new ConnectionError(`the load into ${this.description} was already ended`);
    try {
      // Whatever is still set aside: keys first (a duplicate fails here and rolls everything back), then indexes, then the FKs that need the keys.
      await this.#restore([...this.#setAside.keys()], () => true);
      if (options.advanceSequences) {
        const statements = [...this.#loaded].flatMap(([key, columns]) => advanceSequenceSql(this.#table(key), [...columns]));
        await this.#script('advancing the sequences past the loaded keys', statements);
      }
      await this.#script('enabling the triggers disabled for the load', this.#enableTriggers);
      await this.#run('committing the load (deferred constraints are checked now)', 'COMMIT');
    } catch (error) {
      await this.rollback();
      throw error;
    }
    this.#done = true;
    await this.#driver.close();
  }

  /**
   * Rolls everything back and releases the connection; safe to call twice or after a failed commit.
   * @example
   * ```ts
   * try { … } catch (error) { await sink.rollback(); throw error; }
   * ```
   */
  async rollback(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    if (!this.#driver.busy?.()) await this.#driver.query('ROLLBACK').catch(() => undefined);
    await this.#driver.close().catch(() => undefined);
  }
}
