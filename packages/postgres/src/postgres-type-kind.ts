/**
 * From a PostgreSQL type (as pg_type describes it) to the model's engine-independent
 * `ColumnKind`, plus what its type modifier says (length, precision, scale,
 * fractional seconds). Arrays, domains, enums, ranges and multiranges are unwrapped
 * here so columns and domains share one resolution.
 *
 * @example
 * ```ts
 * const types = new Map(rows.map((t) => [t.oid, t]));
 * resolveType(types, columnTypeOid, atttypmod);
 * // { kind: 'varchar', length: 50, arrayDimensions: 0, … }
 * ```
 */
import type { ColumnKind } from '@understudy/core';

/** One pg_type row, as the introspector reads it. */
export interface PgTypeRow {
  readonly oid: string;
  readonly schema: string;
  readonly name: string;
  /** b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  readonly typtype: string;
  readonly typcategory: string;
  /** Element type of an array type, `0` otherwise. */
  readonly typelem: string;
  /** True when this is a true array type (its subscript handler is `array_subscript_handler`). */
  readonly isArray: boolean;
  /** Base type of a domain, `0` otherwise. */
  readonly typbasetype: string;
  readonly typtypmod: number;
  /** A domain declared NOT NULL. */
  readonly typnotnull: boolean;
  /** For a range: its subtype printed by format_type; for a multirange: its range's subtype. */
  readonly rangeSubtype: string | null;
  /** True when the type belongs to an extension (citext, hstore, vector, …). */
  readonly fromExtension: boolean;
}

export interface ResolvedType {
  readonly kind: ColumnKind;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly fractionalSeconds?: number;
  readonly arrayDimensions: number;
  /** Qualified enum type name for `kind: 'enum'`. */
  readonly enum?: string;
  /** Qualified name of the outermost domain the type is declared with. */
  readonly domain?: string;
  readonly elementType?: string;
  readonly unsupported?: string;
  /** A domain the value itself is declared with (not an array element's) is NOT NULL. */
  readonly domainNotNull?: boolean;
}

/** Built-in pg_catalog type names and their kinds. */
const BUILTIN_KINDS: Readonly<Record<string, ColumnKind>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  numeric: 'decimal',
  float4: 'real',
  float8: 'double',
  money: 'money',
  bool: 'boolean',
  bpchar: 'char',
  char: 'char',
  varchar: 'varchar',
  text: 'text',
  name: 'text',
  bytea: 'blob',
  bit: 'bit',
  varbit: 'varbit',
  date: 'date',
  time: 'time',
  timetz: 'timetz',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  interval: 'interval',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'jsonb',
  xml: 'xml',
  inet: 'inet',
  cidr: 'cidr',
  macaddr: 'macaddr',
  macaddr8: 'macaddr8',
  tsvector: 'tsvector',
  tsquery: 'tsquery',
  point: 'geometric',
  line: 'geometric',
  lseg: 'geometric',
  box: 'geometric',
  path: 'geometric',
  polygon: 'geometric',
  circle: 'geometric',
  oid: 'oid',
  regclass: 'oid',
  regtype: 'oid',
  regproc: 'oid',
  regprocedure: 'oid',
  regoper: 'oid',
  regoperator: 'oid',
  regconfig: 'oid',
  regdictionary: 'oid',
  regnamespace: 'oid',
  regrole: 'oid',
  regcollation: 'oid',
};

/** Extension types known by name, wherever the extension was installed. */
const EXTENSION_KINDS: Readonly<Record<string, ColumnKind>> = {
  citext: 'citext',
  hstore: 'hstore',
  ltree: 'ltree',
  vector: 'vector',
  halfvec: 'vector',
  geometry: 'spatial',
  geography: 'spatial',
};

const VARHDRSZ = 4;
/** Interval typmods keep "full precision" in their low 16 bits when none was declared. */
const INTERVAL_FULL_PRECISION = 0xffff;

