/**
 * Which columns a PostgreSQL load can send in COPY's binary format: the
 * catalog says each column's type, domains are followed to their base type,
 * and the base type's receive function decides the codec (`int4recv` →
 * `int4`, `array_recv` of `textrecv` → a text array with its element type's
 * OID). A type whose receive function has no codec here (interval, inet,
 * money, ranges, geometry, extension types) has none, and its table loads as
 * COPY text.
 *
 * @example
 * ```ts
 * const codecs = await readBinaryCodecs((sql, params) => driver.query(sql, params), tables);
 * codecs.get('public.film')?.get('title'); // 'text'
 * ```
 */
import type { Table } from '@understudy/core';
import type { BinaryCodec, BinaryScalarCodec } from './postgres-binary-copy-encoder.js';
import { qualifiedTable } from './postgres-load-sql.js';

/** The codec of each receive function whose binary format the encoder writes. */
const RECEIVE_CODECS: Readonly<Record<string, BinaryScalarCodec>> = {
  boolrecv: 'bool',
  int2recv: 'int2',
  int4recv: 'int4',
  int8recv: 'int8',
  float4recv: 'float4',
  float8recv: 'float8',
  numeric_recv: 'numeric',
  textrecv: 'text',
  varcharrecv: 'text',
  bpcharrecv: 'text',
  enum_recv: 'text',
  citextrecv: 'text',
  bytearecv: 'bytea',
  date_recv: 'date',
  timestamp_recv: 'timestamp',
  timestamptz_recv: 'timestamptz',
  time_recv: 'time',
  uuid_recv: 'uuid',
  json_recv: 'json',
  jsonb_recv: 'jsonb',
  tsvectorrecv: 'tsvector',
};

/** Every type the columns of `$1` (regclass names) use, and the types those are built on (domain bases, array elements). */
const TYPES_SQL = `
WITH RECURSIVE types(oid) AS (
  SELECT a.atttypid FROM pg_attribute a
  WHERE a.attrelid = ANY($1::text[]::regclass[]) AND a.attnum > 0 AND NOT a.attisdropped
  UNION
  SELECT v.x FROM types JOIN pg_type t ON t.oid = types.oid, LATERAL (VALUES (t.typbasetype), (t.typelem)) v(x)
  WHERE v.x <> 0
)
SELECT t.oid::int8 AS oid, t.typtype AS kind, t.typbasetype::int8 AS base, t.typelem::int8 AS elem, p.proname AS recv
FROM types JOIN pg_type t ON t.oid = types.oid LEFT JOIN pg_proc p ON p.oid = t.typreceive`;

const COLUMNS_SQL = `
SELECT n.nspname || '.' || c.relname AS key, a.attname AS name, a.atttypid::int8 AS type
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attrelid = ANY($1::text[]::regclass[]) AND a.attnum > 0 AND NOT a.attisdropped`;

interface TypeRow {
  readonly oid: string | number;
  readonly kind: string;
  readonly base: string | number;
  readonly elem: string | number;
  readonly recv: string | null;
}

/** The codec of type `oid`, or undefined when the encoder cannot write it. */
function codecOf(oid: number, types: ReadonlyMap<number, TypeRow>): BinaryCodec | undefined {
  const baseOf = (o: number): TypeRow | undefined => {
    let t = types.get(o);
    for (let depth = 0; t?.kind === 'd' && depth < 32; depth++) t = types.get(Number(t.base));
    return t;
  };
  const t = baseOf(oid);
  if (!t?.recv) return undefined;
  if (t.recv === 'array_recv') {
    const elementOid = Number(t.elem);
    const element = baseOf(elementOid);
    const codec = element?.recv ? RECEIVE_CODECS[element.recv] : undefined;
    return codec ? { array: codec, elementOid } : undefined;
  }
  return RECEIVE_CODECS[t.recv];
}

/**
 * For each table (by `schema.name` key), each column's binary codec, or undefined where it has none.
 * @example
 * ```ts
 * const codecs = await readBinaryCodecs(query, loadableTables(schema));
 * ```
 */
export async function readBinaryCodecs(
  query: (sql: string, params: readonly unknown[]) => Promise<unknown[]>,
  tables: readonly Pick<Table, 'schema' | 'name'>[],
): Promise<Map<string, Map<string, BinaryCodec | undefined>>> {
  const out = new Map<string, Map<string, BinaryCodec | undefined>>();
  if (tables.length === 0) return out;
  const names = tables.map(qualifiedTable);
  const types = new Map<number, TypeRow>();
  for (const row of (await query(TYPES_SQL, [names])) as TypeRow[]) types.set(Number(row.oid), row);
  for (const row of (await query(COLUMNS_SQL, [names])) as { key: string; name: string; type: string | number }[]) {
    let columns = out.get(row.key);
    if (!columns) out.set(row.key, (columns = new Map()));
    columns.set(row.name, codecOf(Number(row.type), types));
  }
  return out;
}
