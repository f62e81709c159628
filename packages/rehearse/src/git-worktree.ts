/**
 * The tree of a pull request's base, for a `--command` rehearsal: the merge-base
 * of `--since REF` and HEAD (the commit the branch left REF at), checked out in a
 * temporary `git worktree` where the command builds the baseline database as the
 * base branch would. The worktree goes inside the repository's `.git` folder when
 * it has one, so that the tools the command finds by walking up from its working
 * directory (a Node project's `node_modules`) are the current tree's; it is removed
 * afterwards, whatever happens.
 *
 * @example
 * ```ts
 * const base = await mergeBase('.', 'origin/main');
 * await inWorktree('.', base, async (cwd) => runTheCommand({ cwd }));
 * ```
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '@understudy/core';
import { checkSinceRef, git } from './git-added-files.js';

/**
 * The commit where HEAD left `ref` (`git merge-base REF HEAD`).
 * @throws UsageError when `dir` is not in a repository, `ref` names no commit, or they share no history.
 */
export async function mergeBase(dir: string, ref: string): Promise<string> {
  await checkSinceRef(dir, ref);
  const base = await git(dir, ['merge-base', ref, 'HEAD']);
  if (!base.ok || base.stdout.trim() === '') {
    throw new UsageError(`--since ${ref}: HEAD shares no history with ${ref} in the repository of ${dir}`, {
      hint: 'In CI, fetch with enough depth (git fetch --unshallow, or fetch-depth: 0) so that the merge-base is there.',
    });
  }
  return base.stdout.trim();
}

/**
 * Runs `fn` in `dir`'s counterpart in a temporary worktree at `commit`, and removes the worktree.
 * @throws UsageError when git cannot make the worktree.
 */
export async function inWorktree<T>(dir: string, commit: string, fn: (cwd: string) => Promise<T>): Promise<T> {
  const top = (await git(dir, ['rev-parse', '--show-toplevel'])).stdout.trim();
  const prefix = (await git(dir, ['rev-parse', '--show-prefix'])).stdout.trim();
  const dotGit = join(top, '.git');
  const parent = await mkdtemp(
    join(
      (await stat(dotGit).then(
        (s) => s.isDirectory(),
        () => false,
      ))
        ? dotGit
        : tmpdir(),
      'understudy-baseline-',
    ),
  );
  const tree = join(parent, 'tree');
  const added = await git(top, ['worktree', 'add', '--detach', '--quiet', tree, commit]);
  if (!added.ok) {
    await rm(parent, { recursive: true, force: true });
    throw new UsageError(`cannot check out ${commit.slice(0, 12)} in a git worktree to build the baseline: ${added.stderr.trim()}`, {
      hint: 'Check that the repository is not shallow (fetch the merge-base) and that .git is writable.',
    });
  }
  try {
    return await fn(resolve(tree, prefix));
  } finally {
    await git(top, ['worktree', 'remove', '--force', tree]);
    await rm(parent, { recursive: true, force: true });
    await git(top, ['worktree', 'prune']);
  }
}
