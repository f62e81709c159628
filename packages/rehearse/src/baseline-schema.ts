/**
 * `rehearse --baseline-schema FILE`: the schema the pending migrations start from,
 * given as one SQL file (a Rails `structure.sql`, a `pg_dump -s`, a squashed schema,
 * an application's install script such as roundcube's `SQL/postgres.initial.sql`),
 * loaded in place of the migrations before the pending ones. A history whose early
 * migrations were squashed or deleted, or that starts from an installed schema, can
 * then be rehearsed.
 *
 * With `--since REF` the file is read as it was at the merge-base of REF and HEAD (a
 * branch that adds a migration also updates its `structure.sql`: the file on disk
 * already holds the pending change).
 *
 * @example
 * ```ts
 * const schema = await readBaselineSchema(set, { file: 'SQL/postgres.initial.sql', since: 'origin/main' });
 * const selection = withBaselineSchema(await selectPending(set, { since: 'origin/main' }), schema.migration);
 * ```
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, relative, resolve } from 'node:path';
import { dialectInfo, UsageError } from '@understudy/core';
import { git } from './git-added-files.js';
import { mergeBase } from './git-worktree.js';
import type { Migration, MigrationSet } from './migration-model.js';
import { SESSION_SETTINGS_FILE } from './migration-model.js';
import type { PendingSelection } from './pending.js';
import { buildStatements } from './statement-builder.js';

export interface BaselineSchemaOptions {
  /** The schema file, as the user gave it (relative to the working directory, or absolute). */
  readonly file: string;
  /** `--since REF`: read the file as it was at the merge-base of REF and HEAD. */
  readonly since?: string | undefined;
}

export interface BaselineSchema {
  /** One baseline step that runs the file statement by statement, as psql or mysql would. */
  readonly migration: Migration;
  /** Where the text came from, in words for a note: `SQL/postgres.initial.sql at 1a2b3c4d5e6f (merge-base of origin/main)`. */
  readonly source: string;
}

async function readText(options: BaselineSchemaOptions): Promise<{ text: string; source: string }> {
  if (options.since === undefined) {
    const text = await readFile(options.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`--baseline-schema ${options.file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, {
        hint: 'Give the SQL file that creates the schema the pending migrations start from (structure.sql, a pg_dump -s, an install script).',
      });
    });
    return { text, source: options.file };
  }
  const dir = dirname(resolve(options.file));
  const commit = await mergeBase(dir, options.since);
  const shown = await git(dir, ['show', `${commit}:./${basename(options.file)}`]);
  if (!shown.ok) {
    throw new UsageError(`--baseline-schema ${options.file}: the file is not in commit ${commit.slice(0, 12)}, the merge-base of ${options.since} and HEAD`, {
      hint: 'With --since, the schema file is read as it was at the merge-base (the schema before the branch). Commit it there, or leave out --since and give --pending N.',
    });
  }
  return { text: shown.stdout, source: `${options.file} at ${commit.slice(0, 12)} (the merge-base of ${options.since})` };
}

/**
 * Reads the schema file into one baseline step in the folder's SQL.
 * @throws UsageError for a file that cannot be read (or is not at the merge-base), or that holds no statement.
 */
export async function readBaselineSchema(set: MigrationSet, options: BaselineSchemaOptions): Promise<BaselineSchema> {
  const { text, source } = await readText(options);
  // Statements name their file relative to the folder, as the migrations' do.
  const file = relative(resolve(set.dir), resolve(options.file)).replace(/\\/g, '/');
  const problems: string[] = [];
  const statements = buildStatements(text, { file, flavor: set.dialect, firstLine: 1, problems });
  if (statements.length === 0) {
    throw new UsageError(`--baseline-schema ${options.file}: no SQL statement in ${source}`, { hint: 'The file must create the schema the pending migrations start from.' });
  }
  set.problems.push(...problems);
  // The file ran as psql or mysql would, in a session of its own: the pending migrations get a fresh one.
  const reset = dialectInfo(set.dialect).sessionReset;
  if (reset !== null) statements.push(...buildStatements(reset, { file, flavor: set.dialect, firstLine: text.split('\n').length, problems }));
  // The tool's own settings (--set) again, for the pending migrations' fresh session.
  if (reset !== null) statements.push(...(set.toolSetup?.statements.filter((s) => s.file === SESSION_SETTINGS_FILE) ?? []));
  return {
    migration: { id: 'schema', name: basename(options.file), format: set.format, repeatable: false, up: { file, statements, transaction: 'none' } },
    source,
  };
}

/** The selection with the schema file as its whole baseline: the migrations before the pending ones are taken as applied by it. */
export function withBaselineSchema(selection: PendingSelection, schema: Migration): PendingSelection {
  return { ...selection, baseline: [schema] };
}
