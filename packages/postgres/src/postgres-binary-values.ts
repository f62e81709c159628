/**
 * Generated values (PostgreSQL's text forms: `'2024-05-01 10:00:00+00'`,
 * `'12.50'`, `"'a':1 'b'"`) turned into what PostgreSQL's binary receive
 * functions read: days and microseconds since 2000-01-01, base-10000 numeric
 * digits, uuid bytes, tsvector entries. Pure functions, no I/O; a value they
 * cannot read throws a `BinaryValueError` saying what form was expected.
 *
 * @example
 * ```ts
 * pgDate('2000-01-02');                     // 1
 * pgTimestamp('2000-01-01 00:00:01+01', true); // -3_599_000_000
 * numericParts('-12.50');                   // { sign: 0x4000, weight: 0, dscale: 2, digits: [12, 5000] }
 * ```
 */

/** A value the binary encoder cannot read; the encoder adds the column's name. */
export class BinaryValueError extends Error {}

/** PostgreSQL's epoch (2000-01-01) in days since 1970-01-01. */
const PG_EPOCH_DAYS = 10_957;
const DATE_MAX = 2_147_483_647;
const DATE_MIN = -2_147_483_648;
/** `infinity` / `-infinity` of timestamp and timestamptz (int64 extremes). */
export const TIMESTAMP_INFINITY = 9_223_372_036_854_775_807n;
export const TIMESTAMP_MINUS_INFINITY = -9_223_372_036_854_775_808n;
const MICROS_PER_DAY = 86_400_000_000;
/** Microseconds since 2000 that a double holds exactly (2^53), with room for a day's microseconds. */
const SAFE_MICROS = 9_007_199_254_740_991 - MICROS_PER_DAY;

/** Days from 1970-01-01 to a proleptic Gregorian date (any year; Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A scanner over one value's text, reading the pieces of ISO dates and times. */
class Scan {
  i = 0;
  constructor(readonly s: string) {}

  get done(): boolean {
    return this.i >= this.s.length;
  }

  peek(): number {
    return this.s.charCodeAt(this.i);
  }

  /** 1 to `max` digits, at least `min`; NaN when there are fewer. */
  digits(min: number, max: number): number {
    let n = 0;
    let count = 0;
    while (count < max && this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c < 48 || c > 57) break;
      n = n * 10 + (c - 48);
      this.i++;
      count++;
    }
    return count >= min ? n : NaN;
  }

  take(code: number): boolean {
    if (this.s.charCodeAt(this.i) !== code) return false;
    this.i++;
    return true;
  }

  rest(): string {
    return this.s.slice(this.i);
  }
}

const fail = (value: string, expected: string): never => {
  throw new BinaryValueError(`${JSON.stringify(value)} is not ${expected}`);
};

/** Year, month, day of `YYYY-MM-DD` at the scanner (a year BC is handled by the caller). */
function scanDate(scan: Scan, value: string, expected: string): [number, number, number] {
  const year = scan.digits(1, 9);
  if (!scan.take(45)) fail(value, expected);
  const month = scan.digits(1, 2);
  if (!scan.take(45)) fail(value, expected);
  const day = scan.digits(1, 2);
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1)) fail(value, expected);
  return [year, month, day];
}

/** Microseconds of `HH:MM[:SS[.ffffff]]` at the scanner, fractions past 6 digits rounded. */
function scanTime(scan: Scan, value: string, expected: string): number {
  const hour = scan.digits(1, 2);
  if (!scan.take(58)) fail(value, expected);
  const minute = scan.digits(2, 2);
  let second = 0;
  let micros = 0;
  if (scan.take(58)) {
    second = scan.digits(2, 2);
    if (scan.take(46)) {
      let scale = 100_000;
      let any = false;
      while (!scan.done) {
        const c = scan.peek();
        if (c < 48 || c > 57) break;
        any = true;
        if (scale >= 1) micros += (c - 48) * scale;
        else if (scale === 0.1 && c >= 53) micros += 1; // the 7th digit rounds
        scale /= 10;
        scan.i++;
      }
      if (!any) fail(value, expected);
    }
  }
  if (!(hour <= 24 && minute <= 59 && second <= 60) || (hour === 24 && (minute > 0 || second > 0 || micros > 0))) fail(value, expected);
  return ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
}

