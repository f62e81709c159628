/**
 * The public entries for `--drizzle`: a drizzle schema (a module, folder, glob or
 * drizzle-kit config) in, the core Schema model out, with no database involved;
 * and, for `seed` and `plan`, the generator hints the schema carries.
 *
 * @example
 * ```ts
 * const schema = await introspectDrizzle('src/db/schema.ts');
 * const { schema: s, hints } = await readDrizzleSource('drizzle.config.ts');
 * ```
 */
import type { Schema } from '@understudy/core';
import { drizzleGenerationHints, type GenerationHints } from './drizzle-hints.js';
import { drizzleKitFor } from './drizzle-kit-runtime.js';
import type { DrizzleKitLabel } from './drizzle-snapshot.js';
import { loadDrizzleModule, type DrizzleModule, type DrizzleTable } from './drizzle-module-loader.js';
import { mysqlDatabaseFor, readDrizzleSchema, type DrizzleReadOptions } from './drizzle-schema-reader.js';

export interface IntrospectDrizzleOptions extends DrizzleReadOptions {
  /** Directory a relative path is resolved against (and searched for drizzle.config.* when none is given); default `process.cwd()`. */
  readonly cwd?: string;
}

/** A drizzle schema read for seeding: the model, the module it came from, its generator hints, and the drizzle-kit that read it. */
export interface DrizzleSourceRead {
  readonly schema: Schema;
  readonly module: DrizzleModule;
  readonly hints: GenerationHints;
  readonly kit: DrizzleKitLabel;
}

/**
 * Reads a drizzle schema into a Schema (`source: drizzle:<path>`, `rowEstimate: null`,
 * relations-only links as `virtual: true` foreign keys).
 *
 * @param target a module, folder, glob or drizzle config; undefined looks for drizzle.config.* in `cwd`.
 * @example
 * ```ts
 * const schema = await introspectDrizzle('src/db/schema.ts');
 * const mysql = await introspectDrizzle('drizzle.config.ts', { database: 'shop' });
 * ```
 * @throws UsageError for a missing path, a module that throws on import, a project without
 *   drizzle-orm, a module with no drizzle tables, an unsupported dialect, or a schema drizzle-kit refuses.
 */
export async function introspectDrizzle(target: string | undefined, options: IntrospectDrizzleOptions = {}): Promise<Schema> {
  return (await readDrizzleSource(target, options)).schema;
}

/**
 * Reads a drizzle schema with its generator hints (TypeScript-only enums, `$defaultFn` shapes).
 *
 * @example
 * ```ts
 * const { schema, hints } = await readDrizzleSource(undefined, { cwd: '/app' });
 * ```
 */
export async function readDrizzleSource(target: string | undefined, options: IntrospectDrizzleOptions = {}): Promise<DrizzleSourceRead> {
  const mod = await loadDrizzleModule(target, options.cwd);
  const kit = await drizzleKitFor(mod);
  const read = await readDrizzleSchema(mod, options, kit);
  // A config that throws when imported here (it validates the app's environment) printed its own error: say what became of it.
  const config = mod.config;
  const schema =
    config?.readBy === 'text'
      ? { ...read, notes: [`${mod.displayPath} could not run here (${(config.importError ?? '').split('\n')[0]}): its schema, dialect and casing were read from its text`, ...read.notes] }
      : read;
  const database = mod.dialect === 'mysql' ? mysqlDatabaseFor(mod, options) : undefined;
  const hints = drizzleGenerationHints(mod, tableKeyOf(mod, database), options.casing ?? mod.config?.casing);
  return { schema, module: mod, hints, kit: { origin: kit.origin, version: kit.version } };
}

/** The Schema key of a drizzle table: `schema.table` (PostgreSQL), `database.table` (MySQL). */
function tableKeyOf(mod: DrizzleModule, database: string | undefined): (table: DrizzleTable) => string {
  const getTableConfig = (mod.dialect === 'postgres' ? mod.orm.pg : mod.orm.mysql)['getTableConfig'] as (t: DrizzleTable) => { schema?: string };
  return (table) => `${getTableConfig(table).schema ?? database ?? 'public'}.${mod.orm.getTableName(table)}`;
}
