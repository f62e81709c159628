/**
 * Classes found rehearsing real diesel histories as a new user (docs/corpus.md, "Real histories
 * tried as a new user (2026-12-07, afternoon)"): lemmy and crates.io, each class reproduced in one
 * small diesel folder written for this project, rehearsed through the built CLI on PGlite (the
 * classes are engine-independent), the database kept so that the test's own SQL checks the report:
 *
 * - a migration that uses diesel's own bookkeeping table (lemmy's `forbid_diesel_cli` trigger on
 *   `__diesel_schema_migrations`) failed the baseline: "relation does not exist";
 * - a unique index over a function of the project's own (crates.io's `canon_crate_name(name)`,
 *   `replace(lower($1), '-', '_')`) was not followed: `could not create unique index`;
 * - the seed's retry, leaving a refused table empty with the tables that must reference it,
 *   asked a table a trigger fills for `rows: 0` and stopped: "no loadable table" (exit 2);
 * - a down that failed was summed up as "incomplete (a migration has no down)";
 * - a DO block that commits as it goes (supabase/storage's batched backfill of `prefixes`) was run
 *   inside the short transaction that traces a statement: "invalid transaction termination".
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@understudy/postgres';
import { RehearsalReportModel } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const work = await mkdtemp(join(tmpdir(), 'understudy-real-histories-'));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A diesel folder: per entry `<version>_<name>/{up,down}.sql`. */
async function dieselFolder(name: string, migrations: Record<string, { up: string; down?: string }>): Promise<string> {
  const dir = join(work, name);
  for (const [folder, { up, down }] of Object.entries(migrations)) {
    await mkdir(join(dir, folder), { recursive: true });
    await writeFile(join(dir, folder, 'up.sql'), up);
    if (down !== undefined) await writeFile(join(dir, folder, 'down.sql'), down);
  }
  return dir;
}

const CRATES = `CREATE FUNCTION canon_crate_name(text) RETURNS text AS $$ SELECT replace(lower($1), '-', '_') $$ LANGUAGE SQL IMMUTABLE;
CREATE TABLE crates (id SERIAL PRIMARY KEY, name VARCHAR NOT NULL, token BYTEA NOT NULL);
CREATE UNIQUE INDEX index_crates_name ON crates (canon_crate_name(name));
CREATE TABLE crate_downloads (crate_id INTEGER PRIMARY KEY REFERENCES crates (id), downloads BIGINT NOT NULL DEFAULT 0);
CREATE FUNCTION insert_crate_downloads() RETURNS TRIGGER AS $$
BEGIN
  INSERT INTO crate_downloads (crate_id) VALUES (NEW.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insert_crate_downloads AFTER INSERT ON crates FOR EACH ROW EXECUTE FUNCTION insert_crate_downloads();
-- A release on the hour: a CHECK the generator does not follow; each release gets its stats row from a trigger.
CREATE TABLE releases (id SERIAL PRIMARY KEY, crate_id INTEGER NOT NULL REFERENCES crates (id), at TIMESTAMP NOT NULL CHECK (date_trunc('hour', at) = at));
CREATE TABLE release_stats (release_id INTEGER PRIMARY KEY REFERENCES releases (id), downloads BIGINT NOT NULL DEFAULT 0);
CREATE FUNCTION insert_release_stats() RETURNS TRIGGER AS $$
BEGIN
  INSERT INTO release_stats (release_id) VALUES (NEW.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER insert_release_stats AFTER INSERT ON releases FOR EACH ROW EXECUTE FUNCTION insert_release_stats();
`;

// lemmy's 2025-08-01-000017_forbid_diesel_cli, reduced: only its own runner may write diesel's table.
const FORBID_DIESEL_CLI = `CREATE FUNCTION forbid_diesel_cli() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  RAISE 'migrations must be managed using the server instead of diesel CLI';
END;
$$;
CREATE TRIGGER forbid_diesel_cli BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON __diesel_schema_migrations EXECUTE FUNCTION forbid_diesel_cli();
`;

