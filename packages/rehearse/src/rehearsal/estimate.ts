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
 * - the larger run not measurably slower (by less than 25 % and 1 ms: timer
 *   noise, or a statement that does not read the rows, such as a metadata-only
 *   `ADD COLUMN`): a constant, the slower of the two runs
 *   (`no measurable growth between …`);
 * - a statement on no table, or on a table with the same rows in both runs:
 *   a constant, the slower of the two runs;
 * - a statement on a table with no production row count: no estimate.
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
/** …and by at least this many ms, for the growth to count (else: noise, a constant). */
export const MIN_GROWTH_MS = 1;

export interface LinearFit {
  /** Milliseconds at 0 rows (may be below 0 for a line fitted through two points). */
  readonly intercept: number;
  /** Milliseconds per row (≥ 0). */
  readonly slope: number;
  /** `linear`: through both samples; `constant`: no growth measurable (the slower sample). */
  readonly kind: 'linear' | 'constant';
}

/**
 * Fits `ms = intercept + slope · rows` through two samples (see the module comment for the rules).
 * @example
 * ```ts
 * fitLinear({ rows: 1000, ms: 5 }, { rows: 4000, ms: 5.5 }); // { intercept: 5.5, slope: 0, kind: 'constant' }
 * ```
 */
export function fitLinear(a: Sample, b: Sample): LinearFit {
  const [small, large] = a.rows <= b.rows ? [a, b] : [b, a];
  if (large.rows === small.rows || large.rows === 0) return { intercept: Math.max(a.ms, b.ms), slope: 0, kind: 'constant' };
  const slope = (large.ms - small.ms) / (large.rows - small.rows);
  if (large.ms - small.ms < Math.max(MIN_GROWTH_MS, MIN_GROWTH_RATIO * small.ms)) return { intercept: Math.max(a.ms, b.ms), slope: 0, kind: 'constant' };
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
      const table = tableOfStatement(s.sql, keys);
      const base = { migration: label(m), file: s.file, line: s.line, sql: s.sql };
      if (!twin || (table !== undefined && input.targetRows[table] === undefined)) {
        times.push(s.durationMs);
        found.push(undefined);
        return;
      }
      const small = { rows: table === undefined ? 0 : (input.small.tableRows[table] ?? 0), ms: s.durationMs };
      const large = { rows: table === undefined ? 0 : (input.large.tableRows[table] ?? 0), ms: twin.durationMs };
      const fit = fitLinear(small, large);
      const target = table === undefined ? 0 : input.targetRows[table]!;
      const estimatedMs = fit.kind === 'constant' ? fit.intercept : extrapolate(fit, target);
      let basis: string;
      if (table === undefined) basis = `constant: works on no table's rows (measured ${msText(s.durationMs)} and ${msText(twin.durationMs)}; the slower kept)`;
      else if (small.rows === large.rows) basis = `constant: ${table} had ${count(small.rows)} rows in both runs (the slower of ${msText(s.durationMs)} and ${msText(twin.durationMs)}); target ${count(target)} rows from ${input.source}`;
      else if (fit.kind === 'constant') basis = `constant: no measurable growth between ${count(small.rows)} and ${count(large.rows)} rows of ${table} (${msText(small.ms)}, ${msText(large.ms)}; the slower kept): if it reads the whole table, rehearse with more --rows / --estimate-rows; target ${count(target)} rows from ${input.source}`;
      else basis = `linear fit over ${count(small.rows)} and ${count(large.rows)} rows of ${table} (${msText(small.ms)}, ${msText(large.ms)}); target ${count(target)} rows from ${input.source}`;
      const lock = statementLock(s, table);
      times.push(estimatedMs);
      found.push({
        index,
        estimate: { ...base, ...(table !== undefined ? { table } : {}), targetRows: target, estimatedMs, ...(lock ? { lockMode: lock.mode } : {}), basis },
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
