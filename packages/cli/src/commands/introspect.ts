/**
 * `understudy introspect`: read a database's shape into the Schema model.
 *
 * Sources: a live database (`--url`), a DDL file loaded into an embedded PGlite
 * (`--from schema.sql`), or, with both, a DDL file loaded into a throwaway
 * database on that server (MySQL, or PostgreSQL features PGlite lacks).
 */
import { access } from 'node:fs/promises';
import { countSchema, formatSchemaSummary, serializeSchema, UsageError, type Schema } from '@understudy/core';
import { dialectFor, embeddedDialect } from '../dialects.js';
import { note, writeOutput } from '../output.js';

export interface IntrospectOptions {
  readonly url?: string;
  readonly from?: string;
  readonly schemas?: string;
  readonly out?: string;
  readonly summary?: boolean;
}

function parseSchemas(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--schemas needs at least one name, e.g. --schemas public,auth');
  return names;
}

/** Reads the Schema the options point at. */
export async function readSchema(options: IntrospectOptions): Promise<Schema> {
  const schemas = parseSchemas(options.schemas);
  if (options.from !== undefined) {
    await access(options.from).catch(() => {
      throw new UsageError(`--from ${options.from}: no such file`, { hint: 'Give the path of a .sql file with CREATE statements.' });
    });
    const dialect = options.url ? await dialectFor(options.url) : await embeddedDialect();
    return dialect.introspectSqlFile(options.from, { ...(options.url ? { url: options.url } : {}), ...(schemas ? { schemas } : {}) });
  }
  if (options.url === undefined) {
    throw new UsageError('introspect needs a source: --url URL (a live database) or --from FILE.sql (a DDL file)', {
      hint: 'Example: understudy introspect --from fixtures/schemas/pagila/schema.sql --summary',
    });
  }
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
