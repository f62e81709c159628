/**
 * Reads rubenv/sql-migrate folders (convoy's `sql/1677078479.sql`): every `.sql` file is a
 * migration whose id is its file name, with a `-- +migrate Up` section and an optional `-- +migrate
 * Down` one. As sql-migrate runs them:
 *
 * - ordered by the number the name starts with when both names start with one (`9_a.sql` before
 *   `10_b.sql`), else by name;
 * - each section in a transaction, or statement by statement with `-- +migrate Up notransaction`
 *   (`-- +migrate Down notransaction` for the down);
 * - `-- +migrate StatementBegin` … `-- +migrate StatementEnd` is one statement (a function body).
 *
 * Read as plain numbered SQL before, the Down section ran with the Up one.
 *
 * @example
 * ```ts
 * const set = await readSqlMigrateFolder(await openMigrationFolder('sql'), {});
 * ```
 */
import type { Migration, MigrationScript, MigrationSet } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { compareText, compareVersions } from '../version-order.js';
import { parseGooseFile, segmentStatements, type GooseSegment } from './goose-source.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

/** The annotation that makes a file a sql-migrate migration. */
export const SQL_MIGRATE_UP_MARKER = /^--\s*\+migrate\s+up\b/im;

/** sql-migrate's order: by the leading numbers when both names have one, else by name. */
function compareIds(a: string, b: string): number {
  const na = /^\d+/.exec(a)?.[0];
  const nb = /^\d+/.exec(b)?.[0];
  if (na !== undefined && nb !== undefined) return compareVersions(na, nb) || compareText(a, b);
  return compareText(a, b);
}

export async function readSqlMigrateFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const files: { file: string; text: string }[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory || !entry.name.endsWith('.sql')) continue;
    files.push({ file: entry.name, text: await folder.readText(entry.name) });
  }
  files.sort((a, b) => compareIds(a.file, b.file));
  const flavor = chooseDialect({ requested: options.dialect, texts: files.map((f) => f.text) });
  const template = templateFor(options, []);
  const migrations: Migration[] = [];
  for (const f of files) {
    const parsed = parseGooseFile(f.text, 'sql-migrate');
    if (!parsed.hasUp) {
      problems.push(`${f.file} has no "-- +migrate Up" annotation; sql-migrate refuses it, so it is ignored`);
      continue;
    }
    const script = (segments: readonly GooseSegment[], noTransaction: boolean): MigrationScript => ({
      file: f.file,
      statements: segmentStatements(segments, f.file, flavor, problems, template, !noTransaction),
      ...(noTransaction
        ? { transaction: 'none' as const }
        : { transaction: 'file' as const, transactionHint: 'sql-migrate runs each section in a transaction: write "-- +migrate Up notransaction" (or "Down notransaction")' }),
    });
    const id = /^(\d+)/.exec(f.file)?.[1] ?? f.file.replace(/\.sql$/, '');
    const name = f.file
      .replace(/\.sql$/, '')
      .slice(/^\d+/.exec(f.file)?.[0].length ?? 0)
      .replace(/^[_-]/, '');
    migrations.push({
      id,
      name,
      format: 'sql-migrate',
      repeatable: false,
      up: script(parsed.up, parsed.noTransaction),
      ...(parsed.hasDown ? { down: script(parsed.down, parsed.noTransactionDown === true) } : {}),
    });
  }
  return { version: MIGRATION_SET_VERSION, format: 'sql-migrate', dir: folder.dir, dialect: flavor, migrations, problems };
}
