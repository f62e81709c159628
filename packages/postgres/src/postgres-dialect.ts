/**
 * The PostgreSQL dialect: servers through `pg` (`postgres://`, `postgresql://`)
 * and the embedded PGlite engine for `--from schema.sql` and for local databases
 * with no server to install.
 *
 * @example
 * ```ts
 * const conn = await postgresDialect.connect('postgres://app:secret@localhost:5432/shop');
 * try { console.log(formatSchemaSummary(await conn.introspect())); } finally { await conn.close(); }
 *
 * const schema = await postgresDialect.introspectSqlFile('db/schema.sql'); // loads it into PGlite
 * ```
 */
import { dialectInfo, type Dialect, type IntrospectOptions, type OpenSinkOptions, type Schema, type Sink, type SqlFileOptions } from '@understudy/core';
import { openPgliteEmbedded, postgresExtensionsUsedBy } from './pglite-embedded.js';
import { openPgliteSink, pgliteDataDir } from './pglite-copy-sink.js';
import { openPostgresSink } from './postgres-copy-sink.js';
import { postgresSqlFile } from './postgres-sql-file.js';
import { loadPgliteExtensions } from './pglite-extensions.js';
import { assertPgliteCanLoad, readSqlFile, runSqlStatements, skippedPgliteExtensions } from './pglite-sql-loader.js';
import { connectPostgres, PgliteConnection } from './postgres-connection.js';
import { postgresConnectionTarget } from './postgres-connection-target.js';
import { withScratchDatabase } from './postgres-scratch-database.js';
import { startPglite } from './pglite-start.js';
import { openPostgresRehearsalTarget } from './postgres-rehearsal-target.js';
import { cleanPostgresRehearsalDatabases } from './postgres-rehearsal-leftovers.js';
import { startPostgresContainer } from './postgres-container.js';

export interface OpenPgliteOptions {
  /** A directory to keep the database in; in memory when absent. */
  readonly dataDir?: string;
  /** SQL names of contrib extensions to make available (`citext`, `uuid-ossp`, …); see `PGLITE_EXTENSIONS`. */
  readonly extensions?: readonly string[];
}

/**
 * Starts an in-process PGlite (PostgreSQL 18 in WebAssembly) and returns it as a connection.
 * A new instance starts from a cached initialised cluster (see pglite-start.ts); each keeps
 * ~0.5 GB until the process ends: share one where you can, and `close()` it.
 *
 * @example
 * ```ts
 * const conn = await openPglite({ extensions: ['citext'] });
 * try {
 *   await conn.loadSqlFile('schema.sql');
 *   const schema = await conn.introspect();
 * } finally {
 *   await conn.close();
 * }
 * ```
 */
export async function openPglite(options: OpenPgliteOptions = {}): Promise<PgliteConnection> {
  const extensions = await loadPgliteExtensions(options.extensions ?? []);
  const pglite = await startPglite({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions });
  const description = options.dataDir ? `PGlite (${options.dataDir})` : 'PGlite (in memory)';
  return new PgliteConnection(postgresDialect, pglite, description, true);
}

/**
 * Loads a DDL file into a fresh in-process PGlite (or, with `options.url`, into a
 * throwaway database on that server) and introspects it. `source` is `file:<path>`.
 *
 * @throws UsageError for a missing file or unknown schema; SqlFileError (file:line) for a
 *   statement that fails or an extension PGlite does not ship.
 * @example
 * ```ts
 * const schema = await introspectPostgresSqlFile('fixtures/schemas/pagila/schema.sql');
 * ```
 */
export async function introspectPostgresSqlFile(file: string, options: SqlFileOptions = {}): Promise<Schema> {
  const sqlFile = await readSqlFile(file);
  const introspectOptions: IntrospectOptions = options.schemas ? { schemas: options.schemas } : {};
  let schema: Schema;
  if (options.url) {
    const url = options.url;
    schema = await withScratchDatabase(url, async (scratchUrl) => {
      const conn = await connectPostgres(scratchUrl, postgresDialect);
      try {
        await runSqlStatements(conn.db, file, sqlFile.statements);
        return await conn.introspect(introspectOptions);
      } finally {
        await conn.close();
      }
    });
  } else {
    const extensions = assertPgliteCanLoad(sqlFile);
    const conn = await openPglite({ extensions });
    try {
      const report = await runSqlStatements(conn.db, file, sqlFile.statements, { createMissingRoles: true, skipExtensions: skippedPgliteExtensions(sqlFile) });
      const loaded = await conn.introspect(introspectOptions);
      schema = report.skippedExtensions.length > 0 ? { ...loaded, notes: [...loaded.notes, ...report.skippedExtensions] } : loaded;
    } finally {
      await conn.close();
    }
  }
  return { ...schema, source: `file:${file}` };
}

/**
 * Opens a transactional bulk load: `postgres://…` through COPY FROM STDIN on a server,
 * `pglite://./dir` (or `pglite:///abs/dir`) into an embedded PGlite data directory.
 * @example
 * ```ts
 * const sink = await openPostgresOrPgliteSink('pglite://./dev-db', { schema, truncate: true });
 * ```
 */
export function openPostgresOrPgliteSink(url: string, options: OpenSinkOptions): Promise<Sink> {
  if (/^pglite:/i.test(url)) {
    const dataDir = pgliteDataDir(url);
    return openPgliteSink({ ...options, ...(dataDir ? { dataDir } : {}) });
  }
  return openPostgresSink(url, options);
}

/**
 * The PostgreSQL dialect object.
 *
 * @example
 * ```ts
 * const dialect = dialectForUrl([postgresDialect], 'postgresql://localhost/app'); // postgresDialect
 * ```
 */
export const postgresDialect: Dialect = {
  ...dialectInfo('postgres'),
  connect: (url: string) => {
    if (!/^pglite:/i.test(url)) return connectPostgres(url, postgresDialect);
    const dataDir = pgliteDataDir(url);
    return openPglite(dataDir ? { dataDir } : {});
  },
  connectionTarget: postgresConnectionTarget,
  introspectSqlFile: introspectPostgresSqlFile,
  openEmbedded: (options) => openPgliteEmbedded(options),
  extensionsUsedBy: postgresExtensionsUsedBy,
  openSink: openPostgresOrPgliteSink,
  sqlFile: postgresSqlFile,
  openRehearsalTarget: (options) => openPostgresRehearsalTarget(postgresDialect, options),
  cleanRehearsalDatabases: (url, options) => cleanPostgresRehearsalDatabases(url, options),
  startContainer: (image) => startPostgresContainer(image),
};
