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
 *
 * @internal An encoder module the worker pool loads by specifier, not an API for users.
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

/**
 * A non-array value as the text PostgreSQL reads it (`t`/`f`, bytea `\\x…` hex, a Date in ISO form, objects as JSON), before COPY escaping.
 * @example
 * ```ts
 * scalarText(Buffer.from([1])); // '\\x01'
 * ```
 */
export function scalarText(value: unknown): string {
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

const BACKSLASH = 92;
const HEX = Array.from({ length: 256 }, (_, b) => [b >> 4, b & 15].map((n) => '0123456789abcdef'.charCodeAt(n)) as [number, number]);

/**
 * Writes COPY text straight into bytes: ASCII a byte per character, with the COPY
 * escapes inline; anything else through Buffer's UTF-8 writer. Reused between
 * calls (one per encoder), so a chunk costs one copy of its bytes.
 */
class CopyTextWriter {
  #buf = Buffer.allocUnsafe(1 << 16);
  #pos = 0;

  #room(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + bytes));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  byte(b: number): void {
    this.#room(1);
    this.#buf[this.#pos++] = b;
  }

  /** An integer, its digits written directly (32-bit range; others as `String(n)`). */
  integer(n: number): void {
    if (n >= 2147483648 || n <= -2147483648) {
      this.text(String(n));
      return;
    }
    this.#room(11);
    const buf = this.#buf;
    if (n < 0) {
      buf[this.#pos++] = 45;
      n = -n;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
    let at = this.#pos + digits;
    this.#pos = at;
    do {
      const q = (n / 10) | 0;
      buf[--at] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /**
   * A string, COPY-escaped (`\\`, `\t`, `\n`, `\r`); inside an array element (`quoted`), `"` and `\`
   * take the array's backslash first, which COPY then doubles.
   */
  text(s: string, quoted = false): void {
    const n = s.length;
    this.#room(n * 4);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 32 && c < 127 && c !== BACKSLASH && !(quoted && c === 34)) {
        buf[pos++] = c;
        continue;
      }
      if (c >= 128) {
        this.#pos = pos;
        this.#unicode(s, i, quoted);
        return;
      }
      pos = escape(buf, pos, c, quoted);
    }
    this.#pos = pos;
  }

  /** The rest of `s` from `i`, which holds non-ASCII characters: escaped as a string, then UTF-8. */
  #unicode(s: string, i: number, quoted: boolean): void {
    let rest = s.slice(i);
    if (quoted) rest = rest.replace(/["\\]/g, '\\$&');
    rest = copyEscape(rest);
    this.#room(rest.length * 3);
    this.#pos += this.#buf.write(rest, this.#pos, 'utf8');
  }

  /** bytea as `\\x<hex>` (the hex input's backslash doubled for COPY). */
  bytes(value: Uint8Array): void {
    this.#room(3 + value.length * 2);
    const buf = this.#buf;
    let pos = this.#pos;
    buf[pos++] = BACKSLASH;
    buf[pos++] = BACKSLASH;
    buf[pos++] = 120;
    for (let i = 0; i < value.length; i++) {
      const h = HEX[value[i]!]!;
      buf[pos++] = h[0];
      buf[pos++] = h[1];
    }
    this.#pos = pos;
  }

  /** The bytes written since the last take, as their own copy; the writer starts over. */
  take(): Uint8Array {
    const out = new Uint8Array(this.#pos);
    out.set(this.#buf.subarray(0, this.#pos));
    this.#pos = 0;
    return out;
  }
}

/** Writes the COPY escape of control character or backslash `c` (and `"` in an array element) at `pos`. */
function escape(buf: Buffer, pos: number, c: number, quoted: boolean): number {
  if (quoted && (c === 34 || c === BACKSLASH)) {
    // The array's own backslash, doubled for COPY; then the character (a backslash doubled again).
    buf[pos++] = BACKSLASH;
    buf[pos++] = BACKSLASH;
    if (c === BACKSLASH) buf[pos++] = BACKSLASH;
    buf[pos++] = c;
    return pos;
  }
  const letter = c === BACKSLASH ? BACKSLASH : c === 9 ? 116 : c === 10 ? 110 : c === 13 ? 114 : -1;
  if (letter < 0) {
    buf[pos++] = c; // other control characters are taken as they are
    return pos;
  }
  buf[pos++] = BACKSLASH;
  buf[pos++] = letter;
  return pos;
}

function writeScalar(w: CopyTextWriter, v: unknown): void {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) w.integer(v);
    else w.text(String(v));
  } else if (typeof v === 'string') w.text(v);
  else if (typeof v === 'boolean') w.byte(v ? 116 : 102);
  else if (v instanceof Uint8Array) w.bytes(v);
  else w.text(scalarText(v));
}

function writeArray(w: CopyTextWriter, values: readonly unknown[]): void {
  w.byte(123);
  for (let i = 0; i < values.length; i++) {
    if (i > 0) w.byte(44);
    const v = values[i];
    if (v === null || v === undefined) w.text('NULL');
    else if (Array.isArray(v)) writeArray(w, v);
    else if (typeof v === 'number' && Number.isInteger(v)) w.integer(v);
    else {
      const text = typeof v === 'string' ? v : scalarText(v);
      if (needsArrayQuote(text)) {
        w.byte(34);
        w.text(text, true);
        w.byte(34);
      } else w.text(text);
    }
  }
  w.byte(125);
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
  const w = new CopyTextWriter();
  return (rows) => {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (let c = 0; c < width; c++) {
        if (c > 0) w.byte(9);
        const v = row[c];
        if (v === null || v === undefined) {
          w.byte(BACKSLASH);
          w.byte(78);
        } else if (Array.isArray(v)) writeArray(w, v);
        else writeScalar(w, v);
      }
      w.byte(10);
    }
    return w.take();
  };
}
