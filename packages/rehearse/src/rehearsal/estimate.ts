/**
 * Time at production size: each pending statement was run twice, on the same
 * baseline seeded at two sizes; its duration is fitted as `a + b · rows` of the
 * table it works on (`statement-table.ts`) and extrapolated to that table's
 * production row count (`--target-rows`, or a profile's row estimates). Pure:
 * from two runs' traces to `EstimateReport`s.
 *
 * - two sizes of the table and the larger run slower: a line through both
 *   points (`linear fit over 1,000 and 4,000 rows of public.orders`), the
 *   extrapolated time floored at 0;
 * - the larger run not measurably slower: a constant, the slower of the two runs
 *   (`no measurable growth between …`);
 * - growth that does not stand out of the timer's noise (`noise-bound`): a
 *   constant, the slower of the two runs. The growth must exceed 2 ms, 25 % of the
 *   small run, and the run-to-run spread of the small size (the spread of its
 *   two warm runs: the first, cold run differs by more than noise); and the
 *   time per row it implies may not exceed 3 × the small run's whole time per
 *   row (a statement that reads every row already paid for them in the small
 *   run, with its fixed cost on top; sorting and caches make real statements
 *   up to about 2 × dearer per row at 10 × the rows): a step from 0.1 ms to
 *   1.8 ms over 1,000 → 4,000 rows is a hiccup, not 1.8 s at a million rows;
 * - on PGlite a statement's time is the smaller of its wall time and the CPU
 *   time the process spent meanwhile (see postgres-rehearsal-target.ts), so a
 *   busy machine does not inflate it;
 * - a statement whose rows read are counted (PostgreSQL inside a transaction,
 *   `StatementReport.reads`) and that read no more rows of its table in the larger
 *   run than in the smaller (none: a catalog-only change such as `ADD COLUMN`,
 *   `SET DEFAULT`, `ADD CONSTRAINT … NOT VALID`; or the same few through an index):
 *   a constant, the slower of the two runs, whatever the timings did: its time does
 *   not grow with the table;
 * - the rows each statement reads or writes per table (`rowsRead`) are extrapolated
 *   the same way, a line through the two sizes' counts, at most the target's rows (a
 *   full scan reads the target's rows, a rewrite too though it reads them again for
 *   each index it rebuilds; an index lookup the same few at every size);
 * - a statement on no table, or on a table with the same rows in both runs:
 *   a constant, the slower of the two runs;
 * - a statement on a table with no production row count: no estimate.
 *
 * `REINDEX INDEX i` works on the table of i: the one table its trace shows locked.
 *
 * The lock: the strongest lock the migration's session held on that table right
 * after the statement (PostgreSQL), or the ALTER's probed `ALGORITHM=… LOCK=…`
 * (MySQL/MariaDB). `lockMs` is how long it is held: on PostgreSQL the estimated
 * time of this statement and of every later statement of the migration that still
 * holds it (it is released at COMMIT); on MySQL the statement itself, when its LOCK
 * is SHARED or EXCLUSIVE.
 *
 * @example
 * ```ts
 * const fit = fitLinear({ rows: 1000, ms: 3 }, { rows: 4000, ms: 9 }); // { intercept: 1, slope: 0.002, kind: 'linear' }
 * extrapolate(fit, 2_000_000); // 4001
 * ```
 */
import type { EstimateReport, MigrationReport, StatementReport } from '../report/rehearsal-report.js';
import { lockRank } from './rehearsal-summary.js';
import { tableOfStatement } from './statement-table.js';

export interface Sample {
  readonly rows: number;
  readonly ms: number;
}

/** The larger run must be slower by this fraction of the smaller run's time… */
export const MIN_GROWTH_RATIO = 0.25;
/** …and by at least this many ms… */
export const MIN_GROWTH_MS = 2;
/** …and by this many times the spread between two runs at the small size, for the growth to count (else: noise, a constant). */
export const MIN_GROWTH_SPREADS = 1;
/** The time per row the growth implies, at most this many times the small run's time per row (else: a hiccup in the large run). */
export const MAX_SUPERLINEAR = 3;

export interface LinearFit {
  /** Milliseconds at 0 rows (may be below 0 for a line fitted through two points). */
  readonly intercept: number;
  /** Milliseconds per row (≥ 0). */
  readonly slope: number;
  /** `linear`: through both samples; `constant`: no growth measurable (the slower sample). */
  readonly kind: 'linear' | 'constant';
  /** A constant because the growth measured did not stand out of the noise (see the module comment). */
  readonly noise?: true;
}

