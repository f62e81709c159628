/**
 * The dialects the CLI knows, loaded only when a command needs one, so
 * `understudy --help` starts fast and a MySQL user never loads PGlite.
 */
import { dialectForUrl, type Dialect } from '@understudy/core';

interface DialectEntry {
  readonly name: Dialect['name'];
  readonly urlSchemes: readonly string[];
  readonly load: () => Promise<Dialect>;
}

const entries: readonly DialectEntry[] = [
  { name: 'postgres', urlSchemes: ['postgres', 'postgresql', 'pglite'], load: async () => (await import('@understudy/postgres')).postgresDialect },
  { name: 'mysql', urlSchemes: ['mysql', 'mariadb'], load: async () => (await import('@understudy/mysql')).mysqlDialect },
];

/** The dialect that opens `url`; a UsageError listing the known schemes otherwise. */
export async function dialectFor(url: string): Promise<Dialect> {
  return dialectForUrl(entries, url).load();
}

/** The embedded default: PostgreSQL semantics on an in-process PGlite. */
export async function embeddedDialect(): Promise<Dialect> {
  return entries[0]!.load();
}

/** The dialect a Schema was read from (`schema.dialect`), e.g. to ask its capabilities when planning. */
export async function dialectNamed(name: Dialect['name']): Promise<Dialect> {
  return entries.find((e) => e.name === name)!.load();
}
