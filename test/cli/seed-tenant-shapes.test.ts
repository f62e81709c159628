/**
 * Shapes of a large multi-tenant PostgreSQL schema that failed `seed` (Sourcegraph's
 * `migrations/frontend/squashed.sql`, 202 tables; see docs/corpus.md), each reduced to a small
 * DDL written here: column defaults that read a setting the application sets per session
 * (`current_setting('app.current_tenant')`), used by the file's own INSERTs and by a trigger's;
 * a tag name under a regex with a look-ahead in a unique key; `jsonb_typeof(x) = 'array'`; a
 * JSON document's keys (`doc ? 'key'`, `doc ->> 'key' <> ''`); a boolean as a condition
 * (`unrestricted IS TRUE`); NULLs that follow a value, spelled as `1 = CASE … END`; parallel
 * arrays (`array_length(a, 1) = array_length(b, 1)`); an `EXCLUDE USING btree (… WITH =)`; and
 * an INSERT trigger that reads the row's ancestors in another table. Each is seeded through the
 * built CLI into PGlite and PostgreSQL (UNDERSTUDY_TEST_PG_URL), then counted again in SQL
 * written here. And a kept PGlite whose file created pg_stat_statements opens again.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, queryKeptPglite, shapeFiles } from '../seed-shapes.js';

const ROWS = 300;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the tenant shapes on a PostgreSQL server');

const DDL = `
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO tenants (id, name) VALUES (1, 'default');

-- The application sets app.current_tenant per session; the file's INSERT leaves tenant_id to it.
CREATE TABLE policies (id serial PRIMARY KEY, name text NOT NULL,
  tenant_id integer DEFAULT (current_setting('app.current_tenant'::text))::integer NOT NULL);
ALTER TABLE policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON policies USING (tenant_id = (SELECT current_setting('app.current_tenant')::integer));
INSERT INTO policies (name) VALUES ('default');

-- A trigger inserts a row per repository, whose tenant_id is the session's.
CREATE TABLE repos (id serial PRIMARY KEY, name text NOT NULL,
  tenant_id integer DEFAULT (current_setting('app.current_tenant'::text))::integer NOT NULL);
CREATE TABLE repo_states (repo_id integer PRIMARY KEY REFERENCES repos (id), cloned boolean NOT NULL DEFAULT false,
  tenant_id integer DEFAULT (current_setting('app.current_tenant'::text))::integer NOT NULL);
CREATE FUNCTION repo_state_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO repo_states (repo_id) VALUES (NEW.id); RETURN NULL; END $$;
CREATE TRIGGER repo_state_on_insert AFTER INSERT ON repos FOR EACH ROW EXECUTE FUNCTION repo_state_insert();

-- No trailing or doubled separator (a look-ahead), unique per tenant, and every mapping needs a tag.
CREATE TABLE prompt_tags (id serial PRIMARY KEY, name text NOT NULL,
  tenant_id integer DEFAULT (current_setting('app.current_tenant'::text))::integer NOT NULL,
  CONSTRAINT prompt_tags_name_valid_chars CHECK (name ~ ('^[a-zA-Z0-9](?:[a-zA-Z0-9]|[-._\\s](?=[a-zA-Z0-9]))*-?$'::citext)::text),
  UNIQUE (tenant_id, name));
CREATE TABLE prompt_tag_mappings (id serial PRIMARY KEY, prompt_tag_id integer NOT NULL REFERENCES prompt_tags (id));

-- JSON of a given type, and of given keys (one branch of an OR).
CREATE TABLE notebooks (id serial PRIMARY KEY, title text NOT NULL,
  blocks jsonb NOT NULL CONSTRAINT blocks_is_array CHECK (jsonb_typeof(blocks) = 'array'),
  metadata jsonb CHECK (jsonb_typeof(metadata) = 'object'));
CREATE TABLE package_filters (id serial PRIMARY KEY, matcher jsonb NOT NULL,
  CONSTRAINT valid_oneof_glob CHECK (((matcher ? 'VersionGlob') AND ((matcher ->> 'VersionGlob') <> '') AND ((matcher ->> 'PackageName') <> '')
    AND (NOT (matcher ? 'PackageGlob'))) OR ((matcher ? 'PackageGlob') AND ((matcher ->> 'PackageGlob') <> '') AND (NOT (matcher ? 'VersionGlob')))));

-- A boolean as the condition, and NULLs that follow a value spelled as a CASE.
CREATE TABLE permission_jobs (id serial PRIMARY KEY, permissions json[], unrestricted boolean DEFAULT false NOT NULL,
  CHECK (((permissions IS NOT NULL) AND (unrestricted IS FALSE)) OR ((permissions IS NULL) AND (unrestricted IS TRUE))));
CREATE TYPE feature_flag_type AS ENUM ('bool', 'rollout');
CREATE TABLE feature_flags (flag_name text PRIMARY KEY, flag_type feature_flag_type NOT NULL, bool_value boolean, rollout integer,
  CHECK (rollout >= 0 AND rollout <= 10000),
  CONSTRAINT required_bool_fields CHECK (1 = CASE WHEN flag_type = 'bool' AND bool_value IS NULL THEN 0
    WHEN flag_type <> 'bool' AND bool_value IS NOT NULL THEN 0 ELSE 1 END),
  CONSTRAINT required_rollout_fields CHECK (1 = CASE WHEN flag_type = 'rollout' AND rollout IS NULL THEN 0
    WHEN flag_type <> 'rollout' AND rollout IS NOT NULL THEN 0 ELSE 1 END));

-- Parallel arrays.
CREATE TABLE sub_repo_permissions (repo_id integer NOT NULL, user_id integer NOT NULL, paths text[], ips text[],
  CONSTRAINT ips_paths_length_check CHECK (ips IS NULL OR (array_length(ips, 1) = array_length(paths, 1) AND NOT ('' = ANY (ips)))),
  PRIMARY KEY (repo_id, user_id));

-- An exclusion constraint of equalities only: a partial unique key.
CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL);
CREATE TABLE invitations (user_id integer NOT NULL REFERENCES users (id), email text NOT NULL, UNIQUE (user_id, email));
CREATE TABLE user_emails (id bigserial PRIMARY KEY, user_id integer NOT NULL REFERENCES users (id), email citext NOT NULL,
  verified_at timestamptz, deleted_at timestamptz,
  tenant_id integer DEFAULT (current_setting('app.current_tenant'::text))::integer NOT NULL,
  CONSTRAINT user_emails_no_duplicates_per_user UNIQUE (user_id, email),
  CONSTRAINT user_emails_unique_verified_email EXCLUDE USING btree (email WITH =, tenant_id WITH =) WHERE (verified_at IS NOT NULL AND deleted_at IS NULL));

-- An INSERT trigger that reads the changed path's ancestors: they must be loaded before its rows.
CREATE TABLE repo_paths (id serial PRIMARY KEY, parent_id integer REFERENCES repo_paths (id), path text NOT NULL);
CREATE TABLE contributions (id serial PRIMARY KEY, author_id integer NOT NULL, path_id integer NOT NULL REFERENCES repo_paths (id),
  note text, summary text, kind text, source text, committed_at timestamptz NOT NULL);
CREATE TABLE contribution_totals (author_id integer NOT NULL, path_id integer NOT NULL, n integer NOT NULL, PRIMARY KEY (author_id, path_id));
CREATE FUNCTION contribution_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH RECURSIVE ancestors AS (SELECT id, parent_id FROM repo_paths WHERE id = NEW.path_id
    UNION ALL SELECT p.id, p.parent_id FROM repo_paths p JOIN ancestors a ON p.id = a.parent_id)
  INSERT INTO contribution_totals (author_id, path_id, n) SELECT NEW.author_id, id, 1 FROM ancestors
  ON CONFLICT (author_id, path_id) DO UPDATE SET n = contribution_totals.n + 1;
  RETURN NEW;
END $$;
CREATE TRIGGER contribution_totaled AFTER INSERT ON contributions FOR EACH ROW EXECUTE FUNCTION contribution_total();
`;

const scratch = scratchEngines('understudy_tenant');
const scratchPostgres = scratch.engines.find((e) => e.name === 'postgres')!;

const files = shapeFiles('understudy-tenant-shapes-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

/** Every expectation, in SQL. */
async function expectShapes(query: Query): Promise<void> {
  // The file's own row (its tenant from the setting) is kept; each repository got its state row from the trigger, in tenant 1.
  expect(await count(query, "SELECT count(*) FROM policies WHERE name = 'default' AND tenant_id = 1")).toBe(1);
  expect(await count(query, 'SELECT count(*) FROM repos')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM repo_states s JOIN repos r ON r.id = s.repo_id WHERE s.tenant_id = 1')).toBe(ROWS);

  // Tag names match the pattern with its look-ahead and are unique per tenant; every mapping has its tag.
  expect(await count(query, 'SELECT count(*) FROM prompt_tags')).toBe(ROWS);
  expect(await count(query, "SELECT count(*) FROM prompt_tags WHERE name !~ '^[a-zA-Z0-9](?:[a-zA-Z0-9]|[-._\\s](?=[a-zA-Z0-9]))*-?$'")).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM (SELECT 1 FROM prompt_tags GROUP BY tenant_id, name HAVING count(*) > 1) d')).toBe(0);
  // As short as the key allows, not as long as the column does.
  expect(await count(query, 'SELECT max(char_length(name)) FROM prompt_tags')).toBeLessThanOrEqual(12);
  expect(await count(query, 'SELECT count(*) FROM prompt_tag_mappings m JOIN prompt_tags t ON t.id = m.prompt_tag_id')).toBe(ROWS);

  // JSON of the type and keys the CHECKs ask for.
  expect(await count(query, "SELECT count(*) FROM notebooks WHERE jsonb_typeof(blocks) = 'array' AND jsonb_array_length(blocks) > 0")).toBe(ROWS);
  expect(await count(query, "SELECT count(*) FROM notebooks WHERE metadata IS NOT NULL AND jsonb_typeof(metadata) <> 'object'")).toBe(0);
  expect(await count(query, "SELECT count(*) FROM package_filters WHERE matcher ->> 'VersionGlob' <> '' AND matcher ->> 'PackageName' <> '' AND NOT matcher ? 'PackageGlob'")).toBe(ROWS);

  // The boolean follows the NULLs, and each flag holds the value of its type only.
  expect(await count(query, 'SELECT count(*) FROM permission_jobs WHERE (permissions IS NULL) <> unrestricted')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM feature_flags')).toBe(ROWS);
  expect(await count(query, "SELECT count(*) FROM feature_flags WHERE (flag_type = 'bool') <> (bool_value IS NOT NULL) OR (flag_type = 'rollout') <> (rollout IS NOT NULL)")).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT flag_type) FROM feature_flags')).toBe(2);

  // Parallel arrays of one size, no empty address.
  expect(await count(query, 'SELECT count(*) FROM sub_repo_permissions WHERE ips IS NOT NULL AND paths IS NOT NULL')).toBeGreaterThan(0);
  expect(await count(query, 'SELECT count(*) FROM sub_repo_permissions WHERE array_length(ips, 1) <> array_length(paths, 1)')).toBe(0);
  expect(await count(query, "SELECT count(*) FROM sub_repo_permissions WHERE '' = ANY (ips)")).toBe(0);

  // Emails numbered within their user still read as addresses; no two verified, undeleted emails of a tenant are equal.
  expect(await count(query, "SELECT count(*) FROM user_emails WHERE email NOT LIKE '%_@_%._%'")).toBe(0);
  expect(await count(query, "SELECT count(*) FROM invitations WHERE email LIKE '%_@_%._%'")).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM user_emails')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM user_emails WHERE verified_at IS NOT NULL AND deleted_at IS NULL')).toBeGreaterThan(0);
  expect(await count(query, 'SELECT count(*) FROM (SELECT 1 FROM user_emails WHERE verified_at IS NOT NULL AND deleted_at IS NULL GROUP BY email, tenant_id HAVING count(*) > 1) d')).toBe(0);

  // The trigger found each contribution's ancestors: one total per author and ancestor, counting its contributions.
  const expected = `WITH RECURSIVE up AS (SELECT c.author_id, p.id, p.parent_id FROM contributions c JOIN repo_paths p ON p.id = c.path_id
    UNION ALL SELECT u.author_id, p.id, p.parent_id FROM up u JOIN repo_paths p ON p.id = u.parent_id) SELECT author_id, id AS path_id, count(*) AS n FROM up GROUP BY 1, 2`;
  expect(await count(query, `SELECT count(*) FROM (${expected}) e`)).toBeGreaterThanOrEqual(ROWS);
  expect(await count(query, 'SELECT count(*) FROM contribution_totals')).toBe(await count(query, `SELECT count(*) FROM (${expected}) e`));
  expect(await count(query, `SELECT count(*) FROM (${expected}) e LEFT JOIN contribution_totals t USING (author_id, path_id) WHERE t.n IS DISTINCT FROM e.n`)).toBe(0);
}

