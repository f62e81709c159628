/**
 * The PostgreSQL dialect's embedded engine: a PGlite (in memory, or kept in a data directory)
 * with a DDL file or DDL statements run in it, ready to introspect and load. The extensions
 * the DDL creates are checked against the ones PGlite ships and loaded before it starts.
 *
 * @example
 * ```ts
 * const db = await openPgliteEmbedded({ ddl: { file: 'db/schema.sql' }, dataDir: '.dev-db' });
 * try {
 *   const schema = await db.introspect();
 *   const sink = await db.openSink({ schema });
 * } finally {
 *   await db.close();
 * }
 * ```
 */
import { splitSql, type EmbeddedDatabase, type OpenEmbeddedOptions, type SqlStatement } from '@understudy/core';
import { openPgliteSink } from './pglite-copy-sink.js';
import { assertPgliteCanLoad, readSqlFile, runSqlStatements, scanExtensions, skippedPgliteExtensions } from './pglite-sql-loader.js';
import { openPglite } from './postgres-dialect.js';
import type { PgliteConnection } from './postgres-connection.js';

/** The extensions `statements` create (`CREATE EXTENSION [IF NOT EXISTS] name`), each once. */
export function postgresExtensionsUsedBy(statements: readonly string[]): string[] {
  return [...new Set(scanExtensions(statements.flatMap((text) => splitSql(text, 'postgres'))).map((u) => u.name))];
}

/** Runs the DDL; returns what the load skipped or worked around that a user should know (skipped extensions). */
async function runDdl(conn: PgliteConnection, ddl: NonNullable<OpenEmbeddedOptions['ddl']>, file: Awaited<ReturnType<typeof readSqlFile>> | undefined): Promise<string[]> {
  if (file) {
    // A dump's COPY rows go in too: they are rows the file puts there, which a seed keeps.
    const loadCopy = async (copySql: string, data: string): Promise<void> => void (await conn.pglite.query(copySql, [], { blob: new Blob([data]) }));
    const report = await runSqlStatements(conn.db, file.file, file.statements, { createMissingRoles: true, loadCopy, skipExtensions: skippedPgliteExtensions(file) });
    return report.skippedExtensions;
  }
  if ('file' in ddl) return [];
  for (const name of ddl.extensions) await conn.pglite.exec(`CREATE EXTENSION IF NOT EXISTS "${name.replace(/"/g, '""')}"`);
  const statements: SqlStatement[] = ddl.statements.map((text, i) => ({ kind: 'sql', text, line: i + 1 }));
  await runSqlStatements(conn.db, ddl.label, statements, { createMissingRoles: true });
  return [];
}

/**
 * Opens PGlite and creates `options.ddl` in it, unless the kept `dataDir` already has tables.
 * @throws SqlFileError for a statement PGlite refuses, or an extension it does not ship.
 */
export async function openPgliteEmbedded(options: OpenEmbeddedOptions): Promise<EmbeddedDatabase> {
  const { ddl, dataDir } = options;
  const file = ddl && 'file' in ddl ? await readSqlFile(ddl.file) : undefined;
  const extensions = file ? assertPgliteCanLoad(file) : ddl && !('file' in ddl) ? [...ddl.extensions] : [];
  const conn = await openPglite({ extensions, ...(dataDir !== undefined ? { dataDir } : {}) });
  try {
    const existing = dataDir !== undefined ? await conn.introspect() : undefined;
    const created = ddl !== undefined && (!existing || Object.keys(existing.tables).length === 0);
    const notes = created ? await runDdl(conn, ddl, file) : [];
    return {
      dialect: conn.dialect,
      description: conn.description,
      created,
      client: conn.pglite,
      introspect: async (o) => {
        const schema = await conn.introspect(o);
        return notes.length > 0 ? { ...schema, notes: [...schema.notes, ...notes] } : schema;
      },
      profile: (o) => conn.profile(o),
      sampleColumns: (table, o) => conn.sampleColumns(table, o),
      openSink: (sinkOptions) => openPgliteSink({ ...sinkOptions, pglite: conn.pglite, ...(dataDir !== undefined ? { dataDir } : {}) }),
      close: () => conn.close(),
    };
  } catch (error) {
    await conn.close();
    throw error;
  }
}
