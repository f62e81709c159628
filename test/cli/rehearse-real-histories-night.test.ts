/**
 * Classes found rehearsing real histories as a new user (docs/corpus.md, "Real histories tried as
 * a new user (2026-12-07, night)"), each reduced to a small folder written for this project, rehearsed
 * through the built CLI on PGlite (the classes are engine-independent), the database kept so that
 * the test's own SQL checks the report:
 *
 * - gitness (maragudk/migrate) names a few migrations `N_name_up.sql` / `N_name_down.sql`, which its
 *   runner takes as an up and its down; both were read as ups, and the down ran in the baseline:
 *   `column "webhook_internal" of relation "webhooks" does not exist`, exit 3;
 * - langfuse's `backfill_evaluator_v2` (Prisma) starts `BEGIN; SET TRANSACTION ISOLATION LEVEL
 *   REPEATABLE READ;`, and the rehearsal's own readings after BEGIN made PostgreSQL refuse it:
 *   `SET TRANSACTION ISOLATION LEVEL must be called before any query`;
 * - gitness's `0074_create_table_connectors` (`DROP TABLE IF EXISTS connectors; CREATE TABLE
 *   connectors (…)`) was reported as ten losses (all rows deleted, and each column of the old table
 *   dropped); now one: the table dropped with its rows. A table rebuilt with its rows copied back
 *   is no loss;
 * - hasura-auth's `auth.user_providers`, unique on `(user_id, provider_id)` and on `(provider_id,
 *   provider_user_id)`: the second numbered its rows within their provider, and the first could no
 *   longer pair users with providers: "foreign key … is already bound by another key", exit 2;
 * - hasura-auth's history also needs the `auth` schema its Docker init script makes, and comments on
 *   `auth.schema_migrations`, golang-migrate's table in the schema its driver is given: `--setup FILE`
 *   runs the script first, and the table is made in the schema the migrations name it in.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RehearsalReportModel } from '@understudy/rehearse';
import { afterAll, describe, expect, it } from 'vitest';
import { historyFolders, queryKeptDatabase } from '../history-folders.js';
import { runCli } from '../run-cli.js';

const { work, folder, remove } = await historyFolders('understudy-real-histories-night-');
afterAll(remove);

describe('a history as gitness writes it (maragudk/migrate)', () => {
  it('reads N_name_up.sql / N_name_down.sql as one migration and its down, beside .up.sql files sharing a version', async () => {
    const dir = await folder('gitness', {
      '0001_create_table_a_spaces.up.sql': 'CREATE TABLE spaces (space_id SERIAL PRIMARY KEY, space_uid TEXT NOT NULL UNIQUE);\n',
      '0001_create_table_b_repositories.up.sql': 'CREATE TABLE repositories (repo_id SERIAL PRIMARY KEY, repo_parent_id INTEGER NOT NULL REFERENCES spaces (space_id), repo_uid TEXT NOT NULL);\n',
      '0002_alter_table_repositories_add_internal_up.sql': 'ALTER TABLE repositories ADD COLUMN repo_internal BOOLEAN NOT NULL DEFAULT false;\n',
      '0002_alter_table_repositories_add_internal_down.sql': 'ALTER TABLE repositories DROP COLUMN repo_internal;\n',
      // A name that ends in _up without a _down beside it stays a migration of its own.
      '0003_catch_up.sql': 'CREATE INDEX repositories_uid ON repositories (repo_uid);\n',
    });
    const json = join(work, 'gitness.json');
    const kept = join(work, 'gitness-db');
    const result = await runCli(['rehearse', dir, '--pending', '2', '--rows', '300', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.name, m.status])).toEqual([
      ['0002', 'alter_table_repositories_add_internal', 'passed'],
      ['0003', 'catch_up', 'passed'],
    ]);
    expect(report.notes).toContainEqual(expect.stringMatching(/^read 0002_alter_table_repositories_add_internal_up\.sql with the _down\.sql beside each as the up and down of one migration/));
    expect(report.notes).toContainEqual(
      'duplicate version 0001: 0001_create_table_a_spaces.up.sql and 0001_create_table_b_repositories.up.sql; migration tools refuse a folder with two migrations of one version',
    );
    expect(result.stdout).toContain('Down check: incomplete: 0003 catch_up has no down');

    // The kept database: the baseline's two tables seeded (each repository in a space), and the
    // column the pending up added (the rehearsal keeps the database as the ups left it).
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM repositories r JOIN spaces s ON s.space_id = r.repo_parent_id)::int AS repos,
                (SELECT count(*) FROM information_schema.columns WHERE table_name = 'repositories' AND column_name = 'repo_internal')::int AS internal`,
      ),
    ).toEqual([{ repos: 300, internal: 1 }]);
  });
});

describe('a Prisma migration that sets its own isolation level (langfuse)', () => {
  it('runs BEGIN; SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; … COMMIT at that level', async () => {
    const dir = await folder('langfuse', {
      'migration_lock.toml': 'provider = "postgresql"\n',
      '20260821121000_add_rules/migration.sql':
        'CREATE TABLE job_configurations (id TEXT PRIMARY KEY, name TEXT NOT NULL);\nCREATE TABLE evaluation_rules (id TEXT PRIMARY KEY, name TEXT NOT NULL);\n',
      '20260821121500_backfill_rules/migration.sql': `-- Prisma does not automatically wrap PostgreSQL migrations in a transaction.
BEGIN;

-- REPEATABLE READ pins one snapshot for the whole transaction.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;

SET LOCAL statement_timeout = 0;
CREATE TABLE backfill_runs (level TEXT NOT NULL);

INSERT INTO evaluation_rules (id, name) SELECT id, name FROM job_configurations ON CONFLICT DO NOTHING;
INSERT INTO backfill_runs (level) SELECT current_setting('transaction_isolation');

COMMIT;
`,
    });
    const json = join(work, 'langfuse.json');
    const kept = join(work, 'langfuse-db');
    const result = await runCli(['rehearse', dir, '--rows', '200', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.name, m.status])).toEqual([['backfill_rules', 'passed']]);
    expect(
      await queryKeptDatabase(kept, `SELECT (SELECT count(*) FROM evaluation_rules e JOIN job_configurations j USING (id, name))::int AS copied, (SELECT level FROM backfill_runs) AS level`),
    ).toEqual([{ copied: 200, level: 'repeatable read' }]);
  });
});

describe('a table dropped and created again under its name (gitness 0074)', () => {
  it('is one data-lost hazard for the table; a table rebuilt with its rows is none', async () => {
    const dir = await folder('recreated', {
      '0001_create_connectors.up.sql':
        'CREATE TABLE connectors (connector_id SERIAL PRIMARY KEY, connector_uid TEXT NOT NULL, connector_type TEXT NOT NULL, connector_created BIGINT NOT NULL);\nCREATE TABLE labels (label_id SERIAL PRIMARY KEY, label_key TEXT NOT NULL);\n',
      '0002_recreate_connectors.up.sql': `-- Connectors table is not being used so can be dropped and recreated without worrying about a migration
DROP TABLE IF EXISTS connectors;
CREATE TABLE connectors (connector_id SERIAL PRIMARY KEY, connector_identifier TEXT NOT NULL, connector_type TEXT NOT NULL, connector_created BIGINT NOT NULL);
-- A rebuild: the rows copied into a new table that takes the old name.
CREATE TABLE labels_new (label_id INTEGER PRIMARY KEY, label_key TEXT NOT NULL);
INSERT INTO labels_new SELECT label_id, label_key FROM labels;
DROP TABLE labels;
ALTER TABLE labels_new RENAME TO labels;
`,
    });
    const json = join(work, 'recreated.json');
    const kept = join(work, 'recreated-db');
    const result = await runCli(['rehearse', dir, '--rows', '150', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.hazards.map((h) => [h.kind, h.message])).toEqual([['data-lost', 'table public.connectors was dropped with its 150 rows (and created again empty by the same migration)']]);
    // The kept database: connectors empty under its new columns; labels rebuilt with every row.
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM connectors)::int AS connectors, (SELECT count(*) FROM labels)::int AS labels,
                (SELECT count(*) FROM information_schema.columns WHERE table_name = 'connectors' AND column_name = 'connector_uid')::int AS uid`,
      ),
    ).toEqual([{ connectors: 0, labels: 150, uid: 0 }]);
  });
});

describe('two unique keys that share a foreign key column (hasura-auth user_providers)', () => {
  it('seeds them: the pair key pairs users with providers, the other key is held by its free column', async () => {
    const dir = await folder('user-providers', {
      'schema.sql': `CREATE TABLE users (id uuid PRIMARY KEY, email text);
CREATE TABLE providers (id text PRIMARY KEY);
CREATE TABLE user_providers (id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES users (id), provider_id text NOT NULL REFERENCES providers (id),
  provider_user_id text NOT NULL, UNIQUE (user_id, provider_id), UNIQUE (provider_id, provider_user_id));
`,
    });
    const data = join(work, 'user-providers-db');
    const result = await runCli(['seed', '--from', join(dir, 'schema.sql'), '--pglite', data, '--rows', '200']);
    expect(result.code, result.stderr).toBe(0);
    expect(
      await queryKeptDatabase(
        data,
        `SELECT count(*)::int AS n, count(DISTINCT (user_id, provider_id))::int AS pairs, count(DISTINCT (provider_id, provider_user_id))::int AS ids,
                count(DISTINCT provider_id)::int AS providers, count(DISTINCT user_id)::int AS users FROM user_providers`,
      ),
    ).toEqual([{ n: 200, pairs: 200, ids: 200, providers: expect.any(Number), users: expect.any(Number) }]);
    const [spread] = await queryKeptDatabase(data, 'SELECT count(DISTINCT provider_id)::int AS providers, count(DISTINCT user_id)::int AS users FROM user_providers');
    expect(Number(spread!['providers'])).toBeGreaterThan(1);
    expect(Number(spread!['users'])).toBeGreaterThan(1);
  });
});

describe('a history that needs what its environment makes first (hasura-auth), with --setup', () => {
  const files = {
    '00001_create-initial-tables.up.sql': `BEGIN;
CREATE TABLE auth.providers (id text PRIMARY KEY);
CREATE TABLE auth.users (id uuid PRIMARY KEY, display_name text NOT NULL DEFAULT '');
INSERT INTO auth.providers (id) VALUES ('github'), ('google'), ('facebook');
COMMIT;
`,
    '00001_create-initial-tables.down.sql': 'DROP TABLE auth.users, auth.providers;\n',
    '00002_table-comments.up.sql': "COMMENT ON TABLE auth.schema_migrations IS 'Internal table for tracking migrations.';\n",
    '00002_table-comments.down.sql': 'COMMENT ON TABLE auth.schema_migrations IS NULL;\n',
    '00003_add_locale.up.sql': "ALTER TABLE auth.users ADD COLUMN locale varchar(2) NOT NULL DEFAULT 'en';\n",
    '00003_add_locale.down.sql': 'ALTER TABLE auth.users DROP COLUMN locale;\n',
  };

  it('runs the setup file first, makes golang-migrate’s table in the schema the migrations name, and seeds the schema', async () => {
    const root = await folder('hasura-auth', {
      ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`migrations/${k}`, v])),
      'initdb/0001-create-schema.sql': 'CREATE SCHEMA IF NOT EXISTS auth;\n',
    });
    const without = await runCli(['rehearse', join(root, 'migrations'), '--rows', '100']);
    expect(without.code).toBe(3);
    expect(without.stderr).toContain('schema "auth" does not exist');

    const json = join(work, 'hasura-auth.json');
    const kept = join(work, 'hasura-auth-db');
    const result = await runCli(['rehearse', join(root, 'migrations'), '--setup', join(root, 'initdb/0001-create-schema.sql'), '--rows', '100', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['00003', 'passed']]);
    // The kept database is as the downs left it (00003's down ran): the seeded users, the providers 00001 inserted, the comment.
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM auth.users)::int AS users, (SELECT count(*) FROM auth.providers)::int AS providers,
                obj_description('auth.schema_migrations'::regclass) AS comment`,
      ),
    ).toEqual([{ users: 100, providers: 3, comment: 'Internal table for tracking migrations.' }]);

    // A setup file that fails is named as the flag gives it, at its line.
    await writeFile(join(root, 'initdb/broken.sql'), 'CREATE SCHEMA auth;\nCREATE SCHEMA auth;\n');
    const broken = await runCli(['rehearse', join(root, 'migrations'), '--setup', join(root, 'initdb/broken.sql'), '--rows', '100']);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toMatch(/initdb\/broken\.sql:2: --setup \.\.\/initdb\/broken\.sql failed: schema "auth" already exists/);
  });
});
