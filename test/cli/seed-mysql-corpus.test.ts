/**
 * The MySQL schemas of the real-world corpus (fixtures/schemas/kanboard-mysql, phpipam,
 * temporal-mysql; unmodified upstream files) seeded into MariaDB as a user would: the DDL
 * loaded with the mysql client, then `understudy seed --from FILE --url … --rows 1000` with no
 * config. The independent checker finds 0 violations, and the rows the file inserted are
 * unchanged. Also the failure classes found on them: a target without the tables, and a file
 * written for MySQL 8 read on MariaDB.
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

const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the corpus seeds on MariaDB');

/** The corpus's MySQL schemas that load on MariaDB 10.11 (temporal's visibility schema needs MySQL 8). */
const CORPUS = ['fixtures/schemas/kanboard-mysql/mysql.sql', 'fixtures/schemas/phpipam/SCHEMA.sql', 'fixtures/schemas/temporal-mysql/temporal/schema.sql'];

const created: string[] = [];

function urlFor(database: string): string {
  const url = new URL(mysqlUrl!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function emptyDatabase(): Promise<string> {
  const name = `understudy_corpus_e2e_${randomBytes(4).toString('hex')}`;
  const conn = await mysql.createConnection({ uri: mysqlUrl! });
  await conn.query(`CREATE DATABASE \`${name}\``);
  await conn.end();
  created.push(name);
  return name;
}

/** Loads `file` into database `name` with the mysql client, as its README says to. */
function loadWithClient(name: string, file: string): void {
  const url = new URL(mysqlUrl!);
  execFileSync('mysql', ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username), ...(url.password ? [`-p${decodeURIComponent(url.password)}`] : []), name], {
    input: readFileSync(join(repoRoot, file)),
  });
}

/** CHECKSUM TABLE of every table that holds rows. */
async function filledTables(conn: mysql.Connection, name: string): Promise<Record<string, string>> {
  const [tables] = (await conn.query('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = ?', [name, 'BASE TABLE'])) as unknown as [Array<{ t: string }>];
  const out: Record<string, string> = {};
  for (const { t } of tables) {
    const [[count]] = (await conn.query(`SELECT COUNT(*) AS n FROM \`${name}\`.\`${t}\``)) as unknown as [Array<{ n: number }>];
    if (Number(count!.n) === 0) continue;
    const [[sum]] = (await conn.query(`CHECKSUM TABLE \`${name}\`.\`${t}\``)) as unknown as [Array<{ Checksum: unknown }>];
    out[t] = `${count!.n}:${String(sum!.Checksum)}`;
  }
  return out;
}

afterAll(async () => {
  if (!mysqlUrl || created.length === 0) return;
  const conn = await mysql.createConnection({ uri: mysqlUrl });
  for (const name of created) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
  await conn.end();
});

describe.skipIf(!mysqlUrl)('the corpus MySQL schemas on MariaDB', () => {
  for (const file of CORPUS) {
    it(`seeds ${file} at 1,000 rows per table with no config: 0 violations, the file's rows unchanged`, async () => {
      const name = await emptyDatabase();
      loadWithClient(name, file);
      const conn = await mysql.createConnection({ uri: urlFor(name) });
      try {
        const fromFile = await filledTables(conn, name);
        const result = await runCli(['seed', '--from', file, '--url', urlFor(name), '--rows', '1000', '--json']);
        expect(result.code, result.stderr).toBe(0);
        const db = await mysqlDialect.connect(urlFor(name));
        const schema = await db.introspect().finally(() => db.close());
        const target: CheckTarget = { dialect: 'mysql', quote: (n) => `\`${n.replace(/`/g, '``')}\``, query: async (text) => (await conn.query(text))[0] as Record<string, unknown>[] };
        const report = await checkSeededDatabase(target, schema, reportedRows(result.stdout));
        expect(report.problems).toEqual([]);
        const after = await filledTables(conn, name);
        for (const [table, sum] of Object.entries(fromFile)) expect(`${table} ${after[table]}`).toBe(`${table} ${sum}`);
      } finally {
        await conn.end();
      }
    }, 300_000);
  }

  it('names the tables a target lacks (exit 2) instead of a driver error, when the DDL was not loaded into it', async () => {
    const name = await emptyDatabase();
    const result = await runCli(['seed', '--from', CORPUS[0]!, '--url', urlFor(name), '--rows', '1000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`has none of the 48 tables the schema names (${name}.action_has_params, ${name}.actions,`);
    expect(result.stderr).toContain('and 38 more)');
    expect(result.stderr).toContain('Create them first (run your migrations, or load the DDL with the mysql client)');
    expect(result.stderr).not.toContain("doesn't exist");
  });

  it('says a file written for MySQL 8 uses syntax MariaDB lacks, and what to do (temporal visibility schema)', async () => {
    const result = await runCli(['introspect', '--from', 'fixtures/schemas/temporal-mysql/visibility/schema.sql', '--url', mysqlUrl!, '--summary']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/visibility\/schema\.sql:34: You have an error in your SQL syntax/);
    expect(result.stderr).toMatch(/This statement uses MySQL 8 syntax that MariaDB [\d.]+ does not have \(the JSON -> operator, the JSON ->> operator\)/);
    expect(result.stderr).toContain('Point --url at a MySQL 8 server');
  });
});
