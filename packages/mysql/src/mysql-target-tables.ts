/**
 * What a MySQL/MariaDB load needs to know about the target's tables before it starts, read
 * from information_schema in one query: which of the schema's tables exist, their storage
 * engine, whether that engine can roll back (InnoDB can; MyISAM, Aria, MEMORY cannot), and
 * their AUTO_INCREMENT counters (InnoDB never rolls a counter back, so a rolled-back load
 * sets them back itself).
 *
 * @example
 * ```ts
 * const found = await readTargetTables(run, schema);
 * assertTablesExist(schema, tables, found, 'mysql://root@127.0.0.1:3306/shop');
 * found.get('shop.users'); // { engine: 'InnoDB', transactional: true, autoIncrement: 101n }
 * ```
 */
import { UsageError, type Schema, type Table } from '@understudy/core';
import { text } from './mysql-introspect-queries.js';
import { quoteString } from './mysql-load-sql.js';

/** Runs one statement on the load's connection and returns its rows (see the sink's `#run`). */
export type RunSql = (what: string, text: string) => Promise<Array<Record<string, unknown>>>;

/** One table of the target as information_schema describes it. */
export interface TargetTable {
  readonly schema: string;
  readonly name: string;
  /** `InnoDB`, `MyISAM`, `Aria`, …; empty when the server does not say (a damaged table). */
  readonly engine: string;
  /** True when the engine supports transactions (information_schema.ENGINES.TRANSACTIONS). */
  readonly transactional: boolean;
  /** The next AUTO_INCREMENT value; null for a table without an AUTO_INCREMENT column. */
  readonly autoIncrement: bigint | null;
}

/** `db.table`, the key of a table in the Schema model and in the maps built here. */
export const keyOf = (t: { readonly schema: string; readonly name: string }): string => `${t.schema}.${t.name}`;

/**
 * The SQL that lists every base table of `namespaces` with its engine and AUTO_INCREMENT.
 * @example
 * ```ts
 * targetTablesSql(['shop']); // "SELECT t.TABLE_SCHEMA AS s, … WHERE t.TABLE_SCHEMA IN ('shop') …"
 * ```
 */
export function targetTablesSql(namespaces: readonly string[]): string {
  return (
    'SELECT t.TABLE_SCHEMA AS s, t.TABLE_NAME AS n, t.ENGINE AS engine, e.TRANSACTIONS AS tx, t.AUTO_INCREMENT AS ai ' +
    'FROM information_schema.TABLES AS t LEFT JOIN information_schema.ENGINES AS e ON e.ENGINE = t.ENGINE ' +
    `WHERE t.TABLE_SCHEMA IN (${namespaces.map(quoteString).join(', ')}) AND t.TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`
  );
}

/** A catalog value as text ('' for NULL; information_schema text may come back as a Buffer). */
export const cell = (value: unknown): string => text(value) ?? '';

/**
 * Every base table of the schema's namespaces on the target, by key (`db.table`).
 * @example
 * ```ts
 * const found = await readTargetTables(run, schema);
 * ```
 */
export async function readTargetTables(run: RunSql, schema: Pick<Schema, 'tables'>): Promise<Map<string, TargetTable>> {
  const namespaces = [...new Set(Object.values(schema.tables).map((t) => t.schema))].sort();
  const found = new Map<string, TargetTable>();
  if (namespaces.length === 0) return found;
  for (const row of await run('reading the tables of the target', targetTablesSql(namespaces))) {
    const ai = cell(row['ai']);
    const table: TargetTable = {
      schema: cell(row['s']),
      name: cell(row['n']),
      engine: cell(row['engine']),
      transactional: cell(row['tx']).toUpperCase() === 'YES',
      autoIncrement: /^\d+$/.test(ai) ? BigInt(ai) : null,
    };
    found.set(keyOf(table), table);
  }
  return found;
}

/**
 * The target's entry for a table of the model: by exact name, or ignoring case (a server
 * with `lower_case_table_names` reports names in lower case).
 */
export function targetTableOf(found: ReadonlyMap<string, TargetTable>, table: Pick<Table, 'schema' | 'name'>): TargetTable | undefined {
  const key = keyOf(table);
  const exact = found.get(key);
  if (exact) return exact;
  const lower = key.toLowerCase();
  for (const [k, t] of found) if (k.toLowerCase() === lower) return t;
  return undefined;
}

/** Missing tables named in a message, at most (then "and N more"). */
const MISSING_SHOWN = 10;

/**
 * @throws UsageError naming the tables of `tables` the target does not have (the first ten).
 * @example
 * ```ts
 * assertTablesExist(tables, found, 'mysql://root@127.0.0.1:3306/shop');
 * ```
 */
export function assertTablesExist(tables: readonly Table[], found: ReadonlyMap<string, TargetTable>, description: string): void {
  const missing = tables.filter((t) => !targetTableOf(found, t)).map(keyOf);
  if (missing.length === 0) return;
  const shown = missing.length > MISSING_SHOWN ? `${missing.slice(0, MISSING_SHOWN).join(', ')} and ${missing.length - MISSING_SHOWN} more` : missing.join(', ');
  const message =
    missing.length === tables.length && tables.length > 1
      ? `${description} has none of the ${tables.length} tables the schema names (${shown})`
      : `the schema names table${missing.length > 1 ? 's' : ''} ${shown}, which ${description} does not have`;
  throw new UsageError(message, {
    hint: 'Create them first (run your migrations, or load the DDL with the mysql client), or introspect this database instead of giving a schema made from another one.',
  });
}
