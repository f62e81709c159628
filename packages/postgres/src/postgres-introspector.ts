/**
 * Reads a PostgreSQL (or PGlite) database's shape from pg_catalog into the core
 * Schema model.
 *
 * The catalog is read in one read-only, repeatable-read transaction with fixed
 * session settings (`search_path = pg_catalog`, UTC, ISO dates), so names are
 * always schema-qualified (`public.mpaa_rating`) and printed values (partition
 * bounds, defaults) do not depend on the session that happens to run it. The
 * result is deterministic: records are keyed and sorted by `schema.name`,
 * constraints and indexes by name, columns by position.
 *
 * @example
 * ```ts
 * const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
 * const schema = await introspectPostgres(db, { schemas: ['public'] });
 * console.log(Object.keys(schema.tables));
 * ```
 */
import { normalizeSchema, SCHEMA_VERSION, UsageError, type Column, type IntrospectOptions, type Schema, type Table } from '@understudy/core';
import { sql, type Kysely } from 'kysely';
import { byName, keyOf, type CatalogContext } from './postgres-catalog.js';
import { readColumns, readTables } from './postgres-introspect-columns.js';
import { readConstraints, readIndexes } from './postgres-introspect-constraints.js';
import { readExtensions, readNotes, readSequences, readTriggers, readViews } from './postgres-introspect-objects.js';
import { readDomains, readEnums, readTypes } from './postgres-introspect-types.js';

/** Session settings that make catalog output stable; set with `SET LOCAL` for the introspection transaction. */
const STABLE_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['search_path', 'pg_catalog'],
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, MDY'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '1'],
];

/**
 * Introspects the database behind `db` (a pg pool or a PGlite through {@link PgliteDialect}).
 * `source` is left unset; the caller knows where the database came from.
 *
 * @throws UsageError when `options.schemas` names a schema that does not exist.
 * @example
 * ```ts
 * const schema = await introspectPostgres(db);
 * countSchema(schema).tables; // 15
 * ```
 */
export async function introspectPostgres(db: Kysely<any>, options: IntrospectOptions = {}): Promise<Schema> {
  if (db.isTransaction) return introspectInSession(db, options, true);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => introspectInSession(trx, options, false));
}

async function introspectInSession(db: Kysely<any>, options: IntrospectOptions, restore: boolean): Promise<Schema> {
  const saved: Array<readonly [string, string]> = [];
  for (const [name, value] of STABLE_SETTINGS) {
    if (restore) {
      const current = await sql<{ value: string }>`select pg_catalog.current_setting(${name}) as value`.execute(db);
      saved.push([name, current.rows[0]?.value ?? '']);
    }
    await sql`select pg_catalog.set_config(${name}, ${value}, true)`.execute(db);
  }
  try {
    return await readSchema(db, options);
  } finally {
    for (const [name, value] of saved) await sql`select pg_catalog.set_config(${name}, ${value}, true)`.execute(db);
  }
}

async function readSchema(db: Kysely<any>, options: IntrospectOptions): Promise<Schema> {
  const info = await sql<{ version_num: string; version: string; server_version: string }>`
    select pg_catalog.current_setting('server_version_num') as version_num, pg_catalog.version() as version,
      pg_catalog.current_setting('server_version') as server_version`.execute(db);
  const row = info.rows[0]!;
  const versionNum = Number(row.version_num);
  const namespaces = await resolveNamespaces(db, options.schemas);
  const ctx: CatalogContext = { db, versionNum, namespaces };

  const types = await readTypes(ctx);
  const { sequences, identitySequences } = await readSequences(ctx);
  const heads = await readTables(ctx);
  const columns = await readColumns(ctx, types, identitySequences);
  const constraints = await readConstraints(ctx);
  const indexes = await readIndexes(ctx);

  const triggers = await readTriggers(ctx, new Set(heads.map((h) => keyOf(h.schema, h.name))));
  const tables: Record<string, Table> = {};
  for (const head of heads.sort(byName((t) => keyOf(t.schema, t.name)))) {
    const keys = constraints.get(head.oid);
    const idx = indexes.get(head.oid);
    const { oid: _oid, ...rest } = head;
    const uniques = [...(keys?.uniques ?? []), ...(idx?.uniques ?? [])].sort(byName((u) => u.name));
    tables[keyOf(head.schema, head.name)] = {
      ...rest,
      columns: partitionColumns(head.kind, columns.get(head.oid) ?? []),
      ...(keys?.primaryKey ? { primaryKey: keys.primaryKey } : {}),
      uniques,
      foreignKeys: [...(keys?.foreignKeys ?? [])].sort(byName((f) => f.name)),
      checks: [...(keys?.checks ?? [])].sort(byName((c) => c.name)),
      indexes: [...(idx?.indexes ?? [])].sort(byName((i) => i.name)),
    };
    const own = triggers.get(keyOf(head.schema, head.name));
    if (own) tables[keyOf(head.schema, head.name)]!.triggers = own;
  }

  return normalizeSchema({
    version: SCHEMA_VERSION,
    dialect: 'postgres',
    serverVersion: describeServerVersion(row.version, row.server_version),
    namespaces: [...namespaces],
    extensions: await readExtensions(ctx),
    enums: await readEnums(ctx),
    domains: await readDomains(ctx, types),
    sequences,
    tables,
    views: await readViews(ctx),
    notes: await readNotes(ctx),
  });
}

/**
 * A partition's identity belongs to its parent: PostgreSQL 17+ copies `attidentity`
 * onto partitions, 15 and 16 do not. Rows are loaded through the parent, so the
 * partition lists no identity default on any version.
 */
function partitionColumns(kind: Table['kind'], columns: Column[]): Column[] {
  if (kind !== 'partition') return columns;
  return columns.map((c) => {
    if (c.default?.kind !== 'identity') return c;
    const { default: _identity, ...rest } = c;
    return rest;
  });
}

/**
 * `PostgreSQL 15.19`, or `PGlite (PostgreSQL 18.6)` for the embedded engine.
 * @example
 * ```ts
 * describeServerVersion('PostgreSQL 15.20 (Debian …) on x86_64…', '15.20 (Debian 15.20-0+deb12u1)'); // 'PostgreSQL 15.20'
 * ```
 */
export function describeServerVersion(version: string, serverVersion: string): string {
  const number = serverVersion.split(' ')[0] ?? serverVersion;
  return /\bPGlite\b/.test(version) ? `PGlite (PostgreSQL ${number})` : `PostgreSQL ${number}`;
}

/** The user namespaces (all, or the requested ones, checked), sorted. */
async function resolveNamespaces(db: Kysely<any>, requested: readonly string[] | undefined): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select n.nspname as name from pg_catalog.pg_namespace n
    where n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'`.execute(db);
  const existing = result.rows.map((r) => r.name).sort(byName((s) => s));
  if (!requested || requested.length === 0) return existing;
  const unknown = requested.filter((s) => !existing.includes(s));
  if (unknown.length > 0) {
    const list = unknown.map((s) => `"${s}"`).join(', ');
    throw new UsageError(`schema ${list} does not exist in this database`, {
      hint: `Schemas that exist: ${existing.join(', ') || '(none)'}.`,
    });
  }
  return [...new Set(requested)].sort(byName((s) => s));
}
