/**
 * What a terminal shows: colour only on a TTY and never with NO_COLOR; progress and status lines
 * that replace each other (`\r` + erase line) instead of piling up; nothing of either when the
 * output is piped. The TTY is a real pseudo-terminal made by util-linux `script`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const bin = fileURLToPath(new URL('../../bin/understudy', import.meta.url));
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasScript) console.warn('util-linux `script` not found: skipping the tests on a pseudo-terminal');

/** Runs the CLI on a pseudo-terminal (stdout and stderr both the TTY) and returns what the terminal received. */
function onTty(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const { DATABASE_URL: _ignored, NO_COLOR: _nc, FORCE_COLOR: _fc, ...rest } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', quoted, '/dev/null'], { cwd: repoRoot, env: { ...rest, TERM: 'xterm', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** SGR sequences (colour, bold): ESC [ … m. */
const SGR = /\x1b\[[0-9;]*m/;
const REHEARSE = ['rehearse', 'fixtures/migrations/rehearse/not-null', '--rows', '100'];

/** The lines a terminal keeps: each `\r` + erase-line overwrites what came before it on that line. */
function keptLines(output: string): string[] {
  return output
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .split('\r\x1b[K')
        .pop()!
        .replace(/\x1b\[[0-9;]*m/g, ''),
    );
}

describe.skipIf(!hasScript)('on a terminal', () => {
  it('rehearse colours its verdicts, and its status line is replaced step by step', async () => {
    const { code, output } = await onTty(REHEARSE);
    expect(code, output).toBe(1);
    expect(output).toMatch(/\x1b\[31m✗\x1b\[39m 002 require_nickname/);
    expect(output).toMatch(/\x1b\[31m\x1b\[1mFAILED\x1b\[22m\x1b\[39m/);
    // Each step was drawn once, as a replaced status line: none is left as a line of its own.
    for (const step of ['opening the rehearsal database', 'seeding', 'applying 002_require_nickname']) {
      expect(output.split(`\r\x1b[Krehearsing: ${step}…`).length - 1, step).toBe(1);
    }
    const kept = keptLines(output);
    expect(kept.filter((l) => l.startsWith('rehearsing:') || l.startsWith('… '))).toEqual([]);
    expect(kept[0]).toMatch(/^Rehearsal of fixtures\/migrations\/rehearse\/not-null/);
  });

  it('NO_COLOR turns colour off (the status line still replaces itself)', async () => {
    const { code, output } = await onTty(REHEARSE, { NO_COLOR: '1' });
    expect(code, output).toBe(1);
    expect(output).not.toMatch(SGR);
    expect(output).toContain('✗ 002 require_nickname');
    expect(output).toContain('\r\x1b[Krehearsing: seeding…');
  });

  it('an error says understudy: in red, plain with NO_COLOR', async () => {
    const coloured = await onTty(['introspect', '--from', 'fixtures/no-such-file.sql']);
    expect(coloured.code).toBe(2);
    expect(coloured.output).toContain('\x1b[31munderstudy:\x1b[39m');
    const plain = await onTty(['introspect', '--from', 'fixtures/no-such-file.sql'], { NO_COLOR: '1' });
    expect(plain.output).not.toMatch(SGR);
    expect(plain.output).toMatch(/^understudy: /m);
  });

  it("seed: each table's progress line replaces the last; the summary lists every table once", async () => {
    const { code, output } = await onTty(['seed', '--from', 'fixtures/schemas/chinook/postgresql/schema.sql', '--rows', '20000']);
    expect(code, output).toBe(0);
    // Progress was drawn (so the check below has something to find)…
    expect(output).toMatch(/\r\x1b\[Kpublic\.\w+: [\d,]+\/[\d,]+ rows/);
    const kept = keptLines(output).filter((l) => l.trim() !== '');
    // …and no progress line (`public.track: 1,000/20,000 rows (…)`) is left on screen.
    expect(kept.filter((l) => /^public\.\w+: [\d,]+\/[\d,]+ /.test(l))).toEqual([]);
    const summary = kept.filter((l) => /^public\.\w+ +[\d,]+ rows/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(summary).toHaveLength(11);
    expect(new Set(summary).size).toBe(11);
  });
});

describe('piped (not a terminal)', () => {
  it('no colour, no status or progress line', async () => {
    const { code, stdout, stderr } = await runCli(REHEARSE, { env: { FORCE_COLOR: '' } });
    expect(code).toBe(1);
    expect(stdout + stderr).not.toMatch(/\x1b/);
    expect(stderr).not.toContain('rehearsing:');
  });
});
