/**
 * The embedded target of `understudy seed --drizzle` with no --url: a PGlite (in
 * memory, or kept in --pglite DIR) in which drizzle-kit's DDL for the module
 * creates the tables; the schema to plan is then introspected from that PGlite,
 * with the module's relations-only links and generator hints added. A kept DIR
 * that already has tables is seeded as it is (the DDL is not run twice), with a
 * warning for every difference from the module.
 */
import { SqlFileError, UsageError, dialectInfo } from '@understudy/core';
import { embeddedDialect } from '../dialects.js';
import { note } from '../output.js';
import { driftWarnings, drizzlePath, type DrizzleHints } from './drizzle-source.js';
import type { EmbeddedTarget } from './embedded-target.js';

/**
 * Opens the embedded database and creates the module's tables in it.
 *
 * @throws UsageError for a module of another dialect than the embedded one, or when the
 *   embedded engine refuses drizzle-kit's DDL (naming the statement).
 * @example
 * ```ts
 * const target = await openDrizzleEmbeddedTarget('src/db/schema.ts', '.dev-db');
 * ```
 */
export async function openDrizzleEmbeddedTarget(drizzle: string | boolean, dataDir: string | undefined): Promise<EmbeddedTarget & { hints: DrizzleHints }> {
  const { readDrizzleSource, drizzleCreateStatements, applyDrizzleToDatabase } = await import('@understudy/drizzle');
  const read = await readDrizzleSource(drizzlePath(drizzle));
  const label = read.module.displayPath;
  const dialect = await embeddedDialect();
  if (read.schema.dialect !== dialect.name) {
    const theirs = dialectInfo(read.schema.dialect);
    throw new UsageError(`${label} is a ${read.schema.dialect} schema, and the embedded database (${dialect.embeddedEngine}) is ${dialect.displayName}`, {
      hint: `Seed a ${theirs.displayName} database that has the tables (made by drizzle-kit push or your migrations): add --url ${theirs.exampleUrl}.`,
    });
  }
  const ddl = await drizzleCreateStatements(read.module);
  if (ddl.referenced.length > 0) {
    note(
      `note: ${ddl.referenced.join(', ')}: referenced by the schema's foreign keys but not exported by it (a table your platform provides, such as Supabase's auth.users): created from ${ddl.referenced.length === 1 ? 'its drizzle table' : 'their drizzle tables'}, and seeded`,
    );
  }
  const db = await dialect.openEmbedded({ ddl: { label, statements: ddl.statements, extensions: ddl.extensions }, ...(dataDir !== undefined ? { dataDir } : {}) }).catch((error: unknown) => {
    if (!(error instanceof SqlFileError) || error.file !== label) throw error;
    const statement = ddl.statements[error.line - 1]?.split('\n')[0] ?? '';
    throw new UsageError(
      `${dialect.embeddedEngine} refused the DDL drizzle-kit makes from ${label}, at statement ${error.line} (${statement.slice(0, 120)}): ${error.message.replace(/^.*?:\d+: /, '')}`,
      {
        hint: 'drizzle-kit push stops at the same statement: fix the schema, or seed a database that has the tables (made by your migrations) with --url.',
        cause: error,
      },
    );
  });
  try {
    const live = { ...(await db.introspect()), source: `drizzle:${label}` };
    if (!db.created) {
      for (const warning of await driftWarnings(read.schema, live)) note(`warning: ${dataDir}: ${warning}`);
    }
    for (const n of read.schema.notes) note(`note: ${n}`);
    const { schema, hints } = applyDrizzleToDatabase(live, read);
    return {
      schema,
      hints,
      description: db.description,
      client: db.client,
      openSink: (sinkOptions) => db.openSink({ ...sinkOptions, schema }),
      close: () => db.close(),
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
