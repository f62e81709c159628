/**
 * A seed locks every table, key and index it loads in one transaction. A schema
 * of hundreds of tables ran PostgreSQL's default lock table out (`out of shared
 * memory` at ~260 tables of a key, a unique column, an index and an FK each):
 * the embedded PGlite now starts with room for it. Checked in SQL.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openPglite } from '@understudy/postgres';
import { runCli } from '../run-cli.js';

const TABLES = 400;
let work: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

it(`seeds ${TABLES} tables (a key, a unique column, an index and a foreign key each) into PGlite in one transaction`, async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-many-'));
  const ddl = Array.from(
    { length: TABLES },
    (_, i) => `CREATE TABLE t${i} (id int PRIMARY KEY, code text UNIQUE, at timestamptz${i > 0 ? `, parent_id int REFERENCES t${i - 1} (id)` : ''});\nCREATE INDEX t${i}_at ON t${i} (at);`,
  ).join('\n');
  await writeFile(join(work, 'many.sql'), ddl);
  const dir = join(work, 'db');
  const result = await runCli(['seed', '--from', join(work, 'many.sql'), '--rows', '3', '--pglite', dir, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const conn = await openPglite({ dataDir: dir });
  try {
    const counts = await conn.pglite.query<{ n: number }>(
      `SELECT sum((xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I', relname), false, true, '')))[1]::text::int)::int AS n FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace`,
    );
    expect(counts.rows[0]!.n).toBe(TABLES * 3);
    const keys = await conn.pglite.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f')`);
    // Every key and foreign key is back, so each was validated against the loaded rows when it was added.
    expect(keys.rows[0]!.n).toBe(TABLES * 3 - 1);
  } finally {
    await conn.close();
  }
}, 900_000);
