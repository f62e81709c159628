/**
 * Turning mysql2 driver errors into Understudy's typed errors, with messages that
 * name the server, user or database and never the password.
 *
 * @example
 * ```ts
 * try { await db.selectNoFrom(sql`1`.as('one')).execute(); }
 * catch (error) { throw connectionErrorFrom(error, target, url); }
 * ```
 */
import { ConnectionError, redactSecrets } from '@understudy/core';
import { CONNECT_TIMEOUT_MS, type MysqlTarget } from './mysql-url.js';

/** The fields of a mysql2 error we read. */
export interface MysqlDriverError {
  readonly code?: string;
  readonly errno?: number;
  readonly sqlMessage?: string;
  readonly message?: string;
  readonly fatal?: boolean;
}

/** Server error numbers Understudy reacts to. */
export const MYSQL_ERRORS = {
  dbAccessDenied: 1044,
  accessDenied: 1045,
  badDb: 1049,
  tableAccessDenied: 1142,
  specificAccessDenied: 1227,
} as const;

export function asDriverError(error: unknown): MysqlDriverError {
  return error !== null && typeof error === 'object' ? (error as MysqlDriverError) : { message: String(error) };
}

/** True for an error that came from mysql2 (a server error number or a socket error code). */
export function isDriverError(error: unknown): boolean {
  const e = asDriverError(error);
  return typeof e.errno === 'number' || (typeof e.code === 'string' && /^(E[A-Z]+|PROTOCOL_|ER_)/.test(e.code));
}

/** The server's own text for an error (`sqlMessage`), or the driver's message. */
export function driverMessage(error: unknown, url: string | undefined): string {
  const e = asDriverError(error);
  return redactSecrets(e.sqlMessage ?? e.message ?? String(error), url);
}

/** True when the error says the user lacks a privilege (to create a database, say). */
export function isPrivilegeError(error: unknown): boolean {
  const errno = asDriverError(error).errno;
  return errno === MYSQL_ERRORS.dbAccessDenied || errno === MYSQL_ERRORS.tableAccessDenied || errno === MYSQL_ERRORS.specificAccessDenied;
}

/**
 * A ConnectionError for a failure to open (or keep) a connection: refused, timed out,
 * unknown host, bad password, unknown database. Anything else keeps the server's text.
 */
export function connectionErrorFrom(error: unknown, target: MysqlTarget, url: string): ConnectionError {
  const e = asDriverError(error);
  const where = `MySQL/MariaDB server at ${target.address}`;
  const options = { cause: error } as const;
  switch (e.code) {
    case 'ECONNREFUSED':
      return new ConnectionError(`cannot connect to the ${where}: connection refused`, {
        ...options,
        hint: `Is the server running and listening on ${target.address}? Check the host and port in ${target.description}.`,
      });
    case 'ETIMEDOUT':
      return new ConnectionError(`cannot connect to the ${where}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s`, {
        ...options,
        hint: `Check that ${target.address} is reachable from here (firewall, VPN, security group).`,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConnectionError(`cannot connect to the ${where}: host "${target.host}" not found`, {
        ...options,
        hint: `Check the host name in ${target.description}.`,
      });
    case 'ENOENT':
      return new ConnectionError(`cannot connect to the ${where}: no such socket`, { ...options });
    default:
      break;
  }
  switch (e.errno) {
    case MYSQL_ERRORS.accessDenied:
      return new ConnectionError(`authentication failed for user "${target.user}" on the ${where}`, {
        ...options,
        hint: `Check the user name and password in ${target.description} (the server said: ${driverMessage(error, url)}).`,
      });
    case MYSQL_ERRORS.badDb:
      return new ConnectionError(`database "${target.database ?? ''}" does not exist on the ${where}`, {
        ...options,
        hint: `Create it, or name an existing database in the URL path (${target.description}).`,
      });
    case MYSQL_ERRORS.dbAccessDenied:
      return new ConnectionError(`user "${target.user}" may not use database "${target.database ?? ''}" on the ${where}`, {
        ...options,
        hint: `Grant the user access to it, or name another database. The server said: ${driverMessage(error, url)}`,
      });
    default:
      return new ConnectionError(`cannot use the ${where}: ${driverMessage(error, url)}`, options);
  }
}
