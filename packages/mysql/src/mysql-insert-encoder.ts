/**
 * The MySQL/MariaDB INSERT encoder, for servers that refuse LOAD DATA LOCAL and
 * for `generate --format sql`. Workers import it through
 * `@understudy/mysql/insert-encoder`.
 *
 * Without `options.statement` each row becomes one line `(v1,v2,…)` of SQL
 * literals (escaped as mysql2's `escape` does, so a line never holds a raw
 * newline); the sink joins lines into `INSERT … VALUES` batches. With
 * `options.statement` (`INSERT INTO \`t\` (\`a\`) VALUES`) the encoder writes whole
 * statements of at most `rowsPerStatement` rows / ~`maxStatementBytes` bytes, one a line.
 *
 * @example
 * ```ts
 * const encode = createEncoder(columns, { statement: 'INSERT INTO `t` (`id`, `name`) VALUES' });
 * Buffer.from(encode([[1, "O'Hara"]])).toString(); // "INSERT INTO `t` (`id`, `name`) VALUES (1,'O\\'Hara');\n"
 * ```
 *
 * @internal An encoder module the worker pool loads by specifier, not an API for users.
 */
import type { EncoderColumn } from '@understudy/core';
import { HEX_KINDS, mysqlText } from './mysql-load-data-encoder.js';

type Row = readonly unknown[];

export interface InsertEncoderOptions {
  /** Write whole statements starting with this text; otherwise one `(…)` tuple a line. */
  readonly statement?: string;
  readonly rowsPerStatement?: number;
  readonly maxStatementBytes?: number;
  /** Values of binary columns are already hex text (see the LOAD DATA encoder's option). */
  readonly hexText?: boolean;
}

const ESCAPES: Record<string, string> = {
  '\0': '\\0',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\x1a': '\\Z',
  '"': '\\"',
  "'": "\\'",
  '\\': '\\\\',
};

/**
 * A MySQL string literal, escaped like mysql2's `escape`.
 * @example
 * ```ts
 * mysqlStringLiteral("it's\n"); // "'it\\'s\\n'"
 * ```
 */
export function mysqlStringLiteral(s: string): string {
  return `'${s.replace(/[\0\b\t\n\r\x1a"'\\]/g, (c) => ESCAPES[c]!)}'`;
}

function literalFor(column: EncoderColumn, hexText: boolean): (value: unknown) => string {
  const kind = column.kind;
  if (HEX_KINDS.has(kind)) {
    return (v) => {
      if (v === null || v === undefined) return 'NULL';
      if (hexText && typeof v === 'string') return v === '' ? "''" : `X'${v.replace(/[^0-9A-Fa-f]/g, '')}'`;
      const bytes = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(String(v), 'utf8');
      return bytes.length === 0 ? "''" : `X'${bytes.toString('hex')}'`;
    };
  }
  if (kind === 'bit') return (v) => (v === null || v === undefined ? 'NULL' : `b'${String(v)}'`);
  if (kind === 'spatial') return (v) => (v === null || v === undefined ? 'NULL' : `ST_GeomFromText(${mysqlStringLiteral(String(v))})`);
  return (v) => {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
    if (typeof v === 'boolean') return v ? '1' : '0';
    return mysqlStringLiteral(mysqlText(v, kind));
  };
}

/**
 * The encoder factory workers call (see the file comment for the two shapes).
 * @example
 * ```ts
 * createEncoder(columns, {})([[1, null]]); // bytes of "(1,NULL)\n"
 * ```
 */
export function createEncoder(columns: readonly EncoderColumn[], options?: unknown): (rows: readonly Row[]) => Uint8Array {
  const opts = (options ?? {}) as InsertEncoderOptions;
  const literals = columns.map((c) => literalFor(c, opts.hexText === true));
  const width = literals.length;
  const tuple = (row: Row): string => {
    let out = '(';
    for (let c = 0; c < width; c++) {
      if (c > 0) out += ',';
      out += literals[c]!(row[c]);
    }
    return out + ')';
  };
  if (!opts.statement) return (rows) => Buffer.from(rows.map((row) => `${tuple(row)}\n`).join(''), 'utf8');
  const statement = opts.statement;
  const perStatement = opts.rowsPerStatement ?? 1000;
  const maxBytes = opts.maxStatementBytes ?? 1_000_000;
  return (rows) => {
    let out = '';
    let current = '';
    let count = 0;
    for (const row of rows) {
      const t = tuple(row);
      if (count > 0 && (count >= perStatement || current.length + t.length > maxBytes)) {
        out += `${statement} ${current};\n`;
        current = '';
        count = 0;
      }
      current += count === 0 ? t : `,${t}`;
      count++;
    }
    if (count > 0) out += `${statement} ${current};\n`;
    return Buffer.from(out, 'utf8');
  };
}
