/**
 * `understudy scan` on the planted-PII database (test/cli/planted-pii.ts), built on
 * PostgreSQL and MariaDB: precision and recall over 97 labelled columns (a partitioned table's too), and no planted
 * value in the listing, the `--json` report or the policy file.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { createPlantedDatabase, leakedValues, score, type PlantedServerDatabase } from './planted-pii.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the scan tests on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the scan tests on MariaDB/MySQL');

describe('understudy scan (no server needed)', () => {
  it('exits 2 without --url or with a bad --sample, 3 when the server cannot be reached', async () => {
    const none = await runCli(['scan']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('scan needs --url');
    const sample = await runCli(['scan', '--url', 'postgres://x@127.0.0.1:1/db', '--sample', '-5']);
    expect(sample.code).toBe(2);
    expect(sample.stderr).toContain('--sample must be a whole number');
    const down = await runCli(['scan', '--url', 'postgres://u:hunter2@127.0.0.1:1/db']);
    expect(down.code).toBe(3);
    expect(down.stderr).not.toContain('hunter2');
  });
});

for (const [engine, adminUrl] of [
  ['postgres', pgUrl],
  ['mysql', mysqlUrl],
] as const) {
  describe.skipIf(!adminUrl)(`understudy scan on the planted-PII database (${engine})`, () => {
    let db: PlantedServerDatabase;
    let dir: string;

    beforeAll(async () => {
      db = await createPlantedDatabase(engine, adminUrl!);
      dir = await mkdtemp(join(tmpdir(), 'understudy-scan-'));
    }, 120_000);

    afterAll(async () => {
      await db?.drop();
    });

    it('finds the planted columns with precision and recall ≥ 0.9, and never prints a value', async () => {
      const out = join(dir, 'scrub.policy.json');
      const json = await runCli(['scan', '--url', db.url, '--json', '--out', out, '--sample', '200']);
      expect(json.stderr).toContain(`wrote ${out}`);
      expect(json.code).toBe(0);
      const report = JSON.parse(json.stdout) as { tables: Array<{ table: string; columns: Array<{ column: string; transform: string; kinds: string[] }> }> };
      const proposed = new Map<string, { transform: string; kinds: string[] }>();
      for (const t of report.tables) for (const c of t.columns) proposed.set(`${t.table.split('.').pop()}.${c.column}`, c);
      const s = score(db.planted.labels, proposed);
      console.log(
        `scan on ${engine}: ${db.planted.labels.length} labelled columns, precision ${s.precision.toFixed(3)}, recall ${s.recall.toFixed(3)}, ` +
          `right kind ${s.kindAccuracy.toFixed(3)}\n  false positives: ${JSON.stringify(s.falsePositives)}\n  false negatives: ${JSON.stringify(s.falseNegatives)}\n  wrong kind: ${JSON.stringify(s.wrongKind)}`,
      );
      expect(db.planted.labels.length).toBeGreaterThanOrEqual(60);
      expect(s.precision).toBeGreaterThanOrEqual(0.9);
      expect(s.recall).toBeGreaterThanOrEqual(0.9);
      expect(s.kindAccuracy).toBeGreaterThanOrEqual(0.9);

      const listing = await runCli(['scan', '--url', db.url]);
      expect(listing.code).toBe(0);
      expect(listing.stdout).toMatch(/recipient\s+fake:person-name\s+person-name/);
      const policy = await readFile(out, 'utf8');
      for (const [what, text] of [
        ['--json', json.stdout],
        ['listing', listing.stdout + listing.stderr],
        ['policy file', policy],
      ] as const) {
        expect(leakedValues(text, db.planted.plantedValues), what).toEqual([]);
      }
      // names, types and comments alone (--sample 0) miss the names that lie: the sample is what finds them
      const blind = await runCli(['scan', '--url', db.url, '--json', '--sample', '0']);
      expect(blind.code).toBe(0);
      const byName = new Map<string, { transform: string; kinds: string[] }>();
      for (const t of (JSON.parse(blind.stdout) as typeof report).tables) for (const c of t.columns) byName.set(`${t.table.split('.').pop()}.${c.column}`, c);
      const names = score(db.planted.labels, byName);
      console.log(
        `scan --sample 0 on ${engine}: precision ${names.precision.toFixed(3)}, recall ${names.recall.toFixed(3)}, right kind ${names.kindAccuracy.toFixed(3)}; missed ${names.falseNegatives.map((f) => f.column).join(', ')}; wrongly flagged ${names.falsePositives.map((f) => f.column).join(', ')}`,
      );
      expect(names.recall).toBeLessThan(s.recall);
      expect(names.falseNegatives.map((f) => f.column)).toEqual(expect.arrayContaining(['orders.recipient', 'orders.ship_name', 'orders.session']));
      expect(names.falsePositives.map((f) => f.column)).toContain('orders.email');

      // the policy is a valid, versioned document naming every column (a PostgreSQL partition's too, as its parent's were sampled)
      const parsed = JSON.parse(policy) as { version: number; tables: Record<string, { columns: Record<string, { transform: string }> }> };
      expect(parsed.version).toBe(1);
      const partitions = report.tables.filter((t) => (t as { method?: string }).method?.startsWith('sampled through'));
      expect(partitions.map((t) => t.table.split('.').pop())).toEqual(engine === 'postgres' ? ['payments_2024', 'payments_2025', 'payments_2026'] : []);
      for (const p of partitions) expect(p.columns.map((c) => c.transform)).toEqual(report.tables.find((t) => t.table.endsWith('.payments'))!.columns.map((c) => c.transform));
      const named = Object.values(parsed.tables).reduce((n, t) => n + Object.keys(t.columns).length, 0);
      expect(named).toBe(db.planted.labels.length + partitions.reduce((n, t) => n + t.columns.length, 0));
    }, 120_000);
  });
}
