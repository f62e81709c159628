/**
 * CHECK shapes of production schemas (fixtures/schemas/check-shapes/): exactly one of, both or
 * neither, counts of NULLs, `a IS NOT NULL OR (b IS NOT NULL AND c IS NOT NULL)`, a polymorphic
 * "exactly one parent" over foreign keys, `CHECK (fk IS NOT NULL)` on a nullable foreign key, array
 * sizes and a single-row table. Each is seeded through the built CLI into PGlite, PostgreSQL
 * (UNDERSTUDY_TEST_PG_URL) and MariaDB (UNDERSTUDY_TEST_MYSQL_URL, the shapes MySQL has), then
 * counted again in SQL: no row fails a CHECK, and every NULL combination a CHECK allows occurs
 * (and no other). A contradictory CHECK is refused by `plan`, exit code 2.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { mysqlDialect } from '@understudy/mysql';
import { connectPostgres, createScratchDatabase, dropScratchDatabase, openPglite, postgresDialect, readSqlFile, runSqlStatements, urlForDatabase } from '@understudy/postgres';
import type { Schema } from '@understudy/core';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { repoRoot, runCli } from '../run-cli.js';

const PG_FIXTURE = 'fixtures/schemas/check-shapes/postgres.sql';
const MYSQL_FIXTURE = 'fixtures/schemas/check-shapes/mysql.sql';
const ROWS = 1000;

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the CHECK shapes on a PostgreSQL server');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the CHECK shapes on MariaDB');

/** [table, columns, the NULL combinations its CHECK allows ('1': NOT NULL)]: each must occur, no other may. */
type Combinations = ReadonlyArray<readonly [string, readonly string[], readonly string[]]>;

const PG_COMBINATIONS: Combinations = [
  ['quotes', ['approved_at'], ['0', '1']],
  ['quotes', ['void_reason', 'voided_at'], ['00', '11']],
  ['collection_acl', ['user_id', 'user_group_id'], ['01', '10']],
  ['comments', ['post_id', 'photo_id'], ['01', '10']],
  ['passcodes', ['hashed_one_time_passcode', 'one_time_passcode_expires_at'], ['00', '11']],
  ['spellings', ['a1', 'b1'], ['01', '10']],
  ['spellings', ['a2', 'b2'], ['00', '11']],
  ['spellings', ['a3', 'b3'], ['01', '10']],
  ['spellings', ['a4', 'b4'], ['01', '10']],
  ['spellings', ['a5', 'b5'], ['01', '10']],
  ['spellings', ['a6', 'b6'], ['01', '10']],
  ['counts', ['a1', 'b1', 'c1'], ['001', '010', '100']],
  ['counts', ['a2', 'b2', 'c2'], ['000', '001', '010', '011', '100', '101', '110']],
  ['counts', ['a3', 'b3', 'c3'], ['000', '111']],
  ['counts', ['a4', 'b4', 'c4'], ['011', '100', '101', '110', '111']],
  ['counts', ['a5', 'b5', 'c5'], ['000', '001', '010', '100']],
  ['protection_rules', ['project_id', 'package_type', 'minimum_access_level_for_push', 'minimum_access_level_for_delete'], ['1101', '1110']],
];

const MYSQL_COMBINATIONS: Combinations = [
  ['quotes', ['approved_at'], ['0', '1']],
  ['quotes', ['void_reason', 'voided_at'], ['00', '11']],
  ['collection_acl', ['user_id', 'user_group_id'], ['01', '10']],
  ['spellings', ['a1', 'b1'], ['01', '10']],
  ['spellings', ['a2', 'b2'], ['00', '11']],
  ['spellings', ['a3', 'b3'], ['01', '10']],
  ['spellings', ['a4', 'b4'], ['01', '10']],
  ['spellings', ['a5', 'b5'], ['01', '10']],
  ['spellings', ['a6', 'b6', 'c6'], ['011', '100', '101', '110', '111']],
  ['spellings', ['a7', 'b7'], ['00', '01', '10']],
  ['protection_rules', ['project_id', 'package_type', 'push_level', 'delete_level'], ['1101', '1110']],
  ['dependency_node', ['redundancy_group_id', 'host_id', 'service_id'], ['010', '011', '100']],
];

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

/** The NULL combinations of `columns` found in `table`, counted in SQL. */
async function combinationsIn(query: Query, dialect: 'postgres' | 'mysql', table: string, columns: readonly string[]): Promise<string[]> {
  const bits = columns.map((c) => `CASE WHEN ${c} IS NULL THEN '0' ELSE '1' END`);
  const combined = dialect === 'mysql' ? `CONCAT(${bits.join(', ')})` : bits.join(' || ');
  const rows = await query(`SELECT DISTINCT ${combined} AS p FROM ${table}`);
  return rows.map((r) => String(r['p'])).sort();
}

