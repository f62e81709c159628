/**
 * Shared plumbing for the pg_catalog readers: the query runner type, the
 * server-version switches, and SQL fragments every reader uses (the namespace
 * filter, "not a member of an extension").
 *
 * @example
 * ```ts
 * const rows = await catalogQuery<{ name: string }>(ctx, sql`select relname as name from pg_catalog.pg_class`);
 * ```
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';

/** What every catalog reader gets: a Kysely (or transaction) and what it must read. */
export interface CatalogContext {
  readonly db: Kysely<any>;
  /** `server_version_num`, e.g. 150019 or 180006. */
  readonly versionNum: number;
  /** The namespaces to read, sorted. */
  readonly namespaces: readonly string[];
}

/** Runs a catalog query and returns its rows. */
export async function catalogQuery<Row>(ctx: CatalogContext, query: RawBuilder<Row>): Promise<Row[]> {
  const result = await query.execute(ctx.db);
  return result.rows;
}

/** `<alias>.nspname` is one of the introspected namespaces. */
export function inNamespaces(ctx: CatalogContext, alias: string): RawBuilder<unknown> {
  return sql`${sql.ref(`${alias}.nspname`)} = any(${[...ctx.namespaces]}::text[])`;
}

/** The object (`classid` catalog, `objid` oid column) is not part of an extension. */
export function notExtensionMember(catalog: 'pg_class' | 'pg_type' | 'pg_proc', oidColumn: string): RawBuilder<unknown> {
  return sql`not exists (
    select 1 from pg_catalog.pg_depend dep
    where dep.classid = ${sql.lit(`pg_catalog.${catalog}`)}::pg_catalog.regclass
      and dep.objid = ${sql.ref(oidColumn)} and dep.deptype = 'e')`;
}

/** JSON may arrive parsed (pg, PGlite) or as text; always return the parsed value. */
export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') return JSON.parse(value) as T;
  return value as T;
}

/** `schema.name`, the model's key for tables, types, sequences and views. */
export function keyOf(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** Sorts by a string key, by code point, so order never depends on locale. */
export function byName<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
