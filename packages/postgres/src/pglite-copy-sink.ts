/**
 * The PGlite sink: a load into an in-process PGlite (a `pglite://` URL or an
 * instance you hold). PGlite has no COPY FROM STDIN stream, so each table's
 * chunks are gathered into blobs of bounded size and loaded with
 * `COPY … FROM '/dev/blob'`, all in one transaction (the SQL and the
 * transactional logic are shared with the server sink).
 *
 * URLs: `pglite:///abs/dir`, `pglite://./relative/dir` (a data directory),
 * `pglite://memory` (in memory; useful only with an instance you keep).
 *
 * @example
 * ```ts
 * const sink = await openPgliteSink({ dataDir: './dev-db', schema, truncate: true });
 * const writer = await sink.beginTable(target);
 * await writer.write(chunk); await writer.end();
 * await sink.commit({ advanceSequences: true });
 * ```
 */
import type { PGliteInterface } from '@electric-sql/pglite';
import { UsageError, type ChunkWriter } from '@understudy/core';
import { isPgliteExtension, loadPgliteExtensions } from './pglite-extensions.js';
import { PostgresLoadSink, type CopyFraming, type PgLoadDriver, type PostgresSinkOptions } from './postgres-load-session.js';
import { startPglite } from './pglite-start.js';

/** Largest blob handed to one `COPY … FROM '/dev/blob'` (bytes). */
export const PGLITE_BLOB_BYTES = 32 * 1024 * 1024;

export interface PgliteSinkOptions extends PostgresSinkOptions {
  /** A PGlite instance to load into (left open afterwards). */
  readonly pglite?: PGliteInterface;
  /** Otherwise: a data directory to open (created if missing; in memory when absent). */
  readonly dataDir?: string;
  /** Bytes per blob (default 32 MB). */
  readonly blobBytes?: number;
}

/**
 * The data directory a `pglite://` URL names (`undefined` for `pglite://memory`).
 * @throws UsageError for another scheme or an empty path.
 * @example
 * ```ts
 * pgliteDataDir('pglite://./dev-db');    // './dev-db'
 * pgliteDataDir('pglite:///var/db');     // '/var/db'
 * pgliteDataDir('pglite://memory');      // undefined
 * ```
 */
export function pgliteDataDir(url: string): string | undefined {
  const match = /^pglite:\/\/(.*)$/i.exec(url);
  if (!match || match[1] === '') {
    throw new UsageError(`"${url}" is not a PGlite URL`, { hint: 'Use pglite://./dir, pglite:///absolute/dir or pglite://memory.' });
  }
  const rest = decodeURIComponent(match[1]!);
  return rest === 'memory' ? undefined : rest;
}

/**
 * A ChunkWriter that gathers chunks and runs `flush(blob)` whenever `limit` bytes are pending, and at the end;
 * with `framing` (binary COPY), each blob is a whole COPY stream: header, chunks, trailer.
 */
function blobWriter(limit: number, flush: (blob: Blob) => Promise<void>, framing?: CopyFraming): ChunkWriter {
  let parts: Uint8Array[] = [];
  let size = 0;
  const send = async (): Promise<void> => {
    if (size === 0) return;
    const all = framing ? [framing.header, ...parts, framing.trailer] : parts;
    const blob = new Blob(all as unknown as ConstructorParameters<typeof Blob>[0]);
    parts = [];
    size = 0;
    await flush(blob);
  };
  return {
    async write(chunk) {
      // Copy: the caller may reuse or transfer the buffer.
      parts.push(chunk.slice());
      size += chunk.byteLength;
      if (size >= limit) await send();
    },
    end: send,
  };
}

/**
 * Opens a transactional load into PGlite (see the file comment).
 * @throws UsageError for a non-empty table without `truncate`.
 * @example
 * ```ts
 * const sink = await openPgliteSink({ pglite, schema, truncate: false });
 * ```
 */
export async function openPgliteSink(options: PgliteSinkOptions): Promise<PostgresLoadSink> {
  let pglite = options.pglite;
  const owned = !pglite;
  if (!pglite) {
    const names = options.schema.extensions.map((e) => e.name).filter(isPgliteExtension);
    const extensions = await loadPgliteExtensions(names);
    pglite = await startPglite({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions });
  }
  const db = pglite;
  const limit = options.blobBytes ?? PGLITE_BLOB_BYTES;
  let closed = false;
  const driver: PgLoadDriver = {
    description: options.dataDir ? `PGlite (${options.dataDir})` : 'PGlite (in memory)',
    async query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
      return (await db.query<T>(text, params ? [...params] : [])).rows;
    },
    async script(sql: string): Promise<void> {
      await db.exec(sql);
    },
    async copyIn(_table, _columns, copySql, framing) {
      const text = copySql(`'/dev/blob'`);
      return blobWriter(
        limit,
        async (blob) => {
          await db.query(text, [], { blob });
        },
        framing,
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      if (owned && !db.closed) await db.close();
    },
    redact: (message) => message,
    releasesWrittenChunks: true, // blobWriter keeps copies
  };
  return PostgresLoadSink.open(driver, options);
}
