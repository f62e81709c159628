/**
 * `understudy scrub` features beyond the planted-PII run, on PostgreSQL and MariaDB, checked by
 * SQL written here:
 * - `noise` stays inside the column's CHECKs (`BETWEEN 1 AND 5`, `>= 0 AND <= 100`, `< 1000`,
 *   `> 0 AND <= 1`) and its type's scale, with a relative noise of 0.5 that would cross them;
 * - `generate` replaces a value by what seed's planner makes for the column (CHECK IN lists,
 *   ranges), deterministic in the key, a unique column staying unique;
 * - a foreign key declared only in the policy (`orders.user_ref → users.id`): a permuted
 *   `users.id` is followed in `orders.user_ref`, the subset's closure keeps the parents of kept
 *   orders, and audit checks the join.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const KEY = 'scrub-features-key-0123456789abcdef';
const OTHER_KEY = 'scrub-features-other-key-fedcba9876543210';

type Rows = Array<Record<string, unknown>>;

interface Engine {
  readonly name: 'postgres' | 'mysql';
  readonly adminUrl: string | undefined;
  query(url: string, sql: string): Promise<Rows>;
  /** `FROM` of the numbers 1..n as column `i`. */
  series(n: number): string;
  /** The policy's key of a table. */
  tableKey(database: string, table: string): string;
}

const postgres: Engine = {
  name: 'postgres',
  adminUrl: process.env['UNDERSTUDY_TEST_PG_URL'],
  async query(url, sql) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query(sql);
      return (Array.isArray(result) ? result.at(-1)!.rows : result.rows) as Rows;
    } finally {
      await client.end();
    }
  },
  series: (n) => `generate_series(1, ${n}) AS g(i)`,
  tableKey: (_db, table) => `public.${table}`,
};

const mariadb: Engine = {
  name: 'mysql',
  adminUrl: process.env['UNDERSTUDY_TEST_MYSQL_URL'],
  async query(url, sql) {
    const conn = await mysql.createConnection({ uri: url, dateStrings: true, multipleStatements: true });
    try {
      const [result] = await conn.query(sql);
      return (Array.isArray(result) && result.some(Array.isArray) ? result.filter(Array.isArray).at(-1) : result) as Rows;
    } finally {
      await conn.end();
    }
  },
  series: (n) => `(SELECT seq AS i FROM seq_1_to_${n}) AS g`,
  tableKey: (db, table) => `${db}.${table}`,
};

const DDL = `
CREATE TABLE measures (
  id integer PRIMARY KEY,
  rating integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  score integer NOT NULL CHECK (score >= 0 AND score <= 100),
  balance numeric(7,2) NOT NULL CHECK (balance >= 0 AND balance < 1000),
  ratio double precision CHECK (ratio > 0 AND ratio <= 1),
  lo integer NOT NULL,
  hi integer NOT NULL,
  CHECK (lo < hi)
);
CREATE TABLE users (id integer PRIMARY KEY, name varchar(60) NOT NULL);
CREATE TABLE orders (id integer PRIMARY KEY, user_ref integer NOT NULL, total numeric(10,2) NOT NULL CHECK (total > 0));
CREATE TABLE items (id integer PRIMARY KEY, order_id integer NOT NULL, qty integer NOT NULL, FOREIGN KEY (order_id) REFERENCES orders (id));
CREATE TABLE profiles (
  id integer PRIMARY KEY,
  nickname varchar(40),
  status varchar(10) NOT NULL CHECK (status IN ('active', 'paused', 'closed')),
  handle varchar(30) NOT NULL UNIQUE,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 9)
);
`;

const data = (e: Engine): string => `
INSERT INTO measures SELECT i, 1 + i % 5, 60 + i % 41, 500 + (i * 7) % 499 + 0.25, 0.5 + (i % 50) / 100.0, 10 + i % 50, 11 + i % 50 + i % 3 FROM ${e.series(400)};
INSERT INTO users SELECT i, concat('User ', i) FROM ${e.series(300)};
INSERT INTO orders SELECT i, 1 + (i * 37) % 300, 10 + i % 90 FROM ${e.series(1500)};
INSERT INTO items SELECT i, 1 + (i * 7) % 1500, 1 + i % 4 FROM ${e.series(3000)};
INSERT INTO profiles SELECT i, concat('nick', i), CASE i % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'paused' ELSE 'closed' END, concat('handle_', i), 1 + i % 9 FROM ${e.series(300)};
`;

type Policy = { tables: Record<string, { columns: Record<string, Record<string, unknown>>; foreignKeys?: unknown[] }> };

