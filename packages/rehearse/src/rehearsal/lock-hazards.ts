/**
 * The `long-lock` rule: what a lock blocks × how long it is held. Pure: from a
 * migration's traced statements (and their estimates at production size) to
 * `Hazard`s.
 *
 * PostgreSQL (statements traced with `locks`, ranked by the target's `lockModes`):
 *
 * - a lock window on a table opens at the first statement after which the session
 *   holds a mode that blocks writes (SHARE: `CREATE INDEX`; SHARE ROW EXCLUSIVE:
 *   `ADD FOREIGN KEY`, `CREATE TRIGGER`; EXCLUSIVE; ACCESS EXCLUSIVE, which blocks
 *   reads too), and lasts while the following statements' traces still show it
 *   (until COMMIT). Statements run outside a transaction report their documented
 *   lock (`VACUUM FULL`: ACCESS EXCLUSIVE; `CONCURRENTLY`: SHARE UPDATE EXCLUSIVE,
 *   which blocks no write);
 * - the window is held for the sum of its statements' times: estimated at
 *   production size (`estimates`), else measured;
 * - the rows of the table the window's statements read or write under the lock
 *   (`StatementReport.reads`, PostgreSQL inside a transaction), at production size
 *   when estimated (`EstimateReport.rowsRead`), else as counted in the rehearsal;
 * - a DML statement (`UPDATE`, `INSERT`, `DELETE`, …) run inside the window, while a
 *   blocking lock taken by an earlier statement is still held, is a hazard of its own
 *   when its time exceeds `lockThresholdMs` or it reads or writes more than
 *   `lockThresholdRows` rows of the table: its time is lock time;
 * - the statement that took the lock is a hazard when the window, without those
 *   DML statements, is held longer than `lockThresholdMs`, or one of its statements
 *   reads more than `lockThresholdRows` rows of the table under the lock (rows of the
 *   table, at most all of them: a rewrite's index rebuilds read them again; a scan: an
 *   index build, a constraint's validation, `SET NOT NULL`'s check, a rewrite). A
 *   scan's time measured on the rehearsal's small, warm, idle copy and extrapolated
 *   is a floor: production reads its rows from disk, under load, so a scan of a
 *   table above the row threshold under a lock that blocks writes is a hazard even
 *   when that floor is under `lockThresholdMs`. A window whose statements read no
 *   rows of the table (a catalog change: `ADD COLUMN`, `DROP INDEX`, `SET DEFAULT`,
 *   `… NOT VALID`) is brief whatever the table's size. Where rows read are not
 *   counted (MySQL, statements outside a transaction), without estimates the table
 *   having more than `lockThresholdRows` rows in the rehearsal decides instead.
 *
 * MySQL/MariaDB: an ALTER probed `LOCK=SHARED`/`EXCLUSIVE` or `ALGORITHM=COPY`, held
 * for its own (estimated) time, else judged by the row threshold.
 *
 * @example
 * ```ts
 * lockHazards(migration, { tableRows, lockThresholdRows: 10_000, estimates, lockThresholdMs: 1000, lockModes: target.lockModes });
 * ```
 */
import type { LockModeInfo } from '@understudy/core';
import type { EstimateReport, Hazard, MigrationReport, StatementReport } from '../report/rehearsal-report.js';
import { tableOfStatement } from './statement-table.js';

export interface LockHazardOptions {
  /** Rows per table at snapshot A; a lock on a table not listed here is not judged. */
  readonly tableRows: Readonly<Record<string, number>>;
  readonly lockThresholdRows: number;
  readonly estimates?: readonly EstimateReport[];
  readonly lockThresholdMs: number;
  /** The target's lock modes, weakest first (default: only ACCESS EXCLUSIVE blocks, reads and writes). */
  readonly lockModes?: readonly LockModeInfo[];
}

const ACCESS_EXCLUSIVE_ONLY: readonly LockModeInfo[] = [{ mode: 'AccessExclusiveLock', name: 'ACCESS EXCLUSIVE', blocksWrites: true, blocksReads: true }];

