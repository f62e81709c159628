/**
 * Rows a seed must not touch, from the CLI as a user runs it: the versions a
 * migration tool recorded, reference rows a DDL file inserted, tables left out
 * with --only / --exclude. On PGlite (seed --from), PostgreSQL 15 and MariaDB
 * (seed --url); every check is SQL written here.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '@understudy/postgres';
import { runCli } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];

/** A Rails-style schema: migration versions, a plans table with its reference rows, users on plans, an audit log. */
const PG_DDL = `
CREATE TABLE schema_migrations (version varchar PRIMARY KEY);
CREATE TABLE ar_internal_metadata (key varchar PRIMARY KEY, value varchar, created_at timestamp NOT NULL, updated_at timestamp NOT NULL);
CREATE TABLE plans (id serial PRIMARY KEY, code varchar(20) NOT NULL UNIQUE);
CREATE TABLE users (id serial PRIMARY KEY, email varchar(120) NOT NULL UNIQUE, plan_id int NOT NULL REFERENCES plans);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, user_id int REFERENCES users, what text);
INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240202000000');
INSERT INTO ar_internal_metadata VALUES ('environment', 'production', now(), now());
INSERT INTO plans (code) VALUES ('free'), ('pro'), ('enterprise');
`;

const MYSQL_DDL = `
CREATE TABLE schema_migrations (version varchar(255) PRIMARY KEY);
CREATE TABLE plans (id int AUTO_INCREMENT PRIMARY KEY, code varchar(20) NOT NULL UNIQUE);
CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, email varchar(120) NOT NULL UNIQUE, plan_id int NOT NULL, FOREIGN KEY (plan_id) REFERENCES plans (id));
CREATE TABLE audit_log (id bigint AUTO_INCREMENT PRIMARY KEY, user_id int NULL, what text, FOREIGN KEY (user_id) REFERENCES users (id));
INSERT INTO schema_migrations VALUES ('20240101000000'), ('20240202000000');
INSERT INTO plans (code) VALUES ('free'), ('pro'), ('enterprise');
`;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-kept-'));
  await writeFile(join(work, 'schema.sql'), PG_DDL);
});
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

