/**
 * Statements that act on the whole server are never run by a rehearsal on a
 * `--url` server: a pending `DROP DATABASE` of a real second database, `CREATE
 * ROLE`, role membership, `ALTER SYSTEM` (PostgreSQL 15) and `DROP DATABASE`,
 * `CREATE USER`, `GRANT`, `SET GLOBAL` and a write into another database (MariaDB)
 * are reported as `server-level` hazards naming file:line, the second database
 * survives with its rows, no role or user appears, the server's settings are
 * unchanged, and the rest of the migration runs. On MariaDB a table qualified
 * with the URL's database name is altered in the throwaway database, not in the
 * real one.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL server-level statement test');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB server-level statement test');

const suffix = Math.random().toString(16).slice(2, 10);
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-server-level-'));
});

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

describe.skipIf(!PG_URL)('server-level statements on PostgreSQL 15', () => {
  const victim = `understudy_test_victim_${suffix}`;
  const role = `understudy_test_role_${suffix}`;
  const admin = async <T>(fn: (client: pg.Client) => Promise<T>, database?: string): Promise<T> => {
    const client = new pg.Client({ connectionString: database ? PG_URL!.replace(/\/[^/]*$/, `/${database}`) : PG_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${victim}`));
    await admin(async (c) => {
      await c.query('create table precious (id int primary key, note text)');
      await c.query("insert into precious values (1, 'keep me'), (2, 'me too')");
    }, victim);
  });
  afterAll(async () => {
    await admin(async (c) => {
      await c.query(`drop database if exists ${victim} with (force)`);
      await c.query(`drop role if exists ${role}`);
      // Only if the test failed the way it guards against.
      const set = await c.query("select 1 from pg_file_settings where name = 'log_min_duration_statement' and setting = '12345'");
      if (set.rows.length > 0) await c.query('alter system reset log_min_duration_statement');
    });
  });

  it('reports them as hazards, runs none of them, and runs the rest', async () => {
    const dir = await folder('pg', {
      '001_users.up.sql': 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n',
      '002_ops.up.sql': [
        `CREATE ROLE ${role} LOGIN;`,
        `GRANT SELECT ON users TO ${role};`,
        `GRANT pg_read_all_data TO ${role};`,
        `DROP DATABASE ${victim};`,
        "ALTER SYSTEM SET log_min_duration_statement = '12345';",
        'ALTER TABLE users ADD COLUMN note text;',
        '',
      ].join('\n'),
    });
    const json = join(work, 'pg.json');
    const junit = join(work, 'pg.xml');
    const result = await runCli(['rehearse', dir, '--url', PG_URL!, '--rows', '30', '--json', json, '--junit', junit, '--no-down']);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const migration = report.migrations[0]!;
    expect(migration.status).toBe('passed');
    expect(migration.skipped!.map((s) => [s.line, s.effect])).toEqual([
      [1, `creates role ${role}`],
      [2, `needs role ${role}, created at 002_ops.up.sql:1, which was not run`],
      [3, 'grants membership in a role'],
      [4, `drops database ${victim}`],
      [5, "changes the server's configuration (ALTER SYSTEM)"],
    ]);
    expect(migration.statements.map((s) => s.sql)).toEqual(['ALTER TABLE users ADD COLUMN note text']);
    expect(report.hazards.map((h) => h.kind)).toEqual(['server-level', 'server-level', 'server-level', 'server-level', 'server-level']);
    expect(report.hazards[3]!.message).toBe(
      `002_ops.up.sql:4 DROP DATABASE ${victim} was not run: it drops database ${victim}, beyond the rehearsal database (a rehearsal on a shared server never runs such statements); check it by hand before production`,
    );
    expect(report.schemaChanges).toContainEqual({ change: 'added', object: 'column', name: 'public.users.note' });
    expect(result.stdout).toContain('server-level  002_ops.up.sql:4 DROP DATABASE');
    expect(result.stdout).toContain('5 statements not run (server-level)');
    expect(await readFile(junit, 'utf8')).toMatch(
      /<testcase name="nothing beyond the rehearsal database"[^>]*>\s*<failure message="002: 002_ops\.up\.sql:1 CREATE ROLE [^"]*\(and 4 more\)" type="server-level">/,
    );

    // The second database is there with its rows; no role appeared; the server's settings are as they were.
    expect((await admin((c) => c.query('select count(*)::int as n from precious'), victim)).rows[0].n).toBe(2);
    expect((await admin((c) => c.query('select 1 from pg_roles where rolname = $1', [role]))).rows).toEqual([]);
    expect((await admin((c) => c.query("select 1 from pg_file_settings where name = 'log_min_duration_statement'"))).rows).toEqual([]);
  });
});

describe.skipIf(!MYSQL_URL)('server-level statements on MariaDB', () => {
  const victim = `understudy_test_victim_${suffix}`;
  const user = `understudy_test_user_${suffix}`;
  const table = `rr_users_${suffix}`;
  const urlDatabase = MYSQL_URL ? decodeURIComponent(new URL(MYSQL_URL).pathname.slice(1)) : 'test';
  const query = async (text: string): Promise<unknown[]> => {
    const conn = await mysql.createConnection(MYSQL_URL!);
    try {
      return (await conn.query(text))[0] as unknown[];
    } finally {
      await conn.end();
    }
  };

  beforeAll(async () => {
    await query(`CREATE DATABASE \`${victim}\``);
    await query(`CREATE TABLE \`${victim}\`.precious (id int PRIMARY KEY, note text)`);
    await query(`INSERT INTO \`${victim}\`.precious VALUES (1, 'keep me'), (2, 'me too')`);
    // A real table of the URL's database with the name the migration qualifies: it must stay as it is.
    await query(`CREATE TABLE \`${urlDatabase}\`.\`${table}\` (id int PRIMARY KEY)`);
  });
  afterAll(async () => {
    await query(`DROP DATABASE IF EXISTS \`${victim}\``);
    await query(`DROP TABLE IF EXISTS \`${urlDatabase}\`.\`${table}\``);
    await query(`DROP USER IF EXISTS '${user}'@'%'`);
  });

  it("reports them as hazards, runs none of them, and keeps the URL database's tables out of reach", async () => {
    const maxConnections = ((await query("SHOW GLOBAL VARIABLES LIKE 'max_connections'")) as Array<{ Value: string }>)[0]!.Value;
    const dir = await folder('mysql', {
      '001_users.up.sql': `CREATE TABLE ${table} (id int AUTO_INCREMENT PRIMARY KEY, email varchar(80) NOT NULL);\n`,
      '002_ops.up.sql': [
        `DROP DATABASE ${victim};`,
        `CREATE USER '${user}'@'%' IDENTIFIED BY 'x';`,
        `GRANT SELECT ON ${urlDatabase}.${table} TO '${user}'@'%';`,
        `SET GLOBAL max_connections = ${Number(maxConnections) + 7};`,
        `ALTER TABLE ${victim}.precious ADD COLUMN extra int;`,
        `ALTER TABLE ${urlDatabase}.${table} ADD COLUMN note text;`,
        '',
      ].join('\n'),
    });
    const json = join(work, 'mysql.json');
    const result = await runCli(['rehearse', dir, '--url', MYSQL_URL!, '--dialect', 'mysql', '--rows', '30', '--json', json, '--no-down']);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const migration = report.migrations[0]!;
    expect(migration.status, JSON.stringify(migration.failure)).toBe('passed');
    expect(migration.skipped!.map((s) => [s.line, s.effect])).toEqual([
      [1, `drops database ${victim}`],
      [2, `creates user ${user}`],
      [3, 'changes privileges, which the server keeps in its own grant tables'],
      [4, 'changes server settings or accounts'],
      [5, `writes to database ${victim}`],
    ]);
    expect(report.hazards.filter((h) => h.kind === 'server-level')).toHaveLength(5);
    // The qualified ALTER ran in the throwaway database.
    expect(report.schemaChanges).toContainEqual({ change: 'added', object: 'column', name: `${urlDatabase}.${table}.note` });

    expect(((await query(`SELECT COUNT(*) AS n FROM \`${victim}\`.precious`)) as Array<{ n: number }>)[0]!.n).toBe(2);
    expect(await query(`SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${victim}' AND TABLE_NAME = 'precious' AND COLUMN_NAME = 'extra'`)).toEqual([]);
    expect(await query(`SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '${urlDatabase}' AND TABLE_NAME = '${table}' AND COLUMN_NAME = 'note'`)).toEqual([]);
    expect(await query(`SELECT 1 FROM mysql.user WHERE User = '${user}'`)).toEqual([]);
    expect(((await query("SHOW GLOBAL VARIABLES LIKE 'max_connections'")) as Array<{ Value: string }>)[0]!.Value).toBe(maxConnections);
  });
});
