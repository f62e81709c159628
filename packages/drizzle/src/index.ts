/**
 * @understudy/drizzle: a drizzle schema (module, folder, glob or drizzle-kit config)
 * → the Understudy Schema model, through the project's own drizzle-orm and
 * drizzle-kit (or the bundled drizzle-kit), plus the generator hints it carries.
 *
 * @example
 * ```ts
 * import { introspectDrizzle } from '@understudy/drizzle';
 * const schema = await introspectDrizzle('src/db/schema.ts');
 * ```
 */
export { introspectDrizzle, readDrizzleSource, type IntrospectDrizzleOptions, type DrizzleSourceRead } from './drizzle-source.js';
export { loadDrizzleModule, type DrizzleDialect, type DrizzleModule } from './drizzle-module-loader.js';
export { resolveDrizzleSource, type DrizzleSource } from './drizzle-project.js';
export { loadDrizzleConfig, type DrizzleConfig, type DrizzleCasing } from './drizzle-config.js';
export { readDrizzleSchema, mysqlDatabaseFor, DEFAULT_MYSQL_DATABASE, type DrizzleReadOptions } from './drizzle-schema-reader.js';
export { drizzleCreateStatements, extensionsUsedBy, type DrizzleCreateStatements } from './drizzle-ddl.js';
export { drizzleGenerationHints, type ColumnHint, type GenerationHints } from './drizzle-hints.js';
export type { MySqlFlavor } from './drizzle-mysql-reader.js';
export { applyDrizzleToDatabase, comparableSchema } from './drizzle-target.js';
