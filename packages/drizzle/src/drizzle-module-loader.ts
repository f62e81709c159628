/**
 * Loads a user's drizzle schema module (`.ts`, `.mts`, `.js`, `.mjs`, `.cjs`) at run
 * time through tsx, and sorts its exports into what drizzle-kit and the reader
 * need: tables, enums, sequences, views, `relations()` objects and `pgSchema`s.
 * The dialect is read from the table objects themselves.
 *
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('src/db/schema.ts');
 * console.log(mod.dialect, mod.tables.length); // 'postgres' 6
 * ```
 */
import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '@understudy/core';
import { is, Relations, type Table } from 'drizzle-orm';
import { GelTable } from 'drizzle-orm/gel-core';
import { MySqlTable, MySqlView } from 'drizzle-orm/mysql-core';
import { isPgEnum, isPgSequence, PgMaterializedView, PgSchema, PgTable, PgView } from 'drizzle-orm/pg-core';
import { SingleStoreTable } from 'drizzle-orm/singlestore-core';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';

/** The dialects a drizzle module can be read as. */
export type DrizzleDialect = 'postgres' | 'mysql';

/** A loaded drizzle schema module, its exports sorted by what they are. */
export interface DrizzleModule {
  /** Absolute path of the module. */
  readonly file: string;
  /** The path as the user gave it, for messages and `Schema.source`. */
  readonly displayPath: string;
  readonly dialect: DrizzleDialect;
  /** Every export (a default export object is spread in), as drizzle-kit takes them. */
  readonly exports: Readonly<Record<string, unknown>>;
  readonly tables: readonly Table[];
  /** `pgEnum(...)` objects (PostgreSQL only; MySQL enums are inline column types). */
  readonly enums: readonly unknown[];
  /** `pgSequence(...)` objects. */
  readonly sequences: readonly unknown[];
  /** `pgView` / `pgMaterializedView` / `mysqlView` objects. */
  readonly views: readonly unknown[];
  /** `relations(table, …)` objects. */
  readonly relations: readonly Relations[];
  /** `pgSchema('name')` objects. */
  readonly schemas: readonly PgSchema[];
}

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.tsx', '.jsx'];

/**
 * Imports a drizzle schema module and collects its drizzle objects.
 *
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('src/db/schema.ts');
 * for (const table of mod.tables) console.log(getTableName(table));
 * ```
 * @throws UsageError when the file is missing, throws on import, exports no drizzle
 *   tables, mixes dialects, or is for a dialect Understudy does not read yet.
 */
export async function loadDrizzleModule(file: string, cwd: string = process.cwd()): Promise<DrizzleModule> {
  const absolute = isAbsolute(file) ? file : resolve(cwd, file);
  try {
    await access(absolute);
  } catch {
    throw new UsageError(`drizzle schema file ${file} does not exist (looked for ${absolute})`, {
      hint: 'Give the path of the module that exports your drizzle tables, e.g. --drizzle src/db/schema.ts.',
    });
  }
  if (!EXTENSIONS.some((ext) => absolute.endsWith(ext))) {
    throw new UsageError(`drizzle schema file ${file} is not a TypeScript or JavaScript module`, {
      hint: `Give a ${EXTENSIONS.join(', ')} file that exports your drizzle tables.`,
    });
  }

  const namespace = await importModule(absolute, file);
  const exports = flattenExports(namespace);
  const found = sortExports(exports);
  const dialect = detectDialect(found, file);
  return { file: absolute, displayPath: file, dialect, exports, ...found };
}

async function importModule(absolute: string, displayPath: string): Promise<Record<string, unknown>> {
  const { tsImport } = await import('tsx/esm/api');
  try {
    return (await tsImport(pathToFileURL(absolute).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`drizzle schema file ${displayPath} threw while being imported: ${message}`, {
      hint:
        'Fix the error in that module (or in a module it imports); it must import cleanly on its own, ' +
        'without a database connection or environment the CLI does not have.',
      cause: error,
    });
  }
}

/** Exports as drizzle-kit sees them; a default export that is a plain object (CJS, `export default {…}`) is spread in. */
function flattenExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fallback = namespace['default'];
  if (fallback !== null && typeof fallback === 'object' && !isDrizzleTable(fallback)) {
    for (const [key, value] of Object.entries(fallback as Record<string, unknown>)) out[key] = value;
  }
  for (const [key, value] of Object.entries(namespace)) {
    if (key === 'default' && !isDrizzleTable(value)) continue;
    out[key] = value;
  }
  return out;
}

function isDrizzleTable(value: unknown): boolean {
  return (
    is(value, PgTable) ||
    is(value, MySqlTable) ||
    is(value, SQLiteTable) ||
    is(value, SingleStoreTable) ||
    is(value, GelTable)
  );
}

type Found = Pick<DrizzleModule, 'tables' | 'enums' | 'sequences' | 'views' | 'relations' | 'schemas'>;

interface Sorted extends Found {
  readonly pgTables: number;
  readonly mysqlTables: number;
  readonly unsupported: { dialect: string; key: string }[];
}

function sortExports(exports: Record<string, unknown>): Sorted {
  const tables: Table[] = [];
  const enums: unknown[] = [];
  const sequences: unknown[] = [];
  const views: unknown[] = [];
  const relations: Relations[] = [];
  const schemas: PgSchema[] = [];
  const unsupported: { dialect: string; key: string }[] = [];
  let pgTables = 0;
  let mysqlTables = 0;
  for (const [key, value] of Object.entries(exports)) {
    if (is(value, PgTable)) {
      tables.push(value);
      pgTables++;
    } else if (is(value, MySqlTable)) {
      tables.push(value);
      mysqlTables++;
    } else if (is(value, SQLiteTable)) {
      unsupported.push({ dialect: 'SQLite', key });
    } else if (is(value, SingleStoreTable)) {
      unsupported.push({ dialect: 'SingleStore', key });
    } else if (is(value, GelTable)) {
      unsupported.push({ dialect: 'Gel', key });
    } else if (isPgEnum(value)) {
      enums.push(value);
    } else if (isPgSequence(value)) {
      sequences.push(value);
    } else if (is(value, PgView) || is(value, PgMaterializedView) || is(value, MySqlView)) {
      views.push(value);
    } else if (is(value, Relations)) {
      relations.push(value);
    } else if (is(value, PgSchema)) {
      schemas.push(value);
    }
  }
  return { tables, enums, sequences, views, relations, schemas, pgTables, mysqlTables, unsupported };
}

function detectDialect(found: Sorted, file: string): DrizzleDialect {
  if (found.pgTables > 0 && found.mysqlTables > 0) {
    throw new UsageError(`drizzle schema file ${file} exports both PostgreSQL and MySQL tables`, {
      hint: 'Point --drizzle at a module for one database; split the schema per dialect.',
    });
  }
  if (found.pgTables > 0) return 'postgres';
  if (found.mysqlTables > 0) return 'mysql';
  const other = found.unsupported[0];
  if (other !== undefined) {
    throw new UsageError(
      `drizzle schema file ${file} declares ${other.dialect} tables (export "${other.key}"): ${other.dialect} is not supported yet`,
      { hint: 'Understudy reads drizzle schemas for PostgreSQL (drizzle-orm/pg-core) and MySQL (drizzle-orm/mysql-core).' },
    );
  }
  throw new UsageError(`drizzle schema file ${file} exports no drizzle tables`, {
    hint:
      'Export each table from the module (export const users = pgTable(…)), or point --drizzle at the ' +
      'file that does (often src/db/schema.ts or an index that re-exports every table).',
  });
}
