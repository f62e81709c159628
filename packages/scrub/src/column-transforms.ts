/**
 * One column's transform, compiled from its policy rule and its type into a
 * function of the value's text (`null` for NULL). Values travel as text from the
 * source's reader to the sink's encoder, so a transform never depends on a driver.
 *
 * @example
 * ```ts
 * const f = compileColumnTransform({ transform: 'fake:email' }, column, context);
 * f('alice@corp.com', row); // 'marlon.kuhn41@example.net'
 * ```
 */
import { HASH_MIN_LENGTH, UsageError, type Column, type ColumnRule, type FakeKind, type Transform } from '@understudy/core';
import { daysFromCivil, formatDate } from '@understudy/generate';
import { FAKE_MIN_LENGTH, scrambleShape, type FakeFn } from './fakes.js';
import { mapArrayLiteral } from './array-literal.js';
import { KeyedStream, keyedHex } from './keyed-prf.js';
import { integerRange } from './int-permutation.js';
import { mergeBounds, type NumericBounds } from './numeric-bounds.js';
import type { ScrubKey } from './scrub-key.js';

/**
 * The text of a value (null: NULL), the row's entity (for per-entity transforms) and, for a
 * transform that reads other columns of the row (`ScrubTablePlan.contextColumns`), the row's source values.
 */
export type ValueTransform = (value: string, entity: string, row?: readonly (string | null)[]) => string | null;

export interface TransformContext {
  readonly key: ScrubKey;
  readonly fake: FakeFn;
  readonly text: (value: string) => string;
  /** `schema.table.column`, for messages. */
  readonly where: string;
  /** For `generate`: the seed's value for the row (see createGeneratedValues). */
  readonly generated?: ValueTransform;
  /** For `noise`: the bounds the column's CHECKs put on it. */
  readonly bounds?: NumericBounds;
  /** For `noise`: the bounds that other columns of the row put on it (`CHECK (lo < hi)`). */
  readonly rowBounds?: (entity: string, row: readonly (string | null)[] | undefined) => NumericBounds;
}

export const TEXT_KINDS = new Set(['char', 'varchar', 'text', 'citext']);
const INTEGER_KINDS = new Set(['tinyint', 'smallint', 'mediumint', 'integer', 'bigint']);
const NUMBER_KINDS = new Set([...INTEGER_KINDS, 'decimal', 'real', 'double', 'money']);
const DATE_KINDS = new Set(['date', 'timestamp', 'timestamptz']);
const JSON_KINDS = new Set(['json', 'jsonb']);
const BYTE_KINDS = new Set(['binary', 'varbinary', 'blob']);

/** Transforms whose output is a pure function of the value (no per-row entity). */
const ALLOWED_KINDS: Partial<Record<string, (kind: string) => boolean>> = {
  redact: (k) => TEXT_KINDS.has(k),
  hash: (k) => TEXT_KINDS.has(k) || INTEGER_KINDS.has(k) || k === 'uuid' || BYTE_KINDS.has(k), // on a uuid or an integer: the keys' permutation (scrub-plan); bytes: keyed bytes
  mask: (k) => TEXT_KINDS.has(k),
  text: (k) => TEXT_KINDS.has(k),
  json: (k) => JSON_KINDS.has(k) || TEXT_KINDS.has(k),
  noise: (k) => NUMBER_KINDS.has(k),
  'shift-date': (k) => DATE_KINDS.has(k),
};

const FAKE_KINDS_OF_TYPE: Partial<Record<string, ReadonlySet<string>>> = {
  inet: new Set(['ip-address']),
  cidr: new Set(['ip-address']),
  macaddr: new Set(['mac-address']),
};

function fit(value: string, column: Pick<Column, 'length' | 'kind'>): string {
  return column.length !== undefined && TEXT_KINDS.has(column.kind) ? value.slice(0, column.length) : value;
}

