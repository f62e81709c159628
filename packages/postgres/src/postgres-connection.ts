/**
 * Live connections to PostgreSQL: a server through a `pg.Pool`, or an in-process
 * PGlite. Both expose the core `DatabaseConnection` plus the Kysely instance the
 * rest of the package (seeding, profiling) talks through.
 *
 * @example
 * ```ts
 * const conn = await connectPostgres('postgres://app@localhost:5432/shop', postgresDialect);
 * try { const schema = await conn.introspect(); } finally { await conn.close(); }
 * ```
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import {
  redactUrl,
  UsageError,
  type ColumnSample,
  type ColumnSampleOptions,
  type DatabaseConnection,
  type Dialect,
  type IntrospectOptions,
  type Profile,
  type ProfileOptions,
  type Schema,
  type SnapshotReader,
  type Table,
} from '@understudy/core';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PgliteDialect } from './pglite-kysely-driver.js';
import { readSqlFile, runSqlStatements, type RunSqlOptions, type SqlRunReport } from './pglite-sql-loader.js';
import { connectionError, parseServerUrl } from './postgres-connection-errors.js';
import { introspectPostgres } from './postgres-introspector.js';
import { profilePostgres } from './postgres-profiler.js';
import { samplePostgresColumns } from './postgres-column-sampler.js';
import { openPostgresSnapshot, openQuerySnapshot } from './postgres-reader.js';

/** A PostgreSQL or PGlite connection: the core interface plus its Kysely instance. */
export interface PostgresConnection extends DatabaseConnection {
  /** Kysely over this database (untyped: the schema is only known at run time). */
  readonly db: Kysely<any>;
  /** Runs a DDL file here, statement by statement (see `runSqlStatements`). */
  loadSqlFile(file: string, options?: RunSqlOptions): Promise<SqlRunReport>;
}

/** How long to wait for a server to answer before giving up. */
export const CONNECT_TIMEOUT_MS = 10_000;

abstract class BaseConnection implements PostgresConnection {
  abstract readonly db: Kysely<any>;
  abstract readonly description: string;
  readonly dialect: Dialect;

  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }

  async introspect(options?: IntrospectOptions): Promise<Schema> {
    const schema = await introspectPostgres(this.db, options);
    return { ...schema, source: this.description };
  }

  async profile(options: ProfileOptions = {}): Promise<Profile> {
    const schema = await this.introspect(options.schemas ? { schemas: options.schemas } : {});
    return profilePostgres(this.db, schema, options);
  }

  sampleColumns(table: Table, options: ColumnSampleOptions): Promise<ColumnSample> {
    return samplePostgresColumns(this.db, table, options);
  }

  /** Tables read by query (PGlite); a server connection reads through COPY in one snapshot instead. */
  async openSnapshot(): Promise<SnapshotReader> {
    return openQuerySnapshot(this.db, this.description);
  }

  protected defaultLoadOptions(): RunSqlOptions {
    return {};
  }

  async loadSqlFile(file: string, options?: RunSqlOptions): Promise<SqlRunReport> {
    const { statements } = await readSqlFile(file);
    return runSqlStatements(this.db, file, statements, { ...this.defaultLoadOptions(), ...options });
  }

  abstract close(): Promise<void>;
}

/**
 * A server connection (pool of `pg` clients); made by {@link connectPostgres}.
 *
 * @example
 * ```ts
 * const conn = await postgresDialect.connect(url);
 * if (conn instanceof PostgresServerConnection) await conn.pool.query('select 1');
 * ```
 */
export class PostgresServerConnection extends BaseConnection {
  readonly db: Kysely<any>;
  readonly description: string;
  readonly pool: pg.Pool;

  constructor(dialect: Dialect, url: string, pool: pg.Pool) {
    super(dialect);
    this.pool = pool;
    this.description = redactUrl(url);
    this.db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  }

  /** One REPEATABLE READ, READ ONLY snapshot on a session of the pool (see postgres-reader.ts). */
  override openSnapshot(): Promise<SnapshotReader> {
    return openPostgresSnapshot(this.pool, this.description);
  }

