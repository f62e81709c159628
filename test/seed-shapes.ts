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
import type { Query } from './scratch-databases.js';

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
