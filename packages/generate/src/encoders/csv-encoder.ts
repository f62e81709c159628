/**
 * CSV (RFC 4180) rows: comma-separated, CRLF line ends, a field quoted with `"`
 * when it holds a comma, a quote, CR or LF, or is the empty string (`""`); a
 * NULL is an empty, unquoted field, so `\copy t from f csv header` reads NULL
 * and '' apart. Bytes are written as `\x` + hex (PostgreSQL bytea), arrays as
 * PostgreSQL array literals. The header row is written by the file sink, not here.
 *
 * Workers import this module by specifier (`@understudy/generate/csv-encoder`).
 *
 * @example
 * ```ts
 * const encode = createEncoder([{ name: 'id', kind: 'integer', arrayDimensions: 0, rawType: 'integer' }]);
 * new TextDecoder().decode(encode([[1], [null]])); // '1\r\n\r\n'
 * ```
 *
 * @internal An encoder module the worker pool loads by specifier, not an API for users.
 */
import type { EncoderColumn } from '@understudy/core';
import type { GeneratedValue } from '../values.js';
import { pgArrayLiteral, scalarText } from './text-values.js';

const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV field. */
export function csvField(value: GeneratedValue): string {
  if (value === null) return '';
  const text = Array.isArray(value) ? pgArrayLiteral(value) : scalarText(value as Exclude<GeneratedValue, null | readonly GeneratedValue[]>);
  if (text === '' || NEEDS_QUOTES.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** The CSV header line for these columns. */
export function csvHeader(columns: readonly { readonly name: string }[]): string {
  return `${columns.map((c) => csvField(c.name)).join(',')}\r\n`;
}

/** See the module comment. */
export function createEncoder(_columns: readonly EncoderColumn[], _options?: unknown): (rows: readonly (readonly GeneratedValue[])[]) => Uint8Array {
  return (rows) => {
    let out = '';
    for (const row of rows) {
      for (let k = 0; k < row.length; k++) {
        if (k > 0) out += ',';
        out += csvField(row[k]!);
      }
      out += '\r\n';
    }
    return Buffer.from(out, 'utf8');
  };
}
