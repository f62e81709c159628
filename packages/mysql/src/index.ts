/**
 * @understudy/mysql: the MySQL/MariaDB dialect of Understudy.
 *
 * @example
 * ```ts
 * import { mysqlDialect } from '@understudy/mysql';
 * const schema = await mysqlDialect.introspectSqlFile('schema.sql', { url: 'mysql://root@127.0.0.1/test' });
 * ```
 */
export { mysqlDialect, MysqlConnection } from './mysql-dialect.js';
export { introspectMysql, type MysqlIntrospectOptions } from './mysql-introspector.js';
export { introspectMysqlSqlFile, TEMP_DATABASE_PREFIX } from './mysql-sql-file.js';
export { openMysql, parseServerVersion, type MysqlKysely, type MysqlServerVersion, type OpenOptions } from './mysql-pool.js';
export { parseMysqlUrl, mysqlConnectionTarget, type MysqlTarget } from './mysql-url.js';
export { columnKind, parseEnumValues, classifyDefault } from './mysql-introspect-columns.js';
export {
  openMysqlSink,
  MysqlLoadSink,
  LOAD_DATA_ENCODING,
  INSERT_ENCODING,
  type MysqlLoadMethod,
  type MysqlSinkOptions,
} from './mysql-load-data-sink.js';
export { createEncoder as createLoadDataEncoder, loadDataEscape, mysqlText } from './mysql-load-data-encoder.js';
export { createEncoder as createInsertEncoder, mysqlStringLiteral, type InsertEncoderOptions } from './mysql-insert-encoder.js';
export { loadDataSql, loadDataColumnsSql, insertPrefix, updateJoinSql } from './mysql-load-sql.js';
export { loadDataWriter, insertWriter } from './mysql-load-writers.js';
export { mysqlSqlFile } from './mysql-sql-file-format.js';
export { profileMysql, type MysqlProfileOptions } from './mysql-profiler.js';
export { openMysqlRehearsalTarget, REHEARSAL_DATABASE_PREFIX } from './mysql-rehearsal-target.js';
export { cleanMysqlRehearsalDatabases } from './mysql-rehearsal-leftovers.js';
export { runProbedAlter, isAlterTable, withAlterClause, ALTER_ATTEMPTS, type AlterAttempt } from './mysql-alter-probe.js';
export { snapshotMysql } from './mysql-snapshot.js';
export { fingerprintMysql } from './mysql-fingerprint.js';
export { diagnoseMysqlFailure, parseFailedStatement } from './mysql-failure-diagnosis.js';
export { startMysqlContainer } from './mysql-container.js';
export { mysqlLock, MDL_TYPES } from './mysql-lock-modes.js';
