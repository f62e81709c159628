import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await tempFolder('understudy-numbered-');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('plain numbered SQL', () => {
  it('orders the fixture and pairs up with down', async () => {
    const set = await readMigrations(join(FIXTURES, 'plain'));
    expect(set.format).toBe('plain');
    expect(set.dialect).toBe('postgres');
    // sqlx names files the same way: the note says so and names the flag.
    expect(set.problems).toEqual([expect.stringMatching(/^read as plain: 001_create_users_and_orders\.sql is a numbered SQL file; sqlx names files the same way .*pass --tool sqlx if it applies/)]);
    expect(set.migrations.map((m) => [m.id, m.name])).toEqual([
      ['001', 'create_users_and_orders'],
      ['002', 'add_updated_at'],
      ['003', 'add_refunded_status'],
      ['004', 'index_orders_user_id'],
    ]);
    const [m1, m2, m3, m4] = set.migrations;
    expect(script(m2!.up).file).toBe('002_add_updated_at.up.sql');
    expect(script(m2!.down).file).toBe('002_add_updated_at.down.sql');
    expect(m1!.down).toBeUndefined();
    // the dollar-quoted function body stays one statement
    expect(script(m2!.up).statements.map((s) => [s.line, s.kind])).toEqual([
      [1, 'ddl'],
      [3, 'ddl'],
      [10, 'ddl'],
    ]);
    expect(script(m2!.up).statements[1]!.text).toMatch(/^CREATE FUNCTION set_updated_at\(\)[\s\S]*\$\$ LANGUAGE plpgsql$/);
    // PostgreSQL 12+ runs ADD VALUE inside a transaction block.
    expect(script(m3!.up).statements.map((s) => s.transactional)).toEqual([true]);
    // No tool runs plain files: they run as psql runs a file, statement by statement.
    expect(set.migrations.map((m) => script(m.up).transaction)).toEqual(['none', 'none', 'none', 'none']);
    expect(script(m4!.up).statements.map((s) => [s.line, s.kind, s.transactional])).toEqual([
      [2, 'ddl', false],
      [3, 'dml', true],
    ]);
  });

  it('orders versions as numbers, 2 before 10', async () => {
    const dir = await folderWith({ '10_c.sql': 'SELECT 10;', '2_b.sql': 'SELECT 2;', '1_a.sql': 'SELECT 1;' });
    const set = await readMigrations(dir);
    expect(set.migrations.map((m) => m.id)).toEqual(['1', '2', '10']);
  });

  it('reports duplicate versions, downs without ups and unnumbered files', async () => {
    const dir = await folderWith({
      '001_a.sql': 'SELECT 1;',
      '1_b.sql': 'SELECT 1;',
      '002_gone.down.sql': 'SELECT 2;',
      'seed.sql': 'SELECT 3;',
      'README.md': '# not SQL',
    });
    const set = await readMigrations(dir);
    expect(set.migrations.map((m) => m.name)).toEqual(['a', 'b']);
    expect(set.problems.slice(1)).toEqual([
      'seed.sql is ignored: its name does not start with a version number (001_name.sql)',
      'duplicate version 1: 001_a.sql and 1_b.sql; migration tools refuse a folder with two migrations of one version',
      '002_gone.down.sql is a down migration without an up migration of version 002; it is ignored',
    ]);
  });
});

describe('golang-migrate', () => {
  it('is detected when every file is .up.sql or .down.sql, and pairs them', async () => {
    const set = await readMigrations(join(FIXTURES, 'golang-migrate'));
    expect(set.format).toBe('golang-migrate');
    expect(set.migrations.map((m) => `${m.id}_${m.name}`)).toEqual([
      '20240101120000_create_users_and_orders',
      '20240102090000_add_updated_at',
      '20240103090000_add_refunded_status',
      '20240104090000_index_orders_user_id',
    ]);
    expect(set.migrations.map((m) => (m.down ? script(m.down).file : null))).toEqual([
      '20240101120000_create_users_and_orders.down.sql',
      '20240102090000_add_updated_at.down.sql',
      null,
      '20240104090000_index_orders_user_id.down.sql',
    ]);
    expect(script(set.migrations[3]!.down).statements.map((s) => s.transactional)).toEqual([false]);
    // golang-migrate sends a file as one multi-statement query: one implicit transaction on PostgreSQL.
    expect(set.migrations.map((m) => script(m.up).transaction)).toEqual(['implicit', 'implicit', 'implicit', 'implicit']);
    expect(script(set.migrations[0]!.up).transactionHint).toMatch(/alone in a migration of its own/);
    expect(set.problems).toEqual([expect.stringMatching(/^read as golang-migrate: .*; sqlx and popx name files the same way.*--tool sqlx or --tool popx/)]);
    expect(set.toolSetup).toBeUndefined();
  });

  it('reads V-prefixed up/down pairs with a dot after the version (authelia), and leaves Flyway names alone', async () => {
    const dir = await folderWith({
      'V0001.Initial_Schema.up.sql': 'CREATE TABLE t (id int);',
      'V0001.Initial_Schema.down.sql': 'DROP TABLE t;',
      'V0010.WebAuthn.up.sql': 'ALTER TABLE t ADD COLUMN x int;',
      'V0002.Second.up.sql': 'ALTER TABLE t ADD COLUMN y int;',
    });
    const set = await readMigrations(dir);
    expect(set.format).toBe('golang-migrate');
    expect(set.migrations.map((m) => [m.id, m.name, m.down ? script(m.down).file : null])).toEqual([
      ['0001', 'Initial_Schema', 'V0001.Initial_Schema.down.sql'],
      ['0002', 'Second', null],
      ['0010', 'WebAuthn', null],
    ]);
    const flyway = await readMigrations(await folderWith({ 'V1__init.sql': 'CREATE TABLE t (id int);' }));
    expect(flyway.format).toBe('flyway');
  });

  it("creates golang-migrate's schema_migrations first when a migration uses it, as harbor's do", async () => {
    const dir = await folderWith({
      '0001_a.up.sql': 'CREATE TABLE t (id int);',
      '0030_b.up.sql': 'ALTER TABLE schema_migrations ADD COLUMN data_version int;',
    });
    const set = await readMigrations(dir);
    expect(script(set.toolSetup).statements.map((s) => s.text)).toEqual(['CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)']);
    // Only golang-migrate has this table.
    expect((await readMigrations(dir, { format: 'sqlx' })).toolSetup).toBeUndefined();
  });

  it('is on MySQL a file whose statements commit one by one', async () => {
    const dir = await folderWith({ '1_a.up.sql': 'CREATE TABLE `a` (id int) ENGINE=InnoDB;' });
    expect(script((await readMigrations(dir)).migrations[0]!.up).transaction).toBe('none');
  });

  it('ignores bare .sql files when golang-migrate is forced', async () => {
    const dir = await folderWith({ '1_a.up.sql': 'SELECT 1;', '2_b.sql': 'SELECT 2;' });
    const set = await readMigrations(dir, { format: 'golang-migrate' });
    expect(set.migrations.map((m) => m.id)).toEqual(['1']);
    expect(set.problems).toEqual(['2_b.sql is ignored: golang-migrate only reads N_name.up.sql and N_name.down.sql']);
  });
});

