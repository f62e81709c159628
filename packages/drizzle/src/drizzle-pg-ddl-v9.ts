/**
 * drizzle-kit 1.x describes a PostgreSQL schema as a flat list of DDL entities
 * (snapshot version 8/9: `{ entityType: 'columns', schema, table, name, … }`); the
 * 0.x line as nested tables (version 7). This turns the first into the second, so
 * one reader serves both: array dimensions become `[]` suffixes, primary keys go
 * to `compositePrimaryKeys`, default operator classes are dropped, actions are
 * lower-cased.
 *
 * @example
 * ```ts
 * const v7 = pgSnapshotFromDdl(await api.generateDrizzleJson(exports));
 * v7.tables['public.users']!.columns['tags']!.type; // 'text[]'
 * ```
 */
import type { PgSnapshot, PgSnapshotColumn, PgSnapshotIndex, PgSnapshotTable } from './drizzle-snapshot.js';

/** One entity of a drizzle-kit 1.x PostgreSQL snapshot (`ddl[]`), loosely typed. */
export type PgDdlEntity = { entityType: string; schema?: string; table?: string; name: string } & Record<string, unknown>;

interface DdlColumn {
  type: string;
  typeSchema: string | null;
  notNull: boolean;
  dimensions: number;
  default: string | null;
  generated: { as: string; type: 'stored' } | null;
  identity: { type: 'always' | 'byDefault'; name: string; increment?: string; startWith?: string; minValue?: string; maxValue?: string; cache?: number; cycle?: boolean } | null;
}

interface DdlIndexColumn {
  value: string;
  isExpression: boolean;
  asc: boolean;
  nullsFirst: boolean;
  opclass: { name: string; default: boolean } | null;
}

/**
 * The version-7 snapshot of a drizzle-kit 1.x PostgreSQL snapshot.
 *
 * @example
 * ```ts
 * pgSnapshotFromDdl({ ddl: [{ entityType: 'tables', schema: 'public', name: 'users' }] }).tables; // { 'public.users': … }
 * ```
 */
export function pgSnapshotFromDdl(state: { ddl: readonly PgDdlEntity[] }): PgSnapshot {
  const snapshot: PgSnapshot = { version: '7', dialect: 'postgresql', tables: {}, enums: {}, schemas: {}, sequences: {}, views: {} };
  const tableOf = (e: PgDdlEntity): PgSnapshotTable => {
    const key = `${e.schema ?? 'public'}.${e.table}`;
    const table = snapshot.tables[key];
    if (!table) throw new Error(`drizzle-kit snapshot: ${e.entityType} ${e.name} belongs to unknown table ${key}`);
    return table;
  };
  for (const e of state.ddl) {
    if (e.entityType === 'tables') {
      snapshot.tables[`${e.schema}.${e.name}`] = {
        name: e.name,
        schema: e.schema ?? 'public',
        columns: {},
        indexes: {},
        foreignKeys: {},
        compositePrimaryKeys: {},
        uniqueConstraints: {},
        checkConstraints: {},
      };
    } else if (e.entityType === 'schemas') snapshot.schemas[e.name] = e.name;
  }
  for (const e of state.ddl) {
    switch (e.entityType) {
      case 'enums':
        snapshot.enums[`${e.schema}.${e.name}`] = { name: e.name, schema: e.schema ?? 'public', values: [...(e['values'] as string[])] };
        break;
      case 'columns':
        tableOf(e).columns[e.name] = column(e.name, e as unknown as DdlColumn, e.schema ?? 'public');
        break;
      case 'pks':
        tableOf(e).compositePrimaryKeys[e.name] = { name: e.name, columns: [...(e['columns'] as string[])] };
        break;
      case 'uniques':
        tableOf(e).uniqueConstraints[e.name] = { name: e.name, columns: [...(e['columns'] as string[])], nullsNotDistinct: e['nullsNotDistinct'] === true };
        break;
      case 'checks':
        tableOf(e).checkConstraints![e.name] = { name: e.name, value: e['value'] as string };
        break;
      case 'indexes':
        tableOf(e).indexes[e.name] = index(e);
        break;
      case 'fks':
        tableOf(e).foreignKeys[e.name] = {
          name: e.name,
          tableFrom: e.table!,
          columnsFrom: [...(e['columns'] as string[])],
          tableTo: e['tableTo'] as string,
          schemaTo: e['schemaTo'] as string,
          columnsTo: [...(e['columnsTo'] as string[])],
          onUpdate: ((e['onUpdate'] as string | null) ?? 'no action').toLowerCase(),
          onDelete: ((e['onDelete'] as string | null) ?? 'no action').toLowerCase(),
        };
        break;
      case 'sequences':
        snapshot.sequences[`${e.schema}.${e.name}`] = {
          name: e.name,
          schema: e.schema ?? 'public',
          ...optionalString('increment', e['incrementBy']),
          ...optionalString('minValue', e['minValue']),
          ...optionalString('maxValue', e['maxValue']),
          ...optionalString('startWith', e['startWith']),
          ...optionalString('cache', e['cacheSize']),
          cycle: e['cycle'] === true,
        };
        break;
      case 'views':
        snapshot.views[`${e.schema}.${e.name}`] = {
          name: e.name,
          schema: e.schema ?? 'public',
          materialized: e['materialized'] === true,
          ...(typeof e['definition'] === 'string' ? { definition: e['definition'] } : {}),
        };
        break;
      default:
        break;
    }
  }
  return snapshot;
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return value === null || value === undefined ? {} : ({ [key]: String(value) } as Record<K, string>);
}

function column(name: string, c: DdlColumn, schema: string): PgSnapshotColumn {
  const out: PgSnapshotColumn = {
    name,
    type: `${c.type}${'[]'.repeat(c.dimensions ?? 0)}`,
    primaryKey: false,
    notNull: c.notNull,
  };
  if (c.typeSchema) out.typeSchema = c.typeSchema;
  if (c.default !== null && c.default !== undefined) out.default = c.default;
  if (c.generated) out.generated = { type: 'stored', as: c.generated.as };
  if (c.identity) {
    out.identity = {
      type: c.identity.type,
      name: c.identity.name,
      schema,
      ...optionalString('increment', c.identity.increment),
      ...optionalString('startWith', c.identity.startWith),
      ...optionalString('minValue', c.identity.minValue),
      ...optionalString('maxValue', c.identity.maxValue),
      ...optionalString('cache', c.identity.cache),
      ...(c.identity.cycle !== undefined ? { cycle: c.identity.cycle } : {}),
    };
  }
  return out;
}

function index(e: PgDdlEntity): PgSnapshotIndex {
  const columns = (e['columns'] as DdlIndexColumn[]).map((c) => ({
    expression: c.value,
    isExpression: c.isExpression,
    asc: c.asc,
    nulls: c.nullsFirst ? 'first' : 'last',
    ...(c.opclass && !c.opclass.default ? { opclass: c.opclass.name } : {}),
  }));
  const where = e['where'];
  return {
    name: e.name,
    columns,
    isUnique: e['isUnique'] === true,
    ...(typeof where === 'string' && where.length > 0 ? { where } : {}),
    method: (e['method'] as string | undefined) ?? 'btree',
    concurrently: e['concurrently'] === true,
  };
}
