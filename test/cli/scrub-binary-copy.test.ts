/**
 * PostgreSQL → PostgreSQL, scrub moves rows as binary COPY tuples: only the columns a transform
 * reads or writes are printed, parsed and encoded again; every other field's bytes pass through.
 * The copy must be the one the text path makes (`--text-copy`), with or without a worker, on a
 * source whose server prints dates another way (DateStyle SQL, DMY) in another time zone, for
 * every kind of column a transform touches: permuted integer and uuid keys with their FKs, noise
 * on smallint and numeric(10,3), dates and both timestamps shifted, char(n), text and e-mail
 * fakes, free text, a search vector its trigger remakes, NULLs. A table holding an array of a
 * user-defined enum (whose bytes name a type id the target does not share) takes the text path.
 * Checked by SQL written here and by pg_dump of both copies.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';

const KEY = 'binary-copy-key-0123456789abcdef';
const scratch = scratchEngines('understudy_bincopy');
const postgres = scratch.engines.find((e) => e.name === 'postgres')!;

const SCHEMA = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TABLE people (
  id integer PRIMARY KEY, big bigint UNIQUE, small smallint, code char(8) NOT NULL, name text NOT NULL, email varchar(120),
  born date, seen timestamptz, local_seen timestamp, price numeric(10,3), ratio double precision, active boolean,
  ext uuid UNIQUE, tags text[], mood mood, score positive, doc jsonb, notes text, photo bytea, search tsvector);
CREATE TRIGGER people_search BEFORE INSERT OR UPDATE ON people FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(search, 'pg_catalog.english', notes);
CREATE TABLE memberships (person_id integer REFERENCES people, big bigint REFERENCES people (big), ext uuid REFERENCES people (ext), since date, PRIMARY KEY (person_id, big));
CREATE TABLE visits (id bigint PRIMARY KEY, person_id integer NOT NULL REFERENCES people, at timestamptz NOT NULL, moods mood[]);`;

const DATA = `
INSERT INTO people SELECT CASE WHEN i > 395 THEN 395 - i ELSE i END, CASE WHEN i % 50 = 0 THEN 9007199254740993 + i ELSE 1000000000000 + i * 7 END, (i % 200 - 20)::smallint, 'C' || lpad(i::text, 5, '0'), 'Zebulon Quackenbush ' || i, 'zeb' || i || '@corp.example',
  -- infinities, BC, the ends of years 1 to 9999 (a shift keeps them) and moments outside ±2^52 microseconds of 2000
  CASE i WHEN 7 THEN 'infinity'::date WHEN 8 THEN '-infinity' WHEN 9 THEN date '0044-03-15 BC' WHEN 10 THEN date '9999-12-30' WHEN 11 THEN date '0001-01-02' ELSE date '1960-01-01' + i * 11 END,
  CASE i WHEN 7 THEN 'infinity'::timestamptz WHEN 12 THEN timestamptz '4713-06-01 12:00:00.5+00' WHEN 13 THEN timestamptz '1800-02-03 04:05:06.789+00' WHEN 14 THEN timestamptz '9999-12-31 10:00:00+00'
    ELSE timestamptz '2024-03-09 23:30:00.25-05' + i * interval '7 hours 3 minutes' END,
  CASE i WHEN 7 THEN '-infinity'::timestamp WHEN 12 THEN timestamp '2500-01-01 00:00:00.000001' WHEN 13 THEN timestamp '1200-06-06 06:06:06' WHEN 14 THEN timestamp '0001-01-01 23:59:59'
    ELSE timestamp '2023-10-29 01:15:00' + i * interval '1 day 1 second' END,
  CASE WHEN i % 9 = 0 THEN NULL ELSE round((i * 3.217)::numeric, 3) END, i / 7.0, i % 2 = 0,
  md5(i::text)::uuid, ARRAY['a' || i, 'b'], (ARRAY['sad','ok','happy'])[1 + i % 3]::mood, 1 + i % 50, jsonb_build_object('n', i, 'k', 'v'),
  CASE WHEN i % 4 = 0 THEN 'the order was shipped on time' ELSE 'Called Zebulon at zeb.q' || i || '@example.com' END,
  CASE WHEN i % 5 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END, NULL
FROM generate_series(1, 400) i;
INSERT INTO memberships SELECT id, big, ext, date '2020-02-28' + id FROM people WHERE id % 3 = 1 OR id <= 0 OR big > 9007199254740000;
INSERT INTO visits SELECT CASE WHEN i % 100 = 0 THEN 9007199254740993 + i ELSE i END, 1 + i % 395, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour', ARRAY['ok', 'sad']::mood[] FROM generate_series(1, 900) i;
INSERT INTO visits SELECT -i, -i - 1, timestamptz '2024-02-01 00:00:00+00', NULL FROM generate_series(0, 4) i;`;

const RULES: Record<string, Record<string, string>> = {
  'public.people': {
    id: 'hash',
    big: 'hash',
    small: 'noise',
    code: 'hash',
    name: 'fake:person-name',
    email: 'fake:email',
    born: 'shift-date',
    seen: 'shift-date',
    local_seen: 'shift-date',
    price: 'noise',
    ratio: 'keep',
    active: 'keep',
    ext: 'hash',
    tags: 'keep',
    mood: 'keep',
    score: 'keep',
    doc: 'keep',
    notes: 'text',
    photo: 'hash',
    search: 'keep',
  },
  'public.memberships': { since: 'shift-date' },
  'public.visits': { at: 'shift-date' },
};

const dataDump = (url: string): string => execFileSync('pg_dump', ['--data-only', '--no-owner', '--restrict-key=understudytest', url], { encoding: 'utf8', maxBuffer: 1 << 26 });

describe.skipIf(!postgres.enabled)('scrub: binary COPY from PostgreSQL to PostgreSQL, the same copy as the text path', () => {
  let source: { url: string; query: Query };
  let binary: { url: string; query: Query };
  let text: { url: string; query: Query };
  let policy: string;
  let folder: string | undefined;
  let binaryRun: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    [source, binary, text] = [await postgres.create(), await postgres.create(), await postgres.create()];
    for (const db of [source, binary, text]) await db.query(SCHEMA);
    await source.query(DATA);
    const name = new URL(source.url).pathname.slice(1);
    // the source's own sessions print dates day-first in New York time
    await source.query(`ALTER DATABASE ${name} SET DateStyle = 'SQL, DMY'; ALTER DATABASE ${name} SET TimeZone = 'America/New_York'`);
    folder = await mkdtemp(join(tmpdir(), 'understudy-bincopy-'));
    policy = join(folder, 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', source.url, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    for (const [table, columns] of Object.entries(RULES)) for (const [column, transform] of Object.entries(columns)) p.tables[table]!.columns[column]!.transform = transform;
    await writeFile(policy, JSON.stringify(p));
    binaryRun = await runCli(['scrub', '--source', source.url, '--url', binary.url, '--policy', policy, '--json'], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
  }, 120_000);
  afterAll(async () => {
    await scratch.dropAll();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('moves people and memberships as binary tuples, and visits (an array of an enum) as text', () => {
    expect(binaryRun.code, binaryRun.stderr).toBe(0);
    const copy = Object.fromEntries((JSON.parse(binaryRun.stdout) as { tables: { table: string; copy: string }[] }).tables.map((t) => [t.table, t.copy]));
    expect(copy).toEqual({ 'public.people': 'binary', 'public.memberships': 'binary', 'public.visits': 'text' });
  });

  it('makes the same copy as the text path, byte for byte', async () => {
    const run = await runCli(['scrub', '--source', source.url, '--url', text.url, '--policy', policy, '--text-copy', '--json'], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.code, run.stderr).toBe(0);
    const copy = (JSON.parse(run.stdout) as { tables: { copy: string }[] }).tables.map((t) => t.copy);
    expect(copy).toEqual(['text', 'text', 'text']);
    expect(dataDump(binary.url)).toBe(dataDump(text.url));
  }, 120_000);

  it('makes the same copy with a worker thread rewriting the binary tuples', async () => {
    const pooled = await postgres.create();
    await pooled.query(SCHEMA);
    const run = await runCli(['scrub', '--source', source.url, '--url', pooled.url, '--policy', policy, '--workers', '1', '--json'], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { workers: number; tables: { copy: string }[] };
    expect([result.workers, result.tables.map((t) => t.copy)]).toEqual([1, ['binary', 'binary', 'text']]);
    expect(dataDump(pooled.url)).toBe(dataDump(binary.url));
  }, 120_000);

  it('transforms what the policy says and keeps the rest, by SQL on both databases', async () => {
    const one = async (db: { query: Query }, sql: string): Promise<Record<string, unknown>> => (await db.query(sql))[0]!;
    // kept columns: the same multiset of values (the key is permuted, so compared as sets)
    const kept = `SELECT md5(string_agg(concat_ws('|', ratio, active, tags, mood, score, doc), ',' ORDER BY concat_ws('|', ratio, active, tags, mood, score, doc))) AS h FROM people`;
    expect(await one(binary, kept)).toEqual(await one(source, kept));
    // shifted by whole days: the time of day (UTC) and the NULLs stay, the dates move
    const times = `SELECT md5(string_agg((seen AT TIME ZONE 'UTC')::time::text, ',' ORDER BY (seen AT TIME ZONE 'UTC')::time)) AS seen,
      md5(string_agg(local_seen::time::text, ',' ORDER BY local_seen::time)) AS local_seen, count(born)::int AS born FROM people`;
    expect(await one(binary, times)).toEqual(await one(source, times));
    // a person's dates move together, by whole days, never 0, at most 180 (rows matched by doc's n, which is kept)
    // (rows 7 to 14 hold infinities and the ends of the calendar, which the comparison with the text path covers)
    const days = `SELECT doc->>'n' AS n, born - date '2000-01-01' AS born, local_seen::date - date '2000-01-01' AS local FROM people WHERE (doc->>'n')::int NOT BETWEEN 7 AND 14`;
    const before = new Map((await source.query(days)).map((r) => [r['n'], r]));
    const shifts = (await binary.query(days)).map((r) => {
      const s = before.get(r['n'])!;
      return [Number(r['born']) - Number(s['born']), Number(r['local']) - Number(s['local'])];
    });
    expect(shifts).toHaveLength(392);
    expect(shifts.filter(([b, l]) => b !== l || b === 0 || Math.abs(b!) > 180)).toEqual([]);
    const ends = `SELECT doc->>'n' AS n, born::text AS born, seen::text AS seen, local_seen::text AS local FROM people WHERE (doc->>'n')::int IN (7, 8, 9) ORDER BY 1`;
    expect(await binary.query(ends)).toEqual([
      { n: '7', born: 'infinity', seen: 'infinity', local: '-infinity' },
      { n: '8', born: '-infinity', seen: expect.any(String), local: expect.any(String) },
      { n: '9', born: '0044-03-15 BC', seen: expect.any(String), local: expect.any(String) },
    ]);
    const src = await source.query(`SELECT email, code, name FROM people`);
    const tgt = await binary.query(`SELECT email, code, name FROM people`);
    for (const column of ['email', 'code', 'name']) {
      const before = new Set(src.map((r) => r[column]));
      expect(tgt.filter((r) => before.has(r[column])).length, column).toBeLessThan(tgt.length * 0.05);
    }
    // every join as in the source, through the permuted integer, bigint and uuid keys
    for (const sql of [
      'SELECT count(*)::int AS n FROM memberships m JOIN people p ON p.id = m.person_id',
      'SELECT count(*)::int AS n FROM memberships m JOIN people p ON p.big = m.big',
      'SELECT count(*)::int AS n FROM memberships m JOIN people p ON p.ext = m.ext',
      'SELECT count(*)::int AS n FROM visits v JOIN people p ON p.id = v.person_id',
    ]) {
      expect(await one(binary, sql), sql).toEqual(await one(source, sql));
    }
    // numeric noise keeps the column's scale, and NULLs stay NULL
    const prices = 'SELECT count(*) FILTER (WHERE price IS NULL)::int AS nulls, count(*) FILTER (WHERE price <> round(price, 3))::int AS off, count(photo)::int AS photos FROM people';
    expect(await one(binary, prices)).toEqual({ ...(await one(source, prices)), off: 0 });
    // the vector is the trigger's, from the scrubbed notes; no original name in it or the notes
    const vectors = `SELECT count(*) FILTER (WHERE search IS DISTINCT FROM to_tsvector('english', notes))::int AS stale,
      count(*) FILTER (WHERE notes LIKE '%Zebulon%' OR search::text LIKE '%zebulon%')::int AS leaked FROM people`;
    expect(await one(binary, vectors)).toEqual({ stale: 0, leaked: 0 });
  });
});
