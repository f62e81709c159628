/**
 * Test support (not part of the API): the databases the sink tests load into —
 * a PostgreSQL server (UNDERSTUDY_TEST_PG_URL, a scratch database dropped after)
 * and an in-process PGlite — behind one small interface, plus helpers to build
 * load targets from an introspected schema.
 */
import { randomBytes } from 'node:crypto';
import type { EncoderColumn, LoadTarget, OpenSinkOptions, Schema, Sink } from '@understudy/core';
import { openPgliteSink } from './pglite-copy-sink.js';
import { openPostgresSink } from './postgres-copy-sink.js';
import { connectPostgres, type PgliteConnection, type PostgresServerConnection } from './postgres-connection.js';
import { openPglite, postgresDialect } from './postgres-dialect.js';
import { createScratchDatabase, dropScratchDatabase, urlForDatabase } from './postgres-scratch-database.js';

export const TEST_PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!TEST_PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping PostgreSQL server sink tests (PGlite still runs)');

export interface LoadTestDatabase {
  readonly name: string;
  /** Runs statements (several allowed) outside any load. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  introspect(namespace: string): Promise<Schema>;
  openSink(options: OpenSinkOptions & { deferIndexes?: boolean; copyFormat?: 'binary' | 'text' }): Promise<Sink>;
  /** Opens a sink as another role (which must exist, and may log in); `done` ends what that took. */
  openSinkAs(role: string, options: OpenSinkOptions): Promise<{ sink: Sink; done(): Promise<void> }>;
  close(): Promise<void>;
}

export function uniqueSchemaName(prefix = 's'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** A scratch database on the test server. */
export async function serverDatabase(url: string): Promise<LoadTestDatabase> {
  const name = await createScratchDatabase(url, 'understudy_sink_test');
  const dbUrl = urlForDatabase(url, name);
  const conn: PostgresServerConnection = await connectPostgres(dbUrl, postgresDialect);
  return {
    name: 'postgres',
    exec: async (sql) => void (await conn.pool.query(sql)),
    query: async <T>(sql: string) => (await conn.pool.query(sql)).rows as T[],
    introspect: (ns) => conn.introspect({ schemas: [ns] }),
    openSink: (options) => openPostgresSink(dbUrl, options),
    openSinkAs: async (role, options) => {
      const as = new URL(dbUrl);
      as.username = role;
      as.password = '';
      return { sink: await openPostgresSink(as.toString(), options), done: async () => undefined };
    },
    close: async () => {
      await conn.close();
      await dropScratchDatabase(url, name);
    },
  };
}

/** An in-memory PGlite. */
export async function pgliteDatabase(): Promise<LoadTestDatabase> {
  const conn: PgliteConnection = await openPglite();
  return {
    name: 'pglite',
    exec: async (sql) => void (await conn.pglite.exec(sql)),
    query: async <T>(sql: string) => (await conn.pglite.query<T>(sql)).rows,
    introspect: (ns) => conn.introspect({ schemas: [ns] }),
    openSink: (options) => openPgliteSink({ ...options, pglite: conn.pglite, blobBytes: 4096 }),
    openSinkAs: async (role, options) => {
      await conn.pglite.exec(`SET ROLE ${role}`);
      return { sink: await openPgliteSink({ ...options, pglite: conn.pglite, blobBytes: 4096 }), done: async () => void (await conn.pglite.exec('RESET ROLE')) };
    },
    close: () => conn.close(),
  };
}

/** The databases a sink test runs against, for `describe.each`: PGlite always, the server when UNDERSTUDY_TEST_PG_URL is set. */
export const LOAD_TEST_DATABASES: Array<[string, () => Promise<LoadTestDatabase>]> = [
  ['pglite', pgliteDatabase],
  ...(TEST_PG_URL ? [['postgres server', () => serverDatabase(TEST_PG_URL)] as [string, () => Promise<LoadTestDatabase>]] : []),
];

/** Encoder columns of a table, in model order, generated columns left out. */
export function columnsOf(schema: Schema, table: string, only?: readonly string[]): EncoderColumn[] {
  const t = schema.tables[table];
  if (!t) throw new Error(`no table ${table}`);
  const cols = t.columns.filter((c) => !c.generated && (!only || only.includes(c.name)));
  const ordered = only ? only.map((n) => cols.find((c) => c.name === n)!) : cols;
  return ordered.map((c) => ({ name: c.name, kind: c.kind, arrayDimensions: c.arrayDimensions, rawType: c.rawType }));
}

type EncoderModule = { createEncoder(columns: readonly EncoderColumn[], options: unknown): (rows: readonly (readonly unknown[])[]) => Uint8Array };

/** Loads `rows` into one table through an open sink, in chunks of `chunk` rows, encoded as the sink asks for that table (as workers do). */
export async function loadRows(sink: Sink, target: LoadTarget, rows: readonly (readonly unknown[])[], chunk = 2): Promise<void> {
  const encoding = sink.encodingFor?.(target) ?? sink.encoding;
  const encode = ((await import(encoding.module)) as EncoderModule).createEncoder(target.columns, encoding.options);
  const writer = await sink.beginTable(target);
  for (let i = 0; i < rows.length; i += chunk) await writer.write(encode(rows.slice(i, i + chunk)));
  await writer.end();
}
