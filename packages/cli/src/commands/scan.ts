/**
 * `understudy scan`: classify every column of a database from its name, type,
 * comment and a read-only sample of its values, and propose a scrub policy. Prints
 * transforms, kinds, detectors and counts, never a value.
 */
import { formatScanReport, policyFromScan, scanDatabase, serializeScrubPolicy, UsageError, type ScanReport } from '@understudy/core';
import { dialectFor } from '../dialects.js';
import { note, writeOutput } from '../output.js';

export interface ScanCommandOptions {
  readonly url?: string;
  readonly schemas?: string;
  readonly sample?: string;
  readonly out?: string;
  readonly json?: boolean;
}

function parseSample(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
    throw new UsageError(`--sample must be a whole number of rows per table, 0 to 1000000 (got "${value}")`, {
      hint: 'For example --sample 500; --sample 0 judges by names, types and comments only.',
    });
  }
  return n;
}

function parseSchemas(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError('--schemas needs at least one name, e.g. --schemas public,auth');
  return names;
}

export async function scanCommand(options: ScanCommandOptions): Promise<void> {
  if (options.url === undefined) {
    throw new UsageError('scan needs --url: the database to classify (read-only access is enough)', {
      hint: 'Example: understudy scan --url postgres://readonly@db:5432/app --out scrub.policy.json',
    });
  }
  const sample = parseSample(options.sample);
  const schemas = parseSchemas(options.schemas);
  const db = await (await dialectFor(options.url)).connect(options.url);
  let report: ScanReport;
  try {
    report = await scanDatabase(db, {
      ...(schemas ? { schemas } : {}),
      ...(sample !== undefined ? { sample } : {}),
      ...(process.stderr.isTTY && !options.json ? { onProgress: (step: string) => process.stderr.write(`\r\x1b[K${step}`) } : {}),
    });
  } finally {
    if (process.stderr.isTTY && !options.json) process.stderr.write('\r\x1b[K');
    await db.close();
  }
  if (options.out !== undefined) await writeOutput(serializeScrubPolicy(policyFromScan(report)), options.out);
  await writeOutput(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatScanReport(report), undefined);
  if (options.out !== undefined && options.out !== '-') {
    note(`wrote ${options.out}: ${report.summary.columns} columns, ${report.summary.transformed} to transform (review it before scrubbing)`);
  }
}
