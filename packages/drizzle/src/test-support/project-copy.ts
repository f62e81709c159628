/**
 * A drizzle project from `fixtures/` (a real one under `drizzle-projects/`, or a
 * folder of test modules under `drizzle/`), copied into a
 * temporary folder outside the repository and "installed" the way its owners
 * would: `node_modules` links to drizzle-orm (and drizzle-kit) of the line the
 * project uses, to the other packages its schema imports, and to its own
 * workspace packages. Nothing else resolves from there, so a project copied with
 * no drizzle-orm has none, as a user's project would.
 *
 * `0.x` is drizzle-orm 0.45 and drizzle-kit 0.31 from the repository's node_modules;
 * `0.34` (drizzle-orm 0.34, drizzle-kit 0.25) and `1.x` (1.0 rc) come from the private
 * packages under `fixtures/drizzle-projects/toolchains/`.
 *
 * @example
 * ```ts
 * const project = await copyDrizzleProject('drizzle-projects/unkey', { drizzle: '0.x', packages: ['base-x'], workspaces: { '@unkey/id': 'internal/id' } });
 * try { … project.path('internal/db/drizzle.config.ts') … } finally { await project.remove(); }
 * ```
 */
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURES = join(REPO_ROOT, 'fixtures');
const ROOT_MODULES = join(REPO_ROOT, 'node_modules');
const TOOLCHAINS: Readonly<Record<'0.x' | '0.34' | '1.x', string>> = {
  '0.x': ROOT_MODULES,
  '0.34': join(FIXTURES, 'drizzle-projects/toolchains/drizzle-v034/node_modules'),
  '1.x': join(FIXTURES, 'drizzle-projects/toolchains/drizzle-v1/node_modules'),
};

export interface CopyOptions {
  /** Which drizzle-orm (and drizzle-kit) to install; `none` installs no drizzle-orm at all. */
  readonly drizzle: '0.x' | '0.34' | '1.x' | 'none';
  /** Install drizzle-kit of that line too (default true). */
  readonly kit?: boolean;
  /** Other packages from the repository's node_modules the schema imports. */
  readonly packages?: readonly string[];
  /** Workspace packages of the project: name → folder inside the copy. */
  readonly workspaces?: Readonly<Record<string, string>>;
}

export interface ProjectCopy {
  readonly dir: string;
  /** A path inside the copy. */
  path(relative: string): string;
  remove(): Promise<void>;
}

/**
 * Copies a fixture project and links its dependencies.
 *
 * @param fixture a folder under `fixtures/`.
 * @example
 * ```ts
 * const project = await copyDrizzleProject('drizzle-projects/ai-chatbot', { drizzle: '0.x' });
 * ```
 */
export async function copyDrizzleProject(fixture: string, options: CopyOptions): Promise<ProjectCopy> {
  const dir = await mkdtemp(join(tmpdir(), `understudy-${fixture.replace(/\W+/g, '-')}-`));
  await cp(join(FIXTURES, fixture), dir, { recursive: true });
  const link = async (pkg: string, target: string): Promise<void> => {
    const at = join(dir, 'node_modules', pkg);
    await mkdir(dirname(at), { recursive: true });
    await symlink(target, at, 'dir');
  };
  if (options.drizzle !== 'none') {
    const from = TOOLCHAINS[options.drizzle];
    await link('drizzle-orm', join(from, 'drizzle-orm'));
    if (options.kit !== false) await link('drizzle-kit', join(from, 'drizzle-kit'));
  }
  for (const pkg of options.packages ?? []) await link(pkg, join(ROOT_MODULES, pkg));
  for (const [pkg, folder] of Object.entries(options.workspaces ?? {})) await link(pkg, join(dir, folder));
  return {
    dir,
    path: (relative) => join(dir, relative),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