/** ±`days`: a keyed offset in whole days for an entity, never 0. */
function dayOffset(subkey: Buffer, entity: string, days: number): number {
  const n = new KeyedStream(subkey, entity).below(2 * days) - days;
  return n >= 0 ? n + 1 : n;
}

/** The last entity's offset: a row's date columns come one after another and share it (one keyed draw per row). */
const lastOffset = { subkey: undefined as Buffer | undefined, entity: '', offset: 0 };

function rowDayOffset(subkey: Buffer, entity: string): number {
  if (lastOffset.subkey !== subkey || lastOffset.entity !== entity) {
    lastOffset.subkey = subkey;
    lastOffset.entity = entity;
    lastOffset.offset = dayOffset(subkey, entity, 180);
  }
  return lastOffset.offset;
}

/** Years 1 to 9999: what a shift may reach. */
const MIN_DAY = daysFromCivil(1, 1, 1);
const MAX_DAY = daysFromCivil(9999, 12, 31);

const digitAt = (text: string, i: number): number => text.charCodeAt(i) - 48;

/** 2000-01-01, where PostgreSQL's binary dates and timestamps count from, in `daysFromCivil`'s days. */
const DAY_2000 = daysFromCivil(2000, 1, 1);

/**
 * `shiftDate` on a day counted from 2000-01-01 (a binary date, a timestamp's day): the shifted day,
 * or undefined where `shiftDate` keeps the value (the day or the result outside years 1–9999).
 */
export function shiftDay(day: number, offsetDays: number): number | undefined {
  const civil = day + DAY_2000;
  if (civil < MIN_DAY || civil > MAX_DAY || civil + offsetDays < MIN_DAY || civil + offsetDays > MAX_DAY) return undefined;
  return day + offsetDays;
}

/**
 * A date or timestamp's text moved by whole days; the time and zone after the date are kept.
 * Text that does not start with `YYYY-MM-DD` (infinity, BC dates) and results outside years
 * 1–9999 are kept as they are.
 * @example
 * ```ts
 * shiftDate('2024-02-28 10:00:00+00', 2); // '2024-03-01 10:00:00+00'
 * ```
 */
export function shiftDate(text: string, offsetDays: number): string {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.endsWith(' BC')) return text;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = digitAt(text, i);
    if (d < 0 || d > 9) return text;
    year = year * 10 + d;
  }
  const [m1, m2, d1, d2] = [digitAt(text, 5), digitAt(text, 6), digitAt(text, 8), digitAt(text, 9)];
  if (!(m1 >= 0 && m1 <= 1 && m2 >= 0 && m2 <= 9 && d1 >= 0 && d1 <= 3 && d2 >= 0 && d2 <= 9)) return text;
  const [month, day] = [m1 * 10 + m2, d1 * 10 + d2];
  if (month < 1 || month > 12 || day < 1) return text; // MySQL's zero dates and zero parts
  const shifted = daysFromCivil(year, month, day) + offsetDays;
  if (shifted < MIN_DAY || shifted > MAX_DAY) return text;
  return formatDate(shifted) + text.slice(10);
}

/** The allowed values of a number column in units of its scale (integers: units of 1), as [lo, hi]. */
function unitRange(column: Pick<Column, 'kind' | 'precision' | 'scale' | 'unsigned'>, scale: number, bounds: NumericBounds): [number, number] {
  const m = 10 ** scale;
  let lo = -Infinity;
  let hi = Infinity;
  const range = integerRange(column.kind, column.unsigned);
  if (range) [lo, hi] = [Number(range.min), Number(range.max)];
  if (column.precision !== undefined && !range) [lo, hi] = [Math.max(lo, 1 - 10 ** column.precision), Math.min(hi, 10 ** column.precision - 1)];
  if (bounds.min) {
    const u = bounds.min.value * m;
    lo = Math.max(lo, Number.isInteger(u) && bounds.min.exclusive ? u + 1 : Math.ceil(u));
  }
  if (bounds.max) {
    const u = bounds.max.value * m;
    hi = Math.min(hi, Number.isInteger(u) && bounds.max.exclusive ? u - 1 : Math.floor(u));
  }
  return [lo, hi];
}

