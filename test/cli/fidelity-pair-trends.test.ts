/**
 * Pair trends in `fidelity` (issue 19): how two columns move together, kept in a profile from
 * aggregate queries only and scored as SDV does on rows (CorrelationSimilarity = 1 − |Δr|/2,
 * ContingencySimilarity = 1 − total variation over pairs of values, and a parent's column
 * against its number of children). A source with strong trends is profiled, a copy seeded
 * from the profile (which does not reproduce them), and the reported pair scores are checked
 * against the exact ones computed here on both sides' rows, on PostgreSQL and MariaDB.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping pair trends on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping pair trends on MariaDB');

const CUSTOMERS = 2000;
const DDL = [
  `CREATE TABLE customers (id integer PRIMARY KEY, credit numeric(10,2) NOT NULL)`,
  `CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, quantity integer NOT NULL, amount numeric(10,2) NOT NULL, ordered date NOT NULL,
     status varchar(10) NOT NULL, channel varchar(10) NOT NULL, CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id))`,
];

/** Amount and date follow the quantity, the channel the status, and a customer's orders its credit. */
function dataSql(engine: 'postgres' | 'mariadb'): string[] {
  const p = engine === 'postgres';
  const series = (n: number, alias: string): string => (p ? `generate_series(1, ${n}) AS ${alias}(n)` : `seq_1_to_${n} AS ${alias}`);
  const n = (alias: string): string => (p ? `${alias}.n` : `${alias}.seq`);
  const q = `(1 + (${n('k')} * 7 + c.id) % 10)`;
  const ordered = p ? `(DATE '2020-01-01' + (${q} * 30 + (c.id * ${n('k')}) % 20))` : `DATE_ADD(DATE '2020-01-01', INTERVAL (${q} * 30 + (c.id * ${n('k')}) % 20) DAY)`;
  return [
    `INSERT INTO customers (id, credit) SELECT ${n('g')}, (${n('g')} % 100) * 10 + 5 FROM ${series(CUSTOMERS, 'g')}`,
    `INSERT INTO orders (id, customer_id, quantity, amount, ordered, status, channel)
       SELECT row_number() OVER (ORDER BY c.id, ${n('k')}), c.id, ${q}, ${q} * 10 + ((c.id * ${n('k')}) % 500) / 100.0, ${ordered},
         CASE WHEN ${q} <= 3 THEN 'small' WHEN ${q} <= 7 THEN 'medium' ELSE 'large' END,
         CASE WHEN ${q} <= 3 THEN 'web' WHEN (c.id + ${n('k')}) % 2 = 0 THEN 'store' ELSE 'phone' END
       FROM customers c CROSS JOIN ${series(20, 'k')} WHERE ${n('k')} <= 1 + (c.id % 100) / 7`,
  ];
}

/** Pearson's r from sums, over rows (x, y) a query gives. */
function pearsonSql(from: string, x: string, y: string): string {
  return `SELECT count(*) AS n, sum(${x}) AS sx, sum(${y}) AS sy, sum(${x} * ${x}) AS sxx, sum(${y} * ${y}) AS syy, sum(${x} * ${y}) AS sxy FROM ${from}`;
}

async function pearson(query: Query, from: string, x: string, y: string): Promise<number> {
  const [r] = await query(pearsonSql(from, x, y));
  const [n, sx, sy, sxx, syy, sxy] = ['n', 'sx', 'sy', 'sxx', 'syy', 'sxy'].map((k) => Number(r![k]));
  return (n! * sxy! - sx! * sy!) / Math.sqrt((n! * sxx! - sx! * sx!) * (n! * syy! - sy! * sy!));
}

/** Shares of rows per (status, channel). */
async function cells(query: Query): Promise<Map<string, number>> {
  const rows = await query(`SELECT status, channel, count(*) AS c FROM orders GROUP BY status, channel`);
  const total = rows.reduce((s, r) => s + Number(r['c']), 0);
  return new Map(rows.map((r) => [`${String(r['status'])}|${String(r['channel'])}`, Number(r['c']) / total]));
}

interface Exact {
  amount: number;
  ordered: number;
  children: number;
  cells: Map<string, number>;
}

