/**
 * What production's rows hold, kept by `seed --profile` (issue 19), on OurAirports data
 * (fixtures/data/ourairports, as the corpus loader types it: `text` codes) profiled on
 * PostgreSQL and seeded into empty copies at scale 1 and 0.1. Checked by SQL here on
 * every row of both sides:
 * - unique text keys (countries' 2-letter `code`) and the references to them keep
 *   production's lengths, and the `lengths` score is 1 − the exact TVD over length buckets
 *   (before: a word or code of 3–8 characters with a unique suffix);
 * - with countries kept whole at scale 0.1, regions per country follow production thinned
 *   to the kept share, and the fan-out score is exact against that (before: 0.27);
 * - columns NULL in the same rows in production (a navaid's DME frequency and channel)
 *   are so in the copy, at production's NULL rate (before: independent NULLs, 53%);
 * - a value equal to the parent's across a foreign key in every production row (a region's
 *   `continent` is its country's) is so in the copy (before: 21%).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FidelityReport } from '@understudy/core';
import { repoRoot, runCli } from '../run-cli.js';
import { parseCsv } from './exact-distances.js';

const base = process.env['UNDERSTUDY_TEST_PG_URL'];

async function sql<T extends Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

function urlFor(name: string): string {
  const url = new URL(base!);
  url.pathname = `/${name}`;
  return url.toString();
}

const DDL = [
  'create table countries (id integer primary key, code text not null unique, name text, continent text)',
  'create table regions (id integer primary key, code text not null unique, name text, continent text, iso_country text not null references countries(code))',
  'create table navaids (id integer primary key, ident text, type text, frequency_khz integer, dme_frequency_khz integer, dme_channel text, dme_latitude_deg double precision, dme_longitude_deg double precision)',
];

/** Rows per power-of-two length bucket (1, 2–3, 4–7, …), as shares, counted by SQL on every row. */
async function lengthShares(url: string, table: string, column: string): Promise<Map<number, number>> {
  const rows = await sql<{ b: number; c: string }>(url, `select floor(log(2, char_length(${column})))::int as b, count(*) as c from ${table} where ${column} is not null group by 1`);
  const total = rows.reduce((n, r) => n + Number(r.c), 0);
  return new Map(rows.map((r) => [Number(r.b), Number(r.c) / total]));
}

function tvd(a: Map<number, number>, b: Map<number, number>): number {
  let d = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) d += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0));
  return d / 2;
}

