import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';
import { parseSqitchPlan } from './sqitch-plan.js';

describe('Sqitch', () => {
  it('reads chef-erchef: the baseline project it requires first, then its own plan, deploy + verify up and revert down', async () => {
    const set = await readMigrations(join(FIXTURES, 'sqitch-chef-erchef'));
    expect([set.format, set.dialect]).toEqual(['sqitch', 'postgres']);
    expect(set.problems).toEqual([]);
    const ids = set.migrations.map((m) => m.id);
    expect(ids).toHaveLength(64);
    expect(ids.slice(0, 2)).toEqual(['oss_chef:osc_users', 'oss_chef:nodes']);
    expect(ids.filter((id) => id.startsWith('oss_chef:'))).toHaveLength(19);
    expect(ids.slice(19, 21)).toEqual(['drop_osc_users', 'users']);
    const users = set.migrations.find((m) => m.id === 'users')!;
    expect(script(users.up).transaction).toBe('none');
    // Sqitch scripts carry their own BEGIN … COMMIT, and the verify script follows the deploy script.
    expect(script(users.up).statements.map((s) => [s.file, s.text.split(/\s/)[0]!.toUpperCase()])).toEqual([
      ['deploy/users.sql', 'BEGIN'],
      ['deploy/users.sql', 'CREATE'],
      ['deploy/users.sql', 'COMMIT'],
      ['verify/users.sql', 'BEGIN'],
      ['verify/users.sql', 'SELECT'],
      ['verify/users.sql', 'ROLLBACK'],
    ]);
    expect(script(users.down).file).toBe('revert/users.sql');
  });

  it('deploys a reworked change from its NAME@TAG scripts at its first place in the plan, and the new scripts at the second', async () => {
    const set = await readMigrations(join(FIXTURES, 'sqitch-chef-erchef'));
    const ids = set.migrations.map((m) => m.id);
    const old = ids.indexOf('keys_update_trigger@users_email_functional_index');
    const reworked = ids.indexOf('keys_update_trigger');
    expect(old).toBeGreaterThan(ids.indexOf('keys_drop_trigger'));
    expect(old).toBeLessThan(ids.indexOf('multiple_keys_migration'));
    expect(reworked).toBe(ids.indexOf('create_and_update_users') + 1);
    expect(script(set.migrations[old]!.up).file).toBe('deploy/keys_update_trigger@users_email_functional_index.sql');
    expect(script(set.migrations[old]!.down).file).toBe('revert/keys_update_trigger@users_email_functional_index.sql');
    expect(script(set.migrations[reworked]!.up).file).toBe('deploy/keys_update_trigger.sql');
  });

  it('parses plan lines: dependencies, conflicts left out, tags, reworks', () => {
    const plan = parseSqitchPlan(
      [
        '%syntax-version=1.0.0',
        '%project=app',
        '',
        'users [other:roles !legacy] 2024-01-01T00:00:00Z Ann <a@b.c> # users',
        '@v1 2024-01-02T00:00:00Z Ann <a@b.c> # v1',
        '@v2 2024-01-03T00:00:00Z Ann <a@b.c> # v2',
        'users [users@v2] 2024-01-04T00:00:00Z Ann <a@b.c> # rework',
      ].join('\n'),
    );
    expect(plan.project).toBe('app');
    expect(plan.changes).toEqual([
      { name: 'users', requires: ['other:roles'], line: 4, reworked: true, reworkTags: ['v1', 'v2'] },
      { name: 'users', requires: ['users@v2'], line: 7, reworked: false, reworkTags: [] },
    ]);
  });

  it('takes the engine from sqitch.conf and its script folders, and says when a required project is not found', async () => {
    const dir = await tempFolder('understudy-sqitch-');
    await writeFile(join(dir, 'sqitch.conf'), '[core]\n\tengine = mysql\n\tdeploy_dir = up\n');
    await writeFile(join(dir, 'sqitch.plan'), '%project=app\nt [base:x] 2024-01-01T00:00:00Z Ann <a@b.c>\n');
    await mkdir(join(dir, 'up'));
    await writeFile(join(dir, 'up', 't.sql'), 'CREATE TABLE t (id int);');
    const set = await readMigrations(dir);
    expect(set.dialect).toBe('mysql');
    expect(script(set.migrations[0]!.up).file).toBe('up/t.sql');
    expect(set.migrations[0]!.down).toBeUndefined();
    expect(set.problems).toEqual(['sqitch.plan requires changes of project base, whose sqitch.plan is not in a sub-folder: they are not deployed first']);
  });
});
