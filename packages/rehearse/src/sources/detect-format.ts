/**
 * Detects which migration tool a folder belongs to, from its files. A tool's own marker
 * settles it; the first rule that matches wins:
 *
 * 1. `prisma`: `migration_lock.toml`, or `<timestamp>_<name>/migration.sql` sub-folders;
 * 2. `drizzle-kit`: `meta/_journal.json`;
 * 3. `sqitch`: `sqitch.plan`;
 * 4. `temporal-sql-tool`: `v<version>/manifest.json` sub-folders;
 * 5. `diesel`: `<version>_<name>/up.sql` sub-folders;
 * 6. `liquibase`: a `.sql` file starting `--liquibase formatted sql`;
 * 7. `atlas`: `atlas.sum` beside `<version>_<name>.sql` files;
 * 8. `flyway`: `V<version>__<name>.sql` (or `R__<name>.sql`) files;
 * 9. `goose`: numbered `.sql` files holding a `-- +goose Up` annotation;
 * 10. `dbmate`: numbered `.sql` files holding a `-- migrate:up` marker;
 *     then `sql-migrate`: a `.sql` file holding a `-- +migrate Up` annotation (any name);
 * 11. `popx`: `.{up,down}.sql` files with a dialect or `.autocommit` segment (`1_a.postgres.up.sql`).
 *
 * File names alone fit several tools, and then the choice is said, never made silently
 * (`alternatives`, shown as a note naming the `--tool` that picks another):
 *
 * 12. numbered `.up.sql`/`.down.sql` files: `golang-migrate` (also sqlx and popx; `sqlx`
 *     when a `Cargo.toml` sits beside the folder);
 * 13. numbered `.sql` files: `sqlx` when their versions are timestamps (`sqlx migrate add`
 *     names them so) or a `Cargo.toml` sits beside the folder, else `plain`; each the
 *     other's alternative.
 *
 * A folder that matches none (or is empty) is a `UsageError` saying what was expected and
 * naming the sub-folders that do hold migrations.
 *
 * @example
 * ```ts
 * const { format, evidence } = await detectFormatInFolder(await openMigrationFolder('db/migrations'));
 * // { format: 'dbmate', evidence: '20240101120000_create_users.sql has a "-- migrate:up" marker' }
 * ```
 */
import { join } from 'node:path';
import { UsageError } from '@understudy/core';
import type { MigrationFormat } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { openMigrationFolder } from '../migration-folder.js';
import { ATLAS_FILE, ATLAS_SUM } from './atlas-source.js';
import { DBMATE_UP_MARKER } from './dbmate-source.js';
import { DIESEL_MIGRATION_DIR } from './diesel-source.js';
import { DRIZZLE_JOURNAL } from './drizzle-kit-source.js';
import { FLYWAY_REPEATABLE_FILE, FLYWAY_VERSIONED_FILE } from './flyway-source.js';
import { GOOSE_UP_MARKER } from './goose-source.js';
import { LIQUIBASE_HEADER } from './liquibase-source.js';
import { parseNumberedFile } from './numbered-source.js';
import { isPopxSpecific } from './popx-source.js';
import { PRISMA_LOCK_FILE, PRISMA_MIGRATION_DIR } from './prisma-source.js';
import { SQITCH_PLAN } from './sqitch-source.js';
import { SQL_MIGRATE_UP_MARKER } from './sql-migrate-source.js';
import { TEMPORAL_MANIFEST, TEMPORAL_VERSION_DIR } from './temporal-source.js';

export type FolderFormat = Exclude<MigrationFormat, 'command'>;

export interface DetectedFormat {
  readonly format: FolderFormat;
  /** Why, in words a user can check: `found meta/_journal.json`. */
  readonly evidence: string;
  /** Other tools the folder also fits (they run the files differently); pass `--tool` to pick one. */
  readonly alternatives?: readonly FolderFormat[];
}

export const FOLDER_FORMATS = [
  'plain',
  'golang-migrate',
  'flyway',
  'dbmate',
  'prisma',
  'drizzle-kit',
  'goose',
  'sql-migrate',
  'sqlx',
  'diesel',
  'popx',
  'sqitch',
  'liquibase',
  'atlas',
  'temporal-sql-tool',
] as const satisfies readonly FolderFormat[];

/** A sqlx crate keeps `migrations/` beside its `Cargo.toml`. */
const CARGO_MANIFEST = '../Cargo.toml';
/** `sqlx migrate add` versions: a UTC timestamp, `20240101120000`. */
const TIMESTAMP_VERSION = /^\d{14}$/;

