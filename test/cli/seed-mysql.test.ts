/**
 * `understudy seed --url mysql://` into MariaDB (UNDERSTUDY_TEST_MYSQL_URL):
 * each MySQL fixture is loaded (with the mysql client) into a fresh database,
 * seeded through the built CLI, and checked independently in SQL.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { mysqlDialect } from '@understudy/mysql';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { repoRoot, runCli } from '../run-cli.js';
import { MYSQL_FIXTURES, rowsLabel, SEED_SIZES } from './pg-fixtures.js';

const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the seed tests against MariaDB');

const created: string[] = [];

function urlFor(database: string): string {
  const url = new URL(mysqlUrl!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin(): Promise<mysql.Connection> {
  const url = new URL(mysqlUrl!);
  return mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), multipleStatements: true });
}

/** A fresh database with `fixture` loaded by the mysql client (its own database statements pointed at ours). */
async function databaseWith(fixture: string): Promise<string> {
  const name = `understudy_seed_e2e_${randomBytes(4).toString('hex')}`;
  const conn = await admin();
  await conn.query(`CREATE DATABASE \`${name}\``);
  await conn.end();
  created.push(name);
  let sql = readFileSync(join(repoRoot, fixture), 'utf8');
  const own = [...sql.matchAll(/^\s*CREATE\s+(?:SCHEMA|DATABASE)\s+(?:IF NOT EXISTS\s+)?`?(\w+)`?/gim)].map((m) => m[1]!);
  sql = sql.replace(/^\s*(DROP|CREATE)\s+(SCHEMA|DATABASE)\b[^;\n]*;/gim, '').replace(/^\s*USE\s+[^;\n]+;/gim, '');
  for (const db of own) sql = sql.replace(new RegExp(`\\b${db}\\.`, 'g'), `\`${name}\`.`);
  const url = new URL(mysqlUrl!);
  execFileSync('mysql', ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username), ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : []), name], {
    input: sql,
  });
  return urlFor(name);
}

afterAll(async () => {
  if (!mysqlUrl || created.length === 0) return;
  const conn = await admin();
  for (const name of created) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
  await conn.end();
});

