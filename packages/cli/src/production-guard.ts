/**
 * Refuses a seed target that looks like production (DESIGN.md: "a target that
 * looks like production is refused unless the user says so"). It decides on where
 * the driver will really connect (`Dialect.connectionTarget`: the URL, `?host=`,
 * `PGHOST`, `PGDATABASE`, defaults), not on the URL's text:
 *
 * - a database or host named like production: `prod`, `production`, `prd` or `live`
 *   as a word (`app_prod`, `prod-db`, `db.prod.example.com`, `myAppProd`, `prod2`),
 *   never as part of one (`myapp_products` is not production);
 * - a host that is not local. Local is loopback (`localhost`, `127.0.0.0/8`, `::1`),
 *   a Unix socket, an embedded PGlite, or a host the user declares local
 *   (`UNDERSTUDY_LOCAL_HOSTS`, the config's `target.localHosts`). Private addresses
 *   (10/8, 172.16/12, 192.168/16), cluster service names (`*.svc.cluster.local`) and
 *   bare names (`db`) are not: production lives there too.
 *
 * Declaring a host local does not lift the name rule: a database named `app_production`
 * is refused on any host without `--allow-production`.
 *
 * @example
 * ```ts
 * productionReason({ embedded: false, hosts: ['db.example.com'], database: 'app', hostFrom: 'the URL', databaseFrom: 'the URL' }, []);
 * // 'host db.example.com (from the URL) is not local'
 * ```
 */
import { isIP } from 'node:net';
import { redactUrl, UsageError, type ConnectionTarget } from '@understudy/core';

/** The environment variable that declares hosts local: names, `*.suffix` patterns or IPv4 ranges, separated by commas or spaces. */
export const LOCAL_HOSTS_ENV = 'UNDERSTUDY_LOCAL_HOSTS';

const PRODUCTION_WORD = /^(prod|production|prd|live)\d*$/i;

/**
 * The word of `name` that says production, or undefined. Words are separated by anything but
 * letters and digits, and by a lower-to-upper case change (`myAppProd`).
 * @example
 * ```ts
 * productionWord('app_prod');       // 'prod'
 * productionWord('myapp_products'); // undefined
 * ```
 */
export function productionWord(name: string): string | undefined {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/);
  return words.find((w) => PRODUCTION_WORD.test(w));
}

function ipv4(address: string): number | undefined {
  if (isIP(address) !== 4) return undefined;
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** Loopback, or what connecting to it reaches on this machine (`0.0.0.0`, `::`). */
function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = ipv4(h.replace(/^::ffff:/, ''));
  if (v4 !== undefined) return v4 >>> 24 === 127 || v4 === 0;
  return h === '::1' || h === '::' || /^(0+:){7}0*1$/.test(h);
}

/** True when `host` matches a declared entry: the same name, a `*.suffix` pattern, or an IPv4 `a.b.c.d/n` range. */
export function matchesDeclaredHost(host: string, entry: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const e = entry.trim().toLowerCase().replace(/\.$/, '');
  if (e.startsWith('*.')) return h.endsWith(e.slice(1));
  const range = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(e);
  if (range) {
    const base = ipv4(range[1]!);
    const bits = Number(range[2]);
    const address = ipv4(h);
    if (base === undefined || address === undefined || bits > 32) return false;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (address & mask) >>> 0 === (base & mask) >>> 0;
  }
  return h === e.replace(/^\[(.*)\]$/, '$1');
}

/** What kind of non-local host this is, for the message. */
function whyNotLocal(host: string): string {
  const v4 = ipv4(host);
  if (v4 !== undefined) {
    const private4 = v4 >>> 24 === 10 || v4 >>> 20 === ((172 << 4) | 1) || v4 >>> 16 === ((192 << 8) | 168);
    return private4 ? 'a private address: cloud databases, production ones included, live on private networks' : 'an address of another machine';
  }
  if (isIP(host) === 6) return 'an address of another machine';
  if (/\.svc(\.cluster\.local)?$|\.cluster\.local$/i.test(host)) return 'a cluster service name: production runs in clusters too';
  if (!host.includes('.')) return 'a machine or service name on some network';
  return 'another machine';
}

/** The hosts declared local: the config's `target.localHosts` and `$UNDERSTUDY_LOCAL_HOSTS`. */
export function declaredLocalHosts(fromConfig: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env[LOCAL_HOSTS_ENV] ?? '').split(/[\s,]+/).filter(Boolean);
  return [...(fromConfig ?? []), ...fromEnv];
}

/**
 * Why a seed into `target` looks like production, or undefined.
 * @example
 * ```ts
 * productionReason({ embedded: false, hosts: ['127.0.0.1'], database: 'app_prod', hostFrom: 'the URL', databaseFrom: 'PGDATABASE' }, []);
 * // 'database "app_prod" (from PGDATABASE) is named like production ("prod")'
 * ```
 */
export function productionReason(target: ConnectionTarget, localHosts: readonly string[]): string | undefined {
  if (target.embedded) return undefined;
  const dbWord = productionWord(target.database);
  if (dbWord) return `database "${target.database}" (from ${target.databaseFrom}) is named like production ("${dbWord}")`;
  for (const host of target.hosts) {
    if (host.startsWith('/')) continue; // a Unix socket: this machine
    const hostWord = productionWord(host);
    if (hostWord) return `host ${host} (from ${target.hostFrom}) is named like production ("${hostWord}")`;
    if (isLoopback(host) || localHosts.some((entry) => matchesDeclaredHost(host, entry))) continue;
    return `host ${host} (from ${target.hostFrom}) is not local: ${whyNotLocal(host)}`;
  }
  return undefined;
}

/**
 * @throws UsageError when the target looks like production and `allow` is not set; the hint says how to
 * declare a scratch host local, or to pass --allow-production.
 * @example
 * ```ts
 * assertNotProduction(url, postgresDialect.connectionTarget(url), { allow: false, localHosts: declaredLocalHosts(config.target?.localHosts) });
 * ```
 */
export function assertNotProduction(url: string, target: ConnectionTarget, options: { allow: boolean | undefined; localHosts: readonly string[] }): void {
  if (options.allow) return;
  const reason = productionReason(target, options.localHosts);
  if (!reason) return;
  const host = target.hosts.find((h) => !h.startsWith('/') && !isLoopback(h));
  const byName = /named like production/.test(reason);
  const declare =
    host && !byName
      ? `If ${host} is a scratch database, declare it local: ${LOCAL_HOSTS_ENV}=${host} (names, "*.domain" patterns or IPv4 ranges such as 10.8.0.0/16; also target.localHosts in the config). `
      : '';
  throw new UsageError(`refusing to seed ${redactUrl(url)}: it looks like production (${reason})`, {
    hint: `${declare}Seeding writes many rows; to seed it anyway, add --allow-production.`,
  });
}
