import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import { MigrationSet } from './migration-model.js';
import { readMigrations } from './read-migrations.js';
import { FIXTURES, tempFolder } from './test-folders.js';

async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('readMigrations', () => {
  it('produces sets that validate against the model and survive JSON', async () => {
    const folders = [
      'plain',
      'golang-migrate',
      'mysql-plain',
      'flyway',
      'dbmate',
      'prisma',
      'prisma-mysql',
      'drizzle-kit',
      'goose-openfga/postgres',
      'sqlx-atuin',
      'diesel-crates-io',
      'popx-kratos',
      'sqitch-chef-erchef',
      'atlas-hatchet',
      'temporal-sql-tool/visibility/versioned',
    ];
    for (const folder of folders) {
      const set = await readMigrations(join(FIXTURES, folder));
      expect(MigrationSet.parse(JSON.parse(JSON.stringify(set)))).toEqual(set);
    }
  });

  it('makes a one-migration set from --command without running it', async () => {
    const set = await readMigrations(FIXTURES, { command: '  npm run migrate ' });
    expect(set).toEqual({
      version: 1,
      format: 'command',
      dir: FIXTURES,
      dialect: 'postgres',
      migrations: [{ id: 'command', name: 'npm run migrate', format: 'command', repeatable: false, up: { command: 'npm run migrate' } }],
      problems: [],
    });
  });

  it('lets --tool (format) force a reader', async () => {
    const set = await readMigrations(join(FIXTURES, 'golang-migrate'), { format: 'plain' });
    expect(set.format).toBe('plain');
    expect(set.migrations).toHaveLength(4);
  });

  it('names the path and the way out for what a user can get wrong', async () => {
    const missing = join(FIXTURES, 'no-such-folder');
    expect((await usageError(readMigrations(missing))).message).toBe(`migration folder ${missing} does not exist`);
    const file = join(FIXTURES, 'README.md');
    expect((await usageError(readMigrations(file))).message).toBe(`${file} is a file, not a migration folder`);
    const badFormat = await usageError(readMigrations(join(FIXTURES, 'plain'), { format: 'alembic' }));
    expect(badFormat.message).toBe('unknown --tool "alembic"');
    expect(badFormat.hint).toBe('Use one of: plain, golang-migrate, flyway, dbmate, prisma, drizzle-kit, goose, sqlx, diesel, popx, sqitch, liquibase, atlas, temporal-sql-tool.');
    expect((await usageError(readMigrations(join(FIXTURES, 'plain'), { dialect: 'oracle' }))).message).toBe('unknown --dialect "oracle"');
    expect((await usageError(readMigrations(join(FIXTURES, 'plain'), { format: 'flyway' }))).message).toMatch(/^no flyway migrations found in .*plain: 001_create/);
    expect((await usageError(readMigrations(FIXTURES, { command: '  ' }))).message).toBe('--command is empty');
    expect((await usageError(readMigrations(FIXTURES, { command: 'make migrate', format: 'plain' }))).message).toBe('--command and --tool cannot be used together');
    const empty = await tempFolder('understudy-read-');
    expect((await usageError(readMigrations(empty))).message).toBe(`migration folder ${empty} is empty`);
  });
});
