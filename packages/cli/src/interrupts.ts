/**
 * Ctrl-C (SIGINT) and SIGTERM for commands that write: the first signal aborts
 * the command's AbortSignal (a sink cancels the statement it runs and rolls back),
 * says so at once on stderr, and stops listening, so a second signal ends the process
 * at once. Install it before the first write: a signal while a target is opened or
 * emptied must roll back like one during the load.
 *
 * @example
 * ```ts
 * const interrupt = interruptOnSignals('seed');
 * try { await seed({ plan, sink, signal: interrupt.signal }); } finally { interrupt.dispose(); }
 * ```
 */
import { UnderstudyError } from '@understudy/core';

export interface Interrupt {
  readonly signal: AbortSignal;
  /** The signal received, once one was. */
  received(): NodeJS.Signals | undefined;
  /** Stops listening (the command is over). */
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** See the module comment; `command` names the command in the note printed on the first signal. */
export function interruptOnSignals(command: string): Interrupt {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const dispose = (): void => {
    for (const name of SIGNALS) process.off(name, onSignal);
  };
  function onSignal(name: NodeJS.Signals): void {
    received = name;
    dispose();
    process.stderr.write(`understudy: ${name} received: stopping ${command} and rolling back (send it again to stop at once)\n`);
    controller.abort();
  }
  for (const name of SIGNALS) process.on(name, onSignal);
  return { signal: controller.signal, received: () => received, dispose };
}

/**
 * The error a command stopped by a signal ends with: what it was doing and what became of the target.
 * @example
 * ```ts
 * throw new InterruptedError('seed', 'SIGTERM', 'emptying the tables', 'everything written was rolled back, the target is as it was');
 * ```
 */
export class InterruptedError extends UnderstudyError {
  constructor(command: string, signal: NodeJS.Signals | undefined, during: string, outcome: string) {
    super(`${command} interrupted${signal ? ` by ${signal}` : ''} while ${during}: ${outcome}`, { exitCode: 3 });
  }
}

/**
 * True when `error` is what an interrupt causes (the abort itself, or a statement the server
 * cancelled for it), so the command may report the interruption instead. Any other error (a sink
 * that says it could not undo everything, say) is the news and is reported as it is.
 * @example
 * ```ts
 * if (interrupt.received() && causedByInterrupt(error)) throw new InterruptedError(…);
 * ```
 */
export function causedByInterrupt(error: unknown): boolean {
  if (!(error instanceof UnderstudyError)) return true; // the abort itself, or a bare driver error
  // A sink that could not undo what it wrote says what is left: that is the news, whatever stopped the seed.
  if (error.name === 'SeedNotRolledBackError') return false;
  const causes: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && causes.length < 5; e = (e as { cause?: unknown }).cause) causes.push(e);
  return causes.some((e) => {
    const { name, code, errno } = e as { name?: string; code?: string; errno?: number };
    // AbortError: signal.throwIfAborted(); 57014: PostgreSQL query_canceled; 1317: MySQL ER_QUERY_INTERRUPTED.
    return name === 'AbortError' || name === 'SeedAbortedError' || code === '57014' || errno === 1317;
  });
}