function qualified(t: PgTypeRow): string {
  return `${t.schema}.${t.name}`;
}

/** What a type modifier says, for a scalar (non-array, non-domain) type. */
function typmodFacets(name: string, typmod: number): Pick<ResolvedType, 'length' | 'precision' | 'scale' | 'fractionalSeconds'> {
  if (typmod < 0) return {};
  switch (name) {
    case 'bpchar':
    case 'varchar':
      return typmod >= VARHDRSZ ? { length: typmod - VARHDRSZ } : {};
    case 'bit':
    case 'varbit':
    case 'vector':
    case 'halfvec':
      return { length: typmod };
    case 'numeric': {
      const t = typmod - VARHDRSZ;
      const precision = (t >> 16) & 0xffff;
      // The scale is an 11-bit signed number (PostgreSQL 15 allows negative scales).
      const scale = ((t & 0x7ff) ^ 1024) - 1024;
      return { precision, scale };
    }
    case 'time':
    case 'timetz':
    case 'timestamp':
    case 'timestamptz':
      return { fractionalSeconds: typmod };
    case 'interval': {
      const precision = typmod & 0xffff;
      return precision === INTERVAL_FULL_PRECISION ? {} : { fractionalSeconds: precision };
    }
    default:
      return {};
  }
}

/**
 * Resolves a column's (or a domain's) type: strips arrays and domains, names the
 * enum, range subtype or domain, and decodes the type modifier.
 * @param declaredDims `attndims` of a column (often 0 even for arrays; at least 1 is used for an array type).
 * @example
 * ```ts
 * resolveType(types, '1043', 54); // { kind: 'varchar', length: 50, arrayDimensions: 0 }
 * ```
 */
export function resolveType(types: ReadonlyMap<string, PgTypeRow>, typeOid: string, typmod: number, declaredDims = 0): ResolvedType {
  let current = types.get(typeOid);
  let mod = typmod;
  let arrayDimensions = 0;
  let domain: string | undefined;
  let domainNotNull = false;
  // Unwrap arrays and domains (a domain over an array, an array of a domain) down to the scalar type.
  for (let guard = 0; current && guard < 16; guard++) {
    if (current.isArray && current.typelem !== '0') {
      arrayDimensions = Math.max(arrayDimensions + 1, declaredDims);
      current = types.get(current.typelem);
      continue;
    }
    if (current.typtype === 'd') {
      domain ??= qualified(current);
      if (current.typnotnull && arrayDimensions === 0) domainNotNull = true;
      if (mod < 0) mod = current.typtypmod;
      current = types.get(current.typbasetype);
      continue;
    }
    break;
  }
  const base = { arrayDimensions, ...(domain ? { domain } : {}), ...(domainNotNull ? { domainNotNull } : {}) };
  if (!current) return { ...base, kind: 'other', unsupported: `type oid ${typeOid} was not found in pg_type` };

  switch (current.typtype) {
    case 'e':
      return { ...base, kind: 'enum', enum: qualified(current) };
    case 'r':
      return { ...base, kind: 'range', ...(current.rangeSubtype ? { elementType: current.rangeSubtype } : {}) };
    case 'm':
      return { ...base, kind: 'multirange', ...(current.rangeSubtype ? { elementType: current.rangeSubtype } : {}) };
    case 'c':
      return { ...base, kind: 'other', unsupported: `composite type ${qualified(current)} has no generator` };
    default:
      break;
  }
  const builtin = current.schema === 'pg_catalog' ? BUILTIN_KINDS[current.name] : undefined;
  const fromExtension = current.fromExtension || current.schema !== 'pg_catalog' ? EXTENSION_KINDS[current.name] : undefined;
  const kind = builtin ?? fromExtension;
  if (kind) return { ...base, kind, ...typmodFacets(current.name, mod) };
  return {
    ...base,
    kind: 'other',
    unsupported: `type ${current.schema === 'pg_catalog' ? current.name : qualified(current)} has no generator`,
  };
}
