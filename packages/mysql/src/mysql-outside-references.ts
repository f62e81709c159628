/**
 * `--truncate` on MySQL/MariaDB empties the tables with `FOREIGN_KEY_CHECKS = 0` (cycles and
 * self-references must empty too), so the server does not stop it from leaving rows of *other*
 * tables without their parents. The tables of the schema the seed keeps are checked from the
 * model (core's truncate-guard); this check reads the server's catalog for the rest: tables in
 * another database, or tables the schema does not know. PostgreSQL refuses such a TRUNCATE; so
 * does this check, before anything is deleted, naming each referencing table that holds rows.
 *
 * @example
 * ```ts
 * await assertNoOutsideReferences(run, tables); // throws UsageError naming `billing.invoice` → `shop.customer`
 * ```
 */
import { UsageError, type Table } from '@understudy/core';
import { quoteId, quoteString } from './mysql-load-sql.js';
import { cell, keyOf, type RunSql } from './mysql-target-tables.js';

/** A foreign key of a table outside the load that points at a table the load empties. */
export interface OutsideReference {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly columns: readonly string[];
  /** The emptied table it points at (`db.table`). */
  readonly references: string;
}

/**
 * The SQL listing every foreign-key column that points into `namespaces`, from any database.
 * @example
 * ```ts
 * referencingColumnsSql(['shop']);
 * ```
 */
export function referencingColumnsSql(namespaces: readonly string[]): string {
  return (
    'SELECT TABLE_SCHEMA AS s, TABLE_NAME AS n, CONSTRAINT_NAME AS fk, COLUMN_NAME AS c, ' +
    'REFERENCED_TABLE_SCHEMA AS ps, REFERENCED_TABLE_NAME AS pn ' +
    'FROM information_schema.KEY_COLUMN_USAGE ' +
    `WHERE REFERENCED_TABLE_SCHEMA IN (${namespaces.map(quoteString).join(', ')}) AND REFERENCED_TABLE_NAME IS NOT NULL ` +
    'ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION'
  );
}

/**
 * The foreign keys that point at a table in `emptied` from a table not in `known` (the schema's
 * tables; by default `emptied` itself).
 * @example
 * ```ts
 * const refs = await outsideReferences(run, tables);
 * ```
 */
export async function outsideReferences(run: RunSql, emptied: readonly Table[], known: readonly Table[] = emptied): Promise<OutsideReference[]> {
  const inLoad = new Set(emptied.map((t) => keyOf(t).toLowerCase()));
  const inSchema = new Set(known.map((t) => keyOf(t).toLowerCase()));
  const namespaces = [...new Set(emptied.map((t) => t.schema))].sort();
  if (namespaces.length === 0) return [];
  const byKey = new Map<string, { schema: string; table: string; name: string; columns: string[]; references: string }>();
  for (const row of await run('looking for foreign keys that point at the tables to empty', referencingColumnsSql(namespaces))) {
    const child = { schema: cell(row['s']), name: cell(row['n']) };
    const parent = `${cell(row['ps'])}.${cell(row['pn'])}`;
    if (inSchema.has(keyOf(child).toLowerCase()) || !inLoad.has(parent.toLowerCase())) continue;
    const id = `${keyOf(child)}\u0000${cell(row['fk'])}`;
    const found = byKey.get(id) ?? { schema: child.schema, table: child.name, name: cell(row['fk']), columns: [], references: parent };
    found.columns.push(cell(row['c']));
    byKey.set(id, found);
  }
  return [...byKey.values()];
}

/**
 * Refuses to empty tables that rows outside the load point at: a referencing table that holds
 * rows with its whole key set (MATCH SIMPLE) would keep rows whose parent is gone. A referencing
 * table that is empty, or whose rows all have a NULL in the key, is no obstacle.
 * @throws UsageError naming each referencing table (`db.table`), its foreign key and the emptied table.
 * @example
 * ```ts
 * await assertNoOutsideReferences(run, tables, Object.values(schema.tables));
 * ```
 */
export async function assertNoOutsideReferences(run: RunSql, emptied: readonly Table[], known: readonly Table[] = emptied): Promise<void> {
  const blocking: string[] = [];
  for (const ref of await outsideReferences(run, emptied, known)) {
    const table = `${quoteId(ref.schema)}.${quoteId(ref.table)}`;
    const set = ref.columns.map((c) => `${quoteId(c)} IS NOT NULL`).join(' AND ');
    const rows = await run(`counting the rows of ${ref.schema}.${ref.table} that point at ${ref.references}`, `SELECT COUNT(*) AS n FROM ${table} WHERE ${set}`);
    const n = Number(cell(rows[0]?.['n']) || 0);
    if (n > 0) blocking.push(`${ref.schema}.${ref.table} (${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}, foreign key ${ref.name} → ${ref.references})`);
  }
  if (blocking.length === 0) return;
  throw new UsageError(`--truncate would leave rows of tables outside this seed without their parents: ${blocking.join('; ')}`, {
    hint:
      'Those tables point at tables the seed empties, and MySQL does not check foreign keys while it empties them. ' +
      'Empty the referencing tables first (or drop their foreign keys), or seed without --truncate.',
  });
}
