/**
 * Shapes of real schemas that failed `seed` or seeded unrealistic rows (travis-ci's
 * `travis-migrations` `db/main/structure.sql`, and others; see docs/corpus.md, "Real schemas
 * tried as a new user (2026-12-07, evening)"), each reduced to a small DDL written here:
 * a text column an index casts to a number (`CREATE INDEX … ON builds (repository_id,
 * ((number)::integer))`: the index build casts every row, and "value "8591298769" is out of
 * range for type integer" failed the whole load); and a settings table (elabftw's `users` on
 * MariaDB, Synapse's on PostgreSQL) whose small integers default to 0 or 1 (flags: they held
 * 0–100) and whose text defaults (`lang varchar(5) DEFAULT 'en_GB'`, held cut language names,
 * `Malag`) are what most rows hold. Seeded through the built CLI into PGlite, PostgreSQL
 * (UNDERSTUDY_TEST_PG_URL) and MariaDB (UNDERSTUDY_TEST_MYSQL_URL), then counted again in SQL
 * written here. Also a domain over a domain (PostgREST's `tsvector_not_empty` over
 * `tsvector_not_null`: the base's CHECK was not read) and a table of no columns (`create table
 * ov_json ()`: a COPY of no columns).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, seedsIntoPgliteAndPostgres, shapeFiles } from '../seed-shapes.js';

const ROWS = 300;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the evening shapes on a PostgreSQL server');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the evening shapes on MariaDB');

/** A settings table, as both engines write it. */
const settings = (tiny: string) => `CREATE TABLE user_settings (userid integer NOT NULL PRIMARY KEY,
  deactivated smallint DEFAULT 0 NOT NULL, use_markdown ${tiny} NOT NULL DEFAULT 0, notif_comment_created ${tiny} NOT NULL DEFAULT 1,
  login_count smallint NOT NULL DEFAULT 0, lang varchar(5) NOT NULL DEFAULT 'en_GB', sort varchar(255) NOT NULL DEFAULT 'desc')`;

const DDL = `
CREATE TABLE repositories (id serial PRIMARY KEY, name varchar NOT NULL);
-- Build numbers kept as text, indexed (and one unique) as numbers of several types.
CREATE TABLE builds (id bigserial PRIMARY KEY, repository_id integer REFERENCES repositories (id),
  number character varying, build_code text, short_ref varchar(4), external_seq text, created_at timestamp);
CREATE INDEX index_builds_on_repository_id_and_number ON builds USING btree (repository_id, ((number)::integer));
CREATE INDEX index_builds_on_code ON builds (CAST(build_code AS smallint));
CREATE UNIQUE INDEX index_builds_on_short_ref ON builds (((short_ref)::int));
CREATE INDEX index_builds_positive_seq ON builds (id) WHERE ((external_seq)::bigint > 0);
${settings('smallint')};
-- A domain over a domain: the base's CHECKs hold too (PostgREST's test schema), and a table of no columns.
CREATE DOMAIN tsvector_not_null AS tsvector CONSTRAINT "tsvector is required" CHECK (value IS NOT NULL);
CREATE DOMAIN tsvector_not_empty AS tsvector_not_null CONSTRAINT "tsvector is required and not empty" CHECK (value <> '');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE DOMAIN small_positive AS positive CHECK (VALUE < 100);
CREATE TABLE searches (id serial PRIMARY KEY, doc tsvector_not_empty DEFAULT '.', n small_positive);
CREATE TABLE markers ();
`;
const MYSQL_DDL = `${settings('tinyint(3) unsigned')}`;

const scratch = scratchEngines('understudy_evening');
const scratchPostgres = scratch.engines.find((e) => e.name === 'postgres')!;
const scratchMariadb = scratch.engines.find((e) => e.name === 'mariadb')!;

const files = shapeFiles('understudy-evening-shapes-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

/** Flags of 0 and 1, mostly at their defaults; a count stays a count; text defaults in most rows, a locale code where a name cannot fit. */
async function expectSettings(query: Query): Promise<void> {
  expect(await count(query, 'SELECT count(*) FROM user_settings')).toBe(ROWS);
  for (const [column, usual] of [
    ['deactivated', 0],
    ['use_markdown', 0],
    ['notif_comment_created', 1],
  ] as const) {
    expect(await count(query, `SELECT count(*) FROM user_settings WHERE ${column} NOT IN (0, 1)`), column).toBe(0);
    expect(await count(query, `SELECT count(*) FROM user_settings WHERE ${column} = ${usual}`), column).toBeGreaterThan(ROWS * 0.7);
    expect(await count(query, `SELECT count(*) FROM user_settings WHERE ${column} = ${1 - usual}`), column).toBeGreaterThan(0);
  }
  expect(await count(query, 'SELECT count(DISTINCT login_count) FROM user_settings')).toBeGreaterThan(5);
  expect(await count(query, "SELECT count(*) FROM user_settings WHERE lang = 'en_GB'")).toBeGreaterThan(ROWS / 2);
  expect(await count(query, "SELECT count(*) FROM user_settings WHERE lang NOT LIKE '__\\___'")).toBe(0);
  expect(await count(query, "SELECT count(*) FROM user_settings WHERE sort = 'desc'")).toBeGreaterThan(ROWS / 2);
}

async function expectShapes(query: Query): Promise<void> {
  await expectSettings(query);
  // The base domain's CHECKs hold (before: "value for domain tsvector_not_empty violates check constraint "tsvector is required"").
  expect(await count(query, 'SELECT count(*) FROM searches')).toBe(ROWS);
  expect(await count(query, "SELECT count(*) FROM searches WHERE doc IS NULL OR doc = ''")).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM searches WHERE n <= 0 OR n >= 100')).toBe(0);
  // A table of no columns gets no rows (before: a COPY of no columns, "syntax error at or near ")"").
  expect(await count(query, 'SELECT count(*) FROM markers')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM builds')).toBe(ROWS);
  // Every value the indexes cast is a number of the type, written as an application writes it (no leading zero).
  expect(await count(query, "SELECT count(*) FROM builds WHERE number IS NOT NULL AND number !~ '^[1-9][0-9]*$'")).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM builds WHERE number IS NOT NULL')).toBeGreaterThan(ROWS / 2);
  expect(await count(query, 'SELECT count(*) FROM builds WHERE number::bigint > 2147483647')).toBe(0);
  expect(await count(query, "SELECT count(*) FROM builds WHERE build_code !~ '^[1-9][0-9]*$' OR build_code::bigint > 32767")).toBe(0);
  expect(await count(query, "SELECT count(*) FROM builds WHERE external_seq !~ '^[1-9][0-9]*$'")).toBe(0);
  // The unique one: distinct numbers, within the column's 4 characters.
  expect(await count(query, "SELECT count(DISTINCT short_ref::int) FROM builds WHERE short_ref ~ '^[1-9][0-9]{0,3}$'")).toBe(await count(query, 'SELECT count(short_ref) FROM builds'));
  expect(await count(query, 'SELECT count(short_ref) FROM builds')).toBeGreaterThan(ROWS / 2);
}

describe('shapes of real schemas tried on 2026-12-07 (evening)', () => {
  seedsIntoPgliteAndPostgres({ ddl: DDL, rows: ROWS, files, postgres: scratchPostgres, expectShapes });

  it.skipIf(!mysqlUrl)(
    'seeds the settings table into MariaDB, and the rows hold in SQL',
    async () => {
      const db = await scratchMariadb.create();
      await db.query(MYSQL_DDL);
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      await expectSettings(db.query);
    },
    120_000,
  );
});
