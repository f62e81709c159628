import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import { detectMigrationFormat, readMigrations } from '../read-migrations.js';
import { FIXTURES, tempFolder } from '../test-folders.js';

describe('detectMigrationFormat', () => {
  it.each([
    ['plain', { format: 'plain', evidence: '001_create_users_and_orders.sql is a numbered SQL file', alternatives: ['sqlx'] }],
    ['mysql-plain', { format: 'plain', evidence: '001_create_users_and_orders.sql is a numbered SQL file', alternatives: ['sqlx'] }],
    ['golang-migrate', { format: 'golang-migrate', evidence: 'every migration file is N_name.up.sql or N_name.down.sql', alternatives: ['sqlx', 'popx'] }],
    ['flyway', { format: 'flyway', evidence: "V1.1__add_email_verified.sql follows Flyway's V<version>__<name>.sql naming" }],
    ['dbmate', { format: 'dbmate', evidence: '20240101120000_create_users_and_orders.sql has a "-- migrate:up" marker' }],
    ['prisma', { format: 'prisma', evidence: 'found migration_lock.toml' }],
    ['prisma-mysql', { format: 'prisma', evidence: 'found migration_lock.toml' }],
    ['drizzle-kit', { format: 'drizzle-kit', evidence: 'found meta/_journal.json' }],
    ['goose-openfga/postgres', { format: 'goose', evidence: '001_initialize_schema.sql has a "-- +goose Up" marker' }],
    ['sqlx-atuin', { format: 'sqlx', evidence: 'every file is <timestamp>_<name>.sql, as sqlx migrate add names them', alternatives: ['plain'] }],
    ['diesel-crates-io', { format: 'diesel', evidence: 'found 00000000000000_diesel_initial_setup/up.sql' }],
    ['popx-kratos', { format: 'popx', evidence: '20150100000001000000_networks.cockroach.down.sql names a dialect or .autocommit, as gobuffalo/popx file names do' }],
    ['popx-supabase-auth', { format: 'popx', evidence: '20220614074223_add_ip_address_to_audit_log.postgres.up.sql names a dialect or .autocommit, as gobuffalo/popx file names do' }],
    ['sqitch-chef-erchef', { format: 'sqitch', evidence: 'found sqitch.plan' }],
    ['liquibase-edp-notifications', { format: 'liquibase', evidence: '00010_initial_db-setup.sql starts with "--liquibase formatted sql"' }],
    ['atlas-hatchet', { format: 'atlas', evidence: 'found atlas.sum' }],
    ['temporal-sql-tool/temporal/versioned', { format: 'temporal-sql-tool', evidence: 'found v1.0/manifest.json' }],
  ])('detects fixtures/migrations/%s', async (folder, detected) => {
    expect(await detectMigrationFormat(join(FIXTURES, folder))).toEqual(detected);
  });

  it('says when a folder fits several tools, naming the --tool that picks another', async () => {
    const set = await readMigrations(join(FIXTURES, 'golang-migrate'));
    expect(set.problems[0]).toBe(
      'read as golang-migrate: every migration file is N_name.up.sql or N_name.down.sql; sqlx and popx name files the same way but run them differently: ' +
        'pass --tool sqlx or --tool popx if one of them applies these migrations',
    );
    // A forced format is not a guess: no note.
    expect((await readMigrations(join(FIXTURES, 'golang-migrate'), { format: 'golang-migrate' })).problems).toEqual([]);
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
    expect((empty as UsageError).hint).toMatch(/--tool/);
    await mkdir(join(dir, 'migrations'));
    await writeFile(join(dir, 'schema.prisma'), 'datasource db {}');
    const unknown = await detectMigrationFormat(dir).catch((e: unknown) => e);
    expect((unknown as UsageError).message).toBe(`migration folder ${dir} holds no migration files Understudy recognises`);
    expect((unknown as UsageError).hint).toMatch(/^Did you mean .*\/migrations\?/);
  });
});
