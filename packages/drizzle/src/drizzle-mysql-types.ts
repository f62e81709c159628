/**
 * drizzle-kit's MySQL type text (`int`, `bigint unsigned`, `decimal(10,2)`, `boolean`,
 * `serial`, `enum('a','b')`) → the Schema column type fields, with `rawType` spelled
 * as MariaDB's information_schema `COLUMN_TYPE` prints it (`int(11)`,
 * `bigint(20) unsigned`, `tinyint(1)`, `decimal(10,0)`).
 *
 * @example
 * ```ts
 * mysqlColumnType('int'); // { rawType: 'int(11)', kind: 'integer', arrayDimensions: 0 }
 * ```
 */
import type { ColumnKind } from '@understudy/core';

export interface MySqlColumnType {
  rawType: string;
  kind: ColumnKind;
  length?: number;
  precision?: number;
  scale?: number;
  fractionalSeconds?: number;
  arrayDimensions: number;
  values?: string[];
  unsigned?: boolean;
  /** `serial`: BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE. */
  serial?: boolean;
}

const INTEGER_KINDS: Record<string, { kind: ColumnKind; signed: number; unsigned: number }> = {
  tinyint: { kind: 'tinyint', signed: 4, unsigned: 3 },
  smallint: { kind: 'smallint', signed: 6, unsigned: 5 },
  mediumint: { kind: 'mediumint', signed: 9, unsigned: 8 },
  int: { kind: 'integer', signed: 11, unsigned: 10 },
  integer: { kind: 'integer', signed: 11, unsigned: 10 },
  bigint: { kind: 'bigint', signed: 20, unsigned: 20 },
};

const PLAIN_KINDS: Record<string, ColumnKind> = {
  float: 'real',
  double: 'double',
  real: 'double',
  'double precision': 'double',
  text: 'text',
  tinytext: 'text',
  mediumtext: 'text',
  longtext: 'text',
  blob: 'blob',
  tinyblob: 'blob',
  mediumblob: 'blob',
  longblob: 'blob',
  json: 'json',
  date: 'date',
  datetime: 'timestamp',
  // TIMESTAMP is stored in UTC and shown in the session zone (as the MySQL introspector reads it).
  timestamp: 'timestamptz',
  time: 'time',
  year: 'year',
  geometry: 'spatial',
  point: 'spatial',
  linestring: 'spatial',
  polygon: 'spatial',
};

/**
 * The Schema type fields of a drizzle-kit MySQL column type.
 *
 * @example
 * ```ts
 * mysqlColumnType('bigint unsigned'); // { rawType: 'bigint(20) unsigned', kind: 'bigint', unsigned: true, … }
 * mysqlColumnType("enum('a','b')");   // { rawType: "enum('a','b')", kind: 'enum', values: ['a', 'b'], … }
 * ```
 */
export function mysqlColumnType(drizzleType: string): MySqlColumnType {
  const text = drizzleType.trim();
  const lower = text.toLowerCase();

  const enumMatch = /^(enum|set)\s*\((.*)\)$/is.exec(text);
  if (enumMatch) {
    const values = splitQuoted(enumMatch[2]!);
    const kind: ColumnKind = enumMatch[1]!.toLowerCase() === 'set' ? 'set' : 'enum';
    return { rawType: `${kind}(${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')})`, kind, values, arrayDimensions: 0 };
  }
  if (lower === 'serial') {
    return { rawType: 'bigint(20) unsigned', kind: 'bigint', unsigned: true, serial: true, arrayDimensions: 0 };
  }
  if (lower === 'boolean' || lower === 'bool') return { rawType: 'tinyint(1)', kind: 'boolean', arrayDimensions: 0 };

  const match = /^([a-z ]+?)\s*(?:\(([^)]*)\))?((?:\s+(?:unsigned|zerofill))*)$/.exec(lower);
  if (!match) return { rawType: text, kind: 'other', arrayDimensions: 0 };
  const base = match[1]!.trim();
  const args = match[2] === undefined ? [] : match[2].split(',').map((a) => Number(a.trim()));
  const unsigned = /unsigned/.test(match[3] ?? '');
  const sign = unsigned ? ' unsigned' : '';

  const integer = INTEGER_KINDS[base];
  if (integer) {
    const width = args[0] ?? (unsigned ? integer.unsigned : integer.signed);
    return {
      rawType: `${base === 'integer' ? 'int' : base}(${width})${sign}`,
      kind: integer.kind,
      ...(unsigned ? { unsigned } : {}),
      arrayDimensions: 0,
    };
  }
  if (base === 'decimal' || base === 'numeric' || base === 'dec' || base === 'fixed') {
    const precision = args[0] ?? 10;
    const scale = args[1] ?? 0;
    return {
      rawType: `decimal(${precision},${scale})${sign}`,
      kind: 'decimal',
      precision,
      scale,
      ...(unsigned ? { unsigned } : {}),
      arrayDimensions: 0,
    };
  }
  if (base === 'varchar' || base === 'char' || base === 'binary' || base === 'varbinary') {
    const kinds: Record<string, ColumnKind> = { varchar: 'varchar', char: 'char', binary: 'binary', varbinary: 'varbinary' };
    // CHAR and BINARY without a length are one long.
    const length = args[0] ?? (base === 'char' || base === 'binary' ? 1 : undefined);
    return {
      rawType: length === undefined ? base : `${base}(${length})`,
      kind: kinds[base]!,
      ...(length === undefined ? {} : { length }),
      arrayDimensions: 0,
    };
  }
  if (base === 'datetime' || base === 'timestamp' || base === 'time') {
    const fsp = args[0];
    return {
      rawType: fsp === undefined || fsp === 0 ? base : `${base}(${fsp})`,
      kind: PLAIN_KINDS[base]!,
      ...(fsp === undefined || fsp === 0 ? {} : { fractionalSeconds: fsp }),
      arrayDimensions: 0,
    };
  }
  if (base === 'year') return { rawType: 'year(4)', kind: 'year', arrayDimensions: 0 };
  if (base === 'bit') {
    const length = args[0] ?? 1;
    return { rawType: `bit(${length})`, kind: 'bit', length, arrayDimensions: 0 };
  }
  const kind = PLAIN_KINDS[base];
  if (kind === undefined) return { rawType: text, kind: 'other', arrayDimensions: 0 };
  const printed = base === 'real' || base === 'double precision' ? 'double' : base;
  const out: MySqlColumnType = {
    rawType: `${printed}${args.length > 0 ? `(${args.join(',')})` : ''}${sign}`,
    kind,
    ...(unsigned ? { unsigned } : {}),
    arrayDimensions: 0,
  };
  if ((kind === 'real' || kind === 'double') && args.length > 0) {
    out.precision = args[0]!;
    if (args[1] !== undefined) out.scale = args[1];
  }
  return out;
}

/** `'a','b''c'` → `['a', "b'c"]`. */
function splitQuoted(list: string): string[] {
  const values: string[] = [];
  const re = /'((?:[^']|'')*)'/g;
  for (let m = re.exec(list); m !== null; m = re.exec(list)) values.push(m[1]!.replace(/''/g, "'"));
  return values;
}
