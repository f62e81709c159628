/**
 * The `rehearse` section of a config file: user checks (named SQL queries run
 * before the pending migrations, after them, and after their downs, whose
 * results are compared) and the long-lock threshold.
 *
 * @example
 * ```ts
 * // understudy.config.ts
 * export default {
 *   seed: 42,
 *   rehearse: {
 *     lockThresholdRows: 50_000,
 *     checks: [
 *       { name: 'orders per user', query: 'select user_id, count(*) from orders group by 1 order by 1' },
 *       { name: 'legacy column dropped', query: "select count(*) from information_schema.columns where column_name = 'legacy'", expectChange: true },
 *     ],
 *   },
 * };
 * ```
 */
import { z } from 'zod';

/** Tables above this many rows (in the rehearsal) make an ACCESS EXCLUSIVE lock a `long-lock` hazard. */
export const DEFAULT_LOCK_THRESHOLD_ROWS = 10_000;

export const RehearseCheck = z
  .object({
    name: z.string().min(1),
    /** A read-only query; its rows are compared between the snapshots. */
    query: z.string().min(1),
    /**
     * The migrations are meant to change this result. Also acknowledges data loss in any table
     * the query names (a dropped column you meant to drop is then not a hazard).
     */
    expectChange: z.boolean().default(false),
  })
  .strict();
export type RehearseCheck = z.infer<typeof RehearseCheck>;

export const RehearseConfig = z
  .object({
    checks: z.array(RehearseCheck).default([]),
    lockThresholdRows: z.number().int().nonnegative().optional(),
    /** With estimates at production size (`--target-rows`, `--profile`): a blocking lock estimated longer than this many ms is a hazard. */
    lockThresholdMs: z.number().nonnegative().optional(),
  })
  .strict();
export type RehearseConfig = z.infer<typeof RehearseConfig>;
export type RehearseConfigInput = z.input<typeof RehearseConfig>;
