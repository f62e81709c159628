import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

describe('Prisma', () => {
  it('reads <timestamp>_<name>/migration.sql in folder order, with a down.sql where kept', async () => {
    const set = await readMigrations(join(FIXTURES, 'prisma'));
    expect(set.format).toBe('prisma');
    expect(set.dialect).toBe('postgres');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.name])).toEqual([
      ['20240101120000', 'init'],
      ['20240102090000', 'add_updated_at_trigger'],
      ['20240103090000', 'add_refunded_status'],
      ['20240104090000', 'index_orders_user_id'],
    ]);
    expect(script(set.migrations[0]!.up).file).toBe('20240101120000_init/migration.sql');
    expect(script(set.migrations[0]!.up).statements.map((s) => s.line)).toEqual([2, 5, 14, 24, 27]);
    expect(script(set.migrations[1]!.down).file).toBe('20240102090000_add_updated_at_trigger/down.sql');
    // ADD VALUE runs in a transaction block since PostgreSQL 12; CREATE INDEX CONCURRENTLY does not.
    expect(script(set.migrations[2]!.up).statements[0]!.transactional).toBe(true);
    expect(script(set.migrations[3]!.up).statements[0]!.transactional).toBe(false);
    // prisma migrate deploy sends migration.sql as one multi-statement query.
    expect(set.migrations.map((m) => script(m.up).transaction)).toEqual(['implicit', 'implicit', 'implicit', 'implicit']);
  });

  it('takes mysql from migration_lock.toml', async () => {
    const set = await readMigrations(join(FIXTURES, 'prisma-mysql'));
    expect(set.dialect).toBe('mysql');
    expect(set.migrations.map((m) => m.name)).toEqual(['init', 'add_order_note']);
  });

  it('refuses a dialect that contradicts the lock file, and providers it cannot rehearse', async () => {
    await expect(readMigrations(join(FIXTURES, 'prisma-mysql'), { dialect: 'postgres' })).rejects.toThrow(/--dialect postgres contradicts .*migration_lock\.toml, which says mysql/);
    const dir = await tempFolder('understudy-prisma-');
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "sqlite"\n');
    await mkdir(join(dir, '20240101000000_init'));
    await writeFile(join(dir, '20240101000000_init', 'migration.sql'), 'CREATE TABLE a (x int);');
    await mkdir(join(dir, '20240102000000_empty'));
    const error = await readMigrations(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(/provider "sqlite"/);
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    const set = await readMigrations(dir);
    expect(set.problems).toEqual(['20240102000000_empty/ has no migration.sql; Prisma would fail on it, so it is ignored']);
  });

  it("places a migration in code (migration.ts, a data migration of the project's own runner) among the SQL ones", async () => {
    const dir = await tempFolder('understudy-prisma-code-');
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    const folders: Record<string, string> = {
      '20240101000000_init': 'migration.sql',
      '20240102000000_backfill': 'migration.ts',
      '20240103000000_not_null': 'migration.sql',
      '20240104000000_cleanup': 'migration.js',
      '20240105000000_index': 'migration.sql',
      '20240105000000_also_index': 'migration.sql',
    };
    for (const [folder, file] of Object.entries(folders)) {
      await mkdir(join(dir, folder));
      await writeFile(join(dir, folder, file), file.endsWith('.sql') ? 'SELECT 1;\n' : 'export const run = async () => {};\n');
    }
    const set = await readMigrations(dir);
    expect(set.migrations.map((m) => m.name)).toEqual(['init', 'not_null', 'also_index', 'index']);
    // Before the migration at that index: the backfill before not_null (1), the cleanup before index (2).
    expect(set.leftOut).toEqual([
      { file: '20240102000000_backfill/migration.ts', kind: 'code', before: 1 },
      { file: '20240104000000_cleanup/migration.js', kind: 'code', before: 2 },
    ]);
    // A shared timestamp is no ambiguity for Prisma: the folder names order them.
    expect(set.problems).toContain(
      'two migrations share timestamp 20240105000000: 20240105000000_also_index/migration.sql runs before 20240105000000_index/migration.sql (Prisma orders by the whole folder name); --pending-from takes <timestamp>_<name> to name either',
    );
    expect(set.problems[0]).toMatch(/^20240102000000_backfill\/ holds migration\.ts, not migration\.sql: a migration in code, applied by the project's own runner/);
  });
});
