/**
 * One field of COPY's text format, read and written: what scrub's line path uses to
 * change a few fields of a row streamed out by `COPY … TO STDOUT` and send the row on to
 * `COPY … FROM STDIN` as it is otherwise. Workers import it through the cheap subpath
 * `@understudy/postgres/copy-fields` (no pg, PGlite or kysely).
 *
 * @example
 * ```ts
 * parseField('a\\tb'); // 'a\tb'
 * parseField('\\N');   // null
 * formatField('a\tb'); // 'a\\tb'
 * ```
 *
 * @internal A module scrub's workers load by specifier, not an API for users.
 */
import { copyEscape } from './postgres-copy-encoder.js';

const UNESCAPE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** A field of COPY text format, unescaped (`\N` is handled by the caller). */
export function copyUnescape(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return UNESCAPE[e] ?? e;
  });
}

/** The value of one COPY text field: `null` for `\N`, else the unescaped text. */
export function parseField(field: string): string | null {
  return field === '\\N' ? null : copyUnescape(field);
}

/** One value as a COPY text field: `\N` for null, else escaped. */
export function formatField(value: string | null): string {
  return value === null ? '\\N' : copyEscape(value);
}
