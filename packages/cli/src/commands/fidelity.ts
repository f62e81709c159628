/**
 * `understudy fidelity`: how closely a target database (a synthetic copy)
 * follows a source profile. Profiles the target (running ANALYZE there: it is
 * the copy, not production) or reads a saved target profile, scores it
 * (`scoreFidelity` in core), prints the scores, optionally writes the
 * self-contained HTML report, and fails (exit 1) below `--min-score`.
 */
import { coverageText, fidelityHtml, scoreFidelity, UnderstudyError, unmeasuredColumns, UsageError, worstColumns, type FidelityMetric, type FidelityReport, type Profile } from '@understudy/core';
import { dialectFor } from '../dialects.js';
import { parseScale, readProfileFile } from './input-files.js';
import { clearStatus, drawing, note, statusLine, writeOutput, writeResult } from '../output.js';

export interface FidelityCommandOptions {
  readonly profile?: string;
  readonly url?: string;
  readonly targetProfile?: string;
  readonly schemas?: string;
  readonly scale?: string;
  readonly html?: string;
  /** `--json [file]`: see writeResult. */
  readonly json?: boolean | string;
  readonly minScore?: string;
}

function parseNumber(value: string | undefined, flag: string, check: (n: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`${flag} must be ${what} (got "${value}")`);
  return n;
}

/**
 * The k the target is profiled with: the source's, scaled with the copy. A value that passes k in
 * production holds about scale × as many rows in a copy at `scale`; profiled with the source's k, a
 * tenth-size copy would drop its frequent values and coarsen its histograms, and be scored on that
 * loss rather than on its data (a KS of 0.71 where the exact one is 0.97).
 */
export function targetK(sourceK: number, scale: number): number {
  return scale >= 1 ? sourceK : Math.max(1, Math.floor(sourceK * scale));
}

/**
 * The target's columns whose frequent values the source profile kept (tables paired by key, else by
 * a unique name): the copy's values come from there, so the value detectors do not screen them again.
 * Without this a detector can drop in the copy what the source kept (baseball's `people.deathCountry`
 * at scale 0.1: seven country names taken for person names), and the column is scored on that.
 */
function keptValuesOf(source: Profile): (table: string, column: string) => boolean {
  const name = (key: string): string => key.slice(key.indexOf('.') + 1);
  const byName = new Map<string, string[]>();
  for (const k of Object.keys(source.tables)) byName.set(name(k), [...(byName.get(name(k)) ?? []), k]);
  return (table, column) => {
    const match = table in source.tables ? table : byName.get(name(table))?.length === 1 ? byName.get(name(table))![0]! : undefined;
    return match !== undefined && (source.tables[match]!.columns[column]?.kept.includes('mostCommon') ?? false);
  };
}

async function profileTarget(url: string, source: Profile, schemas: string[] | undefined, scale: number): Promise<Profile> {
  const db = await (await dialectFor(url)).connect(url);
  try {
    return await db.profile({
      ...(schemas && schemas.length > 0 ? { schemas } : {}),
      analyze: true,
      scan: source.scanned,
      k: targetK(source.k, scale),
      copyScale: scale,
      unscreened: keptValuesOf(source),
      ...(drawing() ? { onProgress: (step: string) => statusLine(`profiling target: ${step}`) } : {}),
    });
  } finally {
    clearStatus();
    await db.close();
  }
}

/**
 * The rows `seed --scale` plans for the target's tables from the source profile, where they differ
 * from scale × rows (small and lookup tables kept whole, parents raised for their children), keyed
 * by source table key (tables paired by key, else by a unique name, as the scoring pairs them).
 */
async function plannedRowsOf(url: string, source: Profile, schemas: string[] | undefined, scale: number): Promise<Map<string, { rows: number; note?: string }>> {
  const db = await (await dialectFor(url)).connect(url);
  let schema;
  try {
    schema = await db.introspect(schemas && schemas.length > 0 ? { schemas } : {});
  } finally {
    await db.close();
  }
  const name = (key: string): string => key.slice(key.indexOf('.') + 1);
  const sourceByName = new Map<string, string[]>();
  for (const k of Object.keys(source.tables)) sourceByName.set(name(k), [...(sourceByName.get(name(k)) ?? []), k]);
  const sourceKeyOf = new Map<string, string>();
  for (const k of Object.keys(schema.tables)) {
    const match = k in source.tables ? k : sourceByName.get(name(k))?.length === 1 ? sourceByName.get(name(k))![0] : undefined;
    if (match) sourceKeyOf.set(k, match);
  }
  const estimates = new Map<string, number>();
  for (const [k, s] of sourceKeyOf) {
    const rows = source.tables[s]!.rowEstimate;
    if (rows !== null) estimates.set(k, Math.round(rows));
  }
  const { scaleRows } = await import('@understudy/generate');
  const scaled = scaleRows(schema, estimates, scale);
  const out = new Map<string, { rows: number; note?: string }>();
  for (const [k, rows] of scaled.rows) {
    const s = sourceKeyOf.get(k);
    const note = scaled.notes.get(k);
    if (s && note !== undefined) out.set(s, { rows, note });
  }
  return out;
}

const s3 = (n: number | null): string => (n === null ? '  –  ' : n.toFixed(3));
const metricText = (m: FidelityMetric): string => `${m.metric} ${s3(m.score)}`;

