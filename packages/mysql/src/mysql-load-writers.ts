/**
 * The two ways a MySQL/MariaDB sink writes a table's encoded chunks:
 * a `LOAD DATA LOCAL INFILE` fed by a stream (with backpressure on the socket),
 * or batched `INSERT … VALUES` statements built from the INSERT encoder's lines.
 *
 * @example
 * ```ts
 * const writer = loadDataWriter(conn, (file) => loadDataSql('`t`', columns, file), 'understudy-1');
 * await writer.write(chunk); await writer.end();
 * ```
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ChunkWriter, EncoderColumn } from '@understudy/core';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { insertPrefix } from './mysql-load-sql.js';

/** Largest piece handed to the stream at once (mysql2 sends each as one packet). */
const PIECE_BYTES = 1024 * 1024;
/** Socket bytes buffered before `write` waits for it to drain. */
const SOCKET_HIGH_WATER = 8 * 1024 * 1024;

function countLines(chunk: Uint8Array): number {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Streams chunks (LOAD DATA encoder output) into one `LOAD DATA LOCAL INFILE`. With LOCAL
 * the server turns errors (duplicate keys, bad values) into warnings and skips rows, so
 * `end()` checks that every row arrived and no warning was raised.
 * @example
 * ```ts
 * const writer = loadDataWriter(conn, (file) => `LOAD DATA LOCAL INFILE '${file}' INTO TABLE t`, 'understudy-t');
 * ```
 */
export function loadDataWriter(conn: Connection, sqlFor: (file: string) => string, file: string): ChunkWriter {
  const stream = new PassThrough({ highWaterMark: 4 * PIECE_BYTES });
  let rows = 0;
  const done = conn.query({ sql: sqlFor(file), infileStreamFactory: () => stream }) as unknown as Promise<[ResultSetHeader]>;
  done.catch(() => undefined);
  const failed = done.then(() => new Promise<never>(() => undefined));
  failed.catch(() => undefined);
  const socket = (conn as unknown as { connection?: { stream?: NodeJS.WritableStream & { writableLength?: number } } }).connection?.stream;
  return {
    async write(chunk) {
      rows += countLines(chunk);
      for (let at = 0; at < chunk.byteLength; at += PIECE_BYTES) {
        // A copy (Buffer.from copies a view): the stream may hold it after write returns; the chunk is the caller's again.
        const piece = Buffer.from(chunk.subarray(at, at + PIECE_BYTES));
        if (!stream.write(piece)) await Promise.race([once(stream, 'drain'), failed]);
      }
      if (socket && (socket.writableLength ?? 0) > SOCKET_HIGH_WATER) await Promise.race([once(socket, 'drain'), failed]);
    },
    async end() {
      stream.end();
      const [result] = await done;
      if (result.affectedRows !== rows || result.warningStatus > 0) {
        const [warnings] = (await conn.query('SHOW WARNINGS LIMIT 3')) as unknown as [Array<{ Message: string }>];
        const said = warnings.map((w) => w.Message).join('; ');
        throw new Error(`${rows - result.affectedRows} of ${rows} rows were not loaded${said ? `: ${said}` : ''}`);
      }
    },
  };
}

/**
 * Runs the INSERT encoder's `(…)` lines as multi-row INSERTs of at most `maxBytes` bytes each
 * (no bind parameters are used, so only max_allowed_packet bounds a statement).
 * @example
 * ```ts
 * const writer = insertWriter(conn, '`shop`.`users`', columns, 4 << 20);
 * ```
 */
export function insertWriter(conn: Connection, table: string, columns: readonly EncoderColumn[], maxBytes: number): ChunkWriter {
  const prefix = `${insertPrefix(table, columns)} `;
  let batch: string[] = [];
  let size = prefix.length;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const text = prefix + batch.join(',');
    batch = [];
    size = prefix.length;
    await conn.query(text);
  };
  return {
    async write(chunk) {
      const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        const tuple = text.slice(start, nl);
        start = nl + 1;
        if (tuple.length === 0) continue;
        if (size + tuple.length + 1 > maxBytes) await flush();
        batch.push(tuple);
        size += tuple.length + 1;
      }
    },
    end: flush,
  };
}
