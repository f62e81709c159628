/**
 * Reads Flyway SQL migration folders: versioned `V1__name.sql`, `V1.1__name.sql`
 * (`V1_1__name.sql` is the same version), undo `U1__name.sql` (the down of V1),
 * repeatable `R__name.sql`, baseline `B1__name.sql` (Flyway 9's baseline migrations: a new
 * database, as a rehearsal's is, starts from the latest one and skips the versioned migrations
 * at or below its version). Versioned migrations are ordered by version, parts
 * compared as numbers (1, 1.1, 2, 10); repeatables come after them, ordered by
 * name, as Flyway applies them. Flyway runs each script in a transaction; outside one
 * when its configuration file `V1__name.sql.conf` says `executeInTransaction=false`, or
 * when every statement of it cannot run in one (CREATE INDEX CONCURRENTLY). `${name}`
 * placeholders are filled with `--define`.
 *
 * @example
 * ```ts
 * const set = await readFlywayFolder(await openMigrationFolder('src/main/resources/db/migration'), {});
 * ```
 */
import type { Migration, MigrationScript, MigrationSet } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { buildStatements } from '../statement-builder.js';
import { compareText, compareVersions } from '../version-order.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

/** `V1__name.sql`, `V1.1__name.sql`, `V1_1__name.sql`, `U2__name.sql`, `B3__name.sql`. */
export const FLYWAY_VERSIONED_FILE = /^([VUB])(\d+(?:[._]\d+)*)__(.+)\.sql$/;
/** `R__name.sql`. */
export const FLYWAY_REPEATABLE_FILE = /^R__(.+)\.sql$/;

interface FlywayFile {
  readonly file: string;
  readonly prefix: 'V' | 'U' | 'B' | 'R';
  /** Dot-separated; empty for a repeatable. */
  readonly version: string;
  readonly name: string;
}

function parseFlywayFile(file: string): FlywayFile | undefined {
  const versioned = FLYWAY_VERSIONED_FILE.exec(file);
  if (versioned) {
    return { file, prefix: versioned[1] as 'V' | 'U' | 'B', version: versioned[2]!.replaceAll('_', '.'), name: versioned[3]! };
  }
  const repeatable = FLYWAY_REPEATABLE_FILE.exec(file);
  if (repeatable) return { file, prefix: 'R', version: '', name: repeatable[1]! };
  return undefined;
}

export async function readFlywayFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const files: FlywayFile[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory || !entry.name.endsWith('.sql')) continue;
    const parsed = parseFlywayFile(entry.name);
    if (parsed) files.push(parsed);
    else problems.push(`${entry.name} is ignored: Flyway reads V<version>__<name>.sql, U<version>__<name>.sql, B<version>__<name>.sql and R__<name>.sql`);
  }

  const texts = new Map<string, string>();
  const outsideTransaction = new Set<string>();
  for (const f of files) {
    texts.set(f.file, await folder.readText(f.file));
    const conf = `${f.file}.conf`;
    if (await folder.exists(conf)) {
      if (/^\s*executeInTransaction\s*=\s*false\s*$/im.test(await folder.readText(conf))) outsideTransaction.add(f.file);
    }
  }
  const flavor = chooseDialect({ requested: options.dialect, texts: [...texts.values()] });
  const script = (file: string): MigrationScript => {
    const statements = buildStatements(texts.get(file) ?? '', { file, flavor, firstLine: 1, problems, template: templateFor(options, ['dollar-brace']) });
    const outside = statements.filter((s) => !s.transactional).length;
    // Flyway runs a script whose statements cannot run in a transaction outside one, and refuses one that mixes both kinds (unless flyway.mixed).
    if (outsideTransaction.has(file) || (outside > 0 && outside === statements.length)) return { file, statements, transaction: 'none' };
    return {
      file,
      statements,
      transaction: 'file',
      transactionHint:
        outside > 0
          ? 'Flyway refuses a migration that mixes statements that can and cannot run in a transaction (unless flyway.mixed=true): move this statement to a migration of its own'
          : `Flyway runs each migration in a transaction: set executeInTransaction=false in ${file}.conf`,
    };
  };

  const byVersion = (a: FlywayFile, b: FlywayFile) => compareVersions(a.version, b.version) || compareText(a.file, b.file);
  const { baseline, versioned } = fromBaseline(files.filter((f) => f.prefix === 'V').sort(byVersion), files.filter((f) => f.prefix === 'B').sort(byVersion), problems);
  const undos = files.filter((f) => f.prefix === 'U').sort(byVersion);
  const repeatables = files.filter((f) => f.prefix === 'R').sort((a, b) => compareText(a.name, b.name) || compareText(a.file, b.file));

  const migrations: Migration[] = baseline ? [{ id: baseline.version, name: baseline.name, format: 'flyway', repeatable: false, up: script(baseline.file) }] : [];
  const claimed = new Set<FlywayFile>();
  for (const [index, v] of versioned.entries()) {
    const previous = versioned[index - 1];
    if (previous && compareVersions(previous.version, v.version) === 0) {
      problems.push(`duplicate version ${v.version}: ${previous.file} and ${v.file}; Flyway refuses to migrate a folder with two migrations of one version`);
    }
    const undo = undos.find((u) => !claimed.has(u) && compareVersions(u.version, v.version) === 0);
    if (undo) claimed.add(undo);
    migrations.push({ id: v.version, name: v.name, format: 'flyway', repeatable: false, up: script(v.file), ...(undo ? { down: script(undo.file) } : {}) });
  }
  for (const undo of undos) {
    if (!claimed.has(undo)) problems.push(`${undo.file} is an undo migration without a versioned migration V${undo.version}; it is ignored`);
  }
  for (const [index, r] of repeatables.entries()) {
    const previous = repeatables[index - 1];
    if (previous && previous.name === r.name) problems.push(`duplicate repeatable migration ${r.name}: ${previous.file} and ${r.file}`);
    migrations.push({ id: `R__${r.name}`, name: r.name, format: 'flyway', repeatable: true, up: script(r.file) });
  }
  return { version: MIGRATION_SET_VERSION, format: 'flyway', dir: folder.dir, dialect: flavor, migrations, problems };
}

/**
 * Flyway's baseline migrations: a new database starts from the latest `B<version>__` script and
 * skips the versioned migrations at or below its version (hawkbit keeps only `B1_20_0__…baseline`
 * and the `V` scripts after it). Earlier baselines and the skipped scripts are said in `problems`.
 */
function fromBaseline(versioned: FlywayFile[], baselines: FlywayFile[], problems: string[]): { baseline?: FlywayFile; versioned: FlywayFile[] } {
  const baseline = baselines.at(-1);
  if (!baseline) return { versioned };
  const skipped = versioned.filter((v) => compareVersions(v.version, baseline.version) <= 0);
  const older = baselines.slice(0, -1).map((b) => b.file);
  problems.push(
    `${baseline.file} is Flyway's baseline migration: a new database starts from it${skipped.length > 0 ? `, and the ${skipped.length} versioned migration${skipped.length === 1 ? '' : 's'} up to ${baseline.version} (${skipped[0]!.file}…) are not applied` : ''}${older.length > 0 ? `; the earlier baseline${older.length === 1 ? ` ${older[0]} is` : `s ${older.join(', ')} are`} not used` : ''}`,
  );
  return { baseline, versioned: versioned.filter((v) => !skipped.includes(v)) };
}
