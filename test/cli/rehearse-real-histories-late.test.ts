/**
 * Classes found rehearsing real histories as a new user (docs/corpus.md, "Real histories tried as
 * a new user (2026-12-07, late)"), each reduced to a small folder written for this project, rehearsed
 * through the built CLI on PGlite (the classes are engine-independent), the database kept so that
 * the test's own SQL checks the report:
 *
 * - pocket-id's `oauth2_session_ownership` sets a new `client_id` from `request_data ->> 'client_id'`
 *   and deletes the sessions whose client is not found; the seeded JSON had other keys, so every
 *   session was deleted: a false "all rows deleted". The keys pending migrations read from a JSON
 *   column are now in the seeded documents, with the values of the column they are compared with
 *   where the SQL shows one (`WHERE a.id = (e.payload::jsonb #>> '{actor,account}')::uuid`, a `SET c =`
 *   followed by `c = other.id` or a foreign key, `IN (SELECT id FROM …)`).
 * - supabase/auth's environment (`hack/init_postgres.sql`, given with `--setup`) creates its `auth`
 *   schema `AUTHORIZATION supabase_auth_admin`, a role it creates first. On a server the rehearsal
 *   does not create roles, so the schema was not created either, and the first migration failed
 *   with `schema "auth" does not exist` (exit 3). The schema is now created without the clause,
 *   owned by the rehearsal's user, and a note says so.
 * - River writes a comment `TEMPLATE: schema` before every table name, and its migrator replaces it with
 *   the configured schema and a dot (or nothing) before it runs a file. Left in, it is a comment, except
 *   in a string: 005's `to_regclass('<the comment>river_migration')` failed on PostgreSQL 15
 *   (`invalid name syntax`) and was NULL on PostgreSQL 16+ (PGlite), so the DO block silently skipped
 *   the rebuild of `river_migration`. The markers are now filled as River fills them: nothing, or
 *   `--define schema=VALUE`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { RehearsalReportModel } from '@understudy/rehearse';
import { afterAll, describe, expect, it } from 'vitest';
import { historyFolders, queryKeptDatabase } from '../history-folders.js';
import { runCli } from '../run-cli.js';

const { work, folder, remove } = await historyFolders('understudy-real-histories-late-');
afterAll(remove);

describe('JSON keys a pending migration reads and matches against another table (pocket-id)', () => {
  it('seeds the keys, with values of the column they are compared with, so no row is falsely lost', async () => {
    const dir = await folder('json-keys', {
      '001_base.up.sql': `CREATE TABLE clients (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE accounts (id UUID PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE sessions (id UUID PRIMARY KEY, kind TEXT NOT NULL, request_data JSONB NOT NULL);
CREATE TABLE events (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL);
CREATE TABLE grants (id BIGSERIAL PRIMARY KEY, doc JSON NOT NULL);
`,
      // pocket-id's shape: the key copied into a new column, which is then matched to clients.id.
      '002_session_client.up.sql': `ALTER TABLE sessions ADD COLUMN client_id TEXT;

UPDATE sessions
SET client_id = request_data ->> 'client_id';

DELETE FROM sessions
WHERE client_id IS NULL
   OR NOT EXISTS (SELECT 1 FROM clients WHERE clients.id = sessions.client_id);

ALTER TABLE sessions
    ALTER COLUMN client_id SET NOT NULL,
    ADD CONSTRAINT sessions_client_fk FOREIGN KEY (client_id) REFERENCES clients (id);
`,
      // Compared directly, through a cast of a nested path of a text column read as JSON.
      '003_event_account.up.sql': `ALTER TABLE events ADD COLUMN account_id UUID;
UPDATE events AS e SET account_id = a.id FROM accounts a WHERE a.id = (e.payload::jsonb #>> '{actor,account}')::uuid;
DELETE FROM events WHERE account_id IS NULL;
`,
      // jsonb_extract_path_text, matched with IN (SELECT …).
      '004_grant_clients.up.sql': `DELETE FROM grants g
WHERE json_extract_path_text(g.doc, 'grant', 'client') IS NULL
   OR json_extract_path_text(g.doc, 'grant', 'client') NOT IN (SELECT c.id FROM clients c);
`,
    });
    const json = join(work, 'json-keys.json');
    const kept = join(work, 'json-keys-db');
    const result = await runCli(['rehearse', dir, '--pending', '3', '--rows', '300', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['002', 'passed'],
      ['003', 'passed'],
      ['004', 'passed'],
    ]);
    expect(report.hazards.filter((h) => h.kind === 'data-lost')).toEqual([]);
    // The kept database (as the ups left it): every seeded row is still there, and matched.
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM sessions s JOIN clients c ON c.id = s.client_id)::int AS sessions,
                (SELECT count(*) FROM events e JOIN accounts a ON a.id = e.account_id)::int AS events,
                (SELECT count(*) FROM grants g JOIN clients c ON c.id = g.doc #>> '{grant,client}')::int AS grants,
                (SELECT count(DISTINCT client_id) FROM sessions)::int AS distinct_clients`,
      ),
    ).toEqual([{ sessions: 300, events: 300, grants: 300, distinct_clients: expect.any(Number) }]);
    const [{ distinct_clients }] = (await queryKeptDatabase(kept, 'SELECT count(DISTINCT client_id)::int AS distinct_clients FROM sessions')) as [{ distinct_clients: number }];
    // Drawn from the clients, not one value for every row.
    expect(distinct_clients).toBeGreaterThan(100);
  });
});

describe.skipIf(!process.env['UNDERSTUDY_TEST_PG_URL'])('a schema created AUTHORIZATION a role the rehearsal does not create (supabase/auth), on PostgreSQL', () => {
  it('creates the schema owned by the rehearsal user, and says so', async () => {
    const dir = await folder('schema-owner', {
      'init.sql': `CREATE USER late_auth_admin NOINHERIT CREATEROLE LOGIN PASSWORD 'hunter2-late';\nCREATE ROLE late_other_admin;\nCREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION late_auth_admin;\nCREATE SCHEMA AUTHORIZATION late_other_admin;\n`,
      '00_init.up.sql': 'CREATE TABLE IF NOT EXISTS auth.users (id uuid NOT NULL PRIMARY KEY, email varchar(255));\nCREATE TABLE late_other_admin.audit (id bigserial PRIMARY KEY, note text);\n',
      '01_add_phone.up.sql': 'ALTER TABLE auth.users ADD COLUMN phone text;\n',
    });
    const url = process.env['UNDERSTUDY_TEST_PG_URL']!;
    const json = join(work, 'schema-owner.json');
    const result = await runCli(['rehearse', dir, '--setup', join(dir, 'init.sql'), '--pending', '1', '--rows', '40', '--no-down', '--url', url, '--keep', '--json', json]);
    const database = /kept: postgres:\/\/\S+\/(understudy_rehearse_kept_\w+)/.exec(result.stderr)?.[1];
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
      expect(report.notes).toContainEqual(
        expect.stringMatching(
          /init\.sql:3 .*AUTHORIZATION late_auth_admin.* needs role late_auth_admin, created at init\.sql:1, which was not run: the schema was created owned by the rehearsal's user/,
        ),
      );
      // The statement not run is named without its password.
      expect(report.notes).toContainEqual(expect.stringMatching(/init\.sql:1 CREATE USER late_auth_admin NOINHERIT CREATEROLE LOGIN PASSWORD '…' was not run/));
      expect(JSON.stringify(report)).not.toContain('hunter2-late');
      expect(result.stdout + result.stderr).not.toContain('hunter2-late');
      const kept = new URL(url);
      kept.pathname = `/${database!}`;
      const client = new pg.Client({ connectionString: kept.toString() });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT (SELECT count(*) FROM auth.users)::int AS users,
                  (SELECT count(*) FROM late_other_admin.audit)::int AS audit,
                  (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'auth' AND table_name = 'users' AND column_name = 'phone')::int AS phone,
                  (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'auth') = current_user AS owned`,
        );
        expect(rows).toEqual([{ users: 40, audit: 40, phone: 1, owned: true }]);
      } finally {
        await client.end();
      }
      // The roles were never created on the shared server.
      expect((await admin.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname IN ('late_auth_admin', 'late_other_admin')")).rows).toEqual([{ n: 0 }]);
    } finally {
      if (database !== undefined) await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.end();
    }
  });
});

describe("River's /* TEMPLATE: schema */ markers", () => {
  const files = {
    '001_create_river_migration.up.sql':
      'CREATE TABLE /* TEMPLATE: schema */river_migration (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), version bigint NOT NULL);\nCREATE UNIQUE INDEX ON /* TEMPLATE: schema */river_migration USING btree (version);\n',
    '002_river_job.up.sql': 'CREATE TABLE /* TEMPLATE: schema */river_job (id bigserial PRIMARY KEY, kind text NOT NULL);\n',
    '003_migration_line.up.sql': `DO
$body$
BEGIN
    IF (SELECT to_regclass('/* TEMPLATE: schema */river_migration') IS NOT NULL) THEN
        ALTER TABLE /* TEMPLATE: schema */river_migration RENAME TO river_migration_old;
        CREATE TABLE /* TEMPLATE: schema */river_migration (line text NOT NULL, version bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (line, version));
        INSERT INTO /* TEMPLATE: schema */river_migration (created_at, line, version) SELECT created_at, 'main', version FROM /* TEMPLATE: schema */river_migration_old;
        DROP TABLE /* TEMPLATE: schema */river_migration_old;
    END IF;
END;
$body$
LANGUAGE 'plpgsql';
`,
  };

  it('fills them as River does without a schema, so a string that holds one names the table', async () => {
    const dir = await folder('river', files);
    const json = join(work, 'river.json');
    const kept = join(work, 'river-db');
    const result = await runCli(['rehearse', dir, '--pending', '1', '--rows', '50', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.notes).toContainEqual(expect.stringMatching(/\/\* TEMPLATE: schema \*\/ .*filled with nothing.*--define schema=/));
    // The DO block found the table and rebuilt it, rows and all.
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM river_migration WHERE line = 'main')::int AS lines,
                (SELECT count(*) FROM information_schema.tables WHERE table_name = 'river_migration_old')::int AS old`,
      ),
    ).toEqual([{ lines: 50, old: 0 }]);
  });

  it('takes the schema given with --define (the value River fills in: the schema and a dot)', async () => {
    const dir = await folder('river-schema', { '000_schema.up.sql': 'CREATE SCHEMA river;\n', ...files });
    const kept = join(work, 'river-schema-db');
    const result = await runCli(['rehearse', dir, '--pending', '1', '--rows', '20', '--no-down', '--define', 'schema=river.', '--url', `pglite://${kept}`]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await queryKeptDatabase(kept, `SELECT table_schema, count(*)::int AS n FROM information_schema.tables WHERE table_name LIKE 'river%' GROUP BY 1`)).toEqual([
      { table_schema: 'river', n: 2 },
    ]);
    expect(await queryKeptDatabase(kept, `SELECT count(*)::int AS lines FROM river.river_migration WHERE line = 'main'`)).toEqual([{ lines: 20 }]);
  });
});
