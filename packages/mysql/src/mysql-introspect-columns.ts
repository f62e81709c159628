/**
 * One information_schema.COLUMNS row → one Schema `Column`: the kind for every
 * MySQL/MariaDB type, inline ENUM/SET values, defaults, ON UPDATE and generated
 * columns. Pure functions, so they are tested without a server.
 *
 * Decisions (the same DDL gives the same model on MySQL and on MariaDB):
 * - `DATETIME` → `timestamp` (no zone); `TIMESTAMP` → `timestamptz` (stored in UTC,
 *   shown in the session time zone, range 1970–2038).
 * - `TINYINT(1)` (what `BOOLEAN` becomes) → `boolean`; other TINYINTs → `tinyint`.
 * - `BIT(n)` → `bit` with `length: n`, also for n = 1.
 * - MariaDB's JSON is `LONGTEXT` with an automatic `CHECK (json_valid(col))`: the column
 *   is reported as kind `json` (rawType stays `longtext`), and the check stays in the
 *   table's `checks`, because it is a real constraint on the table.
 * - Literal defaults are the value itself, unquoted (`new`, `0`, `b'101'`): MariaDB quotes
 *   string defaults (`'new'`) and MySQL does not, both are reduced to the MySQL form.
 * - `CURRENT_TIMESTAMP`, `current_timestamp()`, `now()`, `CURRENT_TIMESTAMP(3)` are
 *   spelled `CURRENT_TIMESTAMP` / `CURRENT_TIMESTAMP(3)`, as defaults and in `onUpdate`.
 *
 * @example
 * ```ts
 * parseEnumValues("enum('a','it''s','x, y')"); // ['a', "it's", 'x, y']
 * ```
 */
import type { Column, ColumnDefault, ColumnKind } from '@understudy/core';
import { stripOuterParens } from './mysql-introspect-keys.js';
import { num, text, type ColumnRow } from './mysql-introspect-queries.js';

const SPATIAL_TYPES = new Set(['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection']);

const KINDS: Record<string, ColumnKind> = {
  tinyint: 'tinyint',
  smallint: 'smallint',
  mediumint: 'mediumint',
  int: 'integer',
  integer: 'integer',
  bigint: 'bigint',
  decimal: 'decimal',
  numeric: 'decimal',
  float: 'real',
  double: 'double',
  'double precision': 'double',
  real: 'double',
  bit: 'bit',
  bool: 'boolean',
  boolean: 'boolean',
  char: 'char',
  varchar: 'varchar',
  tinytext: 'text',
  text: 'text',
  mediumtext: 'text',
  longtext: 'text',
  binary: 'binary',
  varbinary: 'varbinary',
  tinyblob: 'blob',
  blob: 'blob',
  mediumblob: 'blob',
  longblob: 'blob',
  date: 'date',
  time: 'time',
  datetime: 'timestamp',
  timestamp: 'timestamptz',
  year: 'year',
  enum: 'enum',
  set: 'set',
  json: 'json',
  uuid: 'uuid',
  inet4: 'inet',
  inet6: 'inet',
  vector: 'vector',
};

