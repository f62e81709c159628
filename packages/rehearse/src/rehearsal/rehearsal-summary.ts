/**
 * The terminal rendering of a rehearsal report: one line per migration (✓/✗,
 * duration, statements, rewrites, strongest lock and on what), then failures
 * with their offending rows, schema changes, data changes, the down check, user
 * checks, hazards and the verdict.
 *
 * @example
 * ```ts
 * process.stdout.write(formatRehearsalSummary(report));
 * ```
 */
import type { HeldLock } from '@understudy/core';
import { formatDuration } from '../report/markdown-report.js';
import type { MigrationReport, RehearsalReport, StatementReport } from '../report/rehearsal-report.js';
import { oneLine } from './statement-text.js';

/** Estimates below this are summed up in one line of the summary, not listed. */
export const SUMMARY_ESTIMATE_MIN_MS = 100;

function estimateLines(report: RehearsalReport): string[] {
  if (report.estimates.length === 0) return [];
  const sorted = [...report.estimates].sort((a, b) => Math.max(b.estimatedMs, b.lockMs ?? 0) - Math.max(a.estimatedMs, a.lockMs ?? 0));
  const shown = sorted.filter((e) => Math.max(e.estimatedMs, e.lockMs ?? 0) >= SUMMARY_ESTIMATE_MIN_MS);
  const out = ['', 'Estimates at production size (worst first):'];
  for (const e of shown) {
    const lock = e.lockMode ? `, ${e.lockMode}${e.lockMs !== undefined ? ` held ${formatDuration(e.lockMs)}` : ''}` : '';
    out.push(`  ${formatDuration(e.estimatedMs).padStart(9)}  ${e.migration}  ${e.file}:${e.line}  ${oneLine(e.sql, 70)}${lock}`);
    out.push(`             ${e.basis}`);
  }
  const rest = sorted.length - shown.length;
  if (rest > 0) out.push(`  ${shown.length > 0 ? `and ${rest}` : `all ${rest}`} statement${rest === 1 ? '' : 's'} under ${SUMMARY_ESTIMATE_MIN_MS} ms`);
  return out;
}

/**
 * How strong a lock is among its engine's modes (0 weakest; -1 unknown), as the dialect ranked it.
 * @example
 * ```ts
 * lockRank(statement.locks[0]!) > lockRank(statement.locks[1]!);
 * ```
 */
export function lockRank(lock: Pick<HeldLock, 'rank'>): number {
  return lock.rank;
}

/**
 * The strongest lock any statement held, on a table if one was locked at that mode.
 * @example
 * ```ts
 * strongestLock(migration.statements); // { relation: 'public.orders', mode: 'AccessExclusiveLock' }
 * ```
 */
