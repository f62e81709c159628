/**
 * `understudy scan`: classify every column of a database from its name, type,
 * comment and a read-only sample of its values, and propose a scrub policy. Prints
 * transforms, kinds, detectors and counts, never a value.
 */
import { readFile } from 'node:fs/promises';
import { formatScanReport, parseScrubPolicy, policyFromScan, scanDatabase, serializeScrubPolicy, updatePolicy, UsageError, type ScanReport, type ScrubPolicy } from '@understudy/core';
import { dialectFor } from '../dialects.js';
import { clearStatus, drawing, jsonOnStdout, note, statusLine, writeOutput, writeResult } from '../output.js';

export interface ScanCommandOptions {
  readonly url?: string;
  readonly schemas?: string;
  readonly sample?: string;
  readonly out?: string;
  readonly update?: string;
  /** `--json [file]`: see writeResult. */
  readonly json?: boolean | string;
}

/** The policy in `file`, to update; a missing file is an empty policy (scan then proposes every rule). */
async function previousPolicy(file: string): Promise<ScrubPolicy | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read --update ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseScrubPolicy(text, file);
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
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--schemas needs at least one name, e.g. --schemas public,auth');
  return names;
}

export async function scanCommand(options: ScanCommandOptions): Promise<void> {
  if (options.url === undefined) {
    throw new UsageError('scan needs --url: the database to classify (read-only access is enough)', {
      hint: 'Example: understudy scan --url postgres://readonly@db:5432/app --out scrub.policy.json',
    });
  }
  if (options.update !== undefined && options.out !== undefined) throw new UsageError('give --out FILE (a new policy) or --update FILE (bring a reviewed one up to date), not both');
  const previous = options.update !== undefined ? await previousPolicy(options.update) : undefined;
  const sample = parseSample(options.sample);
  const schemas = parseSchemas(options.schemas);
  const db = await (await dialectFor(options.url)).connect(options.url);
  let report: ScanReport;
  try {
    report = await scanDatabase(db, {
      ...(schemas ? { schemas } : {}),
      ...(sample !== undefined ? { sample } : {}),
      ...(drawing() && !jsonOnStdout(options.json) ? { onProgress: (step: string) => statusLine(step) } : {}),
    });
  } finally {
    clearStatus();
    await db.close();
  }
  if (options.out !== undefined) await writeOutput(serializeScrubPolicy(policyFromScan(report)), options.out);
  if (options.update !== undefined) {
    const { policy, added, removed } = updatePolicy(previous ?? { version: 1, tables: {} }, policyFromScan(report));
    await writeOutput(serializeScrubPolicy(policy), options.update);
    const list = (items: readonly string[]): string => items.slice(0, 20).join(', ') + (items.length > 20 ? `, … (${items.length - 20} more)` : '');
    note(
      `updated ${options.update}: ${added.length} column${added.length === 1 ? '' : 's'} added${added.length > 0 ? ` (${list(added.map((a) => `${a.column} → ${a.transform}`))})` : ''}, ${removed.length} removed${removed.length > 0 ? ` (${list(removed)})` : ''}; every other rule kept as it was. Review the added ones before scrubbing.`,
    );
  }
  await writeResult(
    options.json,
    () => `${JSON.stringify(report, null, 2)}\n`,
    () => formatScanReport(report),
  );
  if (options.out !== undefined && options.out !== '-') {
    note(`wrote ${options.out}: ${report.summary.columns} columns, ${report.summary.transformed} to transform (review it before scrubbing)`);
  }
}
