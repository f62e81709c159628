/**
 * Failures explained with the rows behind them, through the built CLI, each count
 * checked again in SQL on the kept rehearsal database:
 * - a foreign key added over orders whose user does not exist (23503; MySQL 1452);
 * - a column narrowed under its values: `varchar(100)` → `varchar(10)` (22001), and
 *   a MySQL ENUM that loses a value still in use (1265);
 * - a `CREATE UNIQUE INDEX CONCURRENTLY` over duplicates, which leaves an INVALID
 *   index behind: named, with the statement that drops it.
 * On a PGlite folder (`--url pglite://DIR --keep`, reopened here), PostgreSQL 15 and MariaDB.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@understudy/postgres';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: the failure diagnoses run on PGlite only');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB failure diagnoses');

let work: string;
const keptOnPostgres: string[] = [];
const keptOnMysql: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-diagnosis-'));
});
afterAll(async () => {
  if (PG_URL && keptOnPostgres.length > 0) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    for (const name of keptOnPostgres) await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  }
  if (MYSQL_URL && keptOnMysql.length > 0) {
    const conn = await mysql.createConnection(MYSQL_URL);
    for (const name of keptOnMysql) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  }
});

interface Environment {
  readonly name: string;
  /** The flags that rehearse there, keeping the database, for the fixture `set`. */
  readonly args: (set: string) => string[];
  /** One number from a query on the kept database of `report`. */
  readonly count: (report: RehearsalReport, set: string, query: string) => Promise<number>;
}

const pgliteDir = (set: string): string => join(work, `pglite-${set}`);

const postgresEnvironments: Environment[] = [
  {
    name: 'PGlite',
    args: (set) => ['--url', `pglite://${pgliteDir(set)}`, '--keep'],
    count: async (_report, set, query) => {
      const conn = await openPglite({ dataDir: pgliteDir(set) });
      try {
        return Number((await conn.pglite.query<{ n: number }>(query)).rows[0]!.n);
      } finally {
        await conn.close();
      }
    },
  },
  ...(PG_URL
    ? [
        {
          name: 'PostgreSQL 15',
          args: () => ['--url', PG_URL, '--keep'],
          count: async (report: RehearsalReport, _set: string, query: string) => {
            const database = new URL(report.environment.replace(/ \(kept\)$/, '')).pathname.slice(1);
            keptOnPostgres.push(database);
            const client = new pg.Client({ connectionString: PG_URL.replace(/\/[^/]*$/, `/${database}`) });
            await client.connect();
            try {
              return Number((await client.query<{ n: number }>(query)).rows[0]!.n);
            } finally {
              await client.end();
            }
          },
        },
      ]
    : []),
];

