/**
 * Orders between date/time columns that production's rows hold, learned by `profile`
 * from count-only queries and kept by `seed --profile`, where the column names say
 * nothing (`t_land` after `t_board`, `cover_end` after `board_day`). Checked with SQL
 * written here on the source and on the seeded copy, on PostgreSQL and MariaDB; an
 * independent column (`audit_day`) gets no order. Across a foreign key: a charge's
 * `guest_id` is its stay's, and its `t_charge` comes after the stay's `t_in`.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping profile orders on PostgreSQL');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping profile orders on MariaDB');

const ROWS = 20_000;
const GUESTS = 500;
const STAYS = 5000;
const CHARGES = 20_000;
const PARENT_CHILD_DDL = [
  `CREATE TABLE guests (id integer PRIMARY KEY, label varchar(20) NOT NULL)`,
  `CREATE TABLE stays (id integer PRIMARY KEY, guest_id integer NOT NULL, t_in timestamp NOT NULL,
     CONSTRAINT stays_guest_fk FOREIGN KEY (guest_id) REFERENCES guests (id))`,
  `CREATE TABLE charges (id integer PRIMARY KEY, stay_id integer NOT NULL, guest_id integer NOT NULL, t_charge timestamp NOT NULL,
     CONSTRAINT charges_stay_fk FOREIGN KEY (stay_id) REFERENCES stays (id),
     CONSTRAINT charges_guest_fk FOREIGN KEY (guest_id) REFERENCES guests (id))`,
];
const DDL = `CREATE TABLE trips (
  id integer PRIMARY KEY,
  t_board timestamp NOT NULL,
  t_land timestamp NULL,
  board_day date NOT NULL,
  cover_end date NOT NULL,
  audit_day date NOT NULL
)`;

function dataSql(engine: 'postgres' | 'mariadb'): string[] {
  const p = engine === 'postgres';
  const rnd = p ? 'random()' : 'RAND()';
  const g = p ? 'g' : 's.seq';
  const from = p ? `generate_series(1, ${ROWS}) AS g` : `seq_1_to_${ROWS} AS s`;
  const board = p ? `(timestamp '2023-01-01 00:00:00' + (${g} * 3001 % 63072000) * interval '1 second')` : `(TIMESTAMP '2023-01-01 00:00:00' + INTERVAL (${g} * 3001 % 63072000) SECOND)`;
  const hours = (h: string): string => (p ? `${h} * interval '1 hour'` : `INTERVAL ${h} HOUR`);
  const days = (d: string): string => (p ? `${d} * interval '1 day'` : `INTERVAL ${d} DAY`);
  const day = (t: string): string => (p ? `(${t})::date` : `DATE(${t})`);
  return [
    ...(p ? ['SELECT setseed(0.5)'] : []),
    `INSERT INTO trips (id, t_board, t_land, board_day, cover_end, audit_day)
     SELECT ${g}, ${board},
       CASE WHEN ${g} % 20 = 0 THEN NULL ELSE ${board} + ${hours(`(1 + FLOOR(${rnd} * 10))`)} END,
       ${day(board)},
       CASE WHEN ${g} % 10 < 7 THEN DATE '9999-12-31' ELSE ${day(`${board} + ${days(`(30 + FLOOR(${rnd} * 335))`)}`)} END,
       ${day(`${p ? "timestamp '2023-01-01 00:00:00'" : "TIMESTAMP '2023-01-01 00:00:00'"} + ${days(`FLOOR(${rnd} * 730)`)}`)}
     FROM ${from}`,
  ];
}

/** A charge belongs to its stay's guest and comes 0–48 hours after the stay began. */
function parentChildSql(engine: 'postgres' | 'mariadb'): string[] {
  const p = engine === 'postgres';
  const rnd = p ? 'random()' : 'RAND()';
  const series = (n: number): string => (p ? `generate_series(1, ${n}) AS g` : `seq_1_to_${n} AS s`);
  const g = p ? 'g' : 's.seq';
  const start = p ? `timestamp '2023-01-01 00:00:00' + (${g} * 7919 % 63072000) * interval '1 second'` : `TIMESTAMP '2023-01-01 00:00:00' + INTERVAL (${g} * 7919 % 63072000) SECOND`;
  const later = p ? `s.t_in + floor(${rnd} * 172800) * interval '1 second'` : `st.t_in + INTERVAL FLOOR(${rnd} * 172800) SECOND`;
  return [
    `INSERT INTO guests (id, label) SELECT ${g}, CONCAT('g', ${g}) FROM ${series(GUESTS)}`,
    `INSERT INTO stays (id, guest_id, t_in) SELECT ${g}, 1 + (${g} * 37) % ${GUESTS}, ${start} FROM ${series(STAYS)}`,
    p
      ? `INSERT INTO charges (id, stay_id, guest_id, t_charge) SELECT g, s.id, s.guest_id, ${later} FROM generate_series(1, ${CHARGES}) AS g JOIN stays s ON s.id = 1 + (g * 13) % ${STAYS}`
      : `INSERT INTO charges (id, stay_id, guest_id, t_charge) SELECT s.seq, st.id, st.guest_id, ${later} FROM seq_1_to_${CHARGES} AS s JOIN stays st ON st.id = 1 + (s.seq * 13) % ${STAYS}`,
  ];
}

