/**
 * The user's own drizzle-orm, resolved from the folder of their schema module.
 * Understudy brings no drizzle-orm of its own: the classes a schema's tables are
 * made of, `getTableConfig` and the relations helpers all come from the copy the
 * project installed (0.x or 1.x), so a schema is read by the version it was written for.
 *
 * @example
 * ```ts
 * const orm = loadDrizzleOrm('/app/src/db/schema.ts');
 * orm.version;            // '0.44.5'
 * orm.is(users, orm.pg.PgTable); // true
 * ```
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { UsageError } from '@understudy/core';

/** What the readers use of drizzle-orm, typed loosely: the API moved between 0.x and 1.x. */
export interface DrizzleOrm {
  /** `0.44.5`, `1.0.0-rc.5`. */
  readonly version: string;
  /** 1 for the 1.x line, 0 before. */
  readonly major: number;
  /** Where it was found (its package folder). */
  readonly dir: string;
  readonly is: (value: unknown, type: unknown) => boolean;
  readonly getTableName: (table: unknown) => string;
  /** `drizzle-orm` itself (`Table`, `One`, `Relations` on 0.x). */
  readonly core: Record<string, unknown>;
  readonly pg: Record<string, unknown>;
  readonly mysql: Record<string, unknown>;
  /** Dialect modules Understudy does not read, to name them in messages; absent in older versions. */
  readonly others: { readonly dialect: string; readonly table: unknown }[];
  /** The classic `relations()` API: `drizzle-orm` on 0.x, `drizzle-orm/_relations` on 1.x. */
  readonly relations: Record<string, unknown>;
  readonly casing: { toSnakeCase(name: string): string; toCamelCase(name: string): string };
}

/**
 * Loads drizzle-orm as the module at `fromFile` would import it.
 *
 * @throws UsageError naming the folder and what to install when the project has none.
 * @example
 * ```ts
 * const orm = loadDrizzleOrm(schemaFile);
 * ```
 */
export function loadDrizzleOrm(fromFile: string): DrizzleOrm {
  const require = createRequire(fromFile);
  let entry: string;
  try {
    entry = require.resolve('drizzle-orm');
  } catch {
    throw new UsageError(`drizzle-orm is not installed for ${fromFile}: the schema imports it, and Understudy reads it with your project's copy`, {
      hint: `Install your project's dependencies (npm install), or add it: npm install drizzle-orm in ${dirname(fromFile)} (the version your schema is written for).`,
    });
  }
  const dir = packageDir(entry);
  const version = (require(`${dir}/package.json`) as { version: string }).version;
  const major = Number(version.split('.')[0]);
  const core = require('drizzle-orm') as Record<string, unknown>;
  const optional = (subpath: string): Record<string, unknown> | undefined => {
    try {
      return require(subpath) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  const others: { dialect: string; table: unknown }[] = [];
  for (const [dialect, subpath, cls] of [
    ['SQLite', 'drizzle-orm/sqlite-core', 'SQLiteTable'],
    ['SingleStore', 'drizzle-orm/singlestore-core', 'SingleStoreTable'],
    ['Gel', 'drizzle-orm/gel-core', 'GelTable'],
    ['MSSQL', 'drizzle-orm/mssql-core', 'MsSqlTable'],
    ['CockroachDB', 'drizzle-orm/cockroach-core', 'CockroachTable'],
  ] as const) {
    const table = optional(subpath)?.[cls];
    if (table !== undefined) others.push({ dialect, table });
  }
  // drizzle-orm/casing came with the `casing` option (0.35); an older project has no such option to apply.
  const casing = (optional('drizzle-orm/casing') ?? { toSnakeCase: (n: string) => n, toCamelCase: (n: string) => n }) as unknown as DrizzleOrm['casing'];
  return {
    version,
    major,
    dir,
    is: core['is'] as DrizzleOrm['is'],
    getTableName: core['getTableName'] as DrizzleOrm['getTableName'],
    core,
    pg: require('drizzle-orm/pg-core') as Record<string, unknown>,
    mysql: require('drizzle-orm/mysql-core') as Record<string, unknown>,
    others,
    relations: (major >= 1 ? optional('drizzle-orm/_relations') : undefined) ?? core,
    casing,
  };
}

/** `/app/node_modules/drizzle-orm/index.cjs` → `/app/node_modules/drizzle-orm`. */
function packageDir(entry: string): string {
  const marker = `${'node_modules'}/drizzle-orm`;
  const at = entry.replace(/\\/g, '/').lastIndexOf(marker);
  return at >= 0 ? entry.slice(0, at + marker.length) : dirname(entry);
}
