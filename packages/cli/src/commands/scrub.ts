/**
 * `understudy scrub --source SRC --url TARGET [--policy FILE]`: a copy of the source
 * with every column transformed as the policy says (fail-closed: a column it does not
 * name stops the run), read from one read-only snapshot and loaded all or nothing
 * into the target, whose production guard is the seed's.
 */
import { ConnectionError, redactUrl, type Sink } from '@understudy/core';
import { runScrub, type ScrubProgress, type ScrubResult } from '@understudy/scrub';
import { dialectFor } from '../dialects.js';
import { causedByInterrupt, InterruptedError, interruptOnSignals } from '../interrupts.js';
import { note } from '../output.js';
import { assertNotProduction, declaredLocalHosts } from '../production-guard.js';
import { openScrubSource, type ScrubSourceOptions } from './scrub-inputs.js';

export interface ScrubCommandOptions extends ScrubSourceOptions {
  readonly url?: string;
  readonly json?: boolean;
  readonly allowProduction?: boolean;
}

function progressLine(enabled: boolean): ((p: ScrubProgress) => void) | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  const started = performance.now();
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 200 && p.doneRows < p.totalRows) return;
    last = now;
    const rate = p.doneRows / Math.max(0.001, (now - started) / 1000);
    process.stderr.write(`\r\x1b[K${p.table}  ${p.doneRows.toLocaleString('en-US')}/${p.totalRows.toLocaleString('en-US')} rows  ${Math.round(rate).toLocaleString('en-US')} rows/s`);
  };
}

export function formatScrubSummary(result: ScrubResult, target: string): string {
  const width = Math.max(...result.tables.map((t) => t.table.length), 5);
  const lines = result.tables.map((t) => `  ${t.table.padEnd(width)}  ${String(t.rows).padStart(9)} rows  ${t.transformedColumns} column${t.transformedColumns === 1 ? '' : 's'} transformed`);
  const rate = result.seconds > 0 ? Math.round(result.rows / result.seconds) : result.rows;
  return `scrubbed ${result.rows.toLocaleString('en-US')} rows in ${result.tables.length} tables into ${target} in ${result.seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} rows/s)\n${lines.join('\n')}\n`;
}

export async function scrubCommand(options: ScrubCommandOptions): Promise<void> {
  const interrupt = interruptOnSignals('the scrub');
  let opened = false;
  let during = 'reading the policy and the source';
  try {
    if (options.url === undefined) {
      const { UsageError } = await import('@understudy/core');
      throw new UsageError('scrub needs --url: the database to write the scrubbed copy into (it must have the tables)', {
        hint: 'Example: understudy scrub --source postgres://readonly@prod:5432/app --url postgres://postgres@localhost:5432/staging',
      });
    }
    const targetDialect = await dialectFor(options.url);
    assertNotProduction(options.url, targetDialect.connectionTarget(options.url), { allow: options.allowProduction, localHosts: declaredLocalHosts(undefined) });
    const source = await openScrubSource(options, 'scrub');
    let reader;
    let sink: Sink | undefined;
    try {
      interrupt.signal.throwIfAborted();
      if (!targetDialect.openSink) throw new ConnectionError(`scrubbing into ${targetDialect.name} is not available in this build`);
      const target = await targetDialect.connect(options.url);
      let targetSchema;
      try {
        targetSchema = await target.introspect();
      } finally {
        await target.close();
      }
      reader = await source.connection.openSnapshot!();
      during = 'opening the target (emptying its tables)';
      opened = true;
      sink = await targetDialect.openSink(options.url, { schema: targetSchema, truncate: true, tables: source.plan.tables.map((t) => t.table), signal: interrupt.signal });
      during = 'copying';
      const onProgress = progressLine(!options.json);
      const result = await runScrub({ plan: source.plan, schema: source.schema, targetSchema, reader, sink, signal: interrupt.signal, ...(onProgress ? { onProgress } : {}) });
      if (onProgress) process.stderr.write('\r\x1b[K');
      if (options.json) process.stdout.write(`${JSON.stringify({ ...result, target: redactUrl(options.url) }, null, 2)}\n`);
      else process.stdout.write(formatScrubSummary(result, redactUrl(options.url)));
      for (const n of sink.notes ?? []) note(n);
    } finally {
      await reader?.close();
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
