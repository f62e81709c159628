/**
 * The dialects the CLI knows: the registry's entries (core's dialect-registry.ts: names,
 * aliases, URL schemes) with the package that implements each, loaded only when a command
 * needs one, so `understudy --help` starts fast and a MySQL user never loads PGlite.
 */
import { DIALECTS, dialectForUrl, dialectInfo, embeddedDialectInfo, type Dialect, type DialectName } from '@understudy/core';

/** Each dialect's package; the type makes a registry entry without a package a compile error. */
const PACKAGES: { readonly [name in DialectName]: () => Promise<Dialect> } = {
  postgres: async () => (await import('@understudy/postgres')).postgresDialect,
  mysql: async () => (await import('@understudy/mysql')).mysqlDialect,
};

/** The dialect that opens `url`; a UsageError listing the known schemes otherwise. */
export async function dialectFor(url: string): Promise<Dialect> {
  return PACKAGES[dialectForUrl(DIALECTS, url).name]();
}

/** The dialect with an embedded engine (PGlite), used when no server is given. */
export async function embeddedDialect(): Promise<Dialect> {
  return PACKAGES[embeddedDialectInfo().name]();
}

/** The dialect a Schema was read from (`schema.dialect`), or a user named (after `parseDialectName`). */
export async function dialectNamed(name: DialectName): Promise<Dialect> {
  return PACKAGES[dialectInfo(name).name]();
}
