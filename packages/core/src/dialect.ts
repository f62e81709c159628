/**
 * The `Dialect` interface: one object answers every database-specific question,
 * so code outside a dialect package asks "can you?" (capabilities) and never
 * "who are you?".
 *
 * @example
 * ```ts
 * const dialect = dialectForUrl([postgresDialect, mysqlDialect], url);
 * const db = await dialect.connect(url);
 * try { console.log(await db.introspect({ schemas: ['public'] })); } finally { await db.close(); }
 * ```
 */
import { UsageError } from './errors.js';
import { redactUrl } from './redact-url.js';
import type { Profile } from './profile-model.js';
import type { PiiDictionaries } from './pii/dictionaries.js';
import type { Schema, Table } from './schema-model.js';
import type { StartedDatabaseContainer } from './database-container.js';
import type { RehearsalCleanup } from './rehearsal-database-name.js';
import type { OpenRehearsalTargetOptions, RehearsalTarget } from './rehearsal-target.js';
import type { OpenSinkOptions, Sink, SqlFileFormat } from './sink.js';
import type { SnapshotReader } from './snapshot-reader.js';
import type { DialectInfo } from './dialect-registry.js';

export interface IntrospectOptions {
  /** Namespaces to read; default: every user namespace (PostgreSQL) or the URL's database (MySQL). */
  readonly schemas?: readonly string[];
}

export interface ProfileOptions extends IntrospectOptions {
  /** Build statistics first (ANALYZE: reads a sample of rows). Default false. */
  readonly analyze?: boolean;
  /** Run count-only aggregate queries (FK fan-out, text lengths). Default true; false reads no table rows. */
  readonly scan?: boolean;
  /** A frequent value is kept only when it occurs in at least k rows. Default 10. */
  readonly k?: number;
  /**
   * The database is a copy at this scale of the one a profile was taken from (fidelity's target):
   * the low-cardinality ratio that lets a column keep frequent values is divided by it, as a copy
   * at a tenth of the rows holds about ten times as many distinct values per row. Default 1.
   */
  readonly copyScale?: number;
  /**
   * The database is a copy whose values come from another profile (fidelity's target): columns
   * this says yes to skip the value detectors, so a frequent value the source profile kept (a
   * country name a detector takes for a person's name in a small copy) is compared, not dropped.
   * Called with the table key and the column name. Default: every column is screened.
   */
  readonly unscreened?: (table: string, column: string) => boolean;
  /** Called before each step, for progress display. */
  readonly onProgress?: (step: string) => void;
  /** Name dictionaries for the privacy policy's value detectors (default: faker's locales, loaded once). */
  readonly dictionaries?: PiiDictionaries;
}

export interface ColumnSampleOptions {
  /** Rows to read at most. */
  readonly limit: number;
  /** Characters kept of each value; longer text is cut (default 2000). */
  readonly maxValueLength?: number;
}

/** A sample of one table's rows, column by column, every value as text. */
export interface ColumnSample {
  /** Rows read. */
  readonly rows: number;
  /** Column name → the sampled values as text (`null` for NULL), in row order. */
  readonly values: ReadonlyMap<string, ReadonlyArray<string | null>>;
  /** How the rows were chosen, e.g. `TABLESAMPLE SYSTEM (2.5%), ORDER BY random() LIMIT 200`. */
  readonly method: string;
}

/** A live connection to one database, through the dialect that opened it. */
export interface DatabaseConnection {
  readonly dialect: Dialect;
  /** What to print for it: a URL with its password removed, or `PGlite (in memory)`. */
  readonly description: string;
  introspect(options?: IntrospectOptions): Promise<Schema>;
  /** Statistics the database keeps about itself, filtered so no personal value leaves it (see profile-privacy.ts). */
  profile(options?: ProfileOptions): Promise<Profile>;
  /**
   * Reads a random sample of a table's rows, every column as text, inside a read-only
   * transaction (what `scan` classifies). Absent where the dialect cannot sample.
   */
  sampleColumns?(table: Table, options: ColumnSampleOptions): Promise<ColumnSample>;
  /**
   * Opens one read-only, consistent snapshot of the database to stream tables out of (what
   * `scrub` and `audit` read). Absent where the dialect has no reader role yet.
   */
  openSnapshot?(): Promise<SnapshotReader>;
  close(): Promise<void>;
}

/**
 * Where a connection to a URL really goes, as the dialect's driver resolves it: the URL, its query
 * parameters (`?host=`), the driver's environment variables (`PGHOST`, `PGDATABASE`) and defaults.
 * What the production guard decides on.
 */
export interface ConnectionTarget {
  /** An in-process database (PGlite): on this machine by definition. */
  readonly embedded: boolean;
  /** Host names or addresses the driver connects to; a Unix socket as its path (starting with `/`). */
  readonly hosts: readonly string[];
  readonly database: string;
  /** Where the host and the database came from, for messages: `the URL`, `?host=`, `PGHOST`, `the default`. */
  readonly hostFrom: string;
  readonly databaseFrom: string;
}