async function detectByMarker(folder: MigrationFolder): Promise<DetectedFormat | undefined> {
  const names = new Set(folder.entries.map((e) => e.name));
  const dirs = folder.entries.filter((e) => e.isDirectory).map((e) => e.name);
  if (names.has(PRISMA_LOCK_FILE)) return { format: 'prisma', evidence: `found ${PRISMA_LOCK_FILE}` };
  for (const dir of dirs) {
    if (PRISMA_MIGRATION_DIR.test(dir) && (await folder.exists(`${dir}/migration.sql`))) return { format: 'prisma', evidence: `found ${dir}/migration.sql` };
  }
  if (await folder.exists(DRIZZLE_JOURNAL)) return { format: 'drizzle-kit', evidence: `found ${DRIZZLE_JOURNAL}` };
  if (names.has(SQITCH_PLAN)) return { format: 'sqitch', evidence: `found ${SQITCH_PLAN}` };
  const version = dirs.find((d) => TEMPORAL_VERSION_DIR.test(d));
  if (version && (await folder.exists(`${version}/${TEMPORAL_MANIFEST}`))) return { format: 'temporal-sql-tool', evidence: `found ${version}/${TEMPORAL_MANIFEST}` };
  for (const dir of dirs) {
    if (DIESEL_MIGRATION_DIR.test(dir) && (await folder.exists(`${dir}/up.sql`))) return { format: 'diesel', evidence: `found ${dir}/up.sql` };
  }
  const sqlFiles = folder.entries.filter((e) => !e.isDirectory && e.name.endsWith('.sql')).map((e) => e.name);
  for (const file of sqlFiles) {
    if (LIQUIBASE_HEADER.test((await folder.readText(file)).split('\n', 1)[0] ?? '')) return { format: 'liquibase', evidence: `${file} starts with "--liquibase formatted sql"` };
  }
  const numbered = sqlFiles.map(parseNumberedFile).filter((f) => f !== undefined);
  if (names.has(ATLAS_SUM) && sqlFiles.some((f) => ATLAS_FILE.test(f) && !/\.(up|down)\.sql$/i.test(f))) return { format: 'atlas', evidence: `found ${ATLAS_SUM}` };
  const flyway = sqlFiles.find((f) => FLYWAY_VERSIONED_FILE.test(f) && f.startsWith('V')) ?? sqlFiles.find((f) => FLYWAY_REPEATABLE_FILE.test(f));
  if (flyway) return { format: 'flyway', evidence: `${flyway} follows Flyway's V<version>__<name>.sql naming` };
  for (const [marker, format, what] of [
    [GOOSE_UP_MARKER, 'goose', '-- +goose Up'],
    [DBMATE_UP_MARKER, 'dbmate', '-- migrate:up'],
  ] as const) {
    for (const f of numbered) {
      if (f.direction === 'plain' && marker.test(await folder.readText(f.file))) return { format, evidence: `${f.file} has a "${what}" marker` };
    }
  }
  // sql-migrate names files as it likes (convoy's `1677078479.sql`): its annotation decides.
  for (const file of sqlFiles) {
    if (SQL_MIGRATE_UP_MARKER.test(await folder.readText(file))) return { format: 'sql-migrate', evidence: `${file} has a "-- +migrate Up" annotation` };
  }
  const popx = sqlFiles.find(isPopxSpecific);
  if (popx) return { format: 'popx', evidence: `${popx} names a dialect or .autocommit, as gobuffalo/popx file names do` };
  return undefined;
}

async function detectByNames(folder: MigrationFolder): Promise<DetectedFormat | undefined> {
  const numbered = folder.entries
    .filter((e) => !e.isDirectory && e.name.endsWith('.sql'))
    .map((e) => parseNumberedFile(e.name))
    .filter((f) => f !== undefined);
  if (numbered.length === 0) return undefined;
  const cargo = await folder.exists(CARGO_MANIFEST);
  if (numbered.every((f) => f.direction !== 'plain')) {
    if (cargo) return { format: 'sqlx', evidence: `a Cargo.toml sits beside the folder, and every file is N_name.up.sql or N_name.down.sql`, alternatives: ['golang-migrate'] };
    return { format: 'golang-migrate', evidence: 'every migration file is N_name.up.sql or N_name.down.sql', alternatives: ['sqlx', 'popx'] };
  }
  if (cargo) return { format: 'sqlx', evidence: `${numbered[0]!.file} is a numbered SQL file, and a Cargo.toml sits beside the folder`, alternatives: ['plain'] };
  if (numbered.every((f) => TIMESTAMP_VERSION.test(f.version))) {
    return { format: 'sqlx', evidence: 'every file is <timestamp>_<name>.sql, as sqlx migrate add names them', alternatives: ['plain'] };
  }
  return { format: 'plain', evidence: `${numbered[0]!.file} is a numbered SQL file`, alternatives: ['sqlx'] };
}

/** Sub-folders (up to three levels down) that hold migrations Understudy recognises, for a hint. */
async function foldersWithMigrations(folder: MigrationFolder, depth: number): Promise<string[]> {
  if (depth === 0) return [];
  const found: string[] = [];
  for (const entry of folder.entries.filter((e) => e.isDirectory && e.name !== 'node_modules')) {
    const sub = await openMigrationFolder(join(folder.dir, entry.name)).catch(() => undefined);
    if (!sub) continue;
    const detected = (await detectByMarker(sub)) ?? (await detectByNames(sub));
    if (detected) found.push(sub.dir);
    else found.push(...(await foldersWithMigrations(sub, depth - 1)));
    if (found.length >= 5) break;
  }
  return found;
}

export async function detectFormatInFolder(folder: MigrationFolder): Promise<DetectedFormat> {
  const detected = (await detectByMarker(folder)) ?? (await detectByNames(folder));
  if (detected) return detected;
  const what = folder.entries.length === 0 ? 'is empty' : 'holds no migration files Understudy recognises';
  const nested = await foldersWithMigrations(folder, 3);
  if (nested.length === 0 && folder.entries.some((e) => e.isDirectory && e.name === 'migrations')) nested.push(join(folder.dir, 'migrations'));
  throw new UsageError(`migration folder ${folder.dir} ${what}`, {
    hint:
      (nested.length > 0 ? `Did you mean ${nested.join(' or ')}? ` : '') +
      'Expected numbered SQL (001_name.sql, N_name.up.sql/.down.sql), Flyway (V1__name.sql), dbmate (-- migrate:up), goose (-- +goose Up), sql-migrate (-- +migrate Up), ' +
      'Prisma (migration_lock.toml), drizzle-kit (meta/_journal.json), diesel (<version>_<name>/up.sql), popx (N_name.postgres.up.sql), ' +
      'Sqitch (sqitch.plan), Liquibase (--liquibase formatted sql), Atlas (atlas.sum) or temporal-sql-tool (v1.0/manifest.json) files. ' +
      'Pass --tool to choose one, or --command to run your own tool.',
  });
}
