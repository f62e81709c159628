/**
 * Where a `postgres://` URL really connects, resolved by `pg` itself: the URL, its
 * query parameters (`?host=`, `?port=`, `?user=`), then `PGHOST`, `PGPORT`,
 * `PGDATABASE`, `PGUSER`, then pg's defaults (`localhost`, the user's name). The
 * production guard decides on this, not on the URL's text.
 *
 * @example
 * ```ts
 * process.env.PGHOST = 'db.example.com';
 * postgresConnectionTarget('postgres://'); // { hosts: ['db.example.com'], hostFrom: 'PGHOST', … }
 * ```
 */
import { redactUrl, UsageError, type ConnectionTarget } from '@understudy/core';
import pg from 'pg';
import { pgliteDataDir } from './pglite-copy-sink.js';
import { parseServerUrl } from './postgres-connection-errors.js';

interface ResolvedParameters {
  readonly host: string;
  readonly database: string;
}

/** Where a value came from: the URL's authority or path, a query parameter, an environment variable, or pg's default. */
function origin(inUrl: boolean, parameter: string | null, env: string): string {
  if (parameter !== null) return parameter;
  if (inUrl) return 'the URL';
  return process.env[env] ? env : "pg's default";
}

/**
 * See the module comment. A `pglite://` URL is embedded.
 * @throws UsageError for a URL pg would read otherwise than written, and for `PGSERVICE` / `?service=`,
 *   which pg does not read (the seed would go to another database than the service names).
 */
export function postgresConnectionTarget(url: string): ConnectionTarget {
  if (/^pglite:/i.test(url)) {
    return { embedded: true, hosts: [], database: pgliteDataDir(url) ?? '(in memory)', hostFrom: 'the URL', databaseFrom: 'the URL' };
  }
  parseServerUrl(url);
  const parsed = new URL(url);
  const service = parsed.searchParams.get('service') !== null ? '?service=' : process.env['PGSERVICE'] ? `PGSERVICE=${process.env['PGSERVICE']}` : undefined;
  if (service !== undefined) {
    throw new UsageError(
      `${redactUrl(url)}: ${service} names a connection service, which Understudy's PostgreSQL driver (node-postgres) does not read; it would connect to another database than the service's`,
      {
        hint: 'Give the host, port and database in the URL (postgres://user@host:5432/db), or set PGHOST, PGPORT and PGDATABASE.',
      },
    );
  }
  let resolved: ResolvedParameters;
  try {
    resolved = (new pg.Client({ connectionString: url }) as unknown as { connectionParameters: ResolvedParameters }).connectionParameters;
  } catch (error) {
    throw new UsageError(`${redactUrl(url)} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const hosts = String(resolved.host ?? 'localhost')
    .split(',')
    .map((h) => h.trim().replace(/^\[(.*)\]$/, '$1'))
    .filter((h) => h.length > 0);
  return {
    embedded: false,
    hosts,
    database: String(resolved.database ?? ''),
    hostFrom: origin(parsed.hostname !== '', parsed.searchParams.get('host') !== null ? '?host=' : null, 'PGHOST'),
    databaseFrom: origin(parsed.pathname.replace(/^\//, '') !== '', null, 'PGDATABASE'),
  };
}