  async close(): Promise<void> {
    // Ends the pool too.
    await this.db.destroy();
  }
}

/**
 * Opens a pool to `url` and checks that the server answers.
 * @throws UsageError for a URL that is not `postgres://` / `postgresql://`;
 *   ConnectionError (unreachable, authentication failed, no such database), never showing the password.
 * @example
 * ```ts
 * const conn = await connectPostgres('postgres://app@localhost:5432/shop', postgresDialect);
 * const { rows } = await sql`select 1 as one`.execute(conn.db);
 * await conn.close();
 * ```
 */
export interface ConnectPostgresOptions {
  /** Connections in the pool (default 4). One keeps every statement on the same session. */
  readonly max?: number;
  /** Shown in pg_stat_activity (default `understudy`). */
  readonly applicationName?: string;
  /** Close idle connections after this long (default pg's 10 s; 0: never, so a session survives pauses). */
  readonly idleTimeoutMillis?: number;
}

export async function connectPostgres(url: string, dialect: Dialect, options: ConnectPostgresOptions = {}): Promise<PostgresServerConnection> {
  parseServerUrl(url);
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new UsageError(`"${redactUrl(url)}" is not a PostgreSQL URL`, {
      hint: 'Use postgres://user:password@host:5432/dbname.',
    });
  }
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: options.applicationName ?? 'understudy',
    max: options.max ?? 4,
    ...(options.idleTimeoutMillis !== undefined ? { idleTimeoutMillis: options.idleTimeoutMillis } : {}),
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw connectionError(error, url);
  }
  return new PostgresServerConnection(dialect, url, pool);
}

/**
 * An in-process PGlite database; made by `openPglite()`.
 *
 * @example
 * ```ts
 * const conn = await openPglite();
 * await conn.pglite.exec('create table t (id int)');
 * await conn.close();
 * ```
 */
export class PgliteConnection extends BaseConnection {
  readonly db: Kysely<any>;
  readonly description: string;
  readonly pglite: PGliteInterface;
  readonly #ownsPglite: boolean;

  constructor(dialect: Dialect, pglite: PGliteInterface, description: string, ownsPglite: boolean) {
    super(dialect);
    this.pglite = pglite;
    this.description = description;
    this.#ownsPglite = ownsPglite;
    this.db = new Kysely<any>({ dialect: new PgliteDialect({ pglite }) });
  }

  protected override defaultLoadOptions(): RunSqlOptions {
    // A throwaway embedded database: roles named by OWNER TO / GRANT can simply be created.
    return { createMissingRoles: true };
  }

  /**
   * Drops every user schema, extension and session setting, leaving an empty
   * `public`: a fresh database without paying PGlite's start-up again.
   * (Roles created while loading files stay; the model does not record them.)
   *
   * @example
   * ```ts
   * await conn.reset();
   * await conn.loadSqlFile('other-schema.sql');
   * ```
   */
  async reset(): Promise<void> {
    await this.db.connection().execute((conn) => emptyDatabase(conn));
  }

  async close(): Promise<void> {
    await this.db.destroy();
    if (this.#ownsPglite && !this.pglite.closed) await this.pglite.close();
  }
}

/**
 * Empties a database back to a bare `public` schema: drops every user schema and
 * extension (but plpgsql), then `RESET ALL`. For reusing one embedded database
 * between rehearsals or tests (starting PGlite again costs ~0.5–2 s).
 * @example
 * ```ts
 * await emptyDatabase(db);
 * ```
 */
export async function emptyDatabase(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ name: string }>`
    select nspname as name from pg_catalog.pg_namespace
    where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_toast%'
      and nspname not like 'pg\\_temp\\_%'`.execute(db);
  for (const r of rows) await sql`drop schema ${sql.id(r.name)} cascade`.execute(db);
  const ext = await sql<{ name: string }>`select extname as name from pg_catalog.pg_extension where extname <> 'plpgsql'`.execute(db);
  for (const r of ext.rows) await sql`drop extension if exists ${sql.id(r.name)} cascade`.execute(db);
  await sql`create schema public`.execute(db);
  await sql`reset all`.execute(db);
}
