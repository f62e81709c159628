/**
 * Runs the program and turns the outcome into an exit code; prints user
 * errors without a stack. `main.ts` is the one place that exits.
 *
 * Exit codes: 0 success, 1 the check found problems, 2 usage or config error,
 * 3 connection or runtime error.
 */
import { painter } from './colour.js';
import { CommanderError } from 'commander';
import { isUnderstudyError } from '@understudy/core';
import { clearStatus } from './output.js';
import { buildProgram } from './program.js';

/**
 * @example
 * ```ts
 * const code = await run(['introspect', '--from', 'schema.sql', '--summary']);
 * ```
 */
export async function run(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    clearStatus();
    if (error instanceof CommanderError) {
      // Help and --version end with "errors" whose exit code is 0; usage mistakes exit 2.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isUnderstudyError(error)) {
      process.stderr.write(`${painter(process.stderr).red('understudy:')} ${printable(error.message)}\n`);
      if (error.hint) process.stderr.write(`  ${printable(error.hint)}\n`);
      return error.exitCode;
    }
    // Not a user's mistake: a bug. Show everything.
    process.stderr.write(`understudy: internal error (please report it):\n${printable((error as Error)?.stack ?? String(error))}\n`);
    return 3;
  }
}

/**
 * `text` safe to print on a terminal: control characters (a message may quote bytes of a file that is
 * not text, or a server's reply) are shown as `\xNN` escapes instead of being sent raw. Newlines and tabs stay.
 * @example
 * ```ts
 * printable('near "\u0007\u001b[2J"'); // 'near "\\x07\\x1b[2J"'
 * ```
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
