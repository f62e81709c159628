/**
 * The PostgreSQL COPY text encoder: generated rows → the bytes of
 * `COPY … FROM STDIN` (text format). Workers import it through the cheap
 * subpath `@understudy/postgres/copy-encoder` (no pg, PGlite or kysely).
 *
 * Format: fields separated by tabs, rows ended by `\n`, `\N` for NULL, and
 * `\\`, `\t`, `\n`, `\r` escaped. Booleans are `t`/`f`, Buffers `\\x<hex>`
 * (bytea hex input, its backslash doubled for COPY), arrays PostgreSQL array
 * literals (`{a,"b c",NULL}`, nested for more dimensions).
 *
 * @example
 * ```ts
 * const encode = createEncoder([{ name: 'id', kind: 'integer', arrayDimensions: 0, rawType: 'integer' }], {});
 * Buffer.from(encode([[1], [null]])).toString(); // '1\n\\N\n'
 * ```
 */
import type { EncoderColumn } from '@understudy/core';

type Row = readonly unknown[];

/** True when `s` holds a character COPY text must escape (backslash or a control character). */
function needsCopyEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c < 32) return true;
  }
  return false;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Escapes one field for COPY text format (not NULL handling).
 * @example
 * ```ts
 * copyEscape('a\tb\\c'); // 'a\\tb\\\\c'
 * ```
 */
export function copyEscape(s: string): string {
  return needsCopyEscape(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : s;
}

/** True when an array element must be double-quoted in an array literal. */
function needsArrayQuote(s: string): boolean {
  if (s.length === 0) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // { } " , \ and whitespace (space, \t \n \v \f \r)
    if (c === 123 || c === 125 || c === 34 || c === 44 || c === 92 || c === 32 || (c >= 9 && c <= 13)) return true;
  }
  return s.length === 4 && s.toUpperCase() === 'NULL';
}

function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
      if (value instanceof Date) return value.toISOString();
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/**
 * A PostgreSQL array literal for a (possibly nested) JS array, before COPY escaping.
 * @example
 * ```ts
 * arrayLiteral(['a', null, 'b c', [] as never]); // '{a,NULL,"b c",{}}'
 * arrayLiteral([[1, 2], [3, 4]]);                // '{{1,2},{3,4}}'
 * ```
 */
export function arrayLiteral(values: readonly unknown[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (Array.isArray(v)) out += arrayLiteral(v);
    else {
      const text = scalarText(v);
      out += needsArrayQuote(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : text;
    }
  }
  return out + '}';
}

/**
 * The COPY text field for one value (`\N` for null/undefined).
 * @example
 * ```ts
 * copyField(true); // 't'
 * copyField(Buffer.from([0, 255])); // '\\\\x00ff'
 * ```
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  switch (typeof value) {
    case 'string':
      return needsCopyEscape(value) ? copyEscape(value) : value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (Array.isArray(value)) return copyEscape(arrayLiteral(value));
      return copyEscape(scalarText(value));
  }
}

/**
 * Encodes whole rows to COPY text; `rows` of `columns.length` values each.
 * @example
 * ```ts
 * encodeCopyRows([['a', null]]); // 'a\t\\N\n'
 * ```
 */
export function encodeCopyRows(rows: readonly Row[], width?: number): string {
  let out = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const n = width ?? row.length;
    for (let c = 0; c < n; c++) {
      if (c > 0) out += '\t';
      const v = row[c];
      // Fast paths for the common cases, inline.
      if (typeof v === 'number') out += String(v);
      else if (typeof v === 'string') out += needsCopyEscape(v) ? copyEscape(v) : v;
      else out += copyField(v);
    }
    out += '\n';
  }
  return out;
}

/**
 * The encoder factory workers call (see core's `RowEncoding`). The same encoder
 * serves deferred-update rows (key columns then set columns).
 * @example
 * ```ts
 * const encode = createEncoder(target.columns, {});
 * const bytes = encode(rows); // Uint8Array of COPY text
 * ```
 */
export function createEncoder(columns: readonly EncoderColumn[], _options?: unknown): (rows: readonly Row[]) => Uint8Array {
  const width = columns.length;
  return (rows) => Buffer.from(encodeCopyRows(rows, width), 'utf8');
}
