/**
 * A dialect's reader role: a table's rows streamed out of one consistent snapshot,
 * read-only, every value as text. What `scrub` and `audit` read the source through.
 * A PostgreSQL reader runs `COPY … TO STDOUT` inside one REPEATABLE READ, READ ONLY
 * transaction; it creates nothing on the source.
 *
 * @example
 * ```ts
 * const reader = await conn.openSnapshot!();
 * try {
 *   for await (const batch of reader.rows(table, ['id', 'email'])) console.log(batch.length);
 * } finally { await reader.close(); }
 * ```
 */
import type { Table } from './schema-model.js';

/** One row: each asked column's value as the database prints it, `null` for NULL. */
export type TextRow = (string | null)[];

/**
 * How a reader's raw rows are written, when it has them (`SnapshotReader.lines`): rows end with
 * `\n`, fields are separated by `\t`, and neither appears unescaped inside a field.
 */
export interface RawRowFormat {
  /** A module (import specifier, loadable in a worker) exporting `parseField(field): string | null` and `formatField(value): string`. */
  readonly fieldCodec: string;
  /** The sink encoding (`RowEncoding.module`) these bytes already are: a sink that names it takes them unchanged. */
  readonly encodingModule: string;
}

export interface SnapshotReader {
  /** What the snapshot reads, for messages (password removed). */
  readonly description: string;
  /**
   * The rows of a table (a partitioned table: all of its partitions'), in batches; with `where`, only
   * those for which that SQL condition (the user's, run inside the read-only snapshot) holds.
   */
  rows(table: Table, columns: readonly string[], options?: { readonly batchRows?: number; readonly where?: string }): AsyncIterable<TextRow[]>;
  /** Optional: the format of `lines`. */
  readonly rawFormat?: RawRowFormat;
  /**
   * Optional: a table's rows in the database's own bulk text format (`rawFormat`), in chunks of
   * whole rows, so rows whose fields mostly stay as they are need not be parsed and encoded again.
   */
  lines?(table: Table, columns: readonly string[], options?: { readonly chunkBytes?: number }): AsyncIterable<Uint8Array>;
  /**
   * Optional: how `binaryLines` are written (the sink encoding they already are, as `RawRowFormat.encodingModule`).
   */
  readonly binaryFormat?: { readonly encodingModule: string };
  /**
   * Optional: a table's rows as PostgreSQL's binary COPY tuples (`binaryFormat`; no header, no trailer), in
   * chunks of whole tuples. The columns at the indexes `asText` come as their text (what `rows` gives, UTF-8,
   * the field typed text); every other column in its type's own binary form, to pass through unread.
   */
  binaryLines?(table: Table, columns: readonly string[], options: { readonly asText: readonly number[]; readonly chunkBytes?: number }): AsyncIterable<Uint8Array>;
  /** The table's row count in the snapshot. */
  count(table: Table): Promise<number>;
  /**
   * Optional: the tables' row counts as the database's statistics estimate them (no table read),
   * `undefined` for a table it has none for. For what needs no exact figure: an order, a progress total.
   */
  estimate?(tables: readonly Table[]): Promise<readonly (number | undefined)[]>;
  /** Ends the snapshot's transaction (it wrote nothing). */
  close(): Promise<void>;
}
