/**
 * Progress of a seed, per table: what a TTY display or a `--json` consumer needs.
 */

export interface SeedProgress {
  readonly table: string;
  /** `rows` while loading a table's rows; `updates` while applying its deferred FK updates. */
  readonly phase: 'rows' | 'updates';
  readonly rowsDone: number;
  readonly rows: number;
  readonly elapsedSeconds: number;
  readonly rowsPerSecond: number;
  /** Seconds left at the current rate; undefined before the first chunk. */
  readonly etaSeconds: number | undefined;
  readonly done: boolean;
}

export interface TableSeedResult {
  readonly table: string;
  readonly rows: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

export interface SeedResult {
  /** What was written to (the sink's description). */
  readonly target: string;
  readonly tables: readonly TableSeedResult[];
  readonly rows: number;
  /** Deferred-update rows applied (broken FK cycles). */
  readonly updates: number;
  readonly seconds: number;
  readonly workers: number;
  readonly shard?: { readonly index: number; readonly count: number };
  /** Tables not loaded whose rows stayed as they were (bookkeeping, --exclude, tables that had rows), with why. */
  readonly kept?: ReadonlyArray<{ readonly table: string; readonly reason: string }>;
  /** What the target did differently from what was asked (the sink's notes). */
  readonly notes?: readonly string[];
}

/** Builds a progress event. */
export function progressOf(table: string, phase: SeedProgress['phase'], rowsDone: number, rows: number, startedAt: number, done: boolean): SeedProgress {
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  const rowsPerSecond = elapsedSeconds > 0 ? rowsDone / elapsedSeconds : 0;
  const etaSeconds = rowsPerSecond > 0 ? (rows - rowsDone) / rowsPerSecond : undefined;
  return { table, phase, rowsDone, rows, elapsedSeconds, rowsPerSecond, etaSeconds, done };
}
