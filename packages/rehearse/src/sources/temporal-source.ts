/**
 * Reads temporal-sql-tool schema directories (`temporal-sql-tool update-schema -d
 * …/versioned`): one folder per version, `v1.0`, `v1.1`, … `v1.10` (ordered as numbers),
 * each with a `manifest.json` naming its SQL files in order
 * (`{"CurrVersion": "1.10", "Description": "…", "SchemaUpdateCqlFiles": ["a.sql"]}`).
 * Each version folder is a migration whose up runs those files; the tool sends their
 * statements one by one, outside any transaction.
 *
 * @example
 * ```ts
 * const set = await readTemporalFolder(await openMigrationFolder('schema/postgresql/v12/temporal/versioned'), {});
 * set.migrations.map((m) => m.id); // ['1.0', '1.1', …]
 * ```
 */
import type { Migration, MigrationSet, MigrationStatement } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect } from '../migration-dialect.js';
import { buildStatements } from '../statement-builder.js';
import { compareVersions } from '../version-order.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

export const TEMPORAL_MANIFEST = 'manifest.json';
/** `v1.10`: temporal-sql-tool's version folders. */
export const TEMPORAL_VERSION_DIR = /^v(\d+(?:\.\d+)*)$/;

interface Manifest {
  readonly version: string;
  readonly description: string;
  readonly files: readonly string[];
}

function parseManifest(text: string, path: string, problems: string[]): Manifest | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problems.push(`${path} is not valid JSON: that version is left out`);
    return undefined;
  }
  const m = json as { CurrVersion?: unknown; Description?: unknown; SchemaUpdateCqlFiles?: unknown };
  if (typeof m.CurrVersion !== 'string' || !Array.isArray(m.SchemaUpdateCqlFiles) || !m.SchemaUpdateCqlFiles.every((f) => typeof f === 'string')) {
    problems.push(`${path} has no CurrVersion or SchemaUpdateCqlFiles list: that version is left out`);
    return undefined;
  }
  return { version: m.CurrVersion, description: typeof m.Description === 'string' ? m.Description : '', files: m.SchemaUpdateCqlFiles as string[] };
}

export async function readTemporalFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const versions: Array<{ dir: string; manifest: Manifest; texts: Map<string, string> }> = [];
  for (const entry of folder.entries) {
    const m = TEMPORAL_VERSION_DIR.exec(entry.name);
    if (!entry.isDirectory || !m) continue;
    const manifestPath = `${entry.name}/${TEMPORAL_MANIFEST}`;
    if (!(await folder.exists(manifestPath))) {
      problems.push(`${entry.name}/ has no ${TEMPORAL_MANIFEST}: temporal-sql-tool refuses the directory`);
      continue;
    }
    const manifest = parseManifest(await folder.readText(manifestPath), manifestPath, problems);
    if (!manifest) continue;
    if (compareVersions(manifest.version, m[1]!) !== 0) problems.push(`${manifestPath} says CurrVersion ${manifest.version}, but its folder is ${entry.name}`);
    const texts = new Map<string, string>();
    for (const file of manifest.files) {
      const path = `${entry.name}/${file}`;
      if (await folder.exists(path)) texts.set(path, await folder.readText(path));
      else problems.push(`${manifestPath} lists ${file}, which is missing`);
    }
    versions.push({ dir: entry.name, manifest, texts });
  }
  versions.sort((a, b) => compareVersions(a.dir.slice(1), b.dir.slice(1)));
  const flavor = chooseDialect({ requested: options.dialect, texts: versions.flatMap((v) => [...v.texts.values()]) });
  const template = templateFor(options);

  const migrations: Migration[] = versions.map((v) => {
    const statements: MigrationStatement[] = [...v.texts].flatMap(([file, text]) => buildStatements(text, { file, flavor, firstLine: 1, problems, template }));
    return {
      id: v.manifest.version,
      name: v.manifest.description,
      format: 'temporal-sql-tool' as const,
      repeatable: false,
      up: { file: `${v.dir}/${TEMPORAL_MANIFEST}`, statements, transaction: 'none' as const },
    };
  });
  return { version: MIGRATION_SET_VERSION, format: 'temporal-sql-tool', dir: folder.dir, dialect: flavor, migrations, problems };
}
