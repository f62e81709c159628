/**
 * `understudy plan`: what would be generated, as Plan JSON (or a readable
 * summary with --summary). Writes nothing to any database: with a target
 * (--url, or the PGlite --from makes) it reads which tables already have rows,
 * as `seed` would, in a transaction it rolls back.
 */
import type { Schema, Sink } from '@understudy/core';
import { formatPlanSummary, planForSaving } from '@understudy/generate';
import { dialectFor } from '../dialects.js';
import { writeOutput } from '../output.js';
import { openEmbeddedTarget, type EmbeddedTarget } from './embedded-target.js';
import type { DrizzleHints } from './drizzle-source.js';
import { planFromOptions, readConfig, readGenerationSource, writableTablesOf, type GenerationOptions } from './generation-options.js';

export interface PlanCommandOptions extends GenerationOptions {
  readonly out?: string;
  readonly summary?: boolean;
}

export async function planCommand(options: PlanCommandOptions): Promise<void> {
  let embedded: EmbeddedTarget | undefined;
  let schema: Schema;
  let hints: DrizzleHints | undefined;
  if (options.url === undefined && options.from !== undefined && options.plan === undefined) {
    embedded = await openEmbeddedTarget(options);
    schema = embedded.schema;
  } else {
    ({ schema, hints } = await readGenerationSource(options));
  }
  let sink: Sink | undefined;
  try {
    const config = await readConfig(options);
    if (options.plan === undefined) {
      const tables = writableTablesOf(schema, options, config);
      if (embedded) sink = await embedded.openSink({ schema, truncate: false, tables });
      else if (options.url !== undefined) {
        sink = await (await dialectFor(options.url)).openSink(options.url, { schema, truncate: false, tables });
      }
    }
    const plan = await planFromOptions(schema, options, { ...(sink ? { sink } : {}), ...(config ? { config } : {}), ...(hints ? { hints } : {}) });
    await writeOutput(options.summary ? formatPlanSummary(plan) : `${JSON.stringify(planForSaving(plan), null, 2)}\n`, options.out);
  } finally {
    await sink?.rollback();
    await embedded?.close();
  }
}
