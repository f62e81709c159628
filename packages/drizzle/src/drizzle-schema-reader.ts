/**
 * A loaded drizzle module → the core Schema model, through drizzle-kit's snapshot
 * JSON: the PostgreSQL or MySQL reader, chosen by the module's tables.
 *
 * @example
 * ```ts
 * const schema = await readDrizzleSchema(await loadDrizzleModule('src/db/schema.ts'));
 * ```
 */
import { normalizeSchema, type Schema } from '@understudy/core';
import type { DrizzleModule } from './drizzle-module-loader.js';
import { readMySqlSnapshot, type MySqlFlavor } from './drizzle-mysql-reader.js';
import { readPgSnapshot } from './drizzle-pg-reader.js';
import { mysqlSnapshotOf, pgSnapshotOf, type DrizzleCasing } from './drizzle-snapshot.js';

export interface DrizzleReadOptions {
  /** drizzle's `casing` option, as in your drizzle config: names for columns declared without one. */
  readonly casing?: DrizzleCasing;
  /**
   * MySQL only: the database the tables are keyed under (`<database>.<table>`), since a
   * drizzle module does not name it. Default `"default"`; tables in a `mysqlSchema()` keep theirs.
   */
  readonly database?: string;
  /** MySQL only: spell types as MariaDB (default; also MySQL 5.7) or MySQL 8 prints them. */
  readonly mysqlFlavor?: MySqlFlavor;
}

/** The namespace MySQL tables get when no `database` option is given. */
export const DEFAULT_MYSQL_DATABASE = 'default';

/**
 * Reads a loaded drizzle module into a normalized Schema.
 *
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('src/db/schema.ts');
 * const schema = await readDrizzleSchema(mod, { casing: 'snake_case' });
 * ```
 * @throws UsageError when drizzle-kit refuses the schema.
 */
export async function readDrizzleSchema(mod: DrizzleModule, options: DrizzleReadOptions = {}): Promise<Schema> {
  if (mod.dialect === 'postgres') {
    return normalizeSchema(readPgSnapshot(mod, await pgSnapshotOf(mod, options.casing), options.casing));
  }
  const snapshot = await mysqlSnapshotOf(mod, options.casing);
  return normalizeSchema(
    readMySqlSnapshot(mod, snapshot, {
      database: options.database ?? DEFAULT_MYSQL_DATABASE,
      ...(options.mysqlFlavor ? { flavor: options.mysqlFlavor } : {}),
      ...(options.casing ? { casing: options.casing } : {}),
    }),
  );
}
