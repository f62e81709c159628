/**
 * `understudy seed`: plans data for a schema and loads it, all or nothing,
 * into --url (PostgreSQL COPY, MySQL LOAD DATA) or, with no --url, into an
 * embedded PGlite created from --from or --drizzle (kept in --pglite DIR).
 * With --drizzle and --url, the target's tables are seeded, with the module's
 * relations and hints, and every difference between the two is a warning.
 */
import { isAbsolute } from 'node:path';
import { ConnectionError, redactUrl, type Schema, type Sink } from '@understudy/core';
import { formatPlanSummary, planForSaving, seed, type Plan } from '@understudy/generate';
import { dialectFor } from '../dialects.js';
import { note } from '../output.js';
import { assertNotProduction } from '../production-guard.js';
import { formatSeedSummary, progressPrinter } from '../progress-display.js';
import type { DrizzleHints } from './drizzle-source.js';
import { openEmbeddedTarget, type EmbeddedTarget } from './embedded-target.js';
import { planFromOptions, readConfig, readGenerationSource, seedTuning, writableTablesOf, type GenerationOptions } from './generation-options.js';

export interface SeedCommandOptions extends GenerationOptions {
  readonly truncate?: boolean;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly pglite?: string;
  readonly allowProduction?: boolean;
}

async function serverSink(url: string, schema: Schema, truncate: boolean, tables: readonly string[]): Promise<Sink> {
  const dialect = await dialectFor(url);
  if (!dialect.openSink) throw new ConnectionError(`seeding into ${dialect.name} is not available in this build`, { hint: 'Use understudy generate --format csv and load the files.' });
  return dialect.openSink(url, { schema, truncate, tables });
}

/** A dry run of --truncate: the sink answers as if the tables it would empty had no rows. */
function replacingRowsOf(sink: Sink, tables: readonly string[]): Pick<Sink, 'existingRows'> {
  const emptied = new Set(tables);
  return { existingRows: async (requests) => (sink.existingRows ? (await sink.existingRows(requests)).filter((e) => !emptied.has(e.table)) : []) };
}

/** The first table as SQL (`public."Chat"`), quoted where PostgreSQL needs it, inside a double-quoted shell string. */
function firstTableSql(schema: Schema): string {
  const table = Object.values(schema.tables)[0];
  if (!table) return 'pg_class';
  const ident = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `\\"${name.replace(/"/g, '""')}\\"`);
  return `${ident(table.schema)}.${ident(table.name)}`;
}

function usageHint(target: EmbeddedTarget, dir: string | undefined): string {
  if (dir === undefined) return 'The PGlite was in memory and is gone: add --pglite DIR to keep it.';
  const url = `pglite://${isAbsolute(dir) || dir.startsWith('.') ? dir : `./${dir}`}`;
  return [
    `Kept in ${dir}. Use it with:`,
    `  understudy introspect --url ${url} --summary`,
    `  understudy seed --url ${url} --truncate …   (seed it again)`,
    `  node --input-type=module -e "const {PGlite}=await import('@electric-sql/pglite'); const db=new PGlite('${dir}'); console.log((await db.query('select count(*) from ${firstTableSql(target.schema)}')).rows)"`,
  ].join('\n');
}

export async function seedCommand(options: SeedCommandOptions): Promise<void> {
  const tuning = seedTuning(options);
  if (options.url !== undefined) assertNotProduction(options.url, options.allowProduction);

  let embedded: EmbeddedTarget | undefined;
  let schema: Schema;
  let hints: DrizzleHints | undefined;
  let plan: Plan;
  // With no --url the target is an embedded PGlite made from the source (a dry run too, for the rows the DDL inserts).
  if (options.url === undefined && (!options.dryRun || options.from !== undefined)) {
    embedded = await openEmbeddedTarget(options);
    schema = embedded.schema;
    hints = embedded.hints;
  } else {
    // With --drizzle and --url: the target's own tables, with what the module adds; differences are warnings.
    ({ schema, hints } = await readGenerationSource(options));
  }
  try {
    // A dry run with a target reads the rows the tables have (kept by a seed), in a transaction it then rolls back.
    const tables = writableTablesOf(schema, options, await readConfig(options));
    const truncate = options.truncate === true && !options.dryRun;
    const sink = embedded ? await embedded.openSink({ truncate, tables }) : options.url !== undefined ? await serverSink(options.url, schema, truncate, tables) : undefined;
    try {
      plan = await planFromOptions(schema, options, options.dryRun && options.truncate && sink ? replacingRowsOf(sink, tables) : sink, hints);
    } catch (error) {
      await sink?.rollback();
      throw error;
    }
    if (options.dryRun || !sink) {
      await sink?.rollback();
      process.stdout.write(options.json ? `${JSON.stringify(planForSaving(plan), null, 2)}\n` : formatPlanSummary(plan));
      note('dry run: nothing was written');
      return;
    }
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigint);
    try {
      const onProgress = progressPrinter(!options.json);
      const result = await seed({ plan, sink, signal: controller.signal, ...tuning, ...(onProgress ? { onProgress } : {}) });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ ...result, ...(options.url ? { target: redactUrl(options.url) } : {}) }, null, 2)}\n`);
      } else {
        process.stdout.write(formatSeedSummary(result));
        if (embedded) note(usageHint(embedded, options.pglite));
      }
    } finally {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    }
  } finally {
    await embedded?.close();
  }
}
