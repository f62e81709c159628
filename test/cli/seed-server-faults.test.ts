/**
 * Faults of the server a seed writes to, on a private PostgreSQL started by the
 * test (initdb + pg_ctl, password authentication):
 * - the server killed (SIGKILL) in the middle of a seed: a clean error (exit 3)
 *   saying what happened and what to do; restarted, the target is as it was;
 * - odd passwords (`p@ss:w/rd#?`, `%`, quotes, spaces, non-ASCII): a correctly
 *   percent-encoded URL seeds; no failure prints the password, in any spelling,
 *   on stdout, stderr or in a report file. MariaDB too, with a user made for it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSqlFile, runSqlStatements, connectPostgres, postgresDialect } from '@understudy/postgres';
import { checkSeededDatabase, type CheckTarget } from '../db-checks.js';
import { startPrivatePostgres, type PrivatePostgres } from '../private-postgres.js';
import { repoRoot, runCli, startCli, waitFor } from '../run-cli.js';

const PASSWORD = 'p@ss:w/rd#?';
/** Passwords that break naive URL handling: delimiters, percent signs, quotes, spaces, backslashes, non-ASCII. */
const ODD_PASSWORDS = [PASSWORD, '100%zz%41 sure', `it's "quoted"`, 'back\\slash;semi&amp=eq', 'ünïcødé€ pass', 'a@b@c:d'];

let server: PrivatePostgres | undefined;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-faults-'));
  server = await startPrivatePostgres({ user: 'postgres', password: PASSWORD });
}, 120_000);
afterAll(async () => {
  await server?.destroy();
});

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A new database on the private server with `fixture` loaded; returns its name. */
async function databaseWith(fixture: string): Promise<string> {
  const name = `faults_${randomBytes(4).toString('hex')}`;
  await withClient(server!.url('postgres'), (c) => c.query(`CREATE DATABASE ${name}`));
  const conn = await connectPostgres(server!.url(name), postgresDialect);
  try {
    const file = await readSqlFile(join(repoRoot, fixture));
    await runSqlStatements(conn.db, fixture, file.statements);
  } finally {
    await conn.close();
  }
  return name;
}

/** Every table's row count and a hash of its rows, to compare the database before and after. */
async function snapshot(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const tables = (await client.query<{ t: string }>(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`))
      .rows;
    const out: Record<string, string> = {};
    for (const { t } of tables) out[t] = (await client.query(`SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') AS h FROM ${t} x`)).rows[0].h;
    return out;
  });
}

/** No part of the password shows: no 6 characters of it in a row (with a symbol among them, so ordinary words do not count), as written or encoded. */
function expectNoSecret(texts: readonly string[], password: string): void {
  const parts = new Set<string>();
  for (const spelling of [password, encodeURIComponent(password)]) {
    for (let i = 0; i + 6 <= spelling.length; i++) {
      const part = spelling.slice(i, i + 6);
      if (/[^A-Za-z0-9 ]/.test(part)) parts.add(part);
    }
  }
  for (const text of texts) for (const part of parts) expect(text, `"${part}" of the password shows`).not.toContain(part);
}

