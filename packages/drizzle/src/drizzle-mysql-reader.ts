/**
 * drizzle-kit's MySQL snapshot → the core Schema model, spelled the way the MySQL
 * introspector spells the same database after the schema is pushed: table keys
 * `<database>.<table>`, MariaDB column types (`int(11)`, `tinyint(1)`), literal
 * defaults unquoted, `CURRENT_TIMESTAMP`, every index listed (PRIMARY, unique keys,
 * and the index InnoDB adds for a foreign key no other index covers).
 *
 * @example
 * ```ts
 * const mod = await loadDrizzleModule('src/db/schema.ts');
 * const schema = readMySqlSnapshot(mod, await mysqlSnapshotOf(mod), { database: 'shop' });
 * ```
 */
import {
  SCHEMA_VERSION,
  type CheckConstraint,
  type Column,
  type ColumnKind,
  type ForeignKey,
  type Index,
  type ReferentialAction,
  type Schema,
  type Table,
  type UniqueKey,
  type View,
} from '@understudy/core';
import type { DrizzleModule, DrizzleTable } from './drizzle-module-loader.js';
import { mysqlDefault, referencedColumns, stripOwnTable } from './drizzle-mysql-expressions.js';
import { mysqlColumnType, type MySqlColumnType } from './drizzle-mysql-types.js';
import { mergeRelationLinks, relationLinks } from './drizzle-relations.js';
import type { DrizzleCasing, MySqlSnapshot, MySqlSnapshotColumn, MySqlSnapshotTable } from './drizzle-snapshot.js';

/** Which server's spelling to produce. MariaDB and MySQL 5.7 print integer display widths and store JSON as LONGTEXT. */
export type MySqlFlavor = 'mariadb' | 'mysql8';

export interface MySqlReadOptions {
  /** The database (namespace) the tables are keyed under: `<database>.<table>`. */
  readonly database: string;
  readonly flavor?: MySqlFlavor;
  readonly casing?: DrizzleCasing;
}

const NUMERIC_KINDS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real', 'double']);
const TEXT_LENGTHS: Record<string, number> = {
  tinytext: 255,
  text: 65535,
  mediumtext: 16777215,
  longtext: 4294967295,
  tinyblob: 255,
  blob: 65535,
  mediumblob: 16777215,
  longblob: 4294967295,
};

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The Schema of a MySQL drizzle module.
 *
 * @example
 * ```ts
 * const schema = readMySqlSnapshot(mod, await mysqlSnapshotOf(mod), { database: 'shop' });
 * console.log(Object.keys(schema.tables)); // ['shop.customers', 'shop.orders', …]
 * ```
 */
export function readMySqlSnapshot(mod: DrizzleModule, snapshot: MySqlSnapshot, options: MySqlReadOptions): Schema {
  const flavor = options.flavor ?? 'mariadb';
  const getTableConfig = mod.orm.mysql['getTableConfig'] as (t: DrizzleTable) => { schema?: string };
  const getTableName = mod.orm.getTableName;
  const schemaOf = (table: DrizzleTable): string => getTableConfig(table).schema ?? options.database;
  const tableSchemas = new Map<string, string>(mod.tables.map((t) => [getTableName(t), schemaOf(t)]));
  const keyOf = (name: string): string => `${tableSchemas.get(name) ?? options.database}.${name}`;

  const tables: Record<string, Table> = {};
  for (const table of Object.values(snapshot.tables)) {
    tables[keyOf(table.name)] = readTable(tableSchemas.get(table.name) ?? options.database, table, keyOf, flavor);
  }
  const notes = mergeRelationLinks(
    tables,
    relationLinks(mod, (t) => keyOf(getTableName(t)), options.casing),
  );
  for (const table of Object.values(tables)) {
    table.foreignKeys.sort(byName);
    table.indexes = withForeignKeyIndexes(table);
  }

  const views: Record<string, View> = {};
  for (const v of Object.values(snapshot.views)) {
    views[`${options.database}.${v.name}`] = {
      schema: options.database,
      name: v.name,
      materialized: false,
      ...(v.definition === undefined ? {} : { definition: v.definition }),
    };
  }

  const namespaces = new Set<string>([options.database]);
  for (const t of Object.values(tables)) namespaces.add(t.schema);
  return {
    version: SCHEMA_VERSION,
    dialect: 'mysql',
    source: `drizzle:${mod.displayPath}`,
    namespaces: [...namespaces].sort(),
    extensions: [],
    enums: {},
    domains: {},
    sequences: {},
    tables,
    views,
    notes,
  };
}

