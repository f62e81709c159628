/**
 * `understudy generate`: the planned rows as files, one per table, in --out DIR
 * (`--format csv|jsonl`; `sql` when the dialect provides a SQL-file encoding).
 */
import { UsageError, type Schema, type SqlFileFormat } from '@understudy/core';
import { dialectNamed } from '../dialects.js';
import { FILE_FORMATS, openFileSink, seed, SeedAbortedError, type FileFormat } from '@understudy/generate';
import { loadUserConfig } from '../config-file.js';
import { causedByInterrupt, InterruptedError, interruptOnSignals } from '../interrupts.js';
import { clearStatus, formatSeedSummary, progressPrinter } from '../progress-display.js';
import { jsonOnStdout, writeResult } from '../output.js';
import { planFromOptions, readConfig, readPlanFile, seedTuning, readGenerationSource, type GenerationOptions } from './generation-options.js';

export interface GenerateCommandOptions extends GenerationOptions {
  readonly out?: string;
  readonly format?: string;
  /** `--json [file]`: see writeResult. */
  readonly json?: boolean | string;
}

export async function generateCommand(options: GenerateCommandOptions): Promise<void> {
  if (options.out === undefined) throw new UsageError('generate needs --out DIR (the folder to write one file per table into)');
  const format = options.format ?? 'csv';
  if (!FILE_FORMATS.includes(format as FileFormat)) {
    throw new UsageError(`--format ${format} is not supported`, { hint: `Use one of: ${FILE_FORMATS.join(', ')}.` });
  }
  const tuning = seedTuning(options, (await loadUserConfig(options))?.config);
  const shard = tuning.shard;
  // A saved plan is enough for CSV and JSON Lines; SQL files need the schema (and a plan is checked against one when given).
  const hasSource = options.url !== undefined || options.from !== undefined || options.schema !== undefined || options.drizzle !== undefined;
  if (options.plan !== undefined && !hasSource && format === 'sql') {
    throw new UsageError('--format sql needs the schema as well as --plan (the script creates nothing, but COPY and INSERT name the columns and types)', {
      hint: 'Add --schema schema.json, --from FILE.sql or --url URL.',
    });
  }
  const source = options.plan !== undefined && !hasSource ? undefined : await readGenerationSource(options);
  const schema = source?.schema;
  const plan = source ? await planFromOptions(source.schema, options, source.hints ? { hints: source.hints } : {}) : await readPlanFile(options.plan!, undefined, options, await readConfig(options));
  let sql: { format: SqlFileFormat; schema: Schema } | undefined;
  if (format === 'sql' && schema) {
    sql = { format: (await dialectNamed(schema.dialect)).sqlFile, schema };
  }
  const sink = await openFileSink({ dir: options.out, format: format as FileFormat, ...(shard ? { shard: { number: shard.index + 1, count: shard.count } } : {}), ...(sql ? { sql } : {}) });
  // The files are written under temporary names and renamed at the end: a signal removes them.
  const interrupt = interruptOnSignals('generate');
  try {
    const onProgress = progressPrinter(!jsonOnStdout(options.json));
    const result = await seed({ plan, sink, signal: interrupt.signal, ...tuning, ...(onProgress ? { onProgress } : {}) }).finally(clearStatus);
    await writeResult(
      options.json,
      () => `${JSON.stringify(result, null, 2)}\n`,
      () => formatSeedSummary(result),
    );
  } catch (error) {
    const signal = interrupt.received();
    if (signal === undefined || !causedByInterrupt(error)) throw error;
    // The seed's steps name a database load ("loading public.film"); here the rows go to files.
    const during = error instanceof SeedAbortedError ? error.during.replace(/^loading /, 'writing ') : 'writing';
    throw new InterruptedError('generate', signal, during, `no file was written in ${options.out} (the partial ones were removed)`);
  } finally {
    interrupt.dispose();
  }
}
