/**
 * Shapes of real schemas tried as a new user on 2026-12-07, night (docs/corpus.md), each reduced to a
 * small DDL written here. graphile/starter's `data/schema.sql`, a pg_dump of a PostgreSQL app:
 * - a regex CHECK over a citext column uses citext's own operator, which PostgreSQL prints with
 *   its schema when the schema is read (`username OPERATOR(public.~) '^…$'::public.citext`, on
 *   PGlite and on a server alike): it was not understood, and the user names broke the CHECK
 *   ("violates check constraint users_username_check");
 * - a unique user name under `^[a-zA-Z]([_]?[a-zA-Z0-9])+$` (an optional part inside a repeat)
 *   could not be enumerated: `users` was planned with 0 rows, and every table referencing it failed
 *   the plan ("must reference app_public.users, which is planned with 0 rows");
 * - an e-mail or URL under a regex CHECK (`email ~ '[^@]+@[^@]+\.[^@]+'`, `avatar_url ~
 *   '^https?://[^/]+'`) held the pattern's own strings (`6>7$6@?.9`, `https://cVtJ?_`): the
 *   name's values now, wherever they match.
 * Openfire's `openfire_mariadb.sql` / `openfire_postgresql.sql` (a Java XMPP server, 34 tables):
 * - moments kept in text (`creationDate CHAR(15)`, `modificationDate`, `lockedDate`) held words
 *   (`yellow`, `pomelo`): dates or timestamps as the width allows, a modification after creation;
 * - yes-or-no settings in small integers with no default (`canInvite`, `membersOnly`, `moderated`
 *   TINYINT NOT NULL) held 0–100: flags.
 * kan's drizzle schema (`packages/db/src/schema`, a kanban app):
 * - `publicId varchar(12) UNIQUE`, read as a uuid, held a cut uuid and a suffix (`1b2751da-0`):
 *   hex digits of the width now;
 * - `deletedBy` named a user on rows whose `deletedAt` was NULL: who and when are NULL together.
 * rubytoolbox's `db/structure.sql`: `CHECK (rubygem_name IS NULL OR rubygem_name = permalink)` (a
 * column equal to another, not understood) failed the whole load; the column now takes the NULL
 * branch it allows, and the seed loads.
 * FixMyStreet's `users.phone` under a partial unique index held a phone and a suffix
 * (`(507) 499-4059 x47334 0`): distinct numbers of one format now.
 * Seeded through the built CLI into PGlite, PostgreSQL (UNDERSTUDY_TEST_PG_URL) and MariaDB
 * (UNDERSTUDY_TEST_MYSQL_URL), then counted in SQL written here.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, queryKeptPglite, shapeFiles } from '../seed-shapes.js';

const ROWS = 200;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the December shapes on a PostgreSQL server');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the December shapes on MariaDB');

const DDL = `
SET check_function_bodies = false;
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
SELECT pg_catalog.set_config('search_path', '', false);
CREATE SCHEMA app_public;
CREATE TABLE app_public.users (
    id integer NOT NULL,
    username public.citext NOT NULL,
    avatar_url text,
    phone text,
    phone_verified boolean DEFAULT false NOT NULL,
    CONSTRAINT users_avatar_url_check CHECK ((avatar_url ~ '^https?://[^/]+'::text)),
    CONSTRAINT users_username_check CHECK (((length((username)::text) >= 2) AND (length((username)::text) <= 24) AND (username OPERATOR(public.~) '^[a-zA-Z]([_]?[a-zA-Z0-9])+$'::public.citext)))
);
CREATE TABLE app_public.user_emails (
    id integer NOT NULL,
    user_id integer NOT NULL,
    email public.citext NOT NULL,
    backup_email text,
    is_verified boolean DEFAULT false NOT NULL,
    CONSTRAINT user_emails_email_check CHECK ((email OPERATOR(public.~) '[^@]+@[^@]+\\.[^@]+'::public.citext)),
    CONSTRAINT user_emails_backup_email_check CHECK ((backup_email ~* '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$'))
);
ALTER TABLE ONLY app_public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);
ALTER TABLE ONLY app_public.users ADD CONSTRAINT users_username_key UNIQUE (username);
CREATE UNIQUE INDEX users_phone_verified_unique ON app_public.users (phone) WHERE phone_verified;
ALTER TABLE ONLY app_public.user_emails ADD CONSTRAINT user_emails_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX uniq_user_emails_verified_email ON app_public.user_emails USING btree (email) WHERE (is_verified IS TRUE);
ALTER TABLE ONLY app_public.user_emails ADD CONSTRAINT user_emails_user_id_fkey FOREIGN KEY (user_id) REFERENCES app_public.users(id) ON DELETE CASCADE;
CREATE TABLE public.workspace (
    id bigserial PRIMARY KEY,
    "publicId" varchar(12) NOT NULL UNIQUE,
    "createdAt" timestamp DEFAULT now() NOT NULL,
    "deletedAt" timestamp,
    "deletedBy" integer REFERENCES app_public.users(id) ON DELETE SET NULL,
    archived_on date,
    archived_by_user_id integer REFERENCES app_public.users(id)
);
CREATE TABLE public.rubygems (name character varying NOT NULL PRIMARY KEY, downloads bigint);
CREATE TABLE public.projects (
    permalink character varying NOT NULL PRIMARY KEY,
    rubygem_name character varying REFERENCES public.rubygems(name),
    CONSTRAINT check_project_permalink_and_rubygem_name_parity CHECK (((rubygem_name IS NULL) OR ((rubygem_name)::text = (permalink)::text)))
);
`;

/** How each engine quotes a name: Openfire's names are CamelCase. */
type Quote = (name: string) => string;
const pgQuote: Quote = (n) => `"${n}"`;
const myQuote: Quote = (n) => `\`${n}\``;