function readTable(schemaName: string, table: MySqlSnapshotTable, keyOf: (name: string) => string, flavor: MySqlFlavor): Table {
  const columns: Column[] = [];
  const checks: CheckConstraint[] = [];
  const uniques: UniqueKey[] = [];
  const indexes: Index[] = [];
  const pkColumns: string[] = [];
  const columnNames = Object.values(table.columns).map((c) => c.name);

  for (const col of Object.values(table.columns)) {
    const type = mysqlColumnType(col.type);
    columns.push(readColumn(col, type, flavor));
    if (col.primaryKey) pkColumns.push(col.name);
    if (type.kind === 'json' && flavor === 'mariadb') {
      // MariaDB's JSON is LONGTEXT plus an automatic CHECK (json_valid(col)) named after the column.
      checks.push({ name: col.name, expression: `json_valid(${quoteId(col.name)})`, columns: [col.name] });
    }
    if (type.serial) {
      // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE: the unique key is named after the column.
      uniques.push({ name: col.name, columns: [col.name], origin: 'constraint' });
      indexes.push(indexOf(table.name, col.name, [col.name], true));
    }
  }

  const composite = Object.values(table.compositePrimaryKeys)[0];
  const primaryColumns = composite ? [...composite.columns] : pkColumns;
  // Primary key columns are NOT NULL, declared or not.
  for (const column of columns) if (primaryColumns.includes(column.name)) column.nullable = false;
  if (primaryColumns.length > 0) {
    indexes.push({
      name: 'PRIMARY',
      columns: primaryColumns,
      unique: true,
      primary: true,
      method: 'btree',
      definition: `ALTER TABLE ${quoteId(table.name)} ADD PRIMARY KEY (${primaryColumns.map(quoteId).join(', ')}) USING BTREE`,
    });
  }

  for (const u of Object.values(table.uniqueConstraints)) {
    if (uniques.some((x) => x.name === u.name)) continue;
    uniques.push({ name: u.name, columns: [...u.columns], origin: 'constraint' });
    indexes.push(indexOf(table.name, u.name, u.columns, true));
  }
  for (const idx of Object.values(table.indexes)) {
    // drizzle-kit keeps an expression part as its SQL text in place of a column name.
    const expressions = idx.columns.filter((c) => !columnNames.includes(c));
    const columnsOf = idx.columns.map((c) => (expressions.includes(c) ? null : c));
    const index = indexOf(table.name, idx.name, idx.columns, idx.isUnique, new Set(expressions));
    index.columns = columnsOf;
    if (expressions.length > 0) index.expressions = expressions;
    if (idx.using) index.method = idx.using.toLowerCase();
    indexes.push(index);
    if (idx.isUnique) {
      uniques.push({
        name: idx.name,
        columns: columnsOf,
        origin: expressions.length > 0 ? 'index' : 'constraint',
        ...(expressions.length > 0 ? { expressions } : {}),
      });
    }
  }

  for (const c of Object.values(table.checkConstraint ?? {})) {
    const expression = stripOwnTable(c.value, table.name);
    const used = referencedColumns(expression, columnNames);
    checks.push({ name: c.name, expression, ...(used.length > 0 ? { columns: used } : {}) });
  }

  const foreignKeys: ForeignKey[] = Object.values(table.foreignKeys).map((fk) => ({
    name: fk.name,
    columns: [...fk.columnsFrom],
    references: { table: keyOf(fk.tableTo), columns: [...fk.columnsTo] },
    onDelete: action(fk.onDelete),
    onUpdate: action(fk.onUpdate),
    deferrable: false,
    initiallyDeferred: false,
  }));

  return {
    schema: schemaName,
    name: table.name,
    kind: 'table',
    rowEstimate: null,
    columns,
    ...(primaryColumns.length > 0 ? { primaryKey: { name: 'PRIMARY', columns: primaryColumns } } : {}),
    uniques: uniques.sort(byName),
    foreignKeys,
    checks: checks.sort(byName),
    indexes: indexes.sort(byName),
  };
}

function indexOf(tableName: string, name: string, parts: readonly string[], unique: boolean, expressions = new Set<string>()): Index {
  const spelled = parts.map((p) => (expressions.has(p) ? `(${p})` : quoteId(p))).join(', ');
  return {
    name,
    columns: [...parts],
    unique,
    primary: false,
    method: 'btree',
    definition: `CREATE ${unique ? 'UNIQUE INDEX' : 'INDEX'} ${quoteId(name)} ON ${quoteId(tableName)} (${spelled}) USING BTREE`,
  };
}

/**
 * InnoDB needs an index whose leading columns are a foreign key's columns; when no
 * other index has them, it creates one named after the constraint.
 */
function withForeignKeyIndexes(table: Table): Index[] {
  const indexes = [...table.indexes];
  for (const fk of table.foreignKeys) {
    if (fk.virtual) continue;
    const covered = indexes.some((idx) => fk.columns.every((c, i) => idx.columns[i] === c));
    if (!covered) indexes.push(indexOf(table.name, fk.name, fk.columns, false));
  }
  return indexes.sort(byName);
}

function readColumn(col: MySqlSnapshotColumn, type: MySqlColumnType, flavor: MySqlFlavor): Column {
  const { serial, ...typeFields } = type;
  const column: Column = { name: col.name, ...typeFields, nullable: !col.notNull && !col.primaryKey && !serial };
  if (flavor === 'mysql8') {
    column.rawType = column.rawType.replace(/^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)/, (all, base: string) => (all === 'tinyint(1)' && column.kind === 'boolean' ? all : base));
  }
  if (type.kind === 'json' && flavor === 'mariadb') column.rawType = 'longtext';
  if (NUMERIC_KINDS.has(type.kind)) column.unsigned = type.unsigned ?? false;
  else delete column.unsigned;
  const textLength = TEXT_LENGTHS[column.rawType];
  if (textLength !== undefined && (type.kind === 'text' || type.kind === 'blob')) column.length = textLength;

  if (col.generated) {
    column.generated = { expression: col.generated.as, stored: col.generated.type === 'stored' };
  } else if (col.autoincrement || serial) {
    column.default = { kind: 'sequence', expression: 'auto_increment' };
  } else if (col.default !== undefined) {
    const def = mysqlDefault(col.default);
    if (def) column.default = def;
  }
  if (col.onUpdate) {
    column.onUpdate = type.fractionalSeconds ? `CURRENT_TIMESTAMP(${type.fractionalSeconds})` : 'CURRENT_TIMESTAMP';
  }
  return column;
}

function action(value: string | undefined): ReferentialAction {
  const v = (value ?? 'no action').toLowerCase() as ReferentialAction;
  return ['no action', 'restrict', 'cascade', 'set null', 'set default'].includes(v) ? v : 'no action';
}