describe('a diesel history as lemmy and crates.io write them', () => {
  it('creates diesel’s table, follows the unique function index, empties a refused table with its trigger-filled one, and names the failed down', async () => {
    const dir = await dieselFolder('diesel-real', {
      '2019-01-01-000000_create_crates': { up: CRATES, down: 'DROP TABLE release_stats, releases, crate_downloads, crates;\n' },
      '2019-01-02-000000_forbid_diesel_cli': { up: FORBID_DIESEL_CLI, down: 'DROP FUNCTION forbid_diesel_cli CASCADE;\n' },
      // crates.io's two-step removal of users.gh_encrypted_token: the downs cannot restore NOT NULL over the NULLs of the re-added column.
      '2019-01-03-000000_make_token_optional': { up: 'ALTER TABLE crates ALTER COLUMN token DROP NOT NULL;\n', down: 'ALTER TABLE crates ALTER COLUMN token SET NOT NULL;\n' },
      '2019-01-04-000000_drop_token': { up: 'ALTER TABLE crates DROP COLUMN token;\n', down: 'ALTER TABLE crates ADD COLUMN token BYTEA;\n' },
    });
    const json = join(work, 'diesel-real.json');
    const kept = join(work, 'diesel-real-db');
    const result = await runCli(['rehearse', dir, '--pending', '2', '--rows', '1000', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => m.status)).toEqual(['passed', 'passed']);
    expect(report.notes).toContainEqual(
      expect.stringMatching(
        /^seed: public\.releases is left empty: its generated rows broke a constraint the generator does not follow \(.*"releases_at_check".*\); the pending migrations run on it without rows, and on public\.release_stats \(every row must reference it\)/,
      ),
    );
    expect(report.hazards.map((h) => h.kind).sort()).toEqual(['data-lost', 'down-mismatch']);
    expect(report.hazards.find((h) => h.kind === 'down-mismatch')!.message).toContain('column "token" of relation "crates" contains null values');
    expect(result.stdout).toContain('Down check: stopped: the down of 20190103000000 make_token_optional failed');

    // Checked on the kept database: every crate seeded, unique under canon_crate_name, each with the row its trigger
    // wrote; the releases and their stats empty; diesel's table there, with lemmy's trigger on it.
    const conn = await openPglite({ dataDir: kept });
    try {
      const q = async (sql: string): Promise<Array<Record<string, unknown>>> => (await conn.pglite.query<Record<string, unknown>>(sql)).rows;
      expect(
        await q(`SELECT (SELECT count(*) FROM crates)::int AS crates, (SELECT count(DISTINCT canon_crate_name(name)) FROM crates)::int AS canon,
                        (SELECT count(*) FROM crate_downloads)::int AS downloads, (SELECT count(*) FROM releases)::int AS releases,
                        (SELECT count(*) FROM release_stats)::int AS stats`),
      ).toEqual([{ crates: 1000, canon: 1000, downloads: 1000, releases: 0, stats: 0 }]);
      expect(await q(`SELECT tgname FROM pg_trigger WHERE tgrelid = '__diesel_schema_migrations'::regclass`)).toEqual([{ tgname: 'forbid_diesel_cli' }]);
    } finally {
      await conn.close();
    }
  });
});

