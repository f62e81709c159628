/**
 * A readable listing of what a profile kept and dropped, column by column, and why:
 * what a reviewer reads before committing a profile taken from production.
 *
 * @example
 * ```ts
 * console.log(formatProfileExplain(profile));
 * // public.users  ≈20000 rows, analysed
 * //   email   kept nulls, distinct, width, lengths · dropped mostCommon — personal (personal name token "email"): shape only
 * ```
 */
import type { Profile, ProfileColumn } from './profile-model.js';

/** The detectors' verdict on one column, in a few words: kinds and evidence counts, never a value. */
function piiVerdict(column: ProfileColumn): string {
  const found = column.personal ? (column.detected ?? []) : [];
  if (found.length > 0) {
    const kinds = [...new Set(found.map((d) => d.kind))].join(', ');
    return `${kinds} by content (${found.map((d) => `${d.detector} ${d.matches ?? 0}/${d.examined ?? 0}`).join(', ')})`;
  }
  if (column.reason.startsWith('references personal table')) return 'shape only: a foreign key to a table of people';
  if (column.personal) return `personal by ${column.reason.includes('type:') ? 'type' : 'name'}`;
  return column.mostCommon || column.histogram ? 'none: the kept values passed every value detector' : 'none';
}

/**
 * One line per table and per column: kept statistics, dropped statistics, reason.
 * @example
 * ```ts
 * process.stdout.write(formatProfileExplain(profile));
 * ```
 */
export function formatProfileExplain(profile: Profile): string {
  const lines: string[] = [`profile of ${profile.source ?? profile.dialect} taken ${profile.takenAt} (k=${profile.k}, ${profile.scanned ? 'with' : 'without'} count-only scans)`];
  for (const note of profile.notes) lines.push(`note: ${note}`);
  for (const key of Object.keys(profile.tables).sort()) {
    const table = profile.tables[key]!;
    const rows = table.rowEstimate === null ? 'no row estimate' : `≈${table.rowEstimate} rows`;
    lines.push('', `${key}  ${rows}, ${table.analysed ? 'analysed' : 'NOT analysed'}${table.note ? ` — ${table.note}` : ''}`);
    const names = Object.keys(table.columns);
    const width = Math.max(0, ...names.map((n) => n.length));
    for (const name of names) {
      const column = table.columns[name]!;
      const kept = column.kept.length > 0 ? `kept ${column.kept.join(', ')}` : 'kept nothing';
      const dropped = column.dropped.length > 0 ? ` · dropped ${column.dropped.join(', ')}` : '';
      lines.push(`  ${name.padEnd(width)}  ${kept}${dropped} — ${column.reason}`);
      lines.push(`  ${' '.repeat(width)}  pii: ${piiVerdict(column)}`);
    }
    for (const [fk, info] of Object.entries(table.foreignKeys)) {
      const fanout = info.fanout ? info.fanout.map((b) => `${b.children}:${b.parents}`).join(' ') : 'not scanned';
      lines.push(`  fk ${fk} → ${info.references.table}: children per parent ${fanout}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