/** What every engine must show after `seed --rows 50` and then `--truncate` / `--only` / `--exclude` runs. */
async function expectKeptAcrossSeeds(seed: (args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>, query: Query): Promise<void> {
  const versions = async (): Promise<unknown[]> => (await query('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r['version']);
  const count = async (table: string): Promise<number> => Number(Object.values((await query(`SELECT count(*) AS n FROM ${table}`))[0]!)[0]);

  const first = await seed(['--rows', '50', '--json']);
  expect(first.code, first.stderr).toBe(0);
  const result = JSON.parse(first.stdout) as { tables: Array<{ table: string; rows: number }>; kept: Array<{ table: string; reason: string }> };
  expect(result.kept.map((k) => k.table.replace(/^[^.]+\./, ''))).toEqual(expect.arrayContaining(['schema_migrations', 'plans']));
  expect(result.tables.map((t) => t.table.replace(/^[^.]+\./, '')).sort()).toEqual(['audit_log', 'users']);
  expect(await versions()).toEqual(['20240101000000', '20240202000000']);
  expect((await query('SELECT code FROM plans ORDER BY id')).map((r) => r['code'])).toEqual(['free', 'pro', 'enterprise']);
  // The users point at the three plans the DDL inserted, more than one of them.
  expect(Number(Object.values((await query('SELECT count(DISTINCT plan_id) AS n FROM users WHERE plan_id IN (SELECT id FROM plans)'))[0]!)[0])).toBeGreaterThan(1);
  expect(await count('users')).toBe(50);

  // --truncate replaces the application's rows, never the migration versions.
  const replaced = await seed(['--rows', '20', '--truncate', '--json']);
  expect(replaced.code, replaced.stderr).toBe(0);
  expect(await versions()).toEqual(['20240101000000', '20240202000000']);
  expect(await count('plans')).toBe(20);
  expect(await count('users')).toBe(20);

  // A table left out that references one --truncate would empty: refused, naming it, and nothing changes.
  const orphaning = await seed(['--rows', '30', '--truncate', '--exclude', 'audit_*']);
  expect(orphaning.code).toBe(2);
  expect(orphaning.stderr).toMatch(/audit_log/);
  expect(await count('users')).toBe(20);
  // --only loads what it names; the others keep their rows and are its parents.
  const only = await seed(['--rows', '30', '--truncate', '--only', 'audit_log', '--json']);
  expect(only.code, only.stderr).toBe(0);
  expect(await count('audit_log')).toBe(30);
  expect(await count('users')).toBe(20);
  expect(Number(Object.values((await query('SELECT count(*) AS n FROM audit_log WHERE user_id IS NOT NULL AND user_id NOT IN (SELECT id FROM users)'))[0]!)[0])).toBe(0);
  const typo = await seed(['--rows', '30', '--only', 'userz']);
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain('--only userz: no table matches it');
}

describe('seed keeps rows it must not touch', () => {
  it('on PGlite (seed --from … --pglite DIR, then --url pglite://DIR)', async () => {
    const dir = join(work, 'db');
    const seed = (args: string[]) =>
      args.includes('--rows') && !args.includes('--truncate') && !args.includes('--only')
        ? runCli(['seed', '--from', join(work, 'schema.sql'), '--pglite', dir, ...args])
        : runCli(['seed', '--url', `pglite://${dir}`, ...args]);
    // Each query opens the kept PGlite between CLI runs (one process at a time may hold it).
    const query: Query = async (sql) => {
      const conn = await openPglite({ dataDir: dir });
      try {
        return (await conn.pglite.query<Record<string, unknown>>(sql)).rows;
      } finally {
        await conn.close();
      }
    };
    await expectKeptAcrossSeeds(seed, query);
  }, 600_000);

  it('keeps the rows a pg_dump carries in COPY … FROM stdin blocks (seed --from on PGlite)', async () => {
    const dump = [
      'CREATE TABLE public.kinds (id integer PRIMARY KEY, label text NOT NULL);',
      'CREATE TABLE public.items (id integer PRIMARY KEY, kind_id integer NOT NULL REFERENCES public.kinds (id), note text);',
      'COPY public.kinds (id, label) FROM stdin;',
      '7\tbook',
      "8\tit's a \\\\N-free\\tlabel",
      '\\.',
      '',
    ].join('\n');
    const file = join(work, 'dump.sql');
    await writeFile(file, dump);
    const dir = join(work, 'dump-db');
    const result = await runCli(['seed', '--from', file, '--pglite', dir, '--rows', '40', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const conn = await openPglite({ dataDir: dir });
    try {
      expect((await conn.pglite.query('SELECT id, label FROM kinds ORDER BY id')).rows).toEqual([
        { id: 7, label: 'book' },
        { id: 8, label: "it's a \\N-free\tlabel" },
      ]);
      expect((await conn.pglite.query('SELECT count(*)::int AS n, count(DISTINCT kind_id)::int AS k FROM items WHERE kind_id IN (7, 8)')).rows).toEqual([{ n: 40, k: 2 }]);
    } finally {
      await conn.close();
    }
  }, 600_000);

  it.skipIf(!pgUrl)(
    'on PostgreSQL 15 (seed --url)',
    async () => {
      const name = `understudy_kept_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      const url = new URL(pgUrl!);
      url.pathname = `/${name}`;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      cleanups.push(async () => {
        await client.end();
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      });
      await client.query(PG_DDL);
      await expectKeptAcrossSeeds(
        (args) => runCli(['seed', '--url', url.toString(), ...args]),
        async (sql) => (await client.query(sql)).rows,
      );
    },
    600_000,
  );

  it.skipIf(!mysqlUrl)(
    'on MariaDB (seed --url)',
    async () => {
      const name = `understudy_kept_${randomBytes(4).toString('hex')}`;
      const base = new URL(mysqlUrl!);
      const admin = await mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
      await admin.query(`CREATE DATABASE \`${name}\``);
      cleanups.push(async () => {
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
      });
      execFileSync('mariadb', ['-h', base.hostname, '-P', base.port || '3306', '-u', decodeURIComponent(base.username), name], { input: MYSQL_DDL });
      const url = new URL(mysqlUrl!);
      url.pathname = `/${name}`;
      const conn = await mysql.createConnection({ uri: url.toString() });
      cleanups.push(() => conn.end());
      await expectKeptAcrossSeeds(
        (args) => runCli(['seed', '--url', url.toString(), ...args]),
        async (sql) => (await conn.query(sql))[0] as Array<Record<string, unknown>>,
      );
    },
    600_000,
  );
});
