/**
 * MySQL's and MariaDB's reader role (what `scrub` and `audit` read a source through):
 * one session in `REPEATABLE READ` with `START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY`,
 * so every table is read from the same snapshot and nothing can be written, and each
 * table streamed with a plain `SELECT` whose rows mysql2 hands over one by one (the
 * socket is paused while a batch is being written: memory stays flat in the row count).
 * Nothing is created on the source.
 *
 * Every value is read as the server prints it (`time_zone = '+00:00'`, as the LOAD DATA
 * sink writes), except bytes, read as hex (`HEX(c)`), bit columns in binary digits and
 * spatial values as WKT: the forms the sink's encoders load back with `UNHEX`,
 * `CONV(…, 2, 10)` and `ST_GeomFromText`.
 *
 * @example
 * ```ts
 * const reader = await openMysqlSnapshot(parseMysqlUrl(url));
 * for await (const batch of reader.rows(table, ['id', 'email'])) …;
 * await reader.close();
 * ```
 */
import type { Column, RawRowFormat, SnapshotReader, Table, TextRow } from '@understudy/core';
import { createConnection, type Connection, type FieldPacket } from 'mysql2';
import { connectionErrorFrom } from './mysql-errors.js';
import { createRowFormatter, HEX_KINDS } from './mysql-load-data-encoder.js';
import { CONNECT_TIMEOUT_MS, type MysqlTarget } from './mysql-url.js';

const quote = (id: string): string => `\`${id.replace(/`/g, '``')}\``;

/**
 * The expression a column is read as: its text, bytes as hex, bit as binary digits, spatial as WKT.
 * @example
 * ```ts
 * readExpression({ name: 'avatar', kind: 'blob' }); // 'HEX(`avatar`)'
 * ```
 */
export function readExpression(column: Pick<Column, 'name' | 'kind'> | undefined, name: string): string {
  const c = quote(name);
  if (column && HEX_KINDS.has(column.kind)) return `HEX(${c})`;
  if (column?.kind === 'bit') return `BIN(${c} + 0)`;
  if (column?.kind === 'spatial') return `ST_AsText(${c})`;
  return c;
}

/** What `lines` yields: LOAD DATA text (binary columns as hex), which the LOAD DATA sink takes as it is. */
export const LOAD_DATA_ROWS: RawRowFormat = { fieldCodec: '@understudy/mysql/load-data-fields', encodingModule: '@understudy/mysql/load-data-encoder' };

/** Every value as the text the server sent (mysql2 parses nothing). */
const asText = (field: { string(): string | null }): string | null => field.string();

function query(conn: Connection, text: string): Promise<unknown> {
  return new Promise((resolve, reject) => conn.query(text, (error, rows) => (error ? reject(error) : resolve(rows))));
}

/**
 * Opens the snapshot on a session of its own.
 * @throws ConnectionError (refused, authentication failed, no such database).
 */
export async function openMysqlSnapshot(target: MysqlTarget, url?: string): Promise<SnapshotReader> {
  const conn = createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    socketPath: target.socketPath,
    ssl: target.ssl ? {} : undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    charset: 'utf8mb4_general_ci',
    typeCast: asText,
  });
  conn.on('error', () => undefined);
  try {
    await query(conn, "SET time_zone = '+00:00'");
    await query(conn, 'SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await query(conn, 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  } catch (error) {
    conn.destroy();
    throw connectionErrorFrom(error, target, url ?? target.description);
  }
  let closed = false;
  // A SELECT left unfinished (the consumer stopped: an error, Ctrl-C) leaves rows on the wire: the session is then ended, not reused.
  let broken = false;
  const from = (table: Table): string => `${quote(table.schema)}.${quote(table.name)}`;
  /** A table's rows one by one, as text (the socket paused while the consumer is busy). */
  async function* select(table: Table, columns: readonly string[], where: string | undefined, highWaterMark: number): AsyncIterable<TextRow> {
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    const list = columns.length === 0 ? '1' : columns.map((name) => readExpression(byName.get(name), name)).join(', ');
    const condition = where === undefined ? '' : ` WHERE (${where})`;
    const stream = conn.query({ sql: `SELECT ${list} FROM ${from(table)}${condition}`, rowsAsArray: true }).stream({ highWaterMark });
    let finished = false;
    try {
      for await (const row of stream as AsyncIterable<(string | null)[] | FieldPacket[]>) yield columns.length === 0 ? [] : (row as TextRow);
      finished = true;
    } finally {
      if (!finished) {
        broken = true;
        stream.destroy();
      }
    }
  }
  return {
    description: target.description,
    async count(table: Table): Promise<number> {
      const rows = (await query(conn, `SELECT COUNT(*) AS n FROM ${from(table)}`)) as Array<{ n: string }>;
      return Number(rows[0]?.n ?? 0);
    },
    async *rows(table: Table, columns: readonly string[], options = {}): AsyncIterable<TextRow[]> {
      const batchRows = options.batchRows ?? 5000;
      let batch: TextRow[] = [];
      for await (const row of select(table, columns, options.where, Math.min(batchRows, 1000))) {
        batch.push(row);
        if (batch.length >= batchRows) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    },
    rawFormat: LOAD_DATA_ROWS,
    async *lines(table: Table, columns: readonly string[], options = {}): AsyncIterable<Uint8Array> {
      const chunkChars = options.chunkBytes ?? 256 * 1024;
      const byName = new Map(table.columns.map((c) => [c.name, c]));
      const line = createRowFormatter(
        columns.map((name) => ({ name, kind: byName.get(name)?.kind ?? 'text', arrayDimensions: 0, rawType: byName.get(name)?.rawType ?? '' })),
        { hexText: true },
      );
      let out = '';
      for await (const row of select(table, columns, undefined, 1000)) {
        out += line(row);
        if (out.length < chunkChars) continue;
        yield Buffer.from(out, 'utf8');
        out = '';
      }
      if (out.length > 0) yield Buffer.from(out, 'utf8');
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (broken) {
        conn.destroy(); // the server drops the read-only transaction with the session
        return;
      }
      try {
        await query(conn, 'ROLLBACK');
        await new Promise<void>((resolve) => conn.end(() => resolve()));
      } catch {
        conn.destroy();
      }
    },
  };
}
