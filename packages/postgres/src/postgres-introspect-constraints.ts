/**
 * Reads keys, foreign keys, checks and indexes from pg_catalog.
 *
 * On a partition, only what was declared on the partition itself is listed:
 * constraints cloned from the partitioned parent (`conparentid <> 0`), checks
 * it inherits, and indexes attached to a parent's index are skipped, so a key
 * is described once, on the table that declares it. NOT NULL constraints
 * (catalog rows since PostgreSQL 18) are a column's `nullable`, not a check.
 * A PostgreSQL 18 `NOT ENFORCED` foreign key is reported as `virtual` (the
 * database does not check it, as with an ORM-only relation).
 *
 * @example
 * ```ts
 * const keys = await readConstraints(ctx);   // Map<table oid, { primaryKey, uniques, foreignKeys, checks }>
 * const indexes = await readIndexes(ctx);    // Map<table oid, { indexes, uniques }>
 * ```
 */
import type { CheckConstraint, ForeignKey, Index, PrimaryKey, ReferentialAction, UniqueKey } from '@understudy/core';
import { sql } from 'kysely';
import { catalogQuery, inNamespaces, keyOf, parseJson, type CatalogContext } from './postgres-catalog.js';

export interface TableConstraints {
  primaryKey?: PrimaryKey;
  readonly uniques: UniqueKey[];
  readonly foreignKeys: ForeignKey[];
  readonly checks: CheckConstraint[];
}

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  a: 'no action',
  r: 'restrict',
  c: 'cascade',
  n: 'set null',
  d: 'set default',
};
const MATCH: Readonly<Record<string, ForeignKey['match']>> = { s: 'simple', f: 'full', p: 'partial' };

function nullsNotDistinct(ctx: CatalogContext, alias: string): ReturnType<typeof sql> {
  return ctx.versionNum >= 150000 ? sql`${sql.ref(`${alias}.indnullsnotdistinct`)}` : sql`false`;
}

