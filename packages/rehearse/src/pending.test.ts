import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '@understudy/core';
import type { MigrationSet } from './migration-model.js';
import { selectPending } from './pending.js';
import { inWorktree } from './git-worktree.js';
import { readMigrations } from './read-migrations.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/migrations/', import.meta.url));
const ids = (migrations: readonly { id: string }[]) => migrations.map((m) => m.id);
async function usageError(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('selectPending by count and name', () => {
  let plain: MigrationSet;
  let flyway: MigrationSet;
  beforeAll(async () => {
    plain = await readMigrations(join(FIXTURES, 'plain'));
    flyway = await readMigrations(join(FIXTURES, 'flyway'));
  });

  it('makes every migration pending when --pending asks for more than the folder holds, and says so', async () => {
    const selection = await selectPending(plain, { pending: 9 });
    expect(selection.baseline).toEqual([]);
    expect(selection.pending.map((m) => m.id)).toEqual(['001', '002', '003', '004']);
    expect(selection.reason).toMatch(/^all 4 migrations \(--pending 9, but .* holds only 4\)$/);
  });

  it('defaults to the last migration', async () => {
    const selection = await selectPending(plain);
    expect(ids(selection.baseline)).toEqual(['001', '002', '003']);
    expect(ids(selection.pending)).toEqual(['004']);
    expect(selection.reason).toMatch(/^the last migration \(the default/);
    expect(selection.problems).toEqual([]);
  });

  it('takes the last N with --pending', async () => {
    const selection = await selectPending(plain, { pending: 2 });
    expect(ids(selection.baseline)).toEqual(['001', '002']);
    expect(ids(selection.pending)).toEqual(['003', '004']);
    expect(ids((await selectPending(plain, { pending: 4 })).baseline)).toEqual([]);
  });

  it('matches --from against id, version, name, id_name and file name', async () => {
    for (const from of ['002', '2', 'add_updated_at', '002_add_updated_at', '002_add_updated_at.up.sql']) {
      const selection = await selectPending(plain, { from });
      expect(ids(selection.baseline)).toEqual(['001']);
      expect(ids(selection.pending)).toEqual(['002', '003', '004']);
    }
    expect(ids((await selectPending(flyway, { from: '1.1' })).pending)).toEqual(['1.1', '2', '3', '10', 'R__active_users_view', 'R__order_totals_view']);
    expect(ids((await selectPending(flyway, { from: 'V10__index_orders_user_id.sql' })).baseline)).toEqual(['1', '1.1', '2', '3']);
  });

  it('lists near matches for an unknown --from', async () => {
    const error = await usageError(selectPending(plain, { from: 'add_updatd_at' }));
    expect(error.message).toBe('--pending-from add_updatd_at matches no migration');
    expect(error.hint).toBe('Did you mean: add_updated_at?');
  });

  it('refuses bad counts and mixed flags', async () => {
    expect((await usageError(selectPending(plain, { pending: 0 }))).message).toBe('--pending must be a positive whole number, got 0');
    expect((await usageError(selectPending(plain, { pending: 1.5 }))).message).toBe('--pending must be a positive whole number, got 1.5');
    expect((await usageError(selectPending(plain, { pending: 1, from: '001' }))).message).toBe('--pending and --pending-from cannot be used together');
  });

  it('always makes a --command pending', async () => {
    const set = await readMigrations(FIXTURES, { command: 'npm run migrate' });
    expect(ids((await selectPending(set)).pending)).toEqual(['command']);
    expect((await usageError(selectPending(set, { pending: 2 }))).message).toBe('--pending cannot choose migrations for --command');
    expect((await usageError(selectPending(set, { from: '002' }))).message).toBe('--pending-from cannot choose migrations for --command');
  });
});

describe('selectPending --since a git ref', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString().trim();

  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'understudy-git-'));
    git('init', '--quiet', '--initial-branch=main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'Test');
    git('config', 'commit.gpgsign', 'false');
    await cp(join(FIXTURES, 'plain'), join(repo, 'db'), { recursive: true });
    for (const late of ['003_add_refunded_status.sql', '004_index_orders_user_id.sql']) await rm(join(repo, 'db', late));
    git('add', '.');
    git('commit', '--quiet', '-m', 'first migrations');
    git('tag', 'base');
    await cp(join(FIXTURES, 'plain', '003_add_refunded_status.sql'), join(repo, 'db', '003_add_refunded_status.sql'));
    await writeFile(join(repo, 'db', '002_add_updated_at.up.sql'), '-- edited, not added\nSELECT 1;\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'add 003');
  });
  afterAll(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('makes the migrations added since the ref pending, not the edited ones', async () => {
    const set = await readMigrations(join(repo, 'db'));
    const selection = await selectPending(set, { since: 'base' });
    expect(ids(selection.baseline)).toEqual(['001', '002']);
    expect(ids(selection.pending)).toEqual(['003']);
    expect(selection.reason).toBe('migrations added since base (--since base)');
  });

  it('counts a migration written but not committed yet', async () => {
    await cp(join(FIXTURES, 'plain', '004_index_orders_user_id.sql'), join(repo, 'db', '004_index_orders_user_id.sql'));
    try {
      const set = await readMigrations(join(repo, 'db'));
      expect(ids((await selectPending(set, { since: 'base' })).pending)).toEqual(['003', '004']);
      expect(ids((await selectPending(set, { since: 'HEAD' })).pending)).toEqual(['004']);
    } finally {
      await rm(join(repo, 'db', '004_index_orders_user_id.sql'));
    }
  });

  it('reports a pending migration that sorts before a baseline one', async () => {
    await writeFile(join(repo, 'db', '000_late_branch.sql'), 'SELECT 1;\n');
    try {
      const set = await readMigrations(join(repo, 'db'));
      const selection = await selectPending(set, { since: 'HEAD' });
      expect(ids(selection.pending)).toEqual(['000']);
      expect(selection.problems).toEqual([
        'pending migration 000 late_branch sorts before baseline migration 003 add_refunded_status; tools that refuse out-of-order migrations (golang-migrate, Flyway by default, drizzle-kit) will skip or reject it in production',
      ]);
    } finally {
      await rm(join(repo, 'db', '000_late_branch.sql'));
    }
  });

  it('with --command, makes the baseline the command at the merge-base, run in a worktree of that commit', async () => {
    const set = await readMigrations(join(repo, 'db'), { command: 'sh migrate.sh' });
    const selection = await selectPending(set, { since: 'base' });
    const base = git('rev-parse', 'base');
    expect(selection.baseline).toEqual([
      expect.objectContaining({ id: 'baseline', name: `sh migrate.sh at ${base.slice(0, 12)}, the merge-base with base`, up: { command: 'sh migrate.sh', at: { commit: base, ref: 'base' } } }),
    ]);
    expect(ids(selection.pending)).toEqual(['command']);
    // The worktree holds the folder as it was at that commit, and is gone afterwards.
    const seen = await inWorktree(join(repo, 'db'), base, async (cwd) => ({ cwd, files: (await readdir(cwd)).sort() }));
    expect(seen.cwd.startsWith(join(repo, '.git', 'understudy-baseline-'))).toBe(true);
    expect(seen.cwd).toMatch(/\/tree\/db$/);
    expect(seen.files).toContain('001_create_users_and_orders.sql');
    expect(seen.files).not.toContain('003_add_refunded_status.sql');
    await expect(stat(seen.cwd)).rejects.toThrow();
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('names a bad ref, and a folder outside git', async () => {
    const set = await readMigrations(join(repo, 'db'));
    const bad = await usageError(selectPending(set, { since: 'no-such-branch' }));
    expect(bad.message).toBe(`--since no-such-branch: no such git commit, branch or tag in the repository of ${join(repo, 'db')}`);
    const outside = await mkdtemp(join(tmpdir(), 'understudy-nogit-'));
    try {
      await writeFile(join(outside, '001_a.sql'), 'SELECT 1;');
      const loose = await readMigrations(outside);
      expect((await usageError(selectPending(loose, { since: 'main' }))).message).toBe(`--since main: ${outside} is not inside a git repository`);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
