/**
 * Reads tables (plain, partitioned, partitions) and their columns from pg_catalog.
 *
 * @example
 * ```ts
 * const tables = await readTables(ctx);                // [{ oid, schema, name, kind, … }]
 * const columns = await readColumns(ctx, types, owned); // Map<table oid, Column[]> in attnum order
 * ```
 */
import type { Column, Table } from '@understudy/core';
import { sql } from 'kysely';
import { catalogQuery, inNamespaces, keyOf, notExtensionMember, type CatalogContext } from './postgres-catalog.js';
import { classifyDefault } from './postgres-column-default.js';
import { resolveType, type PgTypeRow } from './postgres-type-kind.js';

/** A table row before its columns and constraints are attached. */
export interface TableHead {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: Table['kind'];
  readonly partitionOf?: string;
  readonly partitioning?: string;
  readonly comment?: string;
  readonly rowEstimate: number | null;
}

export async function readTables(ctx: CatalogContext): Promise<TableHead[]> {
  const rows = await catalogQuery<{
    oid: string;
    schema: string;
    name: string;
    relkind: string;
    is_partition: boolean;
    reltuples: number;
    partition_key: string | null;
    partition_bound: string | null;
    parent_schema: string | null;
    parent_name: string | null;
    comment: string | null;
  }>(
    ctx,
    sql`
      select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind,
        c.relispartition as is_partition, c.reltuples::float8 as reltuples,
        case when c.relkind = 'p' then pg_catalog.pg_get_partkeydef(c.oid) end as partition_key,
        case when c.relispartition then pg_catalog.pg_get_expr(c.relpartbound, c.oid, true) end as partition_bound,
        pn.nspname as parent_schema, pc.relname as parent_name,
        pg_catalog.obj_description(c.oid, 'pg_class') as comment
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_inherits i on c.relispartition and i.inhrelid = c.oid
      left join pg_catalog.pg_class pc on pc.oid = i.inhparent
      left join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
      where c.relkind in ('r', 'p') and ${inNamespaces(ctx, 'n')} and ${notExtensionMember('pg_class', 'c.oid')}`,
  );
  return rows.map((r): TableHead => {
    const partitioning = [r.partition_bound, r.partition_key ? `PARTITION BY ${r.partition_key}` : null].filter((p): p is string => p !== null).join(' ');
    return {
      oid: r.oid,
      schema: r.schema,
      name: r.name,
      // A partition that is itself partitioned is still loaded through its root: call it a partition.
      kind: r.is_partition ? 'partition' : r.relkind === 'p' ? 'partitioned' : 'table',
      ...(r.parent_schema !== null && r.parent_name !== null ? { partitionOf: keyOf(r.parent_schema, r.parent_name) } : {}),
      ...(partitioning ? { partitioning } : {}),
      ...(r.comment !== null ? { comment: r.comment } : {}),
      // reltuples is -1 until the table is first analysed (PostgreSQL 14+), and always -1 for a partitioned parent.
      rowEstimate: r.reltuples < 0 ? null : Math.round(r.reltuples),
    };
  });
}

/**
 * Columns of every introspected table, by table oid, in attnum order.
 * @param identitySequences `table oid:attnum` → qualified identity sequence (from pg_depend).
 */
