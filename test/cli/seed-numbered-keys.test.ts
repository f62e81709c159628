/**
 * A composite primary key made of a foreign key to a parent plus a number within that parent
 * (`managers (year, team, inseason)` over `team_years (year, team)`): `profile` then `seed
 * --profile` number each parent's children 1, 2, 3 … as production does, with production's
 * fan-out and distinct counts, instead of making the number unique on its own. Checked with SQL
 * written here on the source and on the seeded copy (PostgreSQL).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type ScratchEngine } from '../scratch-databases.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping numbered keys on PostgreSQL');

const PARENTS = 400;
const DDL = [
  `CREATE TABLE team_years (year integer NOT NULL, team char(3) NOT NULL, PRIMARY KEY (year, team))`,
  `CREATE TABLE managers (year integer NOT NULL, team char(3) NOT NULL, inseason integer NOT NULL, games integer NOT NULL,
     PRIMARY KEY (year, team, inseason),
     CONSTRAINT managers_team_fk FOREIGN KEY (year, team) REFERENCES team_years (year, team))`,
];
/** Every team-year has 1 (70%), 2 (20%), 3 (8%) or 4 (2%) managers, numbered 1, 2, 3, 4. */
const DATA = [
  `INSERT INTO team_years SELECT 1960 + g % 40, 'T' || lpad((g / 40)::text, 2, '0') FROM generate_series(0, ${PARENTS - 1}) AS g`,
  `INSERT INTO managers (year, team, inseason, games)
     SELECT t.year, t.team, s, 10 + (t.year * 7 + s) % 150
     FROM (SELECT year, team, row_number() OVER (ORDER BY year, team) AS i FROM team_years) t
     CROSS JOIN LATERAL generate_series(1, CASE WHEN t.i % 50 < 35 THEN 1 WHEN t.i % 50 < 45 THEN 2 WHEN t.i % 50 < 49 THEN 3 ELSE 4 END) AS s`,
];

/** Per-parent numbering, distinct counts and the share of parents with one child. */
const SHAPE_SQL = `SELECT
    (SELECT count(*) FROM managers) AS rows,
    (SELECT count(DISTINCT inseason) FROM managers) AS inseason_distinct,
    (SELECT max(inseason) FROM managers) AS inseason_max,
    (SELECT count(*) FROM (SELECT DISTINCT year, team FROM managers) p) AS parents_with_children,
    (SELECT count(DISTINCT team) FROM managers) AS team_distinct,
    (SELECT count(*) FROM (SELECT year, team FROM managers GROUP BY year, team HAVING min(inseason) <> 1 OR max(inseason) <> count(*)) g) AS not_numbered,
    (SELECT avg(CASE WHEN n = 1 THEN 1.0 ELSE 0 END) FROM (SELECT count(*) AS n FROM managers GROUP BY year, team) g) AS one_child_share`;

const scratch = scratchEngines('understudy_numbered');
afterAll(scratch.dropAll);
const createDb = (): ReturnType<ScratchEngine['create']> => scratch.engines.find((e) => e.name === 'postgres')!.create();

describe.skipIf(!pgUrl)('a composite key numbered within its parent (PostgreSQL)', () => {
  it('profile → seed numbers each parent 1..n with production fan-out and distinct counts', async () => {
    const source = await createDb();
    for (const sql of [...DDL, ...DATA]) await source.query(sql);
    const dir = await mkdtemp(join(tmpdir(), 'understudy-numbered-'));
    const profilePath = join(dir, 'profile.json');
    const taken = await runCli(['profile', '--url', source.url, '--analyze', '--out', profilePath]);
    expect(taken.code, taken.stderr).toBe(0);

    const copy = await createDb();
    for (const sql of DDL) await copy.query(sql);
    const seeded = await runCli(['seed', '--url', copy.url, '--profile', profilePath, '--no-config']);
    expect(seeded.code, seeded.stderr + seeded.stdout).toBe(0);

    const [want] = await source.query(SHAPE_SQL);
    const [got] = await copy.query(SHAPE_SQL);
    expect(Number(got!['rows'])).toBe(Number(want!['rows']));
    // Each parent's children are numbered 1, 2, … n, as in the source.
    expect(Number(got!['not_numbered'])).toBe(0);
    expect(Number(got!['inseason_distinct'])).toBe(Number(want!['inseason_distinct']));
    expect(Number(got!['inseason_max'])).toBe(Number(want!['inseason_max']));
    // Every parent has children in the source; the copy's fan-out follows it.
    expect(Number(got!['parents_with_children'])).toBeGreaterThanOrEqual(Number(want!['parents_with_children']) * 0.95);
    expect(Number(got!['team_distinct'])).toBe(Number(want!['team_distinct']));
    expect(Math.abs(Number(got!['one_child_share']) - Number(want!['one_child_share']))).toBeLessThan(0.05);
  }, 120_000);
});