/** Whether a float is inside the CHECK bounds. */
function withinBounds(x: number, bounds: NumericBounds): boolean {
  const { min, max } = bounds;
  return !(min && (min.exclusive ? x <= min.value : x < min.value)) && !(max && (max.exclusive ? x >= max.value : x > max.value));
}

/**
 * ± `relative` of the value, keeping its sign, the type's range, precision and scale, and the
 * column's CHECK bounds: a value drawn uniformly among those allowed within the relative band
 * (the value itself when nothing else is).
 */
function noise(text: string, relative: number, stream: KeyedStream, column: Pick<Column, 'kind' | 'precision' | 'scale' | 'unsigned'>, bounds: NumericBounds): string {
  const v = Number(text);
  if (!Number.isFinite(v)) return text;
  let lo = v - Math.abs(v) * relative;
  let hi = v + Math.abs(v) * relative;
  if (v >= 0) lo = Math.max(lo, 0);
  else hi = Math.min(hi, 0);
  const f = stream.fraction();
  if (bounds.values) {
    const inBand = bounds.values.filter((x) => x >= lo && x <= hi);
    return inBand.length === 0 ? text : String(inBand[Math.floor(f * inBand.length)]);
  }
  const integer = INTEGER_KINDS.has(column.kind);
  const scale = integer ? 0 : (column.scale ?? (column.kind === 'decimal' || column.kind === 'money' ? 2 : undefined));
  if (scale === undefined) {
    if (bounds.min) lo = Math.max(lo, bounds.min.value);
    if (bounds.max) hi = Math.min(hi, bounds.max.value);
    // The band holds nothing allowed (another column's bound): the allowed value nearest the source's.
    const out = lo <= hi ? lo + f * (hi - lo) : Math.min(Math.max(v, bounds.min?.value ?? v), bounds.max?.value ?? v);
    return withinBounds(out, bounds) ? String(out) : text;
  }
  const m = 10 ** scale;
  const [minU, maxU] = unitRange(column, scale, bounds);
  if (minU > maxU) return text;
  const loU = Math.max(minU, Math.ceil(lo * m - 1e-6));
  const hiU = Math.min(maxU, Math.floor(hi * m + 1e-6));
  const u = loU <= hiU ? loU + Math.floor(f * (hiU - loU + 1)) : Math.min(maxU, Math.max(minU, Math.round(v * m)));
  return integer ? String(u) : (u / m).toFixed(scale);
}

function mask(text: string, keepFirst: number, keepLast: number): string {
  const chars = [...text];
  return chars.map((c, i) => (i < keepFirst || i >= chars.length - keepLast || !/[\p{L}\p{N}]/u.test(c) ? c : '*')).join('');
}

function jsonPath(path: string): (string | '*')[] {
  const segments: (string | '*')[] = [];
  const re = /\.([^.[\]]+)|\[\*\]|\[(\d+)\]|\["([^"]+)"\]/g;
  let m: RegExpExecArray | null;
  let at = 1;
  while ((m = re.exec(path)) !== null) {
    if (m.index !== at) break;
    segments.push(m[1] ?? m[2] ?? m[3] ?? '*');
    at = re.lastIndex;
  }
  return segments;
}

function applyAtPath(doc: unknown, segments: readonly (string | '*')[], f: (leaf: unknown) => unknown): unknown {
  if (segments.length === 0) return f(doc);
  const [head, ...rest] = segments;
  if (Array.isArray(doc)) {
    if (head === '*') return doc.map((x) => applyAtPath(x, rest, f));
    const i = Number(head);
    return Number.isInteger(i) && i < doc.length ? doc.map((x, j) => (j === i ? applyAtPath(x, rest, f) : x)) : doc;
  }
  if (doc !== null && typeof doc === 'object') {
    const record = doc as Record<string, unknown>;
    if (head === '*') return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, applyAtPath(v, rest, f)]));
    if (!(head! in record)) return doc;
    return { ...record, [head!]: applyAtPath(record[head!], rest, f) };
  }
  return doc;
}

