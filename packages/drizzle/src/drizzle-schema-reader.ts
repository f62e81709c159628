/**
 * A loaded drizzle module → the core Schema model, through drizzle-kit's snapshot
 * JSON: the PostgreSQL or MySQL reader, chosen by the module's tables, fed by the
 * project's own drizzle-kit when it has one (see `drizzleKitFor`).
 *
 * @example
 * ```ts
 * const schema = await readDrizzleSchema(await loadDrizzleModule('src/db/schema.ts'));
 * ```
 */
import { normalizeSchema, type Schema } from '@understudy/core';
import type { DrizzleCasing } from './drizzle-config.js';
import { drizzleKitFor, type DrizzleKit } from './drizzle-kit-runtime.js';
import type { DrizzleModule } from './drizzle-module-loader.js';
import { readMySqlSnapshot, type MySqlFlavor } from './drizzle-mysql-reader.js';
import { readPgSnapshot } from './drizzle-pg-reader.js';

export interface DrizzleReadOptions {
  /** drizzle's `casing` option (default: the config's): names for columns declared without one. */
  readonly casing?: DrizzleCasing;
  /**
   * MySQL only: the database drizzle's default schema stands for, so tables are keyed
   * `<database>.<table>` as the target names them. Default: the database of the config's
   * `dbCredentials.url`, else `"default"`. Tables in a `mysqlSchema()` keep theirs.
   */
  readonly database?: string;
  /** MySQL only: spell types as MariaDB (default; also MySQL 5.7) or MySQL 8 prints them. */
  readonly mysqlFlavor?: MySqlFlavor;
}

/** The namespace MySQL tables get when neither a `database` option nor the config names one. */
export const DEFAULT_MYSQL_DATABASE = 'default';

/**
 * Reads a loaded drizzle module into a normalized Schema.
 *
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('src/db/schema.ts');
 * const schema = await readDrizzleSchema(mod, { casing: 'snake_case' });
 * ```
 * @param kit the drizzle-kit to read with (default: `drizzleKitFor(mod)`).
 * @throws UsageError when drizzle-kit refuses the schema.
 */
export async function readDrizzleSchema(mod: DrizzleModule, options: DrizzleReadOptions = {}, kit?: DrizzleKit): Promise<Schema> {
  kit ??= await drizzleKitFor(mod);
  const casing = options.casing ?? mod.config?.casing;
  if (mod.dialect === 'postgres') {
    return normalizeSchema(readPgSnapshot(mod, await kit.pgSnapshot(mod, casing), casing));
  }
  const snapshot = await kit.mysqlSnapshot(mod, casing);
  return normalizeSchema(
    readMySqlSnapshot(mod, snapshot, {
      database: mysqlDatabaseFor(mod, options),
      ...(options.mysqlFlavor ? { flavor: options.mysqlFlavor } : {}),
      ...(casing ? { casing } : {}),
    }),
  );
}

/**
 * The database a MySQL module's default schema stands for: the `database` option, else the
 * database of the config's `dbCredentials.url`, else `"default"`.
 *
 * @example
 * ```ts
 * mysqlDatabaseFor(mod, { database: 'shop' }); // 'shop'
 * ```
 */
export function mysqlDatabaseFor(mod: DrizzleModule, options: Pick<DrizzleReadOptions, 'database'> = {}): string {
  return options.database ?? databaseOfUrl(mod.config?.url) ?? DEFAULT_MYSQL_DATABASE;
}

/** `mysql://u@h:3306/shop?ssl=true` → `shop`. */
function databaseOfUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const name = decodeURIComponent(new URL(url).pathname.replace(/^\/+/, ''));
    return name.length > 0 ? name : undefined;
  } catch {
    return undefined;
  }
}
