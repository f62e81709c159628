/**
 * The PostgreSQL server sink: one dedicated `pg.Client`, one transaction, each
 * table streamed with `COPY … FROM STDIN` (pg-copy-streams) with backpressure.
 *
 * @example
 * ```ts
 * const sink = await openPostgresSink('postgres://app@localhost/shop', { schema, truncate: true });
 * try {
 *   const writer = await sink.beginTable(target);
 *   await writer.write(encodedChunk);
 *   await writer.end();
 *   await sink.commit({ advanceSequences: true });
 * } catch (error) { await sink.rollback(); throw error; }
 * ```
 */
import type { Writable } from 'node:stream';
import { redactSecrets, redactUrl, type ChunkWriter } from '@understudy/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CONNECT_TIMEOUT_MS } from './postgres-connection.js';
import { connectionError, parseServerUrl } from './postgres-connection-errors.js';
import { PostgresLoadSink, type PgLoadDriver, type PostgresSinkOptions } from './postgres-load-session.js';

/** Chunks smaller than this (or than the stream's high-water mark) are copied before they are written (see `streamWriter`). */
const COPY_CHUNKS_BELOW = 64 * 1024;

/**
 * A `ChunkWriter` over a writable stream: `write` waits for 'drain' when the stream
 * is full, `end` waits for 'finish'; the first stream error rejects every later call.
 *
 * Once `write` resolves the stream holds no reference to the chunk, so the caller may fill
 * its memory again: a chunk of at least the high-water marks of the stream and of the socket
 * under it (16 KiB each, Node's default) fills them, so `write` waits for 'drain', which comes
 * once the socket has sent it; a smaller one may wait in a queue after it is accepted, so
 * it is written as a copy (of at most 64 KiB).
 * @example
 * ```ts
 * const writer = streamWriter(client.query(copyFrom('COPY t FROM STDIN')));
 * ```
 */
export function streamWriter(stream: Writable): ChunkWriter {
  const copyBelow = Math.max(COPY_CHUNKS_BELOW, stream.writableHighWaterMark);
  let failure: unknown;
  const failed = new Promise<never>((_, reject) => {
    stream.once('error', (error) => {
      failure = error;
      reject(error);
    });
  });
  failed.catch(() => undefined);
  const finished = new Promise<void>((resolve) => stream.once('finish', () => resolve()));
  return {
    async write(chunk) {
      if (failure !== undefined) throw failure;
      if (!stream.write(chunk.byteLength < copyBelow ? Buffer.from(chunk) : chunk)) {
        await Promise.race([new Promise<void>((resolve) => stream.once('drain', () => resolve())), failed]);
      }
    },
    async end() {
      if (failure !== undefined) throw failure;
      stream.end();
      await Promise.race([finished, failed]);
    },
  };
}

/**
 * Asks the server at `url` to cancel what backend `pid` runs (`pg_cancel_backend`, allowed for one's
 * own sessions), from a connection of its own. Failing to is not an error: the load still rolls back
 * once the statement ends.
 */
async function cancelBackend(url: string, pid: number | null): Promise<void> {
  if (pid === null) return;
  const side = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'understudy (cancel)' });
  side.on('error', () => undefined);
  try {
    await side.connect();
    await side.query('SELECT pg_cancel_backend($1)', [pid]);
  } catch {
    // the server went away, or the statement ended meanwhile
  } finally {
    await side.end().catch(() => undefined);
  }
}

/**
 * Opens a load into the PostgreSQL server at `url` (see `PostgresLoadSink`).
 * @throws ConnectionError when the server cannot be reached; UsageError for a non-empty table without `truncate`.
 * @example
 * ```ts
 * const sink = await openPostgresSink(url, { schema, truncate: false, deferIndexes: true });
 * ```
 */
export async function openPostgresSink(url: string, options: PostgresSinkOptions): Promise<PostgresLoadSink> {
  parseServerUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'understudy' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    // PostgreSQL 14+: the server checks every second that we are still there, so a load whose process was
    // killed (SIGKILL) while a statement waited for a lock stops queueing for it at once.
    await client.query(`SELECT set_config('client_connection_check_interval', '1000', false) WHERE current_setting('server_version_num')::int >= 140000`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(error, url);
  }
  let closed = false;
  // Ctrl-C: cancel the statement the server runs for us now (a TRUNCATE waiting for a lock, an index
  // rebuild), from a second connection, instead of waiting for it to end; the load then rolls back.
  const cancel = (): void => {
    if (!closed) void cancelBackend(url, (client as unknown as { processID: number | null }).processID);
  };
  options.signal?.addEventListener('abort', cancel, { once: true });
  let copying = 0;
  const driver: PgLoadDriver = {
    description: redactUrl(url),
    releasesWrittenChunks: true, // streamWriter's contract
    async query<T>(text: string, params?: readonly unknown[]): Promise<T[]> {
      const result = await client.query(text, params ? [...params] : undefined);
      return result.rows as T[];
    },
    async script(sql: string): Promise<void> {
      await client.query(sql); // no parameters: the simple query protocol, which takes several statements
    },
    async copyIn(_table, _columns, copySql, framing) {
      const stream = client.query(copyFrom(copySql('STDIN')));
      copying++;
      let open = true;
      const settle = (): void => {
        if (open) copying--;
        open = false;
      };
      stream.once('finish', settle);
      stream.once('error', settle);
      const writer = streamWriter(stream);
      if (!framing) return writer;
      await writer.write(framing.header);
      return {
        write: (chunk) => writer.write(chunk),
        end: async () => {
          await writer.write(framing.trailer);
          await writer.end();
        },
      };
    },
    busy: () => copying > 0,
    async close() {
      if (closed) return;
      closed = true;
      options.signal?.removeEventListener('abort', cancel);
      await client.end().catch(() => undefined);
    },
    redact: (message) => redactSecrets(message, url),
  };
  return PostgresLoadSink.open(driver, options);
}
