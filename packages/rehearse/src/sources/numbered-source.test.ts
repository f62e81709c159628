import { writeFile } from 'node:fs/promises';
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
    expect(set.problems).toEqual([]);
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
    expect(script(m3!.up).statements.map((s) => s.transactional)).toEqual([false]);
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
    expect(set.problems).toEqual([
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
