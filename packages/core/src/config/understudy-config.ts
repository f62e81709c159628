/**
 * The one config model of every command (`understudy.config.{ts,mts,js,mjs,json}`):
 *
 * - generation (plan, seed, generate, rehearse's seed): the top-level keys of `GenerateConfig`
 *   (`seed`, `rows`, `scale`, `tables`, `only`, `exclude`, …), plus `workers`;
 * - seed: `target` (hosts declared local, lock timeout) and `url`, the database to work on;
 * - profile: `profiling` (the `profile` command's `k`, `analyze`, `scan`); `profile`, the profile
 *   file a seed or a fidelity score follows;
 * - fidelity: `fidelity` (`minScore`);
 * - rehearse: `rehearse` (checks, lock thresholds);
 * - scrub: `scrub` (`policy`, the policy file `scan --out` writes);
 * - `environments`: named overlays (`dev`, `qa`, `perf`) that `--env NAME` applies over the top level.
 *
 * @example
 * ```ts
 * export default defineConfig({
 *   seed: 42,
 *   rows: 1000,
 *   rehearse: { lockThresholdRows: 50_000 },
 *   environments: { dev: { rows: 100 }, perf: { profile: 'profile.json', scale: 1, workers: 4 } },
 * });
 * ```
 */
import { z } from 'zod';
import { GenerateConfig } from './generate-config.js';
import { RehearseConfig } from './rehearse-config.js';

/** The `profile` command's settings (its flags of the same names override them). */
export const ProfilingConfig = z
  .object({
    /** Keep a frequent value only if at least this many rows have it (default 10). */
    k: z.number().int().min(1).optional(),
    /** Run ANALYZE first, for tables never analysed. */
    analyze: z.boolean().optional(),
    /** `false`: catalog statistics only (no count-only FK fan-out and text-length queries). */
    scan: z.boolean().optional(),
  })
  .strict();
export type ProfilingConfig = z.infer<typeof ProfilingConfig>;

/** The `fidelity` command's settings. */
export const FidelityConfig = z
  .object({
    /** Exit 1 when the overall score is below this (0…1). */
    minScore: z.number().min(0).max(1).optional(),
  })
  .strict();
export type FidelityConfig = z.infer<typeof FidelityConfig>;

/** Scrubbing: the policy file (a transform per column) that `understudy scan --out` proposes. */
export const ScrubConfig = z
  .object({
    /** Path of the scrub policy (scrub.policy.json), relative to the working directory. */
    policy: z.string().min(1).optional(),
  })
  .strict();
export type ScrubConfig = z.infer<typeof ScrubConfig>;

/** Keys outside generation that a whole run shares (and an environment may set). */
const RunKeys = {
  /** The database to work on (seed's target, the database profile, scan and introspect read); `--url` overrides it, and it overrides DATABASE_URL. */
  url: z.string().min(1).optional().describe('The database to work on; --url overrides it, and it overrides DATABASE_URL.'),
  /** A profile file (`understudy profile --out`): seed to its shape; fidelity scores against it. */
  profile: z.string().min(1).optional().describe('A profile file (understudy profile --out): seed to its shape; fidelity scores against it. Relative to this file.'),
  /** Worker threads of a seed or generate (0: in this thread). */
  workers: z.number().int().min(0).optional().describe('Worker threads of a seed or generate (0: in this thread).'),
};

/**
 * One named environment (`--env NAME`): what differs between a developer's branch, QA and a
 * performance run. Its keys replace the top level's; `tables` is merged table by table; `rows`
 * and `scale` replace each other.
 */
export const EnvironmentConfig = GenerateConfig.pick({ seed: true, rows: true, scale: true, tables: true, only: true, exclude: true, nullRate: true }).extend(RunKeys).strict();
export type EnvironmentConfig = z.infer<typeof EnvironmentConfig>;

export const UnderstudyConfig = GenerateConfig.extend({
  /** The JSON Schema an editor checks a JSON config against (ignored by understudy). */
  $schema: z.string().optional().describe('The JSON Schema an editor checks this file against (ignored by understudy).'),
  ...RunKeys,
  profiling: ProfilingConfig.optional().describe('The profile command: k, analyze, scan.'),
  fidelity: FidelityConfig.optional().describe('The fidelity command: minScore.'),
  rehearse: RehearseConfig.optional().describe('The rehearse command: checks, lockThresholdRows, lockThresholdMs.'),
  scrub: ScrubConfig.optional().describe('Scrubbing: the policy file that understudy scan --out proposes.'),
  /** Named overlays chosen with `--env NAME`, e.g. `{ dev: { rows: 100 }, perf: { scale: 1 } }`. */
  environments: z
    .record(z.string().regex(/^[A-Za-z0-9][\w.-]*$/, { message: 'an environment name is letters, digits, _, . or -' }), EnvironmentConfig)
    .optional()
    .describe("Named overlays chosen with --env NAME (dev, qa, perf…): their keys replace the top level's."),
}).strict();
export type UnderstudyConfig = z.infer<typeof UnderstudyConfig>;
export type UnderstudyConfigInput = z.input<typeof UnderstudyConfig>;

/**
 * Types an `understudy.config.ts` (every section of every command); validation happens when a command loads it.
 *
 * @example
 * ```ts
 * export default defineConfig({ seed: 1, tables: { users: { rows: 100 } }, rehearse: { lockThresholdRows: 50_000 } });
 * ```
 */
export function defineConfig(config: UnderstudyConfigInput): UnderstudyConfigInput {
  return config;
}

/**
 * The JSON Schema of the config (what a JSON config's `"$schema"` names, for editors); the CLI's
 * build writes it to `dist/understudy.config.schema.json`.
 * @example
 * ```ts
 * writeFileSync('understudy.config.schema.json', JSON.stringify(configJsonSchema(), null, 2));
 * ```
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(UnderstudyConfig, { io: 'input', target: 'draft-7' }),
    title: 'understudy.config',
    description: 'The config of every understudy command (see docs/config.md).',
  };
}
