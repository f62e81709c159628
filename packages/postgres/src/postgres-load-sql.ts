/**
 * The SQL a PostgreSQL load runs, shared by the server (COPY FROM STDIN) and
 * PGlite (COPY FROM '/dev/blob') sinks: pure string builders, no driver.
 *
 * @example
 * ```ts
 * copyIntoSql(schema.tables['public.users']!, ['id', 'email']);
 * // 'COPY "public"."users" ("id", "email") FROM STDIN'
 * ```
 */
import type { Column, Schema, Table } from '@understudy/core';

/**
 * Double-quotes an identifier.
 * @example
 * ```ts
 * quoteIdent('Order'); // '"Order"'
 * ```
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * `"schema"."table"` for a table of the model.
 * @example
 * ```ts
 * qualifiedTable({ schema: 'public', name: 'users' } as Table); // '"public"."users"'
 * ```
 */
export function qualifiedTable(table: Pick<Table, 'schema' | 'name'>): string {
  return `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
}

/**
 * A SQL string literal.
 * @example
 * ```ts
 * quoteLiteral("it's"); // "'it''s'"
 * ```
 */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Tables a load writes into: ordinary and partitioned tables (partitions are loaded through their parent).
 * @example
 * ```ts
 * loadableTables(schema).map((t) => t.name); // ['users', 'orders']
 * ```
 */
export function loadableTables(schema: Schema): Table[] {
  return Object.values(schema.tables).filter((t) => t.kind !== 'partition');
}

/**
 * One TRUNCATE for every table given (identities restarted, no CASCADE).
 * @example
 * ```ts
 * truncateSql(tables); // 'TRUNCATE TABLE "public"."a", "public"."b" RESTART IDENTITY'
 * ```
 */
export function truncateSql(tables: readonly Table[]): string {
  return `TRUNCATE TABLE ${tables.map(qualifiedTable).join(', ')} RESTART IDENTITY`;
}

/**
 * A query over `$1`, quoted table names (`qualifiedTable`), returning one row `{ key }` per name no table has.
 * @example
 * ```ts
 * await query(missingTablesSql, [[qualifiedTable(users)]]); // [{ key: '"public"."users"' }] when there is none
 * ```
 */
export const missingTablesSql = `SELECT name AS key FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL`;

/**
 * A query returning one row `{ key }` per non-empty table of `tables` (keys as in `Schema.tables`).
 * @example
 * ```ts
 * nonEmptyTablesSql([users]); // "SELECT 'public.users' AS key WHERE EXISTS (SELECT 1 FROM \"public\".\"users\")"
 * ```
 */
export function nonEmptyTablesSql(tables: readonly Table[]): string {
  return tables
    .map((t) => `SELECT ${quoteLiteral(`${t.schema}.${t.name}`)} AS key WHERE EXISTS (SELECT 1 FROM ${qualifiedTable(t)})`)
    .join(' UNION ALL ');
}

/**
 * `COPY "s"."t" ("a", "b") FROM <source>`; `source` is `STDIN` or a quoted path such as `'/dev/blob'`.
 * @example
 * ```ts
 * copyIntoSql(users, ['id'], "'/dev/blob'"); // `COPY "public"."users" ("id") FROM '/dev/blob'`
 * copyIntoSql(users, ['id'], 'STDIN', 'binary'); // `COPY "public"."users" ("id") FROM STDIN (FORMAT binary)`
 * ```
 */
export function copyIntoSql(table: Pick<Table, 'schema' | 'name'>, columns: readonly string[], source = 'STDIN', format: 'text' | 'binary' = 'text'): string {
  return `COPY ${qualifiedTable(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source}${format === 'binary' ? ' (FORMAT binary)' : ''}`;
}

/**
 * A temporary table shaped like some columns of `table`, dropped at commit.
 * @example
 * ```ts
 * createUpdateTempSql(users, 'understudy_upd_1', ['id', 'manager_id']);
 * ```
 */
export function createUpdateTempSql(table: Pick<Table, 'schema' | 'name'>, temp: string, columns: readonly string[]): string {
  return `CREATE TEMP TABLE ${quoteIdent(temp)} ON COMMIT DROP AS SELECT ${columns.map(quoteIdent).join(', ')} FROM ${qualifiedTable(table)} WITH NO DATA`;
}

/**
 * `UPDATE t SET set… FROM temp WHERE key… = temp.key…`.
 * @example
 * ```ts
 * updateFromTempSql(users, 'understudy_upd_1', ['id'], ['manager_id']);
 * ```
 */
export function updateFromTempSql(
  table: Pick<Table, 'schema' | 'name'>,
  temp: string,
  keys: readonly string[],
  sets: readonly string[],
): string {
  const t = quoteIdent(temp);
  const set = sets.map((c) => `${quoteIdent(c)} = ${t}.${quoteIdent(c)}`).join(', ');
  const where = keys.map((c) => `${qualifiedTable(table)}.${quoteIdent(c)} = ${t}.${quoteIdent(c)}`).join(' AND ');
  return `UPDATE ${qualifiedTable(table)} SET ${set} FROM ${t} WHERE ${where}`;
}

function sequenceRef(table: Table, column: Column): string {
  const d = column.default;
  const owned = `pg_get_serial_sequence(${quoteLiteral(qualifiedTable(table))}, ${quoteLiteral(column.name)})`;
  const named = d && (d.kind === 'sequence' || d.kind === 'identity') ? d.sequence : undefined;
  if (!named) return owned;
  const dot = named.indexOf('.');
  const ref = dot < 0 ? quoteIdent(named) : `${quoteIdent(named.slice(0, dot))}.${quoteIdent(named.slice(dot + 1))}`;
  return `COALESCE(${owned}, ${quoteLiteral(ref)})`;
}

/**
 * Statements that move each sequence/identity behind a loaded column of `table` past the
 * largest loaded value (`setval(seq, max)`, within the sequence's bounds); a table left empty
 * keeps its sequence as it is (TRUNCATE … RESTART IDENTITY reset the owned ones).
 * @example
 * ```ts
 * advanceSequenceSql(users, ['id', 'email']);
 * // ['SELECT setval(q.seqrelid, …) FROM (SELECT max("id")::bigint AS m FROM "public"."users") x JOIN pg_catalog.pg_sequence q …']
 * ```
 */
export function advanceSequenceSql(table: Table, loadedColumns: readonly string[]): string[] {
  const loaded = new Set(loadedColumns);
  return table.columns
    .filter((c) => loaded.has(c.name) && (c.default?.kind === 'sequence' || c.default?.kind === 'identity') && c.arrayDimensions === 0)
    .map(
      (c) =>
        // Kept within the sequence's bounds; descending sequences are left alone.
        `SELECT setval(q.seqrelid, LEAST(GREATEST(x.m, q.seqmin), q.seqmax)) ` +
        `FROM (SELECT max(${quoteIdent(c.name)})::bigint AS m FROM ${qualifiedTable(table)}) x ` +
        `JOIN pg_catalog.pg_sequence q ON q.seqrelid = (${sequenceRef(table, c)})::regclass ` +
        `WHERE x.m IS NOT NULL AND q.seqincrement > 0`,
    );
}

/** What a load sets aside of its tables, as `setAsideSql` reads it. */
export interface SetAsideRow {
  /**
   * `fk`: a foreign key of one of the tables; `referencing`: a foreign key (of any table) that
   * references one of them; `constraint`: a primary key or unique constraint; `unique-index`: a
   * unique index no constraint owns; `index`: a secondary index that is neither (safe to rebuild).
   */
  readonly kind: 'fk' | 'referencing' | 'constraint' | 'unique-index' | 'index';
  /** The table (`schema.name`, as in `Schema.tables`) it is set aside for. */
  readonly of: string;
  /** A constraint's name; an index's schema-qualified, quoted name. */
  readonly name: string;
  /** `pg_get_constraintdef` or `pg_get_indexdef`. */
  readonly definition: string;
  /** Foreign keys: the referencing table as regclass text (for `ALTER TABLE`), and both tables as `schema.name`. */
  readonly table: string | null;
  readonly child: string | null;
  readonly parent: string | null;
}

/**
 * Everything a load into the tables `$1` (regclass texts) sets aside, in one query: rows
 * `SetAsideRow`, foreign keys by referencing table and name. Partitions' own copies of a parent's
 * keys and foreign keys are left out (they come back with the parent's), and so are indexes an
 * extension or a constraint owns.
 * @example
 * ```ts
 * await client.query(setAsideSql, [['"public"."users"', '"public"."orders"']]);
 * // [{ kind: 'fk', of: 'public.orders', name: 'orders_user_id_fkey', … }, { kind: 'constraint', of: 'public.users', name: 'users_pkey', … }, …]
 * ```
 */
export const setAsideSql = `
  WITH t AS (SELECT unnest($1::text[])::regclass AS rel),
  fk AS (
    SELECT k.conrelid, k.confrelid, k.conrelid::regclass::text AS "table", k.conname AS name, pg_get_constraintdef(k.oid) AS definition,
      cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
    JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
    WHERE k.contype = 'f' AND k.conparentid = 0 AND (k.conrelid IN (SELECT rel FROM t) OR k.confrelid IN (SELECT rel FROM t))
  ),
  ix AS (
    SELECT i.indrelid, i.indisunique, i.indisprimary, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.indrelid IN (SELECT rel FROM t)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refobjid = i.indexrelid AND d.deptype = 'n')
      AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
  ),
  keyed AS (
    SELECT 'fk' AS kind, child AS of, name, definition, "table", child, parent FROM fk WHERE conrelid IN (SELECT rel FROM t)
    UNION ALL
    SELECT 'referencing', parent, name, definition, "table", child, parent FROM fk WHERE confrelid IN (SELECT rel FROM t)
    UNION ALL
    SELECT 'constraint', n.nspname || '.' || c.relname, k.conname, pg_get_constraintdef(k.oid), NULL, NULL, NULL
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.conrelid IN (SELECT rel FROM t) AND k.contype IN ('p', 'u') AND k.conparentid = 0
    UNION ALL
    SELECT CASE WHEN ix.indisunique THEN 'unique-index' ELSE 'index' END, n.nspname || '.' || c.relname, ix.name, ix.definition, NULL, NULL, NULL
    FROM ix JOIN pg_class c ON c.oid = ix.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT ix.indisprimary
  )
  SELECT * FROM keyed ORDER BY kind, "table", name`;
