/**
 * The embedded target of `understudy seed --drizzle` with no --url: a PGlite (in
 * memory, or kept in --pglite DIR) in which drizzle-kit's DDL for the module
 * creates the tables; the schema to plan is then introspected from that PGlite,
 * with the module's relations-only links and generator hints added. A kept DIR
 * that already has tables is seeded as it is (the DDL is not run twice), with a
 * warning for every difference from the module.
 */
import { SqlFileError, UsageError, type SqlStatement } from '@understudy/core';
import type { PgliteConnection } from '@understudy/postgres';
import { note } from '../output.js';
import { driftWarnings, drizzlePath, type DrizzleHints } from './drizzle-source.js';
import type { EmbeddedTarget } from './embedded-target.js';

/**
 * Opens the PGlite and creates the module's tables in it.
 *
 * @throws UsageError for a MySQL module (the embedded engine is PostgreSQL), or when
 *   PGlite refuses drizzle-kit's DDL (naming the statement).
 * @example
 * ```ts
 * const target = await openDrizzleEmbeddedTarget('src/db/schema.ts', '.dev-db');
 * ```
 */
export async function openDrizzleEmbeddedTarget(drizzle: string | boolean, dataDir: string | undefined): Promise<EmbeddedTarget & { hints: DrizzleHints }> {
  const { readDrizzleSource, drizzleCreateStatements, applyDrizzleToDatabase } = await import('@understudy/drizzle');
  const read = await readDrizzleSource(drizzlePath(drizzle));
  const label = read.module.displayPath;
  if (read.schema.dialect !== 'postgres') {
    throw new UsageError(`${label} is a ${read.schema.dialect} schema, and the embedded database (PGlite) is PostgreSQL`, {
      hint: 'Seed a MySQL or MariaDB database that has the tables (made by drizzle-kit push or your migrations): add --url mysql://user@host:3306/app.',
    });
  }
  const ddl = await drizzleCreateStatements(read.module);
  const pg = await import('@understudy/postgres');
  const conn: PgliteConnection = await pg.openPglite({ extensions: ddl.extensions, ...(dataDir !== undefined ? { dataDir } : {}) });
  try {
    const existing = dataDir !== undefined ? await conn.introspect() : undefined;
    if (!existing || Object.keys(existing.tables).length === 0) {
      const statements: SqlStatement[] = [
        ...ddl.extensions.map((name) => `CREATE EXTENSION IF NOT EXISTS "${name}"`),
        ...ddl.statements,
      ].map((text, i) => ({ kind: 'sql', text, line: i + 1 }));
      await pg.runSqlStatements(conn.db, label, statements, { createMissingRoles: true }).catch((error: unknown) => {
        if (!(error instanceof SqlFileError)) throw error;
        const statement = statements[error.line - 1]?.text.split('\n')[0] ?? '';
        throw new UsageError(`PGlite refused the DDL drizzle-kit makes from ${label}, at statement ${error.line} (${statement.slice(0, 120)}): ${error.message.replace(/^.*?:\d+: /, '')}`, {
          hint: 'drizzle-kit push stops at the same statement: fix the schema, or seed a database that has the tables (made by your migrations) with --url.',
          cause: error,
        });
      });
    }
    const live = { ...(await conn.introspect()), source: `drizzle:${label}` };
    if (existing && Object.keys(existing.tables).length > 0) {
      for (const warning of await driftWarnings(read.schema, live)) note(`warning: ${dataDir}: ${warning}`);
    }
    for (const n of read.schema.notes) note(`note: ${n}`);
    const { schema, hints } = applyDrizzleToDatabase(live, read);
    return {
      schema,
      hints,
      description: conn.description,
      openSink: (sinkOptions) => pg.openPgliteSink({ ...sinkOptions, pglite: conn.pglite, schema, ...(dataDir !== undefined ? { dataDir } : {}) }),
      close: () => conn.close(),
    };
  } catch (error) {
    await conn.close();
    throw error;
  }
}
