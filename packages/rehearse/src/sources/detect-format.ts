/**
 * Detects which migration tool a folder belongs to, from its file names and,
 * for dbmate, its markers. The rules, first match wins:
 *
 * 1. `prisma`: `migration_lock.toml`, or `<timestamp>_<name>/migration.sql` sub-folders;
 * 2. `drizzle-kit`: `meta/_journal.json`;
 * 3. `flyway`: `V<version>__<name>.sql` (or `R__<name>.sql`) files;
 * 4. `dbmate`: numbered `.sql` files holding a `-- migrate:up` marker;
 * 5. `golang-migrate`: numbered files, every one `.up.sql` or `.down.sql`;
 * 6. `plain`: numbered `.sql` files (`001_name.sql`, possibly with up/down pairs).
 *
 * A folder that matches none (or is empty) is a `UsageError` saying what was expected.
 *
 * @example
 * ```ts
 * const { format, evidence } = await detectFormatInFolder(await openMigrationFolder('db/migrations'));
 * // { format: 'dbmate', evidence: '20240101120000_init.sql has a "-- migrate:up" marker' }
 * ```
 */
import { UsageError } from '@understudy/core';
import type { MigrationFormat } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { DBMATE_UP_MARKER } from './dbmate-source.js';
import { DRIZZLE_JOURNAL } from './drizzle-kit-source.js';
import { FLYWAY_REPEATABLE_FILE, FLYWAY_VERSIONED_FILE } from './flyway-source.js';
import { parseNumberedFile } from './numbered-source.js';
import { PRISMA_LOCK_FILE, PRISMA_MIGRATION_DIR } from './prisma-source.js';

export interface DetectedFormat {
  readonly format: Exclude<MigrationFormat, 'command'>;
  /** Why, in words a user can check: `found meta/_journal.json`. */
  readonly evidence: string;
}

export const FOLDER_FORMATS = ['plain', 'golang-migrate', 'flyway', 'dbmate', 'prisma', 'drizzle-kit'] as const;

export async function detectFormatInFolder(folder: MigrationFolder): Promise<DetectedFormat> {
  const names = new Set(folder.entries.map((e) => e.name));
  if (names.has(PRISMA_LOCK_FILE)) return { format: 'prisma', evidence: `found ${PRISMA_LOCK_FILE}` };
  for (const entry of folder.entries) {
    if (entry.isDirectory && PRISMA_MIGRATION_DIR.test(entry.name) && (await folder.exists(`${entry.name}/migration.sql`))) {
      return { format: 'prisma', evidence: `found ${entry.name}/migration.sql` };
    }
  }
  if (await folder.exists(DRIZZLE_JOURNAL)) return { format: 'drizzle-kit', evidence: `found ${DRIZZLE_JOURNAL}` };

  const sqlFiles = folder.entries.filter((e) => !e.isDirectory && e.name.endsWith('.sql')).map((e) => e.name);
  const flyway = sqlFiles.find((f) => FLYWAY_VERSIONED_FILE.test(f) && f.startsWith('V')) ?? sqlFiles.find((f) => FLYWAY_REPEATABLE_FILE.test(f));
  if (flyway) return { format: 'flyway', evidence: `${flyway} follows Flyway's V<version>__<name>.sql naming` };

  const numbered = sqlFiles.map(parseNumberedFile).filter((f) => f !== undefined);
  for (const f of numbered) {
    if (DBMATE_UP_MARKER.test(await folder.readText(f.file))) return { format: 'dbmate', evidence: `${f.file} has a "-- migrate:up" marker` };
  }
  if (numbered.length > 0 && numbered.every((f) => f.direction !== 'plain')) {
    return { format: 'golang-migrate', evidence: `every migration file is N_name.up.sql or N_name.down.sql (e.g. ${numbered[0]!.file})` };
  }
  if (numbered.length > 0) return { format: 'plain', evidence: `${numbered[0]!.file} is a numbered SQL file` };

  const what = folder.entries.length === 0 ? 'is empty' : 'holds no migration files Understudy recognises';
  const nested = folder.entries.find((e) => e.isDirectory && e.name === 'migrations');
  throw new UsageError(`migration folder ${folder.dir} ${what}`, {
    hint:
      (nested ? `Did you mean ${folder.dir}/migrations? ` : '') +
      'Expected numbered SQL (001_name.sql, N_name.up.sql/.down.sql), Flyway (V1__name.sql), dbmate (-- migrate:up), ' +
      'Prisma (migration_lock.toml) or drizzle-kit (meta/_journal.json) files. Pass --format to choose one, or --command to run your own tool.',
  });
}
