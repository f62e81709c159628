/**
 * drizzle-kit's PostgreSQL snapshot → the core Schema model, spelled the way the
 * PostgreSQL introspector spells the same database after the schema is pushed
 * (`character varying(50)`, `nextval('public.employees_id_seq'::regclass)`, `<table>_pkey`,
 * every index including those behind keys, constraints sorted by name).
 *
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('src/db/schema.ts');
 * const schema = readPgSnapshot(mod, await pgSnapshotOf(mod));
 * ```
 */
import {
  SCHEMA_VERSION,
  type CheckConstraint,
  type Column,
  type EnumType,
  type ForeignKey,
  type Index,
  type ReferentialAction,
  type Schema,
  type Sequence,
  type Table,
  type UniqueKey,
  type View,
} from '@understudy/core';
import type { DrizzleModule, DrizzleTable } from './drizzle-module-loader.js';
import { isDefaultOpclass } from './drizzle-pg-opclasses.js';
import { pgIdentifier, pgDefault, referencedColumns, stripOwnTable, unquoteIdentifiers } from './drizzle-pg-expressions.js';
import { pgColumnType, quoteIdent, type PgColumnType } from './drizzle-pg-types.js';
import { mergeRelationLinks, relationLinks } from './drizzle-relations.js';
import type { DrizzleCasing, PgSnapshot, PgSnapshotColumn, PgSnapshotTable } from './drizzle-snapshot.js';

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The Schema of a PostgreSQL drizzle module.
 *
 * @example
 * ```ts
 * const schema = readPgSnapshot(mod, await pgSnapshotOf(mod));
 * console.log(Object.keys(schema.tables)); // ['audit.events', 'public.customers', …]
 * ```
 */
export function readPgSnapshot(mod: DrizzleModule, snapshot: PgSnapshot, casing?: DrizzleCasing): Schema {
  const tables: Record<string, Table> = {};
  const sequences: Record<string, Sequence> = {};
  for (const table of Object.values(snapshot.tables)) {
    const schemaName = table.schema || 'public';
    const key = `${schemaName}.${table.name}`;
    tables[key] = readTable(schemaName, table, sequences);
  }

  for (const seq of Object.values(snapshot.sequences)) {
    const schemaName = seq.schema || 'public';
    sequences[`${schemaName}.${seq.name}`] = {
      schema: schemaName,
      name: seq.name,
      dataType: 'bigint',
      start: seq.startWith ?? '1',
      increment: seq.increment ?? '1',
      min: seq.minValue ?? '1',
      max: seq.maxValue ?? '9223372036854775807',
      cycle: seq.cycle ?? false,
    };
  }

  const enums: Record<string, EnumType> = {};
  for (const e of Object.values(snapshot.enums)) {
    const schemaName = e.schema || 'public';
    enums[`${schemaName}.${e.name}`] = { schema: schemaName, name: e.name, values: [...e.values] };
  }

  const views: Record<string, View> = {};
  for (const v of Object.values(snapshot.views)) {
    const schemaName = v.schema || 'public';
    views[`${schemaName}.${v.name}`] = {
      schema: schemaName,
      name: v.name,
      materialized: v.materialized ?? false,
      ...(v.definition === undefined ? {} : { definition: v.definition }),
    };
  }

  const getTableConfig = mod.orm.pg['getTableConfig'] as (t: DrizzleTable) => { schema?: string };
  const keyOf = (t: DrizzleTable): string => `${getTableConfig(t).schema ?? 'public'}.${mod.orm.getTableName(t)}`;
  const notes = mergeRelationLinks(tables, relationLinks(mod, keyOf, casing));
  // Constraints and indexes in name order, as the introspector lists them.
  for (const table of Object.values(tables)) {
    table.uniques.sort(byName);
    table.foreignKeys.sort(byName);
    table.checks.sort(byName);
    table.indexes.sort(byName);
  }

  const namespaces = new Set<string>(['public']);
  for (const t of Object.values(tables)) namespaces.add(t.schema);
  for (const e of Object.values(enums)) namespaces.add(e.schema);
  for (const s of Object.values(sequences)) namespaces.add(s.schema);
  for (const name of Object.values(snapshot.schemas)) namespaces.add(name);

  return {
    version: SCHEMA_VERSION,
    dialect: 'postgres',
    source: `drizzle:${mod.displayPath}`,
    namespaces: [...namespaces].sort(),
    extensions: [],
    enums,
    domains: {},
    sequences,
    tables,
    views,
    notes,
  };
}

