import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCommandStep } from './command-step.js';

describe('runCommandStep', () => {
  it('keeps the output of a tool that echoes DATABASE_URL, without the password', async () => {
    const databaseUrl = 'postgres://app:p%40ss%3Aw%2Frd@db:5432/rehearsal';
    const result = await runCommandStep('echo "connecting to $DATABASE_URL"; echo "password p@ss:w/rd rejected" >&2; exit 3', {
      cwd: tmpdir(),
      env: { DATABASE_URL: databaseUrl },
      secretsOf: databaseUrl,
    });
    expect(result.exitCode).toBe(3);
    expect(result.output).toContain('connecting to postgres://app:***@db:5432/rehearsal');
    expect(result.output).toContain('password *** rejected');
    expect(result.output).not.toMatch(/p@ss|p%40ss/);
  });
});
