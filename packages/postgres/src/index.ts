// The public API.
export { postgresDialect, openPglite, type OpenPgliteOptions } from './postgres-dialect.js';
export { connectPostgres, type PostgresConnection } from './postgres-connection.js';

// Exported for the other Understudy packages and their tests: not a stable API, may change in any release.
/** @internal */
export { openPostgresOrPgliteSink, introspectPostgresSqlFile } from './postgres-dialect.js';
/** @internal */
export { PostgresServerConnection, PgliteConnection, CONNECT_TIMEOUT_MS } from './postgres-connection.js';
/** @internal */
export { connectionError, parseServerUrl, type ServerAddress } from './postgres-connection-errors.js';
/** @internal */
export { postgresConnectionTarget } from './postgres-connection-target.js';
/** @internal */
export { introspectPostgres, describeServerVersion } from './postgres-introspector.js';
/** @internal */
export { PgliteDialect, type PgliteDialectConfig } from './pglite-kysely-driver.js';
/** @internal */
export { PGLITE_EXTENSIONS, isPgliteExtension, loadPgliteExtensions } from './pglite-extensions.js';
/** @internal */
export { readSqlFile, scanExtensions, assertPgliteCanLoad, runSqlStatements, type SqlFile, type ExtensionUse, type RunSqlOptions, type SqlRunReport } from './pglite-sql-loader.js';
/** @internal */
export { withScratchDatabase, createScratchDatabase, createDatabase, withAdminClient, dropScratchDatabase, urlForDatabase } from './postgres-scratch-database.js';
/** @internal */
export { resolveType, type PgTypeRow, type ResolvedType } from './postgres-type-kind.js';
/** @internal */
export { classifyDefault, isLiteralExpression } from './postgres-column-default.js';
/** @internal */
export { createEncoder as createCopyEncoder, copyField, copyEscape, arrayLiteral, encodeCopyRows } from './postgres-copy-encoder.js';
/** @internal */
export { openPostgresSink, streamWriter } from './postgres-copy-sink.js';
/** @internal */
export { openPgliteSink, pgliteDataDir, PGLITE_BLOB_BYTES, type PgliteSinkOptions } from './pglite-copy-sink.js';
/** @internal */
export { PostgresLoadSink, COPY_TEXT_ENCODING, COPY_BINARY_MODULE, type CopyFraming, type PgLoadDriver, type PostgresSinkOptions } from './postgres-load-session.js';
/** @internal */
export { createEncoder as createBinaryCopyEncoder, BINARY_COPY_HEADER, BINARY_COPY_TRAILER, type BinaryCodec, type BinaryCopyOptions } from './postgres-binary-copy-encoder.js';
/** @internal */
export { readBinaryCodecs } from './postgres-binary-codecs.js';
/** @internal */
export { postgresSqlFile } from './postgres-sql-file.js';
/** @internal */
export { startPglite, pgliteTemplatePath, type StartPgliteOptions } from './pglite-start.js';
/** @internal */
export { profilePostgres } from './postgres-profiler.js';
/** @internal */
export { openPostgresRehearsalTarget } from './postgres-rehearsal-target.js';
/** @internal */
export { cleanPostgresRehearsalDatabases } from './postgres-rehearsal-leftovers.js';
/** @internal */
export { snapshotPostgres } from './postgres-snapshot.js';
/** @internal */
export { fingerprintPostgres } from './postgres-fingerprint.js';
/** @internal */
export { diagnosePostgresFailure } from './postgres-failure-diagnosis.js';
/** @internal */
export { postgresLockModes, knownStatementLock, withIndexTables } from './postgres-lock-modes.js';
/** @internal */
export { heldLocks, storageMap, rewritesBetween, LOCK_MODES, lockModeRank, postgresLock, type StorageMap } from './postgres-lock-tracer.js';
/** @internal */
export { startPostgresContainer } from './postgres-container.js';
/** @internal */
export { openPgliteEmbedded, postgresExtensionsUsedBy } from './pglite-embedded.js';
