/**
 * Reading a migration folder: listing it and reading its files, with errors a
 * user can act on (a missing folder, a file that cannot be read) raised as
 * `UsageError`s naming the path.
 *
 * @example
 * ```ts
 * const folder = await openMigrationFolder('db/migrations');
 * const text = await folder.readText('001_init.sql');
 * ```
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@understudy/core';

export interface FolderEntry {
  readonly name: string;
  readonly isDirectory: boolean;
}

export interface MigrationFolder {
  readonly dir: string;
  /** The folder's entries, sorted by name; hidden entries left out. */
  readonly entries: readonly FolderEntry[];
  /** Whether `relativePath` exists (file or folder). */
  exists(relativePath: string): Promise<boolean>;
  /** Entries of a sub-folder, sorted by name; empty when it does not exist. */
  list(relativePath: string): Promise<readonly FolderEntry[]>;
  readText(relativePath: string): Promise<string>;
}

async function listDir(path: string): Promise<FolderEntry[]> {
  const dirents = await readdir(path, { withFileTypes: true });
  return dirents
    .filter((d) => !d.name.startsWith('.'))
    .map((d) => ({ name: d.name, isDirectory: d.isDirectory() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Opens `dir`; a missing path or a file where a folder is expected is a `UsageError`. */
export async function openMigrationFolder(dir: string): Promise<MigrationFolder> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new UsageError(`migration folder ${dir} does not exist`, { hint: 'Pass the folder that holds your migration files.' });
  if (!info.isDirectory()) {
    throw new UsageError(`${dir} is a file, not a migration folder`, { hint: 'Pass the folder that holds your migration files.' });
  }
  const entries = await listDir(dir).catch((cause: unknown) => {
    throw new UsageError(`cannot list migration folder ${dir}`, { cause, hint: 'Check its permissions.' });
  });
  return {
    dir,
    entries,
    exists: async (relativePath) => (await stat(join(dir, relativePath)).catch(() => undefined)) !== undefined,
    list: async (relativePath) => listDir(join(dir, relativePath)).catch(() => []),
    readText: async (relativePath) => {
      try {
        return await readFile(join(dir, relativePath), 'utf8');
      } catch (cause) {
        throw new UsageError(`cannot read migration file ${join(dir, relativePath)}`, { cause, hint: 'Check that it exists and is readable.' });
      }
    },
  };
}
