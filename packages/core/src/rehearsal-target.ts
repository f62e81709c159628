/**
 * The database side of a migration rehearsal: a throwaway database (an embedded
 * PGlite, a fresh database on a PostgreSQL or MySQL server, or a container) on
 * which migrations run statement by statement, traced, and whose data can be
 * snapshotted. Each dialect package implements it; `@understudy/rehearse`
 * orchestrates and never asks which engine it talks to.
 *
 * @example
 * ```ts
 * const target = await dialect.openRehearsalTarget({ url });
 * try {
 *   await target.begin();
 *   const trace = await target.execute('ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0');
 *   await target.commit();
 *   const schema = await target.introspect();
 *   const snapshot = await target.snapshot(schema);
 * } finally { await target.close(); }
 * ```
 */
import type { LockEffect } from './dialect-registry.js';
import type { Schema } from './schema-model.js';
import type { Sink } from './sink.js';

export interface OpenRehearsalTargetOptions {
  /**
   * A server to create the throwaway database on. Absent: an embedded PGlite
   * (only the PostgreSQL dialect can do that).
   */
  readonly url?: string;
  /** Keep the throwaway database after `close()` (its URL or PGlite directory is in `description`). */
  readonly keep?: boolean;
  /** PGlite only: a directory to keep the embedded database in. */
  readonly dataDir?: string;
  /**
   * Extensions the migrations create (`CREATE EXTENSION citext`): an embedded engine loads the
   * ones it ships before starting (PGlite's contrib modules); servers ignore this.
   */
  readonly extensions?: readonly string[];
}

/**
 * One table lock mode of an engine, and what it stops other sessions from doing to the table
 * while it is held (see `RehearsalTarget.lockModes`).
 */
export interface LockModeInfo {
  /** As the engine names it in its lock view: `ShareLock`. */
  readonly mode: string;
  /** As its documentation writes it: `SHARE`. */
  readonly name: string;
  /** INSERT, UPDATE, DELETE (and SELECT … FOR UPDATE) of the table wait while it is held. */
  readonly blocksWrites: boolean;
  /** Plain SELECTs of the table wait too. */
  readonly blocksReads: boolean;
}

/** A lock the migration's own session holds, seen right after a statement. */
export interface HeldLock {
  /** Qualified table or index (`public.orders`). */
  readonly relation: string;
  /** As the engine names it: `AccessExclusiveLock`, `ShareLock`, `RowExclusiveLock`, … */
  readonly mode: string;
  /** The mode's strength among the engine's lock modes, 0 the weakest (the dialect ranks them). */
  readonly rank: number;
  /** As its documentation writes it: `ACCESS EXCLUSIVE`. */
  readonly label: string;
  /** What other sessions' ordinary statements wait for while it is held. */
  readonly blocks: LockEffect;
}

/** A relation whose storage was rewritten by a statement (PostgreSQL: its relfilenode changed). */
export interface Rewrite {
  readonly relation: string;
  readonly kind: 'table' | 'index';
}

/** MySQL/MariaDB: the cheapest way the server accepted an ALTER, found by trying them in order. */
export interface AlterProbe {
  readonly algorithm: 'INSTANT' | 'INPLACE' | 'COPY';
  readonly lock: 'NONE' | 'SHARED' | 'EXCLUSIVE';
}

export interface StatementTrace {
  readonly durationMs: number;
  /** Rows inserted, updated or deleted, where the engine says. */
  readonly rowsAffected: number | null;
  /** Locks held by the migration's session after the statement (PostgreSQL; empty elsewhere). */
  readonly locks: readonly HeldLock[];
  readonly rewrites: readonly Rewrite[];
  /** For ALTER TABLE on MySQL/MariaDB. */
  readonly alter?: AlterProbe;
  /**
   * Rows of each user table the statement read or wrote (PostgreSQL inside a transaction:
   * sequential-scan tuples, index fetches, inserts, updates and deletes counted by the server's
   * statistics; absent where the target cannot count them). A statement that reads no rows of a
   * table only changed its catalog entry: its time does not grow with the table.
   */
  readonly reads?: readonly RowReads[];
}

/** Rows of one table a statement read or wrote (see `StatementTrace.reads`). */
export interface RowReads {
  readonly relation: string;
  readonly rows: number;
}

/** Per-column statistics of one snapshot. */
export interface ColumnSnapshot {
  readonly nulls: number;
  readonly distinct: number;
  /** As text (`String(value)`), `null` for an empty or all-NULL column or a type with no order. */
  readonly min: string | null;
  readonly max: string | null;
  /** Longest value in characters (text-like columns), to spot truncation. */
  readonly maxLength?: number | null;
}

