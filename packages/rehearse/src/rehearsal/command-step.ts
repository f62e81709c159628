/**
 * Runs a `--command` migration step: the user's own tool, through the shell, with
 * DATABASE_URL (and the engine's client variables) naming the rehearsal database.
 * Its output (stdout and stderr together, the last `OUTPUT_LIMIT` characters) is
 * returned with every secret of the URL removed (`redactSecrets`): a tool that
 * prints its connection string does not put the password in any report. The
 * command runs in its own process group, which an abort (Ctrl-C) ends.
 *
 * @example
 * ```ts
 * const result = await runCommandStep('npx knex migrate:latest', { cwd: '.', env: { DATABASE_URL: target.url! }, secretsOf: target.url });
 * if (result.exitCode !== 0) console.error(result.output);
 * ```
 */
import { spawn } from 'node:child_process';
import { redactSecrets } from '@understudy/core';

export interface CommandResult {
  readonly exitCode: number;
  /** The last `OUTPUT_LIMIT` characters of stdout and stderr together, secrets removed. */
  readonly output: string;
  /** Earlier output was cut off. */
  readonly truncated: boolean;
  readonly durationMs: number;
}

export interface CommandOptions {
  readonly cwd: string;
  /** Variables added to this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  /** A URL whose password (and the URL itself) never leaves in the output. */
  readonly secretsOf?: string;
  /** Ends the command (SIGTERM to its process group, SIGKILL 5 s later). */
  readonly signal?: AbortSignal;
}

/** Characters of output kept. */
export const OUTPUT_LIMIT = 4000;

/** See the module comment. */
export function runCommandStep(command: string, options: CommandOptions): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, { cwd: options.cwd, shell: true, detached: true, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Twice the limit, so that a secret cut in half at the edge is still whole when it is removed.
    let output = '';
    let truncated = false;
    const collect = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.length > 2 * OUTPUT_LIMIT) {
        output = output.slice(-2 * OUTPUT_LIMIT);
        truncated = true;
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const end = (): void => {
      if (child.pid === undefined || child.exitCode !== null) return;
      const group = -child.pid;
      try {
        process.kill(group, 'SIGTERM');
      } catch {
        return;
      }
      setTimeout(() => {
        try {
          process.kill(group, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000).unref();
    };
    options.signal?.addEventListener('abort', end, { once: true });
    const finish = (exitCode: number, text: string): void => {
      options.signal?.removeEventListener('abort', end);
      const clean = redactSecrets(text, options.secretsOf).trim();
      resolve({ exitCode, output: clean.length > OUTPUT_LIMIT ? clean.slice(-OUTPUT_LIMIT) : clean, truncated: truncated || clean.length > OUTPUT_LIMIT, durationMs: performance.now() - started });
    };
    child.on('error', (error) => finish(127, error.message));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : 1), output));
  });
}