/**
 * Fits `ms = intercept + slope · rows` through two samples (see the module comment for the rules).
 * @example
 * ```ts
 * fitLinear({ rows: 1000, ms: 5 }, { rows: 4000, ms: 5.5 }); // { intercept: 5.5, slope: 0, kind: 'constant' }
 * ```
 */
export function fitLinear(a: Sample, b: Sample, spreadMs = 0): LinearFit {
  const [small, large] = a.rows <= b.rows ? [a, b] : [b, a];
  const constant: LinearFit = { intercept: Math.max(a.ms, b.ms), slope: 0, kind: 'constant' };
  if (large.rows === small.rows || large.rows === 0) return constant;
  const growth = large.ms - small.ms;
  if (growth <= 0) return constant;
  const slope = growth / (large.rows - small.rows);
  if (growth < Math.max(MIN_GROWTH_MS, MIN_GROWTH_RATIO * small.ms, MIN_GROWTH_SPREADS * spreadMs)) return { ...constant, noise: true };
  if (small.rows > 0 && slope > (MAX_SUPERLINEAR * small.ms) / small.rows) return { ...constant, noise: true };
  return { intercept: small.ms - slope * small.rows, slope, kind: 'linear' };
}

/**
 * The fitted duration at `rows`.
 * @example
 * ```ts
 * extrapolate({ intercept: 1, slope: 0.002, kind: 'linear' }, 1_000_000); // 2001
 * ```
 */
export function extrapolate(fit: LinearFit, rows: number): number {
  return Math.max(0, fit.intercept + fit.slope * rows);
}

/** One rehearsal of the pending migrations at one seed size. */
export interface EstimateRun {
  /** Rows per table at snapshot A (after the seed), keyed like the Schema. */
  readonly tableRows: Readonly<Record<string, number>>;
  readonly migrations: readonly MigrationReport[];
  /** Every run at this size (`migrations` is the faster of them per statement): their spread is the timer's noise. */
  readonly runs?: ReadonlyArray<readonly MigrationReport[]>;
}

/** How far apart the runs of `s` at one size were (max − min of their durations); 0 with one run. */
export function spreadOf(s: StatementReport, m: MigrationReport, runs: ReadonlyArray<readonly MigrationReport[]> | undefined): number {
  const times = (runs ?? [])
    .map((run) => run.find((x) => x.id === m.id)?.statements.find((t) => t.file === s.file && t.line === s.line && t.sql === s.sql)?.durationMs)
    .filter((ms): ms is number => ms !== undefined);
  return times.length < 2 ? 0 : Math.max(...times) - Math.min(...times);
}

export interface EstimateInput {
  readonly small: EstimateRun;
  readonly large: EstimateRun;
  /** Production rows per table key; a table missing here gets no estimate. */
  readonly targetRows: Readonly<Record<string, number>>;
  /** Where the target rows come from: `--target-rows`, `profile.json`. */
  readonly source: string;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const msText = (n: number): string => (n < 10 ? n.toFixed(1) : count(n)) + ' ms';

/** The lock on `table` a statement's trace shows: the strongest mode (PostgreSQL), or the ALTER's probe. */
export function statementLock(s: StatementReport, table: string | undefined): { mode: string; rank?: number; blocking: boolean } | undefined {
  if (s.alter) return { mode: `ALGORITHM=${s.alter.algorithm} LOCK=${s.alter.lock}`, blocking: s.alter.lock !== 'NONE' || s.alter.algorithm === 'COPY' };
  if (table === undefined) return undefined;
  let best: StatementReport['locks'][number] | undefined;
  for (const lock of s.locks) if (lock.relation === table && (best === undefined || lockRank(lock) > lockRank(best))) best = lock;
  return best === undefined ? undefined : { mode: best.mode, rank: best.rank, blocking: true };
}

/** `REINDEX INDEX i` works on the rows of i's table: the one table its trace shows it locked (an index lock counts on its table). */
function indexTable(s: StatementReport, keys: readonly string[]): string | undefined {
  if (!/^\s*reindex\s+(?:\([^)]*\)\s+)?index\b/i.test(s.sql)) return undefined;
  const tables = [...new Set(s.locks.map((l) => l.relation).filter((r) => keys.includes(r)))];
  return tables.length === 1 ? tables[0] : undefined;
}

