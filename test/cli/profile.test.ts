import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the profile CLI tests that need a PostgreSQL server');

describe('understudy profile (no server needed)', () => {
  it('exits 2 without --url, and for a bad --k', async () => {
    const none = await runCli(['profile']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('profile needs --url');
    const k = await runCli(['profile', '--url', 'postgres://x@127.0.0.1:1/db', '--k', 'ten']);
    expect(k.code).toBe(2);
    expect(k.stderr).toContain('--k must be a whole number');
  });
});

describe.skipIf(!pgUrl)('understudy profile --url (PostgreSQL server)', () => {
  const name = `understudy_test_profile_${process.pid}_${Date.now()}`;
  let url: string;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(pgUrl!);
    target.pathname = `/${name}`;
    url = target.toString();
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    // 6,000 customers; a planted e-mail repeated 300 times would be a "most common value" in pg_stats.
    await db.query(`CREATE TABLE customers (id serial PRIMARY KEY, email text NOT NULL, status text NOT NULL, amount numeric(10,2));
      INSERT INTO customers (email, status, amount)
      SELECT CASE WHEN g % 20 = 0 THEN 'planted.cli.4417@example.org' ELSE 'c' || g || '@example.com' END,
             (ARRAY['active','active','active','pending','closed'])[1 + g % 5], (g % 1000) / 7.0
      FROM generate_series(1, 6000) g;
      ANALYZE customers;`);
    await db.end();
  });

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('writes a profile with the categorical frequencies and without the planted e-mail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-profile-'));
    const out = join(dir, 'profile.json');
    const result = await runCli(['profile', '--url', url, '--out', out]);
    expect(result.stderr).toContain(`wrote ${out}: 1 tables`);
    expect(result.code).toBe(0);
    const text = await readFile(out, 'utf8');
    expect(text).not.toContain('planted');
    expect(text).not.toContain('4417');
    const profile = JSON.parse(text);
    const columns = profile.tables['public.customers'].columns;
    expect(columns.status.mostCommon.values[0]).toBe('active');
    expect(columns.status.mostCommon.frequencies[0]).toBeCloseTo(0.6, 1);
    expect(columns.email.personal).toBe(true);
    expect(columns.email.mostCommon).toBeUndefined();
  });

  it('explains per column what was kept and why', async () => {
    const result = await runCli(['profile', '--url', url, '--no-scan', '--explain']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/email\s+kept .* — personal \(personal name token "email"\): shape only/);
    expect(result.stdout).toMatch(/status\s+kept [^—]*mostCommon/);
    expect(result.stdout).not.toContain('planted');
  });
});
