/**
 * `understudy introspect`: read a database's shape into the Schema model.
 *
 * Sources: a live database (`--url`), a DDL file loaded into an embedded PGlite
 * (`--from schema.sql`), or, with both, a DDL file loaded into a throwaway
 * database on that server (MySQL, or PostgreSQL features PGlite lacks), or a
 * drizzle schema (`--drizzle src/db/schema.ts`, a folder, a glob, or `--drizzle` alone for
 * the drizzle.config.ts of the working directory).
 */
import { countSchema, dialectInfo, embeddedDialectInfo, formatSchemaSummary, guessSqlFlavor, readTextFile, serializeSchema, UsageError, type Schema } from '@understudy/core';
import { dialectFor, embeddedDialect } from '../dialects.js';
import { note, writeOutput } from '../output.js';
import { drizzlePath } from './drizzle-source.js';

export interface IntrospectOptions {
  readonly url?: string;
  readonly from?: string;
  /** A path, or `true` for `--drizzle` alone. */
  readonly drizzle?: string | boolean;
  readonly schemas?: string;
  readonly out?: string;
  readonly summary?: boolean;
}

function parseSchemas(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--schemas needs at least one name, e.g. --schemas public,auth');
  return names;
}

/** Reads the Schema the options point at. */
export async function readSchema(options: IntrospectOptions): Promise<Schema> {
  const schemas = parseSchemas(options.schemas);
  if (options.drizzle !== undefined && (options.url !== undefined || options.from !== undefined)) {
    throw new UsageError(`introspect reads one schema: --drizzle (the module) or ${options.url !== undefined ? '--url (the database)' : '--from (the DDL file)'}, not both`, {
      hint: 'To compare a drizzle schema with a database, run `understudy seed --drizzle --url URL --dry-run`: it lists every difference and writes nothing.',
    });
  }
  if (options.drizzle !== undefined) {
    const { introspectDrizzle } = await import('@understudy/drizzle');
    return introspectDrizzle(drizzlePath(options.drizzle));
  }
  if (options.from !== undefined) {
    const text = await readTextFile(options.from, `--from ${options.from}`, 'Give the path of a .sql file with CREATE statements.');
    const guessed = options.url === undefined ? guessSqlFlavor(text) : undefined;
    const embedded = embeddedDialectInfo();
    if (guessed !== undefined && guessed !== embedded.name) {
      const info = dialectInfo(guessed);
      throw new UsageError(`${options.from} looks like a ${info.displayName} script; the embedded database is ${embedded.displayName}`, {
        hint: `Add --url ${info.exampleUrl}: Understudy loads the file into a throwaway database on that server, introspects it and drops it.`,
      });
    }
    const dialect = options.url ? await dialectFor(options.url) : await embeddedDialect();
    return dialect.introspectSqlFile(options.from, { ...(options.url ? { url: options.url } : {}), ...(schemas ? { schemas } : {}) });
  }
  if (options.url === undefined) {
    throw new UsageError('introspect needs a source: --url URL (a live database), --from FILE.sql (a DDL file) or --drizzle [PATH] (a drizzle schema)', {
      hint: 'Example: understudy introspect --from fixtures/schemas/pagila/schema.sql --summary',
    });
  }
  // A URL of a server, or of an embedded database kept in a folder (`pglite://DIR`): the dialect opens either.
  const dialect = await dialectFor(options.url);
  const db = await dialect.connect(options.url);
  try {
    return await db.introspect(schemas ? { schemas } : {});
  } finally {
    await db.close();
  }
}

export async function introspectCommand(options: IntrospectOptions): Promise<void> {
  const schema = await readSchema(options);
  if (options.summary) {
    await writeOutput(formatSchemaSummary(schema), options.out);
    return;
  }
  await writeOutput(serializeSchema(schema), options.out);
  if (options.out !== undefined && options.out !== '-') {
    const c = countSchema(schema);
    note(`wrote ${options.out}: ${c.tables} tables, ${c.columns} columns, ${c.foreignKeys} foreign keys`);
  }
}
