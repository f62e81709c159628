/**
 * The hazard rules: what in a rehearsal should stop a migration from reaching
 * production. Pure: from the report's parts to a list of `Hazard`s.
 *
 * - `failed`: a pending migration failed;
 * - `data-lost`: a dropped table that had rows, a dropped column that had
 *   non-NULL values, rows lost, values truncated, values set to NULL; unless a user check with
 *   `expectChange: true` names the table (the loss is intended);
 * - `down-mismatch`: a down failed, or the downs did not bring the schema back;
 * - `long-lock`: a statement held ACCESS EXCLUSIVE (PostgreSQL), or ran an ALTER probed
 *   `LOCK=SHARED`/`LOCK=EXCLUSIVE` or `ALGORITHM=COPY` (MySQL/MariaDB), on a table: when the
 *   rehearsal estimated that statement at production size (`estimates`), if the lock is
 *   estimated to be held longer than `lockThresholdMs`; else if the table had more than
 *   `lockThresholdRows` rows in the rehearsal;
 * - `check-failed`: a user check failed.
 *
 * @example
 * ```ts
 * const hazards = findHazards({ migrations, dataChanges, checks, tableRows, lockThresholdRows: 10_000 });
 * ```
 */
import type { EstimateReport, Hazard, MigrationReport, RehearsalReport, StatementReport, TableDataChange, UserCheckReport } from '../report/rehearsal-report.js';
import { isMigrationScript, type Migration } from '../migration-model.js';
import { tableOfStatement } from './statement-table.js';

export interface HazardInput {
  readonly migrations: readonly MigrationReport[];
  /** The pending migrations, to tell which one touched a table. */
  readonly pending: readonly Migration[];
  readonly dataChanges: readonly TableDataChange[];
  readonly down?: RehearsalReport['down'];
  readonly checks: readonly UserCheckReport[];
  /** Rows per table at snapshot A (before the pending migrations). */
  readonly tableRows: Readonly<Record<string, number>>;
  readonly lockThresholdRows: number;
  /** Statements estimated at production size: their lock time replaces the row threshold. */
  readonly estimates?: readonly EstimateReport[];
  /** A blocking lock estimated to be held longer than this is a hazard (default 1000 ms). */
  readonly lockThresholdMs?: number;
}

/** Default of `lockThresholdMs`. */
export const DEFAULT_LOCK_THRESHOLD_MS = 1000;

interface BlockingLock {
  readonly relation: string;
  /** `takes ACCESS EXCLUSIVE on`, `runs ALGORITHM=COPY LOCK=SHARED on`. */
  readonly what: string;
  /** What waits: `every read and write of it waits until the migration commits`. */
  readonly effect: string;
}

