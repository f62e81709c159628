/**
 * Parsing `mysql://` and `mariadb://` URLs into mysql2 connection options.
 *
 * Supported query parameters: `ssl=true|false` (TLS with certificate checks),
 * `socket=/path/to/mysqld.sock` (a Unix socket instead of host:port).
 *
 * @example
 * ```ts
 * const target = parseMysqlUrl('mysql://app:s3cret@db.internal:3307/shop');
 * // { host: 'db.internal', port: 3307, user: 'app', password: 's3cret', database: 'shop', … }
 * ```
 */
import { ambiguousUrlReason, PERCENT_ENCODE_HINT, UsageError, redactUrl, type ConnectionTarget } from '@understudy/core';

/** Seconds mysql2 waits for a server to answer before giving up. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface MysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
  /** The database named in the URL's path, or `undefined` when there is none. */
  readonly database: string | undefined;
  readonly socketPath: string | undefined;
  readonly ssl: boolean;
  /** The URL with its password removed, fit to print. */
  readonly description: string;
  /** `host:port` (or the socket path), for messages. */
  readonly address: string;
}

/** Percent-decoded, or as written when it is not valid percent-encoding (`p%zz`). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const KNOWN_PARAMS = new Set(['ssl', 'socket']);

/**
 * Reads a `mysql://user:password@host:port/database?ssl=true` URL.
 * @example
 * ```ts
 * parseMysqlUrl('mariadb://app@db/shop').database; // 'shop'
 * ```
 * @throws UsageError when the URL does not parse, has another scheme, or carries an unknown parameter.
 */
export function parseMysqlUrl(url: string): MysqlTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`"${redactUrl(url)}" is not a valid MySQL URL`, {
      hint: `Use mysql://user:password@host:3306/database (mariadb:// works too). ${PERCENT_ENCODE_HINT}`,
    });
  }
  const ambiguous = ambiguousUrlReason(url);
  if (ambiguous) throw new UsageError(`"${redactUrl(url)}" cannot be read as written: ${ambiguous}`, { hint: PERCENT_ENCODE_HINT });
  const scheme = parsed.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'mysql' && scheme !== 'mariadb') {
    throw new UsageError(`"${redactUrl(url)}" is not a mysql:// or mariadb:// URL`);
  }
  for (const key of parsed.searchParams.keys()) {
    if (!KNOWN_PARAMS.has(key)) {
      throw new UsageError(`unknown parameter "${key}" in ${redactUrl(url)}`, {
        hint: `Supported parameters: ${[...KNOWN_PARAMS].join(', ')}.`,
      });
    }
  }
  const sslParam = parsed.searchParams.get('ssl');
  const ssl = sslParam !== null && !/^(false|0|no|off|disabled?)$/i.test(sslParam);
  const socketPath = parsed.searchParams.get('socket') ?? undefined;
  const path = decode(parsed.pathname.replace(/^\//, ''));
  if (path.includes('/')) {
    throw new UsageError(`"${redactUrl(url)}" has a path with more than a database name`, {
      hint: 'Use mysql://user@host:3306/database.',
    });
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost';
  const port = parsed.port ? Number(parsed.port) : 3306;
  return {
    host,
    port,
    user: decode(parsed.username) || 'root',
    password: parsed.password ? decode(parsed.password) : undefined,
    database: path.length > 0 ? path : undefined,
    socketPath,
    ssl,
    description: redactUrl(url),
    address: socketPath ?? `${host}:${port}`,
  };
}

/**
 * Where a `mysql://` URL connects, as mysql2 takes it (it reads no environment variables): the
 * `?socket=` path, else the host (`localhost` when absent), and the database of the path.
 * @example
 * ```ts
 * mysqlConnectionTarget('mysql://root@db/shop?socket=/run/mysqld/mysqld.sock').hosts; // ['/run/mysqld/mysqld.sock']
 * ```
 */
export function mysqlConnectionTarget(url: string): ConnectionTarget {
  const target = parseMysqlUrl(url);
  return {
    embedded: false,
    hosts: [target.socketPath ?? target.host],
    database: target.database ?? '',
    hostFrom: target.socketPath !== undefined ? '?socket=' : 'the URL',
    databaseFrom: 'the URL',
  };
}