export async function readColumns(ctx: CatalogContext, types: ReadonlyMap<string, PgTypeRow>, identitySequences: ReadonlyMap<string, string>): Promise<Map<string, Column[]>> {
  const rows = await catalogQuery<{
    table_oid: string;
    attnum: number;
    name: string;
    raw_type: string;
    type_oid: string;
    typmod: number;
    ndims: number;
    not_null: boolean;
    identity: string;
    generated: string;
    default_expr: string | null;
    default_sequence: string | null;
    comment: string | null;
    collation: string | null;
  }>(
    ctx,
    sql`
      select a.attrelid::text as table_oid, a.attnum, a.attname as name,
        pg_catalog.format_type(a.atttypid, a.atttypmod) as raw_type, a.atttypid::text as type_oid,
        a.atttypmod as typmod, a.attndims as ndims, a.attnotnull as not_null,
        a.attidentity::text as identity, a.attgenerated::text as generated,
        pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) as default_expr,
        (select sn.nspname || '.' || s.relname
         from pg_catalog.pg_depend dep
         join pg_catalog.pg_class s on s.oid = dep.refobjid and s.relkind = 'S'
         join pg_catalog.pg_namespace sn on sn.oid = s.relnamespace
         where dep.classid = 'pg_catalog.pg_attrdef'::pg_catalog.regclass and dep.objid = ad.oid
           and dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
         order by 1 limit 1) as default_sequence,
        pg_catalog.col_description(a.attrelid, a.attnum) as comment,
        case when a.attcollation <> 0 and a.attcollation <> t.typcollation then
          (select case when cn.nspname = 'pg_catalog' then co.collname::text else cn.nspname || '.' || co.collname end
           from pg_catalog.pg_collation co join pg_catalog.pg_namespace cn on cn.oid = co.collnamespace
           where co.oid = a.attcollation) end as collation
      from pg_catalog.pg_attribute a
      join pg_catalog.pg_class c on c.oid = a.attrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_type t on t.oid = a.atttypid
      left join pg_catalog.pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
      where c.relkind in ('r', 'p') and ${inNamespaces(ctx, 'n')} and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`,
  );
  const byTable = new Map<string, Column[]>();
  for (const r of rows) {
    const resolved = resolveType(types, r.type_oid, r.typmod, r.ndims);
    const column: Column = {
      name: r.name,
      rawType: r.raw_type,
      kind: resolved.kind,
      ...(resolved.length !== undefined ? { length: resolved.length } : {}),
      ...(resolved.precision !== undefined ? { precision: resolved.precision } : {}),
      ...(resolved.scale !== undefined ? { scale: resolved.scale } : {}),
      ...(resolved.fractionalSeconds !== undefined ? { fractionalSeconds: resolved.fractionalSeconds } : {}),
      arrayDimensions: resolved.arrayDimensions,
      ...(resolved.enum ? { enum: resolved.enum } : {}),
      ...(resolved.domain ? { domain: resolved.domain } : {}),
      ...(resolved.elementType ? { elementType: resolved.elementType } : {}),
      // A column of a NOT NULL domain cannot hold NULL either, whatever attnotnull says.
      nullable: !r.not_null && !resolved.domainNotNull,
      ...(r.collation !== null ? { collation: r.collation } : {}),
      ...(r.comment !== null ? { comment: r.comment } : {}),
      ...columnValueSource(r, identitySequences),
      ...(resolved.unsupported ? { unsupported: resolved.unsupported } : {}),
    };
    const list = byTable.get(r.table_oid);
    if (list) list.push(column);
    else byTable.set(r.table_oid, [column]);
  }
  return byTable;
}

/** The column's `default` or `generated` entry: identity, generated (stored or virtual), or a classified default. */
function columnValueSource(
  r: { table_oid: string; attnum: number; identity: string; generated: string; default_expr: string | null; default_sequence: string | null },
  identitySequences: ReadonlyMap<string, string>,
): Pick<Column, 'default' | 'generated'> {
  if (r.identity === 'a' || r.identity === 'd') {
    const sequence = identitySequences.get(`${r.table_oid}:${r.attnum}`);
    return {
      default: { kind: 'identity', generation: r.identity === 'a' ? 'always' : 'by-default', ...(sequence ? { sequence } : {}) },
    };
  }
  if ((r.generated === 's' || r.generated === 'v') && r.default_expr !== null) {
    return { generated: { expression: r.default_expr, stored: r.generated === 's' } };
  }
  if (r.default_expr === null) return {};
  return { default: classifyDefault(r.default_expr, r.default_sequence ?? undefined) };
}
