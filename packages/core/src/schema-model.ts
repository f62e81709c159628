/**
 * The Schema model: what Understudy knows about a database's shape.
 *
 * It is plain JSON, validated with zod, flat and keyed by qualified name
 * (`schema.name`, or just `name` where the engine has no namespaces inside a
 * database), so that two introspections of one database diff cleanly in review.
 * Every dialect (PostgreSQL, PGlite, MySQL/MariaDB, drizzle) produces this model;
 * generation, profiling and rehearsal read only this model.
 *
 * @example
 * ```ts
 * const schema = SchemaModel.parse(JSON.parse(text));
 * for (const table of Object.values(schema.tables)) console.log(table.name);
 * ```
 */
import { DIALECT_NAMES } from './dialect-registry.js';
import { z } from 'zod';

/** The current version of the saved Schema format. Bump it with an upgrade step in `schema-file.ts`. */
export const SCHEMA_VERSION = 1;

/**
 * A column's engine-independent kind. `rawType` keeps the engine's own spelling;
 * `kind` is what generation and profiling switch on.
 */
export const ColumnKind = z.enum([
  // integers (size comes from `kind`; MySQL's UNSIGNED is `unsigned: true`)
  'tinyint',
  'smallint',
  'mediumint',
  'integer',
  'bigint',
  // exact and approximate numbers
  'decimal',
  'real',
  'double',
  'money',
  'boolean',
  // text
  'char',
  'varchar',
  'text',
  'citext',
  // binary
  'binary',
  'varbinary',
  'blob',
  'bit',
  'varbit',
  // time
  'date',
  'time',
  'timetz',
  'timestamp',
  'timestamptz',
  'interval',
  'year',
  // structured
  'uuid',
  'json',
  'jsonb',
  'xml',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'enum',
  'set',
  'range',
  'multirange',
  'tsvector',
  'tsquery',
  'geometric',
  'spatial',
  'oid',
  'vector',
  'hstore',
  'ltree',
  /** Anything else: a composite type, an extension type Understudy has no generator for. */
  'other',
]);
export type ColumnKind = z.infer<typeof ColumnKind>;

/** How a column gets its value when an INSERT does not name it. */
export const ColumnDefault = z.discriminatedUnion('kind', [
  /** A constant: `'active'`, `0`, `true`, `'{}'::jsonb`. `value` is the expression text as the engine keeps it. */
  z.object({ kind: z.literal('literal'), value: z.string() }),
  /** `nextval('seq')` (PostgreSQL serial) or AUTO_INCREMENT (MySQL; `sequence` absent). */
  z.object({ kind: z.literal('sequence'), sequence: z.string().optional(), expression: z.string() }),
  /** `GENERATED ALWAYS|BY DEFAULT AS IDENTITY`. ALWAYS rejects explicit values unless `OVERRIDING SYSTEM VALUE`. */
  z.object({
    kind: z.literal('identity'),
    generation: z.enum(['always', 'by-default']),
    sequence: z.string().optional(),
  }),
  /** Any other expression: `now()`, `gen_random_uuid()`, `CURRENT_TIMESTAMP`. */
  z.object({ kind: z.literal('expression'), expression: z.string() }),
]);
export type ColumnDefault = z.infer<typeof ColumnDefault>;