function readTable(schemaName: string, table: PgSnapshotTable, sequences: Record<string, Sequence>): Table {
  const columns: Column[] = [];
  const pkColumns: string[] = [];
  for (const col of Object.values(table.columns)) {
    const type = pgColumnType(col.type, col.typeSchema);
    columns.push(readColumn(schemaName, table.name, col, type, sequences));
    if (col.primaryKey) pkColumns.push(col.name);
  }

  const composite = Object.values(table.compositePrimaryKeys)[0];
  const primaryKey =
    composite !== undefined
      ? { name: pgIdentifier(composite.name), columns: [...composite.columns] }
      : pkColumns.length > 0
        ? { name: pgIdentifier(`${table.name}_pkey`), columns: pkColumns }
        : undefined;
  // Primary key columns are NOT NULL, declared or not.
  for (const column of columns) if (primaryKey?.columns.includes(column.name)) column.nullable = false;

  const uniques: UniqueKey[] = Object.values(table.uniqueConstraints).map((u) => ({
    // An unnamed unique gets PostgreSQL's own name for it.
    name: pgIdentifier(u.name ?? `${table.name}_${u.columns.join('_')}_key`),
    columns: [...u.columns],
    origin: 'constraint',
    ...(u.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
    deferrable: false,
  }));
  // A column-level `.unique()` kept on the column itself (older snapshots).
  for (const col of Object.values(table.columns)) {
    if (col.isUnique === true && !uniques.some((u) => u.columns.length === 1 && u.columns[0] === col.name)) {
      uniques.push({
        name: pgIdentifier(col.uniqueName ?? `${table.name}_${col.name}_unique`),
        columns: [col.name],
        origin: 'constraint',
        ...(col.nullsNotDistinct ? { nullsNotDistinct: true } : {}),
        deferrable: false,
      });
    }
  }

  // PostgreSQL lists the index behind each primary key and unique constraint too.
  const indexes: Index[] = [];
  if (primaryKey) indexes.push(constraintIndex(schemaName, table.name, primaryKey.name ?? '', primaryKey.columns, true));
  for (const u of uniques) {
    indexes.push(constraintIndex(schemaName, table.name, u.name, u.columns as string[], false, u.nullsNotDistinct));
  }
  const columnsByName = new Map(columns.map((c) => [c.name, c]));
  for (const raw of Object.values(table.indexes)) {
    const idx = normalizeIndex(raw, schemaName, table.name, columnsByName);
    const name = pgIdentifier(idx.name);
    const parts = idx.columns.map((c) => (c.isExpression ? null : c.expression));
    const expressions = idx.columns.filter((c) => c.isExpression).map((c) => c.expression);
    indexes.push({
      name,
      columns: parts,
      ...(expressions.length > 0 ? { expressions } : {}),
      unique: idx.isUnique,
      primary: false,
      method: idx.method,
      ...(idx.where ? { where: idx.where } : {}),
      definition: indexDefinition(schemaName, table.name, name, idx),
    });
    if (idx.isUnique) {
      uniques.push({
        name,
        columns: parts,
        origin: 'index',
        ...(expressions.length > 0 ? { expressions } : {}),
        ...(idx.where ? { where: idx.where } : {}),
      });
    }
  }

  const foreignKeys: ForeignKey[] = Object.values(table.foreignKeys).map((fk) => ({
    name: pgIdentifier(fk.name),
    columns: [...fk.columnsFrom],
    references: { table: `${fk.schemaTo || 'public'}.${fk.tableTo}`, columns: [...fk.columnsTo] },
    onDelete: action(fk.onDelete),
    onUpdate: action(fk.onUpdate),
    match: 'simple',
    deferrable: false,
    initiallyDeferred: false,
  }));

  const columnNames = columns.map((c) => c.name);
  const checks: CheckConstraint[] = Object.values(table.checkConstraints ?? {}).map((c) => {
    const expression = unquoteIdentifiers(stripOwnTable(c.value, table.name, schemaName));
    const used = referencedColumns(expression, columnNames);
    return { name: pgIdentifier(c.name), expression, ...(used.length > 0 ? { columns: used } : {}) };
  });

  return {
    schema: schemaName,
    name: table.name,
    kind: 'table',
    rowEstimate: null,
    columns,
    ...(primaryKey ? { primaryKey } : {}),
    uniques,
    foreignKeys,
    checks,
    indexes,
  };
}

/**
 * An index as PostgreSQL prints it back: predicates and expressions without drizzle's
 * table qualifier (drizzle-orm 1.x writes `"users"."email" is not null`), and no
 * operator class that is the default for the column's type (`uuid_ops` on a uuid).
 */
function normalizeIndex(idx: PgSnapshotTable['indexes'][string], schemaName: string, tableName: string, columns: ReadonlyMap<string, Column>): PgSnapshotTable['indexes'][string] {
  const clean = (sql: string): string => unquoteIdentifiers(stripOwnTable(sql, tableName, schemaName));
  return {
    ...idx,
    columns: idx.columns.map((c) => {
      const expression = c.isExpression ? clean(c.expression) : c.expression;
      const column = c.isExpression ? undefined : columns.get(c.expression);
      const { opclass, ...rest } = c;
      const keep = opclass !== undefined && !(column && isDefaultOpclass(idx.method, column.rawType, opclass));
      return { ...rest, expression, ...(keep ? { opclass } : {}) };
    }),
    ...(idx.where ? { where: clean(idx.where) } : {}),
  };
}

function readColumn(schemaName: string, tableName: string, col: PgSnapshotColumn, type: PgColumnType, sequences: Record<string, Sequence>): Column {
  const { serial, ...typeFields } = type;
  const column: Column = { name: col.name, ...typeFields, nullable: !col.notNull && !col.primaryKey };
  const tableKey = `${schemaName}.${tableName}`;

  if (serial) {
    const seqName = pgIdentifier(`${tableName}_${col.name}_seq`);
    const qualified = `${schemaName}.${seqName}`;
    const regclass = `${quoteIdent(schemaName)}.${quoteIdent(seqName)}`;
    column.default = { kind: 'sequence', sequence: qualified, expression: `nextval('${regclass}'::regclass)` };
    column.nullable = false;
    sequences[qualified] = {
      schema: schemaName,
      name: seqName,
      dataType: type.rawType,
      start: '1',
      increment: '1',
      min: '1',
      max: maxOf(type.rawType),
      cycle: false,
      ownedBy: { table: tableKey, column: col.name },
    };
  } else if (col.identity) {
    const seqSchema = col.identity.schema || schemaName;
    const qualified = `${seqSchema}.${col.identity.name}`;
    column.default = {
      kind: 'identity',
      generation: col.identity.type === 'always' ? 'always' : 'by-default',
      sequence: qualified,
    };
    column.nullable = false;
    sequences[qualified] = {
      schema: seqSchema,
      name: col.identity.name,
      dataType: type.rawType,
      start: col.identity.startWith ?? '1',
      increment: col.identity.increment ?? '1',
      min: col.identity.minValue ?? '1',
      max: col.identity.maxValue ?? maxOf(type.rawType),
      cycle: col.identity.cycle ?? false,
      ownedBy: { table: tableKey, column: col.name },
    };
  } else if (col.generated) {
    column.generated = { expression: stripOwnTable(col.generated.as, tableName, schemaName), stored: true };
  } else if (col.default !== undefined) {
    const def = pgDefault(col.default, type);
    if (def) column.default = def;
  }
  return column;
}

function maxOf(rawType: string): string {
  if (rawType === 'smallint') return '32767';
  if (rawType === 'integer') return '2147483647';
  return '9223372036854775807';
}

function action(value: string | undefined): ReferentialAction {
  const v = (value ?? 'no action').toLowerCase() as ReferentialAction;
  return ['no action', 'restrict', 'cascade', 'set null', 'set default'].includes(v) ? v : 'no action';
}

/** The unique index behind a primary key or UNIQUE constraint, as `pg_get_indexdef` prints it. */
function constraintIndex(schemaName: string, tableName: string, name: string, columns: readonly string[], primary: boolean, nullsNotDistinct?: boolean): Index {
  const nulls = nullsNotDistinct ? ' NULLS NOT DISTINCT' : '';
  return {
    name,
    columns: [...columns],
    unique: true,
    primary,
    method: 'btree',
    definition: `CREATE UNIQUE INDEX ${quoteIdent(name)} ON ${quoteIdent(schemaName)}.${quoteIdent(tableName)} ` + `USING btree (${columns.map(quoteIdent).join(', ')})${nulls}`,
  };
}

/** `CREATE INDEX name ON schema.table USING btree (col)`, as `pg_get_indexdef` prints a plain index. */
function indexDefinition(schemaName: string, tableName: string, name: string, idx: PgSnapshotTable['indexes'][string]): string {
  const parts = idx.columns.map((c) => {
    let part = c.isExpression ? `(${c.expression})` : quoteIdent(c.expression);
    if (c.opclass) part += ` ${c.opclass}`;
    if (!c.asc) part += ' DESC';
    if (c.asc && c.nulls === 'first') part += ' NULLS FIRST';
    if (!c.asc && c.nulls === 'last') part += ' NULLS LAST';
    return part;
  });
  const unique = idx.isUnique ? 'UNIQUE ' : '';
  const where = idx.where ? ` WHERE (${idx.where})` : '';
  return `CREATE ${unique}INDEX ${quoteIdent(name)} ON ${quoteIdent(schemaName)}.${quoteIdent(tableName)} USING ${idx.method} (${parts.join(', ')})${where}`;
}