export interface SqlFileOptions extends IntrospectOptions {
  /** A server to create a throwaway database on, for engines with no embedded mode. */
  readonly url?: string;
}

/**
 * DDL to create the tables of an embedded database with: a DDL file (`--from`; its COPY rows
 * are loaded too), or statements made elsewhere (drizzle-kit) with the extensions they need.
 * A failing statement is a `SqlFileError` whose line is the file's line, or the statement's
 * 1-based index in `statements`.
 */
export type EmbeddedDdl = { readonly file: string } | { readonly label: string; readonly statements: readonly string[]; readonly extensions: readonly string[] };

export interface OpenEmbeddedOptions {
  /** A directory to keep the database in; in memory when absent. */
  readonly dataDir?: string;
  /** Run unless the kept database already has tables. */
  readonly ddl?: EmbeddedDdl;
}

/** An in-process database (PGlite) with its tables created, ready to be loaded. */
export interface EmbeddedDatabase extends DatabaseConnection {
  /** The DDL ran (false: a kept directory already had tables, and they were kept as they are). */
  readonly created: boolean;
  /** The engine's own client (PGlite: the `PGlite` instance), for callers that query it directly, such as the vitest helper. */
  readonly client: unknown;
  /** Opens a transactional load into this database (`options.schema` is its own). */
  openSink(options: OpenSinkOptions): Promise<Sink>;
}

/**
 * One engine family, everything about it: the registry's facts (name, aliases, URL schemes,
 * capabilities, syntax; see dialect-registry.ts) and the work that needs its drivers. Every
 * member is required: a dialect that cannot do something says why in a `UsageError`.
 */
export interface Dialect extends DialectInfo {
  connect(url: string): Promise<DatabaseConnection>;
  /**
   * Where `connect(url)` would really go, resolved as its driver does (environment variables included).
   * @throws UsageError for a URL the driver would read otherwise than written, or a setting it would ignore.
   */
  connectionTarget(url: string): ConnectionTarget;
  /** Loads a DDL file into a throwaway database (the embedded engine, or one on `options.url`) and introspects it. */
  introspectSqlFile(file: string, options?: SqlFileOptions): Promise<Schema>;
  /**
   * Opens the dialect's embedded engine and creates `options.ddl` in it.
   * @throws UsageError where the dialect has no embedded engine (`embeddedEngine` null), saying which URL to give.
   */
  openEmbedded(options: OpenEmbeddedOptions): Promise<EmbeddedDatabase>;
  /** The extensions statements create (`CREATE EXTENSION citext`), for an embedded engine to load first; none where the engine has none. */
  extensionsUsedBy(statements: readonly string[]): string[];
  /** Opens a transactional bulk-load target on the database at `url` (see sink.ts). */
  openSink(url: string, options: OpenSinkOptions): Promise<Sink>;
  /** Writing tables as loadable SQL scripts (`generate --format sql`). */
  readonly sqlFile: SqlFileFormat;
  /** Starts `image` as a server of this dialect in a throwaway container (needs a Docker engine). */
  startContainer(image: string): Promise<StartedDatabaseContainer>;
  /** A throwaway database to rehearse migrations on (see rehearsal-target.ts). */
  openRehearsalTarget(options: OpenRehearsalTargetOptions): Promise<RehearsalTarget>;
  /**
   * Drops the rehearsal databases a killed rehearsal left on the server of `url`: throwaway
   * names (see rehearsal-database-name.ts) older than `olderThanMs` (default an hour) that no
   * session uses. Kept databases and undated names are never dropped.
   */
  cleanRehearsalDatabases(url: string, options?: { readonly now?: Date; readonly olderThanMs?: number }): Promise<RehearsalCleanup>;
}

/**
 * The dialect whose URL scheme matches `url` (or any entry that lists `urlSchemes`,
 * such as a lazily loaded dialect).
 * @throws UsageError naming the URL (password hidden) and the schemes that are known.
 */
export function dialectForUrl<T extends Pick<Dialect, 'urlSchemes'>>(dialects: readonly T[], url: string): T {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  const known = dialects.flatMap((d) => d.urlSchemes.map((s) => `${s}://`));
  if (!match) {
    throw new UsageError(`"${redactUrl(url)}" is not a database URL`, {
      hint: `Give a URL such as postgres://user:password@host:5432/dbname (known schemes: ${known.join(', ')}).`,
    });
  }
  const scheme = match[1]!.toLowerCase();
  const dialect = dialects.find((d) => d.urlSchemes.includes(scheme));
  if (!dialect) {
    throw new UsageError(`no dialect handles "${scheme}://" URLs (${redactUrl(url)})`, {
      hint: `Known schemes: ${known.join(', ')}.`,
    });
  }
  return dialect;
}
