/**
 * The binary line path of the scrub (PostgreSQL → PostgreSQL): a chunk of binary COPY tuples
 * (`SnapshotReader.binaryLines`) rewritten for a binary `COPY … FROM STDIN`. Neither database
 * prints or parses a value it need not: the columns a transform reads or writes came as their
 * text (as COPY text prints them, the same text the text path sees, so the same output), are transformed
 * as there and written in their type's binary form by the target's encoder; every other
 * field's bytes are copied as they are. A search vector the target's trigger remakes is
 * copied where the row's text came through unchanged and sent empty where it changed.
 *
 * @example
 * ```ts
 * const rewrite = createBinaryRewriter(tablePlan, await import(encoding.module), spec);
 * const out = rewrite(chunk); // the same tuples, transformed columns re-encoded
 * ```
 */
import type { EncoderColumn } from '@understudy/core';
import { shiftDay } from './column-transforms.js';
import { columnError, rowEntity, type ScrubTablePlan } from './scrub-plan.js';

/** The sink's binary encoder module (`RowEncoding.module`): what writes the text columns' new values. */
export interface BinaryEncoderModule {
  createTupleWriter(
    columns: EncoderColumn[],
    options: { readonly table: string; readonly codecs: readonly unknown[] },
  ): { begin(fields: number): void; raw(bytes: Uint8Array, start: number, end: number): void; field(k: number, value: unknown): void; take(): Uint8Array };
  /** Whether a column's binary value can be copied from the source unread. */
  passesThrough(codec: unknown): boolean;
  /** Whether the encoder writes a column's value from its text. */
  encodesText(codec: unknown): boolean;
  /** Whether a column's binary form is its text (UTF-8). */
  binaryIsText(codec: unknown): boolean;
  /** The number a codec's binary form holds, where it is one: an integer, or a date's days or a timestamp's microseconds from 2000-01-01. */
  numberForm(codec: unknown): NumberForm | undefined;
}

/** How a column's binary value is read as a number: integers of 2, 4 or 8 bytes; days (4 bytes) or microseconds (8) from 2000-01-01. */
export type NumberForm = 'int2' | 'int4' | 'int8' | 'date' | 'timestamp';

/** Which columns of a table are read as values, and how the target encodes them. */
export interface BinaryRewriteSpec {
  /** Indexes (ascending) of the columns read as values: transformed, the entity's, and those a transform reads. The encoder writes them. */
  readonly read: readonly number[];
  /**
   * Per column of `read`: how it is read where not as text (''): an integer of the same type in the
   * target (its text is the number's), or a date or timestamp a shift moves by whole days and nothing
   * else reads (its text is never made).
   */
  readonly forms: readonly (NumberForm | '')[];
  /** Those of `read` the source must print (`SnapshotReader.binaryLines`' asText): not integers, and not text already in binary. */
  readonly printed: readonly number[];
  /** The target's codec of each column of `read`, in order. */
  readonly codecs: readonly unknown[];
  /** Indexes of the search vectors the target's trigger remakes: copied, or emptied where their text changed. */
  readonly remade: readonly number[];
}

type BinaryTablePlan = Pick<ScrubTablePlan, 'table' | 'columns' | 'valueFns' | 'integerFns' | 'dayShifts' | 'entityColumns' | 'usesEntity' | 'contextColumns' | 'derived'>;

/**
 * The spec of a table's binary path, or undefined when it must take the text path: a row's
 * entity is the whole row, a column read as text has a type the encoder cannot write from text
 * (an array), or a column to copy unread has another type in the target or cannot pass (an
 * array of a user-defined type).
 * @param codecs the target's codec of every column (the sink's binary encoding options).
 */
