/**
 * The public entry for `understudy introspect --drizzle src/db/schema.ts`: a drizzle
 * schema module in, the core Schema model out, with no database involved.
 *
 * @example
 * ```ts
 * const schema = await introspectDrizzle('src/db/schema.ts');
 * console.log(formatSchemaSummary(schema));
 * ```
 */
import type { Schema } from '@understudy/core';
import { loadDrizzleModule } from './drizzle-module-loader.js';
import { readDrizzleSchema, type DrizzleReadOptions } from './drizzle-schema-reader.js';

export interface IntrospectDrizzleOptions extends DrizzleReadOptions {
  /** Directory a relative `file` is resolved against; default `process.cwd()`. */
  readonly cwd?: string;
}

/**
 * Reads a drizzle schema module (`.ts` or `.js`) into a Schema (`source: drizzle:<file>`,
 * `rowEstimate: null`, relations-only links as `virtual: true` foreign keys).
 *
 * @example
 * ```ts
 * const schema = await introspectDrizzle('src/db/schema.ts');
 * const mysql = await introspectDrizzle('db/schema.ts', { database: 'shop' });
 * ```
 * @throws UsageError for a missing file, a module that throws on import, a module
 *   with no drizzle tables, an unsupported dialect, or a schema drizzle-kit refuses.
 */
export async function introspectDrizzle(file: string, options: IntrospectDrizzleOptions = {}): Promise<Schema> {
  const mod = await loadDrizzleModule(file, options.cwd);
  return readDrizzleSchema(mod, options);
}
