/**
 * A kysely dialect for an in-process PGlite database. PGlite is a single
 * connection, so the driver hands out that one connection to one user at a
 * time (a small mutex): a transaction (BEGIN … COMMIT) holds it until it ends,
 * and queries from elsewhere wait their turn.
 *
 * @example
 * ```ts
 * const pglite = new PGlite();
 * const db = new Kysely<any>({ dialect: new PgliteDialect({ pglite }) });
 * const { rows } = await sql`select 1 as one`.execute(db);
 * ```
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { splitSql } from '@understudy/core';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection as KyselyConnection,
  type DatabaseIntrospector,
  type Dialect as KyselyDialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

export interface PgliteDialectConfig {
  /** The PGlite instance to talk to. The dialect never closes it. */
  readonly pglite: PGliteInterface;
}

/**
 * kysely's PostgreSQL adapter, compiler and introspector over a PGlite instance.
 *
 * @example
 * ```ts
 * const db = new Kysely<any>({ dialect: new PgliteDialect({ pglite: await PGlite.create() }) });
 * ```
 */
export class PgliteDialect implements KyselyDialect {
  readonly #config: PgliteDialectConfig;

  constructor(config: PgliteDialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new PgliteDriver(this.#config.pglite);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** A FIFO lock: `acquire()` resolves when the previous holder called the release function it got. */
class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** True when `text` holds more than one SQL statement (a `;` with code after it, outside strings and comments). */
function holdsSeveralStatements(text: string): boolean {
  // The cheap test first: most queries have no `;` but at their end.
  return /;\s*\S/.test(text) && splitSql(text, 'postgres').length > 1;
}

class PgliteConnection implements KyselyConnection {
  readonly #pglite: PGliteInterface;

  constructor(pglite: PGliteInterface) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (compiledQuery.parameters.length === 0 && holdsSeveralStatements(compiledQuery.sql)) {
      // Several statements in one text (a goose StatementBegin … StatementEnd block, a Liquibase
      // splitStatements:false change): sent as node-postgres sends a query without parameters, in
      // the simple protocol, as one implicit transaction. PGlite's query() would prepare it and refuse
      // ("cannot insert multiple commands into a prepared statement"). The rows are the last result's.
      const results = await this.#pglite.exec(compiledQuery.sql);
      return { rows: (results[results.length - 1]?.rows ?? []) as R[] };
    }
    const result = await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined && /^\s*(insert|update|delete|merge)\b/i.test(compiledQuery.sql) ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    // PGlite returns whole results; hand them out in chunks so callers can share code with the pg driver.
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

class PgliteDriver implements Driver {
  readonly #pglite: PGliteInterface;
  readonly #connection: PgliteConnection;
  readonly #mutex = new Mutex();
  #release: (() => void) | undefined;

  constructor(pglite: PGliteInterface) {
    this.#pglite = pglite;
    this.#connection = new PgliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }

  async acquireConnection(): Promise<KyselyConnection> {
    const release = await this.#mutex.acquire();
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: KyselyConnection, settings: TransactionSettings): Promise<void> {
    let text = 'begin';
    if (settings.isolationLevel || settings.accessMode) {
      text = 'start transaction';
      if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) text += ` ${settings.accessMode}`;
    }
    await connection.executeQuery(CompiledQuery.raw(text));
  }

  async commitTransaction(connection: KyselyConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: KyselyConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: KyselyConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(savepointName)}`));
  }

  async rollbackToSavepoint(connection: KyselyConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(savepointName)}`));
  }

  async releaseSavepoint(connection: KyselyConnection, savepointName: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(savepointName)}`));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    // The PGlite instance belongs to whoever created it; closing it is their job.
  }
}
