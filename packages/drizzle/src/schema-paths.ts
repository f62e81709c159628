/**
 * The module files a drizzle `schema` setting names, as drizzle-kit reads it: a
 * file, a folder (every module under it) or a glob (`src/schema/*.ts`,
 * `./src/**\/*.sql.ts`, `{a,b}.ts`), or a list of those.
 *
 * @example
 * ```ts
 * await expandSchemaPaths(['./src/db/schema/*.ts'], '/app');
 * // ['/app/src/db/schema/posts.ts', '/app/src/db/schema/users.ts']
 * ```
 */
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '@understudy/core';

/** Extensions of modules drizzle-kit imports. */
export const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.tsx', '.jsx'];

const GLOB_CHARS = /[*?[{]/;

/** A module file, but not a declaration file or a test beside the schema. */
function isSchemaModule(path: string): boolean {
  if (/\.d\.[cm]?ts$/.test(path) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(path)) return false;
  return MODULE_EXTENSIONS.some((ext) => path.endsWith(ext));
}

/**
 * Every module file the patterns name, sorted, each once.
 *
 * @param where how the patterns were given, for messages (`--drizzle`, `drizzle.config.ts schema`).
 * @throws UsageError for a path that does not exist or a glob that matches no module.
 * @example
 * ```ts
 * await expandSchemaPaths(['src/db/schema'], process.cwd(), '--drizzle');
 * ```
 */
export async function expandSchemaPaths(patterns: readonly string[], baseDir: string, where: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const files = GLOB_CHARS.test(pattern) ? await glob(pattern, baseDir) : await filesAt(pattern, baseDir, where);
    if (files.length === 0) {
      throw new UsageError(`${where} ${pattern} matches no TypeScript or JavaScript module (looked in ${baseDir})`, {
        hint: 'Give the module that exports your drizzle tables, the folder that holds them, or a glob such as src/db/schema/*.ts.',
      });
    }
    for (const file of files) found.add(file);
  }
  return [...found].sort();
}

async function filesAt(pattern: string, baseDir: string, where: string): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) {
    throw new UsageError(`${where} ${pattern} does not exist (looked for ${absolute})`, {
      hint: 'Give the path of the module that exports your drizzle tables (e.g. src/db/schema.ts), its folder, a glob, or your drizzle.config.ts.',
    });
  }
  if (info.isDirectory()) return (await walk(absolute)).filter(isSchemaModule);
  if (!MODULE_EXTENSIONS.some((ext) => absolute.endsWith(ext))) {
    throw new UsageError(`${where} ${pattern} is not a TypeScript or JavaScript module`, {
      hint: `Give a ${MODULE_EXTENSIONS.join(', ')} file that exports your drizzle tables.`,
    });
  }
  return [absolute];
}

async function glob(pattern: string, baseDir: string): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(baseDir, pattern);
  const parts = absolute.split(/[\\/]/);
  const firstGlob = parts.findIndex((p) => GLOB_CHARS.test(p));
  const root = parts.slice(0, firstGlob).join(sep) || sep;
  const matcher = globRegExp(parts.slice(firstGlob).join('/'));
  const files = await walk(root).catch(() => []);
  return files.filter((f) => matcher.test(relative(root, f).split(sep).join('/')) && isSchemaModule(f));
}

/** Files under `dir`, recursively, skipping node_modules and dot folders. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      out.push(...(await walk(path)));
    } else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * A glob (relative, `/`-separated) as a RegExp: `**` any folders, `*` and `?` within
 * one name, `{a,b}` alternatives, `[abc]` classes.
 *
 * @example
 * ```ts
 * globRegExp('src/**\/*.sql.ts').test('src/schema/user.sql.ts'); // true
 * ```
 */
export function globRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more folders; a trailing `**` matches anything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map(escape)
          .join('|')})`;
        i = end;
      }
    } else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else out += escape(c);
  }
  return new RegExp(`^${out}$`);
}

function escape(text: string): string {
  return text.replace(/[.+^$()|\\]/g, '\\$&');
}
