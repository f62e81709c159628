/**
 * `understudy scrub --source SRC --url TARGET [--policy FILE]`: a copy of the source
 * with every column transformed as the policy says (fail-closed: a column it does not
 * name stops the run), read from one read-only snapshot and loaded all or nothing
 * into the target, whose production guard is the seed's. With no --url, the target is
 * an embedded PGlite created from --from FILE.sql (the source's schema, e.g. from
 * `pg_dump --schema-only`), kept in --pglite DIR. With --out DIR, files (--format csv,
 * jsonl or sql), written under temporary names and renamed into place at the end.
 */
import { redactUrl, UsageError, type OpenSinkOptions, type Schema, type Sink } from '@understudy/core';
import { FILE_FORMATS, openFileSink, type FileFormat } from '@understudy/generate';
import {
  computeSubset,
  formatSubsetReport,
  parseSubsetRule,
  readScrubKey,
  runScrub,
  sinkKeyedAsSource,
  targetKeyedAsSource,
  targetKeyOf,
  type ScrubProgress,
  type ScrubResult,
  type Subset,
} from '@understudy/scrub';
import { dialectFor } from '../dialects.js';
import { causedByInterrupt, InterruptedError, interruptOnSignals } from '../interrupts.js';
import { clearStatus, drawing, jsonOnStdout, markStatusShown, note, writeResult } from '../output.js';
import { assertNotProduction, declaredLocalHosts } from '../production-guard.js';
import { openEmbeddedTarget, type EmbeddedTarget } from './embedded-target.js';
import { openScrubSource, type OpenedSource, type ScrubSourceOptions } from './scrub-inputs.js';

export interface ScrubCommandOptions extends ScrubSourceOptions {
  readonly url?: string;
  readonly from?: string;
  readonly pglite?: string;
  /** `--out DIR`: files instead of a database, in `--format`. */
  readonly out?: string;
  readonly format?: string;
  /** `--json [file]`: see writeResult. */
  readonly json?: boolean | string;
  readonly allowProduction?: boolean;
  /** `--subset RULE`, repeatable, and `--subset-depth N`. */
  readonly subset?: readonly string[];
  readonly subsetDepth?: string;
  /** `--workers`: a number as text from the flag, a number from the config. */
  readonly workers?: string | number;
  /** `--text-copy`: no binary COPY. */
  readonly textCopy?: boolean;
}