describe.skipIf(!base)('seed --profile: unique text keys and their references follow production lengths (OurAirports, PostgreSQL)', () => {
  const prefix = `understudy_codes_${process.pid}_${Date.now() % 1_000_000}`;
  const made: string[] = [];
  let dir: string;
  let source: string;
  let target: string;
  let report: FidelityReport;
  let tenth: string;
  let reportTenth: FidelityReport;

  async function database(suffix: string): Promise<string> {
    const name = `${prefix}_${suffix}`;
    made.push(name);
    await sql(base!, `create database ${name}`);
    const url = urlFor(name);
    for (const s of DDL) await sql(url, s);
    return url;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'understudy-codes-'));
    source = await database('src');
    for (const [table, file, columns] of [
      ['countries', 'countries.csv', ['id', 'code', 'name', 'continent']],
      ['regions', 'regions.csv', ['id', 'code', 'name', 'continent', 'iso_country']],
      ['navaids', 'navaids.csv', ['id', 'ident', 'type', 'frequency_khz', 'dme_frequency_khz', 'dme_channel', 'dme_latitude_deg', 'dme_longitude_deg']],
    ] as const) {
      const [header, ...rows] = parseCsv(await readFile(join(repoRoot, 'fixtures/data/ourairports', file), 'utf8'));
      const index = columns.map((c) => header!.indexOf(c));
      // Empty CSV fields are NULL, as the corpus loader reads them.
      const numeric = (c: string): boolean => c === 'id' || c.endsWith('_khz') || c.endsWith('_deg');
      const values = rows.filter((x) => x.length > 1).map((r) => index.map((i, k) => (r[i] === undefined || r[i] === null || r[i] === '' ? null : numeric(columns[k]!) ? Number(r[i]) : r[i]!)));
      for (let at = 0; at < values.length; at += 500) {
        const chunk = values.slice(at, at + 500);
        const tuples = chunk.map((r, j) => `(${r.map((_, k) => `$${j * r.length + k + 1}`).join(', ')})`);
        await sql(source, `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`, chunk.flat());
      }
    }
    const profileFile = join(dir, 'profile.json');
    const profiled = await runCli(['profile', '--analyze', '--url', source, '--out', profileFile]);
    expect(profiled.code, profiled.stderr).toBe(0);
    target = await database('copy');
    const seeded = await runCli(['seed', '--url', target, '--profile', profileFile]);
    expect(seeded.code, seeded.stderr).toBe(0);
    const scored = await runCli(['fidelity', '--profile', profileFile, '--url', target, '--json']);
    expect(scored.stdout, scored.stderr).toMatch(/^\{/);
    report = JSON.parse(scored.stdout) as FidelityReport;
    tenth = await database('tenth');
    const seededTenth = await runCli(['seed', '--url', tenth, '--profile', profileFile, '--scale', '0.1']);
    expect(seededTenth.code, seededTenth.stderr).toBe(0);
    const scoredTenth = await runCli(['fidelity', '--profile', profileFile, '--url', tenth, '--scale', '0.1', '--json']);
    expect(scoredTenth.stdout, scoredTenth.stderr).toMatch(/^\{/);
    reportTenth = JSON.parse(scoredTenth.stdout) as FidelityReport;
  }, 600_000);

  afterAll(async () => {
    for (const name of made) await sql(base!, `drop database if exists ${name} with (force)`).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps the 2-letter country codes 2 letters long, unique, and the references to them too', async () => {
    const [src] = await sql<{ lengths: number[] }>(source, 'select array_agg(distinct char_length(code)) as lengths from countries');
    expect(src!.lengths).toEqual([2]);
    const [copy] = await sql<{ n: string; distinct: string; lengths: number[] }>(
      target,
      'select count(*) as n, count(distinct code) as distinct, array_agg(distinct char_length(code)) as lengths from countries',
    );
    expect(Number(copy!.n)).toBeGreaterThan(200);
    expect(copy!.distinct).toBe(copy!.n);
    expect(copy!.lengths).toEqual([2]);
    const [refs] = await sql<{ lengths: number[]; orphans: string }>(
      target,
      'select array_agg(distinct char_length(iso_country)) as lengths, count(*) filter (where not exists (select 1 from countries c where c.code = r.iso_country)) as orphans from regions r',
    );
    expect(refs!.lengths).toEqual([2]);
    expect(Number(refs!.orphans)).toBe(0);
  });

  it("reports each text key's lengths score as 1 − the exact total variation over length buckets, and ≥ 0.95", async () => {
    const lines: string[] = [];
    for (const [table, column] of [
      ['countries', 'code'],
      ['regions', 'code'],
      ['regions', 'iso_country'],
    ] as const) {
      const exact = tvd(await lengthShares(source, table, column), await lengthShares(target, table, column));
      const reported = report.tables[`public.${table}`]!.columns[column]!.metrics.find((m) => m.metric === 'lengths');
      lines.push(`${table}.${column}: reported ${reported?.score}, exact ${(1 - exact).toFixed(3)}`);
      expect(reported, lines.join('\n')).toBeDefined();
      expect(Math.abs(reported!.score - (1 - exact)), lines.join('\n')).toBeLessThanOrEqual(0.01);
      expect(1 - exact, lines.join('\n')).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('at scale 0.1, with countries kept whole: regions per country follow production thinned to the kept share, and the fan-out score is exact', async () => {
    const count = async (url: string, table: string): Promise<number> => Number((await sql<{ n: string }>(url, `select count(*) as n from ${table}`))[0]!.n);
    const [srcCountries, srcRegions, copyCountries, copyRegions] = [await count(source, 'countries'), await count(source, 'regions'), await count(tenth, 'countries'), await count(tenth, 'regions')];
    expect(copyCountries).toBe(srcCountries);
    expect(copyRegions).toBeLessThan(srcRegions / 5);
    const keep = copyRegions / srcRegions / (copyCountries / srcCountries);
    // Expected: every production country with c regions keeps Binomial(c, keep) of them; exact per country.
    const perCountry = async (url: string): Promise<number[]> =>
      (await sql<{ c: string }>(url, 'select count(r.id) as c from countries k left join regions r on r.iso_country = k.code group by k.code')).map((r) => Number(r.c));
    const bucket = (n: number): number => (n <= 0 ? -1 : Math.floor(Math.log2(n)));
    const expected = new Map<number, number>();
    const production = await perCountry(source);
    for (const c of production) {
      let p = (1 - keep) ** c;
      for (let k = 0; k <= c; k++) {
        expected.set(bucket(k), (expected.get(bucket(k)) ?? 0) + p / production.length);
        p = (p * (c - k) * keep) / ((k + 1) * (1 - keep));
      }
    }
    const copy = await perCountry(tenth);
    const observed = new Map<number, number>();
    for (const c of copy) observed.set(bucket(c), (observed.get(bucket(c)) ?? 0) + 1 / copy.length);
    const exact = 1 - tvd(expected, observed);
    const reported = reportTenth.tables['public.regions']!.metrics.find((m) => m.metric === 'fanout');
    const line = `regions → countries fan-out at scale 0.1 (keep ${keep.toFixed(3)}): reported ${reported?.score}, exact ${exact.toFixed(3)}`;
    console.log(line);
    expect(reported, line).toBeDefined();
    expect(Math.abs(reported!.score - exact), line).toBeLessThanOrEqual(0.03);
    expect(exact, line).toBeGreaterThanOrEqual(0.9);
  });

  it('keeps columns NULL in the same rows together, at production NULL rate', async () => {
    // A navaid's DME frequency and channel: NULL together in 5,997 of 6,000 rows, NULL in 63% of them.
    const shares = async (url: string): Promise<{ n: number; together: number; nulls: number }> => {
      const [r] = await sql<{ n: string; together: string; nulls: string }>(
        url,
        'select count(*) as n, sum(case when (dme_frequency_khz is null) = (dme_channel is null) then 1 else 0 end) as together, sum(case when dme_frequency_khz is null then 1 else 0 end) as nulls from navaids',
      );
      return { n: Number(r!.n), together: Number(r!.together), nulls: Number(r!.nulls) };
    };
    const src = await shares(source);
    expect(src.together / src.n).toBeGreaterThanOrEqual(0.999);
    for (const url of [target, tenth]) {
      const copy = await shares(url);
      const line = `copy: ${copy.together} of ${copy.n} rows NULL together, ${copy.nulls} NULL (production: ${src.together} of ${src.n} together, ${src.nulls} NULL)`;
      expect(copy.together / copy.n, line).toBeGreaterThanOrEqual(0.999);
      expect(Math.abs(copy.nulls / copy.n - src.nulls / src.n), line).toBeLessThan(0.03);
    }
  });

  it("keeps a region's continent its country's, as in every production row", async () => {
    const query =
      'select count(*) as n, sum(case when r.continent = c.continent then 1 else 0 end) as same from regions r join countries c on c.code = r.iso_country where r.continent is not null and c.continent is not null';
    const [src] = await sql<{ n: string; same: string }>(source, query);
    expect(Number(src!.same)).toBe(Number(src!.n));
    for (const url of [target, tenth]) {
      const [copy] = await sql<{ n: string; same: string }>(url, query);
      expect(Number(copy!.n)).toBeGreaterThan(100);
      expect(Number(copy!.same) / Number(copy!.n), `${copy!.same} of ${copy!.n}`).toBeGreaterThanOrEqual(0.99);
    }
  });
});