/** The locks of a statement that stop other sessions' reads or writes of a table. */
function blockingLocks(s: StatementReport, tables: readonly string[]): BlockingLock[] {
  if (s.alter) {
    if (s.alter.lock === 'NONE' && s.alter.algorithm !== 'COPY') return [];
    const relation = tableOfStatement(s.sql, tables);
    if (relation === undefined) return [];
    const reads = s.alter.lock === 'EXCLUSIVE';
    return [{ relation, what: `runs ALGORITHM=${s.alter.algorithm} LOCK=${s.alter.lock} on`, effect: reads ? 'every read and write of it waits until the ALTER ends' : 'every write to it waits until the ALTER ends' }];
  }
  return s.locks
    .filter((l) => l.blocks === 'reads and writes')
    .map((l) => ({ relation: l.relation, what: `takes ${l.label} on`, effect: 'every read and write of it waits until the migration commits' }));
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function bareName(table: string): string {
  return table.slice(table.lastIndexOf('.') + 1);
}

function mentions(text: string, table: string): boolean {
  const name = bareName(table).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w$])"?${name}"?([^\\w$]|$)`, 'i').test(text);
}

/** The last pending migration whose statements name `table`. */
function migrationTouching(pending: readonly Migration[], table: string): string | undefined {
  for (let i = pending.length - 1; i >= 0; i--) {
    const up = pending[i]!.up;
    if (isMigrationScript(up) && up.statements.some((s) => mentions(s.text, table))) return pending[i]!.id;
  }
  return pending.length === 1 ? pending[0]!.id : undefined;
}

function dataLoss(change: TableDataChange): string[] {
  if (change.dropped) return change.rowsBefore > 0 ? [`table ${change.table} was dropped with its ${change.rowsBefore} rows`] : [];
  const found: string[] = [];
  if ((change.rowsLost ?? 0) > 0) found.push(`${change.rowsLost} rows of ${change.table} were lost`);
  else if (change.rowsLost === null && change.rowsAfter < change.rowsBefore) found.push(`${change.table} went from ${change.rowsBefore} to ${change.rowsAfter} rows`);
  for (const c of change.columns) {
    if (c.dropped && c.nullsBefore < change.rowsBefore) found.push(`column ${change.table}.${c.column} was dropped with ${change.rowsBefore - c.nullsBefore} non-NULL values`);
    else if (c.truncated) found.push(`values of ${change.table}.${c.column} were truncated or rounded${c.changedRows !== null ? ` (${c.changedRows} rows changed)` : ''}`);
    else if (!c.dropped && c.nullsAfter - c.nullsBefore > (change.rowsAdded ?? Math.max(0, change.rowsAfter - change.rowsBefore))) {
      found.push(`${c.nullsAfter - c.nullsBefore} values of ${change.table}.${c.column} became NULL`);
    }
  }
  return found;
}

/** See the module comment. */
export function findHazards(input: HazardInput): Hazard[] {
  const hazards: Hazard[] = [];
  for (const m of input.migrations) {
    if (m.status === 'failed') {
      const where = m.failure?.file ? ` at ${m.failure.file}${m.failure.line ? `:${m.failure.line}` : ''}` : '';
      hazards.push({ kind: 'failed', migration: m.id, message: `migration ${m.id} ${m.name} failed${where}: ${m.failure?.error ?? 'unknown error'}` });
    }
    // One hazard per table and migration: the first statement that took a blocking lock on it.
    const seen = new Set<string>();
    const tables = Object.keys(input.tableRows);
    const thresholdMs = input.lockThresholdMs ?? DEFAULT_LOCK_THRESHOLD_MS;
    for (const s of m.statements) {
      for (const lock of blockingLocks(s, tables)) {
        const rows = input.tableRows[lock.relation];
        if (rows === undefined || seen.has(lock.relation)) continue;
        const rewritten = m.statements.find((t) => t.rewrites.some((r) => r.relation === lock.relation));
        const rewrite = rewritten ? `, rewritten by ${rewritten.file}:${rewritten.line}` : '';
        const estimate = input.estimates?.find((e) => e.file === s.file && e.line === s.line && e.table === lock.relation && e.lockMs !== undefined);
        if (estimate) {
          seen.add(lock.relation);
          if (estimate.lockMs! <= thresholdMs) continue;
          hazards.push({
            kind: 'long-lock',
            migration: m.id,
            message: `${s.file}:${s.line} ${lock.what} ${lock.relation}, held an estimated ${duration(estimate.lockMs!)} at ${estimate.targetRows.toLocaleString('en-US')} rows (more than ${duration(thresholdMs)})${rewrite}: ${lock.effect}`,
          });
          continue;
        }
        if (rows <= input.lockThresholdRows) continue;
        seen.add(lock.relation);
        hazards.push({
          kind: 'long-lock',
          migration: m.id,
          message: `${s.file}:${s.line} ${lock.what} ${lock.relation} (${rows} rows, more than ${input.lockThresholdRows})${rewrite}: ${lock.effect}`,
        });
      }
    }
  }
  const acknowledged = input.checks.filter((c) => c.expectChange && c.status === 'passed');
  for (const change of input.dataChanges) {
    if (acknowledged.some((c) => mentions(c.query, change.table))) continue;
    for (const message of dataLoss(change)) {
      const migration = migrationTouching(input.pending, change.table);
      hazards.push({ kind: 'data-lost', ...(migration ? { migration } : {}), message });
    }
  }
  if (input.down) {
    for (const step of input.down.steps) {
      if (step.status === 'failed') hazards.push({ kind: 'down-mismatch', migration: step.id, message: `the down of ${step.id} ${step.name} failed: ${step.failure?.error ?? 'unknown error'}` });
    }
    const complete = input.down.steps.every((s) => s.status === 'passed');
    if (complete && !input.down.restored) {
      const what = input.down.differences.map((d) => `${d.object} ${d.name} ${d.change}${d.detail ? ` (${d.detail})` : ''}`).join('; ');
      hazards.push({ kind: 'down-mismatch', message: `the downs do not restore the schema: ${what}` });
    }
  }
  for (const check of input.checks) {
    if (check.status === 'failed') {
      const why = check.error ? `its query failed: ${check.error}` : check.expectChange ? 'its result was expected to change and did not' : 'its result changed';
      hazards.push({ kind: 'check-failed', message: `check "${check.name}" failed: ${why}` });
    }
  }
  return hazards;
}
