/**
 * JSON Lines: one JSON object per row, keyed by column name, in column order,
 * `\n` after each. Numbers and booleans as JSON; strings (including decimals,
 * dates, times and json/jsonb column text, kept exact) as JSON strings; bytes
 * as base64 strings; arrays as JSON arrays; NULL as `null`.
 *
 * Workers import this module by specifier (`@understudy/generate/jsonl-encoder`).
 *
 * @example
 * ```ts
 * const encode = createEncoder([{ name: 'id', kind: 'integer', arrayDimensions: 0, rawType: 'integer' }]);
 * new TextDecoder().decode(encode([[1]])); // '{"id":1}\n'
 * ```
 *
 * @internal An encoder module the worker pool loads by specifier, not an API for users.
 */
import type { EncoderColumn } from '@understudy/core';
import type { GeneratedValue } from '../values.js';

function jsonValue(value: GeneratedValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(jsonValue);
  return Buffer.from((value as Uint8Array).buffer, (value as Uint8Array).byteOffset, (value as Uint8Array).byteLength).toString('base64');
}

/** See the module comment. */
export function createEncoder(columns: readonly EncoderColumn[], _options?: unknown): (rows: readonly (readonly GeneratedValue[])[]) => Uint8Array {
  const keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
  return (rows) => {
    let out = '';
    for (const row of rows) {
      out += '{';
      for (let k = 0; k < keys.length; k++) {
        if (k > 0) out += ',';
        out += keys[k]! + JSON.stringify(jsonValue(row[k] ?? null));
      }
      out += '}\n';
    }
    return Buffer.from(out, 'utf8');
  };
}
