import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import { readBaselineSchema } from './baseline-schema.js';
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
    expect(badFormat.hint).toBe('Use one of: plain, golang-migrate, flyway, dbmate, prisma, drizzle-kit, goose, sql-migrate, sqlx, diesel, popx, sqitch, liquibase, atlas, temporal-sql-tool.');
    expect((await usageError(readMigrations(join(FIXTURES, 'plain'), { dialect: 'oracle' }))).message).toBe('unknown --dialect "oracle"');
    expect((await usageError(readMigrations(join(FIXTURES, 'plain'), { format: 'flyway' }))).message).toMatch(/^no flyway migrations found in .*plain: 001_create/);
    expect((await usageError(readMigrations(FIXTURES, { command: '  ' }))).message).toBe('--command is empty');
    expect((await usageError(readMigrations(FIXTURES, { command: 'make migrate', format: 'plain' }))).message).toBe('--command and --tool cannot be used together');
    const empty = await tempFolder('understudy-read-');
    expect((await usageError(readMigrations(empty))).message).toBe(`migration folder ${empty} is empty`);
  });
});

describe('readMigrations with --also (a history split over folders, as Flyway merges its locations)', () => {
  it('merges the folders by version, names the other folder’s files from the first, and reports a version in both', async () => {
    const root = await tempFolder('understudy-also-');
    const main = join(root, 'migration_postgres');
    const data = join(root, 'migration_postgres_data');
    await mkdir(main);
    await mkdir(data);
    await writeFile(join(main, 'V1__init.sql'), 'CREATE TABLE workflow_index (id int PRIMARY KEY, json_data text, update_time timestamp);\n');
    await writeFile(join(main, 'V13.1__columns.sql'), 'ALTER TABLE workflow_index ADD COLUMN end_time timestamp;\n');
    await writeFile(join(main, 'V14__parent.sql'), 'ALTER TABLE workflow_index ADD COLUMN parent_id int;\n');
    await writeFile(join(main, 'R__views.sql'), 'CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n');
    await writeFile(join(data, 'V13.2__backfill.sql'), '-- optional\nUPDATE workflow_index SET update_time = now();\n');
    await writeFile(join(data, 'V18.1__backfill_end.sql'), 'UPDATE workflow_index SET end_time = now();\n');
    const set = await readMigrations(main, { also: [data] });
    expect(set.format).toBe('flyway');
    expect(set.migrations.map((m) => m.id)).toEqual(['1', '13.1', '13.2', '14', '18.1', 'R__views']);
    const backfill = set.migrations[2]!.up;
    expect(backfill).toMatchObject({ file: '../migration_postgres_data/V13.2__backfill.sql' });
    expect('statements' in backfill && backfill.statements.map((s) => [s.file, s.line])).toEqual([['../migration_postgres_data/V13.2__backfill.sql', 2]]);
    expect(set.problems[0]).toBe('2 migrations from ../migration_postgres_data merged by version (--also)');
    expect(() => MigrationSet.parse(JSON.parse(JSON.stringify(set)))).not.toThrow();

    await writeFile(join(data, 'V14__again.sql'), 'SELECT 1;\n');
    const twice = await readMigrations(main, { also: [data] });
    expect(twice.problems).toContain('version 14 is in two folders (V14__parent.sql and ../migration_postgres_data/V14__again.sql); the tool refuses that');
  });

  it('refuses tools that order by a journal or a plan, and --command', async () => {
    const drizzle = join(FIXTURES, 'drizzle-kit');
    expect((await usageError(readMigrations(drizzle, { also: [drizzle] }))).message).toMatch(/--also merges folders by version, but drizzle-kit orders its migrations otherwise/);
    expect((await usageError(readMigrations('.', { command: 'true', also: ['x'] }))).message).toBe('--command and --also cannot be used together');
  });
});

describe('readMigrations with --set (settings the tool makes before its first migration)', () => {
  it('puts SET first in the tool setup, and again after the session reset that follows a --baseline-schema file', async () => {
    const dir = await tempFolder('understudy-set-');
    await writeFile(join(dir, '1_init.up.sql'), 'CREATE TABLE schema_migrations_log (id int);\n');
    await writeFile(join(dir, '2_more.up.sql'), 'ALTER TABLE objects ADD COLUMN size int;\n');
    await writeFile(join(dir, 'schema.sql'), 'CREATE SCHEMA storage;\nCREATE TABLE storage.objects (id int);\n');
    const set = await readMigrations(dir, { settings: { search_path: 'storage,public', statement_timeout: '0' } });
    expect(set.toolSetup?.statements.map((s) => [s.file, s.line, s.text])).toEqual([
      ['--set', 1, 'SET search_path = storage,public'],
      ['--set', 2, 'SET statement_timeout = 0'],
    ]);
    const schema = await readBaselineSchema(set, { file: join(dir, 'schema.sql') });
    const texts = 'statements' in schema.migration.up ? schema.migration.up.statements.map((s) => s.text) : [];
    expect(texts.slice(-3)).toEqual(['RESET ALL', 'SET search_path = storage,public', 'SET statement_timeout = 0']);
    expect((await usageError(readMigrations('.', { command: 'true', settings: { a: '1' } }))).message).toBe('--command and --set cannot be used together');
  });
});
