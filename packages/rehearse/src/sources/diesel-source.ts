/**
 * Reads diesel migration folders: one sub-folder per migration, `<version>_<name>/`
 * holding `up.sql` and (optionally) `down.sql`. The version is the folder name up to
 * its first `_` with dashes removed (`2024-03-05-120032` → `20240305120032`), and
 * migrations run in the text order of their versions, as diesel sorts them. diesel
 * runs `up.sql` in a transaction; with `run_in_transaction = false` in the folder's
 * `metadata.toml` it sends the file as one multi-statement query instead. Files
 * beside the sub-folders are not migrations (diesel ignores them).
 *
 * @example
 * ```ts
 * const set = await readDieselFolder(await openMigrationFolder('migrations'), {});
 * ```
 */
import type { Migration, MigrationScript, MigrationSet } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { buildStatements } from '../statement-builder.js';
import { compareText } from '../version-order.js';
import { toolSetupFor } from './tool-bookkeeping.js';
import { MULTI_STATEMENT_HINT, multiStatementQuery } from './multi-statement.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

/** `<version>_<name>`: the version is everything before the first underscore. */
export const DIESEL_MIGRATION_DIR = /^([\d-]+)_(.+)$/;
const NO_TRANSACTION = /^\s*run_in_transaction\s*=\s*false\s*$/m;

export async function readDieselFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const found: { dir: string; version: string; name: string; up: string; down?: string; noTransaction: boolean }[] = [];
  for (const entry of folder.entries) {
    if (!entry.isDirectory) {
      if (entry.name.endsWith('.sql')) problems.push(`${entry.name} is ignored: diesel runs only <version>_<name>/up.sql files`);
      continue;
    }
    const match = DIESEL_MIGRATION_DIR.exec(entry.name);
    const files = new Set((await folder.list(entry.name)).map((e) => e.name));
    if (!match || !files.has('up.sql')) {
      problems.push(`${entry.name}/ is ignored: diesel reads <version>_<name>/up.sql`);
      continue;
    }
    const metadata = files.has('metadata.toml') ? await folder.readText(`${entry.name}/metadata.toml`) : '';
    found.push({
      dir: entry.name,
      version: match[1]!.replaceAll('-', ''),
      name: match[2]!,
      up: await folder.readText(`${entry.name}/up.sql`),
      ...(files.has('down.sql') ? { down: await folder.readText(`${entry.name}/down.sql`) } : {}),
      noTransaction: NO_TRANSACTION.test(metadata),
    });
  }
  found.sort((a, b) => compareText(a.version, b.version) || compareText(a.dir, b.dir));
  const flavor = chooseDialect({ requested: options.dialect, texts: found.map((f) => f.up) });
  const template = templateFor(options);

  const migrations: Migration[] = [];
  for (const [index, f] of found.entries()) {
    const previous = found[index - 1];
    if (previous?.version === f.version) problems.push(`duplicate version ${f.version}: ${previous.dir}/ and ${f.dir}/; diesel refuses the folder`);
    const script = (name: 'up.sql' | 'down.sql', text: string): MigrationScript => {
      const file = `${f.dir}/${name}`;
      return {
        file,
        statements: buildStatements(text, { file, flavor, firstLine: 1, problems, template }),
        ...(f.noTransaction
          ? { transaction: multiStatementQuery(flavor), transactionHint: MULTI_STATEMENT_HINT }
          : { transaction: 'file' as const, transactionHint: `diesel runs each migration in a transaction: add run_in_transaction = false to ${f.dir}/metadata.toml` }),
      };
    };
    migrations.push({ id: f.version, name: f.name, format: 'diesel', repeatable: false, up: script('up.sql', f.up), ...(f.down !== undefined ? { down: script('down.sql', f.down) } : {}) });
  }
  // Texts of ups and downs: a migration that uses diesel's bookkeeping table (lemmy's trigger on it) needs it first.
  const toolSetup = toolSetupFor(
    'diesel',
    found.flatMap((f) => [f.up, f.down ?? '']),
    flavor,
    problems,
  );
  return { version: MIGRATION_SET_VERSION, format: 'diesel', dir: folder.dir, dialect: flavor, migrations, problems, ...(toolSetup ? { toolSetup } : {}) };
}
