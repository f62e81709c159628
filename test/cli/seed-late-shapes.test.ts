/**
 * Shapes of real schemas tried as a new user on 2026-12-07, late (docs/corpus.md), each reduced to a
 * small DDL or drizzle module written here.
 * - Mercator's `database/schema/pgsql-schema.sql` (a Laravel `schema:dump`): Passport's
 *   `oauth_clients.id character varying(36)` keeps the `nextval('oauth_clients_id_seq')` default of
 *   the serial it was; the seed failed at its end, "advancing the sequences past the loaded keys failed:
 *   invalid input syntax for type bigint" (exit 3, everything rolled back). Its servers had been
 *   updated before they were installed (`install_date` after `update_date` in a third of the rows).
 * - flare's `database/schema/mysql-schema.sql` (MySQL, a Laravel dump): `adventure_location` and
 *   `adventure_monster` keep a NOT NULL foreign key to `adventures`, a table a later migration dropped
 *   with the checks off; the plan refused the whole schema ("references adventures, which is not in the
 *   schema being loaded"). No row can satisfy such a key: those tables get none, with a note. Its
 *   kingdoms held more wood than their stores hold (`current_wood` above `max_wood` in half the rows),
 *   and an upper level (`to_level` after `from_level`, levels 0–5) went past 100.
 * - Panoptes' `db/structure.sql`: Devise's tokens under unique indexes (`reset_password_token`,
 *   `confirmation_token`) held a random code and a suffix (`…ELz-0`).
 * - CodeTriage's `db/structure.sql`: `users.github` (a GitHub login, under a unique index) held
 *   sentences and a suffix; `daily_issue_limit` and `email_limit DEFAULT 1` held 400 to 99,000.
 * - scira (a drizzle app): a text key filled by `$defaultFn(() => uuidv7())` held a uuid and a
 *   suffix (`b779684b-…-0`), and so did every foreign key to it; `card_last_four text` held sentences.
 * Seeded through the built CLI into PGlite, PostgreSQL (UNDERSTUDY_TEST_PG_URL) and MariaDB
 * (UNDERSTUDY_TEST_MYSQL_URL), then counted in SQL written here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, queryKeptPglite, seedsIntoPgliteAndPostgres, shapeFiles } from '../seed-shapes.js';

const ROWS = 200;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the late shapes on a PostgreSQL server');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the late shapes on MariaDB');

const DDL = `
CREATE SEQUENCE public.oauth_clients_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1;
CREATE TABLE public.oauth_clients (
    id character varying(36) NOT NULL,
    name character varying(255) NOT NULL,
    revoked boolean NOT NULL
);
ALTER SEQUENCE public.oauth_clients_id_seq OWNED BY public.oauth_clients.id;
ALTER TABLE ONLY public.oauth_clients ALTER COLUMN id SET DEFAULT nextval('public.oauth_clients_id_seq'::regclass);
ALTER TABLE ONLY public.oauth_clients ADD CONSTRAINT oauth_clients_pkey PRIMARY KEY (id);
CREATE TABLE public.logical_servers (
    id serial PRIMARY KEY,
    name character varying(255) NOT NULL,
    install_date date,
    update_date date,
    last_run_at timestamp(0) without time zone,
    next_run_at timestamp(0) without time zone
);
CREATE TABLE public.users (
    id serial PRIMARY KEY,
    github character varying(255),
    daily_issue_limit integer,
    reset_password_token character varying(255),
    confirmation_token character varying
);
CREATE UNIQUE INDEX index_users_on_github ON public.users USING btree (github);
CREATE UNIQUE INDEX index_users_on_reset_password_token ON public.users USING btree (reset_password_token);
CREATE UNIQUE INDEX index_users_on_confirmation_token ON public.users USING btree (confirmation_token);
CREATE TABLE public.repo_subscriptions (
    id serial PRIMARY KEY,
    user_id integer REFERENCES public.users(id),
    email_limit integer DEFAULT 1
);
`;

const scratch = scratchEngines('understudy_late');
const scratchPostgres = scratch.engines.find((e) => e.name === 'postgres')!;
const scratchMariadb = scratch.engines.find((e) => e.name === 'mariadb')!;
const files = shapeFiles('understudy-late-shapes-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

async function expectShapes(query: Query): Promise<void> {
  // The seed loaded (it failed at its end), and the app's next client still gets a key of its own.
  expect(await count(query, 'SELECT count(*) FROM public.oauth_clients')).toBe(ROWS);
  await query(`INSERT INTO public.oauth_clients (name, revoked) VALUES ('next', false)`);
  expect(await count(query, `SELECT count(*) FROM public.oauth_clients WHERE name = 'next' AND id ~ '^[0-9]+$'`)).toBe(1);
  // Installed before updated; the next run after the last.
  expect(await count(query, 'SELECT count(*) FROM public.logical_servers WHERE install_date > update_date')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM public.logical_servers WHERE install_date IS NOT NULL AND update_date IS NOT NULL')).toBeGreaterThan(ROWS / 2);
  expect(await count(query, 'SELECT count(*) FROM public.logical_servers WHERE last_run_at > next_run_at')).toBe(0);
  // A GitHub login reads as one: no spaces, distinct; limits are small counts.
  expect(await count(query, "SELECT count(*) FROM public.users WHERE github !~ '^[A-Za-z0-9._-]+$'")).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT github) FROM public.users')).toBeGreaterThan(ROWS / 2);
  expect(await count(query, 'SELECT count(*) FROM public.users WHERE daily_issue_limit > 1000')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM public.repo_subscriptions WHERE email_limit > 1000')).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT email_limit) FROM public.repo_subscriptions')).toBeGreaterThan(3);
  // A unique token is a token: no suffix (Panoptes' Devise tokens held `…ELz-0`).
  for (const token of ['reset_password_token', 'confirmation_token']) {
    expect(await count(query, `SELECT count(*) FROM public.users WHERE ${token} !~ '^[A-Za-z0-9]+$'`), token).toBe(0);
    expect(await count(query, `SELECT count(${token}) FROM public.users`), token).toBeGreaterThan(ROWS / 2);
  }
}

describe('shapes of real schemas tried on 2026-12-07, late', () => {
  seedsIntoPgliteAndPostgres({ ddl: DDL, rows: ROWS, files, postgres: scratchPostgres, expectShapes });

  it('seeds a drizzle module whose text keys are uuids the app makes, with no suffix', async () => {
    const file = await files.ddlFile('SELECT 1;');
    const data = join(file, '..', 'drizzle-db');
    const result = await runCli(['seed', '--drizzle', 'fixtures/drizzle/pg-text-uuid-schema.ts', '--pglite', data, '--rows', String(ROWS)]);
    expect(result.code, result.stderr).toBe(0);
    const UUID = `'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'`;
    await queryKeptPglite(data, [], async (query) => {
      expect(await count(query, 'SELECT count(*) FROM chat')).toBe(ROWS);
      expect(await count(query, `SELECT count(*) FROM chat WHERE id !~ ${UUID}`)).toBe(0);
      expect(await count(query, `SELECT count(*) FROM message WHERE id !~ ${UUID} OR chat_id !~ ${UUID}`)).toBe(0);
      expect(await count(query, 'SELECT count(*) FROM message m LEFT JOIN chat c ON c.id = m.chat_id WHERE c.id IS NULL')).toBe(0);
      // The last four digits of a card are four digits.
      expect(await count(query, "SELECT count(*) FROM payment WHERE card_last_four !~ '^[0-9]{4}$' OR last4 NOT BETWEEN 0 AND 9999")).toBe(0);
      expect(await count(query, 'SELECT count(card_last_four) FROM payment')).toBeGreaterThan(ROWS / 2);
    });
  }, 120_000);

  it.skipIf(!pgUrl)(
    'profiles children whose two integer columns multiply past int4, and keeps the parent sum their product makes',
    async () => {
      const db = await scratchPostgres.create();
      await db.query(`CREATE TABLE workflows (id integer PRIMARY KEY, version_weight bigint NOT NULL);
        CREATE TABLE workflow_versions (id serial PRIMARY KEY, workflow_id integer NOT NULL, major_number integer NOT NULL, minor_number integer NOT NULL);
        INSERT INTO workflow_versions (workflow_id, major_number, minor_number) SELECT 1 + (n % 100), 50000 + n, 60000 + (n * 7) % 9000 FROM generate_series(1, 400) AS g(n);
        INSERT INTO workflows SELECT workflow_id, sum(major_number::bigint * minor_number) FROM workflow_versions GROUP BY workflow_id;
        ALTER TABLE workflow_versions ADD FOREIGN KEY (workflow_id) REFERENCES workflows(id);
        ANALYZE;`);
      const dir = await files.ddlFile('SELECT 1;');
      const out = join(dir, '..', 'profile.json');
      const result = await runCli(['profile', '--url', db.url, '--out', out]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).not.toMatch(/out of range|left out/);
      const profile = JSON.parse(await readFile(out, 'utf8')) as { tables: Record<string, { foreignKeys: Record<string, { sums?: Array<{ parentColumn: string; columns: string[] }> }> }> };
      const sums = Object.values(profile.tables['public.workflow_versions']!.foreignKeys).flatMap((f) => f.sums ?? []);
      expect(sums).toContainEqual(expect.objectContaining({ parentColumn: 'version_weight', columns: ['major_number', 'minor_number'] }));
      // Seeded from the profile, the parent's sum is the sum of its children's products.
      const target = await scratchPostgres.create();
      await target.query(`CREATE TABLE workflows (id integer PRIMARY KEY, version_weight bigint NOT NULL);
        CREATE TABLE workflow_versions (id serial PRIMARY KEY, workflow_id integer NOT NULL REFERENCES workflows(id), major_number integer NOT NULL, minor_number integer NOT NULL)`);
      const seeded = await runCli(['seed', '--url', target.url, '--profile', out]);
      expect(seeded.code, seeded.stderr).toBe(0);
      expect(await count(target.query, 'SELECT count(*) FROM workflow_versions')).toBeGreaterThan(100);
      expect(
        await count(
          target.query,
          'SELECT count(*) FROM workflows w JOIN (SELECT workflow_id, sum(major_number::bigint * minor_number) AS s FROM workflow_versions GROUP BY workflow_id) v ON v.workflow_id = w.id WHERE w.version_weight <> v.s',
        ),
      ).toBe(0);
    },
    120_000,
  );

  it.skipIf(!mysqlUrl)(
    'seeds a MariaDB schema with foreign keys to a dropped table: those tables get no rows, the rest loads',
    async () => {
      const db = await scratchMariadb.create();
      await db.query('CREATE TABLE locations (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(255) NOT NULL)');
      await db.query('CREATE TABLE adventures (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(255) NOT NULL)');
      await db.query(`CREATE TABLE adventure_location (
        id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
        adventure_id bigint unsigned NOT NULL, location_id bigint unsigned NOT NULL,
        CONSTRAINT adventure_location_adventure_id_foreign FOREIGN KEY (adventure_id) REFERENCES adventures (id),
        CONSTRAINT adventure_location_location_id_foreign FOREIGN KEY (location_id) REFERENCES locations (id))`);
      await db.query(`CREATE TABLE adventure_logs (
        id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
        adventure_location_id bigint unsigned NOT NULL, note varchar(255),
        FOREIGN KEY (adventure_location_id) REFERENCES adventure_location (id))`);
      await db.query(`CREATE TABLE rewards (
        id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
        adventure_id bigint unsigned NULL, location_id bigint unsigned NOT NULL,
        FOREIGN KEY (adventure_id) REFERENCES adventures (id), FOREIGN KEY (location_id) REFERENCES locations (id))`);
      // A later migration drops the table with the checks off (MySQL keeps the keys that point at it).
      await db.query('SET FOREIGN_KEY_CHECKS = 0');
      await db.query('DROP TABLE adventures');
      await db.query('SET FOREIGN_KEY_CHECKS = 1');
      // A kingdom's stores: each current level within its maximum.
      await db.query(`CREATE TABLE kingdoms (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(255) NOT NULL,
        max_wood bigint NOT NULL, current_wood bigint NOT NULL, max_population int NOT NULL, current_population int NOT NULL)`);
      // Levels: the upper one in the lower one's range, not up to the integer's maximum.
      await db.query(
        'CREATE TABLE buildings_in_queue (id bigint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, from_level int DEFAULT NULL, to_level int NOT NULL, current_level int NOT NULL, max_level int NOT NULL)',
      );
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM kingdoms WHERE current_wood > max_wood OR current_population > max_population')).toBe(0);
      expect(await count(db.query, 'SELECT count(DISTINCT current_wood) FROM kingdoms')).toBeGreaterThan(ROWS / 2);
      expect(await count(db.query, 'SELECT count(*) FROM buildings_in_queue WHERE to_level < from_level OR max_level < current_level')).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM buildings_in_queue WHERE to_level > 100 OR max_level > 100')).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM locations')).toBe(ROWS);
      expect(await count(db.query, 'SELECT count(*) FROM adventure_location')).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM adventure_logs')).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM rewards')).toBe(ROWS);
      expect(await count(db.query, 'SELECT count(adventure_id) FROM rewards')).toBe(0);
      expect(await count(db.query, 'SELECT count(*) FROM rewards r LEFT JOIN locations l ON l.id = r.location_id WHERE l.id IS NULL')).toBe(0);
      // The plan says why.
      const plan = await runCli(['plan', '--url', db.url, '--rows', String(ROWS)]);
      expect(plan.code, plan.stderr).toBe(0);
      const notes = JSON.parse(plan.stdout) as { tables: Record<string, { notes: string[] }> };
      const key = Object.keys(notes.tables).find((k) => k.endsWith('.adventure_location'))!;
      expect(notes.tables[key]!.notes.join('\n')).toMatch(/adventures, which does not exist/);
    },
    120_000,
  );
});
