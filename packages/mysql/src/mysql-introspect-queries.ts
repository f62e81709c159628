/**
 * The information_schema queries behind MySQL/MariaDB introspection, one function
 * per catalog table, each returning plain rows with lower-case keys (MySQL 8 returns
 * information_schema column labels in upper case unless aliased, so every column
 * is aliased here). Features that differ between servers are detected by looking
 * at information_schema itself, never by guessing from the version string.
 *
 * @example
 * ```ts
 * const tables = await readTables(db, ['shop']);
 * ```
 */
import { sql, type RawBuilder } from 'kysely';
import type { MysqlKysely } from './mysql-pool.js';

/** A value from the driver as text: information_schema text may come back as a Buffer. */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** A value from the driver as a number (bigint columns come back as strings). */
export function num(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = Number(text(value));
  return Number.isFinite(n) ? n : null;
}

async function rows<T>(db: MysqlKysely, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

function inList(schemas: readonly string[]): RawBuilder<unknown> {
  return sql.join(schemas.map((s) => sql`${s}`));
}

export interface TableRow {
  table_schema: unknown;
  table_name: unknown;
  table_type: unknown;
  table_rows: unknown;
  table_comment: unknown;
  create_options: unknown;
}

export function readTables(db: MysqlKysely, schemas: readonly string[]): Promise<TableRow[]> {
  return rows(
    db,
    sql<TableRow>`
      SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_TYPE AS table_type,
             TABLE_ROWS AS table_rows, TABLE_COMMENT AS table_comment, CREATE_OPTIONS AS create_options
      FROM information_schema.TABLES
      WHERE TABLE_SCHEMA IN (${inList(schemas)})
      ORDER BY TABLE_SCHEMA, TABLE_NAME`,
  );
}

export interface ColumnRow {
  table_schema: unknown;
  table_name: unknown;
  column_name: unknown;
  ordinal_position: unknown;
  column_default: unknown;
  is_nullable: unknown;
  data_type: unknown;
  character_maximum_length: unknown;
  numeric_precision: unknown;
  numeric_scale: unknown;
  datetime_precision: unknown;
  character_set_name: unknown;
  collation_name: unknown;
  column_type: unknown;
  extra: unknown;
  column_comment: unknown;
  generation_expression: unknown;
}

export function readColumns(db: MysqlKysely, schemas: readonly string[]): Promise<ColumnRow[]> {
  return rows(
    db,
    sql<ColumnRow>`
      SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name,
             ORDINAL_POSITION AS ordinal_position, COLUMN_DEFAULT AS column_default, IS_NULLABLE AS is_nullable,
             DATA_TYPE AS data_type, CHARACTER_MAXIMUM_LENGTH AS character_maximum_length,
             NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale,
             DATETIME_PRECISION AS datetime_precision, CHARACTER_SET_NAME AS character_set_name,
             COLLATION_NAME AS collation_name, COLUMN_TYPE AS column_type, EXTRA AS extra,
             COLUMN_COMMENT AS column_comment, GENERATION_EXPRESSION AS generation_expression
      FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA IN (${inList(schemas)})
      ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
  );
}

export interface ViewRow {
  table_schema: unknown;
  table_name: unknown;
  view_definition: unknown;
}

export function readViews(db: MysqlKysely, schemas: readonly string[]): Promise<ViewRow[]> {
  return rows(
    db,
    sql<ViewRow>`
      SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, VIEW_DEFINITION AS view_definition
      FROM information_schema.VIEWS
      WHERE TABLE_SCHEMA IN (${inList(schemas)})
      ORDER BY TABLE_SCHEMA, TABLE_NAME`,
  );
}

export interface PartitionRow {
  table_schema: unknown;
  table_name: unknown;
  partition_name: unknown;
  subpartition_name: unknown;
  partition_method: unknown;
  subpartition_method: unknown;
  partition_expression: unknown;
  subpartition_expression: unknown;
  partition_description: unknown;
}

export function readPartitions(db: MysqlKysely, schemas: readonly string[]): Promise<PartitionRow[]> {
  return rows(
    db,
    sql<PartitionRow>`
      SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, PARTITION_NAME AS partition_name,
             SUBPARTITION_NAME AS subpartition_name, PARTITION_METHOD AS partition_method,
             SUBPARTITION_METHOD AS subpartition_method, PARTITION_EXPRESSION AS partition_expression,
             SUBPARTITION_EXPRESSION AS subpartition_expression, PARTITION_DESCRIPTION AS partition_description
      FROM information_schema.PARTITIONS
      WHERE TABLE_SCHEMA IN (${inList(schemas)}) AND PARTITION_NAME IS NOT NULL
      ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION`,
  );
}

export interface IndexColumnRow {
  table_schema: unknown;
  table_name: unknown;
  index_name: unknown;
  non_unique: unknown;
  seq_in_index: unknown;
  column_name: unknown;
  collation: unknown;
  sub_part: unknown;
  index_type: unknown;
  /** MySQL 8.0.13+: the expression of a functional key part (COLUMN_NAME is then NULL). */
  expression: unknown;
}

export function readIndexColumns(db: MysqlKysely, schemas: readonly string[], hasExpressionColumn: boolean): Promise<IndexColumnRow[]> {
  const expression = hasExpressionColumn ? sql`EXPRESSION` : sql`NULL`;
  return rows(
    db,
    sql<IndexColumnRow>`
      SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, INDEX_NAME AS index_name,
             NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq_in_index, COLUMN_NAME AS column_name,
             COLLATION AS collation, SUB_PART AS sub_part, INDEX_TYPE AS index_type, ${expression} AS expression
      FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA IN (${inList(schemas)})
      ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
}

export interface ConstraintRow {
  table_schema: unknown;
  table_name: unknown;
  constraint_name: unknown;
  constraint_type: unknown;
}

export function readTableConstraints(db: MysqlKysely, schemas: readonly string[]): Promise<ConstraintRow[]> {
  return rows(
    db,
    sql<ConstraintRow>`
      SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name,
             CONSTRAINT_TYPE AS constraint_type
      FROM information_schema.TABLE_CONSTRAINTS
      WHERE TABLE_SCHEMA IN (${inList(schemas)})
      ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`,
  );
}

export interface ForeignKeyColumnRow {
  table_schema: unknown;
  table_name: unknown;
  constraint_name: unknown;
  column_name: unknown;
  ordinal_position: unknown;
  referenced_table_schema: unknown;
  referenced_table_name: unknown;
  referenced_column_name: unknown;
  update_rule: unknown;
  delete_rule: unknown;
}

export function readForeignKeyColumns(db: MysqlKysely, schemas: readonly string[]): Promise<ForeignKeyColumnRow[]> {
  return rows(
    db,
    sql<ForeignKeyColumnRow>`
      SELECT k.TABLE_SCHEMA AS table_schema, k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS constraint_name,
             k.COLUMN_NAME AS column_name, k.ORDINAL_POSITION AS ordinal_position,
             k.REFERENCED_TABLE_SCHEMA AS referenced_table_schema, k.REFERENCED_TABLE_NAME AS referenced_table_name,
             k.REFERENCED_COLUMN_NAME AS referenced_column_name, r.UPDATE_RULE AS update_rule,
             r.DELETE_RULE AS delete_rule
      FROM information_schema.KEY_COLUMN_USAGE k
      JOIN information_schema.REFERENTIAL_CONSTRAINTS r
        ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
       AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA IN (${inList(schemas)}) AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
  );
}

export interface CheckRow {
  table_schema: unknown;
  table_name: unknown;
  constraint_name: unknown;
  check_clause: unknown;
  /** MariaDB: `Column` or `Table`; MySQL: NULL. */
  level: unknown;
  /** MySQL 8: `YES`/`NO` (NOT ENFORCED); MariaDB: NULL (always enforced). */
  enforced: unknown;
}

/** Which optional catalog columns this server has. */
export interface CatalogFeatures {
  /** information_schema.CHECK_CONSTRAINTS exists (MySQL 8.0.16+, MariaDB 10.2+). */
  readonly checkConstraints: boolean;
  /** CHECK_CONSTRAINTS has TABLE_NAME and LEVEL (MariaDB). */
  readonly checkConstraintsHaveTable: boolean;
  /** TABLE_CONSTRAINTS has ENFORCED (MySQL 8.0.16+). */
  readonly tableConstraintsHaveEnforced: boolean;
  /** STATISTICS has EXPRESSION (MySQL 8.0.13+ functional key parts). */
  readonly statisticsHaveExpression: boolean;
}

export async function readCatalogFeatures(db: MysqlKysely): Promise<CatalogFeatures> {
  const found = await rows(
    db,
    sql<{ table_name: unknown; column_name: unknown }>`
      SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name
      FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = 'information_schema'
        AND TABLE_NAME IN ('CHECK_CONSTRAINTS', 'TABLE_CONSTRAINTS', 'STATISTICS')`,
  );
  const has = (table: string, column: string): boolean => found.some((r) => text(r.table_name)?.toUpperCase() === table && text(r.column_name)?.toUpperCase() === column);
  return {
    checkConstraints: has('CHECK_CONSTRAINTS', 'CHECK_CLAUSE'),
    checkConstraintsHaveTable: has('CHECK_CONSTRAINTS', 'TABLE_NAME'),
    tableConstraintsHaveEnforced: has('TABLE_CONSTRAINTS', 'ENFORCED'),
    statisticsHaveExpression: has('STATISTICS', 'EXPRESSION'),
  };
}

/**
 * CHECK constraints. MariaDB's CHECK_CONSTRAINTS carries TABLE_NAME and LEVEL; MySQL 8's
 * does not, so there it is joined with TABLE_CONSTRAINTS (CONSTRAINT_TYPE = 'CHECK'),
 * whose ENFORCED column says whether the check is `NOT ENFORCED`.
 */
export function readChecks(db: MysqlKysely, schemas: readonly string[], features: CatalogFeatures): Promise<CheckRow[]> {
  if (!features.checkConstraints) return Promise.resolve([]);
  if (features.checkConstraintsHaveTable) {
    return rows(
      db,
      sql<CheckRow>`
        SELECT CONSTRAINT_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name,
               CHECK_CLAUSE AS check_clause, LEVEL AS level, NULL AS enforced
        FROM information_schema.CHECK_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA IN (${inList(schemas)})
        ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`,
    );
  }
  const enforced = features.tableConstraintsHaveEnforced ? sql`t.ENFORCED` : sql`NULL`;
  return rows(
    db,
    sql<CheckRow>`
      SELECT t.TABLE_SCHEMA AS table_schema, t.TABLE_NAME AS table_name, c.CONSTRAINT_NAME AS constraint_name,
             c.CHECK_CLAUSE AS check_clause, NULL AS level, ${enforced} AS enforced
      FROM information_schema.CHECK_CONSTRAINTS c
      JOIN information_schema.TABLE_CONSTRAINTS t
        ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME
       AND t.CONSTRAINT_TYPE = 'CHECK'
      WHERE c.CONSTRAINT_SCHEMA IN (${inList(schemas)})
      ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, c.CONSTRAINT_NAME`,
  );
}

export interface SequenceRow {
  minimum_value: unknown;
  maximum_value: unknown;
  start_value: unknown;
  increment: unknown;
  cycle_option: unknown;
}

/** A MariaDB SEQUENCE object's settings (a sequence is a one-row table there). */
export async function readSequence(db: MysqlKysely, schema: string, name: string): Promise<SequenceRow | undefined> {
  const found = await rows(
    db,
    sql<SequenceRow>`
      SELECT minimum_value, maximum_value, start_value, increment, cycle_option
      FROM ${sql.id(schema, name)}`,
  );
  return found[0];
}

/** The databases of `names` that exist on the server. */
export async function readExistingSchemas(db: MysqlKysely, names: readonly string[]): Promise<string[]> {
  const found = await rows(
    db,
    sql<{ schema_name: unknown }>`
      SELECT SCHEMA_NAME AS schema_name FROM information_schema.SCHEMATA
      WHERE SCHEMA_NAME IN (${inList(names)})`,
  );
  return found.map((r) => text(r.schema_name) ?? '');
}

export interface TriggerRow {
  table_schema: unknown;
  table_name: unknown;
  trigger_name: unknown;
  timing: unknown;
  event: unknown;
  body: unknown;
}

/** Row triggers of the tables of `schemas` (MySQL has one event per trigger). */
export function readTriggers(db: MysqlKysely, schemas: readonly string[]): Promise<TriggerRow[]> {
  return rows(
    db,
    sql<TriggerRow>`
      SELECT EVENT_OBJECT_SCHEMA AS table_schema, EVENT_OBJECT_TABLE AS table_name, TRIGGER_NAME AS trigger_name,
             ACTION_TIMING AS timing, EVENT_MANIPULATION AS event, ACTION_STATEMENT AS body
      FROM information_schema.TRIGGERS
      WHERE EVENT_OBJECT_SCHEMA IN (${inList(schemas)})
      ORDER BY EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, TRIGGER_NAME`,
  );
}
