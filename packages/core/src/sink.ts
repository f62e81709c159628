/**
 * Sinks: where generated (or, later, scrubbed) rows go. A sink is a database
 * (PostgreSQL COPY, PGlite, MySQL LOAD DATA or batched INSERT) or files (SQL,
 * CSV, JSONL per table).
 *
 * Rows never cross a thread boundary as objects: each sink names an *encoder
 * module* that worker threads import to turn rows into the sink's wire format
 * (COPY text, LOAD DATA text, CSV lines, …); the workers transfer the encoded
 * buffers, and the sink only writes bytes. Encoders are pure and know no driver.
 *
 * A load is all-or-nothing: `commit()` makes it visible; `rollback()` (on any
 * failure or Ctrl-C) leaves the target as it was.
 *
 * @example
 * ```ts
 * const sink = await dialect.openSink(url, { schema, truncate: false });
 * try {
 *   const writer = await sink.beginTable(table);
 *   for await (const chunk of chunks) await writer.write(chunk);   // from workers
 *   await writer.end();
 *   await sink.commit({ sequences: true });
 * } catch (error) { await sink.rollback(); throw error; }
 * ```
 */
import type { Column, Schema } from './schema-model.js';

/** What an encoder needs to know about one column it encodes. */
export interface EncoderColumn {
  readonly name: string;
  readonly kind: Column['kind'];
  readonly arrayDimensions: number;
  readonly rawType: string;
}

/**
 * Where workers find the encoder: `module` is an import specifier resolvable from
 * the worker (e.g. `@understudy/postgres/copy-encoder`) that exports
 * `createEncoder(columns: EncoderColumn[], options: unknown): (rows: readonly (readonly unknown[])[]) => Uint8Array`.
 */
export interface RowEncoding {
  readonly module: string;
  /** Plain-data options for `createEncoder` (cloned into the worker). */
  readonly options?: unknown;
}

/** One table (or one set of deferred updates) to load. */
export interface LoadTarget {
  /** Qualified key in `Schema.tables`. */
  readonly table: string;
  /** The columns each encoded row carries, in order (generated columns excluded). */
  readonly columns: readonly EncoderColumn[];
  /** Rows that will be written, for progress and for sizing batches. */
  readonly rows: number;
  /** Write explicit values into identity ALWAYS columns (PostgreSQL `OVERRIDING SYSTEM VALUE`). */
  readonly overrideIdentity?: boolean;
  /**
   * Deferred updates of this table follow (`beginUpdates`, to close an FK cycle): its rows are not
   * final when its writer ends, so a sink that checks a table's keys as soon as it is loaded waits until commit.
   */
  readonly updatesFollow?: boolean;
  /**
   * Triggers of this table to disable for the load and enable again before commit (user triggers
   * a restore tool would not run: the rows already satisfy the schema). A sink that cannot
   * disable triggers runs them; one that can disables those of these names that are enabled.
   */
  readonly disableTriggers?: readonly string[];
  /**
   * Columns a BEFORE UPDATE row trigger of the table makes from the row's other columns (a search
   * vector's `tsvector_update_trigger`), with that trigger among `disableTriggers`: once the rows
   * are in, the rows holding an empty value in `column` get it made again, by an UPDATE that fires
   * only `trigger` and sets `from`, a column it reads, to itself (PostgreSQL:
   * `UPDATE t SET from = from WHERE column = ''`). A row that arrives with its value keeps it.
   * A sink that cannot disable triggers runs them on every row.
   */
  readonly remakeByTrigger?: readonly { readonly trigger: string; readonly column: string; readonly from: string }[];
  /**
   * Every value is text as the source database printed it (a snapshot reader's rows, what scrub
   * writes), never a typed JS value: a sink must pick a wire format that takes such text as it is
   * (PostgreSQL: COPY text, not binary).
   */
  readonly textValues?: boolean;
}

/**
 * Values filled in after every table is loaded, to break an FK cycle at a
 * nullable edge: rows carry `keyColumns` then `setColumns`; the sink runs
 * the equivalent of `UPDATE table SET set… WHERE key… = …`.
 */
export interface DeferredUpdateTarget {
  readonly table: string;
  readonly keyColumns: readonly EncoderColumn[];
  readonly setColumns: readonly EncoderColumn[];
  readonly rows: number;
}

export interface ChunkWriter {
  /** Writes one encoded chunk; resolves when the sink can take more (backpressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Finishes this table; resolves when the target has the rows. */
  end(): Promise<void>;
}

/** What a seed asks of a table's rows already in the target, before it plans around them. */
export interface ExistingRowsRequest {
  /** Qualified key in `Schema.tables`. */
  readonly table: string;
  /** Columns whose values the seed needs (the keys other tables reference); may be empty. */
  readonly columns: readonly string[];
  /** Read at most this many rows' values, in the order of `columns` (ascending). */
  readonly limit: number;
}

