/**
 * Reads PostgreSQL types from pg_catalog: every pg_type row (to resolve column
 * kinds), and the modelled user types: enums and domains.
 *
 * @example
 * ```ts
 * const types = await readTypes(ctx);
 * const enums = await readEnums(ctx);      // { 'public.mpaa_rating': { values: ['G', 'PG', …] } }
 * const domains = await readDomains(ctx, types);
 * ```
 */
import type { CheckConstraint, DomainType, EnumType } from '@understudy/core';
import { sql } from 'kysely';
import { byName, catalogQuery, inNamespaces, keyOf, notExtensionMember, parseJson, type CatalogContext } from './postgres-catalog.js';
import { resolveType, type PgTypeRow } from './postgres-type-kind.js';

/** Every type in the database by oid. Cheap (a few hundred rows in a fresh database). */
export async function readTypes(ctx: CatalogContext): Promise<Map<string, PgTypeRow>> {
  const v14 = ctx.versionNum >= 140000;
  const isArray = v14 ? sql`t.typsubscript = 'pg_catalog.array_subscript_handler'::pg_catalog.regproc` : sql`(t.typcategory = 'A' and t.typelem <> 0 and t.typlen = -1)`;
  const multirangeJoin = v14 ? sql`left join pg_catalog.pg_range mr on mr.rngmultitypid = t.oid` : sql``;
  const multirangeSubtype = v14 ? sql`pg_catalog.format_type(mr.rngsubtype, null)` : sql`null`;
  const rows = await catalogQuery<{
    oid: string;
    schema: string;
    name: string;
    typtype: string;
    typcategory: string;
    typelem: string;
    is_array: boolean;
    typbasetype: string;
    typtypmod: number;
    typnotnull: boolean;
    range_subtype: string | null;
    from_extension: boolean;
  }>(
    ctx,
    sql`
      select t.oid::text as oid, n.nspname as schema, t.typname as name, t.typtype::text as typtype,
        t.typcategory::text as typcategory, t.typelem::text as typelem, ${isArray} as is_array,
        t.typbasetype::text as typbasetype, t.typtypmod, t.typnotnull,
        case when t.typtype = 'r' then pg_catalog.format_type(r.rngsubtype, null)
             when t.typtype = 'm' then ${multirangeSubtype} end as range_subtype,
        exists (select 1 from pg_catalog.pg_depend dep
                where dep.classid = 'pg_catalog.pg_type'::pg_catalog.regclass and dep.objid = t.oid and dep.deptype = 'e')
          as from_extension
      from pg_catalog.pg_type t
      join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      left join pg_catalog.pg_range r on r.rngtypid = t.oid
      ${multirangeJoin}`,
  );
  return new Map(
    rows.map((r) => [
      r.oid,
      {
        oid: r.oid,
        schema: r.schema,
        name: r.name,
        typtype: r.typtype,
        typcategory: r.typcategory,
        typelem: r.typelem,
        isArray: r.is_array,
        typbasetype: r.typbasetype,
        typtypmod: r.typtypmod,
        typnotnull: r.typnotnull,
        rangeSubtype: r.range_subtype,
        fromExtension: r.from_extension,
      },
    ]),
  );
}

/** Enum types of the introspected namespaces, values in `enumsortorder`. */
export async function readEnums(ctx: CatalogContext): Promise<Record<string, EnumType>> {
  const rows = await catalogQuery<{ schema: string; name: string; values: unknown }>(
    ctx,
    sql`
      select n.nspname as schema, t.typname as name,
        (select pg_catalog.json_agg(e.enumlabel order by e.enumsortorder) from pg_catalog.pg_enum e where e.enumtypid = t.oid)
          as values
      from pg_catalog.pg_type t
      join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      where t.typtype = 'e' and ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_type', 't.oid')}`,
  );
  const enums: Record<string, EnumType> = {};
  for (const r of rows.sort(byName((x) => keyOf(x.schema, x.name)))) {
    enums[keyOf(r.schema, r.name)] = { schema: r.schema, name: r.name, values: parseJson<string[]>(r.values, []) };
  }
  return enums;
}

/** Domains of the introspected namespaces, with their base type, NOT NULL, default and checks. */
export async function readDomains(ctx: CatalogContext, types: ReadonlyMap<string, PgTypeRow>): Promise<Record<string, DomainType>> {
  const rows = await catalogQuery<{
    oid: string;
    schema: string;
    name: string;
    base_oid: string;
    typmod: number;
    base_type: string;
    not_null: boolean;
    default: string | null;
    collation: string | null;
    checks: unknown;
  }>(
    ctx,
    sql`
      select t.oid::text as oid, n.nspname as schema, t.typname as name, t.typbasetype::text as base_oid,
        t.typtypmod as typmod, pg_catalog.format_type(t.typbasetype, t.typtypmod) as base_type,
        t.typnotnull as not_null, pg_catalog.pg_get_expr(t.typdefaultbin, 0, true) as default,
        case when t.typcollation <> 0 and t.typcollation <> bt.typcollation then
          (select case when cn.nspname = 'pg_catalog' then co.collname::text else cn.nspname || '.' || co.collname end
           from pg_catalog.pg_collation co join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
           where co.oid = t.typcollation) end as collation,
        (select pg_catalog.json_agg(pg_catalog.json_build_object(
                  'name', con.conname, 'expression', pg_catalog.pg_get_expr(con.conbin, 0, true),
                  'notValid', not con.convalidated) order by con.conname)
         from pg_catalog.pg_constraint con where con.contypid = t.oid and con.contype = 'c') as checks
      from pg_catalog.pg_type t
      join pg_catalog.pg_namespace n on n.oid = t.typnamespace
      join pg_catalog.pg_type bt on bt.oid = t.typbasetype
      where t.typtype = 'd' and ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_type', 't.oid')}`,
  );
  const domains: Record<string, DomainType> = {};
  const byOid = new Map(rows.map((r) => [r.oid, r]));
  const ownChecks = (r: (typeof rows)[number]): CheckConstraint[] =>
    parseJson<Array<{ name: string; expression: string; notValid: boolean }>>(r.checks, []).map((c): CheckConstraint => ({
      name: c.name,
      expression: c.expression,
      ...(c.notValid ? { notValid: true } : {}),
    }));
  for (const r of rows.sort(byName((x) => keyOf(x.schema, x.name)))) {
    const resolved = resolveType(types, r.base_oid, r.typmod);
    // A domain over a domain (PostgREST's `tsvector_not_empty` over `tsvector_not_null`) holds to its base's CHECKs and NOT NULL too.
    const checks = ownChecks(r);
    let notNull = r.not_null;
    const seen = new Set([r.oid]);
    for (let base = byOid.get(r.base_oid); base && !seen.has(base.oid); base = byOid.get(base.base_oid)) {
      seen.add(base.oid);
      checks.push(...ownChecks(base).filter((c) => !checks.some((o) => o.name === c.name && o.expression === c.expression)));
      notNull ||= base.not_null;
    }
    domains[keyOf(r.schema, r.name)] = {
      schema: r.schema,
      name: r.name,
      baseType: r.base_type,
      kind: resolved.kind,
      ...(resolved.length !== undefined ? { length: resolved.length } : {}),
      ...(resolved.precision !== undefined ? { precision: resolved.precision } : {}),
      ...(resolved.scale !== undefined ? { scale: resolved.scale } : {}),
      arrayDimensions: resolved.arrayDimensions,
      notNull,
      ...(r.default !== null ? { default: r.default } : {}),
      ...(r.collation !== null ? { collation: r.collation } : {}),
      checks,
    };
  }
  return domains;
}
