/**
 * Reads Prisma Migrate folders (`prisma/migrations`): one sub-folder per
 * migration, `<timestamp>_<name>/migration.sql`, ordered by folder name as
 * Prisma does, and `migration_lock.toml`, whose `provider` says the SQL flavour
 * (postgresql, cockroachdb → postgres; mysql → mysql). Prisma applies no down
 * migrations, but a `down.sql` kept beside `migration.sql` (as Prisma's docs
 * suggest for `migrate diff` output) is read as the down.
 *
 * @example
 * ```ts
 * const set = await readPrismaFolder(await openMigrationFolder('prisma/migrations'), {});
 * ```
 */
import { UsageError } from '@understudy/core';
import { join } from 'node:path';
import type { Migration, MigrationDialect, MigrationScript, MigrationSet } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect, dialectFromName } from '../migration-dialect.js';
import { buildStatements } from '../statement-builder.js';
import { compareText } from '../version-order.js';
import { MULTI_STATEMENT_HINT, multiStatementQuery } from './multi-statement.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

export const PRISMA_LOCK_FILE = 'migration_lock.toml';
/** A migration written in code beside SQL ones (formbricks' data migrations: `migration.ts`). */
const CODE_MIGRATION = /^migration\.(ts|mts|cts|js|mjs|cjs)$/;
/** `20240101120000_init`. */
export const PRISMA_MIGRATION_DIR = /^(\d+)_(.+)$/;

/** The provider in a migration_lock.toml, as a dialect; `undefined` when the file has none. */
async function readLockDialect(folder: MigrationFolder): Promise<MigrationDialect | undefined> {
  if (!(await folder.exists(PRISMA_LOCK_FILE))) return undefined;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(await folder.readText(PRISMA_LOCK_FILE))?.[1];
  if (provider === undefined) return undefined;
  const dialect = dialectFromName(provider);
  if (!dialect) {
    throw new UsageError(`${join(folder.dir, PRISMA_LOCK_FILE)} says provider "${provider}"; Understudy rehearses PostgreSQL and MySQL migrations only`, {
      hint: 'Point it at a PostgreSQL or MySQL Prisma project.',
    });
  }
  return dialect;
}

export async function readPrismaFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const declared = await readLockDialect(folder);
  if (!declared) problems.push(`${PRISMA_LOCK_FILE} is missing or names no provider; the SQL flavour was not taken from it`);

  const found: { id: string; name: string; up: string; down?: string; upText: string; downText?: string }[] = [];
  const codeMigrations: string[] = [];
  for (const entry of folder.entries) {
    if (!entry.isDirectory) continue;
    const match = PRISMA_MIGRATION_DIR.exec(entry.name);
    if (!match) {
      problems.push(`${entry.name}/ is ignored: Prisma migration folders are named <timestamp>_<name>`);
      continue;
    }
    const files = new Set((await folder.list(entry.name)).map((e) => e.name));
    if (!files.has('migration.sql')) {
      const code = [...files].filter((f) => CODE_MIGRATION.test(f)).sort(compareText)[0];
      if (code === undefined) problems.push(`${entry.name}/ has no migration.sql; Prisma would fail on it, so it is ignored`);
      else {
        // formbricks' runner: SQL folders and data migrations in TypeScript, in one timestamp order.
        problems.push(
          `${entry.name}/ holds ${code}, not migration.sql: a migration in code, applied by the project's own runner (Prisma Migrate would fail on the folder); the rehearsal cannot run it, so the migrations after it run without what it does (rehearse the runner with --command to include it)`,
        );
        codeMigrations.push(`${entry.name}/${code}`);
      }
      continue;
    }
    const up = `${entry.name}/migration.sql`;
    const down = files.has('down.sql') ? `${entry.name}/down.sql` : undefined;
    found.push({
      id: match[1]!,
      name: match[2]!,
      up,
      upText: await folder.readText(up),
      ...(down ? { down, downText: await folder.readText(down) } : {}),
    });
  }
  const flavor = chooseDialect({
    requested: options.dialect,
    declared: declared ? { dialect: declared, by: join(folder.dir, PRISMA_LOCK_FILE) } : undefined,
    texts: found.map((f) => f.upText),
  });
  const script = (file: string, text: string): MigrationScript => ({
    file,
    statements: buildStatements(text, { file, flavor, firstLine: 1, problems, template: templateFor(options) }),
    // prisma migrate deploy sends migration.sql as one multi-statement query.
    transaction: multiStatementQuery(flavor),
    transactionHint: MULTI_STATEMENT_HINT,
  });

  // Prisma orders migrations by folder name.
  found.sort((a, b) => compareText(a.up, b.up));
  const migrations: Migration[] = [];
  for (const [index, f] of found.entries()) {
    if (found[index - 1]?.id === f.id)
      problems.push(
        `two migrations share timestamp ${f.id}: ${found[index - 1]!.up} runs before ${f.up} (Prisma orders by the whole folder name); --pending-from takes <timestamp>_<name> to name either`,
      );
    migrations.push({
      id: f.id,
      name: f.name,
      format: 'prisma',
      repeatable: false,
      up: script(f.up, f.upText),
      ...(f.down !== undefined && f.downText !== undefined ? { down: script(f.down, f.downText) } : {}),
    });
  }
  // Each code migration, placed among the SQL ones by its folder name.
  const leftOut = codeMigrations.sort(compareText).map((file) => ({ file, kind: 'code', before: found.filter((f) => compareText(f.up, file) < 0).length }));
  return { version: MIGRATION_SET_VERSION, format: 'prisma', dir: folder.dir, dialect: flavor, migrations, problems, ...(leftOut.length > 0 ? { leftOut } : {}) };
}
