/**
 * Reads MySQL/MariaDB databases into the Understudy Schema model (dialect `mysql`)
 * from information_schema. A namespace is a database; table keys are `db.table`.
 *
 * - Base tables (and MariaDB system-versioned tables) become tables; views are listed
 *   in `views`, never as tables; MariaDB SEQUENCE objects are listed in `sequences`.
 * - A partitioned table is kind `partitioned`, its scheme and partition list in
 *   `partitioning` (`RANGE COLUMNS(from_date) (PARTITION p01 VALUES LESS THAN (…), …)`).
 *   MySQL partitions are not tables of their own, so no `partition` tables are emitted:
 *   rows are loaded through the table itself.
 * - `rowEstimate` is TABLES.TABLE_ROWS (InnoDB's estimate).
 * - The staging copies a seed makes of tables that cannot roll back (`understudy_stage_…`,
 *   see mysql-staging.ts) are not the application's: one a killed seed left is only noted.
 *
 * @example
 * ```ts
 * const { db, version } = await openMysql(parseMysqlUrl(url), url);
 * const schema = await introspectMysql(db, { schemas: ['shop'], version, source: redactUrl(url) });
 * ```
 */
import { normalizeSchema, SCHEMA_VERSION, triggerCopies, triggerInserts, type Schema, type Sequence, type Table, type Trigger, type View } from '@understudy/core';
import { buildColumn } from './mysql-introspect-columns.js';
import { buildChecks, buildForeignKeys, buildIndexes, buildPrimaryKey, buildUniques, jsonValidColumn } from './mysql-introspect-keys.js';
import { buildPartitioning } from './mysql-introspect-partitions.js';
import {
  num,
  readCatalogFeatures,
  readChecks,
  readColumns,
  readForeignKeyColumns,
  readIndexColumns,
  readPartitions,
  readSequence,
  readTableConstraints,
  readTables,
  readTriggers,
  readViews,
  text,
} from './mysql-introspect-queries.js';
import type { MysqlKysely, MysqlServerVersion } from './mysql-pool.js';
import { isStageTableName } from './mysql-staging.js';

export interface MysqlIntrospectOptions {
  /** Databases to read (each one becomes a namespace). */
  readonly schemas: readonly string[];
  readonly version: MysqlServerVersion;
  /** Where the schema came from, for `Schema.source` (a URL without its password, `file:…`). */
  readonly source?: string;
}

