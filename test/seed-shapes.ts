/**
 * What the seed-shape end-to-end files share (`cli/seed-*-shapes.test.ts`,
 * `cli/seed-constraint-implications.test.ts`): their DDL written to a file in a temporary folder,
 * a count read by SQL, and the PGlite a seed kept opened to be queried.
 *
 * @example
 * ```ts
 * const files = shapeFiles('understudy-tenant-shapes-');
 * afterAll(files.remove);
 * const file = await files.ddlFile(DDL);
 * await runCli(['seed', '--from', file, '--pglite', join(file, '..', 'db')]);
 * await queryKeptPglite(join(file, '..', 'db'), ['citext'], async (query) => expect(await count(query, 'SELECT count(*) FROM t')).toBe(200));
 * ```
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@understudy/postgres';
import { expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import type { Query, ScratchEngine } from './scratch-databases.js';

/** Temporary folders holding a DDL file each, removed by `remove()`. */
export function shapeFiles(prefix: string): { ddlFile(ddl: string): Promise<string>; remove(): Promise<void> } {
  const dirs: string[] = [];
  return {
    async ddlFile(ddl) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      const file = join(dir, 'schema.sql');
      await writeFile(file, ddl);
      return file;
    },
    async remove() {
      for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The first column of the first row of `sql`, as a number (a `count(*)`). */
export async function count(query: Query, sql: string): Promise<number> {
  const rows = await query(sql);
  return Number(Object.values(rows[0] ?? {})[0]);
}

/** Opens the PGlite a seed kept in `dataDir` (with its extensions), runs `fn` on it, closes it. */
export async function queryKeptPglite(dataDir: string, extensions: readonly string[], fn: (query: Query) => Promise<void>): Promise<void> {
  const conn = await openPglite({ dataDir, ...(extensions.length > 0 ? { extensions: [...extensions] } : {}) });
  try {
    await fn(async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await conn.close();
  }
}

/**
 * The two cases most shape files start with: the DDL seeded into a PGlite from its file, then
 * (with a server) into a PostgreSQL database the DDL was loaded into first; `expectShapes`
 * checks the rows by SQL on each.
 */
export function seedsIntoPgliteAndPostgres(options: {
  readonly ddl: string;
  readonly rows: number;
  readonly files: ReturnType<typeof shapeFiles>;
  readonly postgres: ScratchEngine;
  readonly expectShapes: (query: Query) => Promise<void>;
}): void {
  const { ddl, rows, files, postgres, expectShapes } = options;
  it('seeds them into PGlite from the file, and the rows hold in SQL', async () => {
    const file = await files.ddlFile(ddl);
    const data = join(file, '..', 'db');
    const result = await runCli(['seed', '--from', file, '--pglite', data, '--rows', String(rows)]);
    expect(result.code, result.stderr).toBe(0);
    await queryKeptPglite(data, [], expectShapes);
  }, 120_000);

  it.skipIf(!postgres.enabled)(
    'seeds them into PostgreSQL (the DDL loaded first), and the rows hold in SQL',
    async () => {
      const db = await postgres.create();
      await db.query(ddl);
      const result = await runCli(['seed', '--url', db.url, '--rows', String(rows)]);
      expect(result.code, result.stderr).toBe(0);
      await expectShapes(db.query);
    },
    120_000,
  );
}