describe('a DO block that commits in its loop (supabase/storage, plain numbered files)', () => {
  it('runs outside a transaction, as psql runs it, and its batches are all written', async () => {
    const dir = join(work, 'do-commit');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '0001-objects.sql'), 'CREATE TABLE objects (id SERIAL PRIMARY KEY, name TEXT NOT NULL);\nCREATE TABLE prefixes (name TEXT PRIMARY KEY);\n');
    await writeFile(
      join(dir, '0002-backfill-prefixes.sql'),
      `-- Backfill in batches, each committed, to avoid a long running transaction
DO $$
DECLARE
  last_id INTEGER := 0;
  batch_max INTEGER;
BEGIN
  LOOP
    SELECT max(id) INTO batch_max FROM (SELECT id FROM objects WHERE id > last_id ORDER BY id LIMIT 40) b;
    EXIT WHEN batch_max IS NULL;
    INSERT INTO prefixes (name) SELECT DISTINCT 'p-' || name FROM objects WHERE id > last_id AND id <= batch_max ON CONFLICT DO NOTHING;
    last_id := batch_max;
    COMMIT;
  END LOOP;
END
$$;
`,
    );
    const json = join(work, 'do-commit.json');
    const kept = join(work, 'do-commit-db');
    const result = await runCli(['rehearse', dir, '--rows', '100', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => m.status)).toEqual(['passed']);
    const conn = await openPglite({ dataDir: kept });
    try {
      const q = async (sql: string): Promise<Array<Record<string, unknown>>> => (await conn.pglite.query<Record<string, unknown>>(sql)).rows;
      // Every object's prefix written, whatever the seed put in prefixes before.
      expect(await q(`SELECT count(*)::int AS missing FROM objects o WHERE NOT EXISTS (SELECT 1 FROM prefixes p WHERE p.name = 'p-' || o.name)`)).toEqual([{ missing: 0 }]);
    } finally {
      await conn.close();
    }
  });
});

/**
 * A history whose runner sets the session up first (supabase/storage's sets `search_path` to its
 * schema; its files then create and alter tables unqualified): on a PostgreSQL server the setting
 * goes in the URL (`?options=-c search_path=…`), and every session of the rehearsal has it.
 */
describe.skipIf(!process.env['UNDERSTUDY_TEST_PG_URL'])('settings a runner makes before the migrations, on a PostgreSQL server', () => {
  it('rehearses with search_path from the URL, and fails without it where the file expects it', async () => {
    const dir = join(work, 'search-path');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '0001-init.sql'), 'CREATE SCHEMA IF NOT EXISTS storage;\n');
    await writeFile(join(dir, '0002-objects.sql'), 'CREATE TABLE objects (id serial PRIMARY KEY, name text NOT NULL);\n');
    await writeFile(join(dir, '0003-size.sql'), 'ALTER TABLE storage.objects ADD COLUMN size integer;\n');
    const url = new URL(process.env['UNDERSTUDY_TEST_PG_URL']!);
    url.searchParams.set('options', '-c search_path=storage,public');
    const json = join(work, 'search-path.json');
    const result = await runCli(['rehearse', dir, '--pending', '1', '--rows', '50', '--url', url.toString(), '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['0003', 'passed']]);
    // Without it, objects lands in public and the pending migration cannot find storage.objects.
    const plain = await runCli(['rehearse', dir, '--pending', '1', '--rows', '50', '--url', process.env['UNDERSTUDY_TEST_PG_URL']!]);
    expect(plain.code).not.toBe(0);
    expect(plain.stdout + plain.stderr).toMatch(/relation "storage\.objects" does not exist/);
  });
});

/**
 * Classes found rehearsing hatchet's goose history (docs/corpus.md, "Real histories tried as a new
 * user (2026-12-07, evening)"), reduced to a small goose folder written for this project:
 *
 * - a `-- +goose StatementBegin` … `StatementEnd` block holding several statements (goose sends it in
 *   one Exec, which PostgreSQL runs as a multi-statement query): on PGlite, "cannot insert multiple
 *   commands into a prepared statement"; now, in a file goose runs in a transaction, the block is
 *   split as psql splits it (each statement traced at its own line), and in a NO TRANSACTION file it
 *   is sent whole, in the simple protocol, as node-postgres sends it;
 * - a partition key its name places after creation (`task_inserted_at`) was generated after
 *   `created_at`, outside the one partition the migrations made: the table was left empty;
 * - a trigger that copies an enum column into another enum through text
 *   (`NEW."limitStrategy"::VARCHAR::v1_strategy`): the seed drew labels the second enum lacks, and
 *   the load stopped with `invalid input value for enum`.
 */
