/**
 * Test support (not built) for the sink tests: a database made from DDL and introspected,
 * plain SELECTs on it, and loading rows through a sink exactly as the seed does (encoded by
 * the sink's own encoder module, in chunks).
 */
import type { EncoderColumn, LoadTarget, Schema, Sink } from '@understudy/core';
import { sql } from 'kysely';
import { mysqlDialect } from './mysql-dialect.js';
import { openMysql } from './mysql-pool.js';
import { parseMysqlUrl } from './mysql-url.js';
import { loadDirectly, uniqueName, urlWith } from './test-mysql-server.js';

/** A fresh database `prefix…` with `ddl` run in it, and its introspected schema; `created` gets its name for the cleanup. */
export async function databaseWith(created: string[], ddl: string, prefix = 'understudy_sink_'): Promise<{ url: string; schema: Schema; name: string }> {
  const name = uniqueName(prefix);
  created.push(name);
  await loadDirectly(name, ddl);
  const url = urlWith({ database: name });
  const conn = await mysqlDialect.connect(url);
  try {
    return { url, schema: await conn.introspect(), name };
  } finally {
    await conn.close();
  }
}

/** The rows of one statement, on a connection of its own. */
export async function select(url: string, text: string): Promise<Array<Record<string, unknown>>> {
  const { db } = await openMysql(parseMysqlUrl(url), url, { connectionLimit: 1 });
  try {
    return (await sql.raw(text).execute(db)).rows as Array<Record<string, unknown>>;
  } finally {
    await db.destroy();
  }
}

/** The encoder columns of `table` (all but generated ones, or `only`). */
export function columnsOf(schema: Schema, table: string, only?: readonly string[]): EncoderColumn[] {
  const t = schema.tables[table]!;
  const names = only ?? t.columns.filter((c) => !c.generated).map((c) => c.name);
  return names.map((n) => {
    const c = t.columns.find((x) => x.name === n)!;
    return { name: c.name, kind: c.kind, arrayDimensions: c.arrayDimensions, rawType: c.rawType };
  });
}

/** Loads `rows` into `target` through `sink`, `chunk` rows per encoded chunk. */
export async function load(sink: Sink, target: LoadTarget, rows: readonly (readonly unknown[])[], chunk = 2): Promise<void> {
  const { createEncoder } = (await import(sink.encoding.module)) as { createEncoder: (c: readonly EncoderColumn[], o: unknown) => (r: readonly (readonly unknown[])[]) => Uint8Array };
  const encode = createEncoder(target.columns, sink.encoding.options);
  const writer = await sink.beginTable(target);
  for (let i = 0; i < rows.length; i += chunk) await writer.write(encode(rows.slice(i, i + chunk)));
  await writer.end();
}

/** The load target of a whole table of `schema`. */
export function targetOf(schema: Schema, table: string, rows: number): LoadTarget {
  return { table, columns: columnsOf(schema, table), rows };
}
