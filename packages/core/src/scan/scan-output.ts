/**
 * Renderings of a ScanReport: the readable listing `scan` prints, and the scrub policy
 * `scan --out` writes. Both carry transforms, kinds, detectors and counts, never a value.
 *
 * @example
 * ```ts
 * process.stdout.write(formatScanReport(report));
 * await writeFile('scrub.policy.json', serializeScrubPolicy(policyFromScan(report)));
 * ```
 */
import { SCRUB_POLICY_VERSION, type ColumnRule, type ScrubPolicy } from '../scrub-policy.js';
import type { ScanReport, ScannedColumn } from './scan-model.js';

function evidence(c: ScannedColumn): string {
  // a kept column that some detector pointed at says why it is kept (a name the values overruled)
  if (c.transform === 'keep') return c.detected.length > 0 ? c.reason : '';
  const fired = c.detected.filter((d) => c.kinds.includes(d.kind));
  if (fired.length === 0) return c.reason;
  return fired.map((d) => (d.matches !== undefined ? `${d.detector} ${d.matches}/${d.examined}` : `${d.source}:${d.detector}${d.token ? `(${d.token})` : ''}`)).join(', ');
}

/**
 * One line per column: transform, kinds, detectors with their counts.
 * @example
 * ```ts
 * formatScanReport(report); // 'public.users  200 rows sampled (ORDER BY random() LIMIT 200)\n  email  fake:email  email  email 200/200 …'
 * ```
 */
export function formatScanReport(report: ScanReport): string {
  const lines = [`scan of ${report.source} taken ${report.takenAt} (sample ${report.sample} rows per table)`];
  for (const table of report.tables) {
    lines.push('', `${table.table}  ${table.sampled} rows sampled (${table.method})`);
    const width = Math.max(0, ...table.columns.map((c) => c.column.length));
    const tWidth = Math.max(0, ...table.columns.map((c) => c.transform.length));
    for (const c of table.columns) {
      const kinds = c.kinds.length > 0 ? c.kinds.join('+') : '-';
      const why = evidence(c);
      lines.push(`  ${c.column.padEnd(width)}  ${c.transform.padEnd(tWidth)}  ${kinds}${why ? `  [${why}]` : ''}`);
    }
  }
  const by = Object.entries(report.summary.byTransform)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  lines.push('', `${report.summary.columns} columns in ${report.summary.tables} tables: ${report.summary.transformed} to transform (${by})`);
  return `${lines.join('\n')}\n`;
}

/**
 * The scrub policy a scan proposes: every column named, with its transform and what scan saw.
 * @example
 * ```ts
 * policyFromScan(report).tables['public.users']?.columns['email']?.transform; // 'fake:email'
 * ```
 */
export function policyFromScan(report: ScanReport): ScrubPolicy {
  const tables: ScrubPolicy['tables'] = {};
  for (const table of report.tables) {
    const columns: Record<string, ColumnRule> = {};
    for (const c of table.columns) {
      columns[c.column] = { transform: c.transform, ...c.options, ...(c.detected.length > 0 ? { detected: c.detected } : {}), reason: c.reason };
    }
    tables[table.table] = { columns };
  }
  return { version: SCRUB_POLICY_VERSION, dialect: report.dialect, source: report.source, createdAt: report.takenAt, sample: report.sample, tables };
}
