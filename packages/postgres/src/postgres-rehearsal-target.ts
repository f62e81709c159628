/**
 * The PostgreSQL `RehearsalTarget`: one implementation over kysely for an
 * embedded PGlite (no `url`; in memory, or in `dataDir`) and for a server
 * (`url`: a throwaway database with a unique name is created there, used through
 * one session, and dropped in `close()` unless `keep`).
 *
 * Each statement is traced: inside a transaction it runs under a savepoint (so a
 * failure leaves the transaction usable for `diagnose`, which then sees the data
 * as the failing statement saw it), the relation locks the session holds
 * afterwards are read from `pg_locks`, and storage rewrites are found by
 * comparing `relfilenode`s before and after.
 *
 * @example
 * ```ts
 * const target = await openPostgresRehearsalTarget(postgresDialect, { url: 'postgres://postgres@localhost/postgres' });
 * try {
 *   await target.begin();
 *   const trace = await target.execute('alter table orders alter column id type bigint');
 *   await target.commit();
 * } finally { await target.close(); }
 * ```
 */
import type { DataSnapshot, Dialect, OffendingRows, OpenRehearsalTargetOptions, RehearsalTarget, Schema, Sink, StatementTrace } from '@understudy/core';
import { ConnectionError, redactUrl } from '@understudy/core';
import { sql } from 'kysely';
import { openPgliteSink, pgliteDataDir } from './pglite-copy-sink.js';
import { isPgliteExtension, loadPgliteExtensions } from './pglite-extensions.js';
import { startPglite } from './pglite-start.js';
import { connectPostgres, emptyDatabase, PgliteConnection, type PostgresConnection } from './postgres-connection.js';
import { parseServerUrl } from './postgres-connection-errors.js';
import { openPostgresSink } from './postgres-copy-sink.js';
import { diagnosePostgresFailure } from './postgres-failure-diagnosis.js';
import { heldLocks, rewritesBetween, storageMap, type StorageMap } from './postgres-lock-tracer.js';
import { createScratchDatabase, dropScratchDatabase, urlForDatabase } from './postgres-scratch-database.js';
import { snapshotPostgres } from './postgres-snapshot.js';

const SAVEPOINT = 'understudy_statement';

/** Values as JSON-able: dates as ISO text, big integers and bytes as text. */
function jsonable(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return value.map(jsonable);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, jsonable(v)]));
  return value;
}

class PostgresRehearsalTarget implements RehearsalTarget {
  readonly dialect = 'postgres' as const;
  readonly transactionalDdl = true;
  readonly description: string;
  readonly url?: string;
  readonly #conn: PostgresConnection;
  readonly #openSink: (schema: Schema) => Promise<Sink>;
  readonly #dispose: () => Promise<void>;
  #inTransaction = false;
  #closed = false;
  /** Storage identities after the last traced statement, while nothing else can have changed them. */
  #storage: StorageMap | undefined;
  /** Tables and indexes that existed when the transaction began: locks on newer ones block nobody. */
  #atBegin: StorageMap | undefined;

  constructor(conn: PostgresConnection, description: string, url: string | undefined, openSink: (schema: Schema) => Promise<Sink>, dispose: () => Promise<void>) {
    this.#conn = conn;
    this.description = description;
    if (url !== undefined) this.url = url;
    this.#openSink = openSink;
    this.#dispose = dispose;
  }

