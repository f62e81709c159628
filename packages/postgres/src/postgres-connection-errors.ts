/**
 * Turns what `pg` throws while connecting into a ConnectionError that names the
 * server and says what to do. The password never appears in a message.
 *
 * @example
 * ```ts
 * try { await pool.query('select 1'); }
 * catch (error) { throw connectionError(error, url); }
 * // ConnectionError: cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)
 * ```
 */
import { ambiguousUrlReason, ConnectionError, PERCENT_ENCODE_HINT, redactSecrets, redactUrl, UsageError } from '@understudy/core';

export interface ServerAddress {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

/**
 * Host, port, user and database of a `postgres://` URL (libpq defaults where absent).
 * @throws UsageError when the URL does not parse, or parses as another host than the one after its `@`
 *   (a password with an unencoded `/`, `?` or `#`).
 * @example
 * ```ts
 * parseServerUrl('postgres://app:pw@db:6543/shop'); // { host: 'db', port: 6543, user: 'app', database: 'shop' }
 * ```
 */
export function parseServerUrl(url: string): ServerAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new UsageError(`"${redactUrl(url)}" is not a valid PostgreSQL URL`, {
      hint: `Use postgres://user:password@host:5432/dbname. ${PERCENT_ENCODE_HINT}`,
      cause: error,
    });
  }
  const ambiguous = ambiguousUrlReason(url);
  if (ambiguous) throw new UsageError(`"${redactUrl(url)}" cannot be read as written: ${ambiguous}`, { hint: PERCENT_ENCODE_HINT });
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const user = decode(parsed.username) || process.env['PGUSER'] || process.env['USER'] || 'postgres';
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || parsed.searchParams.get('host') || 'localhost';
  return {
    host,
    port: parsed.port ? Number(parsed.port) : 5432,
    user,
    database: decode(parsed.pathname.replace(/^\//, '')) || user,
  };
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/**
 * A ConnectionError for an error thrown while opening a connection to `url`.
 * @example
 * ```ts
 * connectionError(Object.assign(new Error('…'), { code: '3D000' }), 'postgres://u@h/shop').message;
 * // 'database "shop" does not exist on h:5432'
 * ```
 */
export function connectionError(error: unknown, url: string): ConnectionError {
  const address = parseServerUrl(url);
  const where = `${address.host}:${address.port}`;
  const e = error as { code?: string; message?: string; errors?: Array<{ code?: string }> };
  // Node reports "localhost" failures as an AggregateError of one error per address.
  const code = e.code ?? e.errors?.find((x) => x.code)?.code;
  const message = redactSecrets(String(e.message ?? error), url);
  if ((code && UNREACHABLE.has(code)) || /timeout|timed out/i.test(message)) {
    return new ConnectionError(`cannot reach PostgreSQL at ${where} (${code ?? message})`, {
      hint: `Check that the server is running and accepts TCP connections on ${where}, and that the host name and port in the URL are right.`,
      cause: error,
    });
  }
  if (code === '28P01' || code === '28000') {
    return new ConnectionError(`authentication failed for user "${address.user}" at ${where}`, {
      hint: "Check the user name and password in the URL (the password is never printed), and the server's pg_hba.conf.",
      cause: error,
    });
  }
  if (code === '3D000') {
    return new ConnectionError(`database "${address.database}" does not exist on ${where}`, {
      hint: `Create it first (createdb -h ${address.host} -p ${address.port} ${address.database}) or fix the database name in the URL.`,
      cause: error,
    });
  }
  return new ConnectionError(`cannot connect to PostgreSQL at ${where}: ${message}`, {
    hint: `URL: ${redactUrl(url)}`,
    cause: error,
  });
}
