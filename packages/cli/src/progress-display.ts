/**
 * What `seed` and `generate` print: a progress line per table on a TTY
 * (rows/s, ETA; stderr), nothing otherwise; and at the end a one-line-per-table
 * summary, or one JSON document with `--json`.
 */
import type { SeedProgress, SeedResult } from '@understudy/generate';
import { drawing, markStatusShown } from './output.js';

export { clearStatus, statusLine } from './output.js';

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A progress callback that redraws one stderr line on a TTY (each table's replacing the last), or does nothing (also with --quiet). */
export function progressPrinter(enabled: boolean): ((p: SeedProgress) => void) | undefined {
  if (!enabled || !drawing()) return undefined;
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (!p.done && now - last < 100) return;
    last = now;
    const eta = p.etaSeconds === undefined ? '' : `, ETA ${p.etaSeconds.toFixed(0)} s`;
    const what = p.phase === 'updates' ? 'updates' : 'rows';
    // The summary lists every table at the end: a finished table's line is replaced, not kept.
    process.stderr.write(`\r\x1b[K${p.table}: ${fmt(p.rowsDone)}/${fmt(p.rows)} ${what} (${fmt(p.rowsPerSecond)} rows/s${p.done ? '' : eta})`);
    markStatusShown();
  };
}

/** The end-of-run summary: one line per table, then the total. */
export function formatSeedSummary(result: SeedResult): string {
  const width = Math.max(...result.tables.map((t) => t.table.length), 5);
  const lines = result.tables.map((t) => `${t.table.padEnd(width)}  ${fmt(t.rows).padStart(11)} rows  ${t.seconds.toFixed(2).padStart(7)} s  ${fmt(t.rowsPerSecond).padStart(9)} rows/s`);
  const shard = result.shard ? `, shard ${result.shard.index + 1}/${result.shard.count}` : '';
  const updates = result.updates > 0 ? ` + ${fmt(result.updates)} deferred FK updates` : '';
  lines.push(
    `${'total'.padEnd(width)}  ${fmt(result.rows).padStart(11)} rows  ${result.seconds.toFixed(2).padStart(7)} s  ${fmt(result.rows / Math.max(result.seconds, 1e-9)).padStart(9)} rows/s  → ${result.target} (${result.workers === 0 ? 'in this thread' : `${result.workers} worker${result.workers === 1 ? '' : 's'}`}${shard})${updates}`,
  );
  // Every kept table on a small schema; the first few and a count on a big one (--json lists them all).
  const kept = result.kept ?? [];
  for (const k of kept.length > 12 ? kept.slice(0, 10) : kept) lines.push(`kept ${k.table}: ${k.reason}`);
  if (kept.length > 12) lines.push(`kept ${kept.length - 10} more tables as they were (--json lists them)`);
  for (const n of result.notes ?? []) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}