describe('a server killed in the middle of a seed', () => {
  it('fails cleanly (exit 3, what happened, what to do), and after a restart the target is as it was', async () => {
    if (!server) return;
    const name = await databaseWith('fixtures/schemas/pagila/schema.sql');
    const url = server.url(name);
    expect((await runCli(['seed', '--url', url, '--rows', '50'])).code).toBe(0);
    const before = await snapshot(url);
    const seed = startCli(['seed', '--url', url, '--rows', '300000', '--truncate', '--workers', '1']);
    // Kill it while rows are going in: a COPY of ours is running.
    await waitFor('a COPY of the seed', () =>
      withClient(
        server!.url('postgres'),
        async (c) => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'understudy' AND query LIKE 'COPY%' AND state = 'active'`)).rowCount! > 0,
      ),
    );
    await server.kill();
    const { code } = await seed.exited;
    expect(code).toBe(3);
    expect(seed.stderr()).toMatch(/failed on postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/faults_\w+: the connection to the server was lost \(.*\): it may have crashed, been stopped or restarted/);
    expect(seed.stderr()).toContain('Nothing was committed: PostgreSQL rolls an unfinished transaction back itself, after a crash too. Check that the server is up (pg_isready), then seed again.');
    expect(seed.stderr()).not.toContain('internal error');
    expectNoSecret([seed.stderr(), seed.stdout()], PASSWORD);
    await server.start();
    expect(await snapshot(url)).toEqual(before);
  }, 600_000);
});

describe('odd passwords', () => {
  it('a percent-encoded URL seeds; unencoded, wrong or failing ones never print the password', async () => {
    if (!server) return;
    const name = await databaseWith('fixtures/schemas/chinook/postgresql/schema.sql');
    const as = (password: string, database: string): string => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${server!.port}/${database}`;
    let current = PASSWORD;
    const setPassword = async (password: string): Promise<void> => {
      await withClient(as(current, 'postgres'), (c) => c.query(`ALTER ROLE postgres PASSWORD ${pg.escapeLiteral(password)}`));
      current = password;
    };
    try {
      for (const password of ODD_PASSWORDS) {
        await setPassword(password);
        const ok = await runCli(['seed', '--url', as(password, name), '--rows', '30', '--truncate', '--json']);
        expect(ok.stderr, password).toBe('');
        expect(ok.code, password).toBe(0);
        expect(JSON.parse(ok.stdout).target).toBe(`postgres://postgres:***@127.0.0.1:${server.port}/${name}`);
        const failures = [
          // Unencoded: refused, or read as meant and then failing on the missing database.
          await runCli(['seed', '--url', `postgres://postgres:${password}@127.0.0.1:${server.port}/no_such_db`, '--rows', '5', '--truncate']),
          await runCli(['seed', '--url', as(`${password}x`, name), '--rows', '5', '--truncate']),
          await runCli(['introspect', '--url', as(password, 'no_such_db')]),
          await runCli(['seed', '--url', as(password, name), '--plan', join(work, 'missing-plan.json')]),
          await runCli(['plan', '--url', as(password, name), '--config', join(work, 'missing.config.json')]),
        ];
        for (const f of failures) expect(f.code, `${password}: ${f.stderr}`).toBeGreaterThan(0);
        expect(failures[1]!.stderr).toContain('authentication failed for user "postgres"');
        expectNoSecret(
          failures.flatMap((f) => [f.stdout, f.stderr]),
          password,
        );
      }
      // The data of the last seed is whole.
      const conn = await connectPostgres(as(current, name), postgresDialect);
      const schema = await conn.introspect().finally(() => conn.close());
      await withClient(as(current, name), async (client) => {
        const target: CheckTarget = { dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query: async (sql) => (await client.query(sql)).rows };
        expect((await checkSeededDatabase(target, schema, {})).problems).toEqual([]);
      });
    } finally {
      await setPassword(PASSWORD);
    }
  }, 600_000);

  it('a rehearsal on a server with an odd password writes reports without it', async () => {
    if (!server) return;
    const report = join(work, 'rehearsal.json');
    const markdown = join(work, 'rehearsal.md');
    const result = await runCli(['rehearse', 'fixtures/migrations/rehearse/clean', '--url', server.url('postgres'), '--rows', '20', '--json', report, '--markdown', markdown]);
    expect(result.code).toBe(0);
    expectNoSecret([result.stdout, result.stderr, await readFile(report, 'utf8'), await readFile(markdown, 'utf8')], PASSWORD);
  }, 600_000);
});

const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the odd-password seed into MariaDB');

describe.skipIf(!mysqlUrl)('odd passwords on MariaDB', () => {
  it('a percent-encoded URL seeds, failures never print the password', async () => {
    const admin = new URL(mysqlUrl!);
    const conn = await mysql.createConnection({
      host: admin.hostname,
      port: Number(admin.port || 3306),
      user: decodeURIComponent(admin.username),
      password: decodeURIComponent(admin.password),
      multipleStatements: true,
    });
    const suffix = randomBytes(4).toString('hex');
    const database = `understudy_odd_${suffix}`;
    const user = `understudy_odd_${suffix}`;
    try {
      await conn.query(
        `CREATE DATABASE ${database}; CREATE TABLE ${database}.author (id int PRIMARY KEY, name varchar(40) NOT NULL) ENGINE=InnoDB; CREATE TABLE ${database}.book (id int PRIMARY KEY, author_id int NOT NULL, title varchar(80), FOREIGN KEY (author_id) REFERENCES ${database}.author(id)) ENGINE=InnoDB`,
      );
      for (const password of ODD_PASSWORDS) {
        await conn.query(`DROP USER IF EXISTS ?@'%'`, [user]);
        await conn.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
        await conn.query(`GRANT ALL ON ${database}.* TO ?@'%'`, [user]);
        const encoded = `mysql://${user}:${encodeURIComponent(password)}@${admin.host}/${database}`;
        const ok = await runCli(['seed', '--url', encoded, '--rows', '25', '--truncate']);
        expect(ok.code, `${password}: ${ok.stderr}`).toBe(0);
        const [[row]] = (await conn.query(`SELECT count(*) AS n FROM ${database}.book`)) as unknown as [[{ n: number }]];
        expect(Number(row.n)).toBe(25);
        const failures = [
          await runCli(['seed', '--url', `mysql://${user}:${password}@${admin.host}/no_such_db_${suffix}`, '--rows', '5', '--truncate']),
          await runCli(['seed', '--url', `mysql://${user}:${encodeURIComponent(`${password}x`)}@${admin.host}/${database}`, '--rows', '5', '--truncate']),
          await runCli(['introspect', '--url', `mysql://${user}:${encodeURIComponent(password)}@${admin.host}/no_such_db_${suffix}`]),
        ];
        for (const f of failures) expect(f.code, `${password}: ${f.stderr}`).toBeGreaterThan(0);
        expectNoSecret(
          failures.flatMap((f) => [f.stdout, f.stderr]),
          password,
        );
      }
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS ${database}; DROP USER IF EXISTS ?@'%'`, [user]).catch(() => undefined);
      await conn.end();
    }
  }, 600_000);
});