/** Rows of `table` the statement read or wrote; undefined where the target does not count them. */
function readsOf(s: StatementReport, table: string): number | undefined {
  return s.reads === undefined ? undefined : (s.reads.find((r) => r.relation === table)?.rows ?? 0);
}

/**
 * Rows read per table at production size: for each table read in either run, a line through the
 * (table rows, rows read) of both runs, at the table's target rows; the larger count where the
 * table did not grow or the reads did not (see the module comment).
 */
export function rowsReadAt(
  small: { s: StatementReport; tableRows: Readonly<Record<string, number>> },
  large: { s: StatementReport; tableRows: Readonly<Record<string, number>> },
  targetRows: Readonly<Record<string, number>>,
): Record<string, number> | undefined {
  if (small.s.reads === undefined || large.s.reads === undefined) return undefined;
  const result: Record<string, number> = {};
  for (const table of new Set([...small.s.reads, ...large.s.reads].map((r) => r.relation))) {
    const [sR, lR] = [readsOf(small.s, table)!, readsOf(large.s, table)!];
    const [sN, lN, tN] = [small.tableRows[table], large.tableRows[table], targetRows[table]];
    if (sN === undefined || lN === undefined || tN === undefined || lN <= sN || lR <= sR) result[table] = Math.max(sR, lR);
    // A rewrite reads its table once and again for each index it rebuilds: rows of the table read, at most all of them.
    else result[table] = Math.min(tN, Math.max(0, Math.round(sR + ((lR - sR) / (lN - sN)) * (tN - sN))));
  }
  return result;
}

function label(m: MigrationReport): string {
  return m.name && m.name !== m.id ? `${m.id} ${m.name}` : m.id;
}

/** See the module comment. */
export function estimateStatements(input: EstimateInput): EstimateReport[] {
  const keys = Object.keys(input.small.tableRows);
  const estimates: EstimateReport[] = [];
  for (const m of input.small.migrations) {
    const other = input.large.migrations.find((l) => l.id === m.id);
    if (!other) continue;
    // Estimated (or, without a target, measured) time of each statement, to sum lock times.
    const times: number[] = [];
    const found: Array<{ estimate: EstimateReport; index: number } | undefined> = [];
    m.statements.forEach((s, index) => {
      const twin = other.statements.find((t) => t.file === s.file && t.line === s.line && t.sql === s.sql);
      const table = tableOfStatement(s.sql, keys) ?? indexTable(s, keys);
      const base = { migration: label(m), file: s.file, line: s.line, sql: s.sql };
      if (!twin || (table !== undefined && input.targetRows[table] === undefined)) {
        times.push(s.durationMs);
        found.push(undefined);
        return;
      }
      const small = { rows: table === undefined ? 0 : (input.small.tableRows[table] ?? 0), ms: s.durationMs };
      const large = { rows: table === undefined ? 0 : (input.large.tableRows[table] ?? 0), ms: twin.durationMs };
      const spread = spreadOf(s, m, input.small.runs);
      // Counted reads that did not grow with the table: its time does not either (a catalog change, an index lookup).
      const [readSmall, readLarge] = table === undefined ? [undefined, undefined] : [readsOf(s, table), readsOf(twin, table)];
      const flat = readSmall !== undefined && readLarge !== undefined && small.rows !== large.rows && readLarge <= readSmall;
      const fit: LinearFit = flat ? { intercept: Math.max(small.ms, large.ms), slope: 0, kind: 'constant' } : fitLinear(small, large, spread);
      const target = table === undefined ? 0 : input.targetRows[table]!;
      const rowsRead = rowsReadAt({ s, tableRows: input.small.tableRows }, { s: twin, tableRows: input.large.tableRows }, input.targetRows);
      const estimatedMs = fit.kind === 'constant' ? fit.intercept : extrapolate(fit, target);
      let basis: string;
      if (table === undefined) basis = `constant: works on no table's rows (measured ${msText(s.durationMs)} and ${msText(twin.durationMs)}; the slower kept)`;
      else if (flat)
        basis = `constant: ${readLarge === 0 ? `reads no rows of ${table} (a catalog change)` : `reads the same ${count(readLarge!)} rows of ${table}`} at ${count(small.rows)} and ${count(large.rows)} rows (the slower of ${msText(s.durationMs)} and ${msText(twin.durationMs)}); target ${count(target)} rows from ${input.source}`;
      else if (small.rows === large.rows)
        basis = `constant: ${table} had ${count(small.rows)} rows in both runs (the slower of ${msText(s.durationMs)} and ${msText(twin.durationMs)}); target ${count(target)} rows from ${input.source}`;
      else if (fit.noise)
        basis = `constant, noise-bound: the step from ${msText(small.ms)} at ${count(small.rows)} rows to ${msText(large.ms)} at ${count(large.rows)} rows of ${table} is within the timer's noise (two warm runs at the small size ${msText(spread)} apart), not extrapolated; target ${count(target)} rows from ${input.source}`;
      else if (fit.kind === 'constant')
        basis = `constant: no measurable growth between ${count(small.rows)} and ${count(large.rows)} rows of ${table} (${msText(small.ms)}, ${msText(large.ms)}; the slower kept): if it reads the whole table, rehearse with more --rows / --estimate-rows; target ${count(target)} rows from ${input.source}`;
      else basis = `linear fit over ${count(small.rows)} and ${count(large.rows)} rows of ${table} (${msText(small.ms)}, ${msText(large.ms)}); target ${count(target)} rows from ${input.source}`;
      const lock = statementLock(s, table);
      times.push(estimatedMs);
      found.push({
        index,
        estimate: {
          ...base,
          ...(table !== undefined ? { table } : {}),
          targetRows: target,
          estimatedMs,
          ...(lock ? { lockMode: lock.mode } : {}),
          ...(fit.noise ? { noiseBound: true } : {}),
          ...(rowsRead ? { rowsRead } : {}),
          basis,
        },
      });
    });
    m.statements.forEach((s, index) => {
      const entry = found[index];
      if (!entry) return;
      const { estimate } = entry;
      const lock = statementLock(s, estimate.table);
      let lockMs: number | undefined;
      if (lock?.blocking && s.alter) lockMs = estimate.estimatedMs;
      else if (lock?.blocking && estimate.table !== undefined) {
        // Held from this statement until COMMIT: every later statement whose trace still shows it.
        lockMs = 0;
        for (let j = index; j < m.statements.length; j++) {
          const held = m.statements[j]!.locks.some((l) => l.relation === estimate.table && lockRank(l) >= (lock.rank ?? 0));
          if (j > index && !held) break;
          lockMs += times[j]!;
        }
      }
      estimates.push(lockMs !== undefined ? { ...estimate, lockMs } : estimate);
    });
  }
  return estimates;
}

