/**
 * The acceptance test of representative data (issue 5), on PostgreSQL and MariaDB:
 * a skewed source database (Zipf-like categories, log-normal amounts, 30% NULLs,
 * long-tail FK fan-out; SOURCE_CUSTOMERS + SOURCE_ORDERS rows) is profiled; empty
 * copies of its schema are seeded from the profile at scale 1 and 0.1, and
 * `understudy fidelity` must score them ≥ 0.9 overall and ≥ 0.8 for every column.
 * Two controls: an independent SQL sample of the same distributions (a tenth of the
 * rows) scores as high (the scores measure the data, not noise), and a seed made
 * without the profile (same row counts) scores clearly lower.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FidelityReport } from '@understudy/core';
import { runCli } from '../run-cli.js';
import { skewedDataSql, skewedDdl, type Engine } from './fidelity-skewed-data.js';

const SOURCE_CUSTOMERS = 50_000;
const SOURCE_ORDERS = 250_000;

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL fidelity acceptance test');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB fidelity acceptance test');

interface Server {
  readonly engine: Engine;
  create(name: string): Promise<string>;
  run(url: string, statements: readonly string[]): Promise<void>;
  drop(name: string): Promise<void>;
}

function urlFor(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

const postgres = (base: string): Server => ({
  engine: 'postgres',
  async create(name) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return urlFor(base, name);
  },
  async run(url, statements) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  },
  async drop(name) {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  },
});

const mariadb = (base: string): Server => ({
  engine: 'mariadb',
  async create(name) {
    const admin = await mysql.createConnection({ uri: base });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return urlFor(base, name);
  },
  async run(url, statements) {
    const client = await mysql.createConnection({ uri: url });
    try {
      for (const statement of statements) await client.query(statement);
    } finally {
      await client.end();
    }
  },
  async drop(name) {
    const admin = await mysql.createConnection({ uri: base });
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
  },
});

const servers: Array<[string, string | undefined, (base: string) => Server]> = [
  ['PostgreSQL', pgUrl, postgres],
  ['MariaDB', mysqlUrl, mariadb],
];

/** Every scored column with its score, for assertions and messages. */
function columnScores(report: FidelityReport): Array<[string, number]> {
  return Object.entries(report.tables).flatMap(([table, t]) => Object.entries(t.columns).flatMap(([column, c]) => (c.score === null ? [] : [[`${table}.${column}`, c.score] as [string, number]])));
}

function summary(label: string, report: FidelityReport): string {
  const worst = columnScores(report)
    .sort((a, b) => a[1] - b[1])
    .slice(0, 3);
  return `${label}: overall ${report.overall?.toFixed(3)}; worst columns ${worst.map(([c, s]) => `${c} ${s.toFixed(3)}`).join(', ')}`;
}