function workerCount(value: string | number | undefined): number {
  // In this thread by default: on the 2-core machine it was measured on, a worker made the scrub slower (bench/README.md).
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--workers must be a non-negative integer, got ${String(value)}`, { hint: 'e.g. --workers 1, or --workers 0 to transform in this thread.' });
  return n;
}

/** Where the copy goes: a server (its own schema, its sink) or an embedded PGlite. */
interface ScrubTarget {
  readonly description: string;
  readonly schema: Schema;
  openSink(options: OpenSinkOptions): Promise<Sink>;
  close(): Promise<void>;
}

/** `--out DIR --format F`: one file per table, renamed into place only when every table is written. */
async function openFilesTarget(options: ScrubCommandOptions & { out: string }, source: OpenedSource): Promise<ScrubTarget> {
  const format = options.format ?? 'csv';
  const sql = format === 'sql' ? { format: source.connection.dialect.sqlFile, schema: source.schema } : undefined;
  return {
    description: `${format.toUpperCase()} files in ${options.out}`,
    schema: source.schema,
    openSink: () => openFileSink({ dir: options.out, format: format as FileFormat, ...(sql ? { sql } : {}) }),
    close: async () => undefined,
  };
}

/** Exactly one target: --url, --from (embedded PGlite) or --out (files); --format only with --out. */
function checkTargetFlags(options: ScrubCommandOptions): void {
  if (options.out !== undefined && (options.url !== undefined || options.from !== undefined)) {
    throw new UsageError('give --out (files) or a database (--url, or --from for an embedded PGlite), not both');
  }
  if (options.out === undefined && options.format !== undefined) throw new UsageError('--format goes with --out DIR (files); a database target takes rows in its own format');
  if (options.format !== undefined && !FILE_FORMATS.includes(options.format as FileFormat)) {
    throw new UsageError(`--format ${options.format} is not supported`, { hint: `Use one of: ${FILE_FORMATS.join(', ')}.` });
  }
  if (options.url === undefined && options.from === undefined && options.out === undefined) {
    throw new UsageError('scrub needs a target: --url URL (a database that has the tables), --from FILE.sql to create them in an embedded PGlite (kept with --pglite DIR), or --out DIR for files', {
      hint: 'Example: pg_dump --schema-only SRC > schema.sql && understudy scrub --source SRC --from schema.sql --pglite ./scrubbed-db',
    });
  }
}

/** A target begun before the source is read: what needs the source comes in `finish`. */
interface PendingTarget {
  finish(source: OpenedSource): Promise<ScrubTarget>;
  close(): Promise<void>;
}

/**
 * Starts the target's side that needs nothing from the source (a server's introspection,
 * PGlite's start from --from), so that it runs while the source is read.
 */
async function startTarget(options: ScrubCommandOptions): Promise<PendingTarget> {
  const out = options.out;
  if (out !== undefined) return { finish: (source) => openFilesTarget({ ...options, out }, source), close: async () => undefined };
  if (options.url === undefined) {
    if (options.from === undefined) throw new UsageError('scrub needs a target');
    // `pglite` here is the --pglite DIR flag's option, as seed names it.
    const { from, pglite } = options;
    const embedded: EmbeddedTarget = await openEmbeddedTarget({ from, ...(pglite !== undefined ? { pglite } : {}) });
    const target: ScrubTarget = {
      description: options.pglite !== undefined ? `PGlite at ${options.pglite}` : 'PGlite (in memory)',
      schema: embedded.schema,
      openSink: (o) => embedded.openSink(o),
      close: () => embedded.close(),
    };
    return { finish: async () => target, close: () => embedded.close() };
  }
  if (options.from !== undefined) throw new UsageError('give --url (a database that has the tables) or --from (an embedded PGlite), not both');
  const url = options.url;
  const dialect = await dialectFor(url);
  const connection = await dialect.connect(url);
  let schema: Schema;
  try {
    schema = await connection.introspect();
  } finally {
    await connection.close();
  }
  const finish = async (source: OpenedSource): Promise<ScrubTarget> => {
    // Where a database is the namespace (MySQL), the target's tables are matched to the source's by name.
    const keyed = targetKeyedAsSource(source.schema, schema);
    if (keyed === schema) return { description: redactUrl(url), schema, openSink: (o) => dialect.openSink(url, o), close: async () => undefined };
    const keyOf = targetKeyOf(source.schema, schema);
    return {
      description: redactUrl(url),
      schema: keyed,
      openSink: async (o) => sinkKeyedAsSource(await dialect.openSink(url, { ...o, schema, ...(o.tables ? { tables: o.tables.map(keyOf) } : {}) }), keyOf),
      close: async () => undefined,
    };
  };
  return { finish, close: async () => undefined };
}

function progressLine(enabled: boolean): ((p: ScrubProgress) => void) | undefined {
  if (!enabled || !drawing()) return undefined;
  const started = performance.now();
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 200 && p.doneRows < p.totalRows) return;
    last = now;
    const rate = p.doneRows / Math.max(0.001, (now - started) / 1000);
    // (the total is the statistics' estimate on PostgreSQL: never shown below what is done)
    const total = Math.max(p.totalRows, p.doneRows);
    process.stderr.write(`\r\x1b[K${p.table}  ${p.doneRows.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s`);
    markStatusShown();
  };
}

export function formatScrubSummary(result: ScrubResult, target: string): string {
  const width = Math.max(...result.tables.map((t) => t.table.length), 5);
  const lines = result.tables.map((t) => `  ${t.table.padEnd(width)}  ${String(t.rows).padStart(9)} rows  ${t.transformedColumns} column${t.transformedColumns === 1 ? '' : 's'} transformed`);
  const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : result.rows;
  return `scrubbed ${result.rows.toLocaleString('en-US')} rows in ${result.tables.length} tables into ${target} in ${result.seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} rows/s${result.workers > 0 ? `, ${result.workers} worker${result.workers === 1 ? '' : 's'}` : ''})\n${lines.join('\n')}\n`;
}

export async function scrubCommand(options: ScrubCommandOptions): Promise<void> {
  const interrupt = interruptOnSignals('the scrub');
  let opened = false;
  let during = 'reading the policy and the source';
  try {
    const workerTotal = workerCount(options.workers);
    const depth = options.subsetDepth === undefined ? 1 : Number(options.subsetDepth);
    if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--subset-depth must be a non-negative integer, got ${String(options.subsetDepth)}`);
    if (options.subsetDepth !== undefined && !options.subset?.length) throw new UsageError('--subset-depth goes with --subset');
    if (options.url !== undefined) {
      const targetDialect = await dialectFor(options.url);
      assertNotProduction(options.url, targetDialect.connectionTarget(options.url), { allow: options.allowProduction, localHosts: declaredLocalHosts(undefined) });
    }
    checkTargetFlags(options);
    // The key first: without one nothing else happens (openScrubSource reads it again).
    readScrubKey({ env: process.env, keyFile: options.keyFile, command: 'scrub' });
    const starting = startTarget(options);
    starting.catch(() => undefined); // awaited below, after the source: a source error is reported first
    let source: OpenedSource;
    try {
      source = await openScrubSource(options, 'scrub');
    } catch (error) {
      await starting.then(
        (t) => t.close(),
        () => undefined,
      );
      throw error;
    }
    let reader;
    let target: ScrubTarget | undefined;
    try {
      interrupt.signal.throwIfAborted();
      during = 'reading the target';
      target = await (await starting).finish(source);
      reader = await source.connection.openSnapshot!();
      let subset: Subset | undefined;
      if (options.subset && options.subset.length > 0) {
        during = 'choosing the subset';
        const rules = options.subset.map((r) => parseSubsetRule(r, source.schema));
        subset = await computeSubset({ plan: source.plan, schema: source.schema, reader, key: source.key, rules, depth, signal: interrupt.signal });
      }
      during = 'opening the target (emptying its tables)';
      opened = true;
      const sink = await target.openSink({
        schema: target.schema,
        truncate: true,
        tables: source.plan.tables.map((t) => t.table).filter((t) => target!.schema.tables[t] !== undefined),
        signal: interrupt.signal,
      });
      during = 'copying';
      const onProgress = progressLine(!jsonOnStdout(options.json));
      const codec = reader.rawFormat?.fieldCodec;
      const workers =
        codec === undefined
          ? undefined
          : {
              count: workerTotal,
              setup: { schema: source.schema, policy: source.policy, policyFile: source.policyFile, secret: source.key.secretForWorker(), dictionaries: source.dictionaries, fieldCodec: codec },
            };
      const result = await runScrub({
        plan: source.plan,
        schema: source.schema,
        targetSchema: target.schema,
        reader,
        sink,
        signal: interrupt.signal,
        ...(workers ? { workers } : {}),
        ...(options.textCopy === true ? { binary: false } : {}),
        ...(subset ? { subset } : {}),
        ...(onProgress ? { onProgress } : {}),
      });
      clearStatus();
      const subsetReport = subset ? { subset: { depth, passes: subset.passes, tables: subset.report } } : {};
      await writeResult(
        options.json,
        () => `${JSON.stringify({ ...result, target: target!.description, ...subsetReport }, null, 2)}\n`,
        () => formatScrubSummary(result, target!.description) + (subset ? `subset (children to depth ${depth}; every parent of a kept row kept):\n${formatSubsetReport(subset.report)}\n` : ''),
      );
      for (const n of sink.notes ?? []) note(n);
      if (options.url === undefined && options.pglite !== undefined && !jsonOnStdout(options.json)) note(`Kept in ${options.pglite}: understudy introspect --url pglite://${options.pglite} --summary`);
    } finally {
      await reader?.close();
      await target?.close();
      await source.connection.close();
    }
  } catch (error) {
    const signal = interrupt.received();
    if (signal === undefined || !causedByInterrupt(error)) throw error;
    throw new InterruptedError('scrub', signal, during, opened ? 'everything written was rolled back, the target is as it was' : 'nothing was written');
  } finally {
    interrupt.dispose();
  }
}
