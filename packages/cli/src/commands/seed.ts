/**
 * `understudy seed`: plans data for a schema and loads it, all or nothing,
 * into --url (PostgreSQL COPY, MySQL LOAD DATA) or, with no --url, into an
 * embedded PGlite created from --from or --drizzle (kept in --pglite DIR).
 * With --drizzle and --url, the target's tables are seeded, with the module's
 * relations and hints, and every difference between the two is a warning.
 *
 * Ctrl-C and SIGTERM are heard from the start: one that comes while the target
 * is opened or emptied, or while its keys are rebuilt, cancels the statement
 * running there and rolls everything back (see interrupts.ts).
 */
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_LOCK_TIMEOUT_MS, lockTimeoutMs, redactUrl, type OpenSinkOptions, type Schema, type Sink } from '@understudy/core';
import { formatPlanSummary, planForSaving, seed, SeedAbortedError, type GenerateConfigInput, type Plan } from '@understudy/generate';
import { dialectFor } from '../dialects.js';
import { loadUserConfig } from '../config-file.js';
import { causedByInterrupt, InterruptedError, interruptOnSignals, type Interrupt } from '../interrupts.js';
import { jsonOnStdout, loud, note, writeResult } from '../output.js';
import { assertNotProduction, declaredLocalHosts } from '../production-guard.js';
import { clearStatus, formatSeedSummary, progressPrinter, statusLine } from '../progress-display.js';
import type { DrizzleHints } from './drizzle-source.js';
import { openEmbeddedTarget, type EmbeddedTarget } from './embedded-target.js';
import { planFromOptions, readConfig, readGenerationSource, seedTuning, writableTablesOf, type GenerationOptions } from './generation-options.js';

export interface SeedCommandOptions extends GenerationOptions {
  readonly truncate?: boolean;
  readonly dryRun?: boolean;
  /** `--json [file]`: see writeResult. */
  readonly json?: boolean | string;
  readonly pglite?: string;
  readonly allowProduction?: boolean;
  readonly lockTimeout?: string;
}

