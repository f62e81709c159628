/**
 * Reads a Sqitch project: `sqitch.plan` (changes in plan order) and `sqitch.conf`
 * (engine, script folders). Each change is a migration: its up runs
 * `deploy/NAME.sql` and then `verify/NAME.sql` (as `sqitch deploy --verify`), its
 * down `revert/NAME.sql`. Sqitch runs each script with psql, outside any transaction
 * but the `BEGIN` … `COMMIT` the script writes itself, so that is how they run here.
 *
 * - A reworked change (the same name again later in the plan) keeps its older scripts
 *   as `deploy/NAME@TAG.sql`, TAG being one of the tags between it and its rework.
 * - A change that requires a change of another project (`[other:change]`) needs that
 *   project deployed first: a sub-folder's `sqitch.plan` with `%project=other` is read
 *   and its changes come first (a baseline project, as chef-server's `baseline/`).
 *
 * @example
 * ```ts
 * const set = await readSqitchFolder(await openMigrationFolder('schema'), {});
 * set.migrations.map((m) => m.id); // ['oss_chef:osc_users', …, 'users', …]
 * ```
 */
import type { Migration, MigrationDialect, MigrationScript, MigrationSet, MigrationStatement } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';
import type { MigrationFolder } from '../migration-folder.js';
import { chooseDialect, dialectFromName } from '../migration-dialect.js';
import { buildStatements, type StatementTemplate } from '../statement-builder.js';
import { parseSqitchConfig, parseSqitchPlan, type SqitchChange, type SqitchConfig } from './sqitch-plan.js';
import type { SourceOptions } from './source-options.js';
import { templateFor } from './source-options.js';

export const SQITCH_PLAN = 'sqitch.plan';

interface SqitchProject {
  /** Relative to the folder: '' for the folder itself, `baseline/` for a sub-folder. */
  readonly root: string;
  readonly name: string | undefined;
  readonly config: SqitchConfig;
  readonly changes: readonly SqitchChange[];
}

async function readProject(folder: MigrationFolder, root: string): Promise<SqitchProject> {
  const conf = (await folder.exists(`${root}sqitch.conf`)) ? await folder.readText(`${root}sqitch.conf`) : undefined;
  const config = parseSqitchConfig(conf);
  const plan = parseSqitchPlan(await folder.readText(`${root}${config.planFile}`));
  return { root, name: plan.project, config, changes: plan.changes };
}

/** The projects a project requires (`[other:change]`), found in sub-folders, deepest dependency first. */
async function requiredProjects(folder: MigrationFolder, main: SqitchProject, problems: string[]): Promise<SqitchProject[]> {
  const candidates: SqitchProject[] = [];
  for (const entry of folder.entries) {
    if (entry.isDirectory && (await folder.exists(`${entry.name}/${SQITCH_PLAN}`))) candidates.push(await readProject(folder, `${entry.name}/`));
  }
  const ordered: SqitchProject[] = [];
  const visit = (project: SqitchProject, path: string[]): void => {
    const needed = new Set(project.changes.flatMap((c) => c.requires.filter((r) => r.includes(':')).map((r) => r.split(':')[0]!)));
    for (const name of needed) {
      if (name === project.name || path.includes(name) || ordered.some((p) => p.name === name)) continue;
      const found = candidates.find((p) => p.name === name);
      if (!found) {
        problems.push(`${project.root}${SQITCH_PLAN} requires changes of project ${name}, whose ${SQITCH_PLAN} is not in a sub-folder: they are not deployed first`);
        continue;
      }
      visit(found, [...path, name]);
      ordered.push(found);
    }
  };
  visit(main, main.name ? [main.name] : []);
  return ordered;
}

/** The script of `kind` for a change: `NAME.ext`, or for a reworked one the first `NAME@TAG.ext` that exists. */
async function scriptPath(folder: MigrationFolder, project: SqitchProject, change: SqitchChange, dir: string): Promise<string | undefined> {
  const base = `${project.root}${dir}/${change.name}`;
  if (!change.reworked) return (await folder.exists(`${base}.${project.config.extension}`)) ? `${base}.${project.config.extension}` : undefined;
  for (const tag of change.reworkTags) {
    const path = `${base}@${tag}.${project.config.extension}`;
    if (await folder.exists(path)) return path;
  }
  return undefined;
}

async function statementsOf(folder: MigrationFolder, path: string, flavor: MigrationDialect, problems: string[], template: StatementTemplate | undefined): Promise<MigrationStatement[]> {
  return buildStatements(await folder.readText(path), { file: path, flavor, firstLine: 1, problems, template });
}

export async function readSqitchFolder(folder: MigrationFolder, options: SourceOptions): Promise<MigrationSet> {
  const problems: string[] = [];
  const main = await readProject(folder, '');
  const projects = [...(await requiredProjects(folder, main, problems)), main];
  const engine = main.config.engine === undefined ? undefined : dialectFromName(main.config.engine);
  const flavor = chooseDialect({ requested: options.dialect, declared: engine ? { dialect: engine, by: 'sqitch.conf' } : undefined, texts: [] });
  const template = templateFor(options);

  const migrations: Migration[] = [];
  for (const project of projects) {
    for (const change of project.changes) {
      const deploy = await scriptPath(folder, project, change, project.config.deployDir);
      // A reworked change's older instance is named as its script is: keys_update_trigger@users_email_functional_index.
      const label = change.reworked ? (deploy?.slice(deploy.lastIndexOf('/') + 1, deploy.lastIndexOf('.')) ?? `${change.name}@?`) : change.name;
      const id = project === main ? label : `${project.name ?? project.root}:${label}`;
      if (!deploy) {
        problems.push(
          `${project.root}${project.config.planFile}:${change.line}: no deploy script for ${label} (${project.root}${project.config.deployDir}/${change.name}${change.reworked ? '@TAG' : ''}.${project.config.extension}); it is left out`,
        );
        continue;
      }
      const verify = await scriptPath(folder, project, change, project.config.verifyDir);
      const revert = await scriptPath(folder, project, change, project.config.revertDir);
      const up: MigrationScript = {
        file: deploy,
        statements: [...(await statementsOf(folder, deploy, flavor, problems, template)), ...(verify ? await statementsOf(folder, verify, flavor, problems, template) : [])],
        transaction: 'none',
      };
      const down: MigrationScript | undefined = revert ? { file: revert, statements: await statementsOf(folder, revert, flavor, problems, template), transaction: 'none' } : undefined;
      migrations.push({ id, name: id, format: 'sqitch', repeatable: false, up, ...(down ? { down } : {}) });
    }
  }
  return { version: MIGRATION_SET_VERSION, format: 'sqitch', dir: folder.dir, dialect: flavor, migrations, problems };
}
