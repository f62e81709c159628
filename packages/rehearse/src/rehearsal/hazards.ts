/**
 * The hazard rules: what in a rehearsal should stop a migration from reaching
 * production. Pure: from the report's parts to a list of `Hazard`s.
 *
 * - `failed`: a pending migration failed;
 * - `data-lost`: a dropped table that had rows, a dropped column that had
 *   non-NULL values, rows lost, values truncated, values set to NULL; unless a user check with
 *   `expectChange: true` names the table (the loss is intended);
 * - `down-mismatch`: a down failed, or the downs did not bring the schema back;
 * - `long-lock`: a lock that blocks writes (or reads and writes) held too long, or a
 *   statement run under such a lock: see lock-hazards.ts;
 * - `check-failed`: a user check failed.
 *
 * @example
 * ```ts
 * const hazards = findHazards({ migrations, dataChanges, checks, tableRows, lockThresholdRows: 10_000 });
 * ```
 */
import type { LockModeInfo } from '@understudy/core';
import type { EstimateReport, Hazard, MigrationReport, RehearsalReport, TableDataChange, UserCheckReport } from '../report/rehearsal-report.js';
import { lockHazards } from './lock-hazards.js';
import { isMigrationScript, type Migration } from '../migration-model.js';

export interface HazardInput {
  readonly migrations: readonly MigrationReport[];
  /** The pending migrations, to tell which one touched a table. */
  readonly pending: readonly Migration[];
  readonly dataChanges: readonly TableDataChange[];
  /**
   * Losses judged per migration (data-loss.ts, from a fingerprint after each one): when given,
   * they replace the losses read from `dataChanges`, which can only be blamed by table name.
   */
  readonly dataLoss?: ReadonlyArray<{ readonly migration: string; readonly table: string; readonly message: string }>;
  readonly down?: RehearsalReport['down'];
  readonly checks: readonly UserCheckReport[];
  /** Rows per table at snapshot A (before the pending migrations). */
  readonly tableRows: Readonly<Record<string, number>>;
  readonly lockThresholdRows: number;
  /** Statements estimated at production size: their lock time replaces the row threshold. */
  readonly estimates?: readonly EstimateReport[];
  /** A blocking lock estimated to be held longer than this is a hazard (default 1000 ms). */
  readonly lockThresholdMs?: number;
  /** The target's lock modes and what each blocks (`RehearsalTarget.lockModes`). */
  readonly lockModes?: readonly LockModeInfo[];
}

/** Default of `lockThresholdMs`. */
export const DEFAULT_LOCK_THRESHOLD_MS = 1000;

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
  if (change.dropped) return change.rowsBefore > 0 && !change.movedTo ? [`table ${change.table} was dropped with its ${change.rowsBefore} rows`] : [];
  const found: string[] = [];
  if ((change.rowsLost ?? 0) > 0) found.push(`${change.rowsLost} rows of ${change.table} were lost`);
  // A rekeyed table's rows are not matched by key; a partitioned parent's rows went with a detached partition, or are counted in the partition that lost them.
  else if (change.rowsLost === null && change.rowsAfter < change.rowsBefore && !change.rekeyed && !change.partitioned)
    found.push(`${change.table} went from ${change.rowsBefore} to ${change.rowsAfter} rows`);
  for (const c of change.columns) {
    if (c.movedTo) continue;
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
    hazards.push(
      ...lockHazards(m, {
        tableRows: input.tableRows,
        lockThresholdRows: input.lockThresholdRows,
        lockThresholdMs: input.lockThresholdMs ?? DEFAULT_LOCK_THRESHOLD_MS,
        ...(input.estimates ? { estimates: input.estimates } : {}),
        ...(input.lockModes ? { lockModes: input.lockModes } : {}),
      }),
    );
  }
  const acknowledged = input.checks.filter((c) => c.expectChange && c.status === 'passed');
  for (const loss of input.dataLoss ?? []) {
    if (!acknowledged.some((c) => mentions(c.query, loss.table))) hazards.push({ kind: 'data-lost', migration: loss.migration, message: loss.message });
  }
  for (const change of input.dataLoss ? [] : input.dataChanges) {
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
