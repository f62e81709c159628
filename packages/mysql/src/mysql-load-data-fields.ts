/**
 * One field of the LOAD DATA text the MySQL/MariaDB sink loads (`FIELDS TERMINATED BY '\t'
 * ESCAPED BY '\\' LINES TERMINATED BY '\n'`), read and written: what scrub's line path uses
 * to change a few fields of the rows the MySQL reader's `lines` prints and send the rest
 * on as they are. Workers import it through the cheap subpath `@understudy/mysql/load-data-fields`.
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
import { loadDataEscape } from './mysql-load-data-encoder.js';

/** What LOAD DATA makes of `\x` (any other `\x` is `x`). */
const UNESCAPE: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/** The value of one LOAD DATA field: `null` for `\N`, else the unescaped text. */
export function parseField(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\([\s\S])/g, (_, e: string) => UNESCAPE[e] ?? e);
}

/** One value as a LOAD DATA field: `\N` for null, else escaped. */
export function formatField(value: string | null): string {
  return value === null ? '\\N' : loadDataEscape(value);
}
