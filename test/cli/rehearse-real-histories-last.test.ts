/**
 * Classes found rehearsing real histories as a new user (docs/corpus.md, "Real histories tried as
 * a new user (2026-12-07, last)"), each reduced to a small folder written for this project, rehearsed
 * through the built CLI on PGlite (the classes are engine-independent), the database kept so that
 * the test's own SQL checks the report:
 *
 * - defguard's ACL ranges: `CHECK ("start" < "end")` over two `inet` columns (and `host("start")::inet
 *   = "start"`, host addresses only). The ordering was generated for times and numbers only, so the
 *   seeded rows broke the CHECK and both range tables were left empty. An `inet` after another is now
 *   that address plus a small step.
 * - defguard's `multiple_peer_addresses`: `SET wireguard_ips = ARRAY[wireguard_ip]`, then the old
 *   column dropped. Each address is kept, as a one-element array, but the rehearsal called the
 *   column "dropped with 1000 non-NULL values": an array constructor now carries its elements, as a
 *   function such as `to_jsonb(c)` did.
 * - JSON keys a MySQL or MariaDB migration reads with `JSON_EXTRACT(col, '$.k')`, `JSON_VALUE`,
 *   `JSON_UNQUOTE(…)` or `col->>'$.k'` and matches with another table's key were not seeded (the
 *   PostgreSQL operators were): every row failed the match, a false "all rows deleted". They are now read
 *   as PostgreSQL's are.
 * - convoy's rubenv/sql-migrate files (`1677078479.sql`, `-- +migrate Up` / `-- +migrate Down`) were read
 *   as plain numbered SQL, so the Down section ran with the Up: the baseline dropped the tables it had
 *   just made, and the next migration failed (exit 3). sql-migrate is now a tool Understudy reads.
 * - convoy's `idx_backup_jobs_pending … WHERE status IN ('pending', 'claimed')` on a varchar: the seed
 *   drops indexes and makes them again from `pg_get_indexdef`, whose text PostgreSQL parses into another
 *   expression (`ARRAY[…]::text[]` becomes `ARRAY['pending'::varchar::text, …]`). The schema before the
 *   pending migrations was read before the seed, so every rehearsal reported the index changed, and the
 *   downs "not restoring" it. It is now read after the seed.
 * - authelia's `WebAuthnAttestationType` renames `attestation_type` to `attestation_format` and adds a new
 *   `attestation_type`: the data changes said "attestation_type: 1,000 rows changed, distinct 792 → 1", as
 *   if the values had been overwritten. They now say where the values went, and that the name holds
 *   another column.
 * - rauthy's `passkeys.passkey_user_id NOT NULL REFERENCES users (webauthn_user_id)`, where `users` holds only
 *   the rows the baseline inserted (kept as they are), none with a `webauthn_user_id`: no row can be seeded,
 *   and the note said its rows "broke a constraint the generator does not follow". The plan now gives the
 *   table no rows and says why.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { RehearsalReportModel } from '@understudy/rehearse';
import { afterAll, describe, expect, it } from 'vitest';
import { historyFolders, queryKeptDatabase } from '../history-folders.js';
import { runCli } from '../run-cli.js';

const { work, folder, remove } = await historyFolders('understudy-real-histories-last-');
afterAll(remove);

describe('inet ranges ordered by a CHECK, and addresses wrapped into arrays before a drop (defguard)', () => {
  it('seeds the ranges in order and calls the wrapped column no loss', async () => {
    const dir = await folder('inet-ranges', {
      '001_acl.up.sql': `CREATE TABLE acl_rule (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE acl_rule_range (
    id BIGSERIAL PRIMARY KEY,
    rule_id BIGINT NOT NULL REFERENCES acl_rule (id) ON DELETE CASCADE,
    "start" inet NOT NULL,
    "end" inet NOT NULL,
    CONSTRAINT no_networks CHECK (host("start")::inet = "start" AND host("end")::inet = "end"),
    CONSTRAINT range_order CHECK ("start" < "end")
);
CREATE TABLE network_device (id BIGSERIAL PRIMARY KEY, wireguard_ip inet NOT NULL, preshared_key TEXT);
`,
      '002_multiple_peer_addresses.up.sql': `ALTER TABLE network_device
ADD COLUMN wireguard_ips inet[] NOT NULL DEFAULT '{}';

UPDATE network_device
SET wireguard_ips = ARRAY[wireguard_ip];

ALTER TABLE network_device
DROP COLUMN wireguard_ip;
`,
    });
    const json = join(work, 'inet-ranges.json');
    const kept = join(work, 'inet-ranges-db');
    const result = await runCli(['rehearse', dir, '--rows', '300', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['002', 'passed']]);
    expect(report.hazards).toEqual([]);
    expect(report.notes.filter((n) => /left empty/.test(n))).toEqual([]);
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM acl_rule_range)::int AS ranges,
                (SELECT count(*) FROM acl_rule_range WHERE "start" < "end" AND host("start")::inet = "start" AND host("end")::inet = "end")::int AS ordered,
                (SELECT count(DISTINCT "end" - "start") FROM acl_rule_range)::int AS widths,
                (SELECT count(*) FROM network_device)::int AS devices,
                (SELECT count(*) FROM network_device WHERE cardinality(wireguard_ips) = 1 AND wireguard_ips[1] IS NOT NULL)::int AS wrapped,
                (SELECT count(*) FROM information_schema.columns WHERE table_name = 'network_device' AND column_name = 'wireguard_ip')::int AS old_column`,
      ),
    ).toEqual([{ ranges: 300, ordered: 300, widths: expect.any(Number), devices: 300, wrapped: 300, old_column: 0 }]);
    const [{ widths }] = (await queryKeptDatabase(kept, 'SELECT count(DISTINCT "end" - "start")::int AS widths FROM acl_rule_range')) as [{ widths: number }];
    // Ranges of several widths, not one step for every row.
    expect(widths).toBeGreaterThan(10);
  });
});

describe('rubenv/sql-migrate files (convoy)', () => {
  it('runs the Up sections only, a notransaction Up outside a transaction, and the Down sections as downs', async () => {
    const dir = await folder('sql-migrate', {
      '1677078479.sql': `-- +migrate Up
CREATE SCHEMA IF NOT EXISTS convoy;
CREATE TABLE IF NOT EXISTS convoy.endpoints (id CHAR(26) PRIMARY KEY, title TEXT NOT NULL, owner_id TEXT);

-- +migrate StatementBegin
CREATE OR REPLACE FUNCTION convoy.touch() RETURNS trigger AS $$
BEGIN
    NEW.title := trim(NEW.title);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +migrate StatementEnd

-- +migrate Down
DROP FUNCTION IF EXISTS convoy.touch();
DROP TABLE IF EXISTS convoy.endpoints;
DROP SCHEMA IF EXISTS convoy;
`,
      '1677770163.sql': `-- +migrate Up notransaction
SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_endpoints_owner_id_key ON convoy.endpoints (owner_id);

-- +migrate Down notransaction
DROP INDEX CONCURRENTLY IF EXISTS convoy.idx_endpoints_owner_id_key;
`,
      '1679836136.sql': `-- +migrate Up
ALTER TABLE convoy.endpoints ADD COLUMN IF NOT EXISTS slack_webhook_url TEXT;

-- +migrate Down
ALTER TABLE convoy.endpoints DROP COLUMN IF EXISTS slack_webhook_url;
`,
    });
    const json = join(work, 'sql-migrate.json');
    const kept = join(work, 'sql-migrate-db');
    const result = await runCli(['rehearse', dir, '--pending', '2', '--rows', '100', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.format).toBe('sql-migrate');
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['1677770163', 'passed'],
      ['1679836136', 'passed'],
    ]);
    expect(report.down?.restored).toBe(true);
    // The kept database is as the downs left it: the baseline's table with its rows, the pending index and column gone.
    expect(
      await queryKeptDatabase(
        kept,
        `SELECT (SELECT count(*) FROM convoy.endpoints)::int AS endpoints,
                (SELECT count(*) FROM pg_proc WHERE proname = 'touch')::int AS functions,
                (SELECT count(*) FROM pg_indexes WHERE indexname = 'idx_endpoints_owner_id_key')::int AS indexes`,
      ),
    ).toEqual([{ endpoints: 100, functions: 1, indexes: 0 }]);
  });
});

describe('a partial index over a varchar IN list, which the seed makes again (convoy)', () => {
  it('is no schema change and no down mismatch', async () => {
    const dir = await folder('varchar-in-index', {
      '001_backup_jobs.up.sql': `CREATE TABLE backup_jobs (id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL DEFAULT 'pending', created_at TIMESTAMPTZ NOT NULL DEFAULT NOW());
CREATE INDEX idx_backup_jobs_pending ON backup_jobs (status, created_at) WHERE status IN ('pending', 'claimed');
CREATE TABLE dropped_indexes (index_name TEXT PRIMARY KEY, definition TEXT NOT NULL);
`,
      '002_blocked.up.sql': 'ALTER TABLE dropped_indexes ADD COLUMN IF NOT EXISTS blocked_at TIMESTAMPTZ;\n',
      '002_blocked.down.sql': 'ALTER TABLE dropped_indexes DROP COLUMN IF EXISTS blocked_at;\n',
    });
    const json = join(work, 'varchar-in-index.json');
    const kept = join(work, 'varchar-in-index-db');
    const result = await runCli(['rehearse', dir, '--rows', '200', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.schemaChanges.filter((c) => c.object === 'index')).toEqual([]);
    expect(report.down?.restored).toBe(true);
    expect(report.hazards).toEqual([]);
    // The kept database holds the seeded rows and the partial index, with its IN list.
    const [row] = await queryKeptDatabase(
      kept,
      `SELECT (SELECT count(*) FROM backup_jobs)::int AS jobs,
              (SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_backup_jobs_pending') AS def`,
    );
    expect(row!['jobs']).toBe(200);
    expect(String(row!['def'])).toMatch(/WHERE .*status.*'pending'.*'claimed'/);
  });
});

describe('a column renamed and its name given to a new column (authelia)', () => {
  it('says the values moved to the new name, not that they were overwritten', async () => {
    const dir = await folder('rename-reuse', {
      '001_webauthn.up.sql': 'CREATE TABLE webauthn_credentials (id SERIAL PRIMARY KEY, attestation_type VARCHAR(32));\n',
      '002_attestation.up.sql': `ALTER TABLE webauthn_credentials RENAME COLUMN attestation_type TO attestation_format;
ALTER TABLE webauthn_credentials ADD COLUMN attestation_type VARCHAR(32) NOT NULL DEFAULT '';
`,
    });
    const json = join(work, 'rename-reuse.json');
    const kept = join(work, 'rename-reuse-db');
    const result = await runCli(['rehearse', dir, '--rows', '200', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const column = report.dataChanges.find((t) => t.table === 'public.webauthn_credentials')?.columns.find((c) => c.column === 'attestation_type');
    expect(column?.movedTo).toMatch(/^public\.webauthn_credentials\.attestation_format \(002\)$/);
    expect(result.stdout).toMatch(/attestation_type: values moved to public\.webauthn_credentials\.attestation_format \(002\); the name now holds another column: 200 rows changed/);
    // The kept database: the old values under the new name, the new column all ''.
    const [row] = await queryKeptDatabase(
      kept,
      `SELECT count(attestation_format)::int AS kept, count(DISTINCT attestation_format)::int AS distinct_kept,
              count(*) FILTER (WHERE attestation_type = '')::int AS empty FROM webauthn_credentials`,
    );
    expect(row!['empty']).toBe(200);
    expect(Number(row!['kept'])).toBeGreaterThan(150);
    expect(Number(row!['distinct_kept'])).toBeGreaterThan(100);
  });
});

describe('a NOT NULL foreign key to a column the kept rows leave NULL (rauthy)', () => {
  it('plans the table empty and says which parent column has no value, instead of a failed load', async () => {
    const dir = await folder('kept-null-parent', {
      'V1__init_schema.sql': `CREATE TABLE users (id VARCHAR PRIMARY KEY, email VARCHAR NOT NULL UNIQUE, webauthn_user_id VARCHAR UNIQUE);
CREATE TABLE passkeys (
    user_id VARCHAR NOT NULL REFERENCES users ON UPDATE CASCADE ON DELETE CASCADE,
    name VARCHAR NOT NULL,
    passkey_user_id VARCHAR NOT NULL REFERENCES users (webauthn_user_id) ON UPDATE CASCADE ON DELETE CASCADE,
    passkey VARCHAR NOT NULL,
    PRIMARY KEY (user_id, name)
);
CREATE TABLE sessions (id VARCHAR PRIMARY KEY, user_id VARCHAR REFERENCES users, exp BIGINT NOT NULL);
`,
      'V2__init_data.sql': "INSERT INTO users (id, email) VALUES ('za9UxpH7', 'admin@localhost'), ('m4PJ3Tny', 'init_admin@localhost');\n",
      'V3__passkey_names.sql': 'ALTER TABLE passkeys ADD COLUMN last_used BIGINT;\n',
    });
    const json = join(work, 'kept-null-parent.json');
    const kept = join(work, 'kept-null-parent-db');
    const result = await runCli(['rehearse', dir, '--rows', '100', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.notes.filter((n) => /broke a constraint/.test(n))).toEqual([]);
    expect(report.notes).toContainEqual(expect.stringMatching(/public\.passkeys.*public\.users\.webauthn_user_id.*none of its 2 rows/));
    const [row] = await queryKeptDatabase(
      kept,
      `SELECT (SELECT count(*) FROM passkeys)::int AS passkeys, (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM sessions)::int AS sessions, (SELECT count(*) FROM users WHERE webauthn_user_id IS NOT NULL)::int AS with_webauthn`,
    );
    expect(row).toEqual({ passkeys: 0, users: 2, sessions: 100, with_webauthn: 0 });
  });
});

const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];

describe.skipIf(!MYSQL_URL)('JSON keys a MySQL migration reads with JSON paths and matches against another table, on MariaDB', () => {
  it('seeds the keys with values of the column they are compared with, so no row is falsely lost', async () => {
    const dir = await folder('mysql-json-keys', {
      '001_base.up.sql': `CREATE TABLE clients (id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE sessions (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, request_data JSON NOT NULL);
CREATE TABLE grants (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, doc LONGTEXT NOT NULL);
CREATE TABLE events (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, payload JSON NOT NULL);
`,
      // pocket-id's shape in MySQL's words: the key copied into a new column, then matched with clients.id.
      '002_session_client.up.sql': `ALTER TABLE sessions ADD COLUMN client_id VARCHAR(36) NULL;
UPDATE sessions SET client_id = JSON_UNQUOTE(JSON_EXTRACT(request_data, '$.client_id'));
DELETE FROM sessions WHERE client_id IS NULL OR client_id NOT IN (SELECT id FROM clients);
ALTER TABLE sessions MODIFY client_id VARCHAR(36) NOT NULL, ADD CONSTRAINT sessions_client_fk FOREIGN KEY (client_id) REFERENCES clients (id);
`,
      // JSON_VALUE on a text column read as JSON, matched with IN (SELECT …); a nested path compared in a join.
      '003_grants_events.up.sql': `DELETE FROM grants WHERE JSON_VALUE(doc, '$.grant.client') IS NULL
   OR JSON_VALUE(doc, '$.grant.client') NOT IN (SELECT c.id FROM clients c);
DELETE e FROM events e LEFT JOIN clients c ON c.id = JSON_UNQUOTE(JSON_EXTRACT(e.payload, '$.actor.client')) WHERE c.id IS NULL;
`,
    });
    const json = join(work, 'mysql-json-keys.json');
    const result = await runCli(['rehearse', dir, '--pending', '2', '--rows', '300', '--no-down', '--url', MYSQL_URL!, '--keep', '--json', json]);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const database = decodeURIComponent(new URL(report.environment).pathname.slice(1));
    const url = new URL(MYSQL_URL!);
    const conn = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), database });
    try {
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(report.migrations.map((m) => [m.id, m.status])).toEqual([
        ['002', 'passed'],
        ['003', 'passed'],
      ]);
      expect(report.hazards.filter((h) => h.kind === 'data-lost')).toEqual([]);
      const [rows] = await conn.query(
        `SELECT (SELECT COUNT(*) FROM sessions s JOIN clients c ON c.id = s.client_id) AS sessions,
                (SELECT COUNT(DISTINCT client_id) FROM sessions) AS distinct_clients,
                (SELECT COUNT(*) FROM grants g JOIN clients c ON c.id = JSON_VALUE(g.doc, '$.grant.client')) AS grants,
                (SELECT COUNT(*) FROM events e JOIN clients c ON c.id = JSON_UNQUOTE(JSON_EXTRACT(e.payload, '$.actor.client'))) AS events`,
      );
      const [counts] = rows as Array<Record<string, unknown>>;
      expect([counts!['sessions'], counts!['grants'], counts!['events']].map(Number)).toEqual([300, 300, 300]);
      // Drawn from the clients, not one value for every row.
      expect(Number(counts!['distinct_clients'])).toBeGreaterThan(100);
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.end();
    }
  });
});