/**
 * The scalar leaves of a JSON document at a policy path (`$.items[*].phone`), as text: what a `json`
 * rule rewrites there.
 * @example
 * ```ts
 * jsonLeavesAt({ items: [{ phone: '555' }, { phone: 7 }] }, '$.items[*].phone'); // ['555', '7']
 * ```
 */
export function jsonLeavesAt(doc: unknown, path: string): string[] {
  const out: string[] = [];
  applyAtPath(doc, jsonPath(path), (leaf) => {
    if (leaf !== null && typeof leaf !== 'object') out.push(String(leaf));
    return leaf;
  });
  return out;
}

/**
 * Checks that a transform can apply to a column at all, before any row is read.
 * @throws UsageError naming the column, its type and what would fit.
 */
export function checkTransformFits(transform: Transform, column: Column, where: string): void {
  if (transform === 'keep') return;
  if (transform === 'null') {
    if (!column.nullable) throw new UsageError(`${where}: transform "null" on a NOT NULL column (${column.rawType})`, { hint: 'Use redact, hash, fake:<kind> or mask for it instead.' });
    return;
  }
  if (transform === 'generate') return; // what seed makes for the column fits it (createGeneratedValues refuses what it cannot make)
  if (transform.startsWith('fake:')) {
    const kind = transform.slice(5) as FakeKind;
    if (!TEXT_KINDS.has(column.kind) && !FAKE_KINDS_OF_TYPE[column.kind]?.has(kind)) {
      throw new UsageError(`${where}: ${transform} cannot go into a ${column.rawType} column`, { hint: 'fake:<kind> makes text; use noise, shift-date, null or keep for this type.' });
    }
    const min = FAKE_MIN_LENGTH[kind];
    if (TEXT_KINDS.has(column.kind) && column.length !== undefined && column.length < min) {
      const type = column.rawType.includes('(') ? column.rawType : `${column.rawType}(${column.length})`;
      throw new UsageError(`${where}: ${transform} cannot fit ${type}: a realistic ${kind} needs at least ${min} characters`, {
        hint: `Use hash, mask or redact for this column, or a kind that fits.`,
      });
    }
    return;
  }
  const allowed = ALLOWED_KINDS[transform];
  if (allowed && !allowed(column.kind)) {
    throw new UsageError(`${where}: transform "${transform}" does not apply to a ${column.rawType} column`, {
      hint: NUMBER_KINDS.has(column.kind)
        ? 'Numbers take noise, null or keep.'
        : DATE_KINDS.has(column.kind)
          ? 'Dates take shift-date, null or keep.'
          : column.kind === 'tsvector'
            ? 'A search vector takes keep where a tsvector_update_trigger or a generated expression recomputes it in the target, else null or generate.'
            : 'Use null or keep.',
    });
  }
  if (transform === 'hash' && column.length !== undefined && column.length < HASH_MIN_LENGTH) {
    throw new UsageError(`${where}: "hash" needs at least ${HASH_MIN_LENGTH} characters, ${column.rawType} has ${column.length}`, { hint: 'Use mask or redact for it.' });
  }
}

/**
 * The function a rule applies to each (non-NULL) value of a column.
 * @throws UsageError when the transform cannot fit the column (see `checkTransformFits`).
 */