/** Seconds east of UTC of a zone suffix (`Z`, `+HH`, `+HHMM`, `+HH:MM`, `+HH:MM:SS`), or undefined when there is none. */
function scanZone(scan: Scan, value: string, expected: string): number | undefined {
  if (scan.done) return undefined;
  if (scan.peek() === 32 && (scan.s.charCodeAt(scan.i + 1) === 43 || scan.s.charCodeAt(scan.i + 1) === 45)) scan.i++;
  if (scan.take(90) || scan.take(122)) return 0; // Z
  const sign = scan.take(43) ? 1 : scan.take(45) ? -1 : 0;
  if (sign === 0) return undefined;
  const hours = scan.digits(1, 2);
  let minutes = 0;
  let seconds = 0;
  const colon = scan.take(58);
  if (!scan.done && scan.peek() >= 48 && scan.peek() <= 57) {
    minutes = scan.digits(2, 2);
    if ((colon ? scan.take(58) : true) && !scan.done && scan.peek() >= 48 && scan.peek() <= 57) seconds = scan.digits(2, 2);
  }
  if (!(hours <= 15 && minutes <= 59 && seconds <= 59)) fail(value, expected);
  return sign * (hours * 3600 + minutes * 60 + seconds);
}

/** ` BC` (or ` AD`) at the end: the astronomical year of `year` then. */
function scanEra(scan: Scan, year: number): number {
  const rest = scan.rest();
  if (rest === ' BC' || rest === ' bc') {
    scan.i = scan.s.length;
    return 1 - year;
  }
  if (rest === ' AD' || rest === ' ad') scan.i = scan.s.length;
  return year;
}

/** The digit at `i`, or NaN (which makes every later comparison false). */
function digitAt(s: string, i: number): number {
  const x = s.charCodeAt(i) - 48;
  return x >= 0 && x <= 9 ? x : NaN;
}

/** Days since 2000 of `YYYY-MM-DD` at the start of `s`, or NaN when it is not one (the general path then decides). */
function fastDays(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const year = digitAt(s, 0) * 1000 + digitAt(s, 1) * 100 + digitAt(s, 2) * 10 + digitAt(s, 3);
  const month = digitAt(s, 5) * 10 + digitAt(s, 6);
  const day = digitAt(s, 8) * 10 + digitAt(s, 9);
  if (!(year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
  return daysFromCivil(year, month, day) - PG_EPOCH_DAYS;
}

/**
 * `YYYY-MM-DD HH:MM:SS[.f…f]` with up to 6 fraction digits and `Z`, `±HH` or `±HH:MM` or nothing after,
 * the form generators write, read without a scanner; undefined for anything else (the general path).
 */
function fastTimestamp(s: string, zoned: boolean): number | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const sep = s.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return undefined;
  const days = fastDays(s);
  const hour = digitAt(s, 11) * 10 + digitAt(s, 12);
  const minute = digitAt(s, 14) * 10 + digitAt(s, 15);
  const second = digitAt(s, 17) * 10 + digitAt(s, 18);
  if (!(hour <= 23 && minute <= 59 && second <= 59)) return undefined; // also NaN; 24:00 and leap seconds go the long way
  let i = 19;
  let micros = 0;
  if (i < n && s.charCodeAt(i) === 46) {
    i++;
    let scale = 100_000;
    const start = i;
    for (; i < n; i++) {
      const x = s.charCodeAt(i) - 48;
      if (x < 0 || x > 9) break;
      if (i - start >= 6) return undefined;
      micros += x * scale;
      scale /= 10;
    }
    if (i === start) return undefined;
  }
  let offset = 0;
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 90 && i + 1 === n) offset = 0;
    else if (c === 43 || c === 45) {
      const hours = digitAt(s, i + 1) * 10 + digitAt(s, i + 2);
      let minutes = 0;
      if (i + 6 === n && s.charCodeAt(i + 3) === 58) minutes = digitAt(s, i + 4) * 10 + digitAt(s, i + 5);
      else if (i + 3 !== n) return undefined;
      if (!(hours <= 15 && minutes <= 59)) return undefined;
      offset = (c === 43 ? 1 : -1) * (hours * 3600 + minutes * 60);
    } else return undefined;
  }
  const total = days * MICROS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros - (zoned ? offset * 1_000_000 : 0);
  return Math.abs(total) <= SAFE_MICROS ? total : undefined; // NaN days too
}

