import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

const KRATOS = join(FIXTURES, 'popx-kratos');
const SELECTION = join(FIXTURES, 'popx-kratos-selection');

describe('gobuffalo/popx', () => {
  it('is detected from the dialect segments (not as golang-migrate) and reads the PostgreSQL files on PostgreSQL', async () => {
    const set = await readMigrations(KRATOS);
    expect([set.format, set.dialect]).toEqual(['popx', 'postgres']);
    expect(set.migrations.map((m) => script(m.up).file).slice(0, 3)).toEqual([
      '20150100000001000000_networks.postgres.up.sql',
      '20191100000001000000_identities.postgres.up.sql',
      '20191100000001000001_identities.postgres.up.sql',
    ]);
    expect(set.migrations.every((m) => script(m.up).file.endsWith('.postgres.up.sql') && script(m.down).file === script(m.up).file.replace('.up.', '.down.'))).toBe(true);
    // 20191100000005000000 exists for MySQL only.
    expect(set.migrations.map((m) => m.id)).not.toContain('20191100000005000000');
    expect(set.problems).toEqual([expect.stringMatching(/^94 files are for other dialects than postgres .* left out, as popx does$/)]);
  });

  it('reads the MySQL files with --dialect mysql, including the MySQL-only versions', async () => {
    const set = await readMigrations(KRATOS, { dialect: 'mysql' });
    expect(set.dialect).toBe('mysql');
    expect(set.migrations.map((m) => m.id)).toContain('20191100000005000000');
    expect(set.migrations.every((m) => script(m.up).file.endsWith('.mysql.up.sql'))).toBe(true);
    expect(set.migrations.length).toBeGreaterThan((await readMigrations(KRATOS)).migrations.length);
  });

  it('prefers the dialect file over the generic one, falls back to the generic one, and runs .autocommit outside a transaction', async () => {
    const pg = await readMigrations(SELECTION);
    expect(pg.migrations.map((m) => [m.id, script(m.up).file, script(m.up).transaction, m.down ? script(m.down).file : null])).toEqual([
      ['20260327101213000000', '20260327101213000000_add_break_glass_to_recovery_addresses.postgres.up.sql', 'file', '20260327101213000000_add_break_glass_to_recovery_addresses.postgres.down.sql'],
      [
        '20260616000000000000',
        '20260616000000000000_courier_messages_restore_list_index.postgres.autocommit.up.sql',
        'implicit',
        '20260616000000000000_courier_messages_restore_list_index.postgres.autocommit.down.sql',
      ],
    ]);
    expect(script(pg.migrations[0]!.up).transactionHint).toBe(
      'popx runs each migration in a transaction: name the file 20260327101213000000_add_break_glass_to_recovery_addresses.postgres.autocommit.up.sql',
    );
    const mysql = await readMigrations(SELECTION, { dialect: 'mysql' });
    expect(mysql.migrations.map((m) => [script(m.up).file, script(m.up).transaction])).toEqual([
      ['20260327101213000000_add_break_glass_to_recovery_addresses.mysql.up.sql', 'file'],
      ['20260616000000000000_courier_messages_restore_list_index.mysql.up.sql', 'file'],
    ]);
  });

  it('uses the generic file when no file of the dialect exists, and the generic .autocommit one too', async () => {
    const dir = await tempFolder('understudy-popx-');
    await writeFile(join(dir, '1_a.up.sql'), 'CREATE TABLE a (id int);');
    await writeFile(join(dir, '1_a.sqlite3.up.sql'), 'CREATE TABLE a (id integer);');
    await writeFile(join(dir, '2_b.autocommit.up.sql'), 'CREATE INDEX CONCURRENTLY b ON a (id);');
    await writeFile(join(dir, '3_c.up.fizz'), 'create_table("c") {}');
    const set = await readMigrations(dir);
    expect(set.format).toBe('popx');
    expect(set.migrations.map((m) => [script(m.up).file, script(m.up).transaction])).toEqual([
      ['1_a.up.sql', 'file'],
      ['2_b.autocommit.up.sql', 'implicit'],
    ]);
    expect(set.problems).toContain("3_c.up.fizz is a fizz migration (pop's DSL, not SQL): Understudy cannot run it, so version 3 is left out");
  });

  it('fills fizz/pop Go templates from --define, and names the file, line and flag when a value is missing', async () => {
    const dir = join(FIXTURES, 'popx-supabase-auth');
    const set = await readMigrations(dir, { defines: { Namespace: 'auth' } });
    expect(set.format).toBe('popx');
    expect(script(set.migrations[0]!.up).statements[0]!.text).toMatch(/^CREATE TABLE IF NOT EXISTS auth\.users \(/);
    expect(set.migrations.flatMap((m) => script(m.up).statements).some((s) => s.text.includes('{{'))).toBe(false);
    const error = await readMigrations(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(`a template placeholder has no value: {{ index .Options "Namespace" }} at ${dir}/00_init_auth_schema.up.sql:3`);
    expect((error as UsageError).hint).toBe('Pass --define Namespace=VALUE (the value your migration tool fills in).');
  });
});
