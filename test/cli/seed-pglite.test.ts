/**
 * `understudy seed` into the embedded PGlite (no server needed), through the
 * built CLI, then an independent SQL check of the result.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '@understudy/postgres';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { runCli } from '../run-cli.js';
import { PG_FIXTURES, rowsLabel, SEED_SIZES } from './pg-fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function seedAndCheck(fixture: string, rows: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'understudy-pglite-'));
  dirs.push(dir);
  const data = join(dir, 'db');
  const result = await runCli(['seed', '--from', fixture, '--rows', String(rows), '--pglite', data, '--workers', '2', '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const conn = await openPglite({ dataDir: data, extensions: ['citext', 'hstore', 'ltree', 'pg_trgm', 'uuid-ossp', 'btree_gist'] }).catch(() => openPglite({ dataDir: data }));
  try {
    const schema = await conn.introspect();
    const target: CheckTarget = {
      dialect: 'postgres',
      quote: (n) => `"${n.replace(/"/g, '""')}"`,
      query: async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows,
    };
    const report = await checkSeededDatabase(target, schema, reportedRows(result.stdout));
    expect(report.problems).toEqual([]);
    expect(Object.keys(report.counts).length).toBeGreaterThan(3);
  } finally {
    await conn.close();
  }
}

describe('understudy seed into the embedded PGlite', () => {
  for (const rows of SEED_SIZES) {
    for (const fixture of PG_FIXTURES) {
      it(`seeds ${fixture} at ${rowsLabel(rows)} rows per table with every constraint satisfied`, () => seedAndCheck(fixture, rows), 900_000);
    }
  }

  it('explains what to give when --schema has no DDL for the embedded database', async () => {
    const result = await runCli(['seed', '--schema', 'no-such.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--schema has no DDL to create the tables in the embedded PGlite');
  });

  it('runs a schema with pgvector columns and an HNSW index (the extension loaded from @electric-sql/pglite-pgvector)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-pglite-vector-'));
    dirs.push(dir);
    const ddl = join(dir, 'schema.sql');
    await writeFile(
      ddl,
      `CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE documents (id bigserial PRIMARY KEY, title text NOT NULL);
CREATE TABLE chunks (
  id bigserial PRIMARY KEY,
  document_id bigint NOT NULL REFERENCES documents (id),
  embedding vector(8) NOT NULL,
  summary_embedding halfvec(4)
);
CREATE INDEX chunks_embedding_idx ON chunks USING hnsw (embedding vector_cosine_ops);
`,
    );
    const data = join(dir, 'db');
    const result = await runCli(['seed', '--from', ddl, '--pglite', data, '--rows', '40']);
    expect(result.code, result.stderr).toBe(0);
    const conn = await openPglite({ dataDir: data, extensions: ['vector'] });
    try {
      const [row] = (
        await conn.pglite.query<{ n: number; dims_low: number; dims_high: number; half_dims: number | null; orphans: number; nearest: number }>(
          `SELECT count(*)::int AS n, min(vector_dims(embedding))::int AS dims_low, max(vector_dims(embedding))::int AS dims_high,
                  max(vector_dims(summary_embedding))::int AS half_dims,
                  (SELECT count(*)::int FROM chunks c LEFT JOIN documents d ON d.id = c.document_id WHERE d.id IS NULL) AS orphans,
                  (SELECT count(*)::int FROM (SELECT id FROM chunks ORDER BY embedding <=> (SELECT embedding FROM chunks LIMIT 1) LIMIT 5) t) AS nearest
             FROM chunks`,
        )
      ).rows;
      expect(row).toEqual({ n: 40, dims_low: 8, dims_high: 8, half_dims: 4, orphans: 0, nearest: 5 });
    } finally {
      await conn.close();
    }
  }, 300_000);

  it('--dry-run prints the plan and writes nothing', async () => {
    const result = await runCli(['seed', '--from', 'fixtures/schemas/chinook/postgresql/schema.sql', '--rows', '10', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('public.track  10 rows');
    expect(result.stderr).toContain('dry run: nothing was written');
  });
});
