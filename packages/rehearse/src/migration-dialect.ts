/**
 * Chooses the SQL flavour a migration folder is split with: the one the user
 * gave, else the one the tool's metadata declares (Prisma's migration_lock.toml,
 * drizzle-kit's journal), else a guess from the SQL itself, else the dialect with an embedded engine
 * (PostgreSQL).
 * A user's choice that contradicts the metadata is a `UsageError`.
 *
 * @example
 * ```ts
 * parseMigrationDialect('postgresql'); // 'postgres'
 * chooseDialect({ texts: ['CREATE TABLE `a` (id int) ENGINE=InnoDB;'] }); // 'mysql'
 * ```
 */
import { dialectNameFor, embeddedDialectInfo, guessSqlFlavor, parseDialectName, UsageError } from '@understudy/core';
import type { MigrationDialect } from './migration-model.js';

/** The dialect a name a user or a tool may write means (the registry's names, aliases and URL schemes); `undefined` for anything else. */
export function dialectFromName(name: string): MigrationDialect | undefined {
  return dialectNameFor(name);
}

/**
 * Parses a `--dialect` value; a name the registry does not know is a `UsageError`.
 *
 * @example
 * ```ts
 * parseMigrationDialect('mariadb'); // 'mysql'
 * ```
 */
export function parseMigrationDialect(name: string): MigrationDialect {
  return parseDialectName(name);
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
  return requested ?? declared?.dialect ?? guessSqlFlavor(evidence.texts.join('\n')) ?? embeddedDialectInfo().name;
}