/** A table's rows already in the target (only tables that have some are answered). */
export interface ExistingRows {
  readonly table: string;
  /** Rows read: all of them, or `limit` when it has more (then `more` is true). */
  readonly rows: number;
  readonly more: boolean;
  /** Per requested column, its values in those rows, in row order, as generated values of the column's kind. */
  readonly values: Readonly<Record<string, readonly unknown[]>>;
}

export interface SinkCommitOptions {
  /** Advance sequences / AUTO_INCREMENT past the loaded keys so the application can insert next. */
  readonly advanceSequences: boolean;
}

export interface Sink {
  /** The wire format workers must encode into, for ordinary rows. */
  readonly encoding: RowEncoding;
  /**
   * Optional: the wire format of one table's rows, when it depends on the table (SQL files name the
   * table in each INSERT; PostgreSQL sends a table in COPY's binary format when it can). Asked once
   * per table before its first chunk is made; `encoding` otherwise.
   */
  encodingFor?(target: LoadTarget): RowEncoding;
  /** The wire format for deferred-update rows (key columns then set columns). */
  readonly updateEncoding: RowEncoding;
  /** What to print: a redacted URL, `PGlite at ./dev-db`, or an output folder. */
  readonly description: string;
  /**
   * Optional: called once before the first `beginTable`, with every table that will be loaded,
   * while the workers start. A sink may set all of them up at once here instead of one by one on
   * the way (the PostgreSQL sinks set aside every table's keys, indexes and FKs).
   */
  prepare?(targets: readonly LoadTarget[]): Promise<void>;
  /**
   * True when the sink sets every foreign key of the tables it loads aside until their rows are
   * in (and checks each after), so tables may come in any order: the seed then sends first the
   * tables the database works hardest on (`Plan.costOrder`) instead of parents first.
   */
  readonly anyTableOrder?: boolean;
  /**
   * True when `ChunkWriter.write` resolves only once the sink holds no reference to the chunk:
   * the caller may then fill the same memory again (the seed hands it back to a worker, so a
   * few buffers go round instead of one being allocated and collected per chunk). Otherwise a
   * written chunk is left alone.
   */
  readonly releasesWrittenChunks?: boolean;
  /**
   * What the load did differently from what was asked, for the user to read after it (for
   * example tables loaded with their keys in place because the role does not own them).
   */
  readonly notes?: readonly string[];
  /**
   * Optional: the rows already in the target's tables (in the load's transaction), so a seed
   * can keep them and use them as parents. Answers only tables that have rows. A sink without
   * it (files) is taken to be empty.
   */
  existingRows?(requests: readonly ExistingRowsRequest[]): Promise<ExistingRows[]>;
  beginTable(target: LoadTarget): Promise<ChunkWriter>;
  beginUpdates(target: DeferredUpdateTarget): Promise<ChunkWriter>;
  commit(options: SinkCommitOptions): Promise<void>;
  /**
   * Undoes everything since the sink was opened; safe to call twice or after a failed commit.
   * Rejects, with a typed error naming what is left and how to undo it, when it could not leave
   * the target as it was (the caller must then not say it did); resolves once it has.
   */
  rollback(): Promise<void>;
}

export interface OpenSinkOptions {
  readonly schema: Schema;
  /**
   * Empty the tables first (in the same transaction): those of `tables`, or every table of the
   * schema. Without it, tables keep their rows (a seed plans around them), and `prepare` refuses a
   * table to load that has rows.
   */
  readonly truncate: boolean;
  /** The tables the load may write (keys in `Schema.tables`; default all): only these are emptied. */
  readonly tables?: readonly string[];
  /**
   * How long one statement of the load may wait for a lock another session holds before the load
   * stops, naming the table and the session (default `DEFAULT_LOCK_TIMEOUT_MS`; 0: no limit).
   */
  readonly lockTimeoutMs?: number;
  /**
   * Aborting it stops the statement the target is running (a TRUNCATE waiting for a lock, an index
   * being rebuilt) at once, instead of after it; the load then rolls back.
   */
  readonly signal?: AbortSignal;
}

/**
 * How a dialect writes one table as a loadable SQL script (`understudy generate --format sql`):
 * a file is `header(target, schema)` + the encoded chunks in row order + `footer(target, schema)`.
 *
 * @example
 * ```ts
 * const format = dialect.sqlFile;
 * await file.write(format.header(target, schema));
 * for await (const chunk of chunks) await file.write(chunk); // encoded with format.encoding(target, schema)
 * await file.write(format.footer(target, schema));
 * ```
 */
export interface SqlFileFormat {
  /** The encoding workers use for this table's rows. */
  encoding(target: LoadTarget, schema: Schema): RowEncoding;
  header(target: LoadTarget, schema: Schema): string;
  footer(target: LoadTarget, schema: Schema): string;
}
