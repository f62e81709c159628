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

// The public API.
export { introspectDrizzle, readDrizzleSource, type IntrospectDrizzleOptions, type DrizzleSourceRead } from './drizzle-source.js';
export { drizzleGenerationHints, type ColumnHint, type GenerationHints } from './drizzle-hints.js';

// Exported for the other Understudy packages and their tests: not a stable API, may change in any release.
/** @internal */
export { loadDrizzleModule, type DrizzleDialect, type DrizzleModule } from './drizzle-module-loader.js';
/** @internal */
export { resolveDrizzleSource, type DrizzleSource } from './drizzle-project.js';
/** @internal */
export { loadDrizzleConfig, type DrizzleConfig, type DrizzleCasing } from './drizzle-config.js';
/** @internal */
export { readDrizzleSchema, mysqlDatabaseFor, DEFAULT_MYSQL_DATABASE, type DrizzleReadOptions } from './drizzle-schema-reader.js';
/** @internal */
export { drizzleCreateStatements, extensionsUsedBy, type DrizzleCreateStatements } from './drizzle-ddl.js';
/** @internal */
export type { MySqlFlavor } from './drizzle-mysql-reader.js';
/** @internal */
export { applyDrizzleToDatabase, comparableSchema } from './drizzle-target.js';
