/**
 * Shapes of real schemas tried as a new user on 2026-12-07, last (docs/corpus.md), each reduced to a
 * small DDL written here.
 * - alphagov/e-petitions' `db/structure.sql` (Rails): moments named `<what>_at` by a noun or a bare
 *   verb (`petitions.open_at`, `government_response_at`, `signature_count_reset_at`,
 *   `signatures.petition_email_at`, `admin_users.current_login_at`) came before the row was created
 *   (a third to a half of the rows); `signatures.state varchar(20) DEFAULT 'pending'` (the signature's
 *   lifecycle) held US states (`Alaska`) because `postcode` sits beside it.
 * - invoiceninja's `database/schema/mysql-schema.sql` (a Laravel MySQL dump): numbered columns
 *   (`tax_rate1`…`tax_rate3 decimal(20,6)`, `tax_name1`) were read by no name rule for their
 *   trailing number: tax rates of 7,797.93, tax names as sentences.
 * - invoiceninja's `companies.settings mediumtext` (JSON the app reads with an `object` cast) held
 *   sentences; so did `payments.meta`.
 * - The known leftovers: FixMyStreet's `lang text DEFAULT 'en-gb'` held language names beside its code
 *   default; invoiceninja's `currencies.code` held random codes (`OE5UHJ3`), `symbol` codes (`1C74AH`),
 *   `thousand_separator` and `decimal_separator` sentences.
 * Seeded through the built CLI into PGlite, PostgreSQL (UNDERSTUDY_TEST_PG_URL) and MariaDB
 * (UNDERSTUDY_TEST_MYSQL_URL), then counted in SQL written here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, seedsIntoPgliteAndPostgres, shapeFiles } from '../seed-shapes.js';

const ROWS = 200;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the last shapes on a PostgreSQL server');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the last shapes on MariaDB');

const DDL = `
CREATE TABLE public.petitions (
    id serial PRIMARY KEY,
    action character varying(255) NOT NULL,
    state character varying(10) DEFAULT 'pending'::character varying NOT NULL,
    open_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    government_response_at timestamp without time zone,
    signature_count_reset_at timestamp without time zone
);
CREATE TABLE public.signatures (
    id serial PRIMARY KEY,
    name character varying(255) NOT NULL,
    state character varying(20) DEFAULT 'pending'::character varying NOT NULL,
    postcode character varying(255),
    petition_id integer REFERENCES public.petitions(id),
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    petition_email_at timestamp without time zone
);
CREATE TABLE public.admin_users (
    id serial PRIMARY KEY,
    email character varying(255) NOT NULL,
    current_login_at timestamp without time zone,
    created_at timestamp without time zone NOT NULL,
    updated_at timestamp without time zone NOT NULL
);
CREATE TABLE public.users (
    id serial PRIMARY KEY,
    name text NOT NULL,
    lang text DEFAULT 'en-gb'::text NOT NULL,
    language character varying(255) DEFAULT 'en'::character varying
);
CREATE TABLE public.companies (
    id serial PRIMARY KEY,
    name character varying(191) NOT NULL,
    settings text NOT NULL,
    metadata text,
    short_settings character varying(20)
);
CREATE TABLE public.currencies (
    id serial PRIMARY KEY,
    name character varying(191) NOT NULL,
    code character varying(191) NOT NULL
);
`;

const MOMENTS: Array<[string, string]> = [
  ['petitions', 'open_at'],
  ['petitions', 'government_response_at'],
  ['petitions', 'signature_count_reset_at'],
  ['signatures', 'petition_email_at'],
  ['admin_users', 'current_login_at'],
];

const scratch = scratchEngines('understudy_last');
const scratchPostgres = scratch.engines.find((e) => e.name === 'postgres')!;
const scratchMariadb = scratch.engines.find((e) => e.name === 'mariadb')!;
const files = shapeFiles('understudy-last-shapes-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

async function expectShapes(query: Query): Promise<void> {
  // A moment something happened to the row comes after the row was made.
  for (const [table, column] of MOMENTS) {
    expect(await count(query, `SELECT count(*) FROM public.${table} WHERE ${column} < created_at`), `${table}.${column}`).toBe(0);
    expect(await count(query, `SELECT count(${column}) FROM public.${table}`), `${table}.${column}`).toBeGreaterThan(ROWS / 2);
  }
  // A signature's state is its lifecycle, mostly its default, whatever address sits beside it.
  expect(await count(query, "SELECT count(*) FROM public.signatures WHERE state = 'pending'")).toBeGreaterThan(ROWS / 3);
  expect(await count(query, "SELECT count(*) FROM public.signatures WHERE state !~ '^[a-z_]+$'")).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM public.signatures WHERE petition_id IS NOT NULL')).toBeGreaterThan(0);
  // A language the schema gives as a code (`lang`, a code DEFAULT) holds codes, not names; a currency's code is ISO's.
  const CODE = "'^[a-z]{2,3}([-_][A-Za-z]{2,4})?$'";
  expect(await count(query, `SELECT count(*) FROM public.users WHERE lang !~ ${CODE} OR language !~ ${CODE}`)).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT language) FROM public.users')).toBeGreaterThan(2);
  expect(await count(query, "SELECT count(*) FROM public.currencies WHERE code !~ '^[A-Z]{3}$'")).toBe(0);
  // Settings and metadata kept in a text column (Laravel's `object` casts, Rails' JSON serialize) are JSON objects.
  expect(await count(query, "SELECT count(*) FROM public.companies WHERE settings !~ '^\\{' OR metadata !~ '^\\{'")).toBe(0);
  expect(await count(query, "SELECT count(*) FROM public.companies WHERE jsonb_typeof(settings::jsonb) = 'object' AND jsonb_typeof(metadata::jsonb) = 'object'")).toBeGreaterThan(ROWS / 2);
}

describe('shapes of real schemas tried on 2026-12-07, last', () => {
  seedsIntoPgliteAndPostgres({ ddl: DDL, rows: ROWS, files, postgres: scratchPostgres, expectShapes });

  it.skipIf(!mysqlUrl)(
    'seeds numbered tax columns on MariaDB as tax rates and names, like their unnumbered kind',
    async () => {
      const db = await scratchMariadb.create();
      await db.query(`CREATE TABLE invoices (
        id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
        number varchar(191) DEFAULT NULL,
        tax_name1 varchar(191) NOT NULL DEFAULT '',
        tax_rate1 decimal(20,6) NOT NULL DEFAULT 0.000000,
        tax_name2 varchar(191) NOT NULL DEFAULT '',
        tax_rate2 decimal(20,6) NOT NULL DEFAULT 0.000000,
        tax_rate3 decimal(20,6) NOT NULL DEFAULT 0.000000,
        created_at timestamp(6) NULL DEFAULT NULL,
        sent_at timestamp(6) NULL DEFAULT NULL,
        reminder_at timestamp(6) NULL DEFAULT NULL)`);
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      for (const rate of ['tax_rate1', 'tax_rate2', 'tax_rate3']) {
        expect(await count(db.query, `SELECT count(*) FROM invoices WHERE ${rate} < 0 OR ${rate} > 100`), rate).toBe(0);
        expect(await count(db.query, `SELECT count(DISTINCT ${rate}) FROM invoices`), rate).toBeGreaterThan(3);
      }
      // A tax's name is a short label, not a sentence.
      expect(await count(db.query, "SELECT count(*) FROM invoices WHERE tax_name1 LIKE '% % % %' OR tax_name2 LIKE '% % % %'")).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM invoices WHERE reminder_at < created_at OR sent_at < created_at')).toBe(0);
      await db.query(`CREATE TABLE currencies (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(191) NOT NULL, symbol varchar(191) NOT NULL,
        thousand_separator varchar(191) NOT NULL, decimal_separator varchar(191) NOT NULL, code varchar(191) NOT NULL)`);
      await db.query('CREATE TABLE languages (id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(191) NOT NULL, code varchar(2) NOT NULL)');
      const codes = await runCli(['seed', '--url', db.url, '--rows', String(ROWS), '--only', 'currencies,languages']);
      expect(codes.code, codes.stderr).toBe(0);
      expect(await count(db.query, "SELECT count(*) FROM currencies WHERE code NOT REGEXP BINARY '^[A-Z]{3}$'")).toBe(0);
      // A currency's symbol is short and no code; a separator is one character.
      expect(await count(db.query, "SELECT count(*) FROM currencies WHERE char_length(symbol) > 4 OR symbol REGEXP BINARY '^[A-Z0-9]{4,}$'")).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM currencies WHERE char_length(thousand_separator) <> 1 OR char_length(decimal_separator) <> 1')).toBe(0);
      expect(await count(db.query, "SELECT count(*) FROM languages WHERE code NOT REGEXP BINARY '^[a-z]{2}$'")).toBe(0);
    },
    120_000,
  );
});
