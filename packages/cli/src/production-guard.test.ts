/**
 * The production guard decides on where the driver really connects (every source it
 * reads), by words not substrings, and calls local only loopback, sockets, embedded
 * databases and hosts the user declares. Each bypass of issue 15 has a case here.
 */
import { UsageError } from '@understudy/core';
import { mysqlDialect } from '@understudy/mysql';
import { postgresDialect } from '@understudy/postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { assertNotProduction, declaredLocalHosts, matchesDeclaredHost, productionReason, productionWord } from './production-guard.js';

const PG_ENV = ['PGHOST', 'PGDATABASE', 'PGPORT', 'PGUSER', 'PGSERVICE', 'UNDERSTUDY_LOCAL_HOSTS'];
const saved = Object.fromEntries(PG_ENV.map((k) => [k, process.env[k]]));
afterEach(() => {
  for (const key of PG_ENV) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});
function env(values: Record<string, string>): void {
  for (const key of PG_ENV) delete process.env[key];
  Object.assign(process.env, values);
}

/** Why the guard refuses `url` (undefined: it lets it through), with the hosts declared local. */
function reason(url: string, localHosts: readonly string[] = declaredLocalHosts(undefined)): string | undefined {
  const dialect = /^mysql|^mariadb/.test(url) ? mysqlDialect : postgresDialect;
  return productionReason(dialect.connectionTarget(url), localHosts);
}

describe('production guard: where the driver really connects', () => {
  it('reads PGHOST and PGDATABASE behind a bare postgres:// URL', () => {
    env({ PGHOST: 'db.example.com' });
    expect(reason('postgres://')).toBe('host db.example.com (from PGHOST) is not local: another machine');
    env({ PGHOST: '127.0.0.1', PGDATABASE: 'shop_production' });
    expect(reason('postgres://')).toBe('database "shop_production" (from PGDATABASE) is named like production ("production")');
    expect(reason('postgresql:///')).toMatch(/from PGDATABASE/);
    env({ PGHOST: '127.0.0.1', PGDATABASE: 'shop_dev' });
    expect(reason('postgres://')).toBeUndefined();
  });

  it('follows ?host=, which overrides the host the URL shows', () => {
    env({});
    expect(reason('postgres://postgres@127.0.0.1:5432/test?host=db.example.com')).toBe('host db.example.com (from ?host=) is not local: another machine');
    expect(reason('postgres://postgres@db.example.com/test?host=/var/run/postgresql')).toBeUndefined(); // a Unix socket
  });

  it('refuses PGSERVICE, which the driver would silently ignore', () => {
    env({ PGSERVICE: 'prod' });
    expect(() => reason('postgres://')).toThrow(/PGSERVICE=prod names a connection service/);
  });

  it('reads MySQL URLs as mysql2 does: ?socket= is this machine', () => {
    env({});
    expect(reason('mysql://root@db.example.com/shop?socket=/run/mysqld/mysqld.sock')).toBeUndefined();
    expect(reason('mariadb://root@10.0.0.7:3306/shop')).toMatch(/^host 10\.0\.0\.7 \(from the URL\) is not local: a private address/);
    expect(reason('mysql://root@127.0.0.1/app_live')).toBe('database "app_live" (from the URL) is named like production ("live")');
  });
});

