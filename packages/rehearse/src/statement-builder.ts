/**
 * Turns the text of a migration script into `MigrationStatement`s with core's
 * `splitSql`: each keeps its file and the line it starts on in that file, its
 * kind and whether it may run in a transaction. `COPY … FROM stdin` rows are
 * attached to their COPY; psql meta-commands are not SQL, so they are left out
 * and reported as problems. Template placeholders are filled first (see placeholders.ts).
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
import type { PlaceholderSyntax, Templates } from './placeholders.js';
import { classifyStatement } from './statement-classifier.js';

/** Placeholders to fill before splitting, and the syntaxes the file's tool knows. */
export interface StatementTemplate {
  readonly templates: Templates;
  readonly syntaxes: readonly PlaceholderSyntax[];
}

export interface StatementSource {
  /** The file the text came from, relative to the folder. */
  readonly file: string;
  readonly flavor: SqlFlavor;
  /** The file line the text starts on (a dbmate section or a drizzle chunk starts mid-file). */
  readonly firstLine: number;
  /** Where to record what could not be kept. */
  readonly problems: string[];
  /** Template placeholders to fill (`--define`); none when absent. */
  readonly template?: StatementTemplate | undefined;
}

export function buildStatements(text: string, source: StatementSource): MigrationStatement[] {
  const out: MigrationStatement[] = [];
  const filled = source.template ? source.template.templates.fill(text, { file: source.file, firstLine: source.firstLine, syntaxes: source.template.syntaxes }) : text;
  for (const piece of splitSql(filled, source.flavor)) {
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

/**
 * One statement from a block the tool sends whole (goose's `StatementBegin` … `StatementEnd`,
 * Liquibase's `splitStatements:false`): not split, its trailing `;` dropped, its line the first
 * line that is not blank or a `--` comment. `undefined` for a block of comments only.
 *
 * @example
 * ```ts
 * buildWholeStatement('CREATE PROCEDURE p() BEGIN SELECT 1; END;', { file: '001_p.sql', flavor: 'mysql', firstLine: 3, problems: [] });
 * ```
 */
export function buildWholeStatement(text: string, source: StatementSource): MigrationStatement | undefined {
  const filled = source.template ? source.template.templates.fill(text, { file: source.file, firstLine: source.firstLine, syntaxes: source.template.syntaxes }) : text;
  const lines = filled.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trim().startsWith('--'));
  if (first < 0) return undefined;
  const body = lines.slice(first).join('\n').trim().replace(/;\s*$/, '').trim();
  if (body === '') return undefined;
  return { text: body, line: source.firstLine + first, file: source.file, ...classifyStatement(body, source.flavor) };
}
