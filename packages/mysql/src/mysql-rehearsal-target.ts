/**
 * The MySQL/MariaDB `RehearsalTarget`: a throwaway database `understudy_rehearse_<random>`
 * on the server of `--url`, created with the character set of the URL's database, used
 * through one session (so `SET` and transactions hold from one statement to the next),
 * and dropped by `close()`, also after a failure, unless `keep`.
 *
 * Tracing: each statement is timed; DML reports its affected rows. An `ALTER TABLE` is
 * run through the ALGORITHM/LOCK probe (mysql-alter-probe.ts): the cheapest clause the
 * server accepts is measured, not guessed, and reported as `alter`. MySQL has no
 * per-statement equivalent of PostgreSQL's `pg_locks`, so `locks` stays empty: the
 * probe's LOCK level is the lock information (NONE: reads and writes go on; SHARED:
 * reads only; EXCLUSIVE: neither). A rewrite is reported when the table's InnoDB table id
 * changed (a rebuild, INPLACE or COPY), or, when the server does not show table ids to
 * this user, when the algorithm was COPY.
 *
 * The Schema it returns names the throwaway database like the URL's database (`shop`, or
 * `rehearsal` when the URL names none), so reports read the same from run to run; the
 * target maps the name back wherever it talks to the server.
 *
 * DDL commits implicitly in MySQL (`transactionalDdl: false`); `begin`/`commit`/`rollback`
 * are real transactions for DML.
 *
 * @example
 * ```ts
 * const target = await openMysqlRehearsalTarget({ url: 'mysql://root@127.0.0.1:3306/shop' });
 * try {
 *   const trace = await target.execute('ALTER TABLE users ADD INDEX ix_email (email)');
 *   trace.alter; // { algorithm: 'INPLACE', lock: 'NONE' }
 * } finally { await target.close(); }
 * ```
 */
import { performance } from 'node:perf_hooks';
import {
  ConnectionError,
  REHEARSAL_DATABASE_PREFIX,
  redactUrl,
  rehearsalDatabaseName,
  UsageError,
  type DataFingerprint,
  type DataSnapshot,
  type ExternalWatch,
  type OffendingRows,
  type OpenRehearsalTargetOptions,
  type RehearsalTarget,
  type Rewrite,
  type Schema,
  type ServerStatement,
  type Sink,
  type StatementTrace,
} from '@understudy/core';
import { sql, type QueryResult } from 'kysely';
import { alterTableName, isAlterTable, runProbedAlter } from './mysql-alter-probe.js';
import { driverMessage, isPrivilegeError } from './mysql-errors.js';
import { diagnoseMysqlFailure } from './mysql-failure-diagnosis.js';
import { introspectMysql } from './mysql-introspector.js';
import { fingerprintMysql } from './mysql-fingerprint.js';
import { ColumnIdentities } from './mysql-column-identity.js';
import { openMysqlSink } from './mysql-load-data-sink.js';
import { quoteId } from './mysql-load-sql.js';
import { openMysql, type MysqlKysely, type MysqlServerVersion } from './mysql-pool.js';
import { watchMysqlSessions } from './mysql-session-watcher.js';
import { asText, snapshotMysql } from './mysql-snapshot.js';
import { databaseDefaults } from './mysql-sql-file.js';
import { planStatement, rewriteReferences, tokenize, writtenDatabases, type Token } from './mysql-sql-file-rewrite.js';
import { parseMysqlUrl, type MysqlTarget } from './mysql-url.js';

export { REHEARSAL_DATABASE_PREFIX } from '@understudy/core';

/** Seconds DROP DATABASE waits for another session to let go of one of its tables. */
const DROP_LOCK_WAIT_SECONDS = 30;

/** Statements whose affected-row count means rows inserted, updated or deleted. */
const DML_WORDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'LOAD']);

/** True for INSERT/UPDATE/DELETE/REPLACE/LOAD DATA, comments before it skipped. */
function isDml(statement: string): boolean {
  const first = tokenize(statement)[0];
  return first?.kind === 'word' && DML_WORDS.has(first.value.toUpperCase());
}

/** The URL with another database in its path. */
function urlForDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** A value of a user-check row as JSON can hold it. */
function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value) || value instanceof Date) return asText(value);
  return value;
}

const VERBS: Readonly<Record<string, string>> = { CREATE: 'creates', ALTER: 'alters', DROP: 'drops', RENAME: 'renames' };
const REASONS: Readonly<Record<string, string>> = {
  privileges: 'changes privileges, which the server keeps in its own grant tables',
  'server administration': 'administers the server',
  replication: 'changes replication',
  'server settings': 'changes server settings or accounts',
  'binary log settings': 'changes binary logging',
};

