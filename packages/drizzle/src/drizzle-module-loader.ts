/**
 * Loads a user's drizzle schema (one module, several, a folder, a glob or a
 * drizzle-kit config) with their own drizzle-orm, and sorts its exports into what
 * drizzle-kit and the readers need: tables, enums, sequences, views, relations and
 * `pgSchema`s. The dialect is read from the table objects themselves.
 *
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('src/db/schema.ts');
 * console.log(mod.dialect, mod.tables.length); // 'postgres' 6
 * ```
 */
import { UsageError } from '@understudy/core';
import type { DrizzleConfig } from './drizzle-config.js';
import { loadDrizzleOrm, type DrizzleOrm } from './drizzle-orm-runtime.js';
import { resolveDrizzleSource, type DrizzleSource } from './drizzle-project.js';
import { importModules, ModuleImportError } from './module-import.js';

/** The dialects a drizzle module can be read as. */
export type DrizzleDialect = 'postgres' | 'mysql';

/** A drizzle table object (of the user's drizzle-orm). */
export type DrizzleTable = object;

/** A loaded drizzle schema, its exports sorted by what they are. */
export interface DrizzleModule {
  /** Absolute path of the first schema module. */
  readonly file: string;
  /** Every schema module read. */
  readonly files: readonly string[];
  /** The path as the user gave it, for messages and `Schema.source`. */
  readonly displayPath: string;
  readonly dialect: DrizzleDialect;
  /** The project's drizzle-orm. */
  readonly orm: DrizzleOrm;
  /** The drizzle-kit config the schema came from, if any. */
  readonly config?: DrizzleConfig;
  /** Every distinct export (a default export object is spread in), as drizzle-kit takes them. */
  readonly exports: Readonly<Record<string, unknown>>;
  readonly tables: readonly DrizzleTable[];
  /** `pgEnum(...)` objects (PostgreSQL only; MySQL enums are inline column types). */
  readonly enums: readonly unknown[];
  /** `pgSequence(...)` objects. */
  readonly sequences: readonly unknown[];
  /** `pgView` / `pgMaterializedView` / `mysqlView` objects. */
  readonly views: readonly unknown[];
  /** `relations(table, …)` objects (the classic API). */
  readonly relations: readonly object[];
  /** `defineRelations(…)` results (drizzle-orm 1.x): table name → `{ table, relations }`. */
  readonly relationsV2: readonly Record<string, { table: DrizzleTable; relations: Record<string, unknown> }>[];
  /** `pgSchema('name')` objects. */
  readonly schemas: readonly unknown[];
}

/**
 * Imports a drizzle schema and collects its drizzle objects.
 *
 * @param target what `--drizzle` was given: a module, folder, glob or config; undefined looks for drizzle.config.* in `cwd`.
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('drizzle.config.ts');
 * ```
 * @throws UsageError when the path is missing, a module throws on import, drizzle-orm is not
 *   installed, no drizzle tables are exported, dialects are mixed, or the dialect is not read yet.
 */
export async function loadDrizzleModule(target: string | DrizzleSource | undefined, cwd: string = process.cwd()): Promise<DrizzleModule> {
  const source = typeof target === 'object' ? target : await resolveDrizzleSource(target, cwd);
  const file = source.files[0]!;
  const orm = loadDrizzleOrm(file);
  let namespaces: Record<string, unknown>[];
  try {
    namespaces = await importModules(source.files);
  } catch (error) {
    if (!(error instanceof ModuleImportError)) throw error;
    throw importFailure(error, source.displayPath);
  }
  const exports = mergeExports(namespaces, source.files);
  const found = sortExports(exports, orm);
  const dialect = detectDialect(found, source.displayPath);
  if (source.config) checkConfigDialect(source.config, dialect);
  return {
    file,
    files: source.files,
    displayPath: source.displayPath,
    dialect,
    orm,
    ...(source.config ? { config: source.config } : {}),
    exports,
    tables: found.tables,
    enums: found.enums,
    sequences: found.sequences,
    views: found.views,
    relations: found.relations,
    relationsV2: found.relationsV2,
    schemas: found.schemas,
  };
}

function importFailure(error: ModuleImportError, displayPath: string): UsageError {
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(error.message);
  const where = error.file === displayPath ? displayPath : `${displayPath} (${error.file})`;
  if (missing) {
    const name = missing[1]!;
    return new UsageError(`drizzle schema ${where} imports ${name}, which is not installed there`, {
      hint: `Install your project's dependencies (npm install) in the schema's project${/^drizzle-(orm|kit)/.test(name) ? `; Understudy reads the schema with the project's own ${name.split('/')[0]}` : ''}.`,
      cause: error.original,
    });
  }
  return new UsageError(`drizzle schema ${where} threw while being imported: ${error.message}`, {
    hint: 'Fix the error in that module (or in a module it imports); it must import cleanly on its own, ' + 'without a database connection or environment the CLI does not have.',
    cause: error.original,
  });
}

