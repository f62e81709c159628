import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import { detectMigrationFormat } from '../read-migrations.js';
import { FIXTURES, tempFolder } from '../test-folders.js';

describe('detectMigrationFormat', () => {
  it.each([
    ['plain', 'plain', '001_create_users_and_orders.sql is a numbered SQL file'],
    ['mysql-plain', 'plain', '001_create_users_and_orders.sql is a numbered SQL file'],
    ['golang-migrate', 'golang-migrate', 'every migration file is N_name.up.sql or N_name.down.sql (e.g. 20240101120000_create_users_and_orders.down.sql)'],
    ['flyway', 'flyway', "V1.1__add_email_verified.sql follows Flyway's V<version>__<name>.sql naming"],
    ['dbmate', 'dbmate', '20240101120000_create_users_and_orders.sql has a "-- migrate:up" marker'],
    ['prisma', 'prisma', 'found migration_lock.toml'],
    ['prisma-mysql', 'prisma', 'found migration_lock.toml'],
    ['drizzle-kit', 'drizzle-kit', 'found meta/_journal.json'],
  ])('detects fixtures/migrations/%s as %s', async (folder, format, evidence) => {
    expect(await detectMigrationFormat(join(FIXTURES, folder))).toEqual({ format, evidence });
  });

  it('detects Prisma by its migration folders when the lock file is missing', async () => {
    const dir = await tempFolder('understudy-detect-');
    await mkdir(join(dir, '20240101000000_init'));
    await writeFile(join(dir, '20240101000000_init', 'migration.sql'), 'SELECT 1;');
    expect((await detectMigrationFormat(dir)).format).toBe('prisma');
  });

  it('refuses an empty folder and one with nothing it knows, saying what it expected', async () => {
    const dir = await tempFolder('understudy-detect-');
    const empty = await detectMigrationFormat(dir).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(UsageError);
    expect((empty as UsageError).message).toBe(`migration folder ${dir} is empty`);
    expect((empty as UsageError).hint).toMatch(/--format/);
    await mkdir(join(dir, 'migrations'));
    await writeFile(join(dir, 'schema.prisma'), 'datasource db {}');
    const unknown = await detectMigrationFormat(dir).catch((e: unknown) => e);
    expect((unknown as UsageError).message).toBe(`migration folder ${dir} holds no migration files Understudy recognises`);
    expect((unknown as UsageError).hint).toMatch(/^Did you mean .*\/migrations\?/);
  });
});
