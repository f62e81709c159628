/**
 * Reads numbered SQL folders: plain `001_name.sql` files, up/down pairs
 * `001_name.up.sql` / `001_name.down.sql` as golang-migrate writes them
 * (`20240101120000_name.up.sql`, `000001_name.up.sql`), and sqlx folders, which
 * use both namings. One reader serves the three; the set's `format` says which
 * tool runs them, and that decides how each file's transaction is run:
 *
 * - `plain`: statement by statement, as psql runs a file (`none`);
 * - `golang-migrate`: the file as one multi-statement query (`implicit` on PostgreSQL);
 *   when a migration uses golang-migrate's own `schema_migrations` table (harbor's do),
 *   the table is created first, as the tool creates it;
 * - `sqlx`: one transaction per file (`file`), or with `-- no-transaction` as the
 *   first line, one multi-statement query.
 *
 * Without a convention, `golang-migrate` when every migration file is an
 * `.up.sql`/`.down.sql`, `plain` otherwise. Versions compare as numbers, so
 * `001` and `1` are the same version (a duplicate, as golang-migrate sees it).
 *
 * @example
 * ```ts
 * const set = await readNumberedFolder(await openMigrationFolder('db/migrations'), {});
 * ```
 */
import type { Migration, MigrationScript, MigrationSet, MigrationDialect } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { toolSetupFor } from './tool-bookkeeping.js';
import { buildStatements } from '../statement-builder.js';
import { compareText, compareVersions } from '../version-order.js';
import { MULTI_STATEMENT_HINT, multiStatementQuery } from './multi-statement.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

/** `001_name.sql`, `001_name.up.sql`, `001_name.down.sql`, `001.sql`, `001-name.sql`. */
export const NUMBERED_FILE = /^(\d+)(?:[_-](.*?))?(?:\.(up|down))?\.sql$/i;

interface NumberedFile {
  readonly file: string;
  readonly version: string;
  readonly name: string;
  readonly direction: 'up' | 'down' | 'plain';
}

/** `V0001.name.up.sql` / `.down.sql`: a `V` before the version and a `.` after it (authelia's runner); never Flyway's `V1__name.sql`, which has no direction. */
const PREFIXED_UP_DOWN_FILE = /^V(\d+)[._-](.*?)\.(up|down)\.sql$/i;

export function parseNumberedFile(file: string): NumberedFile | undefined {
  const match = NUMBERED_FILE.exec(file) ?? PREFIXED_UP_DOWN_FILE.exec(file);
  if (!match) return undefined;
  const direction = (match[3]?.toLowerCase() as 'up' | 'down' | undefined) ?? 'plain';
  return { file, version: match[1]!, name: match[2] ?? '', direction };
}

/** `0021_name_up.sql`: a direction after `_` or `-` instead of `.`. */
const SUFFIXED_DIRECTION = /^(.*?)[_-](up|down)$/i;

/**
 * Reads `N_name_up.sql` / `N_name_down.sql` as the up and down of one migration `N_name` when
 * both are there: maragudk/migrate, which gitness runs, matches `^([\w-]+).up.sql$` with an
 * unescaped dot, and so takes them as it takes `N_name.up.sql`. A lone `…_up.sql` stays a plain
 * file (`005_catch_up.sql` is a name, not a direction).
 */
function pairSuffixedDirections(files: NumberedFile[], problems: string[]): NumberedFile[] {
  const key = (f: NumberedFile, direction: string, stem: string): string => `${f.version}\0${stem.toLowerCase()}\0${direction}`;
  const plain = new Map<string, NumberedFile>();
  for (const f of files) {
    const m = f.direction === 'plain' ? SUFFIXED_DIRECTION.exec(f.name) : null;
    if (m) plain.set(key(f, m[2]!.toLowerCase(), m[1]!), f);
  }
  const paired: string[] = [];
  const result = files.map((f): NumberedFile => {
    const m = f.direction === 'plain' ? SUFFIXED_DIRECTION.exec(f.name) : null;
    if (!m) return f;
    const direction = m[2]!.toLowerCase() as 'up' | 'down';
    if (!plain.has(key(f, direction === 'up' ? 'down' : 'up', m[1]!))) return f;
    if (direction === 'up') paired.push(f.file);
    return { ...f, name: m[1]!, direction };
  });
  if (paired.length > 0) {
    const shown = paired.slice(0, 3).join(', ') + (paired.length > 3 ? ` and ${paired.length - 3} more` : '');
    problems.push(`read ${shown} with the _down.sql beside each as the up and down of one migration (N_name_up.sql / N_name_down.sql, as maragudk/migrate takes them)`);
  }
  return result;
}