describe('a goose history as hatchet writes it', () => {
  it('runs a multi-statement StatementBegin block and seeds only the labels a trigger can copy', async () => {
    const dir = join(work, 'goose-blocks');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, '20240101000000_init.sql'),
      `-- +goose Up
CREATE TYPE "LimitStrategy" AS ENUM ('CANCEL_IN_PROGRESS', 'DROP_NEWEST', 'QUEUE_NEWEST', 'GROUP_ROUND_ROBIN');
CREATE TYPE v1_strategy AS ENUM ('NONE', 'GROUP_ROUND_ROBIN', 'CANCEL_IN_PROGRESS');
CREATE TABLE workflows (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE concurrency (
  id bigserial PRIMARY KEY,
  workflow_id uuid NOT NULL REFERENCES workflows (id),
  "limitStrategy" "LimitStrategy" NOT NULL DEFAULT 'CANCEL_IN_PROGRESS',
  expression text
);
CREATE TABLE v1_concurrency (id bigserial PRIMARY KEY, workflow_id uuid NOT NULL, strategy v1_strategy NOT NULL);
CREATE TABLE task_events (
  id bigint GENERATED ALWAYS AS IDENTITY,
  created_at timestamptz NOT NULL DEFAULT now(),
  task_inserted_at timestamptz NOT NULL,
  PRIMARY KEY (task_inserted_at, id)
) PARTITION BY RANGE (task_inserted_at);
CREATE TABLE task_events_202601 PARTITION OF task_events FOR VALUES FROM ('2026-01-01') TO ('2026-02-01');
-- +goose StatementBegin
CREATE FUNCTION copy_concurrency() RETURNS trigger AS $$
BEGIN
  IF NEW.expression IS NOT NULL THEN
    INSERT INTO v1_concurrency (workflow_id, strategy)
    SELECT w.id, NEW."limitStrategy"::VARCHAR::v1_strategy FROM workflows w WHERE w.id = NEW.workflow_id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER copy_concurrency AFTER INSERT ON concurrency FOR EACH ROW EXECUTE FUNCTION copy_concurrency();
-- +goose StatementEnd

-- +goose Down
DROP TABLE task_events, v1_concurrency, concurrency, workflows;
DROP FUNCTION copy_concurrency;
DROP TYPE v1_strategy, "LimitStrategy";
`,
    );
    await writeFile(
      join(dir, '20240201000000_engine_version.sql'),
      `-- +goose Up
-- +goose StatementBegin
-- Create enum type "EngineVersion"
CREATE TYPE "EngineVersion" AS ENUM ('V0', 'V1');
-- Modify "workflows" table
ALTER TABLE workflows ADD COLUMN "version" "EngineVersion" NOT NULL DEFAULT 'V0';

CREATE INDEX workflows_version_idx ON workflows ("version");
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
ALTER TABLE workflows DROP COLUMN "version";
DROP TYPE "EngineVersion";
-- +goose StatementEnd
`,
    );
    // Without a transaction goose sends the block in one query: it stays one statement (one implicit transaction).
    await writeFile(
      join(dir, '20240301000000_names.sql'),
      `-- +goose NO TRANSACTION
-- +goose Up
-- +goose StatementBegin
UPDATE workflows SET name = upper(name);
CREATE INDEX workflows_name_idx ON workflows (name);
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DROP INDEX workflows_name_idx;
UPDATE workflows SET name = lower(name);
-- +goose StatementEnd
`,
    );
    const json = join(work, 'goose-blocks.json');
    const kept = join(work, 'goose-blocks-db');
    const result = await runCli(['rehearse', dir, '--pending', '2', '--rows', '300', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['20240201000000', 'passed'],
      ['20240301000000', 'passed'],
    ]);
    // In a transaction the block's statements are traced one by one, each at its own line.
    expect(report.migrations[0]!.statements.map((s) => s.line)).toEqual([4, 6, 8]);
    expect(report.migrations[1]!.statements.map((s) => s.line)).toEqual([4]);
    expect(report.hazards).toEqual([]);
    expect(result.stdout).toMatch(/added\s+column public\.workflows\.version/);

    // Checked on the kept database (after the downs): every seeded label is one v1_strategy has, and the trigger
    // copied each row with an expression.
    const conn = await openPglite({ dataDir: kept });
    try {
      const q = async (sql: string): Promise<Array<Record<string, unknown>>> => (await conn.pglite.query<Record<string, unknown>>(sql)).rows;
      const [row] = await q(`SELECT (SELECT count(*) FROM concurrency)::int AS seeded,
          (SELECT count(*) FROM concurrency WHERE "limitStrategy"::text NOT IN (SELECT enumlabel FROM pg_enum WHERE enumtypid = 'v1_strategy'::regtype))::int AS foreign_labels,
          (SELECT count(DISTINCT "limitStrategy") FROM concurrency)::int AS labels,
          (SELECT count(*) FROM concurrency WHERE expression IS NOT NULL)::int AS with_expression,
          (SELECT count(*) FROM v1_concurrency)::int AS copied,
          (SELECT count(*) FROM task_events)::int AS events,
          (SELECT count(*) FROM information_schema.columns WHERE table_name = 'workflows' AND column_name = 'version')::int AS version_left`);
      expect(row).toMatchObject({ seeded: 300, foreign_labels: 0, labels: 2, version_left: 0, events: 300 });
      expect(row!['copied']).toBe(row!['with_expression']);
      expect(row!['copied']).toBeGreaterThan(0);
    } finally {
      await conn.close();
    }
  });
});

