/**
 * A seed meets another session's lock (PostgreSQL 15 and MariaDB): it gives up
 * after the lock timeout (`--lock-timeout`, the config's `target.lockTimeout`,
 * 10 s by default) with a message naming the table and the session that holds
 * it, leaves the target as it was, and, killed while it waits, does not leave
 * its server session queued for the lock. A deferred constraint trigger's
 * "pending trigger events" (when user triggers run during the load) is
 * explained (PostgreSQL and PGlite).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, createScratchDatabase, dropScratchDatabase, postgresDialect, readSqlFile, runSqlStatements, urlForDatabase } from '@understudy/postgres';
import { repoRoot, runCli, startCli, waitFor } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the lock tests against PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the lock tests against MariaDB');

const DEFERRED_TRIGGER_DDL = `
CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE child (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parent(id), note text);
CREATE FUNCTION check_child() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER child_check AFTER INSERT ON child DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_child();
`;

let work: string;
const created: string[] = [];

/** A config that runs user triggers during the load (by default they are disabled, as pg_restore does). */
async function runTriggersConfig(): Promise<string> {
  const file = join(work, 'run-triggers.config.json');
  await writeFile(file, JSON.stringify({ triggers: 'run' }));
  return file;
}
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-locks-'));
});
afterAll(async () => {
  if (pgUrl) for (const name of created) await dropScratchDatabase(pgUrl, name).catch(() => undefined);
});

/** A fresh database with a fixture file or DDL text loaded; returns its URL. */
async function pgDatabase(ddl: { fixture?: string; sql?: string }): Promise<string> {
  const name = await createScratchDatabase(pgUrl!, 'understudy_locks');
  created.push(name);
  const url = urlForDatabase(pgUrl!, name);
  if (ddl.fixture) {
    const conn = await connectPostgres(url, postgresDialect);
    try {
      await runSqlStatements(conn.db, ddl.fixture, (await readSqlFile(join(repoRoot, ddl.fixture))).statements);
    } finally {
      await conn.close();
    }
  }
  if (ddl.sql) await withClient(url, (c) => c.query(ddl.sql!));
  return url;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function counts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    const out: Record<string, number> = {};
    for (const { t } of (await c.query<{ t: string }>(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows) {
      out[t] = Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    }
    return out;
  });
}

/** A session of its own that takes a lock on `table` in an open transaction, until `release()`. */
async function holdLock(url: string, table: string, application: string): Promise<{ pid: number; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url, application_name: application });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS SHARE MODE`);
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  return {
    pid,
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Sessions of understudy on the server waiting for a lock. */
async function waitingSeeds(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'understudy' AND wait_event_type = 'Lock'`)).rows[0].n));
}