const NUMERIC_KINDS = new Set<ColumnKind>(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real', 'double']);
const TEXT_KINDS = new Set<ColumnKind>(['char', 'varchar', 'text', 'enum', 'set', 'json']);
const LENGTH_KINDS = new Set<ColumnKind>(['char', 'varchar', 'text', 'binary', 'varbinary', 'blob']);

/** What a column's table says about it beyond COLUMNS: MariaDB's `json_valid` checks. */
export interface ColumnContext {
  /** The server is MariaDB (string defaults come quoted, `NULL` means "DEFAULT NULL"). */
  readonly mariadb: boolean;
  /** Column names that carry a `CHECK (json_valid(col))`: MariaDB's JSON columns. */
  readonly jsonValidColumns: ReadonlySet<string>;
}

/**
 * The kind of a column from its DATA_TYPE and COLUMN_TYPE.
 * @example
 * ```ts
 * columnKind('timestamp', 'timestamp(3)'); // 'timestamptz'
 * ```
 */
export function columnKind(dataType: string, columnType: string): ColumnKind {
  const type = dataType.toLowerCase();
  if (type === 'tinyint' && /^tinyint\(1\)(?!\s*unsigned)/i.test(columnType)) return 'boolean';
  if (SPATIAL_TYPES.has(type)) return 'spatial';
  return KINDS[type] ?? 'other';
}

/**
 * Reads a single-quoted SQL string starting at `text[start]` (which must be `'`), with
 * `''` and backslash escapes. Returns the value and the index just past the closing quote.
 */
export function readQuoted(source: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === "'") {
      if (source[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (ch === '\\' && i + 1 < source.length) {
      const next = source[i + 1]!;
      value += BACKSLASH_ESCAPES[next] ?? next;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return { value, end: i };
}

const BACKSLASH_ESCAPES: Record<string, string> = { '0': '\0', n: '\n', r: '\r', t: '\t', Z: '\x1a', b: '\b' };

/**
 * The values of `enum('a','b')` / `set('x','y')`, with `''` and `\\` escapes undone and commas kept.
 * @example
 * ```ts
 * parseEnumValues("set('gift','o''clock')"); // ['gift', "o'clock"]
 * ```
 */
export function parseEnumValues(columnType: string): string[] {
  const open = columnType.indexOf('(');
  const values: string[] = [];
  if (open === -1) return values;
  let i = open + 1;
  while (i < columnType.length) {
    const ch = columnType[i]!;
    if (ch === "'") {
      const { value, end } = readQuoted(columnType, i);
      values.push(value);
      i = end;
    } else if (ch === ')') {
      break;
    } else {
      i++;
    }
  }
  return values;
}

const TIMESTAMP_FUNCTION = /^(?:current_timestamp|now|localtime|localtimestamp)\s*(?:\(\s*(\d*)\s*\))?$/i;

/** `current_timestamp()`, `now()`, `CURRENT_TIMESTAMP(3)` → `CURRENT_TIMESTAMP` / `CURRENT_TIMESTAMP(3)`; others unchanged. */
export function normalizeTimestampExpression(expression: string): string {
  const match = TIMESTAMP_FUNCTION.exec(expression.trim());
  if (!match) return expression.trim();
  const precision = match[1];
  return precision ? `CURRENT_TIMESTAMP(${precision})` : 'CURRENT_TIMESTAMP';
}

/**
 * Classifies COLUMN_DEFAULT.
 * @example
 * ```ts
 * classifyDefault("'new'", '', true); // { kind: 'literal', value: 'new' } (MariaDB)
 * classifyDefault('new', '', false); // { kind: 'literal', value: 'new' } (MySQL)
 * ``` MariaDB (10.2.7+) spells a string default quoted (`'abc'`),
 * `NULL` for DEFAULT NULL and expressions bare; MySQL gives a string default raw and
 * marks expression defaults with `DEFAULT_GENERATED` in EXTRA.
 */
export function classifyDefault(raw: string | null, extra: string, mariadb: boolean, temporal = false): ColumnDefault | undefined {
  if (/\bauto_increment\b/i.test(extra)) return { kind: 'sequence', expression: 'auto_increment' };
  if (raw === null) return undefined;
  const value = raw.trim();
  if (mariadb) {
    if (value === 'NULL') return undefined;
    if (value.startsWith("'")) {
      const { value: unquoted, end } = readQuoted(value, 0);
      if (end === value.length) return { kind: 'literal', value: unquoted };
    }
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(value)) return { kind: 'literal', value };
    if (/^(b'[01]*'|x'[0-9a-f]*'|0x[0-9a-f]+)$/i.test(value)) return { kind: 'literal', value };
    const nextval = /^nextval\((.+)\)$/i.exec(value);
    if (nextval) return { kind: 'sequence', sequence: nextval[1]!.replace(/`/g, ''), expression: value };
    return { kind: 'expression', expression: normalizeTimestampExpression(value) };
  }
  if (/\bDEFAULT_GENERATED\b/i.test(extra) || (temporal && TIMESTAMP_FUNCTION.test(value))) {
    return { kind: 'expression', expression: normalizeTimestampExpression(raw) };
  }
  return { kind: 'literal', value: raw };
}

/** `on update current_timestamp()` in EXTRA → `CURRENT_TIMESTAMP`. */
export function parseOnUpdate(extra: string): string | undefined {
  const match = /\bon update\s+(\S+?(?:\(\s*\d*\s*\))?)(?:\s|$)/i.exec(extra);
  return match ? normalizeTimestampExpression(match[1]!) : undefined;
}

/** Turns a COLUMNS row into a model Column. */
export function buildColumn(row: ColumnRow, context: ColumnContext): Column {
  const name = text(row.column_name) ?? '';
  const dataType = (text(row.data_type) ?? '').toLowerCase();
  const rawType = text(row.column_type) ?? dataType;
  const extra = text(row.extra) ?? '';
  let kind = columnKind(dataType, rawType);
  if (kind === 'text' && dataType === 'longtext' && context.jsonValidColumns.has(name)) kind = 'json';

  const column: Column = {
    name,
    rawType,
    kind,
    arrayDimensions: 0,
    nullable: text(row.is_nullable) === 'YES',
  };
  const charLength = num(row.character_maximum_length);
  if (LENGTH_KINDS.has(kind) && charLength !== null) column.length = charLength;
  if (kind === 'bit') column.length = num(row.numeric_precision) ?? 1;
  if (kind === 'decimal') {
    column.precision = num(row.numeric_precision) ?? undefined;
    column.scale = num(row.numeric_scale) ?? undefined;
  }
  if (kind === 'real' || kind === 'double') {
    const declared = /\((\d+)\s*,\s*(\d+)\)/.exec(rawType);
    if (declared) {
      column.precision = Number(declared[1]);
      column.scale = Number(declared[2]);
    }
  }
  const fraction = num(row.datetime_precision);
  if ((kind === 'time' || kind === 'timestamp' || kind === 'timestamptz') && fraction !== null && fraction > 0) {
    column.fractionalSeconds = fraction;
  }
  if (kind === 'enum' || kind === 'set') column.values = parseEnumValues(rawType);
  if (NUMERIC_KINDS.has(kind)) column.unsigned = /\bunsigned\b/i.test(rawType);
  const charset = text(row.character_set_name);
  const collation = text(row.collation_name);
  if (TEXT_KINDS.has(kind) && charset) column.charset = charset;
  if (TEXT_KINDS.has(kind) && collation) column.collation = collation;
  const comment = text(row.column_comment);
  if (comment) column.comment = comment;

  const generationExpression = text(row.generation_expression);
  if (/\b(VIRTUAL|STORED|PERSISTENT)\b/i.test(extra) && generationExpression) {
    column.generated = { expression: stripOuterParens(generationExpression), stored: /\b(STORED|PERSISTENT)\b/i.test(extra) };
  } else {
    const temporal = kind === 'timestamp' || kind === 'timestamptz' || kind === 'date' || kind === 'time';
    const fallback = classifyDefault(text(row.column_default), extra, context.mariadb, temporal);
    if (fallback) column.default = fallback;
  }
  const onUpdate = parseOnUpdate(extra);
  if (onUpdate) column.onUpdate = onUpdate;
  if (kind === 'spatial') column.unsupported = 'spatial types are not generated yet';
  if (kind === 'other') column.unsupported = `type ${rawType} is not known to Understudy`;
  return column;
}
