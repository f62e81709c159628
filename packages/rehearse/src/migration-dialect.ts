/**
 * Chooses the SQL flavour a migration folder is split with: the one the user
 * gave, else the one the tool's metadata declares (Prisma's migration_lock.toml,
 * drizzle-kit's journal), else a guess from the SQL itself, else PostgreSQL.
 * A user's choice that contradicts the metadata is a `UsageError`.
 *
 * @example
 * ```ts
 * parseMigrationDialect('postgresql'); // 'postgres'
 * chooseDialect({ texts: ['CREATE TABLE `a` (id int) ENGINE=InnoDB;'] }); // 'mysql'
 * ```
 */
import { guessSqlFlavor, UsageError } from '@understudy/core';
import type { MigrationDialect } from './migration-model.js';

const DIALECT_NAMES: Readonly<Record<string, MigrationDialect>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  pglite: 'postgres',
  cockroachdb: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  singlestore: 'mysql',
};

/** `postgres` or `mysql` for a name a user or a tool may write; `undefined` for anything else. */
export function dialectFromName(name: string): MigrationDialect | undefined {
  return DIALECT_NAMES[name.trim().toLowerCase()];
}

/**
 * Parses a `--dialect` value; anything but a PostgreSQL or MySQL name is a `UsageError`.
 *
 * @example
 * ```ts
 * parseMigrationDialect('mariadb'); // 'mysql'
 * ```
 */
export function parseMigrationDialect(name: string): MigrationDialect {
  const dialect = dialectFromName(name);
  if (!dialect) throw new UsageError(`unknown --dialect "${name}"`, { hint: 'Use postgres or mysql.' });
  return dialect;
}

export interface DialectEvidence {
  /** What the user asked for. */
  readonly requested?: MigrationDialect | undefined;
  /** What the tool's metadata says, and where it says it. */
  readonly declared?: { readonly dialect: MigrationDialect; readonly by: string } | undefined;
  /** The SQL, for a guess when nothing else tells. */
  readonly texts: readonly string[];
}

export function chooseDialect(evidence: DialectEvidence): MigrationDialect {
  const { requested, declared } = evidence;
  if (requested && declared && requested !== declared.dialect) {
    throw new UsageError(`--dialect ${requested} contradicts ${declared.by}, which says ${declared.dialect}`, {
      hint: `Leave --dialect out, or fix ${declared.by}.`,
    });
  }
  return requested ?? declared?.dialect ?? guessSqlFlavor(evidence.texts.join('\n')) ?? 'postgres';
}
