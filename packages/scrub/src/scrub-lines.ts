/**
 * The line path of the scrub: a chunk of rows in the source's own bulk text format
 * (`SnapshotReader.lines`: rows end with `\n`, fields are separated by `\t`) rewritten
 * in place. Only the fields a row's transforms change (and the primary key, when a
 * per-entity transform needs it) are parsed; every other field is copied as it is, so
 * a table with few transformed columns costs little more than the copy itself, and a
 * table with none is not decoded at all.
 *
 * @example
 * ```ts
 * const rewrite = createLineRewriter(tablePlan, await import(reader.rawFormat.fieldCodec));
 * const out = rewrite('1\talice@corp.com\n'); // '1\tmarlon.kuhn41@example.net\n'
 * ```
 */
import { columnError, rowEntity, type ScrubTablePlan } from './scrub-plan.js';

/** A raw format's field codec module (`RawRowFormat.fieldCodec`). */
export interface FieldCodec {
  parseField(field: string): string | null;
  formatField(value: string | null): string;
}

/**
 * A function rewriting a chunk of whole rows (text) of `table` as its transforms say.
 * @returns the chunk with the same rows, in order, each ended by `\n`.
 */
export function createLineRewriter(
  table: Pick<ScrubTablePlan, 'table' | 'columns' | 'valueFns' | 'entityColumns' | 'usesEntity'> & Partial<Pick<ScrubTablePlan, 'contextColumns'>>,
  codec: FieldCodec,
): (chunk: string) => string {
  const width = table.columns.length;
  const fns = table.valueFns;
  const wholeRowEntity = table.usesEntity && table.entityColumns.length === 0;
  // The fields a row needs split out: up to the last transformed or entity column.
  let last = -1;
  fns.forEach((f, i) => {
    if (f !== undefined) last = Math.max(last, i);
  });
  if (table.usesEntity) for (const i of table.entityColumns) last = Math.max(last, i);
  const context = table.contextColumns ?? [];
  for (const i of context) last = Math.max(last, i);
  if (wholeRowEntity) last = width - 1;
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const values: (string | null)[] = new Array<string | null>(width).fill(null);
  const names = table.columns.map((c) => `${table.table}.${c.name}`);
  return (chunk: string): string => {
    if (last < 0) return chunk;
    let out = '';
    let pos = 0;
    const n = chunk.length;
    while (pos < n) {
      let end = chunk.indexOf('\n', pos);
      if (end < 0) end = n;
      // Field bounds up to `last` (a literal tab only ever separates fields).
      let at = pos;
      for (let c = 0; c <= last; c++) {
        starts[c] = at;
        let tab = c === width - 1 ? end : chunk.indexOf('\t', at);
        if (tab < 0 || tab > end) tab = end;
        ends[c] = tab;
        at = tab + 1;
      }
      let entity = '';
      if (table.usesEntity) {
        if (wholeRowEntity) {
          for (let c = 0; c < width; c++) values[c] = codec.parseField(chunk.slice(starts[c]!, ends[c]!));
          entity = rowEntity(table.table, [], values);
        } else {
          for (const i of table.entityColumns) values[i] = codec.parseField(chunk.slice(starts[i]!, ends[i]!));
          entity = rowEntity(table.table, table.entityColumns, values);
        }
      }
      for (const i of context) values[i] = codec.parseField(chunk.slice(starts[i]!, ends[i]!));
      let copied = pos;
      for (let c = 0; c <= last; c++) {
        const f = fns[c];
        if (f === undefined) continue;
        const value = codec.parseField(chunk.slice(starts[c]!, ends[c]!));
        if (value === null) continue;
        let next: string | null;
        try {
          next = f(value, entity, values);
        } catch (error) {
          throw columnError(error, names[c]!);
        }
        out += chunk.slice(copied, starts[c]!) + codec.formatField(next);
        copied = ends[c]!;
      }
      out += chunk.slice(copied, end) + '\n';
      pos = end + 1;
    }
    return out;
  };
}