async function expectShapes(target: CheckTarget, schema: Schema, stdout: string, combinations: Combinations): Promise<void> {
  const reported = reportedRows(stdout);
  const report = await checkSeededDatabase(target, schema, reported);
  expect(report.problems).toEqual([]);
  // The tables' CHECKs and their columns' domains' (each counted per column, as the checker runs it).
  const declared = Object.values(schema.tables).reduce((n, t) => n + t.checks.length + t.columns.reduce((m, c) => m + (c.domain ? (schema.domains[c.domain]?.checks.length ?? 0) : 0), 0), 0);
  expect(report.checks).toBe(declared);
  for (const [table, columns, expected] of combinations) {
    expect(await combinationsIn(target.query, target.dialect, table, columns), `${table} (${columns.join(', ')})`).toEqual([...expected].sort());
  }
  // Byte strings of a fixed length (a domain's or a CHECK's octet_length): that length, and NULLs only where allowed.
  const lengths = target.dialect === 'postgres' ? { checksums: ['id', 'name_checksum', 'address_bin', 'digest'] } : { dependency_node: ['address_bin', 'digest'] };
  for (const [table, columns] of Object.entries(lengths)) {
    for (const column of columns) {
      const rows = await target.query(`SELECT DISTINCT octet_length(${column}) AS n FROM ${table} WHERE ${column} IS NOT NULL`);
      expect(
        rows.map((r) => Number(r['n'])),
        `${table}.${column}`,
      ).toEqual([column === 'address_bin' ? 4 : column === 'digest' ? 16 : 20]);
    }
  }
  // Every row of an "exactly one parent" table has a real parent (the FK recount finds no orphan), and both parents are used.
  const [acl] = await target.query('SELECT count(user_id) AS users, count(user_group_id) AS groups_ FROM collection_acl');
  expect(Number(acl!['users'])).toBeGreaterThan(ROWS / 4);
  expect(Number(acl!['groups_'])).toBeGreaterThan(ROWS / 4);
  const [single] = await target.query('SELECT count(*) AS n, min(id) AS id FROM nexus_endpoints_partition_status');
  expect([Number(single!['n']), Number(single!['id'])]).toEqual([1, 0]);
  // Two foreign keys to one parent that a CHECK compares: every row asked for, none against the CHECK, parents spread.
  const pairs = await target.query(
    `SELECT 'user_followers' AS t, count(*) AS n, sum(CASE WHEN user_id = follower_id THEN 1 ELSE 0 END) AS bad, count(DISTINCT follower_id) AS spread, count(DISTINCT user_id) AS firsts FROM user_followers
     UNION ALL SELECT 'friendships', count(*), sum(CASE WHEN user_a >= user_b THEN 1 ELSE 0 END), count(DISTINCT user_b), count(DISTINCT user_a) FROM friendships
     UNION ALL SELECT 'transfers', count(*), sum(CASE WHEN to_project <= from_project THEN 1 ELSE 0 END), count(DISTINCT to_project), count(DISTINCT from_project) FROM transfers
     UNION ALL SELECT 'blocks', count(*), sum(CASE WHEN blocked = blocker THEN 1 ELSE 0 END), count(DISTINCT blocked), count(DISTINCT blocker) FROM blocks`,
  );
  // NULL or not by the status: both sides of each CHECK occur.
  const [states] = await target.query(
    "SELECT sum(CASE WHEN status = 'approved' THEN 1 ELSE 0 END) AS approved, sum(CASE WHEN status = 'voided' THEN 1 ELSE 0 END) AS voided, sum(CASE WHEN status = 'draft' THEN 1 ELSE 0 END) AS draft FROM quotes",
  );
  for (const state of ['approved', 'voided', 'draft']) expect(Number(states![state]), state).toBeGreaterThan(ROWS / 10);
  for (const row of pairs) {
    const t = String(row['t']);
    expect([t, Number(row['n']), Number(row['bad'])]).toEqual([t, ROWS, 0]);
    expect(Number(row['spread']), t).toBeGreaterThan(ROWS / 10);
    expect(Number(row['firsts']), t).toBeGreaterThan(ROWS / 10);
  }
}

const dirs: string[] = [];
let config: string;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'understudy-check-shapes-'));
  dirs.push(dir);
  // The single-row table holds one row (a blanket --rows is more than its CHECK allows).
  config = join(dir, 'understudy.config.json');
  await writeFile(config, JSON.stringify({ tables: { nexus_endpoints_partition_status: { rows: 1 } } }));
});
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function planned(stdout: string): Array<{ table: string; name: string; status: string; reason?: string }> {
  const plan = JSON.parse(stdout) as { tables: Record<string, { checks: Array<{ name: string; status: string; reason?: string }> }> };
  return Object.entries(plan.tables).flatMap(([table, t]) => t.checks.map((c) => ({ table, ...c })));
}

