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

/** What `binaryLines` yields: binary COPY tuples, which the binary COPY sink takes as they are. */
export const COPY_BINARY_ROWS = { encodingModule: '@understudy/postgres/binary-copy-encoder' } as const;

/**
 * Where the binary COPY stream `buf` (from `start`) stops holding whole tuples: the offset after the
 * last complete one, and whether the trailer (a field count of -1) follows it.
 */
export function wholeTuples(buf: Uint8Array, start: number): { end: number; trailer: boolean } {
  let pos = start;
  const n = buf.length;
  for (;;) {
    if (pos + 2 > n) return { end: pos, trailer: false };
    const fields = (buf[pos]! << 8) | buf[pos + 1]!;
    if (fields === 0xffff) return { end: pos, trailer: true };
    let p = pos + 2;
    for (let f = 0; f < fields; f++) {
      if (p + 4 > n) return { end: pos, trailer: false };
      const len = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >> 0;
      p += 4 + (len > 0 ? len : 0);
    }
    if (p > n) return { end: pos, trailer: false };
    pos = p;
  }
}

/**
 * A COPY TO stream's bytes in pieces of about `chunkBytes`, each cut where `cut` says (after `skip`
 * bytes not to yield, up to `end`: whole rows; undefined: read more first), then the rest, `last`.
 * `abandoned` is called when the consumer stops before the end (the stream is destroyed).
 */
async function* chunksOf(
  stream: NodeJS.ReadableStream & { destroy(): void },
  chunkBytes: number,
  cut: (all: Buffer) => { skip: number; end: number } | undefined,
  abandoned: () => void,
): AsyncIterable<{ bytes: Buffer; last: boolean }> {
  let parts: Buffer[] = [];
  let size = 0;
  let finished = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size < chunkBytes) continue;
      const all = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
      const at = cut(all);
      if (at === undefined) continue;
      parts = at.end < all.length ? [all.subarray(at.end)] : [];
      size = all.length - at.end;
      if (at.end > at.skip) yield { bytes: all.subarray(at.skip, at.end), last: false };
    }
    finished = true;
  } finally {
    if (!finished) {
      abandoned();
      stream.destroy();
    }
  }
  yield { bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size), last: true };
}

/** The length of a binary COPY stream's header (signature, flags, extension), once `buf` holds it all. */
function binaryHeaderLength(buf: Uint8Array): number | undefined {
  if (buf.length < 19) return undefined;
  const extension = ((buf[15]! << 24) | (buf[16]! << 16) | (buf[17]! << 8) | buf[18]!) >>> 0;
  return buf.length < 19 + extension ? undefined : 19 + extension;
}

/** Splits one line of COPY text into fields. */
export function parseCopyLine(line: string): TextRow {
  return line.split('\t').map((f) => (f === '\\N' ? null : copyUnescape(f)));
}

/**
 * `SnapshotReader.binaryLines` on the snapshot's session: `COPY (SELECT …) TO STDOUT (FORMAT binary)`,
 * header and trailer cut off, in chunks of whole tuples. `abandoned` is called when the consumer
 * stops before the end (the session is then busy with the COPY and must not be reused).
 */
async function* binaryCopyChunks(
  client: pg.PoolClient,
  table: Table,
  columns: readonly string[],
  options: { readonly asText: readonly number[]; readonly chunkBytes?: number },
  abandoned: () => void,
): AsyncIterable<Uint8Array> {
  const chunkBytes = options.chunkBytes ?? 256 * 1024;
  const asText = new Set(options.asText);
  // The type's output function, as COPY text prints it: `::text` is a cast, which differs for some
  // types (char(n) loses its padding, a boolean reads true); concat() of NULL is '', hence the CASE.
  const select = columns.map((c, i) => (asText.has(i) ? `CASE WHEN ${quote(c)} IS NULL THEN NULL ELSE concat(${quote(c)}) END` : quote(c))).join(', ');
  const stream = client.query(copyTo(`COPY (SELECT ${select} FROM ${quote(table.schema)}.${quote(table.name)}) TO STDOUT (FORMAT binary)`));
  let header = true;
  const cut = (all: Buffer): { skip: number; end: number } | undefined => {
    let skip = 0;
    if (header) {
      const length = binaryHeaderLength(all);
      if (length === undefined) return undefined;
      skip = length;
      header = false;
    }
    return { skip, end: wholeTuples(all, skip).end };
  };
  let rest: Buffer | undefined;
  for await (const piece of chunksOf(stream, chunkBytes, cut, abandoned)) {
    if (piece.last) rest = piece.bytes;
    else yield piece.bytes;
  }
  let tail = rest ?? Buffer.alloc(0);
  if (header) tail = tail.subarray(binaryHeaderLength(tail) ?? tail.length);
  const { end, trailer } = wholeTuples(tail, 0);
  if (!trailer || end + 2 !== tail.length) throw new Error(`the binary COPY of ${table.schema}.${table.name} ended inside a row`);
  if (end > 0) yield tail.subarray(0, end);
}

/**
 * Each table's rows as the planner estimates them: the last VACUUM or ANALYZE's rows per page
 * times the pages it has now, summed over a partitioned table's leaves; NULL where a leaf was
 * never analyzed or has grown from empty since (no density to go by).
 */
const ESTIMATED_ROWS = `SELECT (SELECT CASE WHEN bool_and(c.reltuples >= 0 AND (c.relpages > 0 OR pg_relation_size(c.oid) = 0))
              THEN sum(CASE WHEN c.relpages = 0 THEN 0 ELSE c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int) END) END
          FROM pg_class c
         WHERE c.oid = ANY (coalesce((SELECT array_agg(p.relid) FROM pg_partition_tree(t.name::regclass) p WHERE p.isleaf), ARRAY[t.name::regclass]))) AS n
  FROM unnest($1::text[]) WITH ORDINALITY AS t(name, i) ORDER BY t.i`;

/**
 * Opens the snapshot on a session of `pool`.
 * @param description the source, password removed, for messages.
 */
export async function openPostgresSnapshot(pool: pg.Pool, description: string): Promise<SnapshotReader> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Values printed as pg_dump prints them, whatever the server's defaults: ISO dates, every float's
    // digits, bytea in hex (what the transforms and the binary encoder read).
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = 'hex'");
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
    async estimate(tables: readonly Table[]): Promise<readonly (number | undefined)[]> {
      const names = tables.map((t) => `${quote(t.schema)}.${quote(t.name)}`);
      const { rows } = await client.query<{ n: number | null }>(ESTIMATED_ROWS, [names]);
      return rows.map((r) => (r.n === null ? undefined : Math.round(Number(r.n))));
    },
    rawFormat: COPY_TEXT_ROWS,
    async *lines(table: Table, columns: readonly string[], options = {}): AsyncIterable<Uint8Array> {
      const chunkBytes = options.chunkBytes ?? 256 * 1024;
      const select = columns.length === 0 ? '' : columns.map(quote).join(', ');
      const stream = client.query(copyTo(`COPY (SELECT ${select} FROM ${quote(table.schema)}.${quote(table.name)}) TO STDOUT`));
      const cut = (all: Buffer): { skip: number; end: number } => ({ skip: 0, end: all.lastIndexOf(10) + 1 });
      const abandoned = (): void => {
        broken = true;
      };
      for await (const piece of chunksOf(stream, chunkBytes, cut, abandoned)) if (piece.bytes.length > 0) yield piece.bytes;
    },
    binaryFormat: COPY_BINARY_ROWS,
    binaryLines: (table, columns, options) =>
      binaryCopyChunks(client, table, columns, options, () => {
        broken = true;
      }),
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
