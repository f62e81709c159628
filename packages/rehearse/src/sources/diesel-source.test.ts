import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script } from '../test-folders.js';

describe('diesel', () => {
  it('reads crates.io: <version>_<name>/up.sql and down.sql in version order, each in a transaction', async () => {
    const set = await readMigrations(join(FIXTURES, 'diesel-crates-io'));
    expect(set.format).toBe('diesel');
    expect(set.problems).toEqual(['data_oauth_github.sql is ignored: diesel runs only <version>_<name>/up.sql files']);
    expect(set.migrations).toHaveLength(20);
    expect(set.migrations.slice(0, 3).map((m) => [m.id, m.name])).toEqual([
      ['00000000000000', 'diesel_initial_setup'],
      ['20140924113530', 'dumped_migration_1'],
      ['20140924114003', 'dumped_migration_2'],
    ]);
    const first = set.migrations[0]!;
    expect(script(first.up).file).toBe('00000000000000_diesel_initial_setup/up.sql');
    expect(script(first.down).file).toBe('00000000000000_diesel_initial_setup/down.sql');
    // The dollar-quoted helper functions stay whole.
    expect(script(first.up).statements.map((s) => s.text.slice(0, 55))).toEqual(['CREATE OR REPLACE FUNCTION diesel_manage_updated_at(_tb', 'CREATE OR REPLACE FUNCTION diesel_set_updated_at() RETU']);
    expect(set.migrations.every((m) => script(m.up).transaction === 'file')).toBe(true);
    expect(script(first.up).transactionHint).toBe('diesel runs each migration in a transaction: add run_in_transaction = false to 00000000000000_diesel_initial_setup/metadata.toml');
  });

  it('orders dashed versions by their digits and sends run_in_transaction = false migrations as one query', async () => {
    const set = await readMigrations(join(FIXTURES, 'diesel-crates-io-concurrent'));
    expect(set.migrations.map((m) => [m.id, m.name, script(m.up).transaction])).toEqual([
      ['20240305120032', 'add-crate-downloads-index', 'implicit'],
      ['202607301400000000', 'add_users_username_index', 'implicit'],
    ]);
    expect(script(set.migrations[0]!.up).statements[0]!.transactional).toBe(false);
  });
});
