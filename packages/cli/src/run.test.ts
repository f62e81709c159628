import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './run.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  return { out: () => out.join(''), err: () => err.join('') };
}

afterEach(() => vi.restoreAllMocks());

describe('run', () => {
  it('exits 0 for --version and --help', async () => {
    const io = capture();
    expect(await run(['--version'])).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(await run(['introspect', '--help'])).toBe(0);
    expect(io.out()).toContain('--drizzle [path]');
  });

  it('exits 2 for usage mistakes, printing the message and hint without a stack', async () => {
    const io = capture();
    expect(await run(['introspect'])).toBe(2);
    expect(io.err()).toContain('understudy: introspect needs a source');
    expect(io.err()).toContain('Example: understudy introspect --from');
    expect(io.err()).not.toMatch(/\n\s+at /);
    expect(await run(['no-such-command'])).toBe(2);
    expect(await run(['introspect', '--schemas', ' , ', '--url', 'postgres://x@127.0.0.1:1/db'])).toBe(2);
    expect(io.err()).toContain('--schemas needs at least one name');
  });

  it('exits 2 when --out names a folder that does not exist', async () => {
    const io = capture();
    const code = await run(['introspect', '--drizzle', '../../fixtures/drizzle/pg-schema.ts', '--out', '/no/such/dir/schema.json']);
    expect(code).toBe(2);
    expect(io.err()).toContain('cannot write --out /no/such/dir/schema.json');
    expect(io.err()).toContain('The folder /no/such/dir does not exist');
  });
});