for (const engine of [postgres, mariadb]) {
  if (!engine.adminUrl) console.warn(`no test URL for ${engine.name}: skipping the scrub feature tests there`);
  describe.skipIf(!engine.adminUrl)(`understudy scrub: CHECK-aware noise, generate, virtual foreign keys (${engine.name})`, () => {
    const names = ['src', 'dst'].map((s) => `understudy_test_scrubfeat_${process.pid}_${s}`);
    const urlOf = (name: string): string => {
      const u = new URL(engine.adminUrl!);
      u.pathname = `/${name}`;
      return u.toString();
    };
    // (describe's body runs even when the suite is skipped: no URL to build then)
    const [source, target] = (engine.adminUrl ? names.map(urlOf) : ['', '']) as [string, string];
    const key = (table: string): string => engine.tableKey(names[0]!, table);
    let dir: string;
    let scanned: Policy;

    /** Scan's policy with every column kept, then `rules` (table → column → rule) over it. */
    async function writePolicy(file: string, rules: Record<string, Record<string, Record<string, unknown>>>, foreignKeys?: unknown[]): Promise<string> {
      const p = structuredClone(scanned);
      for (const t of Object.values(p.tables)) for (const c of Object.keys(t.columns)) t.columns[c] = { transform: 'keep' };
      for (const [table, columns] of Object.entries(rules)) Object.assign(p.tables[key(table)]!.columns, columns);
      if (foreignKeys) p.tables[key('orders')]!.foreignKeys = foreignKeys;
      const path = join(dir, file);
      await writeFile(path, JSON.stringify(p));
      return path;
    }
    const scrub = (policy: string, extra: string[] = [], k = KEY) => runCli(['scrub', '--source', source, '--url', target, '--policy', policy, ...extra], { env: { UNDERSTUDY_SCRUB_KEY: k } });
    const byId = async (url: string, sql: string): Promise<Map<number, Record<string, unknown>>> => new Map((await engine.query(url, sql)).map((r) => [Number(r['id']), r]));

    beforeAll(async () => {
      for (const name of names) {
        await engine.query(engine.adminUrl!, engine.name === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`);
        await engine.query(engine.adminUrl!, `CREATE DATABASE ${name}`);
        await engine.query(urlOf(name), DDL);
      }
      await engine.query(source, data(engine));
      dir = await mkdtemp(join(tmpdir(), 'understudy-scrubfeat-'));
      const scan = await runCli(['scan', '--url', source, '--out', join(dir, 'scanned.json')]);
      expect(scan.code, scan.stderr).toBe(0);
      scanned = JSON.parse(await readFile(join(dir, 'scanned.json'), 'utf8')) as Policy;
    }, 120_000);

    afterAll(async () => {
      for (const name of names) {
        await engine.query(engine.adminUrl!, engine.name === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      }
    });

    it('noise with relative 0.5 stays inside the CHECKs (lo < hi too) and the scale, and changes most values', async () => {
      const noise = { transform: 'noise', noise: { relative: 0.5 } };
      const policy = await writePolicy('noise.json', { measures: { rating: noise, score: noise, balance: noise, ratio: noise, lo: noise, hi: noise }, orders: { total: noise } });
      const run = await scrub(policy);
      expect(run.code, run.stderr).toBe(0);
      const [bad] = await engine.query(
        target,
        `SELECT count(*) AS n FROM measures WHERE rating NOT BETWEEN 1 AND 5 OR score < 0 OR score > 100 OR balance < 0 OR balance >= 1000 OR ratio <= 0 OR ratio > 1 OR lo >= hi`,
      );
      expect(Number(bad!['n'])).toBe(0);
      const [n] = await engine.query(target, 'SELECT count(*) AS n FROM measures');
      expect(Number(n!['n'])).toBe(400);
      const src = await byId(source, 'SELECT id, rating, score, balance, ratio, lo, hi FROM measures');
      const dst = await byId(target, 'SELECT id, rating, score, balance, ratio FROM measures');
      const changed = (c: string): number => [...src].filter(([id, r]) => String(dst.get(id)![c]) !== String(r[c])).length;

      expect(changed('score')).toBeGreaterThan(400 * 0.8);
      expect(changed('balance')).toBeGreaterThan(400 * 0.95);
      expect(changed('ratio')).toBeGreaterThan(400 * 0.95);
      expect(changed('rating')).toBeGreaterThan(400 * 0.3);
      expect(changed('lo')).toBeGreaterThan(400 * 0.8);
      expect(changed('hi')).toBeGreaterThan(400 * 0.8);
      // Within ±50 % of the source's value, two decimals.
      for (const [id, r] of src) {
        const b = Number(dst.get(id)!['balance']);
        expect(Math.abs(b - Number(r['balance']))).toBeLessThanOrEqual(Number(r['balance']) * 0.5 + 0.01);
        expect(String(dst.get(id)!['balance'])).toMatch(/^\d+\.\d{2}$/);
      }
      const [orders] = await engine.query(target, 'SELECT count(*) AS n, min(total) AS lo FROM orders');
      expect(Number(orders!['n'])).toBe(1500);
      expect(Number(orders!['lo'])).toBeGreaterThan(0);
    }, 120_000);

    it('generate makes what seed would (CHECK IN list, range), the same with the same key, a unique column unique', async () => {
      const generate = { transform: 'generate' };
      const policy = await writePolicy('generate.json', { profiles: { nickname: generate, status: generate, handle: generate, level: generate } });
      const run = await scrub(policy);
      expect(run.code, run.stderr).toBe(0);
      const sql = 'SELECT id, nickname, status, handle, level FROM profiles';
      const src = await byId(source, sql);
      const first = await byId(target, sql);
      expect(first.size).toBe(300);
      const [agg] = await engine.query(
        target,
        `SELECT count(DISTINCT handle) AS handles, sum(CASE WHEN status IN ('active', 'paused', 'closed') THEN 1 ELSE 0 END) AS statuses,
                sum(CASE WHEN level BETWEEN 1 AND 9 THEN 1 ELSE 0 END) AS levels, count(DISTINCT nickname) AS nicknames FROM profiles`,
      );
      expect(Number(agg!['handles'])).toBe(300);
      expect(Number(agg!['statuses'])).toBe(300);
      expect(Number(agg!['levels'])).toBe(300);
      expect(Number(agg!['nicknames'])).toBeGreaterThan(50);
      const kept = (c: string): number => [...src].filter(([id, r]) => String(first.get(id)![c]) === String(r[c])).length;
      expect(kept('nickname')).toBe(0);
      expect(kept('handle')).toBeLessThan(300 * 0.05);
      expect([...first.values()].filter((r) => /^nick\d+$/.test(String(r['nickname']))).length).toBe(0);
      // The same key: the same values; another key: other nicknames.
      expect((await scrub(policy)).code).toBe(0);
      expect(await byId(target, sql)).toEqual(first);
      expect((await scrub(policy, [], OTHER_KEY)).code).toBe(0);
      const other = await byId(target, sql);
      expect([...first].filter(([id, r]) => other.get(id)!['nickname'] === r['nickname']).length).toBeLessThan(300 * 0.5);
    }, 180_000);

    it('a foreign key declared only in the policy: a permuted users.id is followed, the subset closes over it, audit checks it', async () => {
      const virtual = [{ columns: ['user_ref'], references: { table: key('users'), columns: ['id'] } }];
      const policy = await writePolicy('virtual.json', { users: { id: { transform: 'hash' }, name: { transform: 'fake:person-name' } } }, virtual);
      const join = 'SELECT count(*) AS n FROM orders o JOIN users u ON o.user_ref = u.id';
      const [sourceJoin] = await engine.query(source, join);
      expect(Number(sourceJoin!['n'])).toBe(1500);
      const run = await scrub(policy);
      expect(run.code, run.stderr).toBe(0);
      const [targetJoin] = await engine.query(target, join);
      expect(Number(targetJoin!['n'])).toBe(1500);
      const [ids] = await engine.query(target, 'SELECT count(*) AS n FROM users WHERE id <= 300');
      expect(Number(ids!['n'])).toBeLessThan(300 * 0.05);
      // The same user's orders, as in the source: how many orders each user has is unchanged.
      const fanout = 'SELECT count(*) AS n FROM orders GROUP BY user_ref ORDER BY n';
      expect(await engine.query(target, fanout)).toEqual(await engine.query(source, fanout));

      const audit = await runCli(['audit', '--source', source, '--url', target, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
      expect(audit.code, audit.stdout + audit.stderr).toBe(0);
      expect(audit.stdout).toMatch(/orders orders_user_ref_virtual: 1,500 joined rows in the source, 1,500 in the target/);
      // A broken join through the virtual key fails the audit.
      await engine.query(target, 'UPDATE orders SET user_ref = -user_ref WHERE id <= 10');
      const broken = await runCli(['audit', '--source', source, '--url', target, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
      expect(broken.code, broken.stdout + broken.stderr).toBe(1);

      const orphans = 'SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_ref)';
      const subset = async (): Promise<Rows> => {
        const r = await scrub(policy, ['--subset', `${key('orders')}: 10%`]);
        expect(r.code, r.stderr).toBe(0);
        const [o] = await engine.query(target, orphans);
        expect(Number(o!['n'])).toBe(0);
        return engine.query(target, 'SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM users) AS users');
      };
      const [counts] = await subset();
      expect(Number(counts!['orders'])).toBeGreaterThan(1500 * 0.05);
      expect(Number(counts!['orders'])).toBeLessThan(1500 * 0.2);
      expect(Number(counts!['users'])).toBeGreaterThan(0);
      expect(Number(counts!['users'])).toBeLessThan(300);
      expect(await subset()).toEqual([counts]);
    }, 180_000);

    it('--subset closes over a declared FK and a virtual one after it: no orphan along either, the same rows twice', async () => {
      const virtual = [{ columns: ['user_ref'], references: { table: key('users'), columns: ['id'] } }];
      const policy = await writePolicy('subset.json', { users: { id: { transform: 'hash' } } }, virtual);
      const ids = async (): Promise<Rows> => engine.query(target, `SELECT 'items' AS t, id FROM items UNION ALL SELECT 'orders', id FROM orders UNION ALL SELECT 'users', id FROM users ORDER BY 1, 2`);
      const run = async (): Promise<Rows> => {
        const r = await scrub(policy, ['--subset', `${key('items')}: 10%`]);
        expect(r.code, r.stderr).toBe(0);
        const [o] = await engine.query(
          target,
          `SELECT (SELECT count(*) FROM items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id)) AS items,
                  (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_ref)) AS orders`,
        );
        expect([Number(o!['items']), Number(o!['orders'])]).toEqual([0, 0]);
        return ids();
      };
      const first = await run();
      const count = (t: string): number => first.filter((r) => r['t'] === t).length;
      expect(count('items')).toBeGreaterThan(3000 * 0.05);
      expect(count('items')).toBeLessThan(3000 * 0.2);
      expect(count('orders')).toBeGreaterThan(0);
      expect(count('orders')).toBeLessThanOrEqual(count('items'));
      expect(count('users')).toBeGreaterThan(0);
      expect(count('users')).toBeLessThan(300);
      // Every kept item's order is the source's: the item ids and order ids are kept as they are.
      const [joined] = await engine.query(target, 'SELECT count(*) AS n FROM items i JOIN orders o ON o.id = i.order_id');
      expect(Number(joined!['n'])).toBe(count('items'));
      expect(await run()).toEqual(first);
    }, 180_000);

    it.skipIf(engine.name !== 'postgres')(
      'all three into an embedded PGlite made from the DDL',
      async () => {
        const noise = { transform: 'noise', noise: { relative: 0.5 } };
        const generate = { transform: 'generate' };
        const virtual = [{ columns: ['user_ref'], references: { table: key('users'), columns: ['id'] } }];
        const policy = await writePolicy(
          'pglite.json',
          { measures: { rating: noise, score: noise, lo: noise, hi: noise }, users: { id: { transform: 'hash' } }, profiles: { nickname: generate, status: generate, handle: generate } },
          virtual,
        );
        const ddl = join(dir, 'schema.sql');
        await writeFile(ddl, DDL);
        const kept = join(dir, 'pglite');
        const r = await runCli(['scrub', '--source', source, '--from', ddl, '--pglite', kept, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
        expect(r.code, r.stderr).toBe(0);
        const db = new PGlite(kept);
        try {
          const one = async (sql: string): Promise<number> => Number(Object.values((await db.query<Record<string, unknown>>(sql)).rows[0]!)[0]);
          expect(await one('SELECT count(*) FROM orders o JOIN users u ON o.user_ref = u.id')).toBe(1500);
          expect(await one('SELECT count(*) FROM users WHERE id <= 300')).toBeLessThan(15);
          expect(await one('SELECT count(*) FROM measures WHERE lo >= hi OR rating NOT BETWEEN 1 AND 5 OR score NOT BETWEEN 0 AND 100')).toBe(0);
          expect(await one('SELECT count(*) FROM measures WHERE lo <> 10 + id % 50')).toBeGreaterThan(400 * 0.8);
          expect(await one('SELECT count(DISTINCT handle) FROM profiles')).toBe(300);
          expect(await one("SELECT count(*) FROM profiles WHERE nickname LIKE 'nick%' OR status NOT IN ('active', 'paused', 'closed')")).toBe(0);
        } finally {
          await db.close();
        }
      },
      180_000,
    );
  });
}
