/**
 * The PostgreSQL `RehearsalTarget`: one implementation over kysely for an
 * embedded PGlite (no `url`; in memory, or in `dataDir`) and for a server
 * (`url`: a throwaway database with a unique name is created there, used through
 * one session, and dropped in `close()` unless `keep`).
 *
 * Each statement is traced: inside a transaction it runs under a savepoint (so a
 * failure leaves the transaction usable for `diagnose`, which then sees the data
 * as the failing statement saw it), the relation locks the session holds
 * afterwards are read from `pg_locks`, storage rewrites are found by
 * comparing `relfilenode`s before and after, and (inside a transaction) the rows
 * it read or wrote per table by reading `pg_stat_xact_user_tables` before and after.
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
import type {
  DataFingerprint,
  DataSnapshot,
  Dialect,
  ExternalWatch,
  OffendingRows,
  OpenRehearsalTargetOptions,
  RehearsalTarget,
  Schema,
  ServerStatement,
  Sink,
  StatementTrace,
} from '@understudy/core';
import { ConnectionError, redactUrl, rehearsalDatabaseName } from '@understudy/core';
import { sql } from 'kysely';
import pg from 'pg';
import { openPgliteSink, pgliteDataDir } from './pglite-copy-sink.js';
import { isPgliteExtension, loadPgliteExtensions } from './pglite-extensions.js';
import { startPglite } from './pglite-start.js';
import { connectPostgres, emptyDatabase, PgliteConnection, type PostgresConnection } from './postgres-connection.js';
import { parseServerUrl } from './postgres-connection-errors.js';
import { openPostgresSink } from './postgres-copy-sink.js';
import { fingerprintPostgres } from './postgres-fingerprint.js';
import { diagnosePostgresFailure } from './postgres-failure-diagnosis.js';
import { indexTables, knownStatementLock, postgresLockModes, resolveLockedTable, withIndexTables } from './postgres-lock-modes.js';
import { heldLocks, postgresLock, readsBetween, rewritesBetween, rowReads, storageMap, type StorageMap } from './postgres-lock-tracer.js';
import { createDatabase, dropScratchDatabase, urlForDatabase, withAdminClient } from './postgres-scratch-database.js';
import { postgresServerStatement } from './postgres-server-statements.js';
import { watchOtherSessions } from './postgres-session-watcher.js';
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

/** How a target reaches its database: the session, a sink, and what happens at close and cancel. */
interface TargetInit {
  readonly conn: PostgresConnection;
  readonly description: string;
  readonly url?: string;
  readonly keptAs?: string;
  readonly openSink: (schema: Schema) => Promise<Sink>;
  readonly dispose: () => Promise<void>;
  readonly cancel?: () => Promise<void>;
  /** On a server shared with other databases: see `RehearsalTarget.beyondDatabase`. */
  readonly beyondDatabase?: (statement: string) => ServerStatement | undefined;
  /**
   * `cpu`: a statement's time is the smaller of its wall time and the CPU time this process spent
   * meanwhile (PGlite runs in it, with no I/O to wait for): other processes on a busy machine
   * inflate the first, the engine's helper threads (garbage collection) the second. Default: wall time.
   */
  readonly clock?: 'cpu' | 'wall';
}

/** Now on both clocks, in ms (see `TargetInit.clock`). */
function clockNow(): { wall: number; cpu: number } {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now(), cpu: (user + system) / 1000 };
}

function elapsed(clock: 'cpu' | 'wall', since: { wall: number; cpu: number }): number {
  const now = clockNow();
  const wall = now.wall - since.wall;
  return clock === 'wall' ? wall : Math.max(0, Math.min(wall, now.cpu - since.cpu));
}

