/**
 * Builds small Schemas by hand for this package's tests. Not part of the build.
 *
 * @example
 * ```ts
 * const schema = schemaOf([tableOf('public', 'a', [col('id', 'integer')], { primaryKey: ['id'] })]);
 * ```
 */
import { SCHEMA_VERSION, SchemaModel, type Schema, type SchemaInput, type Table } from '@understudy/core';

// col, fk and tableOf are core's; this file adds what generate's tests need on top.
export { col, fk, tableOf } from '@understudy/test-helpers';

/** `tables` as a list: keys are `schema.name`. */
export function schemaOf(tables: Table[], extra: Partial<SchemaInput> = {}): Schema {
  const record: Record<string, Table> = {};
  for (const t of tables) record[`${t.schema}.${t.name}`] = t;
  return SchemaModel.parse({ version: SCHEMA_VERSION, dialect: 'postgres', namespaces: ['public'], tables: record, ...extra });
}

export function uniqueKey(name: string, columns: string[]): Table['uniques'][number] {
  return { name, columns, origin: 'constraint' };
}

export function check(name: string, expression: string): Table['checks'][number] {
  return { name, expression };
}
