/**
 * Loads `--config understudy.config.ts|.mts|.js|.mjs|.json` and validates it
 * against `GenerateConfig` (zod). TypeScript is loaded through tsx's `tsImport`.
 * A malformed config is a UsageError naming the file and the path of the bad field.
 *
 * @example
 * ```ts
 * const config = await loadConfigFile('understudy.config.ts'); // { seed: 42, tables: { … } }
 * ```
 */
import { access, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTextFile, UsageError } from '@understudy/core';
import { GenerateConfig } from '@understudy/generate';

async function importModule(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}

async function readConfigValue(file: string): Promise<unknown> {
  const path = resolve(file);
  await access(path).catch(() => {
    throw new UsageError(`--config ${file}: no such file`, { hint: 'Give the path of an understudy.config.ts, .js or .json file.' });
  });
  if (extname(path) === '.json') {
    const text = await readTextFile(path, `--config ${file}`, 'Give the path of an understudy.config.ts, .js or .json file.');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--config ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
  }
  if ((await stat(path)).isDirectory()) throw new UsageError(`--config ${file}: is a folder, not a file`, { hint: 'Give the path of an understudy.config.ts, .js or .json file.' });
  try {
    const mod = (await importModule(path)) as { default?: unknown };
    return mod.default ?? mod;
  } catch (error) {
    throw new UsageError(`--config ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

/** Keys of the config that belong to other commands (validated by them), not to generation. */
const OTHER_SECTIONS = ['rehearse'] as const;

/** See the module comment. A `rehearse` section is left for `understudy rehearse` (see loadConfigSections). */
export async function loadConfigFile(file: string): Promise<GenerateConfig> {
  return (await loadConfigSections(file)).generate;
}

/**
 * The generation config plus the raw sections other commands own (`rehearse`).
 * @example
 * ```ts
 * const { generate, rehearse } = await loadConfigSections('understudy.config.ts');
 * ```
 */
export async function loadConfigSections(file: string): Promise<{ generate: GenerateConfig; rehearse: unknown }> {
  const value = await readConfigValue(file);
  const sections: Record<string, unknown> = {};
  let rest = value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of OTHER_SECTIONS) {
      sections[key] = copy[key];
      delete copy[key];
    }
    rest = copy;
  }
  const parsed = GenerateConfig.safeParse(rest);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new UsageError(`${file}: invalid config at ${problems.join('; ')}`, {
      hint: 'See docs/generation.md for the config format (defineConfig from @understudy/generate types it).',
    });
  }
  return { generate: parsed.data, rehearse: sections['rehearse'] };
}
