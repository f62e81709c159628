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
}

/** Which columns of a table come as text, and how the target encodes them. */
export interface BinaryRewriteSpec {
  /** Indexes (ascending) of the columns read as text: transformed, the entity's, and those a transform reads. */
  readonly asText: readonly number[];
  /** Those of `asText` the source must print (`SnapshotReader.binaryLines`' asText): the others' binary form is their text already. */
  readonly printed: readonly number[];
  /** The target's codec of each column of `asText`, in order. */
  readonly codecs: readonly unknown[];
  /** Indexes of the search vectors the target's trigger remakes: copied, or emptied where their text changed. */
  readonly remade: readonly number[];
}

type BinaryTablePlan = Pick<ScrubTablePlan, 'table' | 'columns' | 'valueFns' | 'entityColumns' | 'usesEntity' | 'contextColumns' | 'derived'>;

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
  encoder: Pick<BinaryEncoderModule, 'passesThrough' | 'encodesText' | 'binaryIsText'>,
): BinaryRewriteSpec | undefined {
  if (table.usesEntity && table.entityColumns.length === 0) return undefined;
  const remadeNames = new Set(table.derived.filter((d) => d.remade).map((d) => d.column));
  const remade = table.columns.flatMap((c, i) => (remadeNames.has(c.name) ? [i] : []));
  const text = new Set<number>(table.contextColumns);
  table.valueFns.forEach((f, i) => f !== undefined && !remade.includes(i) && text.add(i));
  if (table.usesEntity) for (const i of table.entityColumns) text.add(i);
  for (const i of remade) text.delete(i);
  const asText = [...text].sort((a, b) => a - b);
  const sameType = table.columns.map((c) => targetTypes.get(c.name) === c.rawType);
  for (let i = 0; i < table.columns.length; i++) {
    if (text.has(i) ? !encoder.encodesText(codecs[i]) : !encoder.passesThrough(codecs[i]) || !sameType[i]) return undefined;
  }
  const printed = asText.filter((i) => !encoder.binaryIsText(codecs[i]) || !sameType[i]);
  return { asText, printed, codecs: asText.map((i) => codecs[i]), remade };
}

const int16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const int32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >> 0;

/** An empty tsvector's field: a length of 4, then no lexemes. */
const EMPTY_VECTOR = Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 0);

/**
 * A function rewriting a chunk of whole binary COPY tuples of `table` as its transforms say, in
 * one pass: each tuple's fields are located and its text columns decoded (the entity and the
 * context a transform reads may come after the column it transforms), then the tuple is written.
 * @returns the same tuples, in order.
 */
export function createBinaryRewriter(table: BinaryTablePlan, encoder: BinaryEncoderModule, spec: BinaryRewriteSpec): (chunk: Uint8Array) => Uint8Array {
  const width = table.columns.length;
  const fns = table.valueFns;
  const textAt = new Int32Array(width).fill(-1);
  spec.asText.forEach((c, k) => (textAt[c] = k));
  const remade = new Uint8Array(width);
  for (const c of spec.remade) remade[c] = 1;
  const out = encoder.createTupleWriter(
    spec.asText.map((i) => {
      const c = table.columns[i]!;
      return { name: c.name, kind: c.kind, arrayDimensions: c.arrayDimensions, rawType: c.rawType };
    }),
    { table: table.table, codecs: spec.codecs },
  );
  const values: (string | null)[] = new Array<string | null>(width).fill(null);
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const names = table.columns.map((c) => `${table.table}.${c.name}`);
  return (chunk: Uint8Array): Uint8Array => {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let pos = 0; pos < buf.length;) {
      const fields = int16(buf, pos);
      pos += 2;
      for (let c = 0; c < fields; c++) {
        const len = int32(buf, pos);
        starts[c] = pos;
        pos += 4;
        if (textAt[c]! >= 0) values[c] = len < 0 ? null : buf.toString('utf8', pos, pos + len);
        if (len > 0) pos += len;
        ends[c] = pos;
      }
      const entity = table.usesEntity ? rowEntity(table.table, table.entityColumns, values) : '';
      out.begin(fields);
      // fields copied as they are go in runs, one copy per run
      let run = fields > 0 ? starts[0]! : pos;
      for (let c = 0; c < fields; c++) {
        const k = textAt[c]!;
        if (k >= 0) {
          if (run < starts[c]!) out.raw(buf, run, starts[c]!);
          run = ends[c]!;
          const v = values[c]!;
          const f = fns[c];
          let next: string | null;
          try {
            next = v === null || f === undefined ? v : f(v, entity, values);
          } catch (error) {
            throw columnError(error, names[c]!);
          }
          out.field(k, next);
        } else if (remade[c] === 1 && ends[c]! - starts[c]! > 4 && fns[c]!('\u0001', entity, values) === '') {
          // a remade vector's function says '' where a column it is made from changed
          if (run < starts[c]!) out.raw(buf, run, starts[c]!);
          run = ends[c]!;
          out.raw(EMPTY_VECTOR, 0, EMPTY_VECTOR.length);
        }
      }
      if (run < pos) out.raw(buf, run, pos);
    }
    return out.take();
  };
}