/**
 * A history split over two folders (conductor's Flyway `locations`: `db/migration_postgres` and the
 * data migrations of `db/migration_postgres_data`, applied by default): `--also DIR` merges the
 * second folder's migrations by version, so the backfill `V13.2` runs between `V13.1` and `V14`.
 */
describe('a Flyway history split over two folders (conductor), with --also', () => {
  it('runs the other folder’s migrations in version order, named from the first folder', async () => {
    const main = join(work, 'split', 'migration_postgres');
    const data = join(work, 'split', 'migration_postgres_data');
    await mkdir(main, { recursive: true });
    await mkdir(data, { recursive: true });
    await writeFile(join(main, 'V1__initial_schema.sql'), 'CREATE TABLE workflow_index (workflow_id varchar(255) PRIMARY KEY, json_data jsonb NOT NULL);\n');
    await writeFile(join(main, 'V13.1__workflow_index_columns.sql'), 'ALTER TABLE workflow_index ADD COLUMN update_time timestamp;\n');
    await writeFile(join(data, 'V13.2__workflow_index_backfill_update_time.sql'), "UPDATE workflow_index SET update_time = TIMESTAMP '2026-01-01' + length(workflow_id) * INTERVAL '1 hour';\n");
    await writeFile(join(main, 'V14__update_time_not_null.sql'), 'ALTER TABLE workflow_index ALTER COLUMN update_time SET NOT NULL;\n');
    const json = join(work, 'split.json');
    const kept = join(work, 'split-db');
    // Without the data folder, V14 fails on the NULLs V13.2 would have filled.
    const alone = await runCli(['rehearse', main, '--pending', '2', '--rows', '30', '--no-down']);
    expect(alone.code).toBe(1);
    expect(alone.stdout).toMatch(/column "update_time" of relation "workflow_index" contains null values/);
    const result = await runCli(['rehearse', main, '--also', data, '--pending', '3', '--rows', '30', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status, m.statements[0]?.file])).toEqual([
      ['13.1', 'passed', 'V13.1__workflow_index_columns.sql'],
      ['13.2', 'passed', '../migration_postgres_data/V13.2__workflow_index_backfill_update_time.sql'],
      ['14', 'passed', 'V14__update_time_not_null.sql'],
    ]);
    const conn = await openPglite({ dataDir: kept });
    try {
      const rows = (await conn.pglite.query<Record<string, unknown>>(`SELECT count(*)::int AS n, count(update_time)::int AS filled FROM workflow_index`)).rows;
      expect(rows).toEqual([{ n: 30, filled: 30 }]);
    } finally {
      await conn.close();
    }
  });
});

/**
 * Settings a runner makes before its first migration, on any engine (`--set NAME=VALUE`): supabase/storage's
 * `search_path` on PGlite (no URL options there), and vaultwarden's MySQL runner's `FOREIGN_KEY_CHECKS = 0`
 * (its first migration creates `ciphers`, referencing `folders`, before `folders`).
 */
