/**
 * The dialects the CLI knows, loaded only when a command needs one, so
 * `understudy --help` starts fast and a MySQL user never loads PGlite.
 */
import { dialectForUrl, type Dialect } from '@understudy/core';

interface DialectEntry {
  readonly schemes: readonly string[];
  readonly load: () => Promise<Dialect>;
}

const entries: readonly DialectEntry[] = [
  { schemes: ['postgres', 'postgresql', 'pglite'], load: async () => (await import('@understudy/postgres')).postgresDialect },
  { schemes: ['mysql', 'mariadb'], load: async () => (await import('@understudy/mysql')).mysqlDialect },
];

/** The dialect that opens `url`; a UsageError listing the known schemes otherwise. */
export async function dialectFor(url: string): Promise<Dialect> {
  // Resolve the scheme against lightweight stand-ins first, then load only the matching package.
  const stubs = entries.map((e) => ({ name: 'postgres', urlSchemes: e.schemes }) as unknown as Dialect);
  const stub = dialectForUrl(stubs, url);
  return entries[stubs.indexOf(stub)]!.load();
}

/** The embedded default: PostgreSQL semantics on an in-process PGlite. */
export async function embeddedDialect(): Promise<Dialect> {
  return entries[0]!.load();
}