describe('production guard: what is local', () => {
  it('is loopback, a Unix socket, or an embedded PGlite', () => {
    env({});
    for (const url of [
      'postgres://u@localhost/x',
      'postgres://u@127.0.0.1/x',
      'postgres://u@127.8.9.10/x',
      'postgres://u@[::1]/x',
      'postgres://u@%2Ftmp/x',
      'pglite://./dev-db',
      'postgres://u@app.localhost/x',
    ]) {
      expect(reason(url), url).toBeUndefined();
    }
  });

  it('is not a private-range address, a cluster service or a bare name, whatever the name says', () => {
    env({});
    expect(reason('postgres://u@10.1.2.3/app')).toMatch(/is not local: a private address: cloud databases, production ones included, live on private networks/);
    expect(reason('postgres://u@192.168.1.20/app')).toMatch(/a private address/);
    expect(reason('postgres://u@172.20.0.5/app')).toMatch(/a private address/);
    expect(reason('postgres://u@172.32.0.5/app')).toMatch(/an address of another machine/);
    expect(reason('postgres://u@pg.preview-42.svc.cluster.local/app')).toBe(
      'host pg.preview-42.svc.cluster.local (from the URL) is not local: a cluster service name: production runs in clusters too',
    );
    expect(reason('postgres://u@db/app')).toBe('host db (from the URL) is not local: a machine or service name on some network');
  });

  it('is a host the user declares: in the config, or in UNDERSTUDY_LOCAL_HOSTS, by name, *.suffix or IPv4 range', () => {
    env({ UNDERSTUDY_LOCAL_HOSTS: 'db, *.preview-42.svc.cluster.local 10.8.0.0/16' });
    const declared = declaredLocalHosts(['ci-postgres']);
    expect(declared).toEqual(['ci-postgres', 'db', '*.preview-42.svc.cluster.local', '10.8.0.0/16']);
    expect(reason('postgres://u@db/app', declared)).toBeUndefined();
    expect(reason('postgres://u@ci-postgres/app', declared)).toBeUndefined();
    expect(reason('postgres://u@pg.preview-42.svc.cluster.local/app', declared)).toBeUndefined();
    expect(reason('postgres://u@10.8.200.1/app', declared)).toBeUndefined();
    expect(reason('postgres://u@10.9.0.1/app', declared)).toMatch(/not local/);
    expect(reason('postgres://u@pg.preview-43.svc.cluster.local/app', declared)).toMatch(/not local/);
    // Declaring a host local does not make a production-named database seedable.
    expect(reason('postgres://u@db/app_prod', declared)).toMatch(/named like production/);
  });

  it('matches declared entries exactly, never by substring', () => {
    expect(matchesDeclaredHost('db.internal', 'db')).toBe(false);
    expect(matchesDeclaredHost('evil-preview.svc.cluster.local', '*.preview.svc.cluster.local')).toBe(false);
    expect(matchesDeclaredHost('DB.Example.COM.', 'db.example.com')).toBe(true);
    expect(matchesDeclaredHost('10.0.0.1', '10.0.0.0/8')).toBe(true);
    expect(matchesDeclaredHost('11.0.0.1', '10.0.0.0/8')).toBe(false);
    expect(matchesDeclaredHost('anything', '0.0.0.0/0')).toBe(false);
  });
});

describe('production guard: names', () => {
  it('matches production words, not substrings', () => {
    for (const name of ['prod', 'app_prod', 'prod-db', 'db.prod.example.com', 'myAppProd', 'prod2', 'shop_production', 'PRD_sales', 'app-live']) {
      expect(productionWord(name), name).toBeDefined();
    }
    for (const name of ['myapp_products', 'productions_report', 'reproduce', 'deliveries', 'olive', 'prodigy', 'app_dev', 'liver']) {
      expect(productionWord(name), name).toBeUndefined();
    }
  });

  it('lets myapp_products on localhost through, and refuses a prod-named host even if declared local', () => {
    env({ UNDERSTUDY_LOCAL_HOSTS: 'prod-replica' });
    expect(reason('postgres://u@127.0.0.1/myapp_products')).toBeUndefined();
    expect(reason('postgres://u@prod-replica/app')).toBe('host prod-replica (from the URL) is named like production ("prod")');
  });
});

describe('assertNotProduction', () => {
  it('says how to declare a scratch host local, or to pass --allow-production, without the password', () => {
    env({});
    const url = 'postgres://app:s3cret@pg.preview-42.svc.cluster.local/app';
    let error: unknown;
    try {
      assertNotProduction(url, postgresDialect.connectionTarget(url), { allow: false, localHosts: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    const { message, hint } = error as UsageError;
    expect(message).toBe(
      'refusing to seed postgres://app:***@pg.preview-42.svc.cluster.local/app: it looks like production (host pg.preview-42.svc.cluster.local (from the URL) is not local: a cluster service name: production runs in clusters too)',
    );
    expect(hint).toContain('UNDERSTUDY_LOCAL_HOSTS=pg.preview-42.svc.cluster.local');
    expect(hint).toContain('--allow-production');
    expect(`${message} ${hint}`).not.toContain('s3cret');
    expect(() => assertNotProduction(url, postgresDialect.connectionTarget(url), { allow: true, localHosts: [] })).not.toThrow();
  });
});
