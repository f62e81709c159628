/**
 * Failure classes found on the MySQL schemas of the real-world corpus (fixtures/corpus/,
 * unmodified upstream files; test/cli/corpus.test.ts seeds them): a target that lacks the
 * tables of `--from` gets a driver error, and a file written for MySQL 8 read on MariaDB gets a
 * bare syntax error.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { runCli } from '../run-cli.js';

const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the corpus failure classes on MariaDB');

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

afterAll(async () => {
  if (!mysqlUrl || created.length === 0) return;
  const conn = await mysql.createConnection({ uri: mysqlUrl });
  for (const name of created) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
  await conn.end();
});

describe.skipIf(!mysqlUrl)('the corpus MySQL schemas on MariaDB: failure classes', () => {
  it('names the tables a target lacks (exit 2) instead of a driver error, when the DDL was not loaded into it', async () => {
    const name = await emptyDatabase();
    const result = await runCli(['seed', '--from', 'fixtures/corpus/kanboard-mysql/mysql.sql', '--url', urlFor(name), '--rows', '1000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`has none of the 48 tables the schema names (${name}.action_has_params, ${name}.actions,`);
    expect(result.stderr).toContain('and 38 more)');
    expect(result.stderr).toContain('Create them first (run your migrations, or load the DDL with the mysql client)');
    expect(result.stderr).not.toContain("doesn't exist");
  });

  it('says a file written for MySQL 8 uses syntax MariaDB lacks, and what to do (temporal visibility schema)', async () => {
    const result = await runCli(['introspect', '--from', 'fixtures/corpus/temporal-mysql/visibility/schema.sql', '--url', mysqlUrl!, '--summary']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/visibility\/schema\.sql:34: You have an error in your SQL syntax/);
    expect(result.stderr).toMatch(/This statement uses MySQL 8 syntax that MariaDB [\d.]+ does not have \(the JSON -> operator, the JSON ->> operator\)/);
    expect(result.stderr).toContain('Point --url at a MySQL 8 server');
  });
});