describe('session settings a runner makes first (--set)', () => {
  it('PGlite: search_path=storage,public puts the unqualified table where the later migration finds it', async () => {
    const dir = join(work, 'set-search-path');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, '0001-init.sql'), 'CREATE SCHEMA IF NOT EXISTS storage;\n');
    await writeFile(join(dir, '0002-objects.sql'), 'CREATE TABLE objects (id serial PRIMARY KEY, name text NOT NULL);\n');
    await writeFile(join(dir, '0003-size.sql'), 'ALTER TABLE storage.objects ADD COLUMN size integer;\n');
    const plain = await runCli(['rehearse', dir, '--pending', '1', '--rows', '20', '--no-down']);
    expect(plain.stdout).toMatch(/relation "storage\.objects" does not exist/);
    const kept = join(work, 'set-search-path-db');
    const result = await runCli(['rehearse', dir, '--pending', '1', '--rows', '20', '--no-down', '--set', 'search_path=storage,public', '--url', `pglite://${kept}`]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const conn = await openPglite({ dataDir: kept });
    try {
      const rows = (
        await conn.pglite.query<Record<string, unknown>>(
          `SELECT table_schema, (SELECT count(*)::int FROM storage.objects) AS n FROM information_schema.columns WHERE table_name = 'objects' AND column_name = 'size'`,
        )
      ).rows;
      expect(rows).toEqual([{ table_schema: 'storage', n: 20 }]);
    } finally {
      await conn.close();
    }
    // A setting the engine refuses is the flag's fault, named as given: not a migration to fix.
    const bad = await runCli(['rehearse', dir, '--pending', '1', '--rows', '20', '--no-down', '--set', 'no_such_setting=1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--set no_such_setting=… failed: unrecognized configuration parameter "no_such_setting"');
  });

  it.skipIf(!process.env['UNDERSTUDY_TEST_MYSQL_URL'])('MariaDB: FOREIGN_KEY_CHECKS=0 lets a table reference one created after it', async () => {
    const dir = join(work, 'set-foreign-key-checks');
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, '1_create_tables.up.sql'),
      'CREATE TABLE ciphers (uuid CHAR(36) NOT NULL PRIMARY KEY, folder_uuid CHAR(36), FOREIGN KEY (folder_uuid) REFERENCES folders (uuid));\nCREATE TABLE folders (uuid CHAR(36) NOT NULL PRIMARY KEY, name TEXT NOT NULL);\n',
    );
    await writeFile(join(dir, '2_add_favorite.up.sql'), 'ALTER TABLE ciphers ADD COLUMN favorite BOOLEAN NOT NULL DEFAULT FALSE;\n');
    const url = process.env['UNDERSTUDY_TEST_MYSQL_URL']!;
    const plain = await runCli(['rehearse', dir, '--pending', '1', '--rows', '20', '--no-down', '--url', url]);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toMatch(/Foreign key constraint is incorrectly formed/);
    const json = join(work, 'set-foreign-key-checks.json');
    const result = await runCli(['rehearse', dir, '--pending', '1', '--rows', '20', '--no-down', '--set', 'FOREIGN_KEY_CHECKS=0', '--url', url, '--keep', '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const database = decodeURIComponent(new URL(report.environment).pathname.slice(1));
    expect(database).toMatch(/^understudy_rehearse_/);
    const conn = await mysql.createConnection(url);
    try {
      const [rows] = await conn.query(
        `SELECT (SELECT COUNT(*) FROM \`${database}\`.ciphers) AS ciphers,
                (SELECT COUNT(*) FROM \`${database}\`.ciphers c WHERE c.folder_uuid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \`${database}\`.folders f WHERE f.uuid = c.folder_uuid)) AS orphans,
                (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = 'ciphers' AND REFERENCED_TABLE_NAME = 'folders') AS fks,
                (SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'ciphers' AND COLUMN_NAME = 'favorite') AS favorite`,
        [database, database],
      );
      expect((rows as Array<Record<string, unknown>>).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])))).toEqual([{ ciphers: 20, orphans: 0, fks: 1, favorite: 1 }]);
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.end();
    }
  });
});