/** Groups rows by `db.table`. */
function groupByTable<R extends { table_schema: unknown; table_name: unknown }>(rows: readonly R[]): Map<string, R[]> {
  const map = new Map<string, R[]>();
  for (const row of rows) {
    const key = `${text(row.table_schema)}.${text(row.table_name)}`;
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return map;
}

const TABLE_TYPES = new Set(['BASE TABLE', 'SYSTEM VERSIONED']);

/** Each trigger on the table it fires on: what it inserts into, and the columns it copies. */
function attachTriggers(tables: Record<string, Table>, triggerRows: Awaited<ReturnType<typeof readTriggers>>): void {
  const tableKeys = new Set(Object.keys(tables));
  for (const row of triggerRows) {
    const schemaName = text(row.table_schema) ?? '';
    const table = tables[`${schemaName}.${text(row.table_name) ?? ''}`];
    if (!table) continue;
    const trigger: Trigger = {
      name: text(row.trigger_name) ?? '',
      timing: (text(row.timing) ?? 'AFTER').toLowerCase() === 'before' ? 'before' : 'after',
      events: [(text(row.event) ?? 'INSERT').toLowerCase() as Trigger['events'][number]],
      inserts: triggerInserts(text(row.body) ?? '', schemaName, tableKeys),
    };
    const copies = trigger.events.includes('insert') ? triggerCopies(text(row.body) ?? '', schemaName, tableKeys) : [];
    if (copies.length > 0) trigger.copies = copies;
    table.triggers = [...(table.triggers ?? []), trigger];
  }
}

function buildViews(viewRows: Awaited<ReturnType<typeof readViews>>): Record<string, View> {
  const views: Record<string, View> = {};
  for (const row of viewRows) {
    const schema = text(row.table_schema) ?? '';
    const name = text(row.table_name) ?? '';
    const view: View = { schema, name, materialized: false };
    const definition = text(row.view_definition);
    if (definition) view.definition = definition;
    views[`${schema}.${name}`] = view;
  }
  return views;
}

/**
 * Introspects `options.schemas` through an open kysely instance.
 * @returns a normalized Schema (records sorted by key, arrays sorted by name).
 * @example
 * ```ts
 * const schema = await introspectMysql(db, { schemas: ['shop'], version });
 * schema.tables['shop.order']?.columns.map((c) => c.kind); // ['integer', 'enum', 'timestamptz', …]
 * ```
 */
export async function introspectMysql(db: MysqlKysely, options: MysqlIntrospectOptions): Promise<Schema> {
  const schemas = [...new Set(options.schemas)].sort();
  const features = await readCatalogFeatures(db);
  const [tableRows, columnRows, viewRows, partitionRows, indexRows, constraintRows, fkRows, checkRows, triggerRows] = await Promise.all([
    readTables(db, schemas),
    readColumns(db, schemas),
    readViews(db, schemas),
    readPartitions(db, schemas),
    readIndexColumns(db, schemas, features.statisticsHaveExpression),
    readTableConstraints(db, schemas),
    readForeignKeyColumns(db, schemas),
    readChecks(db, schemas, features),
    readTriggers(db, schemas),
  ]);

  const columnsByTable = groupByTable(columnRows);
  const partitionsByTable = groupByTable(partitionRows);
  const indexesByTable = groupByTable(indexRows);
  const constraintsByTable = groupByTable(constraintRows);
  const fksByTable = groupByTable(fkRows);
  const checksByTable = groupByTable(checkRows);
  const notes: string[] = [];

  const tables: Record<string, Table> = {};
  const sequences: Record<string, Sequence> = {};

  for (const row of tableRows) {
    const schema = text(row.table_schema) ?? '';
    const name = text(row.table_name) ?? '';
    const key = `${schema}.${name}`;
    const type = text(row.table_type) ?? '';
    if (type === 'VIEW') continue; // from information_schema.VIEWS below
    if (type === 'SEQUENCE') {
      const settings = await readSequence(db, schema, name);
      if (settings) {
        sequences[key] = {
          schema,
          name,
          dataType: 'bigint',
          start: String(text(settings.start_value)),
          increment: String(text(settings.increment)),
          min: String(text(settings.minimum_value)),
          max: String(text(settings.maximum_value)),
          cycle: String(text(settings.cycle_option)) === '1',
        };
      }
      continue;
    }
    if (!TABLE_TYPES.has(type)) {
      notes.push(`${key}: ${type.toLowerCase()} not modelled`);
      continue;
    }
    if (isStageTableName(name)) {
      notes.push(`${key}: a staging copy left by a seed that was killed, not modelled (the next seed into this database drops it)`);
      continue;
    }
    const checkRowsOfTable = checksByTable.get(key) ?? [];
    const jsonValidColumns = new Set(checkRowsOfTable.map(jsonValidColumn).filter((c): c is string => c !== null));
    const columns = (columnsByTable.get(key) ?? [])
      .sort((a, b) => (num(a.ordinal_position) ?? 0) - (num(b.ordinal_position) ?? 0))
      .map((c) => buildColumn(c, { mariadb: options.version.mariadb, jsonValidColumns }));
    const columnNames = columns.map((c) => c.name);
    const indexRowsOfTable = indexesByTable.get(key) ?? [];
    const uniqueConstraintNames = new Set((constraintsByTable.get(key) ?? []).filter((c) => text(c.constraint_type) === 'UNIQUE').map((c) => text(c.constraint_name) ?? ''));
    const { checks, notEnforced } = buildChecks(checkRowsOfTable, columnNames);
    for (const check of notEnforced) notes.push(`${key}: CHECK ${check} is NOT ENFORCED and was left out`);
    const partitioning = buildPartitioning(partitionsByTable.get(key) ?? []);
    const comment = text(row.table_comment);

    const table: Table = {
      schema,
      name,
      kind: partitioning ? 'partitioned' : 'table',
      rowEstimate: num(row.table_rows),
      columns,
      uniques: buildUniques(indexRowsOfTable, uniqueConstraintNames),
      foreignKeys: buildForeignKeys(fksByTable.get(key) ?? []),
      checks,
      indexes: buildIndexes(indexRowsOfTable, name),
    };
    const primaryKey = buildPrimaryKey(indexRowsOfTable);
    if (primaryKey) table.primaryKey = primaryKey;
    if (partitioning) table.partitioning = partitioning;
    if (comment) table.comment = comment;
    if (type === 'SYSTEM VERSIONED') notes.push(`${key}: system-versioned table (history rows are not generated)`);
    tables[key] = table;
  }

  attachTriggers(tables, triggerRows);

  const schema: Schema = {
    version: SCHEMA_VERSION,
    dialect: 'mysql',
    serverVersion: options.version.display,
    namespaces: schemas,
    extensions: [],
    enums: {},
    domains: {},
    sequences,
    tables,
    views: buildViews(viewRows),
    notes: notes.sort(),
  };
  if (options.source) schema.source = options.source;
  return normalizeSchema(schema);
}
