/**
 * `seed --profile --scale` below 1 on schemas shaped like real data: a source with
 * production-like row counts (pagila's on PostgreSQL: 2 staff, 6 languages, 16
 * categories, 109 countries; the MySQL employees sample's on MariaDB: 9 departments,
 * 24 managers, an (emp_no, dept_no) junction), profiled, then an empty copy seeded at
 * scale 0.1 and 1 with no config. SQL written here checks that small and lookup tables
 * kept production's counts, that the rest were scaled, and that no FK, key or CHECK is
 * broken.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Schema } from '@understudy/core';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { runCli } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the scale tests on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the scale tests on MariaDB');

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'schemas');
const suffix = `${process.pid}_${Date.now()}`;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-scale-'));
});

/** pagila's own row counts. */
const PAGILA: Record<string, number> = {
  'public.language': 6,
  'public.category': 16,
  'public.country': 109,
  'public.city': 600,
  'public.address': 603,
  'public.staff': 2,
  'public.store': 2,
  'public.actor': 200,
  'public.film': 1000,
  'public.film_actor': 5462,
  'public.film_category': 1000,
  'public.customer': 599,
  'public.inventory': 4581,
  'public.rental': 16044,
  'public.payment': 16049,
};

/** The employees sample's shape, at a tenth of its employees. */
const EMPLOYEES: Record<string, number> = {
  departments: 9,
  employees: 30_000,
  dept_emp: 33_160,
  dept_manager: 24,
  titles: 44_300,
  salaries: 280_000,
};

async function seededSource(url: string, rows: Record<string, number>): Promise<string> {
  const config = join(work, `source-${Object.keys(rows).length}.json`);
  await writeFile(config, JSON.stringify({ tables: Object.fromEntries(Object.entries(rows).map(([t, n]) => [t, { rows: n }])) }));
  const seeded = await runCli(['seed', '--url', url, '--config', config, '--json']);
  expect(seeded.code, seeded.stderr).toBe(0);
  const profile = join(work, `profile-${Object.keys(rows).length}.json`);
  const profiled = await runCli(['profile', '--url', url, '--analyze', '--out', profile]);
  expect(profiled.code, profiled.stderr).toBe(0);
  return profile;
}

async function expectScaled(target: CheckTarget, url: string, profile: string, production: Record<string, number>, kept: string[]): Promise<void> {
  const schema = JSON.parse((await runCli(['introspect', '--url', url])).stdout) as Schema;
  // The plan for the empty copy says which tables keep production's rows, and why.
  const plan = await runCli(['plan', '--url', url, '--profile', profile, '--scale', '0.1', '--summary']);
  expect(plan.stdout).toMatch(/scale 0\.1: kept at production's \d+ rows \(a (small|lookup) table/);
  const key = (t: string): string => (t.includes('.') ? t : `${Object.values(schema.tables)[0]!.schema}.${t}`);
  for (const scale of [0.1, 1]) {
    const seeded = await runCli(['seed', '--url', url, '--profile', profile, '--scale', String(scale), '--truncate', '--json']);
    expect(seeded.code, `scale ${scale}: ${seeded.stderr}`).toBe(0);
    const report = await checkSeededDatabase(target, schema, reportedRows(seeded.stdout));
    expect(report.problems, `scale ${scale}`).toEqual([]);
    for (const [table, rows] of Object.entries(production)) {
      const small = kept.includes(table);
      const expected = small || scale === 1 ? rows : Math.round(rows * scale);
      // Profile row estimates are the engine's statistics: within 2 % of the real count.
      expect(report.counts[key(table)], `${table} at scale ${scale}`).toBeGreaterThanOrEqual(Math.floor(expected * 0.98));
      expect(report.counts[key(table)], `${table} at scale ${scale}`).toBeLessThanOrEqual(Math.ceil(expected * 1.02));
    }
  }
}

describe.skipIf(!pgUrl)('PostgreSQL: pagila-shaped data at scale 0.1', () => {
  const name = `understudy_scale_${suffix}`;
  let admin: pg.Client;
  const urlOf = (db: string): string => Object.assign(new URL(pgUrl!), { pathname: `/${db}` }).toString();
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    for (const db of [`${name}_src`, `${name}_copy`]) {
      await admin.query(`CREATE DATABASE ${db}`);
      execFileSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', urlOf(db), '-f', join(FIXTURES, 'pagila', 'schema.sql')], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
  });
  afterAll(async () => {
    for (const db of [`${name}_src`, `${name}_copy`]) await admin?.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin?.end();
  });

  it('keeps staff, stores, languages, categories, countries and the other lookups at their counts, scales the rest, with 0 violations', async () => {
    const profile = await seededSource(urlOf(`${name}_src`), PAGILA);
    const client = new pg.Client({ connectionString: urlOf(`${name}_copy`) });
    await client.connect();
    try {
      const target: CheckTarget = { dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query: async (sql) => (await client.query<Record<string, unknown>>(sql)).rows };
      const lookups = ['public.language', 'public.category', 'public.country', 'public.staff', 'public.store', 'public.city', 'public.address', 'public.actor', 'public.film', 'public.customer'];
      await expectScaled(target, urlOf(`${name}_copy`), profile, PAGILA, lookups);
    } finally {
      await client.end();
    }
  }, 300_000);
});

describe.skipIf(!mysqlUrl)('MariaDB: the employees sample at scale 0.1', () => {
  const name = `understudy_scale_${suffix}`;
  let admin: mysql.Connection;
  const urlOf = (db: string): string => Object.assign(new URL(mysqlUrl!), { pathname: `/${db}` }).toString();
  beforeAll(async () => {
    admin = await mysql.createConnection({ uri: mysqlUrl!, multipleStatements: true });
    const ddl = await readFile(join(FIXTURES, 'employees', 'schema.sql'), 'utf8');
    for (const db of [`${name}_src`, `${name}_copy`]) {
      await admin.query(`CREATE DATABASE \`${db}\``);
      await admin.query(`USE \`${db}\`; ${ddl}`);
    }
  });
  afterAll(async () => {
    for (const db of [`${name}_src`, `${name}_copy`]) await admin?.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin?.end();
  });

  it('keeps the 9 departments and 24 managers, so (emp_no, dept_no) can hold the scaled junction, with 0 violations', async () => {
    const profile = await seededSource(urlOf(`${name}_src`), EMPLOYEES);
    const conn = await mysql.createConnection({ uri: urlOf(`${name}_copy`) });
    try {
      const target: CheckTarget = { dialect: 'mysql', quote: (n) => `\`${n}\``, query: async (sql) => (await conn.query(sql))[0] as Record<string, unknown>[] };
      await expectScaled(target, urlOf(`${name}_copy`), profile, EMPLOYEES, ['departments', 'dept_manager']);
    } finally {
      await conn.end();
    }
  }, 300_000);
});