for (const [serverName, base, make] of servers) {
  describe.skipIf(!base)(`fidelity acceptance on ${serverName}`, () => {
    const server = make(base ?? 'postgres://unused');
    const prefix = `understudy_fid_${process.pid}_${Date.now() % 1_000_000}`;
    const made: string[] = [];
    const scores = new Map<string, number>();
    let dir: string;
    let profileFile: string;

    async function database(suffix: string, statements: readonly string[]): Promise<string> {
      const name = `${prefix}_${suffix}`;
      made.push(name);
      const url = await server.create(name);
      await server.run(url, statements);
      return url;
    }

    async function fidelity(url: string, scale: number, label: string): Promise<{ code: number; report: FidelityReport; stderr: string }> {
      const result = await runCli(['fidelity', '--profile', profileFile, '--url', url, '--scale', String(scale), '--min-score', '0.9', '--json']);
      expect(result.stdout, result.stderr).toMatch(/^\{/);
      const report = JSON.parse(result.stdout) as FidelityReport;
      scores.set(label, report.overall ?? 0);
      console.log(`[${serverName}] ${summary(label, report)}`);
      return { code: result.code, report, stderr: result.stderr };
    }

    function expectRepresentative(report: FidelityReport): void {
      expect(report.overall).toBeGreaterThanOrEqual(0.9);
      const low = columnScores(report).filter(([, s]) => s < 0.8);
      const explain = (name: string): string => {
        const table = report.tables[name.slice(0, name.lastIndexOf('.'))]!;
        const column = table.columns[name.slice(name.lastIndexOf('.') + 1)]!;
        return [...column.metrics.map((m) => `${m.metric} ${m.score} (${m.detail})`), ...column.notes].join('; ');
      };
      expect(low, `columns below 0.8: ${low.map(([c, s]) => `${c} ${s}: ${explain(c)}`).join(' | ')}`).toEqual([]);
      // 9 scored columns (keys included); customers.referrer (high-cardinality codes: no values kept) is not measured, with no score.
      expect(columnScores(report).length).toBeGreaterThanOrEqual(9);
      const referrer = Object.entries(report.tables).find(([k]) => k.endsWith('.customers'))![1].columns['referrer']!;
      expect(referrer.score).toBeNull();
      expect(referrer.notMeasured).toBeTruthy();
    }

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'understudy-fidelity-'));
      profileFile = join(dir, 'profile.json');
      const source = await database('src', skewedDataSql(server.engine, SOURCE_CUSTOMERS, SOURCE_ORDERS));
      const profiled = await runCli(['profile', '--analyze', '--url', source, '--out', profileFile]);
      expect(profiled.code, profiled.stderr).toBe(0);
    }, 300_000);

    afterAll(async () => {
      for (const name of made) await server.drop(name).catch(() => undefined);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('control: an independent sample of the same distributions (a tenth of the rows) scores ≥ 0.9, every column ≥ 0.8', async () => {
      const twin = await database('twin', skewedDataSql(server.engine, SOURCE_CUSTOMERS / 10, SOURCE_ORDERS / 10, 0.17));
      const { code, report } = await fidelity(twin, 0.1, 'independent SQL sample, scale 0.1');
      expectRepresentative(report);
      expect(code).toBe(0);
      // Both tables matched (MariaDB: by name across databases), with FK fan-out compared.
      expect(
        Object.keys(report.tables)
          .map((k) => k.split('.')[1])
          .sort(),
      ).toEqual(['customers', 'orders']);
      expect(Object.values(report.tables).flatMap((t) => t.metrics.map((m) => m.metric))).toContain('fanout');
      // Every categorical column is compared by its frequent values (on MariaDB they exist only
      // in JSON_HB histograms, which `profile --analyze` builds), every number and date by KS.
      const metricOf = (table: string, column: string): string[] =>
        Object.entries(report.tables)
          .find(([k]) => k.endsWith(`.${table}`))![1]
          .columns[column]!.metrics.map((m) => m.metric);
      for (const [table, column] of [
        ['customers', 'country'],
        ['customers', 'tier'],
        ['orders', 'status'],
        ['orders', 'coupon'],
      ]) {
        expect(metricOf(table!, column!), `${table}.${column}`).toContain('tvd');
      }
      for (const [table, column] of [
        ['customers', 'created_at'],
        ['orders', 'amount'],
      ])
        expect(metricOf(table!, column!), `${table}.${column}`).toContain('ks');
    });

    for (const scale of [1, 0.1]) {
      it(`seed --profile at scale ${scale} scores ≥ 0.9 overall and ≥ 0.8 for every column`, async () => {
        const copy = await database(`seed_${String(scale).replace('.', '')}`, skewedDdl(server.engine));
        const seeded = await runCli(['seed', '--url', copy, '--profile', profileFile, '--scale', String(scale), '--json']);
        expect(seeded.code, seeded.stderr).toBe(0);
        const { code, report, stderr } = await fidelity(copy, scale, `seed --profile, scale ${scale}`);
        expectRepresentative(report);
        expect(code, stderr).toBe(0);
      });
    }

    it('control: a seed without the profile (same row counts) scores clearly lower, and --min-score fails it with exit 1', async () => {
      const copy = await database('uniform', skewedDdl(server.engine));
      const config = join(dir, 'uniform.config.json');
      await writeFile(config, JSON.stringify({ seed: 7, tables: { customers: { rows: SOURCE_CUSTOMERS / 10 }, orders: { rows: SOURCE_ORDERS / 10 } } }));
      const seeded = await runCli(['seed', '--url', copy, '--config', config, '--json']);
      expect(seeded.code, seeded.stderr).toBe(0);
      const { code, report, stderr } = await fidelity(copy, 0.1, 'seed without profile, scale 0.1');
      expect(report.overall!).toBeLessThanOrEqual(0.85);
      const twin = scores.get('independent SQL sample, scale 0.1');
      if (twin !== undefined) expect(twin - report.overall!).toBeGreaterThanOrEqual(0.1);
      expect(code).toBe(1);
      expect(stderr).toMatch(/fidelity 0\.\d{3} is below --min-score 0\.9 \(short by 0\.\d{3}\)/);
      console.log(`[${serverName}] scores: ${[...scores].map(([label, s]) => `${label} ${s.toFixed(3)}`).join(' | ')}`);
    });
  });
}
