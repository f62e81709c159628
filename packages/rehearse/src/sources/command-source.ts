/**
 * A migration that is a command (`--command "npm run migrate"`): the project's
 * own tool applies its pending migrations when run with DATABASE_URL pointing at
 * the rehearsal database. Nothing is run here; the set holds one migration whose
 * `up` is the command, to be run in `dir`.
 *
 * @example
 * ```ts
 * commandMigrationSet('.', 'npm run migrate', 'postgres').migrations[0]!.up; // { command: 'npm run migrate' }
 * ```
 */
import { UsageError } from '@understudy/core';
import type { MigrationDialect, MigrationSet } from '../migration-model.js';
import { MIGRATION_SET_VERSION } from '../migration-model.js';

export function commandMigrationSet(dir: string, command: string, dialect: MigrationDialect): MigrationSet {
  const trimmed = command.trim();
  if (trimmed.length === 0) throw new UsageError('--command is empty', { hint: 'Pass the command that applies your migrations, e.g. --command "npm run migrate".' });
  return {
    version: MIGRATION_SET_VERSION,
    format: 'command',
    dir,
    dialect,
    migrations: [{ id: 'command', name: trimmed, format: 'command', repeatable: false, up: { command: trimmed } }],
    problems: [],
  };
}