const CHILD_SQL = `SELECT count(*) AS n, sum(CASE WHEN c.guest_id = s.guest_id THEN 1 ELSE 0 END) AS same_guest, sum(CASE WHEN c.t_charge >= s.t_in THEN 1 ELSE 0 END) AS after_stay
  FROM charges c JOIN stays s ON s.id = c.stay_id`;

/** Share of rows (both set) where `later >= earlier`. */
const SHARE_SQL = (earlier: string, later: string): string =>
  `SELECT count(*) AS n, sum(CASE WHEN ${later} >= ${earlier} THEN 1 ELSE 0 END) AS ok FROM trips WHERE ${earlier} IS NOT NULL AND ${later} IS NOT NULL`;

async function share(query: Query, earlier: string, later: string): Promise<number> {
  const [row] = await query(SHARE_SQL(earlier, later));
  return Number(row!['ok']) / Number(row!['n']);
}

const scratch = scratchEngines('understudy_orders');
afterAll(scratch.dropAll);
const ENGINES = scratch.engines;

describe('orders between date/time columns, learned from production and kept by seed --profile', () => {
  for (const engine of ENGINES) {
    it.skipIf(!engine.enabled)(
      `${engine.name}: t_land after t_board, cover_end after board_day, in ≥ 99% of the copy's rows; audit_day free; a charge's guest and time follow its stay`,
      async () => {
        const source = await engine.create();
        await source.query(DDL);
        for (const sql of dataSql(engine.name)) await source.query(sql);
        for (const sql of [...PARENT_CHILD_DDL, ...parentChildSql(engine.name)]) await source.query(sql);
        const [sourceChild] = await source.query(CHILD_SQL);
        expect(Number(sourceChild!['same_guest'])).toBe(CHARGES);
        expect(Number(sourceChild!['after_stay'])).toBe(CHARGES);
        // The source as production holds it (independent of Understudy).
        expect(await share(source.query, 't_board', 't_land')).toBe(1);
        expect(await share(source.query, 'board_day', 'cover_end')).toBe(1);
        const auditShare = await share(source.query, 'board_day', 'audit_day');
        expect(auditShare).toBeGreaterThan(0.2);
        expect(auditShare).toBeLessThan(0.8);

        const dir = await mkdtemp(join(tmpdir(), 'understudy-orders-'));
        const profilePath = join(dir, 'profile.json');
        const taken = await runCli(['profile', '--url', source.url, '--analyze', '--out', profilePath]);
        expect(taken.code, taken.stderr).toBe(0);
        const profile = JSON.parse(await readFile(profilePath, 'utf8')) as { tables: Record<string, { orders?: Array<{ earlier: string; later: string; rows: number; holds: number }> }> };
        const tableNamed = (name: string) => Object.entries(profile.tables).find(([k]) => k.endsWith(`.${name}`))![1];
        const orders = tableNamed('trips').orders ?? [];
        const chargeStay = (tableNamed('charges') as unknown as { foreignKeys: Record<string, { agrees?: unknown[]; orders?: unknown[] }> }).foreignKeys['charges_stay_fk']!;
        expect(chargeStay.agrees).toEqual([{ column: 'guest_id', parentColumn: 'guest_id', rows: CHARGES, holds: 1 }]);
        expect(chargeStay.orders).toEqual([{ column: 't_charge', parentColumn: 't_in', rows: CHARGES, holds: 1 }]);
        expect(orders).toContainEqual({ earlier: 't_board', later: 't_land', rows: ROWS - ROWS / 20, holds: 1 });
        expect(orders).toContainEqual({ earlier: 'board_day', later: 'cover_end', rows: ROWS, holds: 1 });
        expect(orders.filter((o) => o.earlier === 'audit_day' || o.later === 'audit_day')).toEqual([]);

        const copy = await engine.create();
        await copy.query(DDL);
        for (const sql of PARENT_CHILD_DDL) await copy.query(sql);
        const plan = await runCli(['plan', '--url', copy.url, '--profile', profilePath, '--summary']);
        expect(plan.code, plan.stderr).toBe(0);
        expect(plan.stdout).toMatch(/t_land[^\n]*profile: after t_board in 100% of 19,000 rows/);
        const seeded = await runCli(['seed', '--url', copy.url, '--profile', profilePath, '--json']);
        expect(seeded.code, seeded.stderr).toBe(0);
        expect(await share(copy.query, 't_board', 't_land')).toBeGreaterThanOrEqual(0.99);
        expect(await share(copy.query, 'board_day', 'cover_end')).toBeGreaterThanOrEqual(0.99);
        // Across the foreign key: each charge's guest is its stay's, and it comes after the stay began.
        const [copyChild] = await copy.query(CHILD_SQL);
        const charges = Number(copyChild!['n']);
        expect(charges).toBe(CHARGES);
        expect(Number(copyChild!['same_guest']) / charges).toBeGreaterThanOrEqual(0.99);
        expect(Number(copyChild!['after_stay']) / charges).toBeGreaterThanOrEqual(0.99);
        expect(plan.stdout).toMatch(/guest_id[^\n]*profile: equal to [^\n]*stays\.guest_id through charges_stay_fk/);
        // The free column stays free: no order was imposed on it.
        const copyAudit = await share(copy.query, 'board_day', 'audit_day');
        expect(copyAudit).toBeLessThan(0.95);
      },
      300_000,
    );
  }
});
