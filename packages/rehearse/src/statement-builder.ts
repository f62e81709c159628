/**
 * Turns the text of a migration script into `MigrationStatement`s with core's
 * `splitSql`: each keeps its file and the line it starts on in that file, its
 * kind and whether it may run in a transaction. `COPY … FROM stdin` rows are
 * attached to their COPY; psql meta-commands are not SQL, so they are left out
 * and reported as problems.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * buildStatements('SELECT 1;', { file: '001_a.sql', flavor: 'postgres', firstLine: 1, problems });
 * ```
 */
import { splitSql } from '@understudy/core';
import type { SqlFlavor } from '@understudy/core';
import type { MigrationStatement } from './migration-model.js';
import { classifyStatement } from './statement-classifier.js';

export interface StatementSource {
  /** The file the text came from, relative to the folder. */
  readonly file: string;
  readonly flavor: SqlFlavor;
  /** The file line the text starts on (a dbmate section or a drizzle chunk starts mid-file). */
  readonly firstLine: number;
  /** Where to record what could not be kept. */
  readonly problems: string[];
}

export function buildStatements(text: string, source: StatementSource): MigrationStatement[] {
  const out: MigrationStatement[] = [];
  for (const piece of splitSql(text, source.flavor)) {
    const line = piece.line + source.firstLine - 1;
    if (piece.kind === 'meta') {
      source.problems.push(`${source.file}:${line}: psql meta-command "${piece.text}" is not SQL and is skipped`);
      continue;
    }
    if (piece.kind === 'copy-data') {
      const copy = out[out.length - 1];
      if (copy) out[out.length - 1] = { ...copy, copyData: piece.text };
      continue;
    }
    out.push({ text: piece.text, line, file: source.file, ...classifyStatement(piece.text, source.flavor) });
  }
  return out;
}
