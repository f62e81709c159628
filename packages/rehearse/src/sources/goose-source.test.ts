import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

describe('goose', () => {
  it('reads openfga: Up and Down sections with file lines, in version order, NO TRANSACTION outside a transaction', async () => {
    const set = await readMigrations(join(FIXTURES, 'goose-openfga', 'postgres'));
    expect(set.format).toBe('goose');
    expect(set.dialect).toBe('postgres');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => `${m.id}_${m.name}`)).toEqual([
      '001_initialize_schema',
      '002_add_authorization_model_version',
      '003_add_reverse_lookup_index',
      '004_add_authorization_model_serialized_protobuf',
      '005_add_conditions_to_tuples',
      '006_add_collate_index',
    ]);
    const last = set.migrations[5]!;
    expect(script(last.up).transaction).toBe('none');
    expect(script(last.up).statements.map((s) => [s.line, s.transactional])).toEqual([
      [3, false],
      [11, false],
    ]);
    expect(script(last.down).statements.map((s) => s.text)).toEqual([
      'DROP INDEX CONCURRENTLY IF EXISTS idx_user_lookup',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_reverse_lookup_user on tuple (store, object_type, relation, _user)',
    ]);
    expect(script(set.migrations[1]!.up)).toMatchObject({ transaction: 'file', transactionHint: expect.stringMatching(/-- \+goose NO TRANSACTION/) });
    expect(script(set.migrations[4]!.down).statements.map((s) => s.line)).toEqual([6, 7]);
  });

  it('guesses MySQL for the openfga mysql folder', async () => {
    const set = await readMigrations(join(FIXTURES, 'goose-openfga', 'mysql'));
    expect([set.format, set.dialect, set.migrations.length]).toEqual(['goose', 'mysql', 8]);
  });

  it('keeps a StatementBegin … StatementEnd block whole, orders versions as numbers, fills ENVSUB ${VAR} from --define', async () => {
    const dir = await tempFolder('understudy-goose-');
    await writeFile(
      join(dir, '10_proc.sql'),
      [
        '-- +goose Up',
        '-- +goose StatementBegin',
        'CREATE PROCEDURE bump()',
        'BEGIN',
        '  UPDATE counters SET n = n + 1;',
        'END;',
        '-- +goose StatementEnd',
        '-- +goose Down',
        'DROP PROCEDURE bump;',
      ].join('\n'),
    );
    await writeFile(join(dir, '9_env.sql'), '-- +goose ENVSUB ON\n-- +goose Up\nCREATE SCHEMA ${APP_SCHEMA};\n');
    await writeFile(join(dir, '11_code.go'), 'package migrations');
    await writeFile(join(dir, '12_no_up.sql'), '-- +goose Down\nSELECT 1;');
    const set = await readMigrations(dir, { dialect: 'mysql', defines: { APP_SCHEMA: 'app' } });
    expect(set.migrations.map((m) => m.id)).toEqual(['9', '10']);
    expect(script(set.migrations[0]!.up).statements.map((s) => s.text)).toEqual(['CREATE SCHEMA app']);
    expect(script(set.migrations[1]!.up).statements).toEqual([
      { text: 'CREATE PROCEDURE bump()\nBEGIN\n  UPDATE counters SET n = n + 1;\nEND', line: 3, file: '10_proc.sql', kind: 'ddl', transactional: true },
    ]);
    expect(set.problems).toEqual([
      '11_code.go is a Go migration: Understudy reads SQL files only (rehearse your goose binary with --command)',
      '12_no_up.sql has no "-- +goose Up" annotation; goose refuses it, so it is ignored',
    ]);
    // The Go migration comes after both SQL ones: a failure of neither can be blamed on it.
    expect(set.leftOut).toEqual([{ file: '11_code.go', kind: 'Go', before: 2 }]);
  });

  it('splits a StatementBegin block of several statements in a transaction file (hatchet), keeps it whole without one', async () => {
    const dir = await tempFolder('understudy-goose-blocks-');
    const block = [
      '-- +goose StatementBegin',
      '-- Create enum type "EngineVersion"',
      "CREATE TYPE \"EngineVersion\" AS ENUM ('V0', 'V1');",
      'CREATE FUNCTION grade(score int) RETURNS text LANGUAGE sql',
      "BEGIN ATOMIC SELECT CASE WHEN score > 50 THEN 'pass' ELSE 'fail' END; END;",
      '',
      'ALTER TYPE "LeaseKind" ADD VALUE \'CONCURRENCY\';',
      '-- +goose StatementEnd',
    ];
    await writeFile(join(dir, '1_in_transaction.sql'), ['-- +goose Up', ...block].join('\n'));
    await writeFile(join(dir, '2_no_transaction.sql'), ['-- +goose NO TRANSACTION', '-- +goose Up', ...block].join('\n'));
    const set = await readMigrations(dir, { dialect: 'postgres' });
    expect(script(set.migrations[0]!.up).statements.map((s) => [s.line, s.text.split('\n')[0]])).toEqual([
      [4, "CREATE TYPE \"EngineVersion\" AS ENUM ('V0', 'V1')"],
      [5, 'CREATE FUNCTION grade(score int) RETURNS text LANGUAGE sql'],
      [8, 'ALTER TYPE "LeaseKind" ADD VALUE \'CONCURRENCY\''],
    ]);
    expect(script(set.migrations[1]!.up).statements.map((s) => s.line)).toEqual([5]);
  });
});