async function exact(query: Query, engine: 'postgres' | 'mariadb'): Promise<Exact> {
  const day = engine === 'postgres' ? `(ordered - DATE '2000-01-01')` : `TO_DAYS(ordered)`;
  const perCustomer = `(SELECT c.credit AS credit, coalesce(n.n, 0) AS k FROM customers c LEFT JOIN (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) n ON n.customer_id = c.id) s`;
  return {
    amount: await pearson(query, 'orders', 'quantity', 'amount'),
    ordered: await pearson(query, 'orders', 'quantity', day),
    children: await pearson(query, perCustomer, 'credit', 'k'),
    cells: await cells(query),
  };
}

const scratch = scratchEngines('understudy_trends');
afterAll(scratch.dropAll);
const ENGINES = scratch.engines;

describe('pair trends: profiled from aggregates, scored by fidelity as on the rows', () => {
  for (const engine of ENGINES) {
    it.skipIf(!engine.enabled)(
      `${engine.name}: correlation, contingency and children-count scores agree with the rows of both sides within 0.05`,
      async () => {
        const source = await engine.create();
        for (const sql of [...DDL, ...dataSql(engine.name)]) await source.query(sql);
        const real = await exact(source.query, engine.name);
        expect(real.amount).toBeGreaterThan(0.9);
        expect(real.ordered).toBeGreaterThan(0.9);
        expect(real.children).toBeGreaterThan(0.9);

        const dir = await mkdtemp(join(tmpdir(), 'understudy-trends-'));
        const profilePath = join(dir, 'profile.json');
        const taken = await runCli(['profile', '--url', source.url, '--analyze', '--out', profilePath]);
        expect(taken.code, taken.stderr).toBe(0);
        const profile = JSON.parse(await readFile(profilePath, 'utf8')) as { tables: Record<string, { trends?: { correlations: Array<{ columns: string[]; r: number }> } }> };
        const orders = Object.entries(profile.tables).find(([k]) => k.endsWith('.orders'))![1];
        // The profile's r is the rows' r (dates as day numbers).
        expect(orders.trends!.correlations.find((c) => c.columns.join() === 'quantity,amount')!.r).toBeCloseTo(real.amount, 3);

        const copy = await engine.create();
        for (const sql of DDL) await copy.query(sql);
        const seeded = await runCli(['seed', '--url', copy.url, '--profile', profilePath, '--json']);
        expect(seeded.code, seeded.stderr).toBe(0);
        const synth = await exact(copy.query, engine.name);

        const scored = await runCli(['fidelity', '--url', copy.url, '--profile', profilePath, '--json']);
        expect(scored.code, scored.stderr).toBe(0);
        type Pair = { kind: string; subject: string; score: number };
        const report = JSON.parse(scored.stdout) as { pairTrends?: { score: number }; tables: Record<string, { pairTrends?: { pairs: Pair[] } }> };
        const pairsOf = (name: string): Pair[] => Object.entries(report.tables).find(([k]) => k.endsWith(`.${name}`))![1].pairTrends?.pairs ?? [];
        const find = (kind: string, subject: string): Pair => {
          const found = pairsOf('orders').find((p) => p.kind === kind && p.subject.startsWith(subject));
          expect(found, `${kind} ${subject} in ${JSON.stringify(pairsOf('orders'))}`).toBeDefined();
          return found!;
        };
        const similarity = (a: number, b: number): number => 1 - Math.abs(a - b) / 2;
        expect(find('correlation', 'quantity, amount').score).toBeCloseTo(similarity(real.amount, synth.amount), 1);
        expect(Math.abs(find('correlation', 'quantity, amount').score - similarity(real.amount, synth.amount))).toBeLessThan(0.05);
        expect(Math.abs(find('correlation', 'quantity, ordered').score - similarity(real.ordered, synth.ordered))).toBeLessThan(0.05);
        expect(Math.abs(find('childCount', 'credit').score - similarity(real.children, synth.children))).toBeLessThan(0.05);
        const keys = new Set([...real.cells.keys(), ...synth.cells.keys()]);
        const tvd = [...keys].reduce((s, k) => s + Math.abs((real.cells.get(k) ?? 0) - (synth.cells.get(k) ?? 0)), 0) / 2;
        expect(Math.abs(find('contingency', 'status, channel').score - (1 - tvd))).toBeLessThan(0.05);
        expect(report.pairTrends!.score).toBeLessThan(0.95);
        const text = await runCli(['fidelity', '--url', copy.url, '--profile', profilePath]);
        expect(text.stdout).toMatch(/pair trends \d\.\d{3} \(\d+ pairs; not in the overall score\)/);
      },
      300_000,
    );
  }
});
