/**
 * What `--drizzle [path]` points at, resolved to the schema modules to import:
 * - nothing: the `drizzle.config.*` of the working directory;
 * - a drizzle-kit config (`drizzle.config.ts`): its `schema` (file, folder, glob or
 *   list), read relative to the config's folder or, when it is not there, the working folder
 *   (`drizzle-kit --config db/drizzle.config.ts` from the root), with its `dialect`, `casing` and `dbCredentials.url`;
 * - a schema module, a folder of them, or a glob.
 *
 * @example
 * ```ts
 * const source = await resolveDrizzleSource(undefined, '/app');
 * source.files;  // ['/app/src/db/schema/index.ts']
 * source.config?.dialect; // 'postgresql'
 * ```
 */
import { access } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '@understudy/core';
import { CONFIG_NAMES, isDrizzleConfigPath, loadDrizzleConfig, type DrizzleConfig } from './drizzle-config.js';
import { expandSchemaPaths } from './schema-paths.js';

export interface DrizzleSource {
  /** The path as the user gave it (or the config found), for messages and `Schema.source`. */
  readonly displayPath: string;
  /** The schema modules, absolute, sorted. */
  readonly files: string[];
  /** The config the schema came from, if any. */
  readonly config?: DrizzleConfig;
}

/**
 * Resolves `--drizzle [target]`.
 *
 * @throws UsageError when nothing is given and the folder has no drizzle config, or a path does not exist.
 * @example
 * ```ts
 * await resolveDrizzleSource('drizzle.config.ts', process.cwd());
 * ```
 */
export async function resolveDrizzleSource(target: string | undefined, cwd: string = process.cwd()): Promise<DrizzleSource> {
  if (target === undefined) {
    for (const name of CONFIG_NAMES) {
      const file = join(cwd, name);
      if (await exists(file)) return fromConfig(file, name, cwd);
    }
    throw new UsageError(`--drizzle with no path looks for a drizzle config in ${cwd}, and there is none (${CONFIG_NAMES.slice(0, 3).join(', ')}, …)`, {
      hint: 'Run it from the folder of your drizzle.config.ts, or give a path: --drizzle drizzle.config.ts, --drizzle src/db/schema.ts or --drizzle "src/db/schema/*.ts".',
    });
  }
  const absolute = isAbsolute(target) ? target : resolve(cwd, target);
  if (isDrizzleConfigPath(target) && (await exists(absolute))) return fromConfig(absolute, target, cwd);
  return { displayPath: target, files: await expandSchemaPaths([target], cwd, '--drizzle') };
}

async function fromConfig(file: string, displayPath: string, cwd: string): Promise<DrizzleSource> {
  const config = await loadDrizzleConfig(file);
  // drizzle-kit reads `schema` relative to the folder it runs in: the config's own folder when a
  // package script runs it there, the project's root for `drizzle-kit --config db/drizzle.config.ts`.
  const where = `${displayPath} schema`;
  const folders = [...new Set([dirname(file), resolve(cwd)])];
  const found = await Promise.all(folders.map((folder) => schemaExists(config.schema, folder)));
  const folder = folders[found.indexOf(true)];
  if (folder === undefined && folders.length > 1) {
    const described = config.schema.join(', ');
    throw new UsageError(`${where} ${described} is neither in the config's folder ${folders[0]} nor in the working folder ${folders[1]}`, {
      hint: 'drizzle-kit reads it from the folder it runs in: run this from that folder, or give the schema itself (--drizzle path/to/schema.ts).',
    });
  }
  const files = await expandSchemaPaths(config.schema, folder ?? dirname(file), where);
  return { displayPath, files, config };
}

/** Whether every non-glob path of a `schema` setting exists under `folder` (a glob decides when it is expanded). */
async function schemaExists(patterns: readonly string[], folder: string): Promise<boolean> {
  for (const pattern of patterns) {
    const base = pattern.split(/[\\/]/).findIndex((p) => /[*?[{]/.test(p));
    const fixed = base < 0 ? pattern : pattern.split(/[\\/]/).slice(0, base).join('/');
    if (fixed !== '' && !(await exists(isAbsolute(fixed) ? fixed : resolve(folder, fixed)))) return false;
  }
  return true;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
