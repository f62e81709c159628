/**
 * `understudy plan`: what would be generated, as Plan JSON (or a readable
 * summary with --summary). Touches no target.
 */
import { formatPlanSummary } from '@understudy/generate';
import { writeOutput } from '../output.js';
import { planFromOptions, readSource, type GenerationOptions } from './generation-options.js';

export interface PlanCommandOptions extends GenerationOptions {
  readonly out?: string;
  readonly summary?: boolean;
}

export async function planCommand(options: PlanCommandOptions): Promise<void> {
  const schema = await readSource(options);
  const plan = await planFromOptions(schema, options);
  await writeOutput(options.summary ? formatPlanSummary(plan) : `${JSON.stringify(plan, null, 2)}\n`, options.out);
}