describe('CHECK shapes of production schemas, on PostgreSQL', () => {
  it('plan interprets every one of them', async () => {
    const result = await runCli(['plan', '--from', PG_FIXTURE, '--rows', String(ROWS), '--config', config]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const checks = planned(result.stdout);
    expect(checks.length).toBe(33);
    expect(checks.filter((c) => c.status !== 'interpreted')).toEqual([]);
  });

  it('seed into PGlite: no row fails a CHECK, every allowed NULL combination occurs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-check-shapes-pglite-'));
    dirs.push(dir);
    const data = join(dir, 'db');
    const result = await runCli(['seed', '--from', PG_FIXTURE, '--rows', String(ROWS), '--config', config, '--pglite', data, '--workers', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const conn = await openPglite({ dataDir: data });
    try {
      const schema = await conn.introspect();
      const target: CheckTarget = { dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query: async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows };
      await expectShapes(target, schema, result.stdout, PG_COMBINATIONS);
    } finally {
      await conn.close();
    }
  }, 300_000);

  it.skipIf(!pgUrl)(
    'seed --url postgres://: no row fails a CHECK, every allowed NULL combination occurs',
    async () => {
      const name = await createScratchDatabase(pgUrl!, 'understudy_check_shapes');
      try {
        const url = urlForDatabase(pgUrl!, name);
        const conn = await connectPostgres(url, postgresDialect);
        try {
          await runSqlStatements(conn.db, PG_FIXTURE, (await readSqlFile(join(repoRoot, PG_FIXTURE))).statements);
        } finally {
          await conn.close();
        }
        const result = await runCli(['seed', '--url', url, '--rows', String(ROWS), '--config', config, '--workers', '2', '--json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        const db = await connectPostgres(url, postgresDialect);
        const schema = await db.introspect().finally(() => db.close());
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const target: CheckTarget = { dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query: async (sql) => (await client.query(sql)).rows };
          await expectShapes(target, schema, result.stdout, PG_COMBINATIONS);
        } finally {
          await client.end();
        }
      } finally {
        await dropScratchDatabase(pgUrl!, name);
      }
    },
    300_000,
  );

  it('a contradictory CHECK is a plan error (exit 2) naming the table, the CHECK and why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-contradiction-'));
    dirs.push(dir);
    const ddl = join(dir, 'contradiction.sql');
    await writeFile(ddl, 'CREATE TABLE t (id integer PRIMARY KEY, x integer CHECK (x > 5 AND x < 3));\n');
    for (const command of ['plan', 'seed']) {
      const result = await runCli([command, '--from', ddl, '--rows', '10', ...(command === 'seed' ? ['--pglite', join(dir, `db-${command}`)] : [])]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/public\.t: CHECK t_x_check \(\(*x > 5\)? AND \(?x < 3\)*\) can never hold: x > 5 and x < 3 leave no value/);
      expect(result.stderr).toContain('nullRate = 1');
      expect(result.stdout).toBe('');
    }
  });
});

describe.skipIf(!mysqlUrl)('CHECK shapes of production schemas, on MariaDB', () => {
  const created: string[] = [];
  const admin = async (): Promise<mysql.Connection> => {
    const url = new URL(mysqlUrl!);
    return mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  };
  /** A fresh database with `sql` loaded by the mysql client; returns its URL. */
  const databaseWith = async (sql: string): Promise<string> => {
    const name = `understudy_check_shapes_${randomBytes(4).toString('hex')}`;
    const conn = await admin();
    await conn.query(`CREATE DATABASE \`${name}\``);
    await conn.end();
    created.push(name);
    const url = new URL(mysqlUrl!);
    execFileSync('mysql', ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username), ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : []), name], {
      input: sql,
    });
    url.pathname = `/${name}`;
    return url.toString();
  };
  afterAll(async () => {
    const conn = await admin();
    for (const name of created) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
    await conn.end();
  });

  it('plan interprets every one of them; seed: no row fails a CHECK, every allowed NULL combination occurs', async () => {
    const url = await databaseWith(readFileSync(join(repoRoot, MYSQL_FIXTURE), 'utf8'));
    const plan = await runCli(['plan', '--url', url, '--rows', String(ROWS), '--config', config]);
    expect(plan.code).toBe(0);
    const checks = planned(plan.stdout);
    expect(checks.length).toBe(21);
    expect(checks.filter((c) => c.status !== 'interpreted')).toEqual([]);

    const result = await runCli(['seed', '--url', url, '--rows', String(ROWS), '--config', config, '--workers', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const db = await mysqlDialect.connect(url);
    const schema = await db.introspect().finally(() => db.close());
    const conn = await mysql.createConnection({ uri: url });
    try {
      const target: CheckTarget = { dialect: 'mysql', quote: (n) => `\`${n.replace(/`/g, '``')}\``, query: async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[] };
      await expectShapes(target, schema, result.stdout, MYSQL_COMBINATIONS);
    } finally {
      await conn.end();
    }
  }, 300_000);

  it('a contradictory CHECK is a plan error (exit 2) naming the table, the CHECK and why', async () => {
    const url = await databaseWith('CREATE TABLE t (id INT PRIMARY KEY, x INT NOT NULL, CONSTRAINT x_range CHECK (x > 5 AND x < 3)) ENGINE=InnoDB;');
    const result = await runCli(['plan', '--url', url, '--rows', '10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\.t: CHECK x_range \(`x` > 5 and `x` < 3\) can never hold: x > 5 and x < 3 leave no value/);
    expect(result.stderr).toContain('.rows = 0 in the config');
  });
});
