/**
 * Text forms of generated values shared by the file encoders: PostgreSQL's
 * array literal and bytea hex form, so a CSV file loads with `\copy … csv`.
 *
 * @example
 * ```ts
 * pgArrayLiteral(['a', null, 'b c']); // '{"a",NULL,"b c"}'
 * byteaHex(Buffer.from([1, 255]));    // '\\x01ff'
 * ```
 */
import type { GeneratedValue } from '../values.js';

/** `\x` followed by lower-case hex (PostgreSQL's bytea hex input). */
export function byteaHex(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

/** A scalar as text: booleans `true`/`false`, numbers in JavaScript's shortest form, bytes as `\x…`. */
export function scalarText(value: Exclude<GeneratedValue, null | readonly GeneratedValue[]>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return byteaHex(value);
}

/** A (possibly nested) array as a PostgreSQL array literal; every element quoted, NULL unquoted. */
export function pgArrayLiteral(values: readonly GeneratedValue[]): string {
  const parts = values.map((v): string => {
    if (v === null) return 'NULL';
    if (Array.isArray(v)) return pgArrayLiteral(v);
    const text = scalarText(v as Exclude<GeneratedValue, null | readonly GeneratedValue[]>);
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${parts.join(',')}}`;
}