/** The pair trends section: the score apart from the overall, and the 10 worst pairs. */
function pairTrendLines(report: FidelityReport): string[] {
  if (!report.pairTrends) return [];
  const pairs = Object.entries(report.tables)
    .flatMap(([key, t]) => (t.pairTrends?.pairs ?? []).map((p) => ({ key, p })))
    .sort((a, b) => a.p.score - b.p.score);
  const lines = ['', `pair trends ${s3(report.pairTrends.score)} (${report.pairTrends.pairs} pairs; not in the overall score), worst first:`];
  for (const { key, p } of pairs.slice(0, 10)) lines.push(`  ${s3(p.score)}  ${key} ${p.kind} ${p.subject}: ${p.detail}`);
  if (pairs.length > 10) lines.push(`  … and ${pairs.length - 10} more (see --json or --html)`);
  return lines;
}

/** The readable summary: overall, per table, the 10 worst columns with their metrics. */
function formatReport(report: FidelityReport, sourceName: string, targetName: string): string {
  const lines = [`fidelity ${s3(report.overall)} (scale ${report.scale}): ${targetName} against ${sourceName}`, coverageText(report.coverage), '', 'tables (worst first):'];
  const tables = Object.entries(report.tables).sort((a, b) => (a[1].score ?? 2) - (b[1].score ?? 2));
  const width = Math.max(...tables.map(([k]) => k.length), 5);
  for (const [key, t] of tables) lines.push(`  ${s3(t.score)}  ${key.padEnd(width)}  ${t.metrics.map(metricText).join('  ')}`);
  const worst = worstColumns(report).slice(0, 10);
  if (worst.length > 0) {
    lines.push('', `worst columns (${worst.length} of ${worstColumns(report).length}):`);
    const names = worst.map(([t, c]) => `${t}.${c}`);
    const w = Math.max(...names.map((n) => n.length));
    worst.forEach(([, , column], i) => {
      lines.push(`  ${s3(column.score)}  ${names[i]!.padEnd(w)}  ${column.metrics.map((m) => `${metricText(m)} (${m.detail})`).join('; ')}`);
    });
  }
  const unmeasured = unmeasuredColumns(report);
  if (unmeasured.length > 0) {
    lines.push('', `not measured (${unmeasured.length} column${unmeasured.length === 1 ? '' : 's'}, no score):`);
    for (const [t, c, col] of unmeasured.slice(0, 10)) lines.push(`   n/m   ${t}.${c}: ${col.notMeasured}`);
    if (unmeasured.length > 10) lines.push(`  … and ${unmeasured.length - 10} more (see --json or --html)`);
  }
  lines.push(...pairTrendLines(report));
  const unscored = [...report.onlyInSource.map((k) => `${k} (only in source)`), ...report.onlyInTarget.map((k) => `${k} (only in target)`)];
  if (unscored.length > 0) lines.push('', `not scored: ${unscored.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export async function fidelityCommand(options: FidelityCommandOptions): Promise<void> {
  if (options.profile === undefined) {
    throw new UsageError('fidelity needs --profile: the source profile to score against', {
      hint: 'Example: understudy fidelity --profile profile.json --url postgres://localhost/staging --html fidelity.html',
    });
  }
  if ((options.url === undefined) === (options.targetProfile === undefined)) {
    throw new UsageError('fidelity needs exactly one target: --url (a database to profile) or --target-profile (a saved profile)', {
      hint: 'Example: understudy fidelity --profile prod.json --url postgres://localhost/staging',
    });
  }
  const scale = parseScale(options.scale) ?? 1;
  const minScore = parseNumber(options.minScore, '--min-score', (n) => n >= 0 && n <= 1, 'a score between 0 and 1, e.g. 0.9');
  const source = await readProfileFile(options.profile);
  const schemas = options.schemas
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const target = options.url !== undefined ? await profileTarget(options.url, source, schemas, scale) : await readProfileFile(options.targetProfile!, { flag: '--target-profile' });
  const plannedRows = options.url !== undefined && scale < 1 ? await plannedRowsOf(options.url, source, schemas, scale) : undefined;
  const report = scoreFidelity(source, target, { scale, ...(plannedRows ? { plannedRows } : {}) });
  const targetName = target.source ?? options.targetProfile ?? 'target';
  await writeResult(
    options.json,
    () => `${JSON.stringify(report, null, 2)}\n`,
    () => formatReport(report, options.profile!, targetName),
  );
  if (options.html !== undefined) {
    await writeOutput(fidelityHtml(report), options.html);
    note(`wrote ${options.html}`);
  }
  if (minScore !== undefined) {
    if (report.overall === null) {
      throw new UnderstudyError('fidelity: nothing could be scored (no table with statistics on both sides), so --min-score cannot pass', {
        exitCode: 1,
        hint: 'Check that the target has data and that the source profile has statistics (profile --analyze).',
      });
    }
    if (report.overall < minScore) {
      const worst = worstColumns(report)
        .slice(0, 3)
        .map(([t, c, col]) => `${t}.${c} ${s3(col.score)}`);
      throw new UnderstudyError(`fidelity ${s3(report.overall)} is below --min-score ${minScore} (short by ${(minScore - report.overall).toFixed(3)})`, {
        exitCode: 1,
        hint: worst.length > 0 ? `Worst columns: ${worst.join(', ')}.` : undefined,
      });
    }
  }
}