async function rehearse(fixture: string, args: readonly string[], name: string): Promise<{ code: number; stdout: string; report: RehearsalReport }> {
  const json = join(work, `${name}.json`);
  const result = await runCli(['rehearse', fixture, '--rows', '300', '--json', json, ...args]);
  expect(result.stderr, result.stdout).toContain(`wrote ${json}`);
  return { code: result.code, stdout: result.stdout, report: RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8'))) };
}

describe.each(postgresEnvironments)('failure diagnosis on $name', (env) => {
  const failed = async (set: string) => {
    const { code, stdout, report } = await rehearse(`fixtures/migrations/rehearse/${set}`, env.args(set), `${env.name}-${set}`);
    expect(code).toBe(1);
    const migration = report.migrations[0]!;
    expect(migration.status).toBe('failed');
    return { stdout, report, failure: migration.failure!, count: (query: string) => env.count(report, set, query) };
  };

  it('foreign-key: the orders whose user does not exist', async () => {
    const { stdout, failure, count } = await failed('foreign-key');
    expect(failure.error).toContain('violates foreign key constraint "orders_user_fk"');
    expect(failure.offendingRows!.description).toBe('rows of public.orders whose (buyer) has no match in public.users (id)');
    expect(failure.offendingRows!.total).toBe(await count('select count(*)::int as n from orders o where not exists (select 1 from users u where u.id = o.buyer)'));
    expect(failure.offendingRows!.total).toBeGreaterThan(0);
    expect(stdout).toContain('found with: select t."id"::text as "id", t."buyer"::text as "buyer" from "public"."orders" t where t."buyer" is not null and not exists');
  });

  it('too-long: the notes longer than the new varchar(10)', async () => {
    const { failure, count } = await failed('too-long');
    expect(failure.error).toBe('value too long for type character varying(10)');
    expect(failure.offendingRows!.total).toBe(await count("select count(*)::int as n from orders where length(rtrim(note, ' ')) > 10"));
    expect(failure.offendingRows!.total).toBeGreaterThan(0);
    for (const row of failure.offendingRows!.rows) expect(row['note']!.length).toBeGreaterThan(10);
  });

  it('invalid-index: the duplicates, and the INVALID index the failed CONCURRENTLY build left', async () => {
    const { failure, count } = await failed('invalid-index');
    expect(failure.offendingRows!.description).toBe(
      'duplicate (plan) groups in public.users; the failed build left the INVALID index users_plan_key behind, which slows every write and which a retry with IF NOT EXISTS would keep: drop it first (DROP INDEX CONCURRENTLY users_plan_key)',
    );
    expect(failure.offendingRows!.total).toBe(await count('select count(*)::int as n from (select plan from users group by plan having count(*) > 1) d'));
    expect(await count("select count(*)::int as n from pg_index where not indisvalid and indexrelid::regclass::text = 'users_plan_key'")).toBe(1);
  });
});

describe.skipIf(!MYSQL_URL)('failure diagnosis on MariaDB', () => {
  const countIn = async (report: RehearsalReport, query: string): Promise<number> => {
    const database = decodeURIComponent(new URL(report.environment).pathname.slice(1));
    keptOnMysql.push(database);
    const conn = await mysql.createConnection(MYSQL_URL!.replace(/\/[^/]*$/, `/${database}`));
    try {
      const [rows] = await conn.query(query);
      return Number((rows as Array<{ n: number | string }>)[0]!.n);
    } finally {
      await conn.end();
    }
  };
  const failed = async (set: string) => {
    const { code, report } = await rehearse(`fixtures/migrations/rehearse-mysql/${set}`, ['--url', MYSQL_URL!, '--dialect', 'mysql', '--keep'], `mysql-${set}`);
    expect(code).toBe(1);
    expect(report.migrations[0]!.status).toBe('failed');
    return { report, failure: report.migrations[0]!.failure! };
  };

  it('foreign-key: the orders whose user does not exist (1452)', async () => {
    const { report, failure } = await failed('foreign-key');
    expect(failure.error).toMatch(/^Cannot add or update a child row: a foreign key constraint fails/);
    expect(failure.offendingRows!.total).toBe(await countIn(report, 'SELECT COUNT(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.buyer)'));
    expect(failure.offendingRows!.total).toBeGreaterThan(0);
    expect(failure.offendingRows!.query).toBe(
      'SELECT child.`id`, child.`buyer` FROM `orders` AS child WHERE child.`buyer` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `users` AS parent WHERE parent.`id` = child.`buyer`)',
    );
  });

  it('enum-narrowing: the users still on the plan the ENUM loses (1265)', async () => {
    const { report, failure } = await failed('enum-narrowing');
    expect(failure.error).toMatch(/^Data truncated for column 'plan'/);
    expect(failure.offendingRows!.total).toBe(await countIn(report, "SELECT COUNT(*) AS n FROM users WHERE plan = 'team'"));
    expect(failure.offendingRows!.total).toBeGreaterThan(0);
    for (const row of failure.offendingRows!.rows) expect(row['plan']).toBe('team');
  });
});
