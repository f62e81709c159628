/**
 * A PostgreSQL data fingerprint (see `RehearsalTarget.fingerprint`): every table with
 * storage (`relkind 'r'`: plain tables and partitions, not partitioned parents, whose rows
 * are their partitions'), its primary key, and per column its type, non-NULL count, the
 * exact sum of each value's text hashed to 32 bits (`hashtext`, four times cheaper than md5 on PGlite), the longest text,
 * and its identity (table oid and attnum, which a rename keeps). Three queries:
 * the catalog; a cheap version of every table (row count, newest `xmin`); then one aggregate
 * per table joined with `union all`, only for the tables whose shape or version changed since
 * the `previous` fingerprint (most migrations touch a few tables of many).
 *
 * @example
 * ```ts
 * const f = await fingerprintPostgres(db);
 * f.tables['public.users']!.columns['email']!.content; // '-1234567890123'
 * ```
 */
import type { ColumnFingerprint, DataFingerprint, TableFingerprint } from '@understudy/core';
import { sql, type Kysely } from 'kysely';
import { quoteIdent } from './postgres-snapshot.js';

interface CatalogRow {
  readonly schema: string;
  readonly name: string;
  readonly oid: string;
  /** Name, type, attnum. */
  readonly columns: Array<[string, string, number]> | null;
  readonly key: string[] | null;
}

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * One table's aggregate: `rows;nonNull,content,maxLength;…` as one text. Built flat, with
 * `concat_ws` over chunks of columns (a function takes at most 100 arguments): a chain of `||`
 * over a wide table nests deep enough to break PGlite's parser.
 */
function tableSql(row: CatalogRow): string {
  const parts = (row.columns ?? []).map(([name]) => {
    const c = `x.${quoteIdent(name)}::text`;
    return `concat(count(${c}), ',', coalesce(sum(hashtext(${c})::bigint), 0), ',', max(length(${c})))`;
  });
  const chunks: string[] = [];
  for (let i = 0; i < parts.length; i += 50) chunks.push(`concat_ws(';', ${parts.slice(i, i + 50).join(', ')})`);
  const value = chunks.length === 0 ? 'count(*)::text' : `concat_ws(';', count(*), ${chunks.join(', ')})`;
  return `select ${literal(`${row.schema}.${row.name}`)} as t, ${value} as v from ${quoteIdent(row.schema)}.${quoteIdent(row.name)} x`;
}

/** The cheap per-table query: row count and the newest row version (any insert, update or delete changes one of them). */
function versionSql(row: CatalogRow): string {
  return `select ${literal(`${row.schema}.${row.name}`)} as t, count(*)::text || ',' || coalesce(max(x.xmin::text::bigint), 0)::text as v from ${quoteIdent(row.schema)}.${quoteIdent(row.name)} x`;
}

function sameShape(row: CatalogRow, known: TableFingerprint): boolean {
  const columns = row.columns ?? [];
  const names = Object.keys(known.columns);
  // The identity too: a column dropped and added again under its name (a constant default rewrites no row) is another column.
  return (
    columns.length === names.length &&
    columns.every(([name, type, attnum], i) => names[i] === name && known.columns[name]!.type === type && known.columns[name]!.identity === `${row.oid}:${attnum}`) &&
    (row.key ?? []).join('\u0000') === known.key.join('\u0000')
  );
}

async function textRows(db: Kysely<any>, queries: readonly string[]): Promise<Map<string, string>> {
  if (queries.length === 0) return new Map();
  const { rows } = await sql.raw<{ t: string; v: string }>(queries.join(' union all ')).execute(db);
  return new Map(rows.map((r) => [r.t, r.v]));
}

/**
 * See the file comment. With `previous`, a table with the same columns, types, key and version
 * (row count and newest `xmin`, one cheap query over every table) keeps its previous entry.
 */
export async function fingerprintPostgres(db: Kysely<any>, previous?: DataFingerprint): Promise<DataFingerprint> {
  const { rows: catalog } = await sql<CatalogRow>`
    select n.nspname as schema, c.relname as name, c.oid::text as oid,
      (select json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod), a.attnum) order by a.attnum)
         from pg_catalog.pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
      (select json_agg(a.attname order by k.ord)
         from pg_catalog.pg_index i cross join unnest(i.indkey) with ordinality k(attnum, ord)
         join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
         where i.indrelid = c.oid and i.indisprimary) as key
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
    order by 1, 2`.execute(db);
  const tables: Record<string, TableFingerprint> = {};
  const versions = await textRows(db, catalog.map(versionSql));
  const name = (row: CatalogRow): string => `${row.schema}.${row.name}`;
  const toRead = catalog.filter((row) => {
    const known = previous?.tables[name(row)];
    if (known && known.version === versions.get(name(row)) && sameShape(row, known)) {
      tables[name(row)] = known;
      return false;
    }
    return true;
  });
  const values = await textRows(db, toRead.map(tableSql));
  for (const row of toRead) {
    const key = name(row);
    const [count, ...parts] = (values.get(key) ?? '0').split(';');
    const columns: Record<string, ColumnFingerprint> = {};
    (row.columns ?? []).forEach(([column, type, attnum], i) => {
      const [nonNull, content, longest] = (parts[i] ?? '0,0,').split(',');
      columns[column] = { type, nonNull: Number(nonNull), content: content ?? '0', maxLength: longest ? Number(longest) : null, identity: `${row.oid}:${attnum}` };
    });
    const version = versions.get(key);
    tables[key] = { rows: Number(count), key: row.key ?? [], columns, ...(version !== undefined ? { version } : {}) };
  }
  return { tables };
}
