import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

const EDP = join(FIXTURES, 'liquibase-edp-notifications');
const ROLES = { notificationTemplatePublisherName: 'publisher', notificationServiceName: 'service' };

describe('Liquibase formatted SQL', () => {
  it('reads every changeset as a migration, in file order, with ${parameters} from --define', async () => {
    const set = await readMigrations(EDP, { defines: ROLES });
    expect(set.format).toBe('liquibase');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => [m.id, script(m.up).file, script(m.up).statements.length])).toEqual([
      ['platform:create-extension-uuid-ossp', '00010_initial_db-setup.sql', 1],
      ['platform:create-tables', '00010_initial_db-setup.sql', 4],
      ['platform:create-notification-attrs', '00020_add-template-attributes.sql', 6],
      ['platform:create-inbox-notification', '00030_add-inbox-notification.sql', 3],
    ]);
    const tables = script(set.migrations[1]!.up);
    expect(tables.statements.map((s) => s.line)).toEqual([7, 21, 25, 29]);
    expect(tables.statements[2]!.text).toBe('grant select, insert, update, delete on notification_template to publisher');
    expect(tables).toMatchObject({
      transaction: 'file',
      transactionHint: 'Liquibase runs each changeset in a transaction: add runInTransaction:false to the --changeset line at 00010_initial_db-setup.sql:5',
    });
    expect(set.migrations.every((m) => m.down === undefined)).toBe(true);
  });

  it('names the changelog parameters that have no value', async () => {
    const error = await readMigrations(EDP).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      `2 template placeholders have no value: \${notificationTemplatePublisherName} at ${EDP}/00010_initial_db-setup.sql:25, \${notificationServiceName} at ${EDP}/00010_initial_db-setup.sql:29`,
    );
    expect((error as UsageError).hint).toBe('Pass --define notificationTemplatePublisherName=VALUE --define notificationServiceName=VALUE (the value your migration tool fills in).');
  });

  it('reads rollbacks, runInTransaction:false, splitStatements:false, endDelimiter and dbms', async () => {
    const dir = await tempFolder('understudy-liquibase-');
    await writeFile(
      join(dir, '001.sql'),
      [
        '--liquibase formatted sql',
        '',
        '--changeset ann:1',
        'CREATE TABLE t (id int);',
        'INSERT INTO t VALUES (1);',
        '--rollback DROP TABLE t;',
        '',
        '--changeset ann:2 runInTransaction:false',
        'CREATE INDEX CONCURRENTLY t_id ON t (id);',
        '--rollback not required',
        '',
        '--changeset ann:3 splitStatements:false',
        'UPDATE t SET id = 2; UPDATE t SET id = 3;',
        '',
        '--changeset ann:4 endDelimiter:GO',
        'SELECT 1',
        'GO',
        'SELECT 2',
        '',
        '--changeset ann:5 dbms:mysql,mariadb',
        'ALTER TABLE t ENGINE=InnoDB;',
        '',
        '--changeset ann:6 dbms:!postgresql',
        'SELECT 6;',
      ].join('\n'),
    );
    const set = await readMigrations(dir, { dialect: 'postgres' });
    expect(set.migrations.map((m) => [m.id, script(m.up).transaction, script(m.up).statements.map((s) => [s.line, s.text])])).toEqual([
      [
        'ann:1',
        'file',
        [
          [4, 'CREATE TABLE t (id int)'],
          [5, 'INSERT INTO t VALUES (1)'],
        ],
      ],
      ['ann:2', 'none', [[9, 'CREATE INDEX CONCURRENTLY t_id ON t (id)']]],
      ['ann:3', 'file', [[13, 'UPDATE t SET id = 2; UPDATE t SET id = 3']]],
      [
        'ann:4',
        'file',
        [
          [16, 'SELECT 1'],
          [18, 'SELECT 2'],
        ],
      ],
    ]);
    expect(script(set.migrations[0]!.down).statements.map((s) => [s.line, s.text])).toEqual([[6, 'DROP TABLE t']]);
    expect(script(set.migrations[1]!.down).statements).toEqual([]);
    expect((await readMigrations(dir, { dialect: 'mysql' })).migrations.map((m) => m.id)).toEqual(['ann:1', 'ann:2', 'ann:3', 'ann:4', 'ann:5', 'ann:6']);
  });

  it('follows the include order of a master changelog in the folder', async () => {
    const dir = await tempFolder('understudy-liquibase-');
    await writeFile(join(dir, 'a.sql'), '--liquibase formatted sql\n--changeset ann:a\nSELECT 1;\n');
    await writeFile(join(dir, 'b.sql'), '--liquibase formatted sql\n--changeset ann:b\nSELECT 2;\n');
    await writeFile(join(dir, 'c.sql'), '--liquibase formatted sql\n--changeset ann:c\nSELECT 3;\n');
    await writeFile(join(dir, 'changelog.yaml'), 'databaseChangeLog:\n  - include:\n      file: b.sql\n  - include:\n      file: a.sql\n');
    const set = await readMigrations(dir);
    expect(set.migrations.map((m) => m.id)).toEqual(['ann:b', 'ann:a']);
    expect(set.problems).toEqual(['c.sql is not included by changelog.yaml; Liquibase never runs it']);
  });
});