/** A server-level statement (see `planStatement`'s reasons) in words; the user or role a CREATE makes. */
function serverEffect(reason: string, tokens: readonly Token[]): ServerStatement {
  const [a, b, ...rest] = tokens;
  const verb = a && VERBS[a.value.toUpperCase()];
  if (verb && b && (reason === 'account management' || reason === 'server objects')) {
    const at = rest[0]?.value.toUpperCase() === 'IF' ? (rest[1]?.value.toUpperCase() === 'NOT' ? 3 : 2) : 0;
    const name = rest[at]?.value ?? '?';
    return { effect: `${verb} ${b.value.toLowerCase()} ${name}`, ...(verb === 'creates' && reason === 'account management' ? { creates: name } : {}) };
  }
  return { effect: REASONS[reason] ?? reason };
}

class MysqlRehearsalTarget implements RehearsalTarget {
  readonly dialect = 'mysql' as const;
  readonly transactionalDdl = false;
  readonly description: string;
  readonly url: string;
  readonly keptAs?: string;
  readonly #db: MysqlKysely;
  readonly #admin: MysqlKysely;
  readonly #version: MysqlServerVersion;
  readonly #database: string;
  readonly #shownAs: string;
  readonly #keep: boolean;
  /** `information_schema` table that shows InnoDB table ids, once known; `null` when none is readable. */
  #tableIds: string | null | undefined;
  #closed = false;
  /** Sinks opened here: close() rolls back any still open, whose locks would block the DROP. */
  readonly #sinks: Sink[] = [];
  /** Columns through the renames the statements made (see mysql-column-identity.ts). */
  readonly #identities = new ColumnIdentities();

  constructor(init: { db: MysqlKysely; admin: MysqlKysely; version: MysqlServerVersion; database: string; shownAs: string; url: string; keep: boolean }) {
    this.#db = init.db;
    this.#admin = init.admin;
    this.#version = init.version;
    this.#database = init.database;
    this.#shownAs = init.shownAs;
    this.#keep = init.keep;
    this.url = init.url;
    this.description = redactUrl(init.url);
    if (init.keep) this.keptAs = redactUrl(init.url);
  }

  /** The throwaway database's real name. */
  get database(): string {
    return this.#database;
  }