/**
 * A date (`YYYY-MM-DD`, ` BC`, `infinity`; a time after it is ignored, as PostgreSQL does) as days since 2000-01-01.
 * @example
 * ```ts
 * pgDate('1999-12-31'); // -1
 * ```
 */
export function pgDate(value: string): number {
  if (value.length === 10) {
    const days = fastDays(value);
    if (!Number.isNaN(days)) return days;
  }
  const expected = 'a date (YYYY-MM-DD)';
  if (value === 'infinity') return DATE_MAX;
  if (value === '-infinity') return DATE_MIN;
  const scan = new Scan(value);
  const [y, month, day] = scanDate(scan, value, expected);
  if (!scan.done && (scan.peek() === 32 || scan.peek() === 84) && scan.s.charCodeAt(scan.i + 1) >= 48 && scan.s.charCodeAt(scan.i + 1) <= 57) {
    scan.i++;
    scanTime(scan, value, expected);
    scanZone(scan, value, expected);
  }
  const year = scanEra(scan, y);
  if (!scan.done || day > daysInMonth(year, month)) fail(value, expected);
  const days = daysFromCivil(year, month, day) - PG_EPOCH_DAYS;
  if (days < -2_451_545 || days > 2_145_031_948) fail(value, 'a date PostgreSQL can hold (4713 BC to 5874897 AD)');
  return days;
}

/**
 * A timestamp as microseconds since 2000-01-01 (a number when a double holds it exactly, else a bigint).
 * `zoned` (timestamptz): an offset in the value is applied, and a value without one is UTC; a
 * timestamp without time zone ignores an offset, as PostgreSQL does.
 * @example
 * ```ts
 * pgTimestamp('2000-01-01 00:00:00.5', false); // 500000
 * pgTimestamp('2000-01-01T01:00:00+01:00', true); // 0
 * ```
 */
export function pgTimestamp(value: string, zoned: boolean): number | bigint {
  const fast = fastTimestamp(value, zoned);
  if (fast !== undefined) return fast;
  const expected = zoned ? 'a timestamp with time zone (YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]])' : 'a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff])';
  if (value === 'infinity') return TIMESTAMP_INFINITY;
  if (value === '-infinity') return TIMESTAMP_MINUS_INFINITY;
  const scan = new Scan(value);
  const [y, month, day] = scanDate(scan, value, expected);
  let micros = 0;
  let zone: number | undefined;
  if (scan.take(32) || scan.take(84) || scan.take(116)) {
    micros = scanTime(scan, value, expected);
    zone = scanZone(scan, value, expected);
  }
  const year = scanEra(scan, y);
  if (!scan.done || day > daysInMonth(year, month)) fail(value, expected);
  if (zoned && zone !== undefined) micros -= zone * 1_000_000;
  const days = daysFromCivil(year, month, day) - PG_EPOCH_DAYS;
  if (days < -2_451_545 || days > 106_741_034) fail(value, 'a timestamp PostgreSQL can hold (4713 BC to 294276 AD)');
  const total = days * MICROS_PER_DAY + micros;
  return Math.abs(total) <= SAFE_MICROS ? total : BigInt(days) * BigInt(MICROS_PER_DAY) + BigInt(micros);
}

