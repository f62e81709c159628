import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

describe('Flyway', () => {
  it('orders versions numerically (1, 1.1, 2, 3, 10) and repeatables last by name', async () => {
    const set = await readMigrations(join(FIXTURES, 'flyway'));
    expect(set.format).toBe('flyway');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, m.name, m.repeatable])).toEqual([
      ['1', 'create_users_and_orders', false],
      ['1.1', 'add_email_verified', false],
      ['2', 'add_updated_at', false],
      ['3', 'add_refunded_status', false],
      ['10', 'index_orders_user_id', false],
      ['R__active_users_view', 'active_users_view', true],
      ['R__order_totals_view', 'order_totals_view', true],
    ]);
  });

  it('pairs an undo with its version and reads executeInTransaction=false from the .conf', async () => {
    const set = await readMigrations(join(FIXTURES, 'flyway'));
    const byId = new Map(set.migrations.map((m) => [m.id, m]));
    expect(script(byId.get('2')!.down).file).toBe('U2__add_updated_at.sql');
    expect(script(byId.get('2')!.down).statements).toHaveLength(3);
    expect(byId.get('1')!.down).toBeUndefined();
    expect(script(byId.get('10')!.up).transaction).toBe('none');
    expect(script(byId.get('10')!.up).statements[0]!.transactional).toBe(false);
    expect(script(byId.get('2')!.up).transaction).toBe('file');
    expect(script(byId.get('2')!.up).transactionHint).toMatch(/executeInTransaction=false in V2__add_updated_at\.sql\.conf/);
  });

  it('runs a script whose statements all refuse a transaction outside one, and flags one that mixes both kinds, as Flyway does', async () => {
    const dir = await tempFolder('understudy-flyway-');
    await writeFile(join(dir, 'V1__index.sql'), 'CREATE INDEX CONCURRENTLY i ON t (x);');
    await writeFile(join(dir, 'V2__mixed.sql'), 'UPDATE t SET x = 1;\nCREATE INDEX CONCURRENTLY j ON t (x);');
    const set = await readMigrations(dir);
    expect(set.migrations.map((m) => script(m.up).transaction)).toEqual(['none', 'file']);
    expect(script(set.migrations[1]!.up).transactionHint).toMatch(/Flyway refuses a migration that mixes/);
  });

  it('starts a new database from the latest baseline migration B<version>__, skipping the versioned ones it replaces', async () => {
    // hawkbit: B1_20_0__1.0.0_baseline__POSTGRESQL.sql, then V1_20_1__… to V1_20_4__….
    const dir = await tempFolder('understudy-flyway-');
    await writeFile(join(dir, 'V1_0__init.sql'), 'CREATE TABLE sp_lock (id int);');
    await writeFile(join(dir, 'B1_0__old_baseline.sql'), 'CREATE TABLE sp_lock (id int);');
    await writeFile(join(dir, 'V1_20_0__add_name.sql'), 'ALTER TABLE sp_lock ADD COLUMN name text;');
    await writeFile(join(dir, 'B1_20_0__1.0.0_baseline__POSTGRESQL.sql'), 'CREATE TABLE sp_lock (id int, name text);');
    await writeFile(join(dir, 'V1_20_1__spring_boot_4__POSTGRESQL.sql'), 'ALTER TABLE sp_lock ADD COLUMN expired_after timestamp;');
    await writeFile(join(dir, 'R__view.sql'), 'CREATE OR REPLACE VIEW v AS SELECT id FROM sp_lock;');
    const set = await readMigrations(dir);
    expect(set.format).toBe('flyway');
    expect(set.migrations.map((m) => [m.id, script(m.up).file])).toEqual([
      ['1.20.0', 'B1_20_0__1.0.0_baseline__POSTGRESQL.sql'],
      ['1.20.1', 'V1_20_1__spring_boot_4__POSTGRESQL.sql'],
      ['R__view', 'R__view.sql'],
    ]);
    expect(set.problems).toEqual([
      "B1_20_0__1.0.0_baseline__POSTGRESQL.sql is Flyway's baseline migration: a new database starts from it, and the 2 versioned migrations up to 1.20.0 (V1_0__init.sql…) are not applied; the earlier baseline B1_0__old_baseline.sql is not used",
    ]);
  });

  it('fills ${placeholders} from --define', async () => {
    const dir = await tempFolder('understudy-flyway-');
    await writeFile(join(dir, 'V1__grant.sql'), 'CREATE TABLE t (x int);\nGRANT SELECT ON t TO ${reader};');
    const set = await readMigrations(dir, { defines: { reader: 'app_ro' } });
    expect(script(set.migrations[0]!.up).statements[1]!.text).toBe('GRANT SELECT ON t TO app_ro');
  });

  it('treats V1_1 as 1.1, reports duplicate versions and orphan undos', async () => {
    const dir = await tempFolder('understudy-flyway-');
    for (const name of ['V1__a.sql', 'V1_1__b.sql', 'V1.0__again.sql', 'U7__nothing.sql', 'notes.sql']) await writeFile(join(dir, name), 'SELECT 1;');
    const set = await readMigrations(dir);
    expect(set.migrations.map((m) => [m.id, m.name])).toEqual([
      ['1.0', 'again'],
      ['1', 'a'],
      ['1.1', 'b'],
    ]);
    expect(set.problems).toEqual([
      'notes.sql is ignored: Flyway reads V<version>__<name>.sql, U<version>__<name>.sql, B<version>__<name>.sql and R__<name>.sql',
      'duplicate version 1: V1.0__again.sql and V1__a.sql; Flyway refuses to migrate a folder with two migrations of one version',
      'U7__nothing.sql is an undo migration without a versioned migration V7; it is ignored',
    ]);
  });
});
