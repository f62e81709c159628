/**
 * Reads dbmate folders: `20240101120000_name.sql` files, each with a
 * `-- migrate:up` section and an optional `-- migrate:down` section. dbmate runs a
 * section in a transaction; with `-- migrate:up transaction:false` it sends the
 * section as one multi-statement query instead. Statement lines are lines of the file.
 *
 * @example
 * ```ts
 * const set = await readDbmateFolder(await openMigrationFolder('db/migrations'), {});
 * ```
 */
import type { Migration, MigrationScript, MigrationSet } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { buildStatements } from '../statement-builder.js';
import { compareText, compareVersions } from '../version-order.js';
import { MULTI_STATEMENT_HINT, multiStatementQuery } from './multi-statement.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

/** dbmate's own rule: a file whose name starts with digits and ends in `.sql`. */
export const DBMATE_FILE = /^(\d+)_?(.*)\.sql$/;
/** The marker that makes a file a dbmate migration. */
export const DBMATE_UP_MARKER = /^--\s*migrate:up\b/m;
/** A section marker, with its options after it. */
export const DBMATE_MARKER = /^--\s*migrate:(up|down)\b(.*)$/gm;

interface DbmateSection {
  readonly text: string;
  /** The file line the section's first line is on. */
  readonly firstLine: number;
  /** `-- migrate:up transaction:false`: the section is sent as one multi-statement query. */
  readonly inTransaction: boolean;
}

/** Splits a dbmate file into its up and down sections. */
export function parseDbmateSections(text: string): { up?: DbmateSection; down?: DbmateSection } {
  const markers = [...text.matchAll(DBMATE_MARKER)];
  const sections: { up?: DbmateSection; down?: DbmateSection } = {};
  for (const [i, marker] of markers.entries()) {
    const direction = marker[1] as 'up' | 'down';
    if (sections[direction]) continue;
    const bodyStart = marker.index + marker[0].length;
    const bodyEnd = markers[i + 1]?.index ?? text.length;
    sections[direction] = {
      text: text.slice(bodyStart, bodyEnd),
      firstLine: text.slice(0, bodyStart).split('\n').length,
      inTransaction: !/\btransaction:false\b/i.test(marker[2] ?? ''),
    };
  }
  return sections;
}

export async function readDbmateFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const files: { file: string; version: string; name: string; text: string }[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory || !entry.name.endsWith('.sql')) continue;
    const match = DBMATE_FILE.exec(entry.name);
    if (!match) {
      problems.push(`${entry.name} is ignored: dbmate reads files named <version>_<name>.sql`);
      continue;
    }
    files.push({ file: entry.name, version: match[1]!, name: match[2]!, text: await folder.readText(entry.name) });
  }
  files.sort((a, b) => compareVersions(a.version, b.version) || compareText(a.file, b.file));
  const flavor = chooseDialect({ requested: options.dialect, texts: files.map((f) => f.text) });

  const migrations: Migration[] = [];
  for (const [index, f] of files.entries()) {
    const previous = files[index - 1];
    if (previous && compareVersions(previous.version, f.version) === 0) {
      problems.push(`duplicate version ${f.version}: ${previous.file} and ${f.file}`);
    }
    const sections = parseDbmateSections(f.text);
    if (!sections.up) {
      problems.push(`${f.file} has no "-- migrate:up" section; dbmate refuses it, so it is ignored`);
      continue;
    }
    const script = (section: DbmateSection): MigrationScript => ({
      file: f.file,
      statements: buildStatements(section.text, { file: f.file, flavor, firstLine: section.firstLine, problems, template: templateFor(options) }),
      ...(section.inTransaction
        ? { transaction: 'file' as const, transactionHint: 'dbmate runs each migration in a transaction: add transaction:false to its "-- migrate:up" line' }
        : { transaction: multiStatementQuery(flavor), transactionHint: MULTI_STATEMENT_HINT }),
    });
    migrations.push({
      id: f.version,
      name: f.name,
      format: 'dbmate',
      repeatable: false,
      up: script(sections.up),
      ...(sections.down ? { down: script(sections.down) } : {}),
    });
  }
  return { version: MIGRATION_SET_VERSION, format: 'dbmate', dir: folder.dir, dialect: flavor, migrations, problems };
}