/**
 * A time of day (`HH:MM[:SS[.ffffff]]`) as microseconds since midnight.
 * @example
 * ```ts
 * pgTime('00:00:01.25'); // 1250000
 * ```
 */
export function pgTime(value: string): number {
  const expected = 'a time (HH:MM:SS[.ffffff])';
  const scan = new Scan(value);
  const micros = scanTime(scan, value, expected);
  if (!scan.done) fail(value, expected);
  return micros;
}

/** What `numeric_recv` reads, before the digits. */
export interface NumericParts {
  readonly sign: number;
  readonly weight: number;
  readonly dscale: number;
  readonly digits: readonly number[];
}

const NUMERIC_POS = 0x0000;
const NUMERIC_NEG = 0x4000;
const NUMERIC_NAN = 0xc000;
const NUMERIC_PINF = 0xd000;
const NUMERIC_NINF = 0xf000;
const NUMERIC_SYNTAX = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/;

/**
 * A decimal (`'-12.50'`, `'1e3'`, `'NaN'`, `'Infinity'`) as PostgreSQL's numeric parts: base-10000
 * digits from `weight` down, and the display scale (digits after the point).
 * @example
 * ```ts
 * numericParts('10000.5'); // { sign: 0, weight: 1, dscale: 1, digits: [1, 0, 5000] }
 * ```
 */
export function numericParts(value: string): NumericParts {
  const m = NUMERIC_SYNTAX.exec(value);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) {
    const word = value.trim().toLowerCase();
    if (word === 'nan') return { sign: NUMERIC_NAN, weight: 0, dscale: 0, digits: [] };
    if (word === 'infinity' || word === '+infinity' || word === 'inf' || word === '+inf') return { sign: NUMERIC_PINF, weight: 0, dscale: 0, digits: [] };
    if (word === '-infinity' || word === '-inf') return { sign: NUMERIC_NINF, weight: 0, dscale: 0, digits: [] };
    return fail(value, 'a decimal number');
  }
  let whole = m[2]!;
  let fraction = m[3] ?? '';
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (Math.abs(exponent) > 1000) fail(value, 'a decimal number PostgreSQL can hold');
  if (exponent > 0) {
    const moved = fraction.padEnd(exponent, '0');
    whole += moved.slice(0, exponent);
    fraction = moved.slice(exponent);
  } else if (exponent < 0) {
    const padded = whole.padStart(-exponent, '0');
    fraction = padded.slice(padded.length + exponent) + fraction;
    whole = padded.slice(0, padded.length + exponent);
  }
  const dscale = fraction.length;
  whole = whole.replace(/^0+/, '');
  const wholeGroups = Math.ceil(whole.length / 4);
  const w = whole.padStart(wholeGroups * 4, '0');
  const f = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, '0');
  const all = w + f;
  const digits: number[] = [];
  for (let i = 0; i < all.length; i += 4) digits.push(Number(all.slice(i, i + 4)));
  let weight = wholeGroups - 1;
  let first = 0;
  while (first < digits.length && digits[first] === 0) {
    first++;
    weight--;
  }
  let last = digits.length;
  while (last > first && digits[last - 1] === 0) last--;
  if (first === last) return { sign: NUMERIC_POS, weight: 0, dscale, digits: [] };
  return { sign: m[1] === '-' ? NUMERIC_NEG : NUMERIC_POS, weight, dscale, digits: digits.slice(first, last) };
}

const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}

/**
 * The 16 bytes of a uuid (hex digits, hyphens anywhere between groups of four, braces optional), into `out` at `at`.
 * @example
 * ```ts
 * uuidBytes('00000000-0000-0000-0000-000000000001', buf, 0); // buf[15] === 1
 * ```
 */
