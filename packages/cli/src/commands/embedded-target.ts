/**
 * The embedded target of `understudy seed` with no --url: a PGlite (in memory,
 * or kept in --pglite DIR) into which the --from DDL (or, with --drizzle, the
 * module's DDL: see embedded-drizzle-target.ts) is loaded first; the schema to
 * plan is then introspected from that PGlite itself.
 */
import { UsageError, type OpenSinkOptions, type Schema, type Sink } from '@understudy/core';
import { embeddedDialect } from '../dialects.js';
import { note } from '../output.js';
import type { DrizzleHints } from './drizzle-source.js';
import { openDrizzleEmbeddedTarget } from './embedded-drizzle-target.js';

export interface EmbeddedTarget {
  readonly schema: Schema;
  /** A drizzle module's generator hints (with --drizzle). */
  readonly hints?: DrizzleHints;
  readonly description: string;
  /** The embedded engine's own client (see EmbeddedDatabase.client). */
  readonly client: unknown;
  /** Opens the load (`options.schema` is this target's). */
  openSink(options: OpenSinkOptions): Promise<Sink>;
  close(): Promise<void>;
}

/** Opens the embedded database and loads `from` into it (unless the kept DIR already has the tables). */
export async function openEmbeddedTarget(options: { from?: string; schema?: string; drizzle?: string | boolean; pglite?: string }): Promise<EmbeddedTarget> {
  if (options.drizzle !== undefined && options.from === undefined && options.schema === undefined) return openDrizzleEmbeddedTarget(options.drizzle, options.pglite);
  const dialect = await embeddedDialect();
  if (options.from === undefined) {
    const given = options.schema !== undefined ? '--schema' : undefined;
    throw new UsageError(
      given
        ? `${given} has no DDL to create the tables in the embedded ${dialect.embeddedEngine}: give --from FILE.sql (the CREATE statements) or --drizzle (a drizzle schema), or --url to seed a database that has them`
        : `seed needs a target or a schema: --url URL (a database that has the tables), --from FILE.sql or --drizzle [PATH] (create them in an embedded ${dialect.embeddedEngine})`,
      { hint: 'Example: understudy seed --from fixtures/schemas/pagila/schema.sql --pglite ./dev-db' },
    );
  }
  if (options.drizzle !== undefined) throw new UsageError('give one schema source, not --from and --drizzle');
  const db = await dialect.openEmbedded({ ddl: { file: options.from }, ...(options.pglite !== undefined ? { dataDir: options.pglite } : {}) });
  try {
    const schema = { ...(await db.introspect()), source: `file:${options.from}` };
    for (const n of schema.notes.filter((line) => line.startsWith('skipped CREATE EXTENSION'))) note(`note: ${n}`);
    return { schema, description: db.description, client: db.client, openSink: (sinkOptions) => db.openSink(sinkOptions), close: () => db.close() };
  } catch (error) {
    await db.close();
    throw error;
  }
}