/** Exports of all modules as drizzle-kit sees them, each object once; a default export object is spread in. */
function mergeExports(namespaces: readonly Record<string, unknown>[], files: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<unknown>();
  const add = (key: string, value: unknown, index: number): void => {
    // Objects and functions (a pgEnum is callable) are added once, however many files export them.
    const identity = value !== null && (typeof value === 'object' || typeof value === 'function');
    if (identity && seen.has(value)) return;
    if (identity) seen.add(value);
    const name = key in out ? `${key}#${files[index]}` : key;
    out[name] = value;
  };
  namespaces.forEach((namespace, index) => {
    const fallback = namespace['default'];
    if (fallback !== null && typeof fallback === 'object' && !Array.isArray(fallback) && Object.getPrototypeOf(fallback) === Object.prototype) {
      for (const [key, value] of Object.entries(fallback as Record<string, unknown>)) add(key, value, index);
    }
    for (const [key, value] of Object.entries(namespace)) if (key !== 'default' || Object.getPrototypeOf(value ?? {}) !== Object.prototype) add(key, value, index);
  });
  return out;
}

type Found = Pick<DrizzleModule, 'tables' | 'enums' | 'sequences' | 'views' | 'relations' | 'relationsV2' | 'schemas'> & {
  readonly pgTables: number;
  readonly mysqlTables: number;
  readonly unsupported: { dialect: string; key: string }[];
};

function sortExports(exports: Record<string, unknown>, orm: DrizzleOrm): Found {
  const { is, pg, mysql } = orm;
  const isA = (value: unknown, cls: unknown): boolean => cls !== undefined && is(value, cls);
  const call = (fn: unknown, value: unknown): boolean => typeof fn === 'function' && (fn as (v: unknown) => boolean)(value) === true;
  const found: { -readonly [K in keyof Found]: Found[K] extends readonly (infer T)[] ? T[] : Found[K] } = {
    tables: [],
    enums: [],
    sequences: [],
    views: [],
    relations: [],
    relationsV2: [],
    schemas: [],
    pgTables: 0,
    mysqlTables: 0,
    unsupported: [],
  };
  for (const [key, value] of Object.entries(exports)) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) continue;
    if (isA(value, pg['PgTable'])) {
      found.tables.push(value);
      found.pgTables++;
    } else if (isA(value, mysql['MySqlTable'])) {
      found.tables.push(value);
      found.mysqlTables++;
    } else if (call(pg['isPgEnum'], value)) found.enums.push(value);
    else if (call(pg['isPgSequence'], value)) found.sequences.push(value);
    else if (isA(value, pg['PgView']) || isA(value, pg['PgMaterializedView']) || isA(value, mysql['MySqlView'])) found.views.push(value);
    else if (isA(value, orm.relations['Relations'])) found.relations.push(value);
    else if (isA(value, pg['PgSchema'])) found.schemas.push(value);
    else if (isRelationsV2(value, orm)) found.relationsV2.push(value as Found['relationsV2'][number]);
    else {
      const other = orm.others.find((o) => isA(value, o.table));
      if (other) found.unsupported.push({ dialect: other.dialect, key });
    }
  }
  return found;
}

/** A `defineRelations(…)` result: every value is `{ table, name, relations }` over a drizzle table. */
function isRelationsV2(value: unknown, orm: DrizzleOrm): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.values(value as Record<string, unknown>);
  return entries.length > 0 && entries.every((e) => e !== null && typeof e === 'object' && 'relations' in e && 'table' in e && orm.is((e as { table: unknown }).table, orm.core['Table']));
}

/** drizzle-kit's `dialect` names for the dialects Understudy reads. */
const CONFIG_DIALECTS: Readonly<Record<string, DrizzleDialect>> = { postgresql: 'postgres', postgres: 'postgres', mysql: 'mysql' };

/** A config whose `dialect` disagrees with the tables it points at is a mistake worth naming. */
function checkConfigDialect(config: DrizzleConfig, dialect: DrizzleDialect): void {
  if (config.dialect === undefined) return;
  const declared = CONFIG_DIALECTS[config.dialect.toLowerCase()];
  if (declared === undefined) {
    throw new UsageError(`drizzle config ${config.file} has dialect "${config.dialect}": Understudy reads postgresql and mysql schemas`, {
      hint: 'Point --drizzle at a PostgreSQL or MySQL schema.',
    });
  }
  if (declared !== dialect) {
    throw new UsageError(`drizzle config ${config.file} says dialect "${config.dialect}", but its schema declares ${dialect === 'postgres' ? 'PostgreSQL (pg-core)' : 'MySQL (mysql-core)'} tables`, {
      hint: 'Fix the dialect in the config, or point its schema at the right modules.',
    });
  }
}

function detectDialect(found: Found, displayPath: string): DrizzleDialect {
  if (found.pgTables > 0 && found.mysqlTables > 0) {
    throw new UsageError(`drizzle schema ${displayPath} exports both PostgreSQL and MySQL tables`, {
      hint: 'Point --drizzle at a module for one database; split the schema per dialect.',
    });
  }
  if (found.pgTables > 0) return 'postgres';
  if (found.mysqlTables > 0) return 'mysql';
  const other = found.unsupported[0];
  if (other !== undefined) {
    throw new UsageError(`drizzle schema ${displayPath} declares ${other.dialect} tables (export "${other.key}"): ${other.dialect} is not supported yet`, {
      hint: 'Understudy reads drizzle schemas for PostgreSQL (drizzle-orm/pg-core) and MySQL (drizzle-orm/mysql-core).',
    });
  }
  throw new UsageError(`drizzle schema ${displayPath} exports no drizzle tables`, {
    hint:
      'Export each table from the module (export const users = pgTable(…)), or point --drizzle at the ' +
      'file that does (often src/db/schema.ts or an index that re-exports every table), its folder, or drizzle.config.ts.',
  });
}
