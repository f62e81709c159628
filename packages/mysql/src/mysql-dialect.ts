/**
 * The MySQL/MariaDB `Dialect`: opens `mysql://` and `mariadb://` URLs through mysql2
 * and kysely, introspects information_schema, and reads DDL files through a
 * throwaway database on a server.
 *
 * @example
 * ```ts
 * const db = await mysqlDialect.connect('mysql://app@127.0.0.1:3306/shop');
 * try {
 *   const schema = await db.introspect();
 *   console.log(Object.keys(schema.tables)); // ['shop.customer', 'shop.order', …]
 * } finally {
 *   await db.close();
 * }
 * ```
 */
import {
  ConnectionError,
  dialectInfo,
  isUnderstudyError,
  redactUrl,
  UsageError,
  type DatabaseConnection,
  type Dialect,
  type IntrospectOptions,
  type OpenSinkOptions,
  type Profile,
  type ProfileOptions,
  type Schema,
  type SqlFileOptions,
  type ColumnSample,
  type ColumnSampleOptions,
  type SnapshotReader,
  type Table,
} from '@understudy/core';
import { driverMessage, isDriverError } from './mysql-errors.js';
import { introspectMysql } from './mysql-introspector.js';
import { readExistingSchemas } from './mysql-introspect-queries.js';
import { openMysql, type MysqlKysely, type MysqlServerVersion } from './mysql-pool.js';
import { introspectMysqlSqlFile } from './mysql-sql-file.js';
import { mysqlConnectionTarget, parseMysqlUrl, type MysqlTarget } from './mysql-url.js';
import { openMysqlSnapshot } from './mysql-reader.js';
import { openMysqlSink } from './mysql-load-data-sink.js';
import { mysqlSqlFile } from './mysql-sql-file-format.js';
import { profileMysql } from './mysql-profiler.js';
import { sampleMysqlColumns } from './mysql-column-sampler.js';
import { openMysqlRehearsalTarget } from './mysql-rehearsal-target.js';
import { cleanMysqlRehearsalDatabases } from './mysql-rehearsal-leftovers.js';
import { startMysqlContainer } from './mysql-container.js';

/** A live connection (a small mysql2 pool) to one MySQL or MariaDB database. */
export class MysqlConnection implements DatabaseConnection {
  readonly dialect: Dialect = mysqlDialect;
  readonly description: string;
  /** The kysely instance, for callers inside this package (profiling, loading). */
  readonly db: MysqlKysely;
  readonly version: MysqlServerVersion;
  readonly #database: string;
  readonly #target: MysqlTarget;

  constructor(db: MysqlKysely, version: MysqlServerVersion, database: string, description: string, target: MysqlTarget) {
    this.db = db;
    this.version = version;
    this.#database = database;
    this.description = description;
    this.#target = target;
  }

  /**
   * Reads the URL's database, or the databases named in `options.schemas`.
   * @example
   * ```ts
   * const schema = await connection.introspect({ schemas: ['shop', 'crm'] });
   * ```
   * @throws UsageError naming a database of `schemas` that does not exist.
   */
  async introspect(options: IntrospectOptions = {}): Promise<Schema> {
    const schemas = options.schemas && options.schemas.length > 0 ? [...options.schemas] : [this.#database];
    const existing = new Set(await readExistingSchemas(this.db, schemas));
    const missing = schemas.filter((s) => !existing.has(s));
    if (missing.length > 0) {
      throw new UsageError(`no database named ${missing.map((m) => `"${m}"`).join(', ')} on ${this.description}`, { hint: 'Name existing databases in --schema (a MySQL "schema" is a database).' });
    }
    try {
      return await introspectMysql(this.db, { schemas, version: this.version, source: this.description });
    } catch (error) {
      if (isUnderstudyError(error) || !isDriverError(error)) throw error;
      throw new ConnectionError(`reading the catalog of ${this.description} failed: ${driverMessage(error, undefined)}`, {
        cause: error,
      });
    }
  }

  /**
   * Statistics of the URL's database (or `options.schemas`), privacy-filtered.
   * @example
   * ```ts
   * const profile = await connection.profile({ scan: false });
   * ```
   */
  async profile(options: ProfileOptions = {}): Promise<Profile> {
    const schema = await this.introspect(options.schemas ? { schemas: options.schemas } : {});
    return profileMysql(this.db, schema, options);
  }

  /**
   * A random sample of a table's rows, every column as text, read-only (see mysql-column-sampler.ts).
   * @example
   * ```ts
   * const sample = await connection.sampleColumns(schema.tables['shop.customers']!, { limit: 200 });
   * ```
   */
  sampleColumns(table: Table, options: ColumnSampleOptions): Promise<ColumnSample> {
    return sampleMysqlColumns(this.db, table, options);
  }

  /**
   * One consistent, read-only snapshot on a session of its own, tables streamed out of it (see mysql-reader.ts).
   * @example
   * ```ts
   * const reader = await connection.openSnapshot();
   * ```
   */
  async openSnapshot(): Promise<SnapshotReader> {
    return openMysqlSnapshot(this.#target);
  }

  /** Ends the pool. @example `await connection.close();` */
  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/**
 * Opens a connection and checks it with a first query.
 * @throws UsageError when the URL names no database; ConnectionError when the server
 * refuses, cannot be reached within 10 s, rejects the password or lacks the database.
 */
async function connect(url: string): Promise<MysqlConnection> {
  const target = parseMysqlUrl(url);
  if (!target.database) {
    throw new UsageError(`${redactUrl(url)} names no database`, {
      hint: 'Add the database to the URL path: mysql://user@host:3306/shop.',
    });
  }
  const { db, version } = await openMysql(target, url);
  return new MysqlConnection(db, version, target.database, target.description, target);
}

/** MySQL (5.7, 8.x) and MariaDB (10.x, 11.x). */
export const mysqlDialect: Dialect = {
  ...dialectInfo('mysql'),
  connect,
  connectionTarget: mysqlConnectionTarget,
  introspectSqlFile: (file: string, options?: SqlFileOptions) => introspectMysqlSqlFile(file, options),
  openEmbedded: () => {
    throw new UsageError(`${dialectInfo('mysql').displayName} has no embedded engine: the tables need a server`, {
      hint: `Add --url ${dialectInfo('mysql').exampleUrl} (a server to create or load the tables on).`,
    });
  },
  // MySQL has no extensions to load.
  extensionsUsedBy: () => [],
  openSink: (url: string, options: OpenSinkOptions) => openMysqlSink(url, options),
  sqlFile: mysqlSqlFile,
  openRehearsalTarget: (options) => openMysqlRehearsalTarget(options),
  cleanRehearsalDatabases: (url, options) => cleanMysqlRehearsalDatabases(url, options),
  startContainer: (image) => startMysqlContainer(image),
};