/** A chat room as Openfire keeps it: moments in text, settings in small integers. */
const room = (small: string, q: Quote, table: string) => `CREATE TABLE ${table} (
  ${q('roomID')} BIGINT NOT NULL PRIMARY KEY, ${q('creationDate')} CHAR(15) NOT NULL, ${q('modificationDate')} CHAR(15) NOT NULL,
  ${q('lockedDate')} CHAR(15) NOT NULL, ${q('created_on')} VARCHAR(30), ${q('note_date')} VARCHAR(6),
  ${q('canInvite')} ${small} NOT NULL, ${q('membersOnly')} ${small} NOT NULL, ${q('moderated')} ${small} NOT NULL,
  ${q('useReservedNick')} ${small} NOT NULL, ${q('maxUsers')} INTEGER NOT NULL)`;

const scratch = scratchEngines('understudy_december');
const scratchPostgres = scratch.engines.find((e) => e.name === 'postgres')!;
const scratchMariadb = scratch.engines.find((e) => e.name === 'mariadb')!;
const files = shapeFiles('understudy-december-shapes-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

/** An address a person would have: a local part, an @, a domain with a dot, nothing else. */
const ADDRESS = `'^[a-z0-9][a-z0-9._+-]*@[a-z0-9-]+(\\.[a-z0-9-]+)+$'`;

async function expectShapes(query: Query): Promise<void> {
  expect(await count(query, 'SELECT count(*) FROM app_public.users')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM app_public.user_emails')).toBe(ROWS);
  // The CHECKs hold (counted again here), the user names are distinct without regard to case.
  expect(await count(query, "SELECT count(*) FROM app_public.users WHERE username::text !~ '^[a-zA-Z]([_]?[a-zA-Z0-9])+$' OR length(username::text) NOT BETWEEN 2 AND 24")).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT lower(username::text)) FROM app_public.users')).toBe(ROWS);
  // Addresses and URLs read as such (they were the patterns' own strings).
  expect(await count(query, `SELECT count(*) FROM app_public.user_emails WHERE lower(email::text) !~ ${ADDRESS}`)).toBe(0);
  expect(await count(query, `SELECT count(*) FROM app_public.user_emails WHERE backup_email IS NOT NULL AND lower(backup_email) !~ ${ADDRESS}`)).toBe(0);
  expect(await count(query, 'SELECT count(backup_email) FROM app_public.user_emails')).toBeGreaterThan(ROWS / 2);
  expect(await count(query, 'SELECT count(DISTINCT lower(email::text)) FROM app_public.user_emails WHERE is_verified')).toBe(
    await count(query, 'SELECT count(*) FROM app_public.user_emails WHERE is_verified'),
  );
  expect(await count(query, "SELECT count(*) FROM app_public.users WHERE avatar_url IS NOT NULL AND avatar_url !~ '^https://[a-z0-9.-]+\\.[a-z]+/'")).toBe(0);
  expect(await count(query, 'SELECT count(avatar_url) FROM app_public.users')).toBeGreaterThan(ROWS / 2);
  // A phone a key makes distinct is a phone number (FixMyStreet's: it was a phone and a suffix, `(507) 499-4059 x47334 0`).
  expect(await count(query, "SELECT count(*) FROM app_public.users WHERE phone !~ '^\\([0-9]{3}\\) [0-9]{3}-[0-9]{4}$'")).toBe(0);
  expect(await count(query, 'SELECT count(phone) FROM app_public.users WHERE phone_verified')).toBeGreaterThan(0);
  // A public id of hex digits, distinct; who and when NULL together, and mostly NULL (few rows are deleted).
  expect(await count(query, `SELECT count(*) FROM public.workspace WHERE "publicId" !~ '^[0-9a-f]{12}$'`)).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT "publicId") FROM public.workspace')).toBe(ROWS);
  for (const [at, by] of [
    ['"deletedAt"', '"deletedBy"'],
    ['archived_on', 'archived_by_user_id'],
  ]) {
    expect(await count(query, `SELECT count(*) FROM public.workspace WHERE (${at} IS NULL) <> (${by} IS NULL)`), by).toBe(0);
    expect(await count(query, `SELECT count(${by}) FROM public.workspace`), by).toBeGreaterThan(0);
    expect(await count(query, `SELECT count(${by}) FROM public.workspace`), by).toBeLessThan(ROWS);
  }
  expect(await count(query, 'SELECT count("deletedBy") FROM public.workspace')).toBeLessThan(ROWS / 2);
  // The CHECK holds (by its NULL branch) and the projects are there.
  expect(await count(query, 'SELECT count(*) FROM public.projects')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM public.projects WHERE NOT (rubygem_name IS NULL OR rubygem_name = permalink)')).toBe(0);
}

/** Dates where a date fits, timestamps where one does, a modification after creation; flags of 0 and 1; a count stays a count. */
async function expectRoom(query: Query, q: Quote, table: string): Promise<void> {
  expect(await count(query, `SELECT count(*) FROM ${table}`)).toBe(ROWS);
  for (const column of ['creationDate', 'modificationDate', 'lockedDate']) {
    expect(await count(query, `SELECT count(*) FROM ${table} WHERE rtrim(${q(column)}) NOT LIKE '2___-__-__'`), column).toBe(0);
  }
  expect(await count(query, `SELECT count(*) FROM ${table} WHERE ${q('created_on')} IS NOT NULL AND ${q('created_on')} NOT LIKE '2___-__-__ __:__:__'`)).toBe(0);
  expect(await count(query, `SELECT count(${q('created_on')}) FROM ${table}`)).toBeGreaterThan(ROWS / 2);
  expect(await count(query, `SELECT count(*) FROM ${table} WHERE ${q('modificationDate')} < ${q('creationDate')}`)).toBe(0);
  for (const column of ['canInvite', 'membersOnly', 'moderated', 'useReservedNick']) {
    expect(await count(query, `SELECT count(*) FROM ${table} WHERE ${q(column)} NOT IN (0, 1)`), column).toBe(0);
    expect(await count(query, `SELECT count(DISTINCT ${q(column)}) FROM ${table}`), column).toBe(2);
  }
  expect(await count(query, `SELECT count(DISTINCT ${q('maxUsers')}) FROM ${table}`)).toBeGreaterThan(5);
}

describe('shapes of real schemas tried on 2026-12-07, night', () => {
  it('seeds them into PGlite from the file, and the rows hold in SQL', async () => {
    const file = await files.ddlFile(`${DDL};\n${room('smallint', pgQuote, 'public."ofMucRoom"')};`);
    const data = join(file, '..', 'db');
    const result = await runCli(['seed', '--from', file, '--pglite', data, '--rows', String(ROWS)]);
    expect(result.code, result.stderr).toBe(0);
    await queryKeptPglite(data, ['citext'], async (query) => {
      await expectShapes(query);
      await expectRoom(query, pgQuote, 'public."ofMucRoom"');
    });
  }, 120_000);

  it.skipIf(!pgUrl)(
    'seeds them into PostgreSQL (the DDL loaded first), and the rows hold in SQL',
    async () => {
      const db = await scratchPostgres.create();
      await db.query(DDL);
      await db.query(room('smallint', pgQuote, 'public."ofMucRoom"'));
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      await expectShapes(db.query);
      await expectRoom(db.query, pgQuote, 'public."ofMucRoom"');
    },
    120_000,
  );

  it.skipIf(!mysqlUrl)(
    'seeds the chat room into MariaDB, and the rows hold in SQL',
    async () => {
      const db = await scratchMariadb.create();
      await db.query(room('TINYINT', myQuote, 'ofMucRoom'));
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      await expectRoom(db.query, myQuote, 'ofMucRoom');
    },
    120_000,
  );
});
