/**
 * The dialect boundary check (scripts/check-boundary.mjs, run by `npm run lint`): the repository
 * has no engine-name literal outside the dialect packages, and a planted one is caught, named by
 * file, line and column.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = join(ROOT, 'scripts', 'check-boundary.mjs');

function check(root?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, ...(root ? ['--root', root] : [])], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the dialect boundary check', () => {
  const planted = mkdtempSync(join(tmpdir(), 'understudy-boundary-'));
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  /** A tree with the real registry and one file of shared code. */
  function plant(file: string, text: string): string {
    const root = mkdtempSync(join(planted, 'tree-'));
    mkdirSync(join(root, 'packages/core/src'), { recursive: true });
    cpSync(join(ROOT, 'packages/core/src/dialect-registry.ts'), join(root, 'packages/core/src/dialect-registry.ts'));
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
    return root;
  }

  it('finds none outside the dialect packages of this repository', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^dialect boundary: 0 engine-name literals outside dialect packages \(\d+ files checked/);
    expect(result.status).toBe(0);
  });

  it('catches a comparison with a name, an alias in a regular expression, and a lookup table keyed by engine', () => {
    const root = plant(
      'packages/generate/src/planner.ts',
      [
        "export const escapes = (dialect: string): boolean => dialect === 'mysql';",
        'export const isPg = (word: string): boolean => /^(postgres(ql)?|pg)$/i.test(word);',
        "export const QUOTES = { mariadb: '`' };",
        "// a comment may say 'postgres'",
        "import type { X } from '@understudy/postgres';",
      ].join('\n'),
    );
    const result = check(root);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("packages/generate/src/planner.ts:1:66: engine-name literal 'mysql' outside a dialect package");
    expect(result.stderr).toContain('packages/generate/src/planner.ts:2:48: engine-name literal /^(postgres(ql)?|pg)$/i');
    expect(result.stderr).toContain('packages/generate/src/planner.ts:3:25: engine-name literal key mariadb');
    expect(result.stderr).toContain('dialect boundary: 3 engine-name literals outside dialect packages');
  });

  it('lets a dialect package, and tests, name their engine', () => {
    const root = plant('packages/mysql/src/mysql-thing.ts', "export const name = 'mysql';\n");
    writeFileSync(join(root, 'packages/core/src/thing.test.ts'), "export const fixture = { dialect: 'postgres' };\n");
    const result = check(root);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0 engine-name literals');
  });
});