async function serverSink(url: string, options: OpenSinkOptions): Promise<Sink> {
  return (await dialectFor(url)).openSink(url, options);
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

/**
 * Where PGlite is, as a file URL: the hint's one-liner then runs from any working directory, not only
 * where `node_modules` has it (the bare name where it cannot be resolved).
 */
function pgliteModule(): string {
  try {
    return import.meta.resolve('@electric-sql/pglite');
  } catch {
    return '@electric-sql/pglite';
  }
}

function usageHint(target: EmbeddedTarget, dir: string | undefined): string {
  if (dir === undefined) return 'The PGlite was in memory and is gone: add --pglite DIR to keep it.';
  const url = `pglite://${isAbsolute(dir) || dir.startsWith('.') ? dir : `./${dir}`}`;
  return [
    `Kept in ${dir}. Use it with:`,
    `  understudy introspect --url ${url} --summary`,
    `  understudy seed --url ${url} --truncate …   (seed it again)`,
    `  node --input-type=module -e "const {PGlite}=await import('${pgliteModule()}'); const db=new PGlite('${resolve(dir)}'); console.log((await db.query('select count(*) from ${firstTableSql(target.schema)}')).rows)"`,
  ].join('\n');
}

/** `--lock-timeout`, else the config's `target.lockTimeout`, else the default. */
function lockTimeout(options: SeedCommandOptions, config: GenerateConfigInput | undefined, file: string | undefined): number {
  if (options.lockTimeout !== undefined) return lockTimeoutMs(options.lockTimeout, '--lock-timeout');
  const configured = config?.target?.lockTimeout;
  return configured !== undefined ? lockTimeoutMs(configured, `${file ?? 'the config'} target.lockTimeout`) : DEFAULT_LOCK_TIMEOUT_MS;
}

/** What the command is doing, for the message when a signal stops it. */
interface Step {
  during: string;
  /** Whether anything may have been written to the target yet. */
  opened: boolean;
}

export async function seedCommand(options: SeedCommandOptions): Promise<void> {
  const interrupt = interruptOnSignals('the seed');
  const step: Step = { during: 'reading the config', opened: false };
  try {
    await seedSteps(options, interrupt, step);
  } catch (error) {
    const signal = interrupt.received();
    if (signal === undefined || !causedByInterrupt(error)) throw error;
    const during = error instanceof SeedAbortedError ? error.during : step.during;
    throw new InterruptedError('seed', signal, during, step.opened ? 'everything written was rolled back, the target is as it was' : 'nothing was written');
  } finally {
    interrupt.dispose();
  }
}

async function seedSteps(options: SeedCommandOptions, interrupt: Interrupt, step: Step): Promise<void> {
  const { signal } = interrupt;
  const loaded = await loadUserConfig(options);
  const tuning = seedTuning(options, loaded?.config);
  const config = await readConfig(options);
  const lockTimeoutMs = lockTimeout(options, config, loaded?.file);
  if (options.url !== undefined) {
    const dialect = await dialectFor(options.url);
    assertNotProduction(options.url, dialect.connectionTarget(options.url), {
      allow: options.allowProduction,
      localHosts: declaredLocalHosts(config?.target?.localHosts),
    });
  }
  signal.throwIfAborted();

  let embedded: EmbeddedTarget | undefined;
  let schema: Schema;
  let hints: DrizzleHints | undefined;
  step.during = 'reading the schema';
  const status = (text: string): void => {
    step.during = text;
    if (!jsonOnStdout(options.json)) statusLine(text);
  };
  status(options.url === undefined ? 'starting PGlite and reading the schema' : 'reading the schema');
  // With no --url the target is an embedded PGlite made from the source (a dry run too, for the rows the DDL inserts).
  if (options.url === undefined && (!options.dryRun || options.from !== undefined)) {
    embedded = await openEmbeddedTarget(options);
    schema = embedded.schema;
    hints = embedded.hints;
    // Never silent (not even with --quiet or --json): a pipeline that meant a real database must see this.
    if (options.pglite === undefined && !options.dryRun) {
      loud('target: an in-memory PGlite (nothing is kept when the seed ends; give --url URL or DATABASE_URL to seed a database, or --pglite DIR to keep this one)');
    }
  } else {
    // With --drizzle and --url: the target's own tables, with what the module adds; differences are warnings.
    ({ schema, hints } = await readGenerationSource(options));
  }
  try {
    signal.throwIfAborted();
    // A dry run with a target reads the rows the tables have (kept by a seed), in a transaction it then rolls back.
    const tables = writableTablesOf(schema, options, config);
    const truncate = options.truncate === true && !options.dryRun;
    status('opening the target (checking or emptying its tables)');
    step.opened = !options.dryRun;
    const sinkOptions: OpenSinkOptions = { schema, truncate, tables, lockTimeoutMs, signal };
    const sink = embedded ? await embedded.openSink(sinkOptions) : options.url !== undefined ? await serverSink(options.url, sinkOptions) : undefined;
    let plan: Plan;
    try {
      status('planning');
      const planSink = options.dryRun && options.truncate && sink ? replacingRowsOf(sink, tables) : sink;
      plan = await planFromOptions(schema, options, { ...(planSink ? { sink: planSink } : {}), ...(config ? { config } : {}), ...(hints ? { hints } : {}) });
      signal.throwIfAborted();
    } catch (error) {
      await sink?.rollback();
      throw error;
    }
    if (options.dryRun || !sink) {
      await sink?.rollback();
      await writeResult(
        options.json,
        () => `${JSON.stringify(planForSaving(plan), null, 2)}\n`,
        () => formatPlanSummary(plan),
      );
      note('dry run: nothing was written');
      return;
    }
    status('loading');
    const onProgress = progressPrinter(!jsonOnStdout(options.json));
    const result = await seed({ plan, sink, signal, ...tuning, ...(onProgress ? { onProgress } : {}) }).finally(clearStatus);
    await writeResult(
      options.json,
      () => `${JSON.stringify({ ...result, ...(options.url ? { target: redactUrl(options.url) } : {}) }, null, 2)}\n`,
      () => formatSeedSummary(result),
    );
    if (embedded && !jsonOnStdout(options.json)) note(usageHint(embedded, options.pglite));
  } finally {
    await embedded?.close();
  }
}
