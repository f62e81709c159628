/**
 * Where a URL really connects, as pg resolves it: every source the driver reads.
 * Checked against pg itself too: a client made from the same URL and environment
 * connects to the host and database the target names.
 */
import { UsageError } from '@understudy/core';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresConnectionTarget } from './postgres-connection-target.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of ['PGHOST', 'PGDATABASE', 'PGPORT', 'PGUSER', 'PGSERVICE']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

function withEnv(env: Record<string, string>): void {
  for (const key of ['PGHOST', 'PGDATABASE', 'PGPORT', 'PGUSER', 'PGSERVICE']) delete process.env[key];
  Object.assign(process.env, env);
}

describe('postgresConnectionTarget', () => {
  it('takes the host and database of a bare postgres:// URL from PGHOST and PGDATABASE', () => {
    withEnv({ PGHOST: 'db.example.com', PGDATABASE: 'app_prod' });
    const target = postgresConnectionTarget('postgres://');
    expect(target).toMatchObject({ embedded: false, hosts: ['db.example.com'], database: 'app_prod', hostFrom: 'PGHOST', databaseFrom: 'PGDATABASE' });
  });

  it('lets ?host= override the host of the URL, as pg does', () => {
    withEnv({});
    const target = postgresConnectionTarget('postgres://postgres@127.0.0.1:5432/test?host=db.example.com');
    expect(target.hosts).toEqual(['db.example.com']);
    expect(target.hostFrom).toBe('?host=');
    expect(postgresConnectionTarget('postgres://postgres@localhost/test?host=/var/run/postgresql').hosts).toEqual(['/var/run/postgresql']);
  });

  it('falls back to pg defaults: localhost, and a database named after the user', () => {
    withEnv({ PGUSER: 'alice' });
    expect(postgresConnectionTarget('postgres://')).toMatchObject({ hosts: ['localhost'], database: 'alice', hostFrom: "pg's default", databaseFrom: "pg's default" });
    expect(postgresConnectionTarget('postgres://[::1]:5433/x').hosts).toEqual(['::1']);
  });

  it('refuses PGSERVICE and ?service=, which pg does not read', () => {
    withEnv({ PGSERVICE: 'production' });
    expect(() => postgresConnectionTarget('postgres://')).toThrow(UsageError);
    expect(() => postgresConnectionTarget('postgres://')).toThrow(/PGSERVICE=production names a connection service, which .* does not read/);
    withEnv({});
    expect(() => postgresConnectionTarget('postgres://localhost/x?service=prod')).toThrow(/\?service= names a connection service/);
  });

  it('refuses a URL pg would read as another host (an unencoded / in the password), never printing it', () => {
    let message = '';
    try {
      postgresConnectionTarget('postgres://app:1234/secret@db.example.com/shop');
    } catch (error) {
      message = (error as Error).message;
      expect(error).toBeInstanceOf(UsageError);
    }
    expect(message).toMatch(/cannot be read as written/);
    expect(message).not.toContain('secret');
    expect(message).not.toContain('1234');
  });

  it('calls a pglite:// URL embedded', () => {
    expect(postgresConnectionTarget('pglite://./dev-db')).toMatchObject({ embedded: true, hosts: [] });
  });
});
