/**
 * The database a command works on, when `--url` is not given: the config's `url` (an `--env`
 * environment's replacing the top level's), else `DATABASE_URL`. Precedence, first wins:
 *
 *   1. `--url URL`
 *   2. the `url` of the environment `--env NAME` selects
 *   3. the config's top-level `url`
 *   4. the `DATABASE_URL` environment variable
 *
 * What understudy is told for itself (a flag, its own config) wins over a variable set for every
 * tool of the project. `--verbose` prints which one was taken. A DATABASE_URL that is not used
 * (a scheme no dialect opens, or `--pglite DIR` chosen) is said on stderr, and is an error under
 * `--json`, where a pipeline would otherwise take an embedded database's result for its own.
 *
 * @example
 * ```ts
 * const options = await withTargetUrl({ from: 'schema.sql', json: true }, 'seed'); // { …, url: process.env.DATABASE_URL }
 * ```
 */
import { redactUrl, UsageError } from '@understudy/core';
import { loadUserConfig } from './config-file.js';
import { dialectFor } from './dialects.js';
import { note, verbose } from './output.js';

interface UrlOptions {
  readonly url?: string;
  readonly config?: string | boolean;
  readonly env?: string;
  readonly json?: boolean | string;
  readonly from?: string;
  readonly schema?: string;
  readonly drizzle?: string | boolean;
  readonly pglite?: string;
  readonly targetProfile?: string;
  readonly plan?: string;
}

/**
 * How each command takes a URL it was not given: `target` (seed, plan: the database to fill, even
 * with a schema source) or `source` (introspect, profile, scan, fidelity, generate: only when no
 * other source is given).
 */
export type UrlRole = 'target' | 'source';

/** Whether a dialect of this build opens `url`. */
async function opens(url: string): Promise<boolean> {
  return dialectFor(url).then(
    () => true,
    () => false,
  );
}

/** `options` with `url` filled in from the config or DATABASE_URL, per the precedence above. */
export async function withTargetUrl<T extends UrlOptions>(options: T, role: UrlRole): Promise<T> {
  if (options.url !== undefined) {
    verbose(`database: ${redactUrl(options.url)} (from --url)`);
    return options;
  }
  const otherSource = options.from !== undefined || options.schema !== undefined || options.drizzle !== undefined || options.targetProfile !== undefined || options.plan !== undefined;
  if (role === 'source' && otherSource) return options;
  const loaded = await loadUserConfig(options);
  const configured = loaded?.config.url;
  const fromEnvironment = process.env['DATABASE_URL']?.trim() || undefined;
  if (options.pglite !== undefined) {
    if (configured !== undefined || fromEnvironment !== undefined) {
      const which = configured !== undefined ? `${loaded!.file} url` : 'DATABASE_URL';
      note(`--pglite ${options.pglite}: seeding the embedded PGlite there; ${which} is not used`);
    }
    return options;
  }
  if (configured !== undefined) {
    const where = loaded!.environment !== undefined && loaded!.environment.length > 0 ? `${loaded!.file}, environment ${loaded!.environment}` : loaded!.file;
    verbose(`database: ${redactUrl(configured)} (from the url of ${where})`);
    return { ...options, url: configured };
  }
  if (fromEnvironment !== undefined) {
    if (await opens(fromEnvironment)) {
      verbose(`database: ${redactUrl(fromEnvironment)} (from DATABASE_URL)`);
      return { ...options, url: fromEnvironment };
    }
    const message = `DATABASE_URL (${redactUrl(fromEnvironment)}) is not a database understudy opens, so it is not used`;
    if (options.json !== undefined && options.json !== false) {
      throw new UsageError(`${message}: with --json, understudy will not work on an embedded database in its place`, {
        hint: 'Give --url postgres://… or mysql://…, or unset DATABASE_URL to use the embedded PGlite.',
      });
    }
    note(`${message} (give --url postgres://… or mysql://…)`);
  }
  return options;
}
