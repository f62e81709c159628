/**
 * Refuses a seed target that looks like production (DESIGN.md: "a target that
 * looks like production is refused unless the user says so"): a database,
 * user or host name containing `prod`, or a host that is not this machine or
 * a private network address.
 *
 * @example
 * ```ts
 * productionReason('postgres://app@db.example.com/app'); // 'host db.example.com is not local'
 * productionReason('postgres://postgres@127.0.0.1/test'); // undefined
 * ```
 */
import { redactUrl, UsageError } from '@understudy/core';

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|0\.0\.0\.0|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|host\.docker\.internal|[a-z0-9-]+)$/i;

/** Why `url` looks like production, or undefined. Single-label hosts (`db`, `postgres`: docker/CI service names) count as local. */
export function productionReason(url: string): string | undefined {
  if (/^pglite:/i.test(url)) return undefined; // an embedded database on this machine
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (/prod/i.test(database)) return `database name "${database}" contains "prod"`;
  const host = parsed.hostname;
  if (/prod/i.test(host)) return `host ${host} contains "prod"`;
  if (host !== '' && !LOCAL_HOST.test(host)) return `host ${host} is not local`;
  return undefined;
}

/** @throws UsageError when the URL looks like production and `allow` is not set. */
export function assertNotProduction(url: string, allow: boolean | undefined): void {
  if (allow) return;
  const reason = productionReason(url);
  if (reason) {
    throw new UsageError(`refusing to seed ${redactUrl(url)}: it looks like production (${reason})`, {
      hint: 'Seeding writes many rows. If this really is a scratch database, add --allow-production.',
    });
  }
}
