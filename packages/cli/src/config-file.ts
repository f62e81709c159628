/**
 * Loads the config: `--config FILE`, else the first `understudy.config.{ts,mts,js,mjs,json}` in the
 * working directory or a folder above it (up to the repository root, the folder holding `.git`).
 * Validates it against core's one config model (`UnderstudyConfig`, zod) and applies `--env NAME`.
 * TypeScript is loaded through tsx's `tsImport`, whatever the package's `"type"`. A malformed
 * config is a UsageError naming the file and the path of the bad field.
 *
 * @example
 * ```ts
 * const loaded = await loadUserConfig({ env: 'dev' }); // { file: 'understudy.config.ts', config: { seed: 42, rows: 50, … } }
 * ```
 */
import { access, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { verbose } from './output.js';
import { GENERATE_CONFIG_KEYS, readTextFile, UnderstudyConfig, UsageError, withEnvironment, type GenerateConfig } from '@understudy/core';

/** The names a config is found by, in this order. */
export const CONFIG_FILE_NAMES = ['understudy.config.ts', 'understudy.config.mts', 'understudy.config.js', 'understudy.config.mjs', 'understudy.config.json'] as const;

const HINT = 'Give the path of an understudy.config.ts, .mts, .js, .mjs or .json file.';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The config file in `cwd` or a folder above (stopping at the folder with `.git`), if any. */
export async function findConfigFile(cwd: string = process.cwd()): Promise<string | undefined> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const path = join(dir, name);
      if (await exists(path)) return path;
    }
    if (dirname(dir) === dir || (await exists(join(dir, '.git')))) return undefined;
  }
}

async function importModule(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}

/**
 * The exported config. A `.ts` file in a package without `"type": "module"` is compiled as
 * CommonJS, so its `export default` arrives as `module.exports.default` (one level deeper).
 */
function exportedConfig(mod: { default?: unknown }): unknown {
  const value = mod.default ?? mod;
  if (value !== null && typeof value === 'object' && 'default' in value) {
    const inner = (value as { default: unknown; __esModule?: boolean }).default;
    const keys = Object.keys(value).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports');
    if (keys.length === 0 && inner !== null && typeof inner === 'object') return inner;
  }
  return value;
}

async function readConfigValue(file: string, shown: string): Promise<unknown> {
  const path = resolve(file);
  await access(path).catch(() => {
    throw new UsageError(`--config ${shown}: no such file`, { hint: HINT });
  });
  if (extname(path) === '.json') {
    const text = await readTextFile(path, `--config ${shown}`, HINT);
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--config ${shown} cannot be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
  }
  if ((await stat(path)).isDirectory()) throw new UsageError(`--config ${shown}: is a folder, not a file`, { hint: HINT });
  try {
    return exportedConfig((await importModule(path)) as { default?: unknown });
  } catch (error) {
    throw new UsageError(`--config ${shown} cannot be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

/** Paths in the config are relative to its folder: made relative to the working directory here. */
function resolvePaths(config: UnderstudyConfig, dir: string): UnderstudyConfig {
  const fix = (path: string): string => (isAbsolute(path) ? path : relative(process.cwd(), resolve(dir, path)) || '.');
  const out: UnderstudyConfig = { ...config };
  if (out.profile !== undefined) out.profile = fix(out.profile);
  if (out.scrub?.policy !== undefined) out.scrub = { ...out.scrub, policy: fix(out.scrub.policy) };
  if (out.environments) {
    out.environments = Object.fromEntries(Object.entries(out.environments).map(([name, env]) => [name, env.profile !== undefined ? { ...env, profile: fix(env.profile) } : env]));
  }
  return out;
}

/**
 * The config of `file`, validated against the whole model.
 * @throws UsageError naming the file and every bad field's path.
 */
export async function loadConfigFile(file: string, shown: string = file): Promise<UnderstudyConfig> {
  const value = await readConfigValue(file, shown);
  const parsed = UnderstudyConfig.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new UsageError(`${shown}: invalid config at ${problems.join('; ')}`, {
      hint: 'See docs/config.md for the config format (defineConfig from understudy-cli types it; JSON configs can name the schema with "$schema").',
    });
  }
  return resolvePaths(parsed.data, dirname(resolve(file)));
}

export interface LoadedConfig {
  /** The file, as the user gave it or relative to the working directory when found. */
  readonly file: string;
  /** Whether the file was found (not named by --config). */
  readonly found: boolean;
  /** The config with `--env`'s environment applied. */
  readonly config: UnderstudyConfig;
  readonly environment?: string;
}

const loaded = new Map<string, Promise<LoadedConfig | undefined>>();

/**
 * The config of `--config`, else the one found from the working directory, with `--env` applied
 * (loaded once per run). `--no-config` (`config: false`) uses none.
 * @throws UsageError when `--env` is given and there is no config, or names no environment of it.
 */
export function loadUserConfig(options: { readonly config?: string | boolean; readonly env?: string }): Promise<LoadedConfig | undefined> {
  const key = JSON.stringify([options.config, options.env, process.cwd()]);
  let promise = loaded.get(key);
  if (!promise) {
    promise = loadUncached(options);
    loaded.set(key, promise);
  }
  return promise;
}

async function loadUncached(options: { readonly config?: string | boolean; readonly env?: string }): Promise<LoadedConfig | undefined> {
  const given = typeof options.config === 'string' ? options.config : undefined;
  const path = given ?? (options.config === false ? undefined : await findConfigFile());
  if (path === undefined) {
    if (options.env !== undefined) {
      throw new UsageError(`--env ${options.env}: there is no config file to take the environment from`, {
        hint: `Add --config FILE, or an understudy.config.ts with environments: { ${options.env}: { … } } in this folder or above (see docs/config.md).`,
      });
    }
    return undefined;
  }
  const file = given ?? (relative(process.cwd(), path) || path);
  const config = await loadConfigFile(path, file);
  verbose(`config: ${file}${given === undefined ? ' (found from the working directory)' : ''}${options.env !== undefined ? `, environment ${options.env}` : ''}`);
  if (options.env === undefined) {
    const { environments: _environments, ...base } = config;
    return { file, found: given === undefined, config: base };
  }
  return { file, found: given === undefined, config: withEnvironment(config, options.env, file), environment: options.env };
}

/** The generation part of a config: what a plan is built from. */
export function generationConfig(config: UnderstudyConfig): GenerateConfig {
  const out: Record<string, unknown> = {};
  for (const key of GENERATE_CONFIG_KEYS) if (config[key] !== undefined) out[key] = config[key];
  return out as GenerateConfig;
}
