/**
 * Runs a `--command` migration step: the user's own tool, through the shell,
 * with DATABASE_URL pointing at the rehearsal database.
 *
 * @example
 * ```ts
 * const result = await runCommandStep('npx prisma migrate deploy', { cwd: '.', databaseUrl: target.url! });
 * if (result.exitCode !== 0) console.error(result.output);
 * ```
 */
import { spawn } from 'node:child_process';
import { redactSecrets } from '@understudy/core';

export interface CommandResult {
  readonly exitCode: number;
  /** The last 2,000 characters of stdout and stderr together, the database URL's password removed (a tool may echo it). */
  readonly output: string;
  readonly durationMs: number;
}

const TAIL = 2000;

export function runCommandStep(command: string, options: { cwd: string; databaseUrl: string }): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: options.cwd, shell: true, env: { ...process.env, DATABASE_URL: options.databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-TAIL);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => resolve({ exitCode: 127, output: redactSecrets(error.message, options.databaseUrl), durationMs: performance.now() - started }));
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal ? 128 : 1), output: redactSecrets(output.trim(), options.databaseUrl), durationMs: performance.now() - started }));
  });
}
