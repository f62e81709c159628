/**
 * Relations between a parent row and its children's rows, learned by `profile` from
 * count-only queries and kept by `seed --profile` (issue 19): an invoice's `total` is the
 * sum of its lines' `unit_price * quantity` (a chinook-like invoice/invoice_line), and an
 * employee's titles are contiguous periods (each `from_date` is the previous title's
 * `to_date`, the last one open until 9999-01-01, as in the MySQL employees data set).
 * Checked with SQL written here on the source and on the seeded copy, on PostgreSQL and
 * MariaDB; `fidelity --url` reports whether the copy keeps them. A column that is not a sum
 * (`discount`) gets no relation.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines } from '../scratch-databases.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping line relations on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping line relations on MariaDB');

const INVOICES = 2000;
const EMPLOYEES = 1000;
const DDL = [
  `CREATE TABLE invoice (invoice_id integer PRIMARY KEY, invoice_date date NOT NULL, discount numeric(10,2) NOT NULL, total numeric(10,2) NOT NULL)`,
  `CREATE TABLE invoice_line (invoice_line_id integer PRIMARY KEY, invoice_id integer NOT NULL, unit_price numeric(10,2) NOT NULL, quantity integer NOT NULL,
     CONSTRAINT invoice_line_invoice_fk FOREIGN KEY (invoice_id) REFERENCES invoice (invoice_id))`,
  `CREATE TABLE employee (emp_no integer PRIMARY KEY, hire_date date NOT NULL)`,
  `CREATE TABLE title (id integer PRIMARY KEY, emp_no integer NOT NULL, title varchar(40) NOT NULL, from_date date NOT NULL, to_date date NOT NULL,
     CONSTRAINT title_employee_fk FOREIGN KEY (emp_no) REFERENCES employee (emp_no))`,
];

/** 1–14 lines per invoice, the total their sum; 1–5 titles per employee, each starting where the previous ended. */
function dataSql(engine: 'postgres' | 'mariadb'): string[] {
  const p = engine === 'postgres';
  const series = (n: number, alias: string): string => (p ? `generate_series(1, ${n}) AS ${alias}(n)` : `seq_1_to_${n} AS ${alias}`);
  const n = (alias: string): string => (p ? `${alias}.n` : `${alias}.seq`);
  const plusDays = (d: string, days: string): string => (p ? `(${d} + (${days})::integer)` : `DATE_ADD(${d}, INTERVAL (${days}) DAY)`);
  const step = `(200 + (e.emp_no * 13) % 500)`;
  return [
    `INSERT INTO invoice (invoice_id, invoice_date, discount, total)
       SELECT ${n('g')}, ${plusDays("DATE '2020-01-01'", `${n('g')} % 700`)}, (${n('g')} % 7) * 0.50, 0 FROM ${series(INVOICES, 'g')}`,
    `INSERT INTO invoice_line (invoice_line_id, invoice_id, unit_price, quantity)
       SELECT row_number() OVER (ORDER BY i.invoice_id, ${n('k')}), i.invoice_id, CASE WHEN (i.invoice_id + ${n('k')}) % 3 = 0 THEN 1.99 ELSE 0.99 END, 1 + (i.invoice_id * ${n('k')}) % 3
       FROM invoice i CROSS JOIN ${series(14, 'k')} WHERE ${n('k')} <= 1 + (i.invoice_id * 7) % 14`,
    `UPDATE invoice SET total = (SELECT sum(l.unit_price * l.quantity) FROM invoice_line l WHERE l.invoice_id = invoice.invoice_id)`,
    `INSERT INTO employee (emp_no, hire_date) SELECT ${n('g')}, ${plusDays("DATE '1990-01-01'", `(${n('g')} * 37) % 5000`)} FROM ${series(EMPLOYEES, 'g')}`,
    `INSERT INTO title (id, emp_no, title, from_date, to_date)
       SELECT row_number() OVER (ORDER BY e.emp_no, ${n('k')}), e.emp_no, CASE WHEN ${n('k')} = 1 THEN 'Engineer' ELSE 'Senior Engineer' END,
         ${plusDays('e.hire_date', `(${n('k')} - 1) * ${step}`)},
         CASE WHEN ${n('k')} = 1 + e.emp_no % 5 THEN DATE '9999-01-01' ELSE ${plusDays('e.hire_date', `${n('k')} * ${step}`)} END
       FROM employee e CROSS JOIN ${series(5, 'k')} WHERE ${n('k')} <= 1 + e.emp_no % 5`,
  ];
}

/** Invoices with lines, and those whose total is their lines' sum. */
const SUM_SQL = `SELECT count(*) AS n, sum(CASE WHEN i.total = s.v THEN 1 ELSE 0 END) AS ok, sum(CASE WHEN i.discount = s.v THEN 1 ELSE 0 END) AS discount_ok
  FROM invoice i JOIN (SELECT invoice_id, sum(unit_price * quantity) AS v FROM invoice_line GROUP BY invoice_id) s ON s.invoice_id = i.invoice_id`;

