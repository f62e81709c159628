/**
 * The MySQL/MariaDB LOAD DATA encoder: generated rows → the text of
 * `LOAD DATA LOCAL INFILE … FIELDS TERMINATED BY '\t' ESCAPED BY '\\' LINES TERMINATED BY '\n'`.
 * Workers import it through the cheap subpath `@understudy/mysql/load-data-encoder`.
 *
 * Per field: `\N` for NULL; `\\`, `\t`, `\n`, `\r`, `\0` escaped; booleans `1`/`0`;
 * binary columns as hex (the load statement runs `UNHEX(@v)`); bit columns as
 * `0101` (loaded with `CONV(@v, 2, 10)`); SET arrays comma-joined; the `+00` of
 * UTC timestamps dropped (the load runs with `time_zone = '+00:00'`).
 * `loadDataColumnsSql` (in mysql-load-sql.ts) writes the matching column list.
 *
 * @example
 * ```ts
 * const encode = createEncoder([{ name: 'id', kind: 'integer', arrayDimensions: 0, rawType: 'int' }], {});
 * Buffer.from(encode([[1], [null]])).toString(); // '1\n\\N\n'
 * ```
 *
 * @internal An encoder module the worker pool loads by specifier, not an API for users.
 */
import type { EncoderColumn } from '@understudy/core';

type Row = readonly unknown[];
type FieldEncoder = (value: unknown) => string;

/** Column kinds loaded as hex through `UNHEX(@v)`. */
export const HEX_KINDS: ReadonlySet<string> = new Set(['binary', 'varbinary', 'blob']);

function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c < 32) return true;
  }
  return false;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };

/**
 * Escapes one LOAD DATA field.
 * @example
 * ```ts
 * loadDataEscape('a\tb'); // 'a\\tb'
 * ```
 */
export function loadDataEscape(s: string): string {
  return needsEscape(s) ? s.replace(/[\\\t\n\r\0]/g, (c) => ESCAPES[c]!) : s;
}

/**
 * A value as MySQL text, before any escaping: booleans 1/0, SET arrays joined, `+00` dropped.
 * @example
 * ```ts
 * mysqlText('2024-01-02 03:04:05+00', 'timestamptz'); // '2024-01-02 03:04:05'
 * ```
 */
export function mysqlText(value: unknown, kind: string): string {
  switch (typeof value) {
    case 'string':
      return kind === 'timestamptz' || kind === 'timetz' ? value.replace(/[+-]00(:?00)?$/, '') : value;
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? '1' : '0';
    default:
      if (Array.isArray(value)) return value.map((v) => mysqlText(v, 'text')).join(',');
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1');
      if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
      return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
}

function toHex(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  return Buffer.from(String(value), 'utf8').toString('hex');
}

/** Encoder options (`RowEncoding.options`). */
export interface MysqlEncoderOptions {
  /** Values of binary columns are already hex text (a snapshot reader's `HEX(c)`, what scrub writes). */
  readonly hexText?: boolean;
}

function fieldEncoder(column: EncoderColumn, options: MysqlEncoderOptions): FieldEncoder {
  const kind = column.kind;
  if (HEX_KINDS.has(kind)) return (v) => (v === null || v === undefined ? '\\N' : options.hexText && typeof v === 'string' ? v : toHex(v));
  return (v) => {
    if (v === null || v === undefined) return '\\N';
    if (typeof v === 'number') return String(v);
    return loadDataEscape(mysqlText(v, kind));
  };
}

/**
 * One row as a line of LOAD DATA text, `\n` included (what `createEncoder` joins, and the MySQL
 * reader's `lines` prints).
 * @example
 * ```ts
 * createRowFormatter(target.columns, { hexText: true })(['1', null]); // '1\t\\N\n'
 * ```
 */
export function createRowFormatter(columns: readonly EncoderColumn[], options?: MysqlEncoderOptions): (row: Row) => string {
  const fields = columns.map((c) => fieldEncoder(c, options ?? {}));
  const width = fields.length;
  return (row) => {
    let out = '';
    for (let c = 0; c < width; c++) {
      if (c > 0) out += '\t';
      out += fields[c]!(row[c]);
    }
    return out + '\n';
  };
}

/**
 * The encoder factory workers call (see core's `RowEncoding`); also serves deferred-update rows.
 * @example
 * ```ts
 * const bytes = createEncoder(target.columns, {})(rows);
 * ```
 */
export function createEncoder(columns: readonly EncoderColumn[], options?: unknown): (rows: readonly Row[]) => Uint8Array {
  const line = createRowFormatter(columns, (options ?? {}) as MysqlEncoderOptions);
  return (rows) => {
    let out = '';
    for (let r = 0; r < rows.length; r++) out += line(rows[r]!);
    return Buffer.from(out, 'utf8');
  };
}