/**
 * The same migrations run twice at the same size, per statement the faster of the two runs (the
 * first run on a fresh database pays for cold caches; the minimum is the usual way to read a noisy timer).
 * @example
 * ```ts
 * fasterOf(first.migrations, again.migrations)[0]!.statements[0]!.durationMs; // min of both
 * ```
 */
export function fasterOf(runs: readonly MigrationReport[], again: readonly MigrationReport[]): MigrationReport[] {
  return runs.map((m) => {
    const twin = again.find((a) => a.id === m.id);
    if (!twin) return m;
    return {
      ...m,
      statements: m.statements.map((s) => {
        const t = twin.statements.find((x) => x.file === s.file && x.line === s.line && x.sql === s.sql);
        return t && t.durationMs < s.durationMs ? { ...s, durationMs: t.durationMs } : s;
      }),
    };
  });
}

/**
 * Production rows per table key from `--target-rows`: one number for every table, or `table=N,…`
 * (names resolved against `keys`). Unknown names are returned apart, for the caller to report.
 * @example
 * ```ts
 * targetRowsFor(2_000_000, ['public.orders', 'public.users']); // { rows: { 'public.orders': 2000000, 'public.users': 2000000 }, unknown: [] }
 * ```
 */
export function targetRowsFor(target: number | Readonly<Record<string, number>>, keys: readonly string[]): { rows: Record<string, number>; unknown: string[] } {
  if (typeof target === 'number') return { rows: Object.fromEntries(keys.map((k) => [k, target])), unknown: [] };
  const rows: Record<string, number> = {};
  const unknown: string[] = [];
  for (const [name, n] of Object.entries(target)) {
    const key = tableOfStatement(`UPDATE ${name}`, keys);
    if (key === undefined) unknown.push(name);
    else rows[key] = n;
  }
  return { rows, unknown };
}