export const Column = z.object({
  name: z.string(),
  /** The engine's own type, as it prints it: `character varying(50)`, `int(10) unsigned`, `public.mpaa_rating`. */
  rawType: z.string(),
  kind: ColumnKind,
  /** Character length (`varchar(50)` → 50) or bit length. */
  length: z.number().int().optional(),
  precision: z.number().int().optional(),
  scale: z.number().int().optional(),
  /** Fractional-second digits of time types, when declared. */
  fractionalSeconds: z.number().int().optional(),
  /** 0 for a scalar, 1 for `text[]`, 2 for `int[][]`. */
  arrayDimensions: z.number().int().default(0),
  /** Qualified name of the enum type (`public.mpaa_rating`) for `kind: 'enum'` in PostgreSQL. */
  enum: z.string().optional(),
  /** Inline values of a MySQL ENUM or SET column. */
  values: z.array(z.string()).optional(),
  /** Qualified name of the domain this column is declared with. */
  domain: z.string().optional(),
  /** For `kind: 'range' | 'multirange'`: the element type (`integer`, `timestamp with time zone`). */
  elementType: z.string().optional(),
  unsigned: z.boolean().optional(),
  nullable: z.boolean(),
  collation: z.string().optional(),
  charset: z.string().optional(),
  comment: z.string().optional(),
  default: ColumnDefault.optional(),
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`. */
  onUpdate: z.string().optional(),
  /** A generated column: the database computes it; Understudy never writes it. */
  generated: z.object({ expression: z.string(), stored: z.boolean() }).optional(),
  /** Why generation cannot produce this column, if it cannot (an unknown extension type). */
  unsupported: z.string().optional(),
});
export type Column = z.infer<typeof Column>;

export const PrimaryKey = z.object({ name: z.string().optional(), columns: z.array(z.string()) });
export type PrimaryKey = z.infer<typeof PrimaryKey>;

/** A UNIQUE constraint, or a unique index that is not the primary key. */
export const UniqueKey = z.object({
  name: z.string(),
  /** Key columns in order; an expression part is `null` here and spelled in `expressions`. */
  columns: z.array(z.string().nullable()),
  origin: z.enum(['constraint', 'index']),
  /** Index expressions, for expression indexes such as `lower(email)`. */
  expressions: z.array(z.string()).optional(),
  /** The WHERE clause of a partial unique index. */
  where: z.string().optional(),
  nullsNotDistinct: z.boolean().optional(),
  deferrable: z.boolean().optional(),
});
export type UniqueKey = z.infer<typeof UniqueKey>;

export const ReferentialAction = z.enum(['no action', 'restrict', 'cascade', 'set null', 'set default']);
export type ReferentialAction = z.infer<typeof ReferentialAction>;

export const ForeignKey = z.object({
  name: z.string(),
  columns: z.array(z.string()),
  references: z.object({
    /** Qualified table key, as in `Schema.tables`: `auth.users`. */
    table: z.string(),
    columns: z.array(z.string()),
  }),
  onDelete: ReferentialAction.default('no action'),
  onUpdate: ReferentialAction.default('no action'),
  match: z.enum(['simple', 'full', 'partial']).optional(),
  deferrable: z.boolean().default(false),
  initiallyDeferred: z.boolean().default(false),
  /** Declared only in an ORM (drizzle `relations()`); the database does not enforce it. */
  virtual: z.boolean().optional(),
  /** PostgreSQL `NOT VALID`: existing rows were not checked. */
  notValid: z.boolean().optional(),
});
export type ForeignKey = z.infer<typeof ForeignKey>;

export const CheckConstraint = z.object({
  name: z.string(),
  /** The boolean expression, without the `CHECK (…)` wrapper. */
  expression: z.string(),
  /** Columns the expression reads, where the engine says. */
  columns: z.array(z.string()).optional(),
  notValid: z.boolean().optional(),
});
export type CheckConstraint = z.infer<typeof CheckConstraint>;

export const Index = z.object({
  name: z.string(),
  columns: z.array(z.string().nullable()),
  expressions: z.array(z.string()).optional(),
  unique: z.boolean(),
  primary: z.boolean(),
  method: z.string(),
  where: z.string().optional(),
  /** The full definition as the engine prints it (`CREATE INDEX …`). */
  definition: z.string().optional(),
  /**
   * The index of an exclusion constraint (`EXCLUDE USING gist (room WITH =, during WITH &&)`): its
   * operator per key part, in order (`['=', '&&']`). Absent for any other index.
   */
  exclusion: z.array(z.string()).optional(),
});
export type Index = z.infer<typeof Index>;

/**
 * A trigger, modelled only as far as loading needs: when it fires, which other tables
 * its body inserts rows into (so a table a trigger fills is not generated twice), and which
 * of its own table's columns it always sets on INSERT (so a load leaves them to it).
 */
export const Trigger = z.object({
  name: z.string(),
  timing: z.enum(['before', 'after', 'instead of']),
  events: z.array(z.enum(['insert', 'update', 'delete', 'truncate'])),
  /**
   * `statement`: fires once per statement (`FOR EACH STATEMENT`, often over a transition table,
   * `REFERENCING NEW TABLE`), not per row; never fills a table row for row. Absent for a row trigger.
   */
  forEach: z.literal('statement').optional(),
  /** Tables (keys as in `Schema.tables`) the body inserts into; empty when it writes none or cannot be read. */
  inserts: z.array(z.string()).default([]),
  /**
   * Columns an enabled BEFORE INSERT trigger always overwrites, whatever the row held: only read
   * where the function is known (PostgreSQL's `tsvector_update_trigger` and
   * `tsvector_update_trigger_column`, which set their first argument). Absent when none.
   */
  sets: z.array(z.string()).optional(),
  /**
   * The row's columns such a trigger makes `sets` from (a search vector's text columns, and the
   * column naming its configuration for `tsvector_update_trigger_column`). Absent when unknown.
   */
  reads: z.array(z.string()).optional(),
  /**
   * Columns of the row the body copies unchanged into another table's column (`INSERT INTO keys (id)
   * VALUES (NEW.id)`): a generated value must fit both. Absent when none.
   */
  copies: z.array(z.object({ column: z.string(), table: z.string(), targetColumn: z.string() })).optional(),
});
export type Trigger = z.infer<typeof Trigger>;

export const Table = z.object({
  schema: z.string(),
  name: z.string(),
  /** `partitioned`: a parent that holds no rows itself; `partition`: a child to load through its parent. */
  kind: z.enum(['table', 'partitioned', 'partition']),
  partitionOf: z.string().optional(),
  /** `PARTITION BY RANGE (payment_date)` for a parent; `FOR VALUES FROM (…) TO (…)` for a partition. */
  partitioning: z.string().optional(),
  comment: z.string().optional(),
  /** The engine's row estimate; `null` when it has none (never analysed). */
  rowEstimate: z.number().nullable(),
  columns: z.array(Column),
  primaryKey: PrimaryKey.optional(),
  uniques: z.array(UniqueKey).default([]),
  foreignKeys: z.array(ForeignKey).default([]),
  checks: z.array(CheckConstraint).default([]),
  indexes: z.array(Index).default([]),
  /** Row triggers on this table; absent when it has none. */
  triggers: z.array(Trigger).optional(),
});
export type Table = z.infer<typeof Table>;

export const EnumType = z.object({ schema: z.string(), name: z.string(), values: z.array(z.string()) });
export type EnumType = z.infer<typeof EnumType>;

export const DomainType = z.object({
  schema: z.string(),
  name: z.string(),
  baseType: z.string(),
  kind: ColumnKind,
  length: z.number().int().optional(),
  precision: z.number().int().optional(),
  scale: z.number().int().optional(),
  arrayDimensions: z.number().int().default(0),
  notNull: z.boolean(),
  default: z.string().optional(),
  collation: z.string().optional(),
  checks: z.array(CheckConstraint).default([]),
});
export type DomainType = z.infer<typeof DomainType>;

export const Sequence = z.object({
  schema: z.string(),
  name: z.string(),
  dataType: z.string(),
  start: z.string(),
  increment: z.string(),
  min: z.string(),
  max: z.string(),
  cycle: z.boolean(),
  /** The column that owns it (serial / identity): `table key` + column. */
  ownedBy: z.object({ table: z.string(), column: z.string() }).optional(),
});
export type Sequence = z.infer<typeof Sequence>;

export const View = z.object({
  schema: z.string(),
  name: z.string(),
  materialized: z.boolean(),
  definition: z.string().optional(),
});
export type View = z.infer<typeof View>;

export const Extension = z.object({ name: z.string(), version: z.string().optional(), schema: z.string().optional() });
export type Extension = z.infer<typeof Extension>;

export const SchemaModel = z.object({
  version: z.literal(SCHEMA_VERSION),
  /** Which family of engines the model came from; the dialect that can load it. */
  dialect: z.enum(DIALECT_NAMES),
  /** `PostgreSQL 15.19`, `MariaDB 10.11.19`, `PGlite (PostgreSQL 18.6)`. */
  serverVersion: z.string().optional(),
  /** Where it came from, with any password removed: a URL, `file:schema.sql`, `drizzle:src/db/schema.ts`. */
  source: z.string().optional(),
  /** The namespaces introspected (PostgreSQL schemas; the database name in MySQL). */
  namespaces: z.array(z.string()),
  extensions: z.array(Extension).default([]),
  enums: z.record(z.string(), EnumType).default({}),
  domains: z.record(z.string(), DomainType).default({}),
  sequences: z.record(z.string(), Sequence).default({}),
  tables: z.record(z.string(), Table),
  views: z.record(z.string(), View).default({}),
  /** Objects seen but not modelled (composite types, rules, …), so a summary can say so. */
  notes: z.array(z.string()).default([]),
});
export type Schema = z.infer<typeof SchemaModel>;
export type SchemaInput = z.input<typeof SchemaModel>;

/** The key under which a table, enum, domain, sequence or view is stored: `schema.name`. */
export function qualifiedName(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/**
 * The columns a unique key keeps distinct: its plain columns and those its expressions read
 * (coder's `UNIQUE INDEX … (lower(name))` makes `name` a key column: a fake there could collide).
 * @example
 * ```ts
 * uniqueKeyColumns({ columns: [null], expressions: ['lower(name)'] }, ['id', 'name']); // ['name']
 * ```
 */
export function uniqueKeyColumns(unique: Pick<UniqueKey, 'columns' | 'expressions'>, tableColumns: readonly string[]): string[] {
  const out = unique.columns.filter((c): c is string => c !== null);
  for (const expression of unique.expressions ?? []) {
    // identifiers outside string literals, bare or double-quoted
    const code = expression.replace(/'(?:[^']|'')*'/g, "''");
    for (const m of code.matchAll(/"((?:[^"]|"")+)"|\b([A-Za-z_][A-Za-z0-9_$]*)\b/g)) {
      const name = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!;
      if (tableColumns.includes(name) && !out.includes(name)) out.push(name);
    }
  }
  return out;
}
