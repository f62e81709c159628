/**
 * The user's generation config (a file such as `understudy.config.ts`):
 * per-table row counts, per-column generators, NULL rates, and generators for
 * CHECKs Understudy cannot interpret.
 *
 * @example
 * ```ts
 * export default defineConfig({
 *   seed: 42,
 *   tables: {
 *     'public.customer': {
 *       rows: 5000,
 *       columns: {
 *         first_name: { generator: 'faker', method: 'person.firstName' },
 *         tier: { values: ['free', 'pro', 'enterprise'], weights: [80, 15, 5] },
 *         notes: { nullRate: 0.5 },
 *       },
 *       checks: { code_is_luhn: { column: 'code', generator: 'template', params: { pattern: '####-####' } } },
 *     },
 *   },
 * });
 * ```
 */
import { TargetConfig } from '../target-config.js';
import { z } from 'zod';

const ScalarValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const ColumnConfig = z
  .object({
    /** `faker` (with `method`) or any generator name (`integer`, `template`, `regex`, …). */
    generator: z.string().optional(),
    /** For `faker`: `module.method`, e.g. `person.firstName`. */
    method: z.string().optional(),
    /** For `faker`: arguments passed to the method. */
    args: z.array(z.unknown()).optional(),
    /** For `faker`: the property to take from an object result (`location.language` → `alpha2`). */
    pick: z.string().optional(),
    /** For other generators: their params. */
    params: z.record(z.string(), z.unknown()).optional(),
    /** A fixed list to choose from (`null` allowed), optionally weighted. */
    values: z.array(ScalarValue).min(1).optional(),
    weights: z.array(z.number().nonnegative()).optional(),
    nullRate: z.number().min(0).max(1).optional(),
    /** Why this column gets this generator, shown in the plan (default "config"). */
    reason: z.string().optional(),
  })
  .strict()
  .refine((c) => !(c.values && c.generator), { message: 'give either values or generator, not both' })
  .refine((c) => !(c.generator === 'faker' && !c.method), { message: 'generator "faker" needs a method, e.g. person.firstName' })
  .refine((c) => !(c.weights && (!c.values || c.values.length !== c.weights.length)), { message: 'weights need one number per value' });
export type ColumnConfig = z.infer<typeof ColumnConfig>;

export const CheckConfig = z.union([
  z.object({ ignore: z.literal(true) }).strict(),
  z
    .object({
      /** The column whose generator satisfies the CHECK. */
      column: z.string(),
      generator: z.string().optional(),
      method: z.string().optional(),
      args: z.array(z.unknown()).optional(),
      pick: z.string().optional(),
      params: z.record(z.string(), z.unknown()).optional(),
      values: z.array(ScalarValue).min(1).optional(),
      weights: z.array(z.number().nonnegative()).optional(),
    })
    .strict(),
]);
export type CheckConfig = z.infer<typeof CheckConfig>;

export const TableConfig = z
  .object({
    rows: z.number().int().min(0).optional(),
    columns: z.record(z.string(), ColumnConfig).optional(),
    checks: z.record(z.string(), CheckConfig).optional(),
  })
  .strict();
export type TableConfig = z.infer<typeof TableConfig>;

export const GenerateConfig = z
  .object({
    seed: z.union([z.string(), z.number()]).optional(),
    /** Rows per table when nothing else says (default 1000). */
    rows: z.number().int().min(0).optional(),
    /** Multiply each table's row estimate by this. */
    scale: z.number().positive().optional(),
    locale: z.string().optional(),
    /** "Now" for generated data, ISO (default 2025-01-01T00:00:00Z). */
    referenceTime: z.string().optional(),
    /** NULL rate for nullable columns with no other rule (default 0.1). */
    nullRate: z.number().min(0).max(1).optional(),
    /** Keyed by `schema.table` or, when unambiguous, `table`. */
    tables: z.record(z.string(), TableConfig).optional(),
    /** Load only the tables matching these patterns (`users`, `public.*`, `*_log`); the others keep their rows. */
    only: z.array(z.string()).optional(),
    /** Do not load the tables matching these patterns; they keep their rows. */
    exclude: z.array(z.string()).optional(),
    /**
     * User triggers during a load: `disable` (default where the engine can: as a restore tool does,
     * since the rows already satisfy the schema; triggers that fill another table or set a column
     * the load leaves to them still run) or `run` (all of them fire on every row).
     */
    triggers: z.enum(['disable', 'run']).optional(),
    /** About the database a seed writes into (hosts declared local, lock timeout), not the data: see TargetConfig. */
    target: TargetConfig.optional(),
  })
  .strict();
export type GenerateConfig = z.infer<typeof GenerateConfig>;
export type GenerateConfigInput = z.input<typeof GenerateConfig>;

/** The keys of GenerateConfig: the part of the config a plan is built from. */
export const GENERATE_CONFIG_KEYS = Object.keys(GenerateConfig.shape) as ReadonlyArray<keyof GenerateConfig>;
