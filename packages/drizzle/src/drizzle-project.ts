/**
 * What `--drizzle [path]` points at, resolved to the schema modules to import:
 * - nothing: the `drizzle.config.*` of the working directory;
 * - a drizzle-kit config (`drizzle.config.ts`): its `schema` (file, folder, glob or
 *   list), read relative to the config, with its `dialect`, `casing` and `dbCredentials.url`;
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
      if (await exists(file)) return fromConfig(file, name);
    }
    throw new UsageError(`--drizzle with no path looks for a drizzle config in ${cwd}, and there is none (${CONFIG_NAMES.slice(0, 3).join(', ')}, …)`, {
      hint: 'Run it from the folder of your drizzle.config.ts, or give a path: --drizzle drizzle.config.ts, --drizzle src/db/schema.ts or --drizzle "src/db/schema/*.ts".',
    });
  }
  const absolute = isAbsolute(target) ? target : resolve(cwd, target);
  if (isDrizzleConfigPath(target) && (await exists(absolute))) return fromConfig(absolute, target);
  return { displayPath: target, files: await expandSchemaPaths([target], cwd, '--drizzle') };
}

async function fromConfig(file: string, displayPath: string): Promise<DrizzleSource> {
  const config = await loadDrizzleConfig(file);
  // drizzle-kit reads `schema` relative to the folder it runs in: the config's folder.
  const files = await expandSchemaPaths(config.schema, dirname(file), `${displayPath} schema`);
  return { displayPath, files, config };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
