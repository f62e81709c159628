/**
 * Builds small Schemas by hand for unit tests (here and in other packages' tests).
 *
 * @example
 * ```ts
 * const schema = schemaOf({ 'public.a': tableOf('public', 'a', [col('id', 'integer')], { primaryKey: ['id'] }) });
 * ```
 */
import { SCHEMA_VERSION, SchemaModel, type Column, type ColumnKind, type ForeignKey, type Schema, type Table } from '@understudy/core';

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

export function tableOf(schema: string, name: string, columns: Column[], extra: Partial<Omit<Table, 'primaryKey'>> & { primaryKey?: string[] } = {}): Table {
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

export function schemaOf(tables: Record<string, Table>, extra: Partial<Schema> = {}): Schema {
  return SchemaModel.parse({ version: SCHEMA_VERSION, dialect: 'postgres', namespaces: ['public'], tables, ...extra });
}
