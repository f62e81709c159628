/**
 * Foreign keys declared only in drizzle `relations()`: a `one()` with `fields` and
 * `references` that no database foreign key backs. They become `virtual: true`
 * foreign keys named `<table>_<relation>_virtual`, so generation keeps those
 * links consistent even though the database does not enforce them.
 *
 * @example
 * ```ts
 * const virtual = virtualForeignKeys(mod, (t) => `public.${getTableName(t)}`);
 * // [{ table: 'public.orders', foreignKey: { name: 'orders_salesRep_virtual', virtual: true, … } }]
 * ```
 */
import type { ForeignKey } from '@understudy/core';
import { createTableRelationsHelpers, getTableName, is, One, type Column, type Table } from 'drizzle-orm';
import { toCamelCase, toSnakeCase } from 'drizzle-orm/casing';
import type { DrizzleModule } from './drizzle-module-loader.js';
import type { DrizzleCasing } from './drizzle-snapshot.js';

/** A virtual foreign key and the key of the table that holds it. */
export interface VirtualForeignKey {
  readonly table: string;
  readonly foreignKey: ForeignKey;
}

/** The database name of a drizzle column, under drizzle's `casing` option. */
export function columnDbName(column: Column, casing?: DrizzleCasing): string {
  if (!column.keyAsName || casing === undefined) return column.name;
  return casing === 'snake_case' ? toSnakeCase(column.name) : toCamelCase(column.name);
}

/**
 * Every `one()` relation with `fields`/`references` in the module, as a virtual
 * foreign key on the table that holds `fields`. Relations whose columns a real
 * foreign key already covers are left out by the caller (see `mergeVirtualForeignKeys`).
 *
 * @param tableKey the Schema key of a drizzle table (`public.orders`, `shop.orders`).
 * @example
 * ```ts
 * virtualForeignKeys(mod, (t) => `public.${getTableName(t)}`);
 * ```
 */
export function virtualForeignKeys(
  mod: DrizzleModule,
  tableKey: (table: Table) => string,
  casing?: DrizzleCasing,
): VirtualForeignKey[] {
  const out: VirtualForeignKey[] = [];
  for (const declared of mod.relations) {
    const config = declared.config(createTableRelationsHelpers(declared.table)) as Record<string, unknown>;
    for (const [relationName, relation] of Object.entries(config)) {
      if (!is(relation, One)) continue;
      const fields = relation.config?.fields ?? [];
      const references = relation.config?.references ?? [];
      if (fields.length === 0 || fields.length !== references.length) continue;
      // The key lives on the table that holds `fields` (normally the relation's own table).
      const holder = (fields[0] as Column).table;
      const target = (references[0] as Column).table;
      out.push({
        table: tableKey(holder),
        foreignKey: {
          name: `${getTableName(holder)}_${relationName}_virtual`,
          columns: fields.map((c) => columnDbName(c as Column, casing)),
          references: { table: tableKey(target), columns: references.map((c) => columnDbName(c as Column, casing)) },
          onDelete: 'no action',
          onUpdate: 'no action',
          deferrable: false,
          initiallyDeferred: false,
          virtual: true,
        },
      });
    }
  }
  return out;
}

/**
 * Adds each virtual key to its table unless a foreign key with the same columns
 * and target already exists there (a `one()` that mirrors a real FK adds nothing).
 *
 * @example
 * ```ts
 * mergeVirtualForeignKeys(tables, virtualForeignKeys(mod, keyOf));
 * ```
 */
export function mergeVirtualForeignKeys(
  tables: Record<string, { foreignKeys: ForeignKey[] }>,
  virtual: readonly VirtualForeignKey[],
): void {
  for (const { table, foreignKey } of virtual) {
    const holder = tables[table];
    if (!holder) continue;
    const same = holder.foreignKeys.some(
      (fk) =>
        fk.references.table === foreignKey.references.table &&
        sameSet(fk.columns, fk.references.columns, foreignKey.columns, foreignKey.references.columns),
    );
    if (!same) holder.foreignKeys.push(foreignKey);
  }
}

/** Same column pairs, in any order. */
function sameSet(a: string[], aRef: string[], b: string[], bRef: string[]): boolean {
  if (a.length !== b.length) return false;
  const pairs = new Set(a.map((c, i) => `${c}\u0000${aRef[i]}`));
  return b.every((c, i) => pairs.has(`${c}\u0000${bRef[i]}`));
}
