export { postgresDialect, openPglite, openPostgresOrPgliteSink, introspectPostgresSqlFile, type OpenPgliteOptions } from './postgres-dialect.js';
export {
  connectPostgres,
  PostgresServerConnection,
  PgliteConnection,
  CONNECT_TIMEOUT_MS,
  type PostgresConnection,
} from './postgres-connection.js';
export { connectionError, parseServerUrl, type ServerAddress } from './postgres-connection-errors.js';
export { postgresConnectionTarget } from './postgres-connection-target.js';
export { introspectPostgres, describeServerVersion } from './postgres-introspector.js';
export { PgliteDialect, type PgliteDialectConfig } from './pglite-kysely-driver.js';
export { PGLITE_EXTENSIONS, isPgliteExtension, loadPgliteExtensions } from './pglite-extensions.js';
export {
  readSqlFile,
  scanExtensions,
  assertPgliteCanLoad,
  runSqlStatements,
  type SqlFile,
  type ExtensionUse,
  type RunSqlOptions,
  type SqlRunReport,
} from './pglite-sql-loader.js';
export {
  withScratchDatabase,
  createScratchDatabase,
  createDatabase,
  withAdminClient,
  dropScratchDatabase,
  urlForDatabase,
} from './postgres-scratch-database.js';
export { resolveType, type PgTypeRow, type ResolvedType } from './postgres-type-kind.js';
export { classifyDefault, isLiteralExpression } from './postgres-column-default.js';
export { createEncoder as createCopyEncoder, copyField, copyEscape, arrayLiteral, encodeCopyRows } from './postgres-copy-encoder.js';
export { openPostgresSink, streamWriter } from './postgres-copy-sink.js';
export { openPgliteSink, pgliteDataDir, PGLITE_BLOB_BYTES, type PgliteSinkOptions } from './pglite-copy-sink.js';
export { PostgresLoadSink, COPY_TEXT_ENCODING, COPY_BINARY_MODULE, type CopyFraming, type PgLoadDriver, type PostgresSinkOptions } from './postgres-load-session.js';
export { createEncoder as createBinaryCopyEncoder, BINARY_COPY_HEADER, BINARY_COPY_TRAILER, type BinaryCodec, type BinaryCopyOptions } from './postgres-binary-copy-encoder.js';
export { readBinaryCodecs } from './postgres-binary-codecs.js';
export { postgresSqlFile } from './postgres-sql-file.js';
export { startPglite, pgliteTemplatePath, type StartPgliteOptions } from './pglite-start.js';
export { profilePostgres } from './postgres-profiler.js';
export { openPostgresRehearsalTarget } from './postgres-rehearsal-target.js';
export { cleanPostgresRehearsalDatabases } from './postgres-rehearsal-leftovers.js';
export { snapshotPostgres } from './postgres-snapshot.js';
export { fingerprintPostgres } from './postgres-fingerprint.js';
export { diagnosePostgresFailure } from './postgres-failure-diagnosis.js';
export { postgresLockModes, knownStatementLock, withIndexTables } from './postgres-lock-modes.js';
export { heldLocks, storageMap, rewritesBetween, LOCK_MODES, lockModeRank, postgresLock, type StorageMap } from './postgres-lock-tracer.js';
export { startPostgresContainer } from './postgres-container.js';
export { openPgliteEmbedded, postgresExtensionsUsedBy } from './pglite-embedded.js';
