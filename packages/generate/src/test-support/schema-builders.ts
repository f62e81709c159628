/**
 * Builds small Schemas by hand for this package's tests. Not part of the build.
 *
 * @example
 * ```ts
 * const schema = schemaOf({ 'public.a': tableOf('public', 'a', [col('id', 'integer')], { primaryKey: ['id'] }) });
 * ```
 */
import { SCHEMA_VERSION, SchemaModel, type Column, type ColumnKind, type ForeignKey, type Schema, type SchemaInput, type Table } from '@understudy/core';

export function col(name: string, kind: ColumnKind, extra: Partial<Column> = {}): Column {
  return { name, rawType: kind, kind, arrayDimensions: 0, nullable: false, ...extra };
}

export function fk(name: string, columns: string[], table: string, refColumns: string[], extra: Partial<ForeignKey> = {}): ForeignKey {
  return {
    name,
    columns,
    references: { table, columns: refColumns },
    onDelete: 'no action',
    onUpdate: 'no action',
    deferrable: false,
    initiallyDeferred: false,
    ...extra,
  };
}

export function tableOf(
  schema: string,
  name: string,
  columns: Column[],
  extra: Partial<Omit<Table, 'primaryKey'>> & { primaryKey?: string[] } = {},
): Table {
  const { primaryKey, ...rest } = extra;
  return {
    schema,
    name,
    kind: 'table',
    rowEstimate: null,
    columns,
    uniques: [],
    foreignKeys: [],
    checks: [],
    indexes: [],
    ...rest,
    ...(primaryKey ? { primaryKey: { columns: primaryKey } } : {}),
  };
}

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