describe('multi-tenant production shapes: session settings, look-aheads, JSON CHECKs, CASE-spelled NULL rules, equality exclusions, triggers that read parents', () => {
  it('seeds them into PGlite from the file, and the rows hold in SQL', async () => {
    const file = await files.ddlFile(DDL);
    const data = join(file, '..', 'db');
    const result = await runCli(['seed', '--from', file, '--pglite', data, '--rows', String(ROWS)]);
    expect(result.code, result.stderr).toBe(0);
    // Both loads say they set the setting the file never sets.
    expect(`${result.stdout}${result.stderr}`).toMatch(/set app\.current_tenant = '1' for the load/);
    await queryKeptPglite(data, ['citext'], expectShapes);
  }, 120_000);

  it('reopens a kept PGlite whose file created pg_stat_statements (a preloaded library) and hstore: introspect, and seed it again', async () => {
    const file = await files.ddlFile(DDL);
    const optional = join(file, '..', 'optional.sql');
    // The file installs an optional extension when it can (PGlite can: it preloads its library from then on).
    await writeFile(
      optional,
      `DO $$ BEGIN CREATE EXTENSION IF NOT EXISTS pg_stat_statements; EXCEPTION WHEN OTHERS THEN RAISE NOTICE 'skipping: %', SQLERRM; END $$;
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TABLE audit (id serial PRIMARY KEY, fields hstore NOT NULL);`,
    );
    const data = join(file, '..', 'kept');
    const seeded = await runCli(['seed', '--from', optional, '--pglite', data, '--rows', '20']);
    expect(seeded.code, seeded.stderr).toBe(0);
    // What the seed prints to do next works: before, "internal error … PGlite failed to initialize properly".
    const summary = await runCli(['introspect', '--url', `pglite://${data}`, '--summary']);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/1 tables/);
    const again = await runCli(['seed', '--url', `pglite://${data}`, '--truncate', '--rows', '30']);
    expect(again.code, again.stderr).toBe(0);
    await queryKeptPglite(data, [], async (query) => expect(await count(query, 'SELECT count(*) FROM audit WHERE array_length(akeys(fields), 1) > 0')).toBe(30));
  }, 120_000);

  it.skipIf(!pgUrl)(
    'seeds them into PostgreSQL (the DDL loaded as the application loads it, with its setting), and the rows hold in SQL',
    async () => {
      const db = await scratchPostgres.create();
      await db.query(`SET app.current_tenant = '1'; ${DDL}; RESET app.current_tenant`);
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      expect(`${result.stdout}${result.stderr}`).toMatch(/set app\.current_tenant = '1' for the load: column defaults read it/);
      await expectShapes(db.query);
    },
    120_000,
  );
});
