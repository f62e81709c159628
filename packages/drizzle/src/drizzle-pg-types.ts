/**
 * drizzle-kit's PostgreSQL type text (`varchar(50)`, `timestamp (3) with time zone`,
 * `numeric(10, 2)`, `serial`, `text[]`) → the Schema column type fields, with
 * `rawType` spelled as PostgreSQL's `format_type()` prints it
 * (`character varying(50)`, `timestamp(3) with time zone`, `numeric(10,2)`, `integer`).
 *
 * @example
 * ```ts
 * pgColumnType('varchar(50)'); // { rawType: 'character varying(50)', kind: 'varchar', length: 50, arrayDimensions: 0 }
 * ```
 */
import type { ColumnKind } from '@understudy/core';

export interface PgColumnType {
  rawType: string;
  kind: ColumnKind;
  length?: number;
  precision?: number;
  scale?: number;
  fractionalSeconds?: number;
  arrayDimensions: number;
  /** Qualified enum type name, for enum columns. */
  enum?: string;
  /** Set for `serial`, `bigserial`, `smallserial`: the column owns a sequence. */
  serial?: boolean;
  unsupported?: string;
}

/** Base type names (after the modifiers are removed) → kind. */
const KINDS: Record<string, ColumnKind> = {
  smallint: 'smallint',
  int2: 'smallint',
  smallserial: 'smallint',
  integer: 'integer',
  int: 'integer',
  int4: 'integer',
  serial: 'integer',
  bigint: 'bigint',
  int8: 'bigint',
  bigserial: 'bigint',
  numeric: 'decimal',
  decimal: 'decimal',
  real: 'real',
  float4: 'real',
  'double precision': 'double',
  float8: 'double',
  money: 'money',
  boolean: 'boolean',
  bool: 'boolean',
  character: 'char',
  char: 'char',
  bpchar: 'char',
  'character varying': 'varchar',
  varchar: 'varchar',
  text: 'text',
  citext: 'citext',
  bytea: 'blob',
  bit: 'bit',
  'bit varying': 'varbit',
  varbit: 'varbit',
  date: 'date',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  xml: 'xml',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  macaddr8: 'macaddr8',
  point: 'geometric',
  line: 'geometric',
  lseg: 'geometric',
  box: 'geometric',
  path: 'geometric',
  polygon: 'geometric',
  circle: 'geometric',
  geometry: 'spatial',
  geography: 'spatial',
  tsvector: 'tsvector',
  tsquery: 'tsquery',
  vector: 'vector',
  halfvec: 'vector',
  sparsevec: 'vector',
  hstore: 'hstore',
  ltree: 'ltree',
  oid: 'oid',
  int4range: 'range',
  int8range: 'range',
  numrange: 'range',
  tsrange: 'range',
  tstzrange: 'range',
  daterange: 'range',
  int4multirange: 'multirange',
  int8multirange: 'multirange',
  nummultirange: 'multirange',
  tsmultirange: 'multirange',
  tstzmultirange: 'multirange',
  datemultirange: 'multirange',
};

/** How `serial` pseudo-types are stored. */
const SERIAL_TYPES: Record<string, string> = { serial: 'integer', bigserial: 'bigint', smallserial: 'smallint' };

/** Spellings PostgreSQL prints differently from how drizzle writes them. */
const CANONICAL: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  bool: 'boolean',
  float4: 'real',
  float8: 'double precision',
  varchar: 'character varying',
  char: 'character',
  bpchar: 'character',
  varbit: 'bit varying',
  decimal: 'numeric',
};

/**
 * The Schema type fields of a drizzle-kit PostgreSQL column type.
 *
 * @param enumSchema the column's `typeSchema`: set when the type is a pgEnum.
 * @example
 * ```ts
 * pgColumnType('numeric(10, 2)'); // { rawType: 'numeric(10,2)', kind: 'decimal', precision: 10, scale: 2, … }
 * pgColumnType('order_status', 'public'); // { rawType: 'public.order_status', kind: 'enum', enum: 'public.order_status', … }
 * ```
 */
