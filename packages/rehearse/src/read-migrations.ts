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
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { embeddedDialectInfo, UsageError } from '@understudy/core';
import type { Migration, MigrationSet, MigrationStatement, MigrationStep } from './migration-model.js';
import { buildStatements } from './statement-builder.js';
import { isMigrationScript, SESSION_SETTINGS_FILE } from './migration-model.js';
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
import { readSqlMigrateFolder } from './sources/sql-migrate-source.js';
import { readLiquibaseFolder } from './sources/liquibase-source.js';
import { readNumberedFolder } from './sources/numbered-source.js';
import { readPopxFolder } from './sources/popx-source.js';
import { readPrismaFolder } from './sources/prisma-source.js';
import type { SourceOptions } from './sources/source-options.js';
import { readSqitchFolder } from './sources/sqitch-source.js';
import { readTemporalFolder } from './sources/temporal-source.js';
import { compareText, compareVersions } from './version-order.js';

export interface ReadMigrationsOptions {
  /** Force a format (see `FOLDER_FORMATS`, or an alias such as `golang`, `pop`); detected when left out. */
  readonly format?: string | undefined;
  /** `postgres` or `mysql` (aliases: postgresql, mariadb…); taken from the tool's metadata, or guessed, when left out. */
  readonly dialect?: string | undefined;
  /** A command that applies the migrations itself; `dir` is then its working directory. */
  readonly command?: string | undefined;
  /** Values of template placeholders (`--define NAME=VALUE`): `{{ index .Options "Namespace" }}`, `${schema}`, `%TABLE_PREFIX%`. */
  readonly defines?: Readonly<Record<string, string>> | undefined;
  /**
   * More folders of the same history (`--also DIR`): read as `dir` is (its tool and dialect) and merged
   * with its migrations by version, as Flyway merges its `locations` (conductor's `db/migration_postgres`
   * and `db/migration_postgres_data`). Their files are named relative to `dir` (`../data/V13.2__fill.sql`).
   */
  readonly also?: readonly string[] | undefined;
  /**
   * Session settings the migration tool makes before its first migration (`--set NAME=VALUE`: supabase/storage's
   * runner sets `search_path`, vaultwarden's MySQL one `FOREIGN_KEY_CHECKS = 0`): `SET NAME = VALUE` in the
   * session that runs the migrations, before the tool's setup and the baseline (see `SESSION_SETTINGS_FILE`).
   */
  readonly settings?: Readonly<Record<string, string>> | undefined;
  /**
   * SQL files the environment runs before the migration tool (`--setup FILE`: hasura-auth's
   * `docker/initdb.d/0001-create-schema.sql` creates the `auth` schema its first migration writes
   * into): run statement by statement, as psql runs a file, first in the tool setup.
   */
  readonly setup?: readonly string[] | undefined;
}

/** `set` with the statements of the `--setup` files at the start of its tool setup. */
async function withSetup(set: MigrationSet, files: readonly string[]): Promise<MigrationSet> {
  if (files.length === 0) return set;
  const statements: MigrationStatement[] = [];
  const names: string[] = [];
  for (const path of files) {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--setup ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { hint: 'Give an SQL file your environment runs before the first migration.' });
    });
    // Named relative to the folder, as the migrations' files are.
    const file = relative(resolve(set.dir), resolve(path)).replace(/\\/g, '/');
    const built = buildStatements(text, { file, flavor: set.dialect, firstLine: 1, problems: set.problems });
    if (built.length === 0) throw new UsageError(`--setup ${path}: no SQL statement in the file`, { hint: 'Give an SQL file your environment runs before the first migration.' });
    statements.push(...built);
    names.push(file);
  }
  const toolSetup = { file: set.toolSetup?.file ?? names[0]!, transaction: 'none' as const, statements: [...statements, ...(set.toolSetup?.statements ?? [])] };
  return { ...set, toolSetup, setupFiles: names };
}

/** `set` with `SET NAME = VALUE` first in its tool setup. */
function withSettings(set: MigrationSet, settings: Readonly<Record<string, string>>): MigrationSet {
  const statements = Object.entries(settings).map(([name, value], i) => ({
    text: `SET ${name} = ${value}`,
    line: i + 1,
    file: SESSION_SETTINGS_FILE,
    kind: 'other' as const,
    transactional: true,
  }));
  if (statements.length === 0) return set;
  const toolSetup = { file: set.toolSetup?.file ?? SESSION_SETTINGS_FILE, transaction: 'none' as const, statements: [...statements, ...(set.toolSetup?.statements ?? [])] };
  return { ...set, toolSetup };
}

