/**
 * What the real-histories end-to-end files share (`cli/rehearse-real-histories-*.test.ts`): a
 * temporary folder of migration folders written by the test, and the PGlite a rehearsal kept,
 * opened to be queried.
 *
 * @example
 * ```ts
 * const { work, folder, remove } = await historyFolders('understudy-real-histories-late-');
 * afterAll(remove);
 * const dir = await folder('gitness', { '0001_init.up.sql': 'CREATE TABLE t (id int);' });
 * await runCli(['rehearse', dir, '--url', `pglite://${join(work, 'db')}`]);
 * await queryKeptDatabase(join(work, 'db'), 'SELECT count(*) FROM t');
 * ```
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@understudy/postgres';

export interface HistoryFolders {
  /** The temporary folder everything goes in. */
  readonly work: string;
  /** A folder `name` in it holding `files` (paths relative to it, subfolders made). */
  folder(name: string, files: Record<string, string>): Promise<string>;
  remove(): Promise<void>;
}

export async function historyFolders(prefix: string): Promise<HistoryFolders> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  return {
    work,
    async folder(name, files) {
      const dir = join(work, name);
      for (const [file, text] of Object.entries(files)) {
        await mkdir(join(dir, file, '..'), { recursive: true });
        await writeFile(join(dir, file), text);
      }
      return dir;
    },
    remove: () => rm(work, { recursive: true, force: true }),
  };
}

/** The rows of `sql` in the PGlite database kept at `dataDir`, closed again after. */
export async function queryKeptDatabase(dataDir: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const conn = await openPglite({ dataDir });
  try {
    return (await conn.pglite.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await conn.close();
  }
}
