/**
 * The `target` section of the config: settings about the database a seed writes
 * into, not about the data. `localHosts` tells the production guard which hosts are
 * scratch databases; `lockTimeout` bounds how long a statement of the load waits for
 * a lock another session holds.
 *
 * @example
 * ```ts
 * export default defineConfig({
 *   target: { localHosts: ['*.preview.svc.cluster.local', '10.8.0.0/16'], lockTimeout: '30s' },
 * });
 * ```
 */
import { z } from 'zod';
import { UsageError } from './errors.js';

/** How long a statement of a load waits for a lock when nothing else says. */
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, min: 60_000, m: 60_000 };

/**
 * Milliseconds of a duration: a number of seconds (`10`, `0.5`), or a number and a unit (`500ms`, `10s`, `2min`).
 * @returns undefined when `value` is not a duration.
 * @example
 * ```ts
 * parseDuration('1.5s'); // 1500
 * parseDuration(30);     // 30000
 * ```
 */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m)?\s*$/i.exec(value);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]!;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/**
 * The milliseconds of `--lock-timeout` (or of the config's `target.lockTimeout`, named by `where`).
 * @throws UsageError naming `where` when it is not a duration.
 * @example
 * ```ts
 * lockTimeoutMs('30s', '--lock-timeout'); // 30000
 * ```
 */
export function lockTimeoutMs(value: string | number, where: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms > 2_147_483_647) {
    throw new UsageError(`${where} must be a duration such as 10s, 500ms or 2min (a bare number is seconds; 0 waits without limit), got ${JSON.stringify(value)}`);
  }
  return ms;
}

export const TargetConfig = z
  .object({
    /**
     * Hosts that are scratch databases, which the production guard lets a seed write to:
     * a name (`db`), a suffix pattern (`*.preview.svc.cluster.local`) or an IPv4 range (`10.8.0.0/16`).
     */
    localHosts: z.array(z.string().min(1)).optional(),
    /** How long a statement of the load waits for a lock another session holds: seconds, or `500ms`, `10s`, `2min`; 0 waits without limit (default 10 s). */
    lockTimeout: z.union([z.number().nonnegative(), z.string().refine((s) => parseDuration(s) !== undefined, { message: 'a duration such as 10s, 500ms or 2min' })]).optional(),
  })
  .strict();
export type TargetConfig = z.infer<typeof TargetConfig>;