describe.skipIf(!mysqlUrl)('understudy seed --url mysql:// (MariaDB)', () => {
  it('runs against a server in strict mode (so lengths and CHECKs are enforced on load)', async () => {
    const conn = await admin();
    const [rows] = await conn.query('SELECT @@GLOBAL.sql_mode AS mode');
    await conn.end();
    expect(String((rows as { mode: string }[])[0]!.mode)).toMatch(/STRICT_(TRANS|ALL)_TABLES/);
  });

  it('seeds sakila: the NOT NULL staff ↔ store cycle loads with FK checks off, tinyint keys are capped, film_text comes from its trigger', async () => {
    // MySQL has no DEFERRABLE foreign keys and both edges of staff.store_id ↔ store.manager_staff_id are NOT NULL:
    // no row order satisfies them, so staff loads with FOREIGN_KEY_CHECKS = 0 and is validated before COMMIT.
    const url = await databaseWith('fixtures/schemas/sakila-mysql/schema.sql');
    const planned = await runCli(['plan', '--url', url, '--rows', '1000', '--summary']);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/rows capped at 255 \(asked 1,000\): key category_id \(tinyint\(3\) unsigned\)/);
    expect(planned.stdout).toMatch(/FK cycles loaded out of order[^\n]*\n\s+\S+\.staff fk_staff_store/);
    expect(planned.stdout).toMatch(/\S+\.film_text: filled by trigger \S+\.film\.ins_film/);

    const result = await runCli(['seed', '--url', url, '--rows', '1000', '--workers', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const reported = reportedRows(result.stdout);
    expect(
      Object.entries(reported)
        .filter(([t]) => /\.(category|language|staff|store)$/.test(t))
        .map(([, n]) => n),
    ).toEqual([255, 255, 255, 255]);
    const db = await mysqlDialect.connect(url);
    const schema = await db.introspect().finally(() => db.close());
    const conn = await mysql.createConnection({ uri: url });
    try {
      const target: CheckTarget = { dialect: 'mysql', quote: (n) => `\`${n.replace(/`/g, '``')}\``, query: async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[] };
      const report = await checkSeededDatabase(target, schema, reported);
      expect(report.problems).toEqual([]);
      // The trigger filled film_text with one row per film, with the film's title.
      const [rows] = await conn.query('SELECT count(*) AS n FROM film_text t JOIN film f ON f.film_id = t.film_id AND f.title = t.title');
      expect(Number((rows as { n: number }[])[0]!.n)).toBe(1000);
    } finally {
      await conn.end();
    }
  });

  /** Every table's row count and CHECKSUM TABLE. */
  const checksums = async (url: string): Promise<Record<string, string>> => {
    const conn = await mysql.createConnection({ uri: url });
    try {
      const [tables] = (await conn.query('SHOW TABLES')) as unknown as [Record<string, string>[]];
      const out: Record<string, string> = {};
      for (const row of tables) {
        const table = Object.values(row)[0]!;
        const [[sum]] = (await conn.query(`CHECKSUM TABLE \`${table}\``)) as unknown as [Array<{ Checksum: number }>];
        const [[count]] = (await conn.query(`SELECT count(*) AS n FROM \`${table}\``)) as unknown as [Array<{ n: number }>];
        out[table] = `${count!.n}:${sum!.Checksum}`;
      }
      return out;
    } finally {
      await conn.end();
    }
  };

  it('loads the same rows into any database, with two workers (chunk memory passed round) or in one thread', async () => {
    // Two databases of other names: MySQL's "schema" is the database, and the data must not depend on its name.
    // 20,000 rows a table: chunks of 1,000, 3,000, 10,000 and 6,000, so written chunks' buffers are refilled.
    const fixture = 'fixtures/schemas/chinook/mysql/schema.sql';
    const [threaded, inline] = [await databaseWith(fixture), await databaseWith(fixture)];
    for (const [url, workers] of [
      [threaded, '2'],
      [inline, '0'],
    ] as const) {
      const result = await runCli(['seed', '--url', url, '--rows', '20000', '--workers', workers, '--json']);
      expect(result.code, result.stderr).toBe(0);
    }
    const [a, b] = [await checksums(threaded), await checksums(inline)];
    expect(Object.keys(a).length).toBeGreaterThan(5);
    expect(Object.values(a).every((v) => !v.startsWith('0:'))).toBe(true);
    expect(a).toEqual(b);
  });

  it('seeds a database from a plan saved in another one, with the same rows', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const fixture = 'fixtures/schemas/chinook/mysql/schema.sql';
    const [dev, ci] = [await databaseWith(fixture), await databaseWith(fixture)];
    const planFile = join(await mkdtemp(join(tmpdir(), 'understudy-plan-')), 'plan.json');
    expect((await runCli(['plan', '--url', dev, '--rows', '300', '--seed', '5', '--out', planFile])).code).toBe(0);
    expect((await runCli(['seed', '--url', dev, '--plan', planFile, '--json'])).code).toBe(0);
    const moved = await runCli(['seed', '--url', ci, '--plan', planFile, '--json']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(new RegExp(`was made in database ${new URL(dev).pathname.slice(1)}: loading its tables into ${new URL(ci).pathname.slice(1)}`));
    expect(await checksums(ci)).toEqual(await checksums(dev));
  });

  it('writes --format sql files that the mysql client loads, in plan order', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const url = await databaseWith('fixtures/schemas/chinook/mysql/schema.sql');
    const out = await mkdtemp(join(tmpdir(), 'understudy-sql-'));
    const generated = await runCli(['generate', '--url', url, '--rows', '300', '--format', 'sql', '--out', out, '--json']);
    expect(generated.stderr).toBe('');
    expect(generated.code).toBe(0);
    const server = new URL(url);
    const tables: string[] = JSON.parse(generated.stdout).tables.map((t: { table: string }) => t.table);
    for (const table of tables) {
      execFileSync('mysql', ['-h', server.hostname, '-P', server.port || '3306', '-u', decodeURIComponent(server.username), server.pathname.slice(1)], {
        input: readFileSync(join(out, `${table}.sql`)),
      });
    }
    const conn = await mysql.createConnection({ uri: url });
    const [rows] = await conn.query('SELECT count(*) AS n FROM `Track`');
    await conn.end();
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(300);
  });

  for (const [fixture, rows] of MYSQL_FIXTURES.flatMap((f) => SEED_SIZES.map((n) => [f, n] as const))) {
    it(`seeds ${fixture} at ${rowsLabel(rows)} rows per table with every constraint satisfied`, async () => {
      const url = await databaseWith(fixture);
      const result = await runCli(['seed', '--url', url, '--rows', String(rows), '--workers', '2', '--json']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const db = await mysqlDialect.connect(url);
      const schema = await db.introspect().finally(() => db.close());
      const conn = await mysql.createConnection({ uri: url });
      try {
        const target: CheckTarget = { dialect: 'mysql', quote: (n) => `\`${n.replace(/`/g, '``')}\``, query: async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[] };
        const report = await checkSeededDatabase(target, schema, reportedRows(result.stdout));
        expect(report.problems).toEqual([]);
      } finally {
        await conn.end();
      }
    }, 600_000);
  }
});