describe.skipIf(!pgUrl)('PostgreSQL: a lock another session holds', () => {
  it('--truncate gives up after --lock-timeout, naming the table and the session; the target is as it was', async () => {
    const url = await pgDatabase({ fixture: 'fixtures/schemas/chinook/postgresql/schema.sql' });
    expect((await runCli(['seed', '--url', url, '--rows', '20'])).code).toBe(0);
    const before = await counts(url);
    const blocker = await holdLock(url, 'public.track', 'report-job');
    try {
      const started = Date.now();
      const result = await runCli(['seed', '--url', url, '--rows', '30', '--truncate', '--lock-timeout', '2s']);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(
        new RegExp(
          `emptying the tables failed on .*: waited 2 s for a lock and gave up: table public\\.track is locked by another session \\(pid ${blocker.pid}, application "report-job", user \\w+, idle in transaction for \\d+ s\\)`,
        ),
      );
      expect(result.stderr).toContain(`SELECT pg_terminate_backend(${blocker.pid})`);
      expect(result.stderr).toContain('--lock-timeout 60s');
    } finally {
      await blocker.release();
    }
    expect(await counts(url)).toEqual(before);
  }, 300_000);

  it('takes the lock timeout from the config, and a seed killed while it waits leaves no session queued', async () => {
    const url = await pgDatabase({ fixture: 'fixtures/schemas/chinook/postgresql/schema.sql' });
    const config = join(work, `lock-${randomBytes(3).toString('hex')}.config.json`);
    await writeFile(config, JSON.stringify({ target: { lockTimeout: '1s' } }));
    const blocker = await holdLock(url, 'public.artist', 'migration');
    try {
      const fromConfig = await runCli(['seed', '--url', url, '--rows', '10', '--truncate', '--config', config]);
      expect(fromConfig.code).toBe(3);
      expect(fromConfig.stderr).toContain('waited 1 s for a lock and gave up: table public.artist is locked by another session');
      // No limit: it waits; killed (SIGKILL, no chance to clean up), its server session must not stay queued.
      const seed = startCli(['seed', '--url', url, '--rows', '10', '--truncate', '--lock-timeout', '0']);
      await waitFor('the seed to wait for the lock', async () => (await waitingSeeds(url)) > 0);
      seed.child.kill('SIGKILL');
      await seed.exited;
      await waitFor('its session to stop waiting', async () => (await waitingSeeds(url)) === 0, 10_000);
    } finally {
      await blocker.release();
    }
  }, 300_000);

  it('explains "pending trigger events" of a deferred constraint trigger run during the load, naming it and how to seed anyway', async () => {
    const url = await pgDatabase({ sql: DEFERRED_TRIGGER_DDL });
    const result = await runCli(['seed', '--url', url, '--rows', '20', '--config', await runTriggersConfig()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('a deferred constraint trigger (child_check on public.child) queued an event for every loaded row');
    expect(result.stderr).toContain(
      "Let the load disable user triggers (the default, which a config's triggers: 'run' turns off), disable this one while seeding (ALTER TABLE public.child DISABLE TRIGGER child_check)",
    );
    expect(await counts(url)).toEqual({ 'public.child': 0, 'public.parent': 0 });
    // The hint's way: with the trigger disabled the same config seeds.
    await withClient(url, (c) => c.query('ALTER TABLE public.child DISABLE TRIGGER child_check'));
    expect((await runCli(['seed', '--url', url, '--rows', '20', '--config', await runTriggersConfig()])).code).toBe(0);
    expect(await counts(url)).toEqual({ 'public.child': 20, 'public.parent': 20 });
  }, 300_000);
});

describe('PGlite: pending trigger events', () => {
  it('are explained the same way', async () => {
    const file = join(work, 'deferred-trigger.sql');
    await writeFile(file, DEFERRED_TRIGGER_DDL);
    const result = await runCli(['seed', '--from', file, '--rows', '20', '--config', await runTriggersConfig()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('a deferred constraint trigger (child_check on public.child) queued an event for every loaded row');
  }, 300_000);
});

describe.skipIf(!mysqlUrl)('MariaDB: a lock another session holds', () => {
  it('--truncate gives up after --lock-timeout, naming the session; the rows are as they were', async () => {
    const admin = new URL(mysqlUrl!);
    const options = { host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password), multipleStatements: true };
    const database = `understudy_locks_${randomBytes(4).toString('hex')}`;
    const setup = await mysql.createConnection(options);
    const blocker = await mysql.createConnection({ ...options, database: 'mysql' });
    try {
      await setup.query(`CREATE DATABASE ${database}; CREATE TABLE ${database}.account (id int PRIMARY KEY, balance int NOT NULL) ENGINE=InnoDB`);
      const url = `${admin.protocol}//${admin.username}${admin.password ? `:${admin.password}` : ''}@${admin.host}/${database}`;
      expect((await runCli(['seed', '--url', url, '--rows', '20'])).code).toBe(0);
      const [[{ sum }]] = (await setup.query(`SELECT sum(balance) AS sum FROM ${database}.account`)) as unknown as [[{ sum: string }]];
      await blocker.query(`USE ${database}`);
      const [[{ id }]] = (await blocker.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
      await blocker.query(`START TRANSACTION; UPDATE ${database}.account SET balance = balance + 1 WHERE id = (SELECT min(id) FROM (SELECT id FROM ${database}.account) a)`);
      const result = await runCli(['seed', '--url', url, '--rows', '30', '--truncate', '--lock-timeout', '2s']);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`emptying ${database}.account failed on`);
      // The server no longer says which transaction held the lock once the wait is over: the sessions with one are named, those on the database first.
      expect(result.stderr).toMatch(new RegExp(`waited 2 s for a lock and gave up: a session with an open transaction holds it(, one of|:) thread ${id}, user \\w+, from [^,]+, database ${database}`));
      expect(result.stderr).toMatch(/KILL (\d+|<thread>)/);
      await blocker.query('ROLLBACK');
      const [[after]] = (await setup.query(`SELECT count(*) AS n, sum(balance) AS sum FROM ${database}.account`)) as unknown as [[{ n: number; sum: string }]];
      expect({ n: Number(after.n), sum: after.sum }).toEqual({ n: 20, sum });
    } finally {
      await blocker.end().catch(() => undefined);
      await setup.query(`DROP DATABASE IF EXISTS ${database}`).catch(() => undefined);
      await setup.end();
    }
  }, 300_000);
});
