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

export interface SnapshotReader {
  /** What the snapshot reads, for messages (password removed). */
  readonly description: string;
  /** The rows of a table (a partitioned table: all of its partitions'), in batches. */
  rows(table: Table, columns: readonly string[], options?: { readonly batchRows?: number }): AsyncIterable<TextRow[]>;
  /** The table's row count in the snapshot. */
  count(table: Table): Promise<number>;
  /** Ends the snapshot's transaction (it wrote nothing). */
  close(): Promise<void>;
}
