/**
 * Errors a user can cause. Each carries the exit code the CLI should use and a
 * message that names what is wrong (file, table, column, flag) and what to do.
 * Anything that is not an `UnderstudyError` is a bug, and may crash with a stack.
 *
 * Exit codes (DESIGN.md): 0 success, 1 the check found problems,
 * 2 usage or config error, 3 connection or runtime error.
 *
 * @example
 * ```ts
 * throw new UsageError('--rows must be a positive integer, got "ten"');
 * ```
 */
export type ExitCode = 0 | 1 | 2 | 3;

export class UnderstudyError extends Error {
  readonly exitCode: ExitCode;
  /** A line or two of advice printed after the message. */
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode: ExitCode; hint?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
  }
}

/** A bad flag, a bad config file, a missing input file, an impossible request: exit 2. */
export class UsageError extends UnderstudyError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 2 });
  }
}

/** A server that cannot be reached or refuses us, SQL that fails to run: exit 3. */
export class ConnectionError extends UnderstudyError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 3 });
  }
}

/** A SQL file that does not load; names the file and line of the failing statement: exit 3. */
export class SqlFileError extends UnderstudyError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(`${file}:${line}: ${message}`, { ...options, exitCode: 3 });
    this.file = file;
    this.line = line;
  }
}

export function isUnderstudyError(error: unknown): error is UnderstudyError {
  return error instanceof UnderstudyError;
}