export function pgColumnType(drizzleType: string, enumSchema?: string): PgColumnType {
  let text = drizzleType.trim();
  let arrayDimensions = 0;
  while (/\[\d*\]$/.test(text)) {
    text = text.replace(/\[\d*\]$/, '');
    arrayDimensions++;
  }
  // format_type prints one `[]` whatever the dimensions; the dimensions are in `arrayDimensions`.
  const suffix = arrayDimensions > 0 ? '[]' : '';

  if (enumSchema !== undefined) {
    const name = unquote(text);
    return {
      // Schema-qualified, as the introspector prints it (it reads with search_path = pg_catalog).
      rawType: `${quoteIdent(enumSchema)}.${quoteIdent(name)}${suffix}`,
      kind: 'enum',
      enum: `${enumSchema}.${name}`,
      arrayDimensions,
    };
  }

  const lower = text.toLowerCase().replace(/\s+/g, ' ');
  const time = /^(time|timestamp)(?:\s*\((\d+)\))?(?: (with|without) time zone)?$/.exec(lower);
  if (time) {
    const [, base, digits, zone] = time;
    const tz = zone === 'with' ? 'with' : 'without';
    const fractionalSeconds = digits === undefined ? undefined : Number(digits);
    const precision = fractionalSeconds === undefined ? '' : `(${fractionalSeconds})`;
    const kind: ColumnKind = base === 'time' ? (tz === 'with' ? 'timetz' : 'time') : tz === 'with' ? 'timestamptz' : 'timestamp';
    return {
      rawType: `${base}${precision} ${tz} time zone${suffix}`,
      kind,
      ...(fractionalSeconds === undefined ? {} : { fractionalSeconds }),
      arrayDimensions,
    };
  }
  if (lower === 'timestamptz' || lower === 'timetz') {
    const kind: ColumnKind = lower === 'timetz' ? 'timetz' : 'timestamptz';
    return { rawType: `${lower === 'timetz' ? 'time' : 'timestamp'} with time zone${suffix}`, kind, arrayDimensions };
  }
  const interval = /^interval((?: [a-z]+(?: to [a-z]+)?)?)\s*(?:\((\d+)\))?$/.exec(lower);
  if (interval) {
    const fractionalSeconds = interval[2] === undefined ? undefined : Number(interval[2]);
    return {
      rawType: `interval${interval[1] ?? ''}${fractionalSeconds === undefined ? '' : `(${fractionalSeconds})`}${suffix}`,
      kind: 'interval',
      ...(fractionalSeconds === undefined ? {} : { fractionalSeconds }),
      arrayDimensions,
    };
  }

  const modified = /^([a-z_][a-z0-9_ ]*?)\s*\(([^)]*)\)$/.exec(lower);
  const base = modified ? modified[1]! : lower;
  const args = modified ? modified[2]!.split(',').map((a) => a.trim()) : [];
  const serialBase = SERIAL_TYPES[base];
  const printedBase = serialBase ?? CANONICAL[base] ?? base;
  const kind = KINDS[base] ?? KINDS[printedBase];

  if (kind === undefined) {
    // An extension or custom type drizzle does not know: keep the text as written.
    return { rawType: `${text}${suffix}`, kind: 'other', arrayDimensions };
  }
  const out: PgColumnType = { rawType: printedBase, kind, arrayDimensions };
  if (serialBase !== undefined) out.serial = true;
  const numbers = args.map(Number);
  if (kind === 'decimal') {
    if (args.length > 0 && Number.isInteger(numbers[0])) {
      out.precision = numbers[0]!;
      out.scale = Number.isInteger(numbers[1]) ? numbers[1]! : 0;
      out.rawType = `numeric(${out.precision},${out.scale})`;
    }
  } else if (kind === 'char' || kind === 'varchar' || kind === 'bit' || kind === 'varbit') {
    if (args.length > 0 && Number.isInteger(numbers[0])) out.length = numbers[0]!;
    // `char` and `bit` without a length are one character / bit long.
    else if (kind === 'char' || kind === 'bit') out.length = 1;
    if (out.length !== undefined) out.rawType = `${printedBase}(${out.length})`;
  } else if (kind === 'vector') {
    if (args.length > 0 && Number.isInteger(numbers[0])) {
      out.length = numbers[0]!;
      out.rawType = `${printedBase}(${out.length})`;
    }
  } else if (args.length > 0) {
    // geometry(point) and other modifiers: keep them as written.
    out.rawType = `${printedBase}(${args.join(',')})`;
  }
  out.rawType += suffix;
  return out;
}

/** `"Order Status"` → `Order Status`. */
function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/** Quotes an identifier the way PostgreSQL's `quote_ident` does: only when it must. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** The reserved words `quote_ident` quotes (the common ones). */
const RESERVED = new Set([
  'all',
  'analyse',
  'analyze',
  'and',
  'any',
  'array',
  'as',
  'asc',
  'asymmetric',
  'both',
  'case',
  'cast',
  'check',
  'collate',
  'column',
  'constraint',
  'create',
  'current_catalog',
  'current_date',
  'current_role',
  'current_time',
  'current_timestamp',
  'current_user',
  'default',
  'deferrable',
  'desc',
  'distinct',
  'do',
  'else',
  'end',
  'except',
  'false',
  'fetch',
  'for',
  'foreign',
  'from',
  'grant',
  'group',
  'having',
  'in',
  'initially',
  'intersect',
  'into',
  'lateral',
  'leading',
  'limit',
  'localtime',
  'localtimestamp',
  'not',
  'null',
  'offset',
  'on',
  'only',
  'or',
  'order',
  'placing',
  'primary',
  'references',
  'returning',
  'select',
  'session_user',
  'some',
  'symmetric',
  'system_user',
  'table',
  'then',
  'to',
  'trailing',
  'true',
  'union',
  'unique',
  'user',
  'using',
  'variadic',
  'when',
  'where',
  'window',
  'with',
]);