export async function readConstraints(ctx: CatalogContext): Promise<Map<string, TableConstraints>> {
  const rows = await catalogQuery<{
    table_oid: string;
    name: string;
    type: string;
    deferrable: boolean;
    deferred: boolean;
    validated: boolean;
    update_action: string;
    delete_action: string;
    match: string;
    columns: unknown;
    ref_schema: string | null;
    ref_table: string | null;
    ref_columns: unknown;
    check_expression: string | null;
    nulls_not_distinct: boolean | null;
    enforced: boolean;
  }>(
    ctx,
    sql`
      select con.conrelid::text as table_oid, con.conname as name, con.contype::text as type,
        con.condeferrable as deferrable, con.condeferred as deferred, con.convalidated as validated,
        con.confupdtype::text as update_action, con.confdeltype::text as delete_action, con.confmatchtype::text as match,
        (select pg_catalog.json_agg(a.attname order by k.ord)
         from unnest(con.conkey) with ordinality k(num, ord)
         join pg_catalog.pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num) as columns,
        rn.nspname as ref_schema, rc.relname as ref_table,
        (select pg_catalog.json_agg(a.attname order by k.ord)
         from unnest(con.confkey) with ordinality k(num, ord)
         join pg_catalog.pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num) as ref_columns,
        case when con.contype = 'c' then pg_catalog.pg_get_expr(con.conbin, con.conrelid, true) end as check_expression,
        ${nullsNotDistinct(ctx, 'i')} as nulls_not_distinct,
        ${ctx.versionNum >= 180000 ? sql`con.conenforced` : sql`true`} as enforced
      from pg_catalog.pg_constraint con
      join pg_catalog.pg_class c on c.oid = con.conrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_class rc on rc.oid = con.confrelid
      left join pg_catalog.pg_namespace rn on rn.oid = rc.relnamespace
      left join pg_catalog.pg_index i on con.contype = 'u' and i.indexrelid = con.conindid
      where con.contype in ('p', 'u', 'f', 'c') and c.relkind in ('r', 'p') and ${inNamespaces(ctx, 'n')}
        and con.conparentid = 0
        and (con.contype <> 'c' or con.conislocal or not c.relispartition)
      order by con.conrelid, con.conname`,
  );
  const byTable = new Map<string, TableConstraints>();
  const entry = (oid: string): TableConstraints => {
    let t = byTable.get(oid);
    if (!t) {
      t = { uniques: [], foreignKeys: [], checks: [] };
      byTable.set(oid, t);
    }
    return t;
  };
  for (const r of rows) {
    const t = entry(r.table_oid);
    const columns = parseJson<string[]>(r.columns, []);
    switch (r.type) {
      case 'p':
        t.primaryKey = { name: r.name, columns };
        break;
      case 'u':
        t.uniques.push({
          name: r.name,
          columns,
          origin: 'constraint',
          ...(r.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
          deferrable: r.deferrable,
        });
        break;
      case 'f':
        t.foreignKeys.push({
          name: r.name,
          columns,
          references: { table: keyOf(r.ref_schema ?? '', r.ref_table ?? ''), columns: parseJson<string[]>(r.ref_columns, []) },
          onDelete: ACTIONS[r.delete_action] ?? 'no action',
          onUpdate: ACTIONS[r.update_action] ?? 'no action',
          match: MATCH[r.match] ?? 'simple',
          deferrable: r.deferrable,
          initiallyDeferred: r.deferred,
          ...(r.validated ? {} : { notValid: true }),
          // PostgreSQL 18 `NOT ENFORCED`: declared, but the database does not check it.
          ...(r.enforced ? {} : { virtual: true }),
        });
        break;
      case 'c':
        t.checks.push({
          name: r.name,
          expression: r.check_expression ?? '',
          ...(columns.length > 0 ? { columns } : {}),
          ...(r.validated ? {} : { notValid: true }),
        });
        break;
      default:
        break;
    }
  }
  return byTable;
}

export interface TableIndexes {
  readonly indexes: Index[];
  /** Unique indexes that back no constraint (the model's `origin: 'index'` uniques). */
  readonly uniques: UniqueKey[];
}

export async function readIndexes(ctx: CatalogContext): Promise<Map<string, TableIndexes>> {
  const rows = await catalogQuery<{
    table_oid: string;
    name: string;
    unique: boolean;
    primary: boolean;
    method: string;
    predicate: string | null;
    definition: string;
    parts: unknown;
    backs_constraint: boolean;
    nulls_not_distinct: boolean | null;
    exclusion: unknown;
  }>(
    ctx,
    sql`
      select i.indrelid::text as table_oid, ic.relname as name, i.indisunique as unique, i.indisprimary as primary,
        am.amname as method, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) as predicate,
        pg_catalog.pg_get_indexdef(i.indexrelid) as definition,
        (select pg_catalog.json_agg(pg_catalog.json_build_object(
                  'column', a.attname,
                  'expression', case when a.attname is null then pg_catalog.pg_get_indexdef(i.indexrelid, k.k, true) end)
                order by k.k)
         from pg_catalog.generate_series(1, i.indnkeyatts::int) k(k)
         left join pg_catalog.pg_attribute a
           on i.indkey[k.k - 1] <> 0 and a.attrelid = i.indrelid and a.attnum = i.indkey[k.k - 1]) as parts,
        exists (select 1 from pg_catalog.pg_constraint con
                where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype in ('p', 'u', 'x'))
          as backs_constraint,
        ${nullsNotDistinct(ctx, 'i')} as nulls_not_distinct,
        (select pg_catalog.json_agg(op.oprname order by u.ord)
         from pg_catalog.pg_constraint con
         cross join lateral pg_catalog.unnest(con.conexclop) with ordinality u(opr, ord)
         join pg_catalog.pg_operator op on op.oid = u.opr
         where con.conindid = i.indexrelid and con.conrelid = i.indrelid and con.contype = 'x') as exclusion
      from pg_catalog.pg_index i
      join pg_catalog.pg_class ic on ic.oid = i.indexrelid
      join pg_catalog.pg_class c on c.oid = i.indrelid
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_am am on am.oid = ic.relam
      where c.relkind in ('r', 'p') and ${inNamespaces(ctx, 'n')}
        and not exists (select 1 from pg_catalog.pg_inherits inh where inh.inhrelid = i.indexrelid)
      order by i.indrelid, ic.relname`,
  );
  const byTable = new Map<string, TableIndexes>();
  for (const r of rows) {
    let t = byTable.get(r.table_oid);
    if (!t) {
      t = { indexes: [], uniques: [] };
      byTable.set(r.table_oid, t);
    }
    const parts = parseJson<Array<{ column: string | null; expression: string | null }>>(r.parts, []);
    const columns = parts.map((p) => p.column);
    const expressions = parts.filter((p) => p.column === null).map((p) => p.expression ?? '');
    const shape = {
      columns,
      ...(expressions.length > 0 ? { expressions } : {}),
    };
    t.indexes.push({
      name: r.name,
      ...shape,
      unique: r.unique,
      primary: r.primary,
      method: r.method,
      ...(r.predicate !== null ? { where: r.predicate } : {}),
      definition: r.definition,
      ...(r.exclusion !== null && r.exclusion !== undefined ? { exclusion: parseJson<string[]>(r.exclusion, []) } : {}),
    });
    if (r.unique && !r.primary && !r.backs_constraint) {
      t.uniques.push({
        name: r.name,
        ...shape,
        origin: 'index',
        ...(r.predicate !== null ? { where: r.predicate } : {}),
        ...(r.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
      });
    }
  }
  return byTable;
}