export interface NumberedOptions extends SourceOptions {
  /** Force a convention; by default it is detected from the file names. */
  readonly convention?: NumberedConvention | undefined;
}

export type NumberedConvention = 'plain' | 'golang-migrate' | 'sqlx';

/** sqlx runs a file outside a transaction when its first line is this. */
const SQLX_NO_TRANSACTION = /^-- no-transaction\s*$/m;

/** How `convention`'s tool runs a file (see the module comment). */
function transactionOf(convention: NumberedConvention, text: string, flavor: MigrationDialect): Pick<MigrationScript, 'transaction' | 'transactionHint'> {
  if (convention === 'plain') return { transaction: 'none' };
  if (convention === 'golang-migrate' || SQLX_NO_TRANSACTION.test(text.split('\n', 1)[0] ?? '')) {
    return { transaction: multiStatementQuery(flavor), transactionHint: MULTI_STATEMENT_HINT };
  }
  return { transaction: 'file', transactionHint: 'sqlx runs each migration in a transaction: make "-- no-transaction" the first line of the file' };
}

export async function readNumberedFolder(folder: MigrationFolder, options: NumberedOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const files: NumberedFile[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory || !entry.name.toLowerCase().endsWith('.sql')) continue;
    const parsed = parseNumberedFile(entry.name);
    if (parsed) files.push(parsed);
    else problems.push(`${entry.name} is ignored: its name does not start with a version number (001_name.sql)`);
  }
  const convention = options.convention ?? (files.length > 0 && files.every((f) => f.direction !== 'plain') ? 'golang-migrate' : 'plain');
  // golang-migrate and sqlx read only `.up.sql` / `.down.sql`; a plain folder may pair `_up.sql` / `_down.sql`.
  const named = convention === 'plain' ? pairSuffixedDirections(files, problems) : files;
  const usable = named.filter((f) => {
    if (convention === 'golang-migrate' && f.direction === 'plain') {
      problems.push(`${f.file} is ignored: golang-migrate only reads N_name.up.sql and N_name.down.sql`);
      return false;
    }
    return true;
  });

  const texts = new Map<string, string>();
  for (const f of usable) texts.set(f.file, await folder.readText(f.file));
  const flavor = chooseDialect({ requested: options.dialect, texts: [...texts.values()] });
  const template = templateFor(options);
  const script = (file: string): MigrationScript => ({
    file,
    statements: buildStatements(texts.get(file) ?? '', { file, flavor, firstLine: 1, problems, template }),
    ...transactionOf(convention, texts.get(file) ?? '', flavor),
  });

  const ups = usable.filter((f) => f.direction !== 'down').sort(byVersionThenFile);
  const downs = usable.filter((f) => f.direction === 'down').sort(byVersionThenFile);
  const migrations: Migration[] = [];
  const claimed = new Set<NumberedFile>();
  reportDuplicateVersions(ups, problems);
  for (const up of ups) {
    const sameVersion = downs.filter((d) => !claimed.has(d) && compareVersions(d.version, up.version) === 0);
    const down = sameVersion.find((d) => d.name === up.name) ?? sameVersion[0];
    if (down) claimed.add(down);
    migrations.push({
      id: up.version,
      name: up.name,
      format: convention,
      repeatable: false,
      up: script(up.file),
      ...(down ? { down: script(down.file) } : {}),
    });
  }
  for (const down of downs) {
    if (!claimed.has(down)) problems.push(`${down.file} is a down migration without an up migration of version ${down.version}; it is ignored`);
  }
  const toolSetup = convention === 'golang-migrate' ? toolSetupFor(convention, texts.values(), flavor, problems) : undefined;
  return { version: MIGRATION_SET_VERSION, format: convention, dir: folder.dir, dialect: flavor, migrations, problems, ...(toolSetup ? { toolSetup } : {}) };
}

/** One problem per version that several ups share (gitness's 0001 has five), naming its files. */
function reportDuplicateVersions(ups: readonly NumberedFile[], problems: string[]): void {
  for (let i = 0; i < ups.length;) {
    let j = i + 1;
    while (j < ups.length && compareVersions(ups[i]!.version, ups[j]!.version) === 0) j++;
    if (j - i > 1) {
      const names = ups.slice(i, j).map((f) => f.file);
      const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
      const what = j - i === 2 ? 'two migrations' : `${j - i} migrations`;
      problems.push(`duplicate version ${ups[j - 1]!.version}: ${list}; migration tools refuse a folder with ${what} of one version`);
    }
    i = j;
  }
}

function byVersionThenFile(a: NumberedFile, b: NumberedFile): number {
  return compareVersions(a.version, b.version) || compareText(a.file, b.file);
}
