/**
 * @understudy/drizzle: a drizzle schema module → the Understudy Schema model,
 * through drizzle-kit's programmatic API.
 *
 * @example
 * ```ts
 * import { introspectDrizzle } from '@understudy/drizzle';
 * const schema = await introspectDrizzle('src/db/schema.ts');
 * ```
 */
export { introspectDrizzle, type IntrospectDrizzleOptions } from './drizzle-source.js';
export { loadDrizzleModule, type DrizzleDialect, type DrizzleModule } from './drizzle-module-loader.js';
export { readDrizzleSchema, DEFAULT_MYSQL_DATABASE, type DrizzleReadOptions } from './drizzle-schema-reader.js';
export { drizzleCreateStatements, type DrizzleCreateStatements } from './drizzle-ddl.js';
export type { DrizzleCasing } from './drizzle-snapshot.js';
export type { MySqlFlavor } from './drizzle-mysql-reader.js';
