/**
 * Text columns an index reads as a number (`CREATE INDEX … ON builds (repository_id,
 * ((number)::integer))`, `CAST(code AS bigint)`, MySQL's `CAST(code AS UNSIGNED)`): the
 * database casts every row's value when it builds the index, so a value that is not a
 * number of that type fails the load (`value "8591298769" is out of range for type
 * integer`, `invalid input syntax for type integer`). Such a column holds the digits
 * of a number the type takes, as the application that wrote it did.
 *
 * @example
 * ```ts
 * indexCasts(table); // Map { 'number' => { type: 'integer', digits: 9, index: 'index_builds_on_repository_id_and_number' } }
 * ```
 */
import type { Table } from '@understudy/core';

export interface IndexCast {
  /** The type it is cast to, as written (lower case). */
  readonly type: string;
  /** The most digits a value may have and still cast (the type's range, less one digit). */
  readonly digits: number;
  /** The index that casts it. */
  readonly index: string;
}

/** Number types → the most digits of a value every one of which fits. */
const DIGITS: Record<string, number> = {
  smallint: 4,
  int2: 4,
  integer: 9,
  int: 9,
  int4: 9,
  signed: 18,
  unsigned: 18,
  bigint: 18,
  int8: 18,
  numeric: 15,
  decimal: 15,
  real: 6,
  float4: 6,
  float: 15,
  float8: 15,
  'double precision': 15,
  double: 15,
};

const IDENT = String.raw`(?:"((?:[^"]|"")+)"|\x60((?:[^\x60]|\x60\x60)+)\x60|([A-Za-z_][A-Za-z0-9_$]*))`;
const TYPE = String.raw`(double\s+precision|[A-Za-z_][A-Za-z0-9_]*)`;
/** `(col)::integer`, `col::int`, `"col"::bigint`, `((col)::text)::integer` is not one (the inner cast is the column's). */
const SUFFIX_CAST = new RegExp(String.raw`(?:^|[^\w$."\x60])\(*${IDENT}\)*\s*::\s*${TYPE}`, 'gi');
/** `CAST(col AS integer)`, `CAST(col AS UNSIGNED INTEGER)`. */
const CAST_CALL = new RegExp(String.raw`\bcast\s*\(\s*\(*${IDENT}\)*\s+as\s+${TYPE}`, 'gi');

function stripStrings(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "''");
}

function casts(expression: string): Array<{ column: string; type: string }> {
  const text = stripStrings(expression);
  const out: Array<{ column: string; type: string }> = [];
  for (const pattern of [SUFFIX_CAST, CAST_CALL]) {
    for (const m of text.matchAll(pattern)) {
      const column = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2] !== undefined ? m[2].replace(/``/g, '`') : m[3]!;
      out.push({ column, type: m[4]!.toLowerCase().replace(/\s+/g, ' ') });
    }
  }
  return out;
}

const TEXT_KINDS = new Set(['char', 'varchar', 'text', 'citext']);

/** See the module comment: the table's text columns an index casts to a number type. */
export function indexCasts(table: Table): Map<string, IndexCast> {
  const found = new Map<string, IndexCast>();
  const textColumns = new Map(table.columns.filter((c) => TEXT_KINDS.has(c.kind) && c.arrayDimensions === 0).map((c) => [c.name, c]));
  if (textColumns.size === 0) return found;
  for (const index of table.indexes ?? []) {
    const expressions = [...(index.expressions ?? []), ...(index.where ? [index.where] : [])];
    for (const expression of expressions) {
      for (const { column, type } of casts(expression)) {
        const digits = DIGITS[type];
        const target = textColumns.get(column) ?? [...textColumns.values()].find((c) => c.name.toLowerCase() === column.toLowerCase());
        if (digits === undefined || !target) continue;
        const previous = found.get(target.name);
        if (!previous || digits < previous.digits) found.set(target.name, { type, digits, index: index.name });
      }
    }
  }
  return found;
}
