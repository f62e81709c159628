/**
 * `understudy fidelity`: how closely a target database (a synthetic copy)
 * follows a source profile. Profiles the target (running ANALYZE there: it is
 * the copy, not production) or reads a saved target profile, scores it
 * (`scoreFidelity` in core), prints the scores, optionally writes the
 * self-contained HTML report, and fails (exit 1) below `--min-score`.
 */
import {
  fidelityHtml,
  scoreFidelity,
  UnderstudyError,
  UsageError,
  worstColumns,
  type FidelityMetric,
  type FidelityReport,
  type Profile,
} from '@understudy/core';
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

async function profileTarget(url: string, source: Profile, schemas: string[] | undefined): Promise<Profile> {
  const db = await (await dialectFor(url)).connect(url);
  try {
    return await db.profile({
      ...(schemas && schemas.length > 0 ? { schemas } : {}),
      analyze: true,
      scan: source.scanned,
      k: source.k,
      ...(drawing() ? { onProgress: (step: string) => statusLine(`profiling target: ${step}`) } : {}),
    });
  } finally {
    clearStatus();
    await db.close();
  }
}

const s3 = (n: number | null): string => (n === null ? '  –  ' : n.toFixed(3));
const metricText = (m: FidelityMetric): string => `${m.metric} ${s3(m.score)}`;

/** The readable summary: overall, per table, the 10 worst columns with their metrics. */
function formatReport(report: FidelityReport, sourceName: string, targetName: string): string {
  const lines = [`fidelity ${s3(report.overall)} (scale ${report.scale}): ${targetName} against ${sourceName}`, '', 'tables (worst first):'];
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
  const schemas = options.schemas?.split(',').map((s) => s.trim()).filter(Boolean);
  const target = options.url !== undefined ? await profileTarget(options.url, source, schemas) : await readProfileFile(options.targetProfile!, { flag: '--target-profile' });
  const report = scoreFidelity(source, target, { scale });
  const targetName = target.source ?? options.targetProfile ?? 'target';
  await writeResult(options.json, () => `${JSON.stringify(report, null, 2)}\n`, () => formatReport(report, options.profile!, targetName));
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
      const worst = worstColumns(report).slice(0, 3).map(([t, c, col]) => `${t}.${c} ${s3(col.score)}`);
      throw new UnderstudyError(`fidelity ${s3(report.overall)} is below --min-score ${minScore} (short by ${(minScore - report.overall).toFixed(3)})`, {
        exitCode: 1,
        hint: worst.length > 0 ? `Worst columns: ${worst.join(', ')}.` : undefined,
      });
    }
  }
}
