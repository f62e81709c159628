/**
 * `understudy seed --profile`: profile a skewed production-like database, seed an
 * empty copy of its schema to that profile (scale 1 and 0.1), and check with SQL
 * written here that the copy looks like the source: NULL fraction, category shares,
 * amount quantiles, distinct counts and orders-per-customer fan-out.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { col, schemaOf, tableOf } from '@understudy/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the seed --profile tests on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the seed --profile tests on MariaDB/MySQL');

const STATUSES = ['delivered', 'shipped', 'pending', 'cancelled', 'returned', 'lost'];
const CUSTOMERS = 5000;
const ORDERS = 50_000;

const DDL = [
  `CREATE TABLE customers (id integer PRIMARY KEY, full_name varchar(64) NOT NULL, segment varchar(16) NOT NULL)`,
  `CREATE TABLE orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL,
    status varchar(16) NOT NULL,
    amount numeric(12,2),
    placed_at timestamp NOT NULL,
    CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
  )`,
];

/** Zipf-like status (P ∝ ~1/i), log-normal amounts with 30 % NULL, long-tail orders per customer (P ∝ 1/i). */
function dataSql(engine: 'postgres' | 'mariadb'): string[] {
  const p = engine === 'postgres';
  const rnd = p ? 'random()' : 'RAND()';
  const rows = (n: number): string => (p ? `generate_series(1, ${n}) AS g` : `seq_1_to_${n} AS s`);
  const g = p ? 'g' : 's.seq';
  const list = STATUSES.map((s) => `'${s}'`).join(', ');
  const zipf = `LEAST(6, FLOOR(EXP(${rnd} * LN(7))))`;
  const status = p ? `(ARRAY[${list}])[${zipf}::int]` : `ELT(${zipf}, ${list})`;
  const segment = p ? `(ARRAY['retail','retail','retail','smb','smb','enterprise'])[1 + ${g} % 6]` : `ELT(1 + ${g} % 6, 'retail','retail','retail','smb','smb','enterprise')`;
  const amount = `ROUND(${p ? 'CAST(' : ''}EXP(3 + 1.1 * SQRT(-2 * LN(1 - ${rnd})) * COS(2 * PI() * ${rnd}))${p ? ' AS numeric)' : ''}, 2)`;
  const placed = p ? `timestamp '2024-01-01 00:00:00' + ${g} * interval '10 minutes'` : `TIMESTAMP '2024-01-01 00:00:00' + INTERVAL ${g} * 10 MINUTE`;
  return [
    ...(p ? ['SELECT setseed(0.3)'] : []),
    `INSERT INTO customers (id, full_name, segment) SELECT ${g}, CONCAT('Customer ', ${g}), ${segment} FROM ${rows(CUSTOMERS)}`,
    `INSERT INTO orders (id, customer_id, status, amount, placed_at)
     SELECT ${g}, LEAST(${CUSTOMERS}, FLOOR(POWER(${CUSTOMERS}, ${rnd}))), ${status},
       CASE WHEN ${rnd} < 0.3 THEN NULL ELSE ${amount} END, ${placed}
     FROM ${rows(ORDERS)}`,
  ];
}

interface Shape {
  rows: number;
  nullFraction: number;
  statusShares: Map<string, number>;
  /** Amount at the 10th, 25th, 50th, 75th and 90th percentiles. */
  quantiles: number[];
  /** Non-null amounts, ascending. */
  amounts: number[];
  distinctAmounts: number;
  /** Share of customers with 0, 1, 2-3, 4-7, 8+ orders. */
  fanout: number[];
}

const FANOUT_SQL = `SELECT CASE WHEN n = 0 THEN 0 WHEN n = 1 THEN 1 WHEN n < 4 THEN 2 WHEN n < 8 THEN 3 ELSE 4 END AS b, count(*) AS parents
  FROM (SELECT c.id, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id) x GROUP BY 1`;