/** Statements that change rows without needing a blocking table lock themselves. */
const DML = /^\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*\(?\s*(?:update|insert|delete|merge|with|select|copy)\b/i;
/** Statements that hold their lock only while they run (no transaction around them). */
const OUTSIDE = /^\s*(?:vacuum|reindex\b[\s\S]*\bconcurrently|(?:create|drop)\s+(?:unique\s+)?index\s+concurrently|alter\s+table\b[\s\S]*\bdetach\s+partition\b[\s\S]*\bconcurrently)\b/i;

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function effect(mode: LockModeInfo, until: string): string {
  return mode.blocksReads ? `every read and write of it waits ${until}` : `every write to it waits ${until} (reads go on)`;
}

interface Member {
  readonly statement: StatementReport;
  /** Its time: estimated at production size, else measured. */
  readonly ms: number;
  readonly estimate?: EstimateReport;
  /** A DML statement run under a lock an earlier statement took. */
  readonly rider: boolean;
  /** Rows of the window's table it read or wrote: at production size when estimated, else counted; undefined where not counted. */
  readonly rows?: number;
}

interface Window {
  readonly table: string;
  mode: LockModeInfo;
  readonly taker: StatementReport;
  readonly members: Member[];
}

/** Rows of `table` the statement reads (see `Member.rows`). */
function rowsOf(s: StatementReport, table: string, estimate: EstimateReport | undefined, tableRows: number): number | undefined {
  if (estimate?.rowsRead) return estimate.rowsRead[table] ?? 0;
  if (estimate) return undefined;
  // Rows of the table, at most all of them (a rewrite reads them again for each index it rebuilds).
  return s.reads === undefined ? undefined : Math.min(tableRows, s.reads.find((r) => r.relation === table)?.rows ?? 0);
}

function member(s: StatementReport, table: string, ms: number, estimate: EstimateReport | undefined, rider: boolean, tableRows: number): Member {
  const rows = rowsOf(s, table, estimate, tableRows);
  return { statement: s, ms, ...(estimate ? { estimate } : {}), rider, ...(rows !== undefined ? { rows } : {}) };
}

function ownEstimate(s: StatementReport, estimates: readonly EstimateReport[] | undefined): EstimateReport | undefined {
  return estimates?.find((e) => e.file === s.file && e.line === s.line && e.sql === s.sql);
}

/** MySQL/MariaDB: the probed ALTER. */
function alterHazard(m: MigrationReport, s: StatementReport, options: LockHazardOptions, tables: readonly string[]): Hazard | undefined {
  const alter = s.alter!;
  if (alter.lock === 'NONE' && alter.algorithm !== 'COPY') return undefined;
  const relation = tableOfStatement(s.sql, tables);
  if (relation === undefined) return undefined;
  const what = `runs ALGORITHM=${alter.algorithm} LOCK=${alter.lock} on`;
  const waits = alter.lock === 'EXCLUSIVE' ? 'every read and write of it waits until the ALTER ends' : 'every write to it waits until the ALTER ends';
  const rewritten = m.statements.find((t) => t.rewrites.some((r) => r.relation === relation));
  const rewrite = rewritten ? `, rewritten by ${rewritten.file}:${rewritten.line}` : '';
  const estimate = options.estimates?.find((e) => e.file === s.file && e.line === s.line && e.table === relation && e.lockMs !== undefined);
  if (estimate) {
    if (estimate.lockMs! <= options.lockThresholdMs) return undefined;
    return {
      kind: 'long-lock',
      migration: m.id,
      message: `${s.file}:${s.line} ${what} ${relation}, held an estimated ${duration(estimate.lockMs!)} at ${estimate.targetRows.toLocaleString('en-US')} rows (more than ${duration(options.lockThresholdMs)})${rewrite}: ${waits}`,
    };
  }
  const rows = options.tableRows[relation]!;
  if (rows <= options.lockThresholdRows) return undefined;
  return { kind: 'long-lock', migration: m.id, message: `${s.file}:${s.line} ${what} ${relation} (${rows} rows, more than ${options.lockThresholdRows})${rewrite}: ${waits}` };
}

/** The lock windows of one migration, in order (see the module comment). */
function lockWindows(m: MigrationReport, options: LockHazardOptions): Window[] {
  const modes = options.lockModes ?? ACCESS_EXCLUSIVE_ONLY;
  const rank = (mode: string): number => modes.findIndex((x) => x.mode === mode);
  const windows: Window[] = [];
  const open = new Map<string, Window>();
  for (const s of m.statements) {
    const estimate = ownEstimate(s, options.estimates);
    const ms = estimate?.estimatedMs ?? s.durationMs;
    const strongest = new Map<string, LockModeInfo>();
    for (const lock of s.locks) {
      const info = modes[rank(lock.mode)];
      if (!info?.blocksWrites || options.tableRows[lock.relation] === undefined) continue;
      const known = strongest.get(lock.relation);
      if (!known || rank(info.mode) > rank(known.mode)) strongest.set(lock.relation, info);
    }
    for (const [table, window] of open) {
      const now = strongest.get(table);
      if (!now) {
        open.delete(table);
        continue;
      }
      window.members.push(member(s, table, ms, estimate, DML.test(s.sql), options.tableRows[table]!));
      if (rank(now.mode) > rank(window.mode.mode)) window.mode = now;
      strongest.delete(table);
    }
    for (const [table, mode] of strongest) {
      const window: Window = { table, mode, taker: s, members: [member(s, table, ms, estimate, false, options.tableRows[table]!)] };
      windows.push(window);
      open.set(table, window);
    }
  }
  return windows;
}

const at = (s: StatementReport): string => `${s.file}:${s.line}`;
const rowsText = (n: number): string => n.toLocaleString('en-US');

/** See the module comment. */
export function lockHazards(m: MigrationReport, options: LockHazardOptions): Hazard[] {
  const tables = Object.keys(options.tableRows);
  const hazards: Hazard[] = [];
  for (const s of m.statements) {
    if (!s.alter) continue;
    const hazard = alterHazard(m, s, options, tables);
    if (hazard) hazards.push(hazard);
  }
  const threshold = options.lockThresholdMs;
  const judged = new Set<string>();
  for (const window of lockWindows(m, options)) {
    const { table, mode, taker, members } = window;
    const estimated = members.some((x) => x.estimate !== undefined);
    const target = members.find((x) => x.estimate)?.estimate?.targetRows;
    const scale = estimated && target !== undefined ? `an estimated %s at ${rowsText(target)} rows` : 'a measured %s';
    const until = members.length === 1 && OUTSIDE.test(taker.sql) ? 'until it ends' : 'until the migration commits';
    const rewritten = m.statements.find((t) => t.rewrites.some((r) => r.relation === table));
    const rewrite = rewritten ? `, rewritten by ${at(rewritten)}` : '';
    const rowLimit = options.lockThresholdRows;
    const readText = (n: number): string => (estimated ? `an estimated ${rowsText(n)} rows` : `${rowsText(n)} rows`);
    const longRiders = members.filter((x) => x.rider && (x.ms > threshold || (x.rows ?? 0) > rowLimit));
    for (const rider of longRiders) {
      const why =
        rider.ms > threshold
          ? `${scale.replace('%s', duration(rider.ms))} of lock time (more than ${duration(threshold)})`
          : `it reads or writes ${readText(rider.rows!)} of ${table} under it (more than ${rowsText(rowLimit)}; ${scale.replace('%s', duration(rider.ms))} on the rehearsal's warm copy)`;
      hazards.push({
        kind: 'long-lock',
        migration: m.id,
        message: `${at(rider.statement)} runs while the ${mode.name} lock ${at(taker)} took on ${table} is still held: ${why}: ${effect(mode, 'until the migration commits')}; run it in a transaction of its own`,
      });
    }
    if (judged.has(table)) continue;
    const rest = members.filter((x) => !longRiders.includes(x));
    const held = rest.reduce((sum, x) => sum + x.ms, 0);
    const counted = rest.filter((x) => x.rows !== undefined);
    // The longest scan: each statement's rows read of the table, at most all of them.
    const read = Math.max(0, ...counted.map((x) => x.rows!));
    const later = rest.length - 1;
    const by = later > 0 ? ` by it and ${later} later statement${later === 1 ? '' : 's'} of its transaction` : '';
    if (held > threshold) {
      judged.add(table);
      hazards.push({
        kind: 'long-lock',
        migration: m.id,
        message: `${at(taker)} takes ${mode.name} on ${table}, held ${scale.replace('%s', duration(held))}${by} (more than ${duration(threshold)})${rewrite}: ${effect(mode, until)}`,
      });
      continue;
    }
    if (read > rowLimit) {
      judged.add(table);
      const readers = counted.filter((x) => x.rows! > rowLimit).map((x) => at(x.statement));
      const who = readers.length === 1 && readers[0] === at(taker) ? 'and reads' : `and ${readers.join(', ')} read${readers.length === 1 ? 's' : ''}`;
      hazards.push({
        kind: 'long-lock',
        migration: m.id,
        message: `${at(taker)} takes ${mode.name} on ${table} ${who} ${readText(read)} of it under that lock (more than ${rowsText(rowLimit)}): it is held as long as that scan takes on production's disk and under its load, ${scale.replace('%s', duration(held))} on the rehearsal's warm copy being a floor${rewrite}: ${effect(mode, until)}`,
      });
      continue;
    }
    const rows = options.tableRows[table]!;
    if (!estimated && counted.length === 0 && longRiders.length === 0 && rows > rowLimit) {
      judged.add(table);
      hazards.push({ kind: 'long-lock', migration: m.id, message: `${at(taker)} takes ${mode.name} on ${table} (${rows} rows, more than ${rowLimit})${rewrite}: ${effect(mode, until)}` });
    }
  }
  return hazards;
}
