/**
 * The embedded target of `understudy seed` with no --url: a PGlite (in memory,
 * or kept in --pglite DIR) into which the --from DDL (or, with --drizzle, the
 * module's DDL: see embedded-drizzle-target.ts) is loaded first; the schema to
 * plan is then introspected from that PGlite itself.
 */
import { ConnectionError, UsageError, type OpenSinkOptions, type Schema, type Sink } from '@understudy/core';
import type { PgliteConnection } from '@understudy/postgres';
import type { DrizzleHints } from './drizzle-source.js';
import { openDrizzleEmbeddedTarget } from './embedded-drizzle-target.js';

export interface EmbeddedTarget {
  readonly schema: Schema;
  /** A drizzle module's generator hints (with --drizzle). */
  readonly hints?: DrizzleHints;
  readonly description: string;
  /** Opens the load (`options.schema` is this target's). */
  openSink(options: OpenSinkOptions): Promise<Sink>;
  close(): Promise<void>;
}

type OpenPgliteSink = (options: OpenSinkOptions & { pglite: unknown; dataDir?: string }) => Promise<Sink>;

/** Opens the PGlite and loads `from` into it (unless the kept DIR already has the tables). */
export async function openEmbeddedTarget(options: { from?: string; schema?: string; drizzle?: string | boolean; pglite?: string }): Promise<EmbeddedTarget> {
  if (options.drizzle !== undefined && options.from === undefined && options.schema === undefined) return openDrizzleEmbeddedTarget(options.drizzle, options.pglite);
  if (options.from === undefined) {
    const given = options.schema !== undefined ? '--schema' : undefined;
    throw new UsageError(
      given
        ? `${given} has no DDL to create the tables in the embedded PGlite: give --from FILE.sql (the CREATE statements) or --drizzle (a drizzle schema), or --url to seed a database that has them`
        : 'seed needs a target or a schema: --url URL (a database that has the tables), --from FILE.sql or --drizzle [PATH] (create them in an embedded PGlite)',
      { hint: 'Example: understudy seed --from fixtures/schemas/pagila/schema.sql --pglite ./dev-db' },
    );
  }
  if (options.drizzle !== undefined) throw new UsageError('give one schema source, not --from and --drizzle');
  const pg = await import('@understudy/postgres');
  const openPgliteSink = (pg as unknown as { openPgliteSink?: OpenPgliteSink }).openPgliteSink;
  if (!openPgliteSink) throw new ConnectionError('this build of @understudy/postgres has no PGlite sink yet');
  const file = await pg.readSqlFile(options.from);
  const extensions = pg.assertPgliteCanLoad(file);
  const conn: PgliteConnection = await pg.openPglite({ extensions, ...(options.pglite !== undefined ? { dataDir: options.pglite } : {}) });
  try {
    const existing = options.pglite !== undefined ? await conn.introspect() : undefined;
    if (!existing || Object.keys(existing.tables).length === 0) {
      // A dump's COPY rows go in too: they are rows the file puts there, which a seed keeps.
      const loadCopy = async (copySql: string, data: string): Promise<void> => void (await conn.pglite.query(copySql, [], { blob: new Blob([data]) }));
      await pg.runSqlStatements(conn.db, options.from, file.statements, { createMissingRoles: true, loadCopy });
    }
    const schema = { ...(await conn.introspect()), source: `file:${options.from}` };
    return {
      schema,
      description: conn.description,
      openSink: (sinkOptions) => openPgliteSink({ ...sinkOptions, pglite: conn.pglite, ...(options.pglite !== undefined ? { dataDir: options.pglite } : {}) }),
      close: () => conn.close(),
    };
  } catch (error) {
    await conn.close();
    throw error;
  }
}
