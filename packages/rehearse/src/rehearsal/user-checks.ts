/**
 * User checks: named queries from the config, run on the rehearsal database at
 * A (before the pending migrations), B (after them) and C (after the downs);
 * a check passes when its result changed from A to B exactly when it was
 * expected to (`expectChange`), and its query ran each time.
 *
 * @example
 * ```ts
 * const a = await runChecks(target, checks);
 * // … migrations …
 * const reports = checkReports(checks, a, await runChecks(target, checks));
 * ```
 */
import type { RehearsalTarget } from '@understudy/core';
import type { UserCheckReport } from '../report/rehearsal-report.js';
import type { RehearseCheck } from './rehearse-config.js';
import { errorText } from './statement-text.js';

/** One run of a check: its rows, or the error. */
export type CheckResult = { readonly rows: unknown } | { readonly error: string };

/** Runs every check's query; a failing query is recorded, not thrown. */
export async function runChecks(target: RehearsalTarget, checks: readonly RehearseCheck[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (!target.query) {
      results.push({ error: `${target.description} cannot run queries for checks` });
      continue;
    }
    try {
      results.push({ rows: await target.query(check.query) });
    } catch (error) {
      results.push({ error: errorText(error) });
    }
  }
  return results;
}

function rowsOf(result: CheckResult | undefined): unknown {
  return result && 'rows' in result ? result.rows : null;
}

/** Compares the runs at A, B (and C) into reports. */
export function checkReports(checks: readonly RehearseCheck[], before: readonly CheckResult[], after: readonly CheckResult[], afterDown?: readonly CheckResult[]): UserCheckReport[] {
  return checks.map((check, i) => {
    const error = [before[i], after[i], afterDown?.[i]].find((r): r is { error: string } => r !== undefined && 'error' in r)?.error;
    const changed = JSON.stringify(rowsOf(before[i])) !== JSON.stringify(rowsOf(after[i]));
    return {
      name: check.name,
      query: check.query,
      before: rowsOf(before[i]),
      after: rowsOf(after[i]),
      ...(afterDown ? { afterDown: rowsOf(afterDown[i]) } : {}),
      changed,
      expectChange: check.expectChange,
      status: error === undefined && changed === check.expectChange ? 'passed' : 'failed',
      ...(error !== undefined ? { error } : {}),
    };
  });
}