/** Titles with a previous title of the same employee, and those starting on the day it ended. */
const PERIOD_SQL = `SELECT count(*) AS n, sum(CASE WHEN from_date = prev_to THEN 1 ELSE 0 END) AS ok FROM (
  SELECT from_date, lag(to_date) OVER (PARTITION BY emp_no ORDER BY from_date, to_date) AS prev_to FROM title) w WHERE prev_to IS NOT NULL`;

const scratch = scratchEngines('understudy_lines');
afterAll(scratch.dropAll);
const ENGINES = scratch.engines;

describe('sums of lines and contiguous periods, learned from production and kept by seed --profile', () => {
  for (const engine of ENGINES) {
    it.skipIf(!engine.enabled)(
      `${engine.name}: an invoice's total is its lines' sum, a title starts where the previous one ended, in the copy as in production`,
      async () => {
        const source = await engine.create();
        for (const sql of [...DDL, ...dataSql(engine.name)]) await source.query(sql);
        // The source as production holds it (independent of Understudy).
        const [sourceSums] = await source.query(SUM_SQL);
        expect(Number(sourceSums!['n'])).toBe(INVOICES);
        expect(Number(sourceSums!['ok'])).toBe(INVOICES);
        const [sourcePeriods] = await source.query(PERIOD_SQL);
        expect(Number(sourcePeriods!['n'])).toBeGreaterThan(1000);
        expect(Number(sourcePeriods!['ok'])).toBe(Number(sourcePeriods!['n']));

        const dir = await mkdtemp(join(tmpdir(), 'understudy-lines-'));
        const profilePath = join(dir, 'profile.json');
        const taken = await runCli(['profile', '--url', source.url, '--analyze', '--out', profilePath]);
        expect(taken.code, taken.stderr).toBe(0);
        type Fk = { sums?: Array<{ parentColumn: string; columns: string[]; rows: number; holds: number }>; periods?: unknown[] };
        const profile = JSON.parse(await readFile(profilePath, 'utf8')) as { tables: Record<string, { foreignKeys: Record<string, Fk> }> };
        const tableNamed = (name: string) => Object.entries(profile.tables).find(([k]) => k.endsWith(`.${name}`))![1];
        const lines = tableNamed('invoice_line').foreignKeys['invoice_line_invoice_fk']!;
        expect(lines.sums?.[0]).toEqual({ parentColumn: 'total', columns: ['unit_price', 'quantity'], rows: INVOICES, holds: 1 });
        expect((lines.sums ?? []).filter((s) => s.parentColumn === 'discount')).toEqual([]);
        expect(tableNamed('title').foreignKeys['title_employee_fk']!.periods).toEqual([{ from: 'from_date', to: 'to_date', gap: 0, rows: Number(sourcePeriods!['n']), holds: 1 }]);

        const copy = await engine.create();
        for (const sql of DDL) await copy.query(sql);
        const plan = await runCli(['plan', '--url', copy.url, '--profile', profilePath, '--summary']);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stdout).toMatch(/total[^\n]*profile: sum of [^\n]*invoice_line\.unit_price × quantity through invoice_line_invoice_fk/);
        const seeded = await runCli(['seed', '--url', copy.url, '--profile', profilePath, '--json']);
        expect(seeded.code, seeded.stderr).toBe(0);
        const [copySums] = await copy.query(SUM_SQL);
        expect(Number(copySums!['n'])).toBeGreaterThan(INVOICES * 0.9);
        expect(Number(copySums!['ok'])).toBe(Number(copySums!['n']));
        expect(Number(copySums!['discount_ok']) / Number(copySums!['n'])).toBeLessThan(0.2);
        const [copyPeriods] = await copy.query(PERIOD_SQL);
        expect(Number(copyPeriods!['n'])).toBeGreaterThan(1000);
        expect(Number(copyPeriods!['ok'])).toBe(Number(copyPeriods!['n']));
        // fidelity profiles the copy with the same scans: both relations are there.
        const scored = await runCli(['fidelity', '--url', copy.url, '--profile', profilePath, '--json']);
        expect(scored.code, scored.stderr).toBe(0);
        type Metric = { metric: string; score: number; detail: string };
        const report = JSON.parse(scored.stdout) as { tables: Record<string, { metrics: Metric[] }> };
        const relations = (name: string): Metric | undefined =>
          Object.entries(report.tables)
            .find(([k]) => k.endsWith(`.${name}`))![1]
            .metrics.find((m) => m.metric === 'relations');
        expect(relations('invoice_line')).toMatchObject({ score: 1, detail: expect.stringContaining('kept 1 of 1') });
        expect(relations('title')).toMatchObject({ score: 1 });
      },
      300_000,
    );
  }
});
