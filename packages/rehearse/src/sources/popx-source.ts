/**
 * Reads gobuffalo/pop and ory/popx migration folders:
 * `<version>_<name>[.<dialect>][.autocommit].{up,down}.sql`. As popx chooses them:
 *
 * - per version and direction, the file for the rehearsal's dialect (`.postgres.`,
 *   `.mysql.`) wins over the generic one (no dialect); files for other dialects
 *   (`.sqlite3.`, `.cockroach.`) are left out;
 * - versions are ordered as text (they all have the same width in practice);
 * - each migration runs in a transaction, except `.autocommit` ones, which popx sends
 *   as one query outside any transaction;
 * - every file is a Go template: `{{ index .Options "Namespace" }}` and the like are
 *   filled from `--define`.
 *
 * The dialect is the one asked for (`--dialect`, or the `--url`'s), else PostgreSQL when
 * the folder has PostgreSQL files, else MySQL when it has MySQL files, else a guess from
 * the SQL. `.fizz` files are pop's Go DSL, not SQL: listed as problems.
 *
 * @example
 * ```ts
 * const set = await readPopxFolder(await openMigrationFolder('persistence/sql/migrations/sql'), { dialect: 'mysql' });
 * ```
 */
import { DIALECT_NAMES } from '@understudy/core';
import type { Migration, MigrationDialect, MigrationScript, MigrationSet } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { buildStatements } from '../statement-builder.js';
import { compareText } from '../version-order.js';
import { MULTI_STATEMENT_HINT, multiStatementQuery } from './multi-statement.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

/** popx's own pattern (pop's, plus `.autocommit`). */
export const POPX_FILE = /^(\d+)_([^.]+)(\.[a-z0-9]+)?(\.autocommit)?\.(up|down)\.(sql|fizz)$/;

/** pop's names for the dialects a file may be written for, by the dialect it means. */
const POP_DIALECTS: Readonly<Record<string, string>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  mysql: 'mysql',
  cockroach: 'cockroach',
  cockroachdb: 'cockroach',
  crdb: 'cockroach',
  sqlite: 'sqlite3',
  sqlite3: 'sqlite3',
  mssql: 'mssql',
  sqlserver: 'mssql',
  mariadb: 'mariadb',
  yugabyte: 'yugabyte',
  yugabytedb: 'yugabyte',
};

/** pop's dialect name for a rehearsal dialect. */
const POP_NAME: Readonly<Record<MigrationDialect, string>> = { postgres: 'postgres', mysql: 'mysql' };

export interface PopxFile {
  readonly file: string;
  readonly version: string;
  readonly name: string;
  /** pop's canonical dialect name, or `all`. */
  readonly dbType: string;
  readonly autocommit: boolean;
  readonly direction: 'up' | 'down';
  readonly type: 'sql' | 'fizz';
}

/** Parses a popx file name; `undefined` when it does not follow the pattern. */
export function parsePopxFile(file: string): PopxFile | undefined {
  const m = POPX_FILE.exec(file);
  if (!m) return undefined;
  // `.autocommit` alone lands in the dialect group.
  const segment = m[3] === '.autocommit' ? undefined : m[3]?.slice(1);
  const autocommit = m[3] === '.autocommit' || m[4] !== undefined;
  const dbType = segment === undefined ? 'all' : (POP_DIALECTS[segment] ?? segment);
  return { file, version: m[1]!, name: m[2]!, dbType, autocommit, direction: m[5] as 'up' | 'down', type: m[6] as 'sql' | 'fizz' };
}

/** Whether a folder's file names say popx rather than golang-migrate: a dialect or `.autocommit` segment. */
export function isPopxSpecific(file: string): boolean {
  const parsed = parsePopxFile(file);
  const segment = /^\d+_[^.]+\.([a-z0-9]+)\./.exec(file)?.[1];
  return parsed !== undefined && (parsed.autocommit || (segment !== undefined && segment in POP_DIALECTS));
}

/** Per version, the file popx runs for `dialect`: the dialect's own over the generic one. */
function select(files: readonly PopxFile[], dialect: string): PopxFile[] {
  const byVersion = new Map<string, PopxFile>();
  for (const f of files) {
    if (f.dbType !== 'all' && f.dbType !== dialect) continue;
    const previous = byVersion.get(f.version);
    if (previous && previous.dbType === dialect) continue;
    byVersion.set(f.version, f);
  }
  return [...byVersion.values()].sort((a, b) => compareText(a.version, b.version));
}

export async function readPopxFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const files: PopxFile[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory || !/\.(sql|fizz)$/.test(entry.name)) continue;
    const parsed = parsePopxFile(entry.name);
    if (!parsed) problems.push(`${entry.name} is ignored: popx reads <version>_<name>[.<dialect>][.autocommit].{up,down}.sql`);
    else if (parsed.type === 'fizz') problems.push(`${entry.name} is a fizz migration (pop's DSL, not SQL): Understudy cannot run it, so version ${parsed.version} is left out`);
    else files.push(parsed);
  }
  const has = (dialect: MigrationDialect) => files.some((f) => f.dbType === POP_NAME[dialect]);
  const texts = new Map<string, string>();
  for (const f of files) texts.set(f.file, await folder.readText(f.file));
  const flavor: MigrationDialect = options.dialect ?? DIALECT_NAMES.find(has) ?? chooseDialect({ texts: files.filter((f) => f.dbType === 'all').map((f) => texts.get(f.file) ?? '') });
  const template = templateFor(options, ['go-template']);
  const script = (f: PopxFile): MigrationScript => ({
    file: f.file,
    statements: buildStatements(texts.get(f.file) ?? '', { file: f.file, flavor, firstLine: 1, problems, template }),
    ...(f.autocommit
      ? { transaction: multiStatementQuery(flavor), transactionHint: MULTI_STATEMENT_HINT }
      : {
          transaction: 'file' as const,
          transactionHint: `popx runs each migration in a transaction: name the file ${f.version}_${f.name}${f.dbType === 'all' ? '' : `.${f.dbType}`}.autocommit.${f.direction}.sql`,
        }),
  });

  const dialect = POP_NAME[flavor];
  const ups = select(
    files.filter((f) => f.direction === 'up'),
    dialect,
  );
  const downs = new Map(
    select(
      files.filter((f) => f.direction === 'down'),
      dialect,
    ).map((f) => [f.version, f]),
  );
  const skipped = files.filter((f) => f.dbType !== 'all' && f.dbType !== dialect).length;
  if (skipped > 0)
    problems.push(
      `${skipped} file${skipped === 1 ? ' is' : 's are'} for other dialects than ${dialect} (e.g. ${files.find((f) => f.dbType !== 'all' && f.dbType !== dialect)!.file}) and left out, as popx does`,
    );
  const migrations: Migration[] = ups.map((up) => {
    const down = downs.get(up.version);
    return { id: up.version, name: up.name, format: 'popx', repeatable: false, up: script(up), ...(down ? { down: script(down) } : {}) };
  });
  return { version: MIGRATION_SET_VERSION, format: 'popx', dir: folder.dir, dialect: flavor, migrations, problems };
}