  async introspect(): Promise<Schema> {
    // The introspector opens its own REPEATABLE READ transaction, which cannot start inside ours.
    if (this.#inTransaction) throw new Error('introspect() cannot run inside a rehearsal transaction: commit or roll back first');
    return this.#conn.introspect();
  }

  openSink(schema: Schema): Promise<Sink> {
    this.#storage = undefined;
    return this.#openSink(schema);
  }

  async begin(): Promise<void> {
    await sql`begin`.execute(this.#conn.db);
    this.#inTransaction = true;
    this.#atBegin = this.#storage ?? (await storageMap(this.#conn.db));
    this.#storage = this.#atBegin;
  }

  async commit(): Promise<void> {
    this.#inTransaction = false;
    await sql`commit`.execute(this.#conn.db);
  }

  async rollback(): Promise<void> {
    this.#inTransaction = false;
    this.#storage = undefined;
    await sql`rollback`.execute(this.#conn.db);
  }

  async execute(statement: string): Promise<StatementTrace> {
    const db = this.#conn.db;
    const inTransaction = this.#inTransaction;
    const before = this.#storage ?? (await storageMap(db));
    this.#storage = undefined;
    if (inTransaction) await sql.raw(`savepoint ${SAVEPOINT}`).execute(db);
    const started = performance.now();
    let result;
    try {
      result = await sql.raw(statement).execute(db);
    } catch (error) {
      if (inTransaction) await sql.raw(`rollback to savepoint ${SAVEPOINT}`).execute(db).catch(() => undefined);
      throw error;
    }
    const durationMs = performance.now() - started;
    if (inTransaction) await sql.raw(`release savepoint ${SAVEPOINT}`).execute(db);
    const held = inTransaction ? await heldLocks(db) : [];
    const after = await storageMap(db);
    const locks = held.filter((lock) => !(after.has(lock.relation) && this.#atBegin !== undefined && !this.#atBegin.has(lock.relation)));
    this.#storage = after;
    const rewrites = rewritesBetween(before, after);
    return { durationMs, rowsAffected: result.numAffectedRows === undefined ? null : Number(result.numAffectedRows), locks, rewrites };
  }

  snapshot(schema: Schema): Promise<DataSnapshot> {
    return snapshotPostgres(this.#conn.db, schema);
  }

  diagnose(statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
    return diagnosePostgresFailure(this.#conn.db, statement, error, schema);
  }

  async query(statement: string): Promise<Array<Record<string, unknown>>> {
    this.#storage = undefined;
    const { rows } = await sql.raw<Record<string, unknown>>(statement).execute(this.#conn.db);
    return rows.map((row) => jsonable(row) as Record<string, unknown>);
  }

  async reset(): Promise<void> {
    if (this.#inTransaction) await this.rollback();
    this.#storage = undefined;
    this.#atBegin = undefined;
    await emptyDatabase(this.#conn.db);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#conn.close();
    } finally {
      await this.#dispose();
    }
  }
}

async function openServerTarget(dialect: Dialect, url: string, keep: boolean): Promise<RehearsalTarget> {
  parseServerUrl(url);
  const name = await createScratchDatabase(url, 'understudy_rehearse');
  const scratchUrl = urlForDatabase(url, name);
  const dispose = async (): Promise<void> => {
    if (!keep) await dropScratchDatabase(url, name);
  };
  // One session, never closed while idle: BEGIN, the statements and COMMIT must all reach the same backend.
  const conn = await connectPostgres(scratchUrl, dialect, { max: 1, idleTimeoutMillis: 0, applicationName: 'understudy rehearse' }).catch(async (error: unknown) => {
    await dispose();
    throw error;
  });
  const description = keep ? `${redactUrl(scratchUrl)} (kept)` : redactUrl(scratchUrl);
  return new PostgresRehearsalTarget(conn, description, scratchUrl, (schema) => openPostgresSink(scratchUrl, { schema, truncate: false }), dispose);
}

async function openEmbeddedTarget(dialect: Dialect, dataDir: string | undefined, extensionNames: readonly string[]): Promise<RehearsalTarget> {
  // Extensions PGlite does not ship are left to fail where the migration creates them, naming the file and line.
  const extensions = await loadPgliteExtensions(extensionNames.filter(isPgliteExtension));
  let pglite;
  try {
    pglite = await startPglite({ ...(dataDir ? { dataDir } : {}), extensions });
  } catch (error) {
    throw new ConnectionError(`cannot start the embedded PGlite${dataDir ? ` in ${dataDir}` : ''}: ${(error as Error).message}`, {
      hint: dataDir ? 'Check that the folder is writable and not used by another process.' : 'Pass --url to rehearse on a PostgreSQL server instead.',
      cause: error,
    });
  }
  const description = dataDir ? `PGlite (${dataDir})` : 'PGlite (in memory)';
  const conn = new PgliteConnection(dialect, pglite, description, true);
  return new PostgresRehearsalTarget(conn, description, undefined, (schema) => openPgliteSink({ pglite, schema, truncate: false }), async () => undefined);
}

/**
 * Opens a rehearsal target (see the file comment): a throwaway database on the server at
 * `options.url`, or an embedded PGlite.
 * @throws ConnectionError when the server cannot be reached or refuses to create a database.
 * @example
 * ```ts
 * const target = await openPostgresRehearsalTarget(postgresDialect, {}); // PGlite (in memory)
 * ```
 */
export async function openPostgresRehearsalTarget(dialect: Dialect, options: OpenRehearsalTargetOptions): Promise<RehearsalTarget> {
  if (options.url !== undefined && !/^pglite:/i.test(options.url)) return openServerTarget(dialect, options.url, options.keep === true);
  const dataDir = options.url !== undefined ? pgliteDataDir(options.url) : options.dataDir;
  return openEmbeddedTarget(dialect, dataDir, options.extensions ?? []);
}
