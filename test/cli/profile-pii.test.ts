/**
 * Profile privacy by content: on the planted-PII database (test/cli/planted-pii.ts),
 * the engine's statistics hold the innocuously named low-cardinality columns' values
 * (companies in `ship_name`, people in `recipient`/`payee`/`guest`, customer codes in
 * `orders.customer_code`) as frequent values; the saved profile holds none of them, nor
 * any other planted value, while plain categories (`status`, `category`) are still kept.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { createPlantedDatabase, leakedValues, type PlantedServerDatabase } from './planted-pii.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the profile privacy-by-content test on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the profile privacy-by-content test on MariaDB/MySQL');

const INNOCUOUS = ['ship_name', 'recipient', 'payee', 'guest', 'customer_code'];

/** The frequent values the engine itself keeps for the innocuous columns of `orders` (read independently of Understudy). */
async function engineFrequentValues(engine: 'postgres' | 'mysql', url: string): Promise<string> {
  if (engine === 'postgres') {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT string_agg(most_common_vals::text, ' ') AS v FROM pg_stats WHERE tablename = 'orders' AND attname = ANY($1)`, [INNOCUOUS]);
      return String(rows[0]?.v ?? '');
    } finally {
      await db.end();
    }
  }
  const db = await mysql.createConnection({ uri: url });
  try {
    const [rows] = await db.query(`SELECT GROUP_CONCAT(CAST(histogram AS CHAR) SEPARATOR ' ') AS v FROM mysql.column_stats WHERE table_name = 'orders' AND column_name IN (?)`, [INNOCUOUS]);
    return String((rows as Array<{ v: unknown }>)[0]?.v ?? '');
  } finally {
    await db.end();
  }
}

for (const [engine, adminUrl] of [
  ['postgres', pgUrl],
  ['mysql', mysqlUrl],
] as const) {
  describe.skipIf(!adminUrl)(`profile privacy by content on the planted-PII database (${engine})`, () => {
    let db: PlantedServerDatabase;

    beforeAll(async () => {
      db = await createPlantedDatabase(engine, adminUrl!);
    }, 120_000);

    afterAll(async () => {
      await db?.drop();
    });

    it('keeps no planted value, though the engine holds them as frequent values', async () => {
      const held = await engineFrequentValues(engine, db.url);
      const candidates = leakedValues(held, db.planted.innocuousValues);
      // the engine's own statistics list most of them: without the content check they would be kept
      expect(candidates.length).toBeGreaterThanOrEqual(30);

      const dir = await mkdtemp(join(tmpdir(), 'understudy-profile-pii-'));
      const out = join(dir, 'profile.json');
      const result = await runCli(['profile', '--url', db.url, '--out', out]);
      expect(result.code).toBe(0);
      const text = await readFile(out, 'utf8');
      expect(leakedValues(text, db.planted.innocuousValues)).toEqual([]);
      expect(leakedValues(text, db.planted.plantedValues)).toEqual([]);

      const profile = JSON.parse(text) as { tables: Record<string, { columns: Record<string, { personal: boolean; mostCommon?: { values: unknown[] } }> }> };
      const orders = Object.entries(profile.tables).find(([key]) => key.endsWith('orders'))![1].columns;
      for (const column of INNOCUOUS) {
        expect(orders[column]!.personal, column).toBe(true);
        expect(orders[column]!.mostCommon, column).toBeUndefined();
      }
      // plain categories keep their frequent values
      expect(orders['status']!.mostCommon?.values).toEqual(expect.arrayContaining(['shipped', 'delivered', 'pending', 'cancelled']));
      const products = Object.entries(profile.tables).find(([key]) => key.endsWith('products'))![1].columns;
      expect(products['category']!.mostCommon?.values).toEqual(expect.arrayContaining(['Beverages', 'Seafood']));
    }, 120_000);

    it('explains the detectors verdict per column', async () => {
      const result = await runCli(['profile', '--url', db.url, '--no-scan', '--explain']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/ship_name .*— personal by content: values look like company/);
      expect(result.stdout).toMatch(/pii: person-name by content \(/);
      expect(result.stdout).toMatch(/customer_code .*personal by content: values look like identifier/);
      expect(result.stdout).toMatch(/pii: none: the kept values passed every value detector/);
      expect(leakedValues(result.stdout, db.planted.plantedValues)).toEqual([]);
    }, 60_000);
  });
}
