/**
 * A project's drizzle-kit config (`drizzle.config.ts`, `.js`, `.mjs`, `.json`): the
 * fields Understudy uses, `schema` (a file, folder, glob or a list), `dialect`,
 * `casing` and `dbCredentials.url`.
 *
 * The config is run as drizzle-kit runs it (so `process.env` and computed values
 * work). When it cannot run here (it imports `dotenv`, the app's own settings, or
 * throws without a `DATABASE_URL`), its literal fields are read from the text instead.
 *
 * @example
 * ```ts
 * const config = await loadDrizzleConfig('/app/drizzle.config.ts');
 * config.schema;  // ['./src/db/schema/*.ts']
 * config.dialect; // 'postgresql'
 * ```
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '@understudy/core';
import { importModules, ModuleImportError } from './module-import.js';

/** drizzle's `casing` option: how keys without an explicit column name become column names. */
export type DrizzleCasing = 'snake_case' | 'camelCase';

export interface DrizzleConfig {
  readonly file: string;
  /** The `schema` setting, as a list. */
  readonly schema: string[];
  /** `postgresql`, `mysql`, … as written. */
  readonly dialect?: string;
  readonly casing?: DrizzleCasing;
  /** `dbCredentials.url`, when the config gives one. */
  readonly url?: string;
  /** `import`: the config ran; `text`: it could not, and its literal fields were read. */
  readonly readBy: 'import' | 'text';
  /** Why the config could not run, when `readBy` is `text`. */
  readonly importError?: string;
}

/** Config file names drizzle-kit looks for, in its order. */
export const CONFIG_NAMES = ['drizzle.config.ts', 'drizzle.config.mts', 'drizzle.config.cts', 'drizzle.config.js', 'drizzle.config.mjs', 'drizzle.config.cjs', 'drizzle.config.json'];

/**
 * Whether a path names a drizzle-kit config rather than a schema module:
 * `drizzle.config.ts`, `drizzle.config.old.ts`, `drizzle.prod.config.js`, a `.json`.
 *
 * @example
 * ```ts
 * isDrizzleConfigPath('ops/drizzle.config.mjs'); // true
 * ```
 */
export function isDrizzleConfigPath(path: string): boolean {
  const name = basename(path);
  return /\.json$/i.test(name) || (/drizzle/i.test(name) && /\.config\b/i.test(name));
}

/**
 * Reads a drizzle-kit config.
 *
 * @throws UsageError for a missing file, a config with no `schema`, or a JSON one that does not parse.
 * @example
 * ```ts
 * await loadDrizzleConfig('drizzle.config.ts');
 * ```
 */
export async function loadDrizzleConfig(file: string): Promise<DrizzleConfig> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`drizzle config ${file} does not exist`, { hint: 'Give the path of your drizzle.config.ts, or of the schema module itself.' });
  });
  let fields: Partial<Omit<DrizzleConfig, 'file' | 'readBy'>>;
  let readBy: DrizzleConfig['readBy'] = 'import';
  let importError: string | undefined;
  if (/\.json$/i.test(file)) {
    try {
      fields = configFields(JSON.parse(text));
    } catch (error) {
      throw new UsageError(`drizzle config ${file} is not valid JSON: ${(error as Error).message}`);
    }
  } else {
    try {
      const [namespace] = await importModules([file]);
      fields = configFields(exportedConfig(namespace!));
    } catch (error) {
      if (!(error instanceof ModuleImportError)) throw error;
      readBy = 'text';
      importError = error.message;
      fields = literalConfigFields(text);
    }
  }
  if (!fields.schema || fields.schema.length === 0) {
    throw new UsageError(`drizzle config ${file} has no schema setting${readBy === 'text' ? ` Understudy could read (it could not run: ${importError})` : ''}`, {
      hint: 'Give the schema module instead: --drizzle src/db/schema.ts (or its folder, or a glob).',
    });
  }
  return { file, schema: fields.schema, readBy, ...withoutUndefined(fields), ...(importError !== undefined ? { importError } : {}) };
}

function withoutUndefined(fields: Partial<Omit<DrizzleConfig, 'file' | 'readBy'>>): Partial<DrizzleConfig> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** `export default defineConfig({…})`, `module.exports = {…}`, or a default that is a function of nothing. */
function exportedConfig(namespace: Record<string, unknown>): unknown {
  let value: unknown = namespace['default'] ?? namespace;
  // CommonJS through an ES namespace: `{ default: { default: config } }`.
  if (value !== null && typeof value === 'object' && 'default' in value && !('schema' in value)) value = (value as { default: unknown }).default;
  return value;
}

function configFields(value: unknown): Partial<Omit<DrizzleConfig, 'file' | 'readBy'>> {
  if (value === null || typeof value !== 'object') return {};
  const config = value as Record<string, unknown>;
  const schema = config['schema'];
  const credentials = config['dbCredentials'];
  const url = credentials !== null && typeof credentials === 'object' ? (credentials as Record<string, unknown>)['url'] : undefined;
  return {
    ...(typeof schema === 'string' ? { schema: [schema] } : Array.isArray(schema) ? { schema: schema.filter((s): s is string => typeof s === 'string') } : {}),
    ...(typeof config['dialect'] === 'string' ? { dialect: config['dialect'] } : {}),
    ...(config['casing'] === 'snake_case' || config['casing'] === 'camelCase' ? { casing: config['casing'] } : {}),
    ...(typeof url === 'string' && url.length > 0 ? { url } : {}),
  };
}

const STRING = String.raw`(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|\x60((?:[^\x60\\$]|\\.)*)\x60)`;

/** The literal fields of a config's text: `schema: "…"` or `schema: ["…", …]`, `dialect`, `casing`, a literal `url`. */
export function literalConfigFields(text: string): Partial<Omit<DrizzleConfig, 'file' | 'readBy'>> {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
  const one = (key: string): string | undefined => {
    const m = new RegExp(String.raw`\b${key}\s*:\s*${STRING}`).exec(code);
    return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
  };
  let schema: string[] | undefined;
  const list = /\bschema\s*:\s*\[([^\]]*)\]/.exec(code);
  if (list) schema = [...list[1]!.matchAll(new RegExp(STRING, 'g'))].map((m) => m[1] ?? m[2] ?? m[3]!);
  else {
    const single = one('schema');
    if (single !== undefined) schema = [single];
  }
  const casing = one('casing');
  return {
    ...(schema ? { schema } : {}),
    ...(one('dialect') !== undefined ? { dialect: one('dialect')! } : {}),
    ...(casing === 'snake_case' || casing === 'camelCase' ? { casing } : {}),
    ...(one('url') !== undefined ? { url: one('url')! } : {}),
  };
}
