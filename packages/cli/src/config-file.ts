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
import { access, readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '@understudy/core';
import { GenerateConfig } from '@understudy/generate';

async function importModule(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') {
    const { tsImport } = await import('tsx/esm/api');
    return tsImport(pathToFileURL(file).href, import.meta.url);
  }
  return import(pathToFileURL(file).href);
}

/** See the module comment. */
export async function loadConfigFile(file: string): Promise<GenerateConfig> {
  const path = resolve(file);
  await access(path).catch(() => {
    throw new UsageError(`--config ${file}: no such file`, { hint: 'Give the path of an understudy.config.ts, .js or .json file.' });
  });
  let value: unknown;
  try {
    if (extname(path) === '.json') value = JSON.parse(await readFile(path, 'utf8'));
    else {
      const mod = (await importModule(path)) as { default?: unknown };
      value = mod.default ?? mod;
    }
  } catch (error) {
    throw new UsageError(`--config ${file} cannot be read: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const parsed = GenerateConfig.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new UsageError(`${file}: invalid config at ${problems.join('; ')}`, {
      hint: 'See docs/generation.md for the config format (defineConfig from @understudy/generate types it).',
    });
  }
  return parsed.data;
}