class PostgresRehearsalTarget implements RehearsalTarget {
  readonly dialect = 'postgres' as const;
  readonly transactionalDdl = true;
  readonly setTransactionBeforeFirstQuery = true;
  readonly lockModes = postgresLockModes;
  readonly description: string;
  readonly url?: string;
  readonly keptAs?: string;
  readonly cancel?: () => Promise<void>;
  readonly beyondDatabase?: (statement: string) => ServerStatement | undefined;
  readonly #conn: PostgresConnection;
  readonly #openSink: (schema: Schema) => Promise<Sink>;
  readonly #dispose: () => Promise<void>;
  readonly #clock: 'cpu' | 'wall';
  #inTransaction = false;
  #closed = false;
  /** Storage identities after the last traced statement, while nothing else can have changed them. */
  #storage: StorageMap | undefined;
  /** Tables and indexes that existed when the transaction began: locks on newer ones block nobody. */
  #atBegin: StorageMap | undefined;

  constructor(init: TargetInit) {
    this.#conn = init.conn;
    this.description = init.description;
    if (init.url !== undefined) this.url = init.url;
    if (init.keptAs !== undefined) this.keptAs = init.keptAs;
    if (init.cancel) this.cancel = init.cancel;
    if (init.beyondDatabase) this.beyondDatabase = init.beyondDatabase;
    this.#openSink = init.openSink;
    this.#dispose = init.dispose;
    this.#clock = init.clock ?? 'wall';
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

  async begin(modes?: string): Promise<void> {
    // The modes come from transactionModes (only mode words), and go before the first query below.
    await sql.raw(modes ? `begin ${modes}` : 'begin').execute(this.#conn.db);
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
    // Outside a transaction block (CONCURRENTLY, VACUUM) its locks are gone when it returns: its documented one, on its table.
    const known = inTransaction ? undefined : knownStatementLock(statement);
    const knownTable = known ? await resolveLockedTable(db, known.relation) : undefined;
    const readsBefore = inTransaction ? await rowReads(db) : undefined;
    if (inTransaction) await sql.raw(`savepoint ${SAVEPOINT}`).execute(db);
    const started = clockNow();
    let result;
    try {
      result = await sql.raw(statement).execute(db);
    } catch (error) {
      if (inTransaction)
        await sql
          .raw(`rollback to savepoint ${SAVEPOINT}`)
          .execute(db)
          .catch(() => undefined);
      throw error;
    }
    const durationMs = elapsed(this.#clock, started);
    if (inTransaction) await sql.raw(`release savepoint ${SAVEPOINT}`).execute(db);
    const reads = readsBefore ? readsBetween(readsBefore, await rowReads(db)) : undefined;
    const held = inTransaction ? await heldLocks(db) : knownTable ? [postgresLock(knownTable, known!.mode)] : [];
    const after = await storageMap(db);
    // Relations the transaction (or, outside one, the statement) created block nobody.
    const existed = inTransaction ? this.#atBegin : before;
    const older = held.filter((lock) => !(after.has(lock.relation) && existed !== undefined && !existed.has(lock.relation)));
    // A lock on an index counts on its table too (queries on the table plan with its indexes).
    const locks = older.some((l) => after.get(l.relation)?.kind === 'index') ? withIndexTables(older, await indexTables(db)) : older;
    this.#storage = after;
    const rewrites = rewritesBetween(before, after);
    return { durationMs, rowsAffected: result.numAffectedRows === undefined ? null : Number(result.numAffectedRows), locks, rewrites, ...(reads ? { reads } : {}) };
  }

  async run(statement: string, options: { readonly recoverable?: boolean } = {}): Promise<void> {
    const db = this.#conn.db;
    // The storage identities of the next traced statement are read again.
    this.#storage = undefined;
    if (!this.#inTransaction || !options.recoverable) {
      await sql.raw(statement).execute(db);
      return;
    }
    await sql.raw(`savepoint ${SAVEPOINT}`).execute(db);
    try {
      await sql.raw(statement).execute(db);
    } catch (error) {
      await sql
        .raw(`rollback to savepoint ${SAVEPOINT}`)
        .execute(db)
        .catch(() => undefined);
      throw error;
    }
    await sql.raw(`release savepoint ${SAVEPOINT}`).execute(db);
  }

  snapshot(schema: Schema): Promise<DataSnapshot> {
    return snapshotPostgres(this.#conn.db, schema);
  }

  fingerprint(previous?: DataFingerprint): Promise<DataFingerprint> {
    return fingerprintPostgres(this.#conn.db, previous);
  }

  commandEnvironment(): Readonly<Record<string, string>> {
    if (this.url === undefined) return {};
    const url = new URL(this.url);
    const env: Record<string, string> = {
      PGHOST: decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1'),
      PGPORT: url.port || '5432',
      PGDATABASE: decodeURIComponent(url.pathname.slice(1)),
    };
    if (url.username) env['PGUSER'] = decodeURIComponent(url.username);
    if (url.password) env['PGPASSWORD'] = decodeURIComponent(url.password);
    return env;
  }

  watch(): Promise<ExternalWatch> {
    this.#storage = undefined;
    return watchOtherSessions(this.#conn.db);
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

/**
 * Every session of the rehearsal database (the rehearsal's, the seed's, a --command tool's) checks
 * once a second that its client is still there (PostgreSQL 14+): a rehearsal killed in the middle
 * of a long statement (SIGKILL, a second Ctrl-C) leaves no backend running it, holding its locks.
 */
async function endSessionsOfDeadClients(url: string, name: string): Promise<void> {
  await withAdminClient(url, async (client) => {
    const { rows } = await client.query<{ v: number }>(`select current_setting('server_version_num')::int as v`);
    if ((rows[0]?.v ?? 0) >= 140000) await client.query(`alter database ${pg.escapeIdentifier(name)} set client_connection_check_interval = '1s'`);
  });
}

async function openServerTarget(dialect: Dialect, url: string, keep: boolean): Promise<RehearsalTarget> {
  parseServerUrl(url);
  const name = rehearsalDatabaseName({ keep });
  await createDatabase(url, name);
  const scratchUrl = urlForDatabase(url, name);
  const dispose = async (): Promise<void> => {
    if (!keep) await dropScratchDatabase(url, name);
  };
  // One session, never closed while idle: BEGIN, the statements and COMMIT must all reach the same backend.
  const conn = await endSessionsOfDeadClients(url, name)
    .then(() => connectPostgres(scratchUrl, dialect, { max: 1, idleTimeoutMillis: 0, applicationName: 'understudy rehearse' }))
    .catch(async (error: unknown) => {
      // Nothing ran in it yet: nothing to keep.
      await dropScratchDatabase(url, name);
      throw error;
    });
  const cancel = async (): Promise<void> => {
    await withAdminClient(url, (client) => client.query('select pg_cancel_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]));
  };
  return new PostgresRehearsalTarget({
    conn,
    description: keep ? `${redactUrl(scratchUrl)} (kept)` : redactUrl(scratchUrl),
    url: scratchUrl,
    ...(keep ? { keptAs: redactUrl(scratchUrl) } : {}),
    openSink: (schema) => openPostgresSink(scratchUrl, { schema, truncate: false }),
    dispose,
    cancel,
    beyondDatabase: postgresServerStatement,
  });
}

async function openEmbeddedTarget(dialect: Dialect, dataDir: string | undefined, extensionNames: readonly string[], keep: boolean): Promise<RehearsalTarget> {
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
  return new PostgresRehearsalTarget({
    conn,
    description,
    // A PGlite folder stays whatever happens; in memory, nothing can be kept.
    ...(keep && dataDir ? { keptAs: dataDir } : {}),
    openSink: (schema) => openPgliteSink({ pglite, schema, truncate: false }),
    dispose: async () => undefined,
    clock: 'cpu',
  });
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
  return openEmbeddedTarget(dialect, dataDir, options.extensions ?? [], options.keep === true);
}
