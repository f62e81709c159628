/**
 * `understudy seed --drizzle` on the drizzle test modules (fixtures/drizzle), through
 * the built CLI: what the module knows and the database does not steers the data
 * (TypeScript-only enums, $defaultFn ids, Date.now() epochs), checked in SQL; the kept
 * PGlite's usage hint runs as printed, a mixed-case table included; a MySQL module needs
 * a target; `--dry-run` with --url lists every difference between module and database.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { Schema } from '@understudy/core';
import { createScratchDatabase, dropScratchDatabase, openPglite, urlForDatabase } from '@understudy/postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { repoRoot, runCli } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping seed --drizzle --url --dry-run against a PostgreSQL server');

const quote = (n: string): string => `"${n.replace(/"/g, '""')}"`;

describe('seed --drizzle into an embedded PGlite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'understudy-seed-drizzle-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes the values the module knows: TypeScript-only enums, nanoid and cuid2 ids, prefixed ids, epochs', async () => {
    const db = join(dir, 'hints');
    const result = await runCli(['seed', '--drizzle', 'fixtures/drizzle/pg-hints-schema.ts', '--pglite', db, '--rows', '1000', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const introspected = await runCli(['introspect', '--url', `pglite://${db}`]);
    const kept = new PGlite(db);
    try {
      const one = async (sql: string): Promise<Record<string, unknown>> => (await kept.query<Record<string, unknown>>(sql)).rows[0]!;
      expect(
        await one(`SELECT count(*) FILTER (WHERE id !~ '^[A-Za-z0-9_-]{21}$')::int AS bad_id,
          count(*) FILTER (WHERE slug !~ '^[a-z][a-z0-9]{23}$')::int AS bad_slug,
          count(DISTINCT id)::int AS ids, count(DISTINCT slug)::int AS slugs,
          count(*) FILTER (WHERE visibility NOT IN ('public', 'private', 'unlisted'))::int AS bad_visibility,
          count(DISTINCT visibility)::int AS visibilities,
          count(*) FILTER (WHERE kind IS NOT NULL AND kind NOT IN ('article', 'video'))::int AS bad_kind,
          count(*) FILTER (WHERE created_at_ms NOT BETWEEN ${Date.UTC(2020, 0, 1)} AND ${Date.UTC(2026, 0, 1)})::int AS bad_ms,
          count(*) FILTER (WHERE touched_at NOT BETWEEN ${Date.UTC(2020, 0, 1) / 1000} AND ${Date.UTC(2026, 0, 1) / 1000})::int AS bad_s
          FROM links`),
      ).toEqual({ bad_id: 0, bad_slug: 0, ids: 1000, slugs: 1000, bad_visibility: 0, visibilities: 3, bad_kind: 0, bad_ms: 0, bad_s: 0 });
      expect(await one(`SELECT count(*) FILTER (WHERE id !~ '^clk_[A-Za-z0-9_-]{16}$')::int AS bad FROM clicks`)).toEqual({ bad: 0 });
      const target: CheckTarget = { dialect: 'postgres', quote, query: async (sql) => (await kept.query<Record<string, unknown>>(sql)).rows };
      const report = await checkSeededDatabase(target, JSON.parse(introspected.stdout) as Schema, reportedRows(result.stdout));
      expect(report.problems).toEqual([]);
    } finally {
      await kept.close();
    }
  });

  it('creates pgvector for vector and halfvec columns (drizzle-kit writes no CREATE EXTENSION), and fills them', async () => {
    const db = join(dir, 'vector');
    const result = await runCli(['seed', '--drizzle', 'fixtures/drizzle/pg-vector-schema.ts', '--pglite', db, '--rows', '50']);
    expect(result.code, result.stderr).toBe(0);
    const kept = await openPglite({ dataDir: db, extensions: ['vector'] });
    try {
      const one = async (sql: string): Promise<Record<string, unknown>> => (await kept.pglite.query<Record<string, unknown>>(sql)).rows[0]!;
      expect(
        await one(`SELECT count(*)::int AS n, count(*) FILTER (WHERE vector_dims(embedding) <> 8)::int AS bad_dims,
          count(*) FILTER (WHERE preview IS NOT NULL AND vector_dims(preview::vector) <> 4)::int AS bad_preview
          FROM document_embeddings`),
      ).toEqual({ n: 50, bad_dims: 0, bad_preview: 0 });
      expect(await one(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'vector'`)).toEqual({ n: 1 });
    } finally {
      await kept.close();
    }
  });

  it('a project run from its root (a Supabase app): schema path, a table the platform provides, partial-index values, a mistyped relation', async () => {
    // fixtures/drizzle/supabase-app, as helper (antiwork) lays it out: db/drizzle.config.ts says `schema: 'db/schema'`,
    // relative to the root drizzle-kit runs in; it imports settings that throw without the app's environment.
    const db = join(dir, 'supabase-app');
    const result = await runCli(['seed', '--drizzle', 'db/drizzle.config.ts', '--pglite', db, '--rows', '40', '--json'], { cwd: join(repoRoot, 'fixtures/drizzle/supabase-app') });
    expect(result.code, result.stderr).toBe(0);
    const notes = result.stderr.split('\n').filter((l) => l.startsWith('note:'));
    expect(notes).toContain('note: db/drizzle.config.ts could not run here (Invalid environment variables): its schema, dialect and casing were read from its text');
    expect(notes.find((n) => n.startsWith('note: auth.users: referenced by the schema'))).toBeDefined();
    expect(notes).toContain('note: relation notifications.platformCustomer (platform_customer_id → platform_customers.email) joins a bigint to a character varying(255): not used as a foreign key');
    const introspected = await runCli(['introspect', '--url', `pglite://${db}`]);
    const kept = new PGlite(db);
    try {
      const one = async (sql: string): Promise<Record<string, unknown>> => (await kept.query<Record<string, unknown>>(sql)).rows[0]!;
      // auth.users exists, has rows, and every profile is one of its users (the foreign key holds).
      expect(
        await one('SELECT (SELECT count(*)::int FROM auth.users) AS users, count(*)::int AS profiles, count(u.id)::int AS matched FROM user_profiles p LEFT JOIN auth.users u ON u.id = p.id'),
      ).toEqual({
        users: 40,
        profiles: 40,
        matched: 40,
      });
      // The partial indexes hold the values the module gave (drizzle-kit printed $1, $2).
      const indexes = (
        await kept.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname IN ('messages_conversation_created_at_desc_idx', 'conversations_closed_idx') ORDER BY indexname`)
      ).rows;
      expect(indexes.map((r) => r.indexdef.replace(/^.* WHERE /, ''))).toEqual(["(status = 'closed'::text)", "((deleted_at IS NULL) AND (role = ANY (ARRAY['user'::text, 'staff'::text])))"]);
      const target: CheckTarget = { dialect: 'postgres', quote, query: async (sql) => (await kept.query<Record<string, unknown>>(sql)).rows };
      const report = await checkSeededDatabase(target, JSON.parse(introspected.stdout) as Schema, reportedRows(result.stdout));
      expect(report.problems).toEqual([]);
    } finally {
      await kept.close();
    }
  });

  it('prints a usage hint that runs as printed, quoting a mixed-case table', async () => {
    const db = join(dir, 'details');
    const result = await runCli(['seed', '--drizzle', 'fixtures/drizzle/pg-details-schema.ts', '--pglite', db, '--rows', '7']);
    expect(result.code, result.stderr).toBe(0);
    const line = result.stderr.split('\n').find((l) => l.trim().startsWith('node --input-type=module'));
    expect(line).toContain(`select count(*) from public.\\"Chat\\"`);
    const { stdout } = await promisify(execFile)('sh', ['-c', line!.trim()], { cwd: repoRoot });
    expect(stdout).toContain('count: 7');
  });

  it('a MySQL module needs --url: the embedded database is PostgreSQL', async () => {
    const result = await runCli(['seed', '--drizzle', 'fixtures/drizzle/mysql-schema.ts', '--rows', '5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fixtures/drizzle/mysql-schema.ts is a mysql schema, and the embedded database (PGlite) is PostgreSQL');
    expect(result.stderr).toContain('--url mysql://');
  });

  it('introspect takes one source, and says how to compare a module with a database', async () => {
    const result = await runCli(['introspect', '--drizzle', 'fixtures/drizzle/pg-schema.ts', '--url', 'postgres://localhost/app']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('introspect reads one schema: --drizzle (the module) or --url (the database), not both');
    expect(result.stderr).toContain('seed --drizzle --url URL --dry-run');
  });
});

describe.skipIf(!pgUrl)('seed --drizzle --url --dry-run on a database that drifted from the module', () => {
  let name: string;
  let url: string;
  beforeAll(async () => {
    name = await createScratchDatabase(pgUrl!, 'understudy_seed_drizzle');
    url = urlForDatabase(pgUrl!, name);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // The module's table, then a migration the module has not caught up with.
      await client.query(`CREATE TABLE "Chat" (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "ownerId" uuid NOT NULL, title text NOT NULL,
        visibility text NOT NULL DEFAULT 'private', settings jsonb NOT NULL DEFAULT '{"a": [1, 2], "theme": "dark", "notifications": {"email": true}}',
        "archivedAt" timestamp, pinned boolean NOT NULL DEFAULT false)`);
      await client.query(`CREATE INDEX "Chat_owner_title_idx" ON "Chat" ("ownerId", title)`);
      await client.query(`CREATE UNIQUE INDEX "Chat_live_title_key" ON "Chat" ("ownerId", title) WHERE "archivedAt" IS NULL`);
    } finally {
      await client.end();
    }
  });
  afterAll(async () => {
    if (name) await dropScratchDatabase(pgUrl!, name);
  });

  it('warns about each difference, like drizzle-kit check, and writes nothing', async () => {
    const result = await runCli(['seed', '--drizzle', 'fixtures/drizzle/pg-details-schema.ts', '--url', url, '--dry-run', '--rows', '10']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('warning:'))).toEqual([
      'warning: column public.Chat.pinned is in the database but not in the drizzle schema',
      'warning: index public.Chat.Chat_title_prefix_idx is in the drizzle schema but not in the database',
    ]);
    expect(result.stderr).toContain('dry run: nothing was written');
  });
});
