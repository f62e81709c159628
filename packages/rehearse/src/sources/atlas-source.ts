/**
 * Reads Atlas migration directories: `<version>_<name>.sql` files and `atlas.sum`, the
 * integrity file listing them. Atlas applies the files in version order, each in its own
 * transaction (`--tx-mode file`, the default), statement by statement; a file that starts
 * with `-- atlas:txmode none` runs outside any transaction, and `-- atlas:delimiter X`
 * splits its statements on X instead of `;`. A file missing from `atlas.sum`, or listed
 * there but absent, is reported: `atlas migrate apply` refuses such a directory.
 *
 * @example
 * ```ts
 * const set = await readAtlasFolder(await openMigrationFolder('sql/migrations'), {});
 * ```
 */
import type { Migration, MigrationScript, MigrationSet, MigrationStatement } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { buildStatements, buildWholeStatement, type StatementSource } from '../statement-builder.js';
import { compareText, compareVersions } from '../version-order.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

export const ATLAS_SUM = 'atlas.sum';
/** `<version>_<name>.sql`, or `<version>.sql`. */
export const ATLAS_FILE = /^(\d+)(?:_(.*))?\.sql$/;

/** The file-level directives at the top of a file (before its first statement). */
export function atlasDirectives(text: string): { txmode?: string; delimiter?: string } {
  const out: { txmode?: string; delimiter?: string } = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('--')) break;
    const m = /^--\s*atlas:(txmode|delimiter)\s+(.+)$/.exec(trimmed);
    if (m) out[m[1] as 'txmode' | 'delimiter'] = m[2]!.trim();
  }
  return out;
}

function splitOn(text: string, delimiter: string, source: StatementSource): MigrationStatement[] {
  const literal = delimiter.replaceAll('\\n', '\n').replaceAll('\\t', '\t');
  const out: MigrationStatement[] = [];
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf(literal, start);
    const stop = end < 0 ? text.length : end;
    const firstLine = source.firstLine + (text.slice(0, start).match(/\n/g)?.length ?? 0);
    const statement = buildWholeStatement(text.slice(start, stop), { ...source, firstLine });
    if (statement) out.push(statement);
    if (end < 0) break;
    start = end + literal.length;
  }
  return out;
}

export async function readAtlasFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const sum = (await folder.exists(ATLAS_SUM)) ? await folder.readText(ATLAS_SUM) : '';
  const listed = new Set(
    sum
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/)[0]!)
      .filter((f) => f !== undefined && f !== ''),
  );
  const files: { file: string; version: string; name: string; text: string }[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory || !entry.name.endsWith('.sql')) continue;
    const m = ATLAS_FILE.exec(entry.name);
    if (!m) {
      problems.push(`${entry.name} is ignored: Atlas reads files named <version>_<name>.sql`);
      continue;
    }
    if (!listed.has(entry.name)) problems.push(`${entry.name} is not in ${ATLAS_SUM}: atlas migrate apply refuses the directory until "atlas migrate hash" is run`);
    files.push({ file: entry.name, version: m[1]!, name: m[2] ?? '', text: await folder.readText(entry.name) });
  }
  for (const file of listed) if (!files.some((f) => f.file === file)) problems.push(`${ATLAS_SUM} lists ${file}, which is not in the folder: atlas migrate apply refuses the directory`);
  files.sort((a, b) => compareVersions(a.version, b.version) || compareText(a.file, b.file));
  const flavor = chooseDialect({ requested: options.dialect, texts: files.map((f) => f.text) });
  const template = templateFor(options);

  const migrations: Migration[] = files.map((f) => {
    const directives = atlasDirectives(f.text);
    const source = { file: f.file, flavor, firstLine: 1, problems, template };
    const up: MigrationScript = {
      file: f.file,
      statements: directives.delimiter !== undefined ? splitOn(f.text, directives.delimiter, source) : buildStatements(f.text, source),
      ...(directives.txmode?.toLowerCase() === 'none'
        ? { transaction: 'none' as const }
        : { transaction: 'file' as const, transactionHint: `Atlas runs each file in a transaction: start ${f.file} with "-- atlas:txmode none"` }),
    };
    return { id: f.version, name: f.name, format: 'atlas' as const, repeatable: false, up };
  });
  return { version: MIGRATION_SET_VERSION, format: 'atlas', dir: folder.dir, dialect: flavor, migrations, problems };
}