export function uuidBytes(value: string, out: Uint8Array, at: number): void {
  let s = value;
  if (s.charCodeAt(0) === 123 && s.charCodeAt(s.length - 1) === 125) s = s.slice(1, -1);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 45 && n % 4 === 0 && n > 0 && n < 32) continue;
    const hi = c < 128 ? HEX_VALUE[c]! : -1;
    const c2 = s.charCodeAt(++i);
    const lo = c2 < 128 ? HEX_VALUE[c2]! : -1;
    if (hi < 0 || lo < 0 || n >= 32) fail(value, 'a uuid');
    out[at + n / 2] = (hi << 4) | lo;
    n += 2;
  }
  if (n !== 32) fail(value, 'a uuid');
}

/**
 * Bytes of a bytea given as text: `\x` + hex, or the text's own UTF-8 bytes (no backslash escapes).
 * @example
 * ```ts
 * byteaFromText('\\x00ff'); // Uint8Array [0, 255]
 * ```
 */
export function byteaFromText(value: string): Uint8Array {
  if (value.startsWith('\\x')) {
    const hex = value.slice(2).replace(/\s+/g, '');
    if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) fail(value, 'bytea hex (\\x…)');
    return Buffer.from(hex, 'hex');
  }
  if (value.includes('\\')) fail(value, 'bytea hex (\\x…) or text without backslashes');
  return Buffer.from(value, 'utf8');
}

/** One tsvector lexeme with its positions (weight in the top two bits, as `WordEntryPos`). */
export interface TsvectorEntry {
  readonly lexeme: string;
  readonly positions: number[];
}

const MAX_POSITION = 16_383;
const MAX_POSITIONS = 256;
/** Position weights; tsvector_in takes `*` as A too. */
const WEIGHTS: Record<string, number> = { a: 3, A: 3, '*': 3, b: 2, B: 2, c: 1, C: 1, d: 0, D: 0 };

/**
 * A tsvector in its text form (`'fat':2,4A cat:3 'it''s'`) as entries, read as `tsvector_in`'s
 * tokenizer reads it (a bare word may hold `'` and start with `:`; `'a'b` is two lexemes; a weight
 * letter may follow a position, `*` meaning A), equal lexemes merged and their positions made unique
 * as `uniqueentry`/`uniquePos` do. The receive function sorts the lexemes itself. (Non-ASCII white
 * space separates words in `tsvector_in` under some locales; here only ASCII white space does.)
 * @example
 * ```ts
 * tsvectorEntries("b:2 'a' b:1A"); // [{ lexeme: 'b', positions: [0xc001, 2] }, { lexeme: 'a', positions: [] }] (1A is 0xc001)
 * ```
 */