export function binaryRewriteSpec(
  table: BinaryTablePlan,
  targetTypes: ReadonlyMap<string, string>,
  codecs: readonly unknown[],
  encoder: Pick<BinaryEncoderModule, 'passesThrough' | 'encodesText' | 'binaryIsText' | 'numberForm'>,
): BinaryRewriteSpec | undefined {
  if (table.usesEntity && table.entityColumns.length === 0) return undefined;
  const remadeNames = new Set(table.derived.filter((d) => d.remade).map((d) => d.column));
  const remade = table.columns.flatMap((c, i) => (remadeNames.has(c.name) ? [i] : []));
  const text = new Set<number>(table.contextColumns);
  table.valueFns.forEach((f, i) => f !== undefined && !remade.includes(i) && text.add(i));
  if (table.usesEntity) for (const i of table.entityColumns) text.add(i);
  for (const i of remade) text.delete(i);
  const read = [...text].sort((a, b) => a - b);
  const sameType = table.columns.map((c) => targetTypes.get(c.name) === c.rawType);
  for (let i = 0; i < table.columns.length; i++) {
    if (text.has(i) ? !encoder.encodesText(codecs[i]) : !encoder.passesThrough(codecs[i]) || !sameType[i]) return undefined;
  }
  const others = readByOthers(table);
  const forms = read.map((i): NumberForm | '' => {
    const form = sameType[i] ? encoder.numberForm(codecs[i]) : undefined;
    if (form === 'date' || form === 'timestamp') return table.dayShifts[i] !== undefined && !others.has(i) ? form : '';
    return form ?? '';
  });
  const printed = read.filter((i, k) => forms[k] === '' && (!encoder.binaryIsText(codecs[i]) || !sameType[i]));
  return { read, forms, printed, codecs: read.map((i) => codecs[i]), remade };
}

/** Columns whose source values a function reads besides their own: the entity's (where one is read) and the context. */
function readByOthers(table: Pick<BinaryTablePlan, 'contextColumns' | 'usesEntity' | 'entityColumns'>): Set<number> {
  return new Set([...table.contextColumns, ...(table.usesEntity ? table.entityColumns : [])]);
}

const int16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const int32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >> 0;

/**
 * Buffer's own UTF-8 decoder, what `toString('utf8', start, end)` ends in: called directly, a short
 * value skips the encoding lookup and argument checks (about a third of the decode's time).
 */
type FastSlices = Buffer & { utf8Slice(start: number, end: number): string };

/** An empty tsvector's field: a length of 4, then no lexemes. */
const EMPTY_VECTOR = Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0);

const TEXT = 0;
const INTEGER = 1;
const DATE = 2;
const TIMESTAMP = 3;
const DAY_MICROS = 86_400_000_000;
const TWO_32 = 4_294_967_296;

/**
 * A shifted date's or timestamp's field, written into `field`: its length; 0 where the value
 * stays, as `shiftDate` keeps it (years outside 1–9999; the infinities are days far outside them).
 */
function dayShifter(field: Buffer): (buf: Buffer, at: number, kind: number, days: number) => number {
  return (buf, at, kind, days) => {
    if (kind === DATE) {
      const d = int32(buf, at);
      const to = shiftDay(d, days);
      if (to === undefined) return 0;
      field.writeInt32BE(4, 0);
      field.writeInt32BE(to, 4);
      return 8;
    }
    const hi = int32(buf, at);
    if (hi >= -0x100000 && hi < 0x100000) {
      // within ±2^52 microseconds (years 1857 to 2142): exact in a double
      const us = hi * TWO_32 + (int32(buf, at + 4) >>> 0);
      const day = Math.floor(us / DAY_MICROS);
      const to = shiftDay(day, days);
      if (to === undefined) return 0;
      const next = us + (to - day) * DAY_MICROS;
      const nextHi = Math.floor(next / TWO_32);
      field.writeInt32BE(8, 0);
      field.writeInt32BE(nextHi, 4);
      field.writeUInt32BE(next - nextHi * TWO_32, 8);
      return 12;
    }
    const us = buf.readBigInt64BE(at);
    const day = Number(us / 86_400_000_000n) - (us % 86_400_000_000n < 0n ? 1 : 0);
    const to = shiftDay(day, days);
    if (to === undefined) return 0;
    field.writeInt32BE(8, 0);
    field.writeBigInt64BE(us + BigInt(to - day) * 86_400_000_000n, 4);
    return 12;
  };
}

/**
 * A function rewriting a chunk of whole binary COPY tuples of `table` as its transforms say, in
 * one pass: each tuple's fields are located and the columns of `spec.read` decoded (the entity and
 * the context a transform reads may come after the column it transforms), then the tuple is written:
 * fields no function changes are copied as they are, in runs; permuted integers go number to number,
 * shifted dates and timestamps day count to day count; the rest through their text.
 * @returns the same tuples, in order.
 */
