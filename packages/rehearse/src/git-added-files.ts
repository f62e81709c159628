/**
 * The files added under a folder since a git ref: committed on this branch since
 * it left REF (`git diff --diff-filter=A REF...HEAD`), plus files added but not
 * yet committed (staged or untracked), so a migration written a minute ago
 * counts too. Rename detection is off, so a new file git would pair with a
 * deleted one still counts as added. Paths are relative to the folder.
 *
 * @example
 * ```ts
 * await gitAddedFiles('db/migrations', 'origin/main'); // Set { '005_add_index.sql' }
 * ```
 */
import { execFile } from 'node:child_process';
import { UsageError } from '@understudy/core';

export interface GitResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs git in `cwd` and says how it went (never throws).
 * @example
 * ```ts
 * const { ok, stdout } = await git('.', ['rev-parse', 'HEAD']);
 * ```
 */
export function git(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.quotePath=false', ...args], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (error, stdout, stderr) => {
      resolve({ ok: error === null, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * Checks that `dir` is in a git repository where `ref` names a commit.
 * @throws UsageError naming --since, the folder and the ref.
 */
export async function checkSinceRef(dir: string, ref: string): Promise<void> {
  const inRepo = await git(dir, ['rev-parse', '--show-toplevel']);
  if (!inRepo.ok) {
    throw new UsageError(`--since ${ref}: ${dir} is not inside a git repository`, { hint: 'Use --pending N or --pending-from NAME instead.' });
  }
  if (ref.startsWith('-') || !(await git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).ok) {
    throw new UsageError(`--since ${ref}: no such git commit, branch or tag in the repository of ${dir}`, {
      hint: 'Check the name (git branch -a), or fetch it first (in CI: git fetch origin main, or a deeper clone).',
    });
  }
}

export async function gitAddedFiles(dir: string, ref: string): Promise<Set<string>> {
  await checkSinceRef(dir, ref);
  const committed = await git(dir, ['diff', '--name-only', '--relative', '--no-renames', '--diff-filter=A', `${ref}...HEAD`, '--', '.']);
  if (!committed.ok) {
    throw new UsageError(`--since ${ref}: git diff failed: ${committed.stderr.trim()}`, {
      hint: 'The ref must share history with HEAD (in CI, fetch with enough depth).',
    });
  }
  const staged = await git(dir, ['diff', '--name-only', '--relative', '--no-renames', '--diff-filter=A', '--cached', '--', '.']);
  const untracked = await git(dir, ['ls-files', '--others', '--exclude-standard', '--', '.']);
  return new Set([...lines(committed.stdout), ...lines(staged.stdout), ...lines(untracked.stdout)]);
}
