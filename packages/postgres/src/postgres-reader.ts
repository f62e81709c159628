/**
 * PostgreSQL's reader role: one `REPEATABLE READ, READ ONLY` transaction on a
 * dedicated session, each table streamed with `COPY (SELECT …) TO STDOUT` (text
 * format) and parsed into rows of text. Nothing is created on the source, and every
 * table is read from the same snapshot, so the copy is consistent.
 *
 * @example
 * ```ts
 * const reader = await openPostgresSnapshot(pool, 'postgres://…/app');
 * for await (const batch of reader.rows(table, ['id', 'email'])) …;
 * await reader.close();
 * ```
 */
import type { RawRowFormat, SnapshotReader, Table, TextRow } from '@understudy/core';
import { copyUnescape } from './postgres-copy-fields.js';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const quote = (id: string): string => `"${id.replace(/"/g, '""')}"`;

export { copyUnescape };

/** What `lines` yields: COPY text, whose fields the COPY text sink takes as they are. */
export const COPY_TEXT_ROWS: RawRowFormat = { fieldCodec: '@understudy/postgres/copy-fields', encodingModule: '@understudy/postgres/copy-encoder' };

/** Splits one line of COPY text into fields. */
export function parseCopyLine(line: string): TextRow {
  return line.split('\t').map((f) => (f === '\\N' ? null : copyUnescape(f)));
}

/**
 * Opens the snapshot on a session of `pool`.
 * @param description the source, password removed, for messages.
 */
export async function openPostgresSnapshot(pool: pg.Pool, description: string): Promise<SnapshotReader> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    client.release(true);
    throw error;
  }
  let closed = false;
  // A COPY left unfinished (the consumer stopped: an error, Ctrl-C) leaves the session busy: it is then destroyed, not reused.
  let broken = false;
  return {
    description,
    async count(table: Table): Promise<number> {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table.schema)}.${quote(table.name)}`);
      return Number(rows[0]?.n ?? 0);
    },
    rawFormat: COPY_TEXT_ROWS,
    async *lines(table: Table, columns: readonly string[], options = {}): AsyncIterable<Uint8Array> {
      const chunkBytes = options.chunkBytes ?? 256 * 1024;
      const select = columns.length === 0 ? '' : columns.map(quote).join(', ');
      const stream = client.query(copyTo(`COPY (SELECT ${select} FROM ${quote(table.schema)}.${quote(table.name)}) TO STDOUT`));
      let parts: Buffer[] = [];
      let size = 0;
      let finished = false;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          parts.push(chunk);
          size += chunk.length;
          if (size < chunkBytes) continue;
          const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
          const end = all.lastIndexOf(10) + 1;
          parts = end < all.length ? [all.subarray(end)] : [];
          size = all.length - end;
          if (end > 0) yield all.subarray(0, end);
        }
        finished = true;
      } finally {
        if (!finished) {
          broken = true;
          stream.destroy();
        }
      }
      if (size > 0) yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    },
    async *rows(table: Table, columns: readonly string[], options = {}): AsyncIterable<TextRow[]> {
      const batchRows = options.batchRows ?? 5000;
      const select = columns.length === 0 ? '' : columns.map(quote).join(', ');
      const where = options.where === undefined ? '' : ` WHERE (${options.where})`;
      const stream = client.query(copyTo(`COPY (SELECT ${select} FROM ${quote(table.schema)}.${quote(table.name)}${where}) TO STDOUT`));
      const decoder = new TextDecoder('utf-8');
      let pending = '';
      let batch: TextRow[] = [];
      let finished = false;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          pending += decoder.decode(chunk, { stream: true });
          let start = 0;
          for (let nl = pending.indexOf('\n', start); nl !== -1; nl = pending.indexOf('\n', start)) {
            batch.push(columns.length === 0 ? [] : parseCopyLine(pending.slice(start, nl)));
            start = nl + 1;
            if (batch.length >= batchRows) {
              yield batch;
              batch = [];
            }
          }
          pending = pending.slice(start);
        }
        pending += decoder.decode();
        if (pending.length > 0) batch.push(parseCopyLine(pending));
        finished = true;
      } finally {
        if (!finished) {
          broken = true;
          stream.destroy();
        }
      }
      if (batch.length > 0) yield batch;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (broken) {
        client.release(true); // ends the session: the server drops the read-only transaction with it
        return;
      }
      try {
        await client.query('ROLLBACK');
        client.release();
      } catch {
        client.release(true);
      }
    },
  };
}

/**
 * The reader role over a Kysely instance (PGlite, in process): each table read with one
 * `SELECT col::text …` (its rows then held in memory; an embedded database is local and
 * has no other session to be consistent with).
 */
export function openQuerySnapshot(db: Kysely<any>, description: string): SnapshotReader {
  return {
    description,
    async count(table: Table): Promise<number> {
      const { rows } = await sql.raw<{ n: string | number }>(`SELECT count(*) AS n FROM ${quote(table.schema)}.${quote(table.name)}`).execute(db);
      return Number(rows[0]?.n ?? 0);
    },
    async *rows(table: Table, columns: readonly string[], options = {}): AsyncIterable<TextRow[]> {
      const batchRows = options.batchRows ?? 5000;
      const select = columns.length === 0 ? '1 AS x' : columns.map((c, i) => `${quote(c)}::text AS c${i}`).join(', ');
      const where = options.where === undefined ? '' : ` WHERE (${options.where})`;
      const { rows } = await sql.raw<Record<string, string | null>>(`SELECT ${select} FROM ${quote(table.schema)}.${quote(table.name)}${where}`).execute(db);
      for (let start = 0; start < rows.length; start += batchRows) {
        yield rows.slice(start, start + batchRows).map((r) => columns.map((_, i) => r[`c${i}`] ?? null));
      }
    },
    close: async () => undefined,
  };
}
