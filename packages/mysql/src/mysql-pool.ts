/**
 * Opening a kysely instance on a mysql2 pool, checked with a first query so that
 * an unreachable server or a bad password fails here, as a ConnectionError.
 *
 * @example
 * ```ts
 * const target = parseMysqlUrl(url);
 * const { db, version } = await openMysql(target, url);
 * try { console.log(version.display); } finally { await db.destroy(); }
 * ```
 */
import { Kysely, MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { connectionErrorFrom } from './mysql-errors.js';
import { CONNECT_TIMEOUT_MS, type MysqlTarget } from './mysql-url.js';

/** Understudy never queries through typed tables: every query is raw `sql`. */
export type MysqlKysely = Kysely<Record<string, never>>;

export interface MysqlServerVersion {
  /** `VERSION()` as the server returns it: `10.11.19-MariaDB-0+deb12u1`, `8.0.36`. */
  readonly raw: string;
  readonly mariadb: boolean;
  /** `MariaDB 10.11.19`, `MySQL 8.0.36`. */
  readonly display: string;
}

export interface OpenOptions {
  /** Select this database on every connection; `null` for none. Default: the URL's database. */
  readonly database?: string | null;
  /** Pool size. Loading a SQL file uses one connection so that session state (SET NAMES, USE) holds. */
  readonly connectionLimit?: number;
}

/**
 * Reads a `VERSION()` string.
 * @example
 * ```ts
 * parseServerVersion('10.11.19-MariaDB-0+deb12u1').display; // 'MariaDB 10.11.19'
 * ```
 */
export function parseServerVersion(raw: string): MysqlServerVersion {
  const mariadb = /mariadb/i.test(raw);
  const number = /(\d+\.\d+\.\d+)/.exec(raw.replace(/^5\.5\.5-/, ''))?.[1] ?? raw;
  return { raw, mariadb, display: `${mariadb ? 'MariaDB' : 'MySQL'} ${number}` };
}

/**
 * Opens a pool and runs `SELECT VERSION()` on it.
 * @example
 * ```ts
 * const { db, version } = await openMysql(parseMysqlUrl(url), url, { connectionLimit: 1 });
 * ```
 * @throws ConnectionError (refused, timed out, authentication failed, unknown database).
 */
export async function openMysql(target: MysqlTarget, url: string, options: OpenOptions = {}): Promise<{ db: MysqlKysely; version: MysqlServerVersion }> {
  const database = options.database === undefined ? target.database : (options.database ?? undefined);
  const pool = createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database,
    socketPath: target.socketPath,
    ssl: target.ssl ? {} : undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionLimit: options.connectionLimit ?? 4,
    charset: 'utf8mb4_general_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
  });
  const db: MysqlKysely = new Kysely({ dialect: new MysqlDialect({ pool }) });
  try {
    const result = await sql<{ version: string }>`SELECT VERSION() AS version`.execute(db);
    const raw = String(result.rows[0]?.version ?? '');
    return { db, version: parseServerVersion(raw) };
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw connectionErrorFrom(error, target, url);
  }
}