/** Tools that order migrations by version alone, so that folders can be merged: not by a journal, a plan or folder names. */
const MERGEABLE: ReadonlySet<FolderFormat> = new Set(['plain', 'golang-migrate', 'sqlx', 'flyway', 'dbmate', 'goose', 'popx', 'atlas', 'diesel']);

/** `step` with its files named from `prefix` (the other folder, relative to the first). */
function prefixed(step: MigrationStep, prefix: string): MigrationStep {
  if (!isMigrationScript(step)) return step;
  return { ...step, file: `${prefix}/${step.file}`, statements: step.statements.map((s) => ({ ...s, file: `${prefix}/${s.file}` })) };
}

/**
 * `set` with the migrations of `others` (read from folders of the same history) merged in by version; repeatables
 * (Flyway's `R__`) after the versioned ones. A version found in two folders is a problem, as Flyway refuses it.
 */
function mergeFolders(set: MigrationSet, format: FolderFormat, others: ReadonlyArray<{ dir: string; set: MigrationSet }>): MigrationSet {
  const compare = format === 'diesel' ? compareText : compareVersions;
  const tagged = [...set.migrations.map((m) => ({ m, folder: 0 }))];
  const problems = [...set.problems];
  others.forEach(({ dir, set: other }, i) => {
    const prefix = relative(set.dir, dir).replace(/\\/g, '/');
    for (const m of other.migrations) {
      const moved: Migration = { ...m, up: prefixed(m.up, prefix), ...(m.down ? { down: prefixed(m.down, prefix) } : {}) };
      tagged.push({ m: moved, folder: i + 1 });
    }
    problems.push(...other.problems.map((p) => `${prefix}: ${p}`));
    if (other.toolSetup && !set.toolSetup) problems.push(`${prefix}: its tool setup is not run (only the first folder's is)`);
  });
  tagged.sort((a, b) => Number(a.m.repeatable) - Number(b.m.repeatable) || (a.m.repeatable ? compareText(a.m.name, b.m.name) : compare(a.m.id, b.m.id)) || a.folder - b.folder);
  tagged.forEach((t, i) => {
    const previous = tagged[i - 1];
    if (previous && !t.m.repeatable && !previous.m.repeatable && compare(previous.m.id, t.m.id) === 0 && previous.folder !== t.folder) {
      problems.push(`version ${t.m.id} is in two folders (${describeFile(previous.m)} and ${describeFile(t.m)}); the tool refuses that`);
    }
  });
  const migrations = tagged.map((t) => t.m);
  // Code migrations left out stay before the same migration of the first folder.
  const leftOut = set.leftOut?.map((l) => ({ ...l, before: l.before < set.migrations.length ? migrations.indexOf(set.migrations[l.before]!) : migrations.length }));
  const count = others.reduce((n, o) => n + o.set.migrations.length, 0);
  problems.unshift(`${count} migration${count === 1 ? '' : 's'} from ${others.map((o) => relative(set.dir, o.dir).replace(/\\/g, '/')).join(', ')} merged by version (--also)`);
  return { ...set, migrations, problems, ...(leftOut ? { leftOut } : {}) };
}

function describeFile(m: Migration): string {
  return isMigrationScript(m.up) ? m.up.file : `${m.id} ${m.name}`;
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
  'sql-migrate': readSqlMigrateFolder,
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
    if ((options.also ?? []).length > 0) throw new UsageError('--command and --also cannot be used together', { hint: 'Your tool reads its own folders: leave --also out.' });
    if (Object.keys(options.settings ?? {}).length > 0) throw new UsageError('--command and --set cannot be used together', { hint: 'Your tool makes its own settings: leave --set out.' });
    if ((options.setup ?? []).length > 0) throw new UsageError('--command and --setup cannot be used together', { hint: 'Run the setup in your command, before its migrations.' });
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
  const also = options.also ?? [];
  let merged = set;
  if (also.length > 0) {
    if (!MERGEABLE.has(format)) {
      throw new UsageError(`--also merges folders by version, but ${format} orders its migrations otherwise`, {
        hint: `--also works for ${[...MERGEABLE].join(', ')}.`,
      });
    }
    const others = [];
    for (const other of also) others.push({ dir: other, set: await READERS[format](await openMigrationFolder(other), { dialect: dialect ?? set.dialect, templates }) });
    merged = mergeFolders(set, format, others);
  }
  merged = await withSetup(withSettings(merged, options.settings ?? {}), options.setup ?? []);
  templates.check(dir);
  const notes = [
    ...(detected ? [ambiguityNote(detected)].filter((n) => n !== undefined) : []),
    ...templates.unused().map((name) => `--define ${name} is not used by any file`),
    ...templates.emptied(),
  ];
  return notes.length > 0 ? { ...merged, problems: [...notes, ...merged.problems] } : merged;
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