  async introspect(): Promise<Schema> {
    const schema = await introspectMysql(this.#db, { schemas: [this.#database], version: this.#version, source: this.description });
    // The random name is unique, so replacing it as text touches nothing else.
    const renamed = JSON.parse(JSON.stringify(schema).split(this.#database).join(JSON.stringify(this.#shownAs).slice(1, -1))) as Schema;
    return { ...renamed, source: this.description };
  }

  /**
   * `schema` with its tables placed in the throwaway database (the sink qualifies table names
   * with `Table.schema`); keys stay as the caller knows them.
   */
  #onServer(schema: Schema): Schema {
    const tables = Object.fromEntries(Object.entries(schema.tables).map(([k, t]) => [k, t.schema === this.#shownAs ? { ...t, schema: this.#database } : t]));
    return { ...schema, tables };
  }

  async openSink(schema: Schema): Promise<Sink> {
    const sink = await openMysqlSink(this.url, { schema: this.#onServer(schema), truncate: false });
    this.#sinks.push(sink);
    return sink;
  }

  async begin(modes?: string): Promise<void> {
    // START TRANSACTION takes READ ONLY / READ WRITE / WITH CONSISTENT SNAPSHOT; an isolation level is set before it.
    const isolation = /isolation\s+level\s+(?:serializable|repeatable\s+read|read\s+committed|read\s+uncommitted)/i.exec(modes ?? '')?.[0];
    const rest = (modes ?? '').replace(isolation ?? '', ' ');
    const start = rest.match(/read\s+(?:only|write)|with\s+consistent\s+snapshot/gi) ?? [];
    if (isolation) await sql.raw(`SET TRANSACTION ${isolation}`).execute(this.#db);
    await sql.raw(['START TRANSACTION', start.join(', ')].filter(Boolean).join(' ')).execute(this.#db);
  }

  async commit(): Promise<void> {
    await sql.raw('COMMIT').execute(this.#db);
  }

  async rollback(): Promise<void> {
    await sql.raw('ROLLBACK').execute(this.#db);
  }

  /** The InnoDB table id of a table of the throwaway database, when the server shows it. */
  async #tableId(table: string): Promise<string | undefined> {
    if (!/^\w+$/.test(table) || this.#tableIds === null) return undefined;
    const path = `${this.#database}/${table}`;
    const sources = this.#tableIds === undefined ? ['INNODB_SYS_TABLES', 'INNODB_TABLES'] : [this.#tableIds];
    for (const source of sources) {
      try {
        const found = await sql<{ id: unknown }>`SELECT TABLE_ID AS id FROM ${sql.raw(`information_schema.${source}`)} WHERE NAME = ${path}`.execute(this.#admin);
        this.#tableIds = source;
        return asText(found.rows[0]?.id) ?? undefined;
      } catch {
        // not this server's name for it, or no PROCESS privilege
      }
    }
    this.#tableIds = null;
    return undefined;
  }

  beyondDatabase(statement: string): ServerStatement | undefined {
    const plan = planStatement(statement);
    switch (plan.kind) {
      case 'skip':
        return serverEffect(plan.reason, tokenize(statement));
      case 'create-database':
      case 'drop-database':
      case 'alter-database':
        return { effect: `${plan.kind.split('-')[0]}s database ${plan.name.value}` };
      case 'use':
        return plan.name.value === this.#shownAs ? undefined : { effect: `switches the session to database ${plan.name.value}` };
      default: {
        const other = writtenDatabases(plan).find((db) => db !== this.#shownAs && db !== this.#database);
        return other === undefined ? undefined : { effect: `writes to database ${other}` };
      }
    }
  }

  /**
   * The statement as it runs here: qualifiers naming the URL's database (`shop.users`, `USE shop`)
   * point at the throwaway database instead, and `DEFINER = …` clauses are dropped.
   */
  #inRehearsalDatabase(statement: string): string {
    const plan = planStatement(statement);
    if (plan.kind === 'use') return `USE ${quoteId(this.#database)}`;
    if (plan.kind !== 'other') return statement;
    return rewriteReferences(plan, (db) => (db === this.#shownAs ? this.#database : undefined));
  }

  async execute(written: string): Promise<StatementTrace> {
    const trace = await this.#execute(this.#inRehearsalDatabase(written));
    this.#identities.observe(written);
    return trace;
  }

  async run(written: string): Promise<void> {
    await sql.raw(this.#inRehearsalDatabase(written)).execute(this.#db);
    this.#identities.observe(written);
  }

  async #execute(statement: string): Promise<StatementTrace> {
    const run = (text: string): Promise<QueryResult<unknown>> => sql.raw(text).execute(this.#db);
    if (!isAlterTable(statement)) {
      const started = performance.now();
      const result = await run(statement);
      const durationMs = performance.now() - started;
      const rowsAffected = isDml(statement) && result.numAffectedRows !== undefined ? Number(result.numAffectedRows) : null;
      return { durationMs, rowsAffected, locks: [], rewrites: [] };
    }
    const table = alterTableName(statement);
    const local = table && (table.database === undefined || table.database === this.#database) ? table.name : undefined;
    const before = local ? await this.#tableId(local) : undefined;
    const { alter, durationMs } = await runProbedAlter(statement, run);
    const after = local && before !== undefined ? await this.#tableId(local) : undefined;
    const rebuilt = before !== undefined && after !== undefined ? before !== after : alter?.algorithm === 'COPY';
    const rewrites: Rewrite[] = rebuilt && table ? [{ relation: `${this.#shownAs}.${table.name}`, kind: 'table' }] : [];
    return { durationMs, rowsAffected: null, locks: [], rewrites, ...(alter ? { alter } : {}) };
  }

  commandEnvironment(): Readonly<Record<string, string>> {
    const url = new URL(this.url);
    return {
      MYSQL_HOST: decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1'),
      MYSQL_TCP_PORT: url.port || '3306',
      ...(url.username ? { MYSQL_USER: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { MYSQL_PWD: decodeURIComponent(url.password) } : {}),
      MYSQL_DATABASE: this.#database,
    };
  }

  watch(): Promise<ExternalWatch> {
    return watchMysqlSessions(this.#db, this.#database, this.#shownAs);
  }

  async snapshot(schema: Schema): Promise<DataSnapshot> {
    return snapshotMysql(this.#db, schema, this.#database);
  }

  async fingerprint(): Promise<DataFingerprint> {
    const found = await fingerprintMysql(this.#db, this.#database, this.#shownAs);
    // Columns carry what they are known by through the renames the statements made (mysql-column-identity.ts).
    const prefix = `${this.#shownAs}.`;
    const tables = Object.fromEntries(
      Object.entries(found.tables).map(([key, t]) => {
        const table = key.startsWith(prefix) ? key.slice(prefix.length) : key;
        return [key, { ...t, columns: Object.fromEntries(Object.entries(t.columns).map(([column, c]) => [column, { ...c, identity: this.#identities.of(table, column) }])) }];
      }),
    );
    return { ...found, tables };
  }

  async diagnose(statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
    return diagnoseMysqlFailure(this.#db, statement, error, schema);
  }

  async query(statement: string): Promise<Array<Record<string, unknown>>> {
    const result = await sql.raw<Record<string, unknown>>(statement).execute(this.#db);
    return result.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonValue(v)])));
  }

  async cancel(): Promise<void> {
    const sessions = await sql<{ id: unknown }>`SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ${this.#database} AND ID <> CONNECTION_ID() AND COMMAND = 'Query'`.execute(this.#admin);
    for (const { id } of sessions.rows)
      await sql
        .raw(`KILL QUERY ${Number(id)}`)
        .execute(this.#admin)
        .catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const sink of this.#sinks) await sink.rollback().catch(() => undefined);
    await this.#db.destroy().catch(() => undefined);
    try {
      if (!this.#keep) await dropDatabase(this.#admin, this.#database);
    } finally {
      await this.#admin.destroy().catch(() => undefined);
    }
  }
}

async function dropDatabase(admin: MysqlKysely, database: string): Promise<void> {
  try {
    // A session still holding a table of it would make DROP wait for a year (the default lock_wait_timeout).
    await sql.raw(`SET SESSION lock_wait_timeout = ${DROP_LOCK_WAIT_SECONDS}`).execute(admin);
    await sql.raw(`DROP DATABASE IF EXISTS ${quoteId(database)}`).execute(admin);
  } catch (error) {
    throw new ConnectionError(`could not drop the rehearsal database ${database}: ${driverMessage(error, undefined)}`, {
      cause: error,
      hint: `Drop it by hand: DROP DATABASE ${quoteId(database)};`,
    });
  }
}

function privilegeError(target: MysqlTarget, error: unknown, url: string): ConnectionError {
  return new ConnectionError(`user "${target.user}" may not create databases on the MySQL/MariaDB server at ${target.address}, ` + `which a rehearsal needs (${driverMessage(error, url)})`, {
    cause: error,
    hint:
      'Point --url at a server where the user has the CREATE privilege (a local or disposable server), or grant it ' +
      `for rehearsal databases only: GRANT ALL ON \`understudy\\_rehearse\\_%\`.* TO '${target.user}'@'%';`,
  });
}

/**
 * Creates a throwaway database on the server of `options.url` and opens a rehearsal session on it.
 * @example
 * ```ts
 * const target = await openMysqlRehearsalTarget({ url: process.env.DATABASE_URL, keep: false });
 * ```
 * @throws UsageError without `url` (there is no embedded MySQL).
 * @throws ConnectionError when the server cannot be reached or the user may not create databases.
 */
export async function openMysqlRehearsalTarget(options: OpenRehearsalTargetOptions): Promise<RehearsalTarget & { readonly database: string }> {
  const url = options.url;
  if (!url) {
    throw new UsageError('MySQL/MariaDB rehearsals need a server: there is no embedded MySQL', {
      hint: `Pass --url mysql://user@host:3306/anydb of a server where Understudy may create a throwaway database (${REHEARSAL_DATABASE_PREFIX}…), or --container mysql:8 with a Docker engine.`,
    });
  }
  const target = parseMysqlUrl(url);
  const { db: admin, version } = await openMysql(target, url, { database: null, connectionLimit: 1 });
  const database = rehearsalDatabaseName({ keep: options.keep === true });
  let created = false;
  try {
    const charset = await databaseDefaults(admin, target.database);
    try {
      await sql.raw(`CREATE DATABASE ${quoteId(database)}${charset}`).execute(admin);
    } catch (error) {
      throw isPrivilegeError(error)
        ? privilegeError(target, error, url)
        : new ConnectionError(`could not create the rehearsal database on ${target.description}: ${driverMessage(error, url)}`, { cause: error });
    }
    created = true;
    const rehearsalUrl = urlForDatabase(url, database);
    const { db } = await openMysql(parseMysqlUrl(rehearsalUrl), rehearsalUrl, { connectionLimit: 1 });
    return new MysqlRehearsalTarget({ db, admin, version, database, shownAs: target.database ?? 'rehearsal', url: rehearsalUrl, keep: options.keep ?? false });
  } catch (error) {
    // Nothing ran in it yet: nothing to keep.
    if (created) await dropDatabase(admin, database).catch(() => undefined);
    await admin.destroy().catch(() => undefined);
    throw error;
  }
}
