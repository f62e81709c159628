/**
 * `scan --update FILE`: a reviewed policy brought up to date with the database. Rules
 * already in the policy are kept as written; columns the database gained get scan's
 * proposal; columns it lost are dropped. Returns what changed, for the user to review.
 *
 * @example
 * ```ts
 * const { policy, added, removed } = updatePolicy(old, policyFromScan(report));
 * ```
 */
import type { ScrubPolicy } from '../scrub-policy.js';

export interface PolicyUpdate {
  readonly policy: ScrubPolicy;
  /** `schema.table.column` → the transform proposed for it. */
  readonly added: ReadonlyArray<{ readonly column: string; readonly transform: string }>;
  readonly removed: readonly string[];
}

export function updatePolicy(previous: ScrubPolicy, scanned: ScrubPolicy): PolicyUpdate {
  const added: { column: string; transform: string }[] = [];
  const removed: string[] = [];
  const tables: ScrubPolicy['tables'] = {};
  for (const [key, table] of Object.entries(scanned.tables)) {
    const old = previous.tables[key]?.columns ?? {};
    const columns: ScrubPolicy['tables'][string]['columns'] = {};
    for (const [name, rule] of Object.entries(table.columns)) {
      const kept = old[name];
      if (kept) columns[name] = kept;
      else {
        columns[name] = rule;
        added.push({ column: `${key}.${name}`, transform: rule.transform });
      }
    }
    for (const name of Object.keys(old)) if (!(name in table.columns)) removed.push(`${key}.${name}`);
    const foreignKeys = previous.tables[key]?.foreignKeys;
    tables[key] = foreignKeys ? { columns, foreignKeys } : { columns };
  }
  for (const key of Object.keys(previous.tables)) if (!(key in scanned.tables)) removed.push(`${key} (table)`);
  return { policy: { ...scanned, tables }, added, removed };
}
