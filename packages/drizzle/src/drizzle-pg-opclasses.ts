/**
 * PostgreSQL's default operator classes, so an index drizzle declares with an
 * explicit default one (`drizzle-kit pull` writes `.op('uuid_ops')` on every
 * column) is spelled as `pg_get_indexdef` prints it: without it. Taken from
 * `pg_opclass` (`opcdefault`) of PostgreSQL 15 for btree, hash, gin, gist, brin and spgist.
 *
 * @example
 * ```ts
 * isDefaultOpclass('btree', 'uuid', 'uuid_ops');                       // true
 * isDefaultOpclass('btree', 'character varying(64)', 'text_ops');      // true
 * isDefaultOpclass('btree', 'text', 'text_pattern_ops');               // false
 * ```
 */

/** The name PostgreSQL's catalogs give a type (`int4` for `integer`), from its printed form. */
const INTERNAL: Record<string, string> = {
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  character: 'bpchar',
  'character varying': 'text',
  text: 'text',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'bit varying': 'varbit',
  polygon: 'poly',
};

const SIMPLE = new Set([
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'bool',
  'bpchar',
  'text',
  'timestamptz',
  'timestamp',
  'timetz',
  'time',
  'numeric',
  'date',
  'uuid',
  'bytea',
  'inet',
  'interval',
  'jsonb',
  'varbit',
  'bit',
  'money',
  'macaddr',
  'macaddr8',
  'oid',
  'name',
  'tsvector',
  'tsquery',
  'citext',
]);

function internalName(rawType: string): { name: string; array: boolean; range: boolean } {
  const array = rawType.endsWith('[]');
  const base = rawType
    .replace(/\[\]$/, '')
    .replace(/\(.*\)/, '')
    .replace(/^[a-z_]+\./, '')
    .trim();
  return { name: INTERNAL[base] ?? base, array, range: /range$/.test(base) };
}

/**
 * Whether `opclass` is what PostgreSQL uses anyway for an index of `method` on a
 * column of `rawType` (as the introspector prints it).
 *
 * @example
 * ```ts
 * isDefaultOpclass('gin', 'jsonb', 'jsonb_ops'); // true
 * ```
 */
export function isDefaultOpclass(method: string, rawType: string, opclass: string): boolean {
  const { name, array, range } = internalName(rawType);
  const m = method.toLowerCase();
  const enumType = /^"?[^"]*"?\."?[^"]*"?$/.test(rawType.replace(/\[\]$/, '')) && !SIMPLE.has(name);
  let expected: string | undefined;
  if (m === 'btree' || m === 'hash') {
    expected = array ? 'array_ops' : range ? 'range_ops' : enumType ? 'enum_ops' : SIMPLE.has(name) ? `${name}_ops` : undefined;
  } else if (m === 'gin') {
    expected = array ? 'array_ops' : name === 'jsonb' || name === 'tsvector' ? `${name}_ops` : undefined;
  } else if (m === 'gist') {
    expected = range ? 'range_ops' : ['tsvector', 'tsquery', 'box', 'point', 'poly', 'circle'].includes(name) ? `${name}_ops` : undefined;
  } else if (m === 'brin') {
    expected = name === 'inet' ? 'inet_inclusion_ops' : range ? 'range_inclusion_ops' : SIMPLE.has(name) ? `${name}_minmax_ops` : undefined;
  } else if (m === 'spgist') {
    expected = range ? 'range_ops' : name === 'point' ? 'quad_point_ops' : ['text', 'inet', 'box', 'poly'].includes(name) ? `${name}_ops` : undefined;
  }
  return expected === opclass.toLowerCase();
}
