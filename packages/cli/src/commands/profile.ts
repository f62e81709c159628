/**
 * `understudy profile`: the statistics a database keeps about itself (row
 * estimates, null fractions, distinct counts, frequent values, histograms),
 * plus count-only FK fan-out and text lengths, filtered so that no personal
 * value leaves the database. The result is meant to be committed and shared.
 */
import { formatProfileExplain, profileToJson, UsageError } from '@understudy/core';
import { dialectFor } from '../dialects.js';
import { clearStatus, drawing, note, statusLine, writeOutput } from '../output.js';

export interface ProfileCommandOptions {
  readonly url?: string;
  readonly schemas?: string;
  readonly out?: string;
  readonly analyze?: boolean;
  /** commander turns `--no-scan` into `scan: false`. */
  readonly scan?: boolean;
  readonly k?: string;
  readonly explain?: boolean;
}

function parseK(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--k must be a whole number of rows, at least 1 (got "${value}")`);
  return k;
}

export async function profileCommand(options: ProfileCommandOptions): Promise<void> {
  if (options.url === undefined) {
    throw new UsageError('profile needs --url: the database whose statistics to read', {
      hint: 'Example: understudy profile --url postgres://readonly@db:5432/app --out profile.json',
    });
  }
  const k = parseK(options.k);
  const schemas = options.schemas
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const db = await (await dialectFor(options.url)).connect(options.url);
  let profile;
  try {
    profile = await db.profile({
      ...(schemas && schemas.length > 0 ? { schemas } : {}),
      analyze: options.analyze ?? false,
      scan: options.scan ?? true,
      ...(k !== undefined ? { k } : {}),
      ...(drawing() ? { onProgress: (step: string) => statusLine(step) } : {}),
    });
  } finally {
    clearStatus();
    await db.close();
  }
  if (options.explain) {
    // The readable listing goes to stdout; JSON only when --out asks for a file.
    if (options.out !== undefined) await writeOutput(profileToJson(profile), options.out);
    await writeOutput(formatProfileExplain(profile), undefined);
  } else {
    await writeOutput(profileToJson(profile), options.out);
  }
  for (const line of profile.notes) note(`note: ${line}`);
  if (options.out !== undefined && options.out !== '-') {
    note(`wrote ${options.out}: ${Object.keys(profile.tables).length} tables (no personal values: see --explain for what was kept)`);
  }
}
