import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

describe('dbmate', () => {
  it('reads up and down sections with file lines', async () => {
    const set = await readMigrations(join(FIXTURES, 'dbmate'));
    expect(set.format).toBe('dbmate');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => `${m.id}_${m.name}`)).toEqual([
      '20240101120000_create_users_and_orders',
      '20240102090000_add_updated_at',
      '20240103090000_add_refunded_status',
      '20240104090000_index_orders_user_id',
    ]);
    const [first, second] = set.migrations;
    expect(script(first!.up).statements.map((s) => s.line)).toEqual([2, 4, 10]);
    expect(script(first!.down).statements.map((s) => [s.line, s.text])).toEqual([
      [18, 'DROP TABLE orders'],
      [19, 'DROP TABLE users'],
      [20, 'DROP TYPE order_status'],
    ]);
    expect(script(first!.down).file).toBe('20240101120000_create_users_and_orders.sql');
    expect(script(second!.up).statements.map((s) => s.line)).toEqual([2, 4, 11]);
  });

  it('honours transaction:false on the marker line, per section: the section is then sent as one query', async () => {
    const set = await readMigrations(join(FIXTURES, 'dbmate'));
    expect(set.migrations.map((m) => [script(m.up).transaction, m.down ? script(m.down).transaction : null])).toEqual([
      ['file', 'file'],
      ['file', 'file'],
      ['implicit', 'file'],
      ['implicit', 'implicit'],
    ]);
    expect(script(set.migrations[0]!.up).transactionHint).toMatch(/transaction:false/);
    expect(script(set.migrations[2]!.down).statements).toEqual([]);
    expect(script(set.migrations[3]!.up).statements[0]!.transactional).toBe(false);
  });

  it('reports a file without an up section', async () => {
    const dir = await tempFolder('understudy-dbmate-');
    await writeFile(join(dir, '20240101000000_a.sql'), '-- migrate:up\nSELECT 1;\n');
    await writeFile(join(dir, '20240102000000_b.sql'), '-- migrate:down\nSELECT 2;\n');
    const set = await readMigrations(dir, { format: 'dbmate' });
    expect(set.migrations.map((m) => m.name)).toEqual(['a']);
    expect(set.migrations[0]!.down).toBeUndefined();
    expect(set.problems).toEqual(['20240102000000_b.sql has no "-- migrate:up" section; dbmate refuses it, so it is ignored']);
  });
});
