/**
 * Reads goose SQL migrations: `<version>_<name>.sql` files (sequential `00001_…` or
 * timestamp versions, ordered as numbers) with a `-- +goose Up` section and an optional
 * `-- +goose Down` section. As goose runs them:
 *
 * - each file in a transaction, or statement by statement with `-- +goose NO TRANSACTION`;
 * - `-- +goose StatementBegin` … `-- +goose StatementEnd` is one statement, sent whole
 *   (a function body, a MySQL procedure with `;` inside); a block of several statements in a
 *   file run in a transaction is split, as psql splits (see `segmentStatements`);
 * - with `-- +goose ENVSUB ON`, `${NAME}` is filled from `--define NAME=VALUE` (goose
 *   reads the environment).
 *
 * Go migrations (`.go` files) are code: they are listed as problems (use `--command`).
 *
 * @example
 * ```ts
 * const set = await readGooseFolder(await openMigrationFolder('assets/migrations/postgres'), {});
 * ```
 */
import type { Migration, MigrationScript, MigrationSet, MigrationStatement } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import type { SqlFlavor } from '@understudy/core';
import { buildStatements, buildWholeStatement, type StatementTemplate } from '../statement-builder.js';
import { compareText, compareVersions } from '../version-order.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

/** goose's file rule: a numeric version, `_`, a name. */
export const GOOSE_FILE = /^(\d+)_(.+)\.sql$/;
/** The annotation that makes a file a goose migration. */
export const GOOSE_UP_MARKER = /^--\s*\+goose\s+up\b/im;
const ANNOTATIONS = { goose: /^--\s*\+goose\s+(.+?)\s*$/i, 'sql-migrate': /^--\s*\+migrate\s+(.+?)\s*$/i } as const;

export interface GooseSegment {
  readonly text: string;
  readonly firstLine: number;
  /** A StatementBegin … StatementEnd block: one statement. */
  readonly whole: boolean;
}

export interface GooseFile {
  readonly up: GooseSegment[];
  readonly down: GooseSegment[];
  readonly hasUp: boolean;
  readonly hasDown: boolean;
  readonly noTransaction: boolean;
  /** sql-migrate's `-- +migrate Down notransaction` (goose's NO TRANSACTION is the whole file's: `noTransaction`). */
  readonly noTransactionDown?: boolean;
  readonly envsub: boolean;
}

/**
 * Splits a goose file into its Up and Down segments, following its annotations; with `sql-migrate`,
 * rubenv/sql-migrate's (`-- +migrate Up`, `-- +migrate Up notransaction`, `StatementBegin` / `StatementEnd`).
 */
export function parseGooseFile(text: string, tool: keyof typeof ANNOTATIONS = 'goose'): GooseFile {
  const ANNOTATION = ANNOTATIONS[tool];
  const segments: Record<'up' | 'down', GooseSegment[]> = { up: [], down: [] };
  const seen = new Set<string>();
  let section: 'up' | 'down' | undefined;
  let inBlock = false;
  let buffer: string[] = [];
  let bufferStart = 1;
  const flush = (whole: boolean): void => {
    if (section && buffer.some((l) => l.trim() !== '')) segments[section].push({ text: buffer.join('\n'), firstLine: bufferStart, whole });
    buffer = [];
  };
  for (const [index, line] of text.split('\n').entries()) {
    let annotation = ANNOTATION.exec(line.trim())?.[1]?.toLowerCase().replace(/\s+/g, ' ');
    // sql-migrate's option after the direction: `-- +migrate Up notransaction`.
    if (annotation !== undefined && /^(up|down) notransaction$/.test(annotation)) {
      seen.add(annotation.startsWith('up') ? 'no transaction' : 'no transaction down');
      annotation = annotation.slice(0, annotation.indexOf(' '));
    }
    if (annotation === undefined) {
      if (buffer.length === 0) bufferStart = index + 1;
      buffer.push(line);
      continue;
    }
    seen.add(annotation);
    if (annotation === 'up' || annotation === 'down') {
      flush(false);
      section = annotation;
    } else if (annotation === 'statementbegin') {
      flush(false);
      inBlock = true;
    } else if (annotation === 'statementend') {
      flush(inBlock);
      inBlock = false;
    }
    bufferStart = index + 2;
  }
  flush(false);
  return {
    ...segments,
    hasUp: seen.has('up'),
    hasDown: seen.has('down'),
    noTransaction: seen.has('no transaction'),
    ...(seen.has('no transaction down') ? { noTransactionDown: true } : {}),
    envsub: seen.has('envsub on'),
  };
}

