/**
 * Reads drizzle-kit migration folders: `NNNN_tag.sql` files applied in the order
 * of `meta/_journal.json` (`entries[].idx`, `tag`, `when`), each split on
 * `--> statement-breakpoint` markers (then by `splitSql`, so a chunk holding
 * several statements still yields one each). The journal's `dialect` says the
 * SQL flavour. A `.sql` file the journal does not list (drizzle-kit migrate
 * would never apply it) and a journal entry whose file is missing are problems.
 *
 * @example
 * ```ts
 * const set = await readDrizzleKitFolder(await openMigrationFolder('drizzle'), {});
 * ```
 */
import { UsageError } from '@understudy/core';
import { join } from 'node:path';
import { z } from 'zod';
import type { Migration, MigrationSet, MigrationStatement } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect, dialectFromName } from '../migration-dialect.js';
import type { SqlFlavor } from '@understudy/core';
import { buildStatements } from '../statement-builder.js';
import type { StatementSource } from '../statement-builder.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

export const DRIZZLE_JOURNAL = 'meta/_journal.json';
export const DRIZZLE_BREAKPOINT = '--> statement-breakpoint';

const DrizzleJournal = z.object({
  dialect: z.string().optional(),
  entries: z.array(
    z.object({
      idx: z.number().int(),
      when: z.number().optional(),
      tag: z.string().min(1),
      breakpoints: z.boolean().optional(),
    }),
  ),
});
type DrizzleJournal = z.infer<typeof DrizzleJournal>;

async function readJournal(folder: MigrationFolder): Promise<DrizzleJournal> {
  const path = join(folder.dir, DRIZZLE_JOURNAL);
  if (!(await folder.exists(DRIZZLE_JOURNAL))) {
    throw new UsageError(`${path} does not exist; drizzle-kit orders migrations by it`, {
      hint: 'Pass the folder drizzle-kit generate writes to (its "out" setting), or choose another --tool.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(await folder.readText(DRIZZLE_JOURNAL));
  } catch (cause) {
    if (cause instanceof UsageError) throw cause;
    throw new UsageError(`${path} is not valid JSON: ${(cause as Error).message}`, { cause, hint: 'Restore it from version control or regenerate it with drizzle-kit.' });
  }
  const parsed = DrizzleJournal.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path} is not a drizzle-kit journal: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unexpected shape'}`, {
      hint: 'Restore it from version control or regenerate it with drizzle-kit.',
    });
  }
  return parsed.data;
}

function declaredDialect(journal: DrizzleJournal, path: string): SqlFlavor | undefined {
  if (journal.dialect === undefined) return undefined;
  const dialect = dialectFromName(journal.dialect);
  if (!dialect) {
    throw new UsageError(`${path} says dialect "${journal.dialect}"; Understudy rehearses PostgreSQL and MySQL migrations only`, {
      hint: 'Point it at a PostgreSQL or MySQL drizzle-kit folder.',
    });
  }
  return dialect;
}

/** Splits a drizzle-kit file on its breakpoint markers, keeping file lines. */
export function buildDrizzleStatements(text: string, source: Omit<StatementSource, 'firstLine'>): MigrationStatement[] {
  const out: MigrationStatement[] = [];
  let firstLine = 1;
  for (const chunk of text.split(DRIZZLE_BREAKPOINT)) {
    out.push(...buildStatements(chunk, { ...source, firstLine }));
    firstLine += chunk.split('\n').length - 1;
  }
  return out;
}

export async function readDrizzleKitFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const journal = await readJournal(folder);
  const journalPath = join(folder.dir, DRIZZLE_JOURNAL);
  const declared = declaredDialect(journal, journalPath);
  const sqlFiles = new Set(folder.entries.filter((e) => !e.isDirectory && e.name.endsWith('.sql')).map((e) => e.name));

  const entries = [...journal.entries].sort((a, b) => a.idx - b.idx);
  const found: { id: string; name: string; file: string; text: string }[] = [];
  const listed = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    if (entries[index - 1]?.idx === entry.idx) problems.push(`${DRIZZLE_JOURNAL} lists idx ${entry.idx} twice (${entries[index - 1]!.tag} and ${entry.tag})`);
    const file = `${entry.tag}.sql`;
    listed.add(file);
    if (!sqlFiles.has(file)) {
      problems.push(`${DRIZZLE_JOURNAL} lists ${entry.tag} (idx ${entry.idx}) but ${file} is missing; drizzle-kit migrate would fail`);
      continue;
    }
    const match = /^(\d+)_(.*)$/.exec(entry.tag);
    found.push({ id: match?.[1] ?? entry.tag, name: match?.[2] ?? entry.tag, file, text: await folder.readText(file) });
  }
  for (const file of sqlFiles) {
    if (!listed.has(file)) problems.push(`${file} is not listed in ${DRIZZLE_JOURNAL}; drizzle-kit migrate will never apply it`);
  }

  const flavor = chooseDialect({
    requested: options.dialect,
    declared: declared ? { dialect: declared, by: journalPath } : undefined,
    texts: found.map((f) => f.text),
  });
  const migrations: Migration[] = found.map((f) => ({
    id: f.id,
    name: f.name,
    format: 'drizzle-kit',
    repeatable: false,
    // drizzle-kit migrate runs all pending migrations in one transaction.
    up: {
      file: f.file,
      statements: buildDrizzleStatements(f.text, { file: f.file, flavor, problems, template: templateFor(options) }),
      transaction: 'file',
      transactionHint: 'drizzle-kit migrate runs every pending migration in one transaction: run this statement outside drizzle-kit',
    },
  }));
  return { version: MIGRATION_SET_VERSION, format: 'drizzle-kit', dir: folder.dir, dialect: flavor, migrations, problems };
}
