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
  return tables.map((t) => `SELECT ${quoteLiteral(`${t.schema}.${t.name}`)} AS key WHERE EXISTS (SELECT 1 FROM ${qualifiedTable(t)})`).join(' UNION ALL ');
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
  // No column list for no columns (a table of none, PostgREST's `create table ov_json ()`): `()` is a syntax error.
  const list = columns.length === 0 ? '' : ` (${columns.map(quoteIdent).join(', ')})`;
  return `COPY ${qualifiedTable(table)}${list} FROM ${source}${format === 'binary' ? ' (FORMAT binary)' : ''}`;
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
export function updateFromTempSql(table: Pick<Table, 'schema' | 'name'>, temp: string, keys: readonly string[], sets: readonly string[]): string {
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
 * The largest loaded value of a sequence's column as bigint. A column that is no longer a number
 * (a serial whose type a later `ALTER COLUMN … TYPE varchar` changed, Laravel Passport's
 * `oauth_clients.id` keeping its `nextval` default) may hold any text: only its values that are
 * whole numbers count.
 */
function loadedMax(c: Column): string {
  const col = quoteIdent(c.name);
  if (!TEXT_KINDS.has(c.kind)) return `max(${col})::bigint`;
  return `max(CASE WHEN ${col}::text ~ '^[0-9]{1,18}$' THEN ${col}::text::bigint END)`;
}

const TEXT_KINDS: ReadonlySet<string> = new Set(['char', 'varchar', 'text', 'citext', 'other']);

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
        `FROM (SELECT ${loadedMax(c)} AS m FROM ${qualifiedTable(table)}) x ` +
        `JOIN pg_catalog.pg_sequence q ON q.seqrelid = (${sequenceRef(table, c)})::regclass ` +
        `WHERE x.m IS NOT NULL AND q.seqincrement > 0`,
    );
}

/** What a load sets aside of its tables, as `setAsideSql` reads it. */
export interface SetAsideRow {
  /**
   * `fk`: a foreign key of one of the tables; `referencing`: a foreign key (of any table) that
   * references one of them; `constraint`: a primary key or unique constraint; `unique-index`: a
   * unique index no constraint owns; `index`: a secondary index that is neither (safe to rebuild);
   * `trigger`: an enabled user trigger of one of the tables (`definition`: its `tgenabled`, `O`, `A` or `R`).
   */
  readonly kind: 'fk' | 'referencing' | 'constraint' | 'unique-index' | 'index' | 'trigger';
  /** The table (`schema.name`, as in `Schema.tables`) it is set aside for. */
  readonly of: string;
  /** A constraint's or trigger's name; an index's schema-qualified, quoted name. */
  readonly name: string;
  /** `pg_get_constraintdef` or `pg_get_indexdef`. */
  readonly definition: string;
  /** Foreign keys: the referencing table as regclass text (for `ALTER TABLE`), and both tables as `schema.name`. */
  readonly table: string | null;
  readonly child: string | null;
  readonly parent: string | null;
  /**
   * What dropping it loses and must be put back after it is made again: `CLUSTER ON`,
   * `REPLICA IDENTITY USING INDEX`, its comment.
   */
  readonly after: readonly string[];
}

/**
 * The tables of `$1` (regclass texts) the session cannot alter (it is not a member of their
 * owner role), one row `{ key }` each (`schema.name`): a load leaves their keys, indexes, foreign
 * keys and triggers in place.
 * @example
 * ```ts
 * await client.query(unownedTablesSql, [['"public"."film"']]); // [{ key: 'public.film' }] for a role that may only write
 * ```
 */
export const unownedTablesSql = `
  SELECT n.nspname || '.' || c.relname AS key
  FROM unnest($1::text[]) AS name JOIN pg_class c ON c.oid = name::regclass JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE NOT pg_has_role(c.relowner, 'USAGE')`;

/** The statements that put back an index's attributes a DROP loses (`index` is a `pg_index` row, `ic` its `pg_class`, `icn` its namespace). */
const INDEX_ATTRIBUTES = `
  array_remove(ARRAY[
    CASE WHEN i.indisclustered THEN format('ALTER TABLE %s CLUSTER ON %I', i.indrelid::regclass, ic.relname) END,
    CASE WHEN i.indisreplident THEN format('ALTER TABLE %s REPLICA IDENTITY USING INDEX %I', i.indrelid::regclass, ic.relname) END,
    CASE WHEN obj_description(i.indexrelid, 'pg_class') IS NOT NULL
      THEN format('COMMENT ON INDEX %I.%I IS %L', icn.nspname, ic.relname, obj_description(i.indexrelid, 'pg_class')) END
  ], NULL)`;