export function createBinaryRewriter(table: BinaryTablePlan, encoder: BinaryEncoderModule, spec: BinaryRewriteSpec): (chunk: Uint8Array) => Uint8Array {
  const width = table.columns.length;
  const fns = table.valueFns;
  const ints = table.integerFns;
  const shifts = table.dayShifts;
  const readAt = new Int32Array(width).fill(-1);
  const form = new Uint8Array(width);
  spec.read.forEach((c, k) => {
    readAt[c] = k;
    const f = spec.forms[k];
    form[c] = f === 'date' ? DATE : f === 'timestamp' ? TIMESTAMP : f === '' || f === undefined ? TEXT : INTEGER;
  });
  // an integer's text is made only where something reads it: the entity, a transform's context, a function without an integer form
  const needsText = new Uint8Array(width).fill(1);
  const others = readByOthers(table);
  for (let c = 0; c < width; c++) if (form[c] === INTEGER && ints[c] !== undefined && !others.has(c)) needsText[c] = 0;
  // a column read only for the others (the entity, a context) is copied as it is where its bytes pass
  const copied = new Uint8Array(width);
  for (let c = 0; c < width; c++) if (readAt[c]! >= 0 && fns[c] === undefined && (form[c] !== TEXT || !spec.printed.includes(c))) copied[c] = 1;
  const remade = new Uint8Array(width);
  for (const c of spec.remade) remade[c] = 1;
  const out = encoder.createTupleWriter(
    spec.read.map((i) => {
      const c = table.columns[i]!;
      return { name: c.name, kind: c.kind, arrayDimensions: c.arrayDimensions, rawType: c.rawType };
    }),
    { table: table.table, codecs: spec.codecs },
  );
  const values: (string | null)[] = new Array<string | null>(width).fill(null);
  const numbers = new Float64Array(width);
  const safe = new Uint8Array(width);
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const names = table.columns.map((c) => `${table.table}.${c.name}`);
  const field = Buffer.alloc(12);
  const shifted = dayShifter(field);
  return (chunk: Uint8Array): Uint8Array => {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let pos = 0; pos < buf.length;) {
      const fields = int16(buf, pos);
      pos += 2;
      for (let c = 0; c < fields; c++) {
        const len = int32(buf, pos);
        starts[c] = pos;
        pos += 4;
        const kind = readAt[c]! >= 0 ? form[c]! : -1;
        if (kind === TEXT) values[c] = len < 0 ? null : (buf as FastSlices).utf8Slice(pos, pos + len);
        else if (kind === INTEGER) {
          if (len < 0) values[c] = null;
          else {
            const n = len === 4 ? int32(buf, pos) : len === 2 ? (int16(buf, pos) << 16) >> 16 : int32(buf, pos) * TWO_32 + (int32(buf, pos + 4) >>> 0);
            if (Number.isSafeInteger(n)) {
              numbers[c] = n;
              safe[c] = 1;
              values[c] = needsText[c] === 1 ? String(n) : '';
            } else {
              // an int8 beyond 2^53 goes through its exact text
              safe[c] = 0;
              values[c] = buf.readBigInt64BE(pos).toString();
            }
          }
        }
        if (len > 0) pos += len;
        ends[c] = pos;
      }
      const entity = table.usesEntity ? rowEntity(table.table, table.entityColumns, values) : '';
      out.begin(fields);
      // fields copied as they are go in runs, one copy per run
      let run = fields > 0 ? starts[0]! : pos;
      for (let c = 0; c < fields; c++) {
        const k = readAt[c]!;
        if (k < 0 || copied[c] === 1) {
          if (remade[c] === 1 && ends[c]! - starts[c]! > 4 && fns[c]!('\u0001', entity, values) === '') {
            // a remade vector's function says '' where a column it is made from changed
            if (run < starts[c]!) out.raw(buf, run, starts[c]!);
            run = ends[c]!;
            out.raw(EMPTY_VECTOR, 0, EMPTY_VECTOR.length);
          }
          continue;
        }
        const kind = form[c]!;
        if (kind === DATE || kind === TIMESTAMP) {
          // a NULL, infinity or a day a shift keeps stays in the run
          if (ends[c]! - starts[c]! <= 4) continue;
          let n: number;
          try {
            n = shifted(buf, starts[c]! + 4, kind, shifts[c]!(entity));
          } catch (error) {
            throw columnError(error, names[c]!);
          }
          if (n === 0) continue;
          if (run < starts[c]!) out.raw(buf, run, starts[c]!);
          run = ends[c]!;
          out.raw(field, 0, n);
          continue;
        }
        if (run < starts[c]!) out.raw(buf, run, starts[c]!);
        run = ends[c]!;
        const v = values[c]!;
        const f = fns[c];
        const g = ints[c];
        let next: string | number | null;
        try {
          next = v === null || f === undefined ? v : g !== undefined && safe[c] === 1 ? g(numbers[c]!) : f(v, entity, values);
        } catch (error) {
          throw columnError(error, names[c]!);
        }
        out.field(k, next);
      }
      if (run < pos) out.raw(buf, run, pos);
    }
    return out.take();
  };
}