export function compileColumnTransform(rule: Pick<ColumnRule, 'transform' | 'mask' | 'noise' | 'paths'>, column: Column, ctx: TransformContext): ValueTransform {
  const transform = rule.transform;
  checkTransformFits(transform, column, ctx.where);
  if (transform === 'keep') return (v) => v;
  if (transform === 'null') return () => null;
  if (column.arrayDimensions > 0 && transform !== 'generate') {
    // `emails text[]`: each element as the column's type would be, the literal written back
    const element = compileColumnTransform(rule, { ...column, arrayDimensions: 0 }, ctx);
    return (v, entity, row) => mapArrayLiteral(v, (e) => element(e, entity, row));
  }
  if (transform.startsWith('fake:')) {
    const kind = transform.slice(5) as FakeKind;
    const max = TEXT_KINDS.has(column.kind) ? column.length : undefined;
    return (v) => ctx.fake(kind, v, max);
  }
  switch (transform) {
    case 'redact':
      return () => fit('[redacted]', column);
    case 'hash': {
      if (BYTE_KINDS.has(column.kind)) {
        // bytes are read as hex (`\\x…` from PostgreSQL, bare from MySQL): 32 keyed bytes in the same spelling, cut to binary(n)
        const subkey = ctx.key.derive('hash');
        const hexLength = column.length !== undefined ? 2 * column.length : 64;
        return (v) =>
          (v.startsWith('\\x') ? '\\x' : '') +
          keyedHex(subkey, v)
            .slice(0, hexLength)
            .padEnd(column.kind === 'binary' ? hexLength : 0, '0');
      }
      if (!TEXT_KINDS.has(column.kind)) {
        // a whole uuid or integer column is permuted by the plan; its elements in an array are not
        throw new UsageError(`${ctx.where}: "hash" on the elements of a ${column.rawType} array is not supported`, { hint: 'Use null, generate or keep for it.' });
      }
      const subkey = ctx.key.derive('hash');
      return (v) => fit(keyedHex(subkey, v), column);
    }
    case 'mask': {
      const keepFirst = rule.mask?.keepFirst ?? 0;
      const keepLast = rule.mask?.keepLast ?? 0;
      return (v) => mask(v, keepFirst, keepLast);
    }
    case 'noise': {
      const relative = rule.noise?.relative ?? 0.1;
      // the column in the subkey, the row and value in the stream
      const subkey = ctx.key.derive(`noise:${ctx.where}`);
      const bounds = ctx.bounds ?? {};
      const rowBounds = ctx.rowBounds;
      return (v, entity, row) => noise(v, relative, new KeyedStream(subkey, `${entity}\u0000${v}`), column, rowBounds ? mergeBounds(bounds, rowBounds(entity, row)) : bounds);
    }
    case 'generate':
      if (!ctx.generated) throw new UsageError(`${ctx.where}: "generate" applies to a whole column, not inside a JSON document`, { hint: 'Use fake:<kind>, hash or redact at this path.' });
      return ctx.generated;
    case 'shift-date': {
      const subkey = ctx.key.derive('shift-date');
      const days = (entity: string): number => rowDayOffset(subkey, entity);
      return Object.assign((v: string, entity: string) => shiftDate(v, days(entity)), { days });
    }
    case 'text':
      return (v) => fit(ctx.text(v), column);
    case 'json': {
      const paths = Object.entries(rule.paths ?? {}).map(([path, t]) => {
        const leaf = compileColumnTransform({ transform: t }, { ...column, name: path, kind: 'text', rawType: 'text', nullable: true, length: undefined } as Column, {
          ...ctx,
          where: `${ctx.where} ${path}`,
        });
        return { segments: jsonPath(path), leaf };
      });
      return (v, entity) => {
        let doc: unknown;
        try {
          doc = JSON.parse(v);
        } catch {
          return ctx.text(v);
        }
        for (const { segments, leaf } of paths) {
          doc = applyAtPath(doc, segments, (x) => (x === null || typeof x === 'object' ? x : leaf(String(x), entity)));
        }
        return JSON.stringify(doc);
      };
    }
    default:
      return (v) => scrambleShape(new KeyedStream(ctx.key.derive('default'), v), v);
  }
}