async function shapeOf(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<Shape> {
  const [totals] = await query('SELECT count(*) AS n, sum(CASE WHEN amount IS NULL THEN 1 ELSE 0 END) AS nulls, count(DISTINCT amount) AS d FROM orders');
  const rows = Number(totals!['n']);
  const statusShares = new Map((await query('SELECT status, count(*) AS n FROM orders GROUP BY status')).map((r) => [String(r['status']), Number(r['n']) / rows]));
  const amounts = (await query('SELECT amount FROM orders WHERE amount IS NOT NULL ORDER BY amount')).map((r) => Number(r['amount']));
  const quantiles = [0.1, 0.25, 0.5, 0.75, 0.9].map((q) => amounts[Math.floor(q * (amounts.length - 1))]!);
  const customers = Number((await query('SELECT count(*) AS n FROM customers'))[0]!['n']);
  const fanout = [0, 0, 0, 0, 0];
  for (const r of await query(FANOUT_SQL)) fanout[Number(r['b'])] = Number(r['parents']) / customers;
  return { rows, nullFraction: Number(totals!['nulls']) / rows, statusShares, quantiles, amounts, distinctAmounts: Number(totals!['d']), fanout };
}

/** The copy against the source: what a user means by "looks like production". */
function expectLike(copy: Shape, source: Shape, scale: number): void {
  expect(copy.rows).toBe(Math.round(ORDERS * scale));
  expect(Math.abs(copy.nullFraction - source.nullFraction)).toBeLessThan(0.02);
  // The top categories, in the same order, each within 0.02 of its share.
  const top = [...source.statusShares].sort((a, b) => b[1] - a[1]).map(([s]) => s);
  expect(
    [...copy.statusShares]
      .sort((a, b) => b[1] - a[1])
      .map(([s]) => s)
      .slice(0, 3),
  ).toEqual(top.slice(0, 3));
  for (const s of top) expect(Math.abs((copy.statusShares.get(s) ?? 0) - source.statusShares.get(s)!)).toBeLessThan(0.02);
  // Heavy-tailed amounts: below each of the source's deciles and quartiles lies the same share of the
  // copy's amounts, within 0.05 (a KS-style check; the source's frequent amounts are not in the profile).
  [0.1, 0.25, 0.5, 0.75, 0.9].forEach((p, i) => {
    const below = copy.amounts.filter((a) => a <= source.quantiles[i]!).length / copy.amounts.length;
    expect(Math.abs(below - p), `share of copy amounts ≤ ${source.quantiles[i]} at scale ${scale}`).toBeLessThan(0.05);
  });
  // Distinct amounts: as many as a random sample of the source at this scale would hold
  // (d values over n non-null rows, n/d rows each, each kept with probability `scale`).
  const n = source.amounts.length;
  const d = source.distinctAmounts;
  const expected = d * (1 - Math.pow(1 - scale, n / d));
  expect(copy.distinctAmounts / expected).toBeGreaterThan(0.8);
  expect(copy.distinctAmounts / expected).toBeLessThan(1.2);
  // Orders per customer: every fan-out bucket's share within 0.03 (zero-order customers included).
  source.fanout.forEach((share, b) => expect(Math.abs(copy.fanout[b]! - share)).toBeLessThan(0.03));
}

describe('seed --profile: mistakes are usage errors (no server needed)', () => {
  let dir: string;
  // A saved Schema (as `introspect --out` writes it): no database to start for these checks.
  const ddl = (): string => join(dir, 'schema.json');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'understudy-seed-profile-'));
    const schema = schemaOf({ 'public.customers': tableOf('public', 'customers', [col('id', 'integer')], { primaryKey: ['id'] }) });
    await writeFile(ddl(), JSON.stringify(schema));
  });

  it('names a missing file, bad JSON, an unknown version and another dialect, exit 2', async () => {
    const missing = await runCli(['plan', '--schema', ddl(), '--profile', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--profile ${join(dir, 'nope.json')}: no such file`);

    await writeFile(join(dir, 'bad.json'), '{ "version": 1, ');
    const bad = await runCli(['plan', '--schema', ddl(), '--profile', join(dir, 'bad.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not valid JSON');

    await writeFile(join(dir, 'v9.json'), JSON.stringify({ version: 9, dialect: 'postgres', tables: {} }));
    const v9 = await runCli(['plan', '--schema', ddl(), '--profile', join(dir, 'v9.json')]);
    expect(v9.code).toBe(2);
    expect(v9.stderr).toContain('profile version 9 is not one this understudy reads');

    const mysqlProfile = { version: 1, dialect: 'mysql', takenAt: '2026-01-01T00:00:00Z', k: 10, scanned: false, tables: {} };
    await writeFile(join(dir, 'my.json'), JSON.stringify(mysqlProfile));
    const other = await runCli(['plan', '--schema', ddl(), '--profile', join(dir, 'my.json')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('was taken from a mysql database, but the target schema is postgres');
  });
});

describe.skipIf(!pgUrl)('seed --profile on PostgreSQL', () => {
  const stamp = `${process.pid}_${Date.now()}`;
  const names = { source: `understudy_test_prof_src_${stamp}`, copy: `understudy_test_prof_copy_${stamp}` };
  const urls: Record<string, string> = {};
  let dir: string;
  let source: Shape;

  const query =
    (url: string) =>
    async (sql: string): Promise<Record<string, unknown>[]> => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        return (await db.query(sql)).rows as Record<string, unknown>[];
      } finally {
        await db.end();
      }
    };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'understudy-seed-profile-'));
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    for (const [key, name] of Object.entries(names)) {
      await admin.query(`CREATE DATABASE ${name}`);
      const u = new URL(pgUrl!);
      u.pathname = `/${name}`;
      urls[key] = u.toString();
    }
    await admin.end();
    for (const key of ['source', 'copy']) for (const sql of DDL) await query(urls[key]!)(sql);
    for (const sql of dataSql('postgres')) await query(urls['source']!)(sql);
    await query(urls['source']!)('ANALYZE');
    source = await shapeOf(query(urls['source']!));
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    for (const name of Object.values(names)) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('profile → plan shows the profile-driven choices → seed at scale 1 and 0.1 looks like the source', async () => {
    const profile = join(dir, 'profile.json');
    const taken = await runCli(['profile', '--url', urls['source']!, '--out', profile]);
    expect(taken.code, taken.stderr).toBe(0);

    const plan = await runCli(['plan', '--url', urls['copy']!, '--profile', profile, '--summary']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/status\s+distribution .*profile: 6 frequent values/);
    // amount keeps its frequent values too (a number: kept at any cardinality when each passes k)
    expect(plan.stdout).toMatch(/amount\s+distribution .*profile: (\d+ frequent values? \+ )?histogram; ~[\d,]+ distinct; \d+% NULL/);
    expect(plan.stdout).toContain('profile: rows = 1 × 50,000');

    for (const scale of [1, 0.1]) {
      const seeded = await runCli(['seed', '--url', urls['copy']!, '--profile', profile, '--scale', String(scale), '--truncate', '--workers', '2', '--json']);
      expect(seeded.code, seeded.stderr).toBe(0);
      expectLike(await shapeOf(query(urls['copy']!)), source, scale);
    }
  });
});

describe.skipIf(!mysqlUrl)('seed --profile on MariaDB/MySQL', () => {
  const stamp = `${process.pid}_${Date.now()}`;
  const names = { source: `understudy_test_prof_src_${stamp}`, copy: `understudy_test_prof_copy_${stamp}` };
  const urls: Record<string, string> = {};
  let dir: string;
  let source: Shape;

  const query =
    (url: string) =>
    async (sql: string): Promise<Record<string, unknown>[]> => {
      const db = await mysql.createConnection({ uri: url });
      try {
        const [rows] = await db.query(sql);
        return rows as Record<string, unknown>[];
      } finally {
        await db.end();
      }
    };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'understudy-seed-profile-'));
    for (const [key, name] of Object.entries(names)) {
      await query(mysqlUrl!)(`CREATE DATABASE ${name}`);
      const u = new URL(mysqlUrl!);
      u.pathname = `/${name}`;
      urls[key] = u.toString();
    }
    for (const key of ['source', 'copy']) for (const sql of DDL) await query(urls[key]!)(`${sql} ENGINE=InnoDB`);
    for (const sql of dataSql('mariadb')) await query(urls['source']!)(sql);
    source = await shapeOf(query(urls['source']!));
  });

  afterAll(async () => {
    for (const name of Object.values(names)) await query(mysqlUrl!)(`DROP DATABASE IF EXISTS ${name}`);
  });

  it('profile → seed a copy in another database at scale 1 and 0.1 → looks like the source', async () => {
    // Frequent values of a text column come only from JSON_HB histograms (MariaDB 10.8+;
    // 10.11's default is DOUBLE_PREC_HB, which keeps none): analyse as a DBA keeping them would.
    const db = await mysql.createConnection({ uri: urls['source']! });
    await db.query("SET SESSION histogram_type = 'JSON_HB'");
    await db.query('ANALYZE TABLE customers, orders PERSISTENT FOR ALL');
    await db.end();
    const profile = join(dir, 'profile.json');
    const taken = await runCli(['profile', '--url', urls['source']!, '--out', profile]);
    expect(taken.code, taken.stderr).toBe(0);
    for (const scale of [1, 0.1]) {
      const seeded = await runCli(['seed', '--url', urls['copy']!, '--profile', profile, '--scale', String(scale), '--truncate', '--workers', '2', '--json']);
      expect(seeded.code, seeded.stderr).toBe(0);
      expectLike(await shapeOf(query(urls['copy']!)), source, scale);
    }
  });
});
