/**
 * Reads a migration folder into a `MigrationSet`: detects (or is told) the
 * tool's format, reads the files in the tool's order, fills template placeholders
 * (`defines`), splits each script into statements with file and line, and records
 * how the tool runs each script's transaction. `--command` makes a one-migration
 * set instead.
 *
 * @example
 * ```ts
 * const set = await readMigrations('db/migrations');
 * const forced = await readMigrations('db/migrations', { format: 'golang-migrate', dialect: 'mysql' });
 * const command = await readMigrations('.', { command: 'npm run migrate' });
 * ```
 */
import { stat } from 'node:fs/promises';
import { embeddedDialectInfo, UsageError } from '@understudy/core';
import type { MigrationSet } from './migration-model.js';
import { parseMigrationDialect } from './migration-dialect.js';
import { openMigrationFolder } from './migration-folder.js';
import type { MigrationFolder } from './migration-folder.js';
import { parseMigrationFormat } from './migration-format.js';
import { Templates } from './placeholders.js';
import { readAtlasFolder } from './sources/atlas-source.js';
import { commandMigrationSet } from './sources/command-source.js';
import type { DetectedFormat, FolderFormat } from './sources/detect-format.js';
import { detectFormatInFolder } from './sources/detect-format.js';
import { readDbmateFolder } from './sources/dbmate-source.js';
import { readDieselFolder } from './sources/diesel-source.js';
import { readDrizzleKitFolder } from './sources/drizzle-kit-source.js';
import { readFlywayFolder } from './sources/flyway-source.js';
import { readGooseFolder } from './sources/goose-source.js';
import { readLiquibaseFolder } from './sources/liquibase-source.js';
import { readNumberedFolder } from './sources/numbered-source.js';
import { readPopxFolder } from './sources/popx-source.js';
import { readPrismaFolder } from './sources/prisma-source.js';
import type { SourceOptions } from './sources/source-options.js';
import { readSqitchFolder } from './sources/sqitch-source.js';
import { readTemporalFolder } from './sources/temporal-source.js';

export interface ReadMigrationsOptions {
  /** Force a format (see `FOLDER_FORMATS`, or an alias such as `golang`, `pop`); detected when left out. */
  readonly format?: string | undefined;
  /** `postgres` or `mysql` (aliases: postgresql, mariadb…); taken from the tool's metadata, or guessed, when left out. */
  readonly dialect?: string | undefined;
  /** A command that applies the migrations itself; `dir` is then its working directory. */
  readonly command?: string | undefined;
  /** Values of template placeholders (`--define NAME=VALUE`): `{{ index .Options "Namespace" }}`, `${schema}`, `%TABLE_PREFIX%`. */
  readonly defines?: Readonly<Record<string, string>> | undefined;
}

const READERS: Readonly<Record<FolderFormat, (folder: MigrationFolder, options: SourceOptions) => Promise<MigrationSet>>> = {
  plain: (folder, options) => readNumberedFolder(folder, { ...options, convention: 'plain' }),
  'golang-migrate': (folder, options) => readNumberedFolder(folder, { ...options, convention: 'golang-migrate' }),
  sqlx: (folder, options) => readNumberedFolder(folder, { ...options, convention: 'sqlx' }),
  flyway: readFlywayFolder,
  dbmate: readDbmateFolder,
  prisma: readPrismaFolder,
  'drizzle-kit': readDrizzleKitFolder,
  goose: readGooseFolder,
  diesel: readDieselFolder,
  popx: readPopxFolder,
  sqitch: readSqitchFolder,
  liquibase: readLiquibaseFolder,
  atlas: readAtlasFolder,
  'temporal-sql-tool': readTemporalFolder,
};

/** The note that says a folder fits other tools too, and the flag that picks one. */
function ambiguityNote(detected: DetectedFormat): string | undefined {
  const others = detected.alternatives ?? [];
  if (others.length === 0) return undefined;
  return (
    `read as ${detected.format}: ${detected.evidence}; ${others.join(' and ')} name${others.length === 1 ? 's' : ''} files the same way but run${others.length === 1 ? 's' : ''} them differently: ` +
    `pass ${others.map((f) => `--tool ${f}`).join(' or ')} if ${others.length === 1 ? 'it applies' : 'one of them applies'} these migrations`
  );
}

/**
 * Reads the migrations in `dir`. A missing folder, an unknown format, a folder
 * with no migrations, an unreadable drizzle journal, or a template placeholder
 * without a `--define` is a `UsageError`; what is wrong but readable (a file
 * missing from the journal, duplicate versions, a down without an up) and a
 * folder that fits several tools are listed in `problems`.
 *
 * @example
 * ```ts
 * const set = await readMigrations('drizzle');
 * for (const problem of set.problems) console.warn(problem);
 * console.log(set.format, set.migrations.map((m) => m.id)); // 'drizzle-kit' ['0000', '0001']
 * const auth = await readMigrations('migrations', { defines: { Namespace: 'auth' } });
 * ```
 */
export async function readMigrations(dir: string, options: ReadMigrationsOptions = {}): Promise<MigrationSet> {
  const dialect = options.dialect === undefined ? undefined : parseMigrationDialect(options.dialect);
  if (options.command !== undefined) {
    if (options.format !== undefined) throw new UsageError('--command and --tool cannot be used together', { hint: 'Use --command to run your own tool, or --tool to read a folder.' });
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new UsageError(`working directory ${dir} for --command does not exist`, { hint: 'Pass the folder to run the command in.' });
    return commandMigrationSet(dir, options.command, dialect ?? embeddedDialectInfo().name);
  }
  const forced = options.format === undefined ? undefined : parseMigrationFormat(options.format);
  const folder = await openMigrationFolder(dir);
  const detected = forced ? undefined : await detectFormatInFolder(folder);
  const format = forced ?? detected!.format;
  const templates = new Templates(options.defines);
  const set = await READERS[format](folder, { dialect, templates });
  if (set.migrations.length === 0) {
    const why = set.problems.length > 0 ? `: ${set.problems.slice(0, 3).join('; ')}` : '';
    throw new UsageError(`no ${format} migrations found in ${dir}${why}`, {
      hint: forced ? 'Check --tool, or leave it out to detect the format.' : 'Check the folder, or pass --tool to choose the format.',
    });
  }
  templates.check(dir);
  const notes = [...(detected ? [ambiguityNote(detected)].filter((n) => n !== undefined) : []), ...templates.unused().map((name) => `--define ${name} is not used by any file`)];
  return notes.length > 0 ? { ...set, problems: [...notes, ...set.problems] } : set;
}

/**
 * Which tool `dir` belongs to, and why Understudy thinks so.
 *
 * @example
 * ```ts
 * await detectMigrationFormat('prisma/migrations'); // { format: 'prisma', evidence: 'found migration_lock.toml' }
 * ```
 */
export async function detectMigrationFormat(dir: string): Promise<DetectedFormat> {
  return detectFormatInFolder(await openMigrationFolder(dir));
}