/**
 * The statements of a file's segments. A StatementBegin … StatementEnd block is one statement, except
 * that, in a file goose runs in a transaction, a block of several statements (hatchet's: `CREATE TYPE …;
 * ALTER TABLE …; ALTER TYPE …;`, sent in one Exec) is split as psql would split it (a routine's body
 * stays whole): inside the transaction they run the same, and each is traced and located on its own.
 * Without a transaction the block stays one query, and one implicit transaction, as goose sends it.
 */
export function segmentStatements(
  segments: readonly GooseSegment[],
  file: string,
  flavor: SqlFlavor,
  problems: string[],
  template: StatementTemplate | undefined,
  inTransaction: boolean,
): MigrationStatement[] {
  return segments.flatMap((segment) => {
    const source = { file, flavor, firstLine: segment.firstLine, problems, template };
    if (!segment.whole) return buildStatements(segment.text, source);
    if (inTransaction) {
      const split = buildStatements(segment.text, source);
      if (split.length > 1) return split;
    }
    const statement = buildWholeStatement(segment.text, source);
    return statement ? [statement] : [];
  });
}

export async function readGooseFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const files: { file: string; version: string; name: string; text: string }[] = [];
  const goMigrations: { file: string; version: string }[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory) continue;
    if (entry.name.endsWith('.go') && GOOSE_FILE.test(entry.name.replace(/\.go$/, '.sql'))) {
      problems.push(`${entry.name} is a Go migration: Understudy reads SQL files only (rehearse your goose binary with --command)`);
      goMigrations.push({ file: entry.name, version: GOOSE_FILE.exec(entry.name.replace(/\.go$/, '.sql'))![1]! });
      continue;
    }
    if (!entry.name.endsWith('.sql')) continue;
    const match = GOOSE_FILE.exec(entry.name);
    if (!match) {
      problems.push(`${entry.name} is ignored: goose reads files named <version>_<name>.sql`);
      continue;
    }
    files.push({ file: entry.name, version: match[1]!, name: match[2]!, text: await folder.readText(entry.name) });
  }
  files.sort((a, b) => compareVersions(a.version, b.version) || compareText(a.file, b.file));
  const flavor = chooseDialect({ requested: options.dialect, texts: files.map((f) => f.text) });

  const migrations: Migration[] = [];
  for (const [index, f] of files.entries()) {
    const previous = files[index - 1];
    if (previous && compareVersions(previous.version, f.version) === 0) problems.push(`duplicate version ${f.version}: ${previous.file} and ${f.file}; goose refuses the folder`);
    const parsed = parseGooseFile(f.text);
    if (!parsed.hasUp) {
      problems.push(`${f.file} has no "-- +goose Up" annotation; goose refuses it, so it is ignored`);
      continue;
    }
    const template = templateFor(options, parsed.envsub ? ['dollar-brace'] : []);
    const script = (segments: readonly GooseSegment[]): MigrationScript => ({
      file: f.file,
      statements: segmentStatements(segments, f.file, flavor, problems, template, !parsed.noTransaction),
      ...(parsed.noTransaction
        ? { transaction: 'none' as const }
        : { transaction: 'file' as const, transactionHint: 'goose runs each migration in a transaction: add "-- +goose NO TRANSACTION" to the file' }),
    });
    migrations.push({ id: f.version, name: f.name, format: 'goose', repeatable: false, up: script(parsed.up), ...(parsed.hasDown ? { down: script(parsed.down) } : {}) });
  }
  // Each Go migration, placed among the SQL ones by its version.
  const leftOut = goMigrations
    .sort((a, b) => compareVersions(a.version, b.version))
    .map((g) => ({ file: g.file, kind: 'Go', before: migrations.filter((m) => compareVersions(m.id, g.version) < 0).length }));
  return { version: MIGRATION_SET_VERSION, format: 'goose', dir: folder.dir, dialect: flavor, migrations, problems, ...(leftOut.length > 0 ? { leftOut } : {}) };
}