export function tsvectorEntries(value: string): TsvectorEntry[] {
  if (value.indexOf('\\') < 0 && value.indexOf(':') < 0 && value.indexOf("''") < 0) {
    const simple = simpleLexemes(value);
    if (simple) return simple;
  }
  const expected = "a tsvector ('lexeme':1A 'other')";
  const entries = new Map<string, number[]>();
  const s = value;
  const n = s.length;
  let i = 0;
  const space = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
  const digit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  for (;;) {
    while (i < n && space(s[i])) i++;
    if (i >= n) break;
    let lexeme = '';
    let positionsFollow = false;
    if (s[i] === "'") {
      // WAITENDCMPLX / WAITCHARCMPLX: '' is a quote, \x is x; the closing quote may be followed by :positions.
      i++;
      for (;;) {
        if (i >= n) fail(value, expected);
        const c = s[i]!;
        if (c === '\\') {
          if (i + 1 >= n) fail(value, expected);
          lexeme += s[i + 1];
          i += 2;
        } else if (c === "'") {
          if (s[i + 1] === "'") {
            lexeme += "'";
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          lexeme += c;
          i++;
        }
      }
      if (lexeme.length === 0) fail(value, `${expected} (an empty lexeme)`);
      if (s[i] === ':') {
        i++;
        positionsFollow = true;
      }
    } else {
      // WAITWORD / WAITENDWORD: anything but white space, \x is x; a ':' after the first character starts the positions.
      for (;;) {
        const c = s[i];
        if (c === undefined || space(c)) break;
        if (c === '\\') {
          if (i + 1 >= n) fail(value, expected);
          lexeme += s[i + 1];
          i += 2;
        } else if (c === ':' && lexeme.length > 0) {
          i++;
          positionsFollow = true;
          break;
        } else {
          lexeme += c;
          i++;
        }
      }
    }
    if (Buffer.byteLength(lexeme) > 2047) fail(value, `${expected} (a lexeme of at most 2047 bytes)`);
    const positions = entries.get(lexeme) ?? [];
    entries.set(lexeme, positions);
    if (!positionsFollow) continue;
    // INPOSINFO / WAITPOSDELIM: a number (atoi), then weight letters and further digits until ',' or white space.
    for (;;) {
      if (!digit(s[i])) fail(value, expected);
      let position = 0;
      while (digit(s[i])) {
        position = Math.min(position * 10 + (s.charCodeAt(i) - 48), 1e9);
        i++;
      }
      if (position === 0) fail(value, `${expected} (positions from 1)`);
      let weight = 0;
      let next = false;
      for (;;) {
        const c = s[i];
        if (c === undefined || space(c)) break;
        if (c === ',') {
          i++;
          next = true;
          break;
        }
        const w = WEIGHTS[c];
        if (w !== undefined) {
          if (weight !== 0) fail(value, expected);
          weight = w;
        } else if (!digit(c)) fail(value, expected);
        i++;
      }
      positions.push((weight << 14) | Math.min(position, MAX_POSITION));
      if (!next) break;
    }
  }
  const out: TsvectorEntry[] = [];
  for (const [lexeme, positions] of entries) out.push({ lexeme, positions: uniquePositions(positions) });
  return out;
}

const NO_POSITIONS: number[] = [];

/**
 * Lexemes without positions, escapes or doubled quotes (`'red' 'green' blue`, what generators write),
 * read by slicing; undefined when the general tokenizer must decide (an unclosed quote, `''`, a long lexeme).
 */
function simpleLexemes(s: string): TsvectorEntry[] | undefined {
  const out: TsvectorEntry[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) {
      i++;
      continue;
    }
    let end: number;
    let lexeme: string;
    if (c === 39) {
      end = s.indexOf("'", i + 1);
      if (end <= i + 1) return undefined;
      lexeme = s.slice(i + 1, end);
      i = end + 1;
    } else {
      end = i + 1;
      while (end < n) {
        const d = s.charCodeAt(end);
        if (d === 32 || (d >= 9 && d <= 13)) break;
        end++;
      }
      lexeme = s.slice(i, end);
      i = end;
    }
    if (lexeme.length > 682) return undefined; // may pass 2047 bytes: let the general path measure
    let repeated = false;
    for (let k = 0; k < out.length && !repeated; k++) repeated = out[k]!.lexeme === lexeme;
    if (!repeated) out.push({ lexeme, positions: NO_POSITIONS });
    if (out.length > 64) return undefined; // many lexemes: the general path merges them in linear time
  }
  return out;
}

/**
 * Positions sorted by position, one per position with the heaviest weight, at most 256, and none
 * after the last possible position (16383): `uniquePos`, whose sort keeps equal positions in
 * their order for the few a lexeme has (as this stable sort does).
 */
function uniquePositions(positions: number[]): number[] {
  if (positions.length <= 1) return positions;
  positions.sort((a, b) => (a & MAX_POSITION) - (b & MAX_POSITION));
  const out: number[] = [positions[0]!];
  for (let k = 1; k < positions.length; k++) {
    const p = positions[k]!;
    const last = out[out.length - 1]!;
    if ((p & MAX_POSITION) !== (last & MAX_POSITION)) {
      out.push(p);
      if (out.length >= MAX_POSITIONS || (p & MAX_POSITION) === MAX_POSITION) break;
    } else if (p >> 14 > last >> 14) out[out.length - 1] = (last & MAX_POSITION) | (p & ~MAX_POSITION);
  }
  return out;
}
