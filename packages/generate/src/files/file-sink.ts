/**
 * File sinks: one file per table, `<schema>.<table>.<ext>` in a folder, as CSV
 * (RFC 4180, with a header row) or JSON Lines. Files are written under temporary
 * names and renamed into place by `commit()`; `rollback()` deletes them, so a
 * failed run leaves no partial file. With `--shard i/n` each name carries
 * `.shard-i-of-n`. Deferred FK updates (broken cycles) go to
 * `<schema>.<table>.<foreign key>.updates.<ext>` (key columns, then the columns to set).
 *
 * @example
 * ```ts
 * const sink = await openFileSink({ dir: 'out', format: 'csv' });
 * await seed({ plan, sink });   // out/public.film.csv, …
 * ```
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeDirectory,
  removeAbandonedTemps,
  tempPathFor,
  UsageError,
  type ChunkWriter,
  type DeferredUpdateTarget,
  type EncoderColumn,
  type LoadTarget,
  type RowEncoding,
  type Schema,
  type Sink,
  type SqlFileFormat,
} from '@understudy/core';
import { csvHeader } from '../encoders/csv-encoder.js';

export type FileFormat = 'csv' | 'jsonl' | 'sql';

export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'jsonl', 'sql'];

export interface FileSinkOptions {
  readonly dir: string;
  readonly format: FileFormat;
  /** 1-based shard number and count, for the file names. */
  readonly shard?: { readonly number: number; readonly count: number };
  /** For `sql`: the dialect's SQL-file format and the schema it describes. */
  readonly sql?: { readonly format: SqlFileFormat; readonly schema: Schema };
}

const ENCODERS: Record<FileFormat, string> = {
  csv: '@understudy/generate/csv-encoder',
  jsonl: '@understudy/generate/jsonl-encoder',
  // SQL rows are encoded per table (`encodingFor`); deferred updates of a SQL run go to CSV files.
  sql: '@understudy/generate/csv-encoder',
};

/** The file name of a table's rows (or, with `updates`, of one FK's deferred updates). */
export function tableFileName(table: string, format: FileFormat, shard?: FileSinkOptions['shard'], updates?: string): string {
  const safe = (s: string): string => s.replace(/[/\\\0]/g, '_');
  const parts = [safe(table), ...(updates ? [safe(updates), 'updates'] : []), ...(shard ? [`shard-${shard.number}-of-${shard.count}`] : [])];
  return `${parts.join('.')}.${format}`;
}

class FileSink implements Sink {
  readonly encoding: RowEncoding;
  readonly updateEncoding: RowEncoding;
  readonly description: string;
  /** A chunk's write resolves once the file has it (see `begin`): nothing here holds it after. */
  readonly releasesWrittenChunks = true;
  /** temp path → final path */
  private readonly files = new Map<string, string>();
  private readonly open = new Set<FileHandle>();

  constructor(private readonly options: FileSinkOptions) {
    this.encoding = { module: ENCODERS[options.format] };
    this.updateEncoding = this.encoding;
    this.description = `${options.format.toUpperCase()} files in ${options.dir}`;
  }

  /** The encoding of one table's rows: the dialect's per-table SQL encoding for `sql`, else `encoding`. */
  encodingFor(target: LoadTarget): RowEncoding {
    const sql = this.options.sql;
    return this.options.format === 'sql' && sql ? sql.format.encoding(target, sql.schema) : this.encoding;
  }

  beginTable(target: LoadTarget): Promise<ChunkWriter> {
    const sql = this.options.format === 'sql' ? this.options.sql : undefined;
    const name = tableFileName(target.table, this.options.format, this.options.shard);
    if (!sql) return this.begin(name, target.columns, 'header');
    return this.begin(name, target.columns, 'none', sql.format.header(target, sql.schema), sql.format.footer(target, sql.schema));
  }

  beginUpdates(target: DeferredUpdateTarget & { readonly foreignKey?: string }): Promise<ChunkWriter> {
    const format: FileFormat = this.options.format === 'sql' ? 'csv' : this.options.format;
    const name = tableFileName(target.table, format, this.options.shard, target.foreignKey ?? target.setColumns.map((c) => c.name).join('_'));
    return this.begin(name, [...target.keyColumns, ...target.setColumns], format === 'csv' ? 'header' : 'none');
  }

  private async begin(name: string, columns: readonly EncoderColumn[], csv: 'header' | 'none', head = '', foot = ''): Promise<ChunkWriter> {
    const final = join(this.options.dir, name);
    const temp = tempPathFor(final);
    this.files.set(temp, final);
    const handle = await open(temp, 'w');
    this.open.add(handle);
    if (csv === 'header' && this.options.format !== 'jsonl') await handle.write(csvHeader(columns));
    if (head) await handle.write(head);
    return {
      write: async (chunk) => {
        // write(2) may take less than it was given (a full disk says so with an error on the next call).
        for (let at = 0; at < chunk.byteLength;) at += (await handle.write(chunk, at)).bytesWritten;
      },
      end: async () => {
        if (foot) await handle.write(foot);
        this.open.delete(handle);
        await handle.close();
      },
    };
  }

  async commit(): Promise<void> {
    await this.closeAll();
    for (const [temp, final] of this.files) await rename(temp, final);
    this.files.clear();
  }

  async rollback(): Promise<void> {
    await this.closeAll();
    for (const temp of this.files.keys()) await unlink(temp).catch(() => undefined);
    this.files.clear();
  }

  private async closeAll(): Promise<void> {
    for (const handle of this.open) await handle.close().catch(() => undefined);
    this.open.clear();
  }
}

/**
 * Opens a folder as a sink (creating it if needed), and removes the temporary files that runs
 * which died there left behind (see `removeAbandonedTemps`).
 * @throws UsageError when the folder cannot be created.
 */
export async function openFileSink(options: FileSinkOptions): Promise<Sink> {
  if (options.format === 'sql' && !options.sql) throw new UsageError("--format sql needs the dialect's SQL-file format");
  if (!FILE_FORMATS.includes(options.format)) throw new UsageError(`--format ${String(options.format)} is not known`, { hint: `Use one of: ${FILE_FORMATS.join(', ')}.` });
  await makeDirectory(options.dir).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot create --out ${options.dir}: ${error.code ?? error.message}`, {
      hint: error.code === 'ENOTDIR' || error.code === 'EEXIST' ? `${options.dir} or a folder above it is a file.` : 'Give a folder you may write to.',
      cause: error,
    });
  });
  await removeAbandonedTemps(options.dir);
  return new FileSink(options);
}