/** The statement that puts back a constraint's comment (`k` is its `pg_constraint` row), if it has one. */
const CONSTRAINT_COMMENT = `
  CASE WHEN obj_description(k.oid, 'pg_constraint') IS NOT NULL
    THEN format('COMMENT ON CONSTRAINT %I ON %s IS %L', k.conname, k.conrelid::regclass, obj_description(k.oid, 'pg_constraint')) END`;

/**
 * Everything a load into the tables `$1` (regclass texts) sets aside, in one query: rows
 * `SetAsideRow`, foreign keys by referencing table and name. Partitions' own copies of a parent's
 * keys and foreign keys are left out (they come back with the parent's), and so are indexes an
 * extension or a constraint owns. Left in place: a key something other than a foreign key
 * depends on (a view that groups by a primary key cannot lose it), an index something depends
 * on, and an index in a tablespace of its own.
 * @example
 * ```ts
 * await client.query(setAsideSql, [['"public"."users"', '"public"."orders"']]);
 * // [{ kind: 'fk', of: 'public.orders', name: 'orders_user_id_fkey', … }, { kind: 'constraint', of: 'public.users', name: 'users_pkey', … }, …]
 * ```
 */
export const setAsideSql = `
  WITH t AS (SELECT unnest($1::text[])::regclass AS rel),
  fk AS (
    SELECT k.conrelid, k.confrelid, k.conrelid::regclass::text AS "table", k.conname::text AS name, pg_get_constraintdef(k.oid) AS definition,
      cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent,
      array_remove(ARRAY[${CONSTRAINT_COMMENT}], NULL) AS after
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
    JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
    WHERE k.contype = 'f' AND k.conparentid = 0 AND (k.conrelid IN (SELECT rel FROM t) OR k.confrelid IN (SELECT rel FROM t))
  ),
  ix AS (
    SELECT i.indrelid, i.indisunique, i.indisprimary, quote_ident(icn.nspname) || '.' || quote_ident(ic.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition,
      ${INDEX_ATTRIBUTES} AS after
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace icn ON icn.oid = ic.relnamespace
    WHERE i.indrelid IN (SELECT rel FROM t)
      AND ic.reltablespace = 0
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = i.indexrelid AND d.deptype = 'n')
      AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
  ),
  -- Every name is text: a UNION takes its first branch's type, and \`name\` would cut
  -- a schema-qualified index name (up to 2 × 63 bytes + quotes) to 63 bytes.
  keyed AS (
    SELECT 'fk' AS kind, child AS of, name, definition, "table", child, parent, after FROM fk WHERE conrelid IN (SELECT rel FROM t)
    UNION ALL
    SELECT 'referencing', parent, name, definition, "table", child, parent, after FROM fk WHERE confrelid IN (SELECT rel FROM t)
    UNION ALL
    SELECT 'constraint', n.nspname || '.' || c.relname, k.conname::text, pg_get_constraintdef(k.oid), NULL, NULL, NULL,
      array_remove(ARRAY[${CONSTRAINT_COMMENT}], NULL) || ${INDEX_ATTRIBUTES}
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_index i ON i.indexrelid = k.conindid JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace icn ON icn.oid = ic.relnamespace
    WHERE k.conrelid IN (SELECT rel FROM t) AND k.contype IN ('p', 'u') AND k.conparentid = 0
      AND ic.reltablespace = 0
      -- A view grouping by a primary key depends on the constraint: it stays.
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.refclassid = 'pg_constraint'::regclass AND d.refobjid = k.oid AND d.deptype = 'n' AND d.classid <> 'pg_constraint'::regclass)
    UNION ALL
    SELECT CASE WHEN ix.indisunique THEN 'unique-index' ELSE 'index' END, n.nspname || '.' || c.relname, ix.name, ix.definition, NULL, NULL, NULL, ix.after
    FROM ix JOIN pg_class c ON c.oid = ix.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT ix.indisprimary
    UNION ALL
    SELECT 'trigger', n.nspname || '.' || c.relname, tg.tgname::text, tg.tgenabled::text, NULL, NULL, NULL, ARRAY[]::text[]
    FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE tg.tgrelid IN (SELECT rel FROM t) AND NOT tg.tgisinternal AND tg.tgenabled <> 'D'
  )
  SELECT * FROM keyed ORDER BY kind, "table", name`;
