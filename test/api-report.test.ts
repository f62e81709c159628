/**
 * The API report (scripts/api-report.mjs, run by `npm run lint` with --check): on a planted tree,
 * it lists each public package's exports with their kind, internal ones apart, skips private
 * packages, and --check fails, saying what to run, once the exports change.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPT = join(ROOT, 'scripts', 'api-report.mjs');

function report(root: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, '--root', root, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function write(root: string, file: string, text: string): void {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

describe('the API report', () => {
  const root = mkdtempSync(join(tmpdir(), 'understudy-api-report-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const manifest = (name: string, extra: object = {}) =>
    JSON.stringify({ name, type: 'module', exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './enc': { types: './dist/enc.d.ts', import: './dist/enc.js' } }, ...extra });
  write(root, 'packages/lib/package.json', manifest('@scope/lib'));
  write(
    root,
    'packages/lib/src/things.ts',
    'export function makeThing(): Thing { return { id: 1 }; }\nexport interface Thing { id: number }\nexport const LIMIT = 3;\nexport type Kind = "a" | "b";\nexport class Helper {}\n',
  );
  write(root, 'packages/lib/src/index.ts', "export { makeThing, type Thing, type Kind } from './things.js';\n/** @internal */\nexport { LIMIT, Helper } from './things.js';\n");
  write(root, 'packages/lib/src/enc.ts', '/**\n * An encoder.\n *\n * @internal loaded by workers\n */\nexport function createEncoder(): number { return 1; }\n');
  write(root, 'packages/hidden/package.json', manifest('hidden', { private: true }));
  write(root, 'packages/hidden/src/index.ts', 'export const x = 1;\n');

  it('lists public and internal exports with their kinds, per entry point, and skips private packages', () => {
    const result = report(root);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(existsSync(join(root, 'api/hidden.api.md'))).toBe(false);
    const text = readFileSync(join(root, 'api/lib.api.md'), 'utf8');
    const [main, enc] = text.split('## `@scope/lib/enc`');
    expect(main).toContain('3 public, 2 internal.');
    expect(main).toMatch(/\| `Kind` \| type \|\n\| `Thing` \| interface \|\n\| `makeThing` \| function \|/);
    expect(main).toMatch(/`@internal`[^\n]*\n\n\| export \| kind \|\n\|---\|---\|\n\| `Helper` \| class \|\n\| `LIMIT` \| const \|/);
    expect(enc).toContain('0 public, 1 internal.');
    expect(enc).toContain('| `createEncoder` | function |');
  });

  it('--check passes on the written reports, and fails saying what to run when an export is added', () => {
    expect(report(root, '--check')).toMatchObject({ status: 0, stdout: 'api report: 1 package matches api/*.api.md\n' });
    write(root, 'packages/lib/src/index.ts', `${readFileSync(join(root, 'packages/lib/src/index.ts'), 'utf8')}export const added = 2;\n`);
    const result = report(root, '--check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('api/lib.api.md differs from the sources');
    expect(result.stderr).toContain('npm run api-report');
  });
});