export function strongestLock(statements: readonly StatementReport[]): HeldLock | undefined {
  let best: HeldLock | undefined;
  for (const s of statements) {
    for (const lock of s.locks) {
      if (!best || lock.rank > best.rank) best = lock;
    }
  }
  return best;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Items in first-seen order, each once, with `×N` when it came N > 1 times: a migration that
 * alters one table column by column (flipt's change_timestamp_precision: 12 ALTERs) reads
 * `test.flags ×2, …` rather than the same names over and over.
 */
function tally(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => (n > 1 ? `${item} ×${n}` : item)).join(', ');
}

function migrationLine(m: MigrationReport): string {
  const mark = m.status === 'passed' ? '✓' : m.status === 'failed' ? '✗' : '-';
  if (m.status === 'skipped') return `${mark} ${m.id} ${m.name}  skipped (an earlier migration failed)`;
  const rewrites = m.command ? m.command.rewrites : m.statements.flatMap((s) => s.rewrites);
  const lock = strongestLock(m.statements);
  const count = m.command
    ? `exit status ${m.command.exitCode}, ${plural(m.statements.length, 'statement')} seen`
    : m.status === 'failed' && m.failure?.sql !== undefined
      ? `${plural(m.statements.length + 1, 'statement')} (the last failed)`
      : plural(m.statements.length, 'statement');
  const parts = [ms(m.durationMs), count, rewrites.length > 0 ? `rewrites ${tally(rewrites.map((r) => r.relation))}` : 'no rewrite'];
  if (lock) parts.push(`${lock.mode} on ${lock.relation}`);
  const alter = m.statements.flatMap((s) => (s.alter ? [`ALGORITHM=${s.alter.algorithm} LOCK=${s.alter.lock}`] : []));
  if (alter.length > 0) parts.push(tally(alter));
  if (m.skipped && m.skipped.length > 0) parts.push(`${plural(m.skipped.length, 'statement')} not run (server-level)`);
  return `${mark} ${m.id} ${m.name}  ${parts.join(', ')}`;
}

function failureLines(m: MigrationReport): string[] {
  const f = m.failure;
  if (!f) return [];
  const lines = [`${m.id} ${m.name} failed${f.file ? ` at ${f.file}${f.line ? `:${f.line}` : ''}` : ''}:`];
  if (f.sql) lines.push(`  ${f.sql}`);
  lines.push(`  error: ${f.error}`);
  const rows = f.offendingRows;
  if (rows) {
    lines.push(`  ${rows.description}: ${plural(rows.total, 'row')}${rows.total > rows.rows.length ? `, the first ${rows.rows.length}` : ''}:`);
    const show = (v: string | null): string => (v === null ? 'NULL' : /^[\w.:@+-]+$/.test(v) ? v : JSON.stringify(v));
    for (const row of rows.rows)
      lines.push(
        `    ${Object.entries(row)
          .map(([k, v]) => `${k}=${show(v)}`)
          .join('  ')}`,
      );
    lines.push(`  found with: ${rows.query}`);
  }
  return lines;
}

/** Output lines of a command shown in the summary (the report keeps more). */
const SUMMARY_OUTPUT_LINES = 20;

/** A `--command` step: what was seen running, with its locks and rewrites, and the end of its output. */
function commandLines(m: MigrationReport): string[] {
  const c = m.command;
  if (!c) return [];
  const lines = ['', `${m.id} ${m.name}: exit status ${c.exitCode}, ${plural(c.samples, 'sample')} of the database's sessions every ${c.intervalMs} ms`];
  for (const s of m.statements) {
    const locks = s.locks.map((l) => `${l.mode} on ${l.relation}`);
    lines.push(`  seen ${ms(s.durationMs).padStart(7)}  ${oneLine(s.sql, 90)}${locks.length > 0 ? `  [${locks.join('; ')}]` : ''}`);
  }
  if (c.rewrites.length > 0) lines.push(`  rewritten while it ran: ${c.rewrites.map((r) => r.relation).join(', ')}`);
  for (const note of c.notes) lines.push(`  note: ${note}`);
  const output = c.output.split('\n');
  if (c.output) {
    lines.push(`  output${output.length > SUMMARY_OUTPUT_LINES || c.outputTruncated ? ` (last ${Math.min(SUMMARY_OUTPUT_LINES, output.length)} lines)` : ''}:`);
    for (const line of output.slice(-SUMMARY_OUTPUT_LINES)) lines.push(`    | ${line}`);
  }
  return lines;
}

/** See the module comment. */
export function formatRehearsalSummary(report: RehearsalReport): string {
  const out: string[] = [];
  out.push(`Rehearsal of ${report.migrationsDir} (${report.format}, ${report.dialect}) on ${report.environment}`);
  out.push(`Baseline: ${plural(report.baseline.length, 'migration')}; seeded ${plural(report.seed.rows, 'row')} in ${plural(report.seed.tables, 'table')} (${ms(report.seed.durationMs)})`);
  out.push('');
  for (const m of report.migrations) out.push(migrationLine(m));
  out.push(...report.migrations.flatMap(commandLines));
  const failures = report.migrations.flatMap(failureLines);
  if (failures.length > 0) out.push('', ...failures);

  out.push('', report.schemaChanges.length === 0 ? 'Schema changes: none' : 'Schema changes:');
  for (const c of report.schemaChanges) out.push(`  ${c.change.padEnd(7)} ${c.object} ${c.name}${c.detail ? `: ${c.detail}` : ''}`);

  out.push('', report.dataChanges.length === 0 ? 'Data changes: none' : 'Data changes:');
  for (const t of report.dataChanges) {
    const rows = t.dropped
      ? `dropped with ${plural(t.rowsBefore, 'row')}`
      : `${t.rowsBefore === t.rowsAfter ? t.rowsAfter : `${t.rowsBefore} → ${t.rowsAfter}`} rows${t.rowsLost ? `, ${t.rowsLost} lost` : ''}${t.rowsAdded ? `, ${t.rowsAdded} added` : ''}${t.rekeyed ? ', rekeyed (new primary key: rows not matched by key)' : ''}${t.partitioned ? " (partitioned: its rows are its partitions')" : ''}`;
    out.push(`  ${t.table}: ${rows}${t.movedTo ? `, moved to ${t.movedTo}` : ''}`);
    if (t.dropped) continue;
    for (const c of t.columns) {
      if (c.dropped) {
        out.push(`    ${c.column}: dropped (${plural(t.rowsBefore - c.nullsBefore, 'non-NULL value')} ${c.movedTo ? `moved to ${c.movedTo}` : 'lost'})`);
        continue;
      }
      const bits = [c.changedRows !== null ? `${plural(c.changedRows, 'row')} changed` : 'values changed'];
      // Renamed away, and its name given to another column: what moved, then how the new one differs.
      if (c.movedTo) bits[0] = `values moved to ${c.movedTo}; the name now holds another column: ${bits[0]!}`;
      if (c.nullsAfter !== c.nullsBefore) bits.push(`NULLs ${c.nullsBefore} → ${c.nullsAfter}`);
      if (c.distinctAfter !== c.distinctBefore) bits.push(`distinct ${c.distinctBefore} → ${c.distinctAfter}`);
      if (c.truncated) bits.push('truncated');
      out.push(`    ${c.column}: ${bits.join(', ')}`);
    }
  }

  if (report.down) {
    // A down that failed stops the check (the rest are skipped); a missing one too: say which.
    const failed = report.down.steps.find((s) => s.status === 'failed');
    const missing = report.down.steps.find((s) => s.status === 'missing');
    const verdict = report.down.restored
      ? 'the downs restore the schema'
      : failed
        ? `stopped: the down of ${failed.id} ${failed.name} failed`
        : missing
          ? `incomplete: ${missing.id} ${missing.name} has no down`
          : 'the schema is NOT restored';
    out.push('', `Down check: ${verdict}`);
    for (const s of [...report.down.steps])
      out.push(
        `  ${s.status === 'passed' ? '✓' : s.status === 'failed' ? '✗' : '-'} ${s.id} ${s.name}  ${s.status}${s.status === 'passed' || s.status === 'failed' ? ` (${ms(s.durationMs)})` : ''}${s.failure ? `: ${s.failure.error}` : ''}`,
      );
    for (const d of report.down.differences) out.push(`  still differs: ${d.object} ${d.name} ${d.change}${d.detail ? ` (${d.detail})` : ''}`);
  } else out.push('', 'Down check: not run');

  if (report.checks.length > 0) {
    out.push('', 'Checks:');
    for (const c of report.checks)
      out.push(`  ${c.status === 'passed' ? '✓' : '✗'} ${c.name}: ${c.error ? `error: ${c.error}` : c.changed ? 'changed' : 'unchanged'}${c.expectChange ? ' (expected to change)' : ''}`);
  }
  out.push(...estimateLines(report));
  for (const n of report.notes) out.push(`note: ${n}`);

  out.push('', report.hazards.length === 0 ? 'Hazards: none' : `Hazards (${report.hazards.length}):`);
  for (const h of report.hazards) out.push(`  ${h.kind.padEnd(13)} ${h.message}`);
  out.push('', report.hazards.length === 0 ? `PASSED in ${ms(report.durationMs)}` : `FAILED: ${plural(report.hazards.length, 'hazard')} (${ms(report.durationMs)})`);
  return `${out.join('\n')}\n`;
}
