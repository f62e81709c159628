/**
 * Imports a user's TypeScript or JavaScript modules at run time through tsx, the
 * way their own package runs them: CommonJS packages (no `"type": "module"`,
 * `.cts`, `.cjs`) through tsx's require, ES modules through tsx's import. All the
 * files of one call share one module graph, so a table exported by two files (a
 * schema and an index that re-exports it) is the same object.
 *
 * @example
 * ```ts
 * const [schema, relations] = await importModules(['/app/src/db/schema.ts', '/app/src/db/relations.ts']);
 * ```
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A module that threw while it was imported. */
export class ModuleImportError extends Error {
  constructor(
    readonly file: string,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/**
 * The namespaces of `files`, in order, imported in one tsx namespace.
 *
 * @throws ModuleImportError naming the file whose import threw.
 * @example
 * ```ts
 * const [ns] = await importModules(['/app/drizzle.config.ts']);
 * ```
 */
export async function importModules(files: readonly string[]): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  if (files.length === 0) return out;
  const namespace = `understudy-${randomUUID()}`;
  const esm = await isEsm(files[0]!);
  if (esm) {
    const { register } = await import('tsx/esm/api');
    const api = register({ namespace });
    try {
      for (const file of files) {
        out.push(await guard(file, () => api.import(pathToFileURL(file).href, import.meta.url) as Promise<Record<string, unknown>>));
      }
    } finally {
      await api.unregister();
    }
    return out;
  }
  const { register } = await import('tsx/cjs/api');
  const api = register({ namespace });
  try {
    for (const file of files) out.push(await guard(file, () => api.require(file, import.meta.url) as Record<string, unknown>));
  } finally {
    api.unregister();
  }
  return out;
}

async function guard<T>(file: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new ModuleImportError(file, error);
  }
}

/** ES module by extension, else by the `type` of the nearest package.json (CommonJS when there is none). */
async function isEsm(file: string): Promise<boolean> {
  if (/\.(mts|mjs)$/.test(file)) return true;
  if (/\.(cts|cjs)$/.test(file)) return false;
  let dir = dirname(file);
  for (;;) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}
