/**
 * Parses a `--tool` value into a folder format, accepting the names people
 * use for each tool (`drizzle` for drizzle-kit, `golang` for golang-migrate, `pop` for popx).
 *
 * @example
 * ```ts
 * parseMigrationFormat('drizzle'); // 'drizzle-kit'
 * ```
 */
import { UsageError } from '@understudy/core';
import type { FolderFormat } from './sources/detect-format.js';
import { FOLDER_FORMATS } from './sources/detect-format.js';

const ALIASES: Readonly<Record<string, FolderFormat>> = {
  plain: 'plain',
  numbered: 'plain',
  sql: 'plain',
  'golang-migrate': 'golang-migrate',
  golang: 'golang-migrate',
  migrate: 'golang-migrate',
  flyway: 'flyway',
  dbmate: 'dbmate',
  prisma: 'prisma',
  'drizzle-kit': 'drizzle-kit',
  drizzle: 'drizzle-kit',
  goose: 'goose',
  'sql-migrate': 'sql-migrate',
  'rubenv/sql-migrate': 'sql-migrate',
  sqlx: 'sqlx',
  diesel: 'diesel',
  popx: 'popx',
  pop: 'popx',
  gobuffalo: 'popx',
  fizz: 'popx',
  sqitch: 'sqitch',
  liquibase: 'liquibase',
  atlas: 'atlas',
  'temporal-sql-tool': 'temporal-sql-tool',
  temporal: 'temporal-sql-tool',
};

/**
 * A `--tool` value as a folder format; anything else is a `UsageError` listing the formats.
 *
 * @example
 * ```ts
 * parseMigrationFormat('golang'); // 'golang-migrate'
 * ```
 */
export function parseMigrationFormat(name: string): FolderFormat {
  const key = name.trim().toLowerCase();
  if (key === 'command') throw new UsageError('--tool command is not a folder format', { hint: 'Pass --command "<your migrate command>" instead.' });
  const format = ALIASES[key];
  if (!format) throw new UsageError(`unknown --tool "${name}"`, { hint: `Use one of: ${FOLDER_FORMATS.join(', ')}.` });
  return format;
}