export interface TableSnapshot {
  readonly rows: number;
  readonly columns: Readonly<Record<string, ColumnSnapshot>>;
  /**
   * Row checksums keyed by primary key (the key's values joined as text with `|`), when the
   * table has a primary key and at most `SNAPSHOT_ROW_LIMIT` rows; each checksum covers every
   * column's value. Lets a diff say which rows changed and which were lost or added.
   */
  readonly rowChecksums?: Readonly<Record<string, string>>;
  /** Checksum per column over all rows in key order (detects changed values when rows are too many to keep). */
  readonly columnChecksums?: Readonly<Record<string, string>>;
  /**
   * Per column, a short hash of each row's value keyed like `rowChecksums` (same condition):
   * lets a diff count, per column, the rows whose value changed.
   */
  readonly columnValueHashes?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** The data side of a snapshot: tables keyed as in `Schema.tables`. */
export interface DataSnapshot {
  readonly tables: Readonly<Record<string, TableSnapshot>>;
}

/**
 * A cheap summary of one column's content, for following data from one pending migration to
 * the next (see `RehearsalTarget.fingerprint`).
 */
export interface ColumnFingerprint {
  /** The column's type as the engine spells it (`character varying(10)`, `varchar(10)`). */
  readonly type: string;
  readonly nonNull: number;
  /**
   * The sum, over the non-NULL values, of a 32-bit hash of each value's text (decimal, exact).
   * Order-free and additive: a column renamed, or copied into another table, keeps its sum; the
   * rows moved from one table to another take their share of the sum with them.
   */
  readonly content: string;
  /** The longest value's text, in characters (`null`: no non-NULL value). */
  readonly maxLength: number | null;
  /**
   * What the engine knows the column by, kept through a rename of it or of its table (PostgreSQL:
   * the table's oid and the column's attnum), where it has one: a column renamed and then updated
   * in the same migration is still the same column, though its content changed.
   */
  readonly identity?: string;
}

export interface TableFingerprint {
  readonly rows: number;
  /** The primary key's columns (empty: none). */
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, ColumnFingerprint>>;
  /**
   * Changes whenever a row of the table does (PostgreSQL: the row count and the newest row
   * version's `xmin`), so that a table unchanged since the previous fingerprint is not read again.
   */
  readonly version?: string;
}

/**
 * Every table that holds rows (a partitioned parent does not: its partitions do), keyed as in
 * `Schema.tables`.
 */
export interface DataFingerprint {
  readonly tables: Readonly<Record<string, TableFingerprint>>;
}

/** Tables above this many rows keep column checksums only. */
export const SNAPSHOT_ROW_LIMIT = 100_000;

/** Rows that stopped a statement, found by asking the database after the failure. */
export interface OffendingRows {
  /** What was looked for, e.g. `rows of public.users where email IS NULL`. */
  readonly description: string;
  /** The query that found them (so the user can run it on production). */
  readonly query: string;
  /** Up to 10 rows, values as text. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string | null>>>;
  /** How many rows match in all. */
  readonly total: number;
}

/** A statement another session (a `--command` tool) was seen running, by sampling. */
export interface ObservedStatement {
  /** The statement as the server shows it. */
  readonly sql: string;
  /** How long it ran, as far as the samples tell (at least this long when it was still running). */
  readonly durationMs: number;
  /** The locks its session held on tables and indexes that existed before, seen while it ran (or after it, in the same transaction). */
  readonly locks: readonly HeldLock[];
  /** MySQL/MariaDB: what the server said it was doing (`copy to tmp table`, `Waiting for table metadata lock`). */
  readonly states?: readonly string[];
}

/** What other sessions did in the rehearsal database while being watched (see `RehearsalTarget.watch`). */
export interface ExternalTrace {
  /** In the order first seen. */
  readonly statements: readonly ObservedStatement[];
  /** Tables and indexes whose storage changed between the start and the end. */
  readonly rewrites: readonly Rewrite[];
  readonly samples: number;
  readonly intervalMs: number;
  /** What could not be watched (no access to the lock tables, say). */
  readonly notes: readonly string[];
}

/** A running watch: `stop()` ends the sampling and says what was seen. */
export interface ExternalWatch {
  stop(): Promise<ExternalTrace>;
}

/** A statement that would act on the server beyond the rehearsal database (see `RehearsalTarget.beyondDatabase`). */
export interface ServerStatement {
  /** What it would do, for the report: `drops database other_db`, `creates role app`. */
  readonly effect: string;
  /** The role or user it creates: a later statement that fails for want of it was not run either. */
  readonly creates?: string;
}

export interface RehearsalTarget {
  /** What to print: `PGlite (in memory)`, or the throwaway database's URL with the password removed. */
  readonly description: string;
  /** A URL a `--command` migration tool can use as DATABASE_URL; absent for PGlite. */
  readonly url?: string;
  /**
   * Opened with `keep`: where the database stays after `close()` (its URL without the password,
   * or the PGlite folder), so that every way a rehearsal ends can say it. Absent when nothing is
   * kept (not asked, or an in-memory PGlite).
   */
  readonly keptAs?: string;
  /** The dialect's name (`postgres`, `mysql`), for the report. */
  readonly dialect: Schema['dialect'];
  /** DDL rolls back with the transaction (false on MySQL: each DDL commits). */
  readonly transactionalDdl: boolean;
  /**
   * `SET TRANSACTION …` sets the open transaction's modes, and only before its first query
   * (PostgreSQL); absent where it sets the next transaction's (MySQL). A migration's `SET
   * TRANSACTION` then starts the transaction it runs in, ahead of the rehearsal's own readings.
   */
  readonly setTransactionBeforeFirstQuery?: boolean;
  /** The table lock modes `execute` reports in `StatementTrace.locks`, weakest first (PostgreSQL; absent elsewhere). */
  readonly lockModes?: readonly LockModeInfo[];
  introspect(): Promise<Schema>;
  /** A bulk-load sink into this database (the seed step). */
  openSink(schema: Schema): Promise<Sink>;
  /**
   * What `statement` would do beyond the rehearsal database on the server it shares with other
   * databases (create, alter or drop databases, roles, tablespaces; server settings; privileges
   * kept server-wide), or undefined when it stays inside. The rehearsal never runs such a
   * statement: it reports it. Absent where nothing can reach beyond (an embedded engine: its
   * whole server is throwaway).
   */
  beyondDatabase?(statement: string): ServerStatement | undefined;
  /**
   * Opens a transaction. `modes` are transaction modes as a migration writes them after BEGIN
   * (`ISOLATION LEVEL REPEATABLE READ`, `READ ONLY`, `DEFERRABLE`): the transaction starts with
   * them, before any query of the rehearsal's own (PostgreSQL takes them only then). An engine
   * starts with those it can take at the start and leaves the rest.
   */
  begin(modes?: string): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Runs one statement and traces it. Throws the engine's error unchanged (with its message). */
  execute(statement: string): Promise<StatementTrace>;
  /**
   * Runs one statement as `execute` does (the same rewriting of database names) but traces
   * nothing: the baseline, whose locks, rewrites and rows read nobody reads. Tracing reads the
   * catalog around each statement, which on a history of hundreds of migrations costs more than
   * the statements. With `recoverable`, a failure inside a transaction leaves it usable (a
   * savepoint around the statement, as `execute` always has); without, a failure is the end of
   * the transaction, which is all the baseline needs. Optional: `execute` is used without it.
   */
  run?(statement: string, options?: { readonly recoverable?: boolean }): Promise<void>;
  /**
   * The environment a `--command` tool gets besides `DATABASE_URL` (the engine's client variables,
   * e.g. PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), all naming the rehearsal database.
   */
  commandEnvironment?(): Readonly<Record<string, string>>;
  /**
   * Starts watching what other sessions do in the rehearsal database (a `--command` tool, which
   * the rehearsal cannot trace statement by statement): the statements they run and the locks they
   * hold, sampled from another session, and the storage rewritten between start and stop.
   */
  watch?(): Promise<ExternalWatch>;
  /** Row counts, per-column statistics and checksums of every table of `schema`. */
  snapshot(schema: Schema): Promise<DataSnapshot>;
  /**
   * Row counts and per-column content sums of every table that holds rows, read from the catalog
   * (no `Schema` needed): cheap enough to take after each pending migration, so that a loss is
   * blamed on the migration that caused it. Given the `previous` fingerprint, a table whose
   * columns and `version` did not change since is not read again. Optional: without it, losses
   * are blamed by name.
   */
  fingerprint?(previous?: DataFingerprint): Promise<DataFingerprint>;
  /**
   * After `statement` failed with `error`, the rows that caused it, where the failure has a
   * known shape (SET NOT NULL over NULLs, a unique index over duplicates, a cast over values
   * that do not convert, a CHECK existing rows violate). `undefined` when it cannot tell.
   */
  diagnose(statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined>;
  /**
   * Runs a read-only query (a user check) and returns its rows, values as JSON-able
   * (text for dates and big numbers). Optional: a target without it cannot run user checks.
   */
  query?(statement: string): Promise<Array<Record<string, unknown>>>;
  /**
   * Empties the database (every user schema, extension and session setting) so it can host
   * another rehearsal without paying its start-up again. Optional.
   */
  reset?(): Promise<void>;
  /**
   * Cancels whatever statements run in the rehearsal database right now (the rehearsal's own, a
   * seed's, a `--command` tool's), from another session: an interrupted rehearsal does not wait
   * for a long statement to end. Optional (an embedded engine runs in this thread anyway).
   */
  cancel?(): Promise<void>;
  /** Ends the session and drops the throwaway database (unless `keep`), also after a failure. */
  close(): Promise<void>;
}
