/**
 * Errors cross the worker boundary as plain Errors (structured clone keeps the
 * message only), so a user's mistake raised in a worker (an UnderstudyError,
 * e.g. a config naming a faker method that does not exist) is encoded into the
 * message there and rebuilt, with its exit code and hint, in the main thread.
 *
 * @example
 * ```ts
 * try { await pool.run(task) } catch (e) { throw reviveWorkerError(e) }
 * ```
 */
import { UnderstudyError, isUnderstudyError, type ExitCode } from '@understudy/core';

const MARK = '\u0000understudy-error:';

/** In a worker: an Error whose message carries an UnderstudyError's fields; other errors unchanged. */
export function encodeWorkerError(error: unknown): unknown {
  if (!isUnderstudyError(error)) return error;
  return new Error(MARK + JSON.stringify({ name: error.name, message: error.message, exitCode: error.exitCode, hint: error.hint }));
}

class WorkerUnderstudyError extends UnderstudyError {}

/** In the main thread: the UnderstudyError a worker raised, or the error as it came. */
export function reviveWorkerError(error: unknown): unknown {
  const message = (error as Error | undefined)?.message;
  if (typeof message !== 'string' || !message.startsWith(MARK)) return error;
  const data = JSON.parse(message.slice(MARK.length)) as { name: string; message: string; exitCode: ExitCode; hint?: string };
  const revived = new WorkerUnderstudyError(data.message, { exitCode: data.exitCode, ...(data.hint ? { hint: data.hint } : {}) });
  Object.defineProperty(revived, 'name', { value: data.name });
  return revived;
}