describe('MySQL numbered SQL', () => {
  it('guesses mysql and keeps a DELIMITER trigger whole', async () => {
    const set = await readMigrations(join(FIXTURES, 'mysql-plain'));
    expect(set.format).toBe('plain');
    expect(set.dialect).toBe('mysql');
    const trigger = script(set.migrations[1]!.up).statements;
    expect(trigger.map((s) => s.line)).toEqual([1, 8]);
    expect(trigger[1]!.text).toMatch(/^CREATE TRIGGER `orders_audit_total`[\s\S]*END IF;\nEND$/);
    expect(set.migrations.flatMap((m) => script(m.up).statements).every((s) => s.transactional)).toBe(true);
  });

  it('splits with the flavour the user gives', async () => {
    const dir = await folderWith({ '1_a.sql': 'SELECT $$a;b$$;' });
    expect(script((await readMigrations(dir)).migrations[0]!.up).statements).toHaveLength(1);
    expect(script((await readMigrations(dir, { dialect: 'mariadb' })).migrations[0]!.up).statements).toHaveLength(2);
  });
});

describe('sqlx', () => {
  it('is detected from timestamp versions, runs each file in a transaction unless its first line is -- no-transaction', async () => {
    const dir = await folderWith({
      '20240102000000_index.sql': '-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);',
      '20240101000000_create.sql': 'CREATE TABLE t (x int);',
      '20240103000000_more.sql': 'ALTER TABLE t ADD COLUMN y int;\n-- no-transaction\n',
    });
    const set = await readMigrations(dir);
    expect(set.format).toBe('sqlx');
    expect(set.problems).toEqual([expect.stringMatching(/^read as sqlx: .*; plain names files the same way.*--tool plain/)]);
    expect(set.migrations.map((m) => [m.id, m.name, script(m.up).transaction])).toEqual([
      ['20240101000000', 'create', 'file'],
      ['20240102000000', 'index', 'implicit'],
      // Only the first line counts.
      ['20240103000000', 'more', 'file'],
    ]);
    expect(script(set.migrations[0]!.up).transactionHint).toMatch(/-- no-transaction/);
  });

  it('pairs reversible .up.sql/.down.sql files, and is chosen over golang-migrate beside a Cargo.toml', async () => {
    const crate = await tempFolder('understudy-sqlx-');
    await writeFile(join(crate, 'Cargo.toml'), '[package]\nname = "app"\n');
    const dir = join(crate, 'migrations');
    await mkdir(dir);
    for (const [name, text] of Object.entries({ '2_b.up.sql': 'SELECT 2;', '2_b.down.sql': 'SELECT -2;', '10_c.up.sql': 'SELECT 10;', '1_a.up.sql': 'SELECT 1;', '1_a.down.sql': 'SELECT -1;' })) {
      await writeFile(join(dir, name), text);
    }
    const set = await readMigrations(dir);
    expect(set.format).toBe('sqlx');
    expect(set.problems).toEqual([expect.stringMatching(/Cargo\.toml.*--tool golang-migrate/)]);
    expect(set.migrations.map((m) => [m.id, script(m.up).file, m.down ? script(m.down).file : null])).toEqual([
      ['1', '1_a.up.sql', '1_a.down.sql'],
      ['2', '2_b.up.sql', '2_b.down.sql'],
      ['10', '10_c.up.sql', null],
    ]);
  });
});
