/**
 * @understudy/mysql: the MySQL/MariaDB dialect of Understudy.
 *
 * @example
 * ```ts
 * import { mysqlDialect } from '@understudy/mysql';
 * const schema = await mysqlDialect.introspectSqlFile('schema.sql', { url: 'mysql://root@127.0.0.1/test' });
 * ```
 */

// The public API.
export { mysqlDialect } from './mysql-dialect.js';

// Exported for the other Understudy packages and their tests: not a stable API, may change in any release.
/** @internal */
export { MysqlConnection } from './mysql-dialect.js';
/** @internal */
export { introspectMysql, type MysqlIntrospectOptions } from './mysql-introspector.js';
/** @internal */
export { introspectMysqlSqlFile, TEMP_DATABASE_PREFIX } from './mysql-sql-file.js';
/** @internal */
export { openMysql, parseServerVersion, type MysqlKysely, type MysqlServerVersion, type OpenOptions } from './mysql-pool.js';
/** @internal */
export { parseMysqlUrl, mysqlConnectionTarget, type MysqlTarget } from './mysql-url.js';
/** @internal */
export { columnKind, parseEnumValues, classifyDefault } from './mysql-introspect-columns.js';
/** @internal */
export { openMysqlSink, MysqlLoadSink, LOAD_DATA_ENCODING, INSERT_ENCODING, type MysqlLoadMethod, type MysqlSinkOptions } from './mysql-load-data-sink.js';
/** @internal */
export { createEncoder as createLoadDataEncoder, loadDataEscape, mysqlText } from './mysql-load-data-encoder.js';
/** @internal */
export { createEncoder as createInsertEncoder, mysqlStringLiteral, type InsertEncoderOptions } from './mysql-insert-encoder.js';
/** @internal */
export { loadDataSql, loadDataColumnsSql, insertPrefix, updateJoinSql } from './mysql-load-sql.js';
/** @internal */
export { loadDataWriter, insertWriter } from './mysql-load-writers.js';
/** @internal */
export { mysqlSqlFile } from './mysql-sql-file-format.js';
/** @internal */
export { profileMysql, type MysqlProfileOptions } from './mysql-profiler.js';
/** @internal */
export { openMysqlRehearsalTarget } from './mysql-rehearsal-target.js';
/** @internal */
export { REHEARSAL_DATABASE_PREFIX } from '@understudy/core';
/** @internal */
export { cleanMysqlRehearsalDatabases } from './mysql-rehearsal-leftovers.js';
/** @internal */
export { runProbedAlter, isAlterTable, withAlterClause, ALTER_ATTEMPTS, type AlterAttempt } from './mysql-alter-probe.js';
/** @internal */
export { snapshotMysql } from './mysql-snapshot.js';
/** @internal */
export { fingerprintMysql } from './mysql-fingerprint.js';
/** @internal */
export { diagnoseMysqlFailure, parseFailedStatement } from './mysql-failure-diagnosis.js';
/** @internal */
export { startMysqlContainer } from './mysql-container.js';
/** @internal */
export { mysqlLock, MDL_TYPES } from './mysql-lock-modes.js';
