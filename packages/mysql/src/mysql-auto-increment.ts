/**
 * InnoDB never rolls an AUTO_INCREMENT counter back: a rolled-back load of rows with keys up to
 * 65,535 leaves a SMALLINT table's counter at 65,535, and the application's next INSERT fails.
 * A load reads every counter before it starts (`readTargetTables`) and, when it rolls back,
 * sets back those that moved. `ALTER TABLE t AUTO_INCREMENT = n` never goes below
 * `MAX(key) + 1` (InnoDB and MyISAM both raise it to that), so rows another session committed
 * meanwhile keep their keys.
 *
 * @example
 * ```ts
 * const before = await readTargetTables(run, schema);
 * // … load, fail, ROLLBACK …
 * const left = await restoreAutoIncrements(run, schema, before); // [] when every counter is back
 * ```
 */
import type { Schema } from '@understudy/core';
import { driverMessage } from './mysql-errors.js';
import { quoteId } from './mysql-load-sql.js';
import { keyOf, readTargetTables, type RunSql, type TargetTable } from './mysql-target-tables.js';

/**
 * Sets back every AUTO_INCREMENT counter of the schema's namespaces that moved since `before`.
 * @returns what could not be set back, each with the statement that would (empty when all are back).
 * @example
 * ```ts
 * await restoreAutoIncrements(run, schema, before);
 * ```
 */
export async function restoreAutoIncrements(run: RunSql, schema: Pick<Schema, 'tables'>, before: ReadonlyMap<string, TargetTable>): Promise<string[]> {
  const left: string[] = [];
  if (![...before.values()].some((t) => t.autoIncrement !== null)) return left;
  let now: Map<string, TargetTable>;
  try {
    now = await readTargetTables(run, schema);
  } catch (error) {
    return [...before.values()]
      .filter((t) => t.autoIncrement !== null)
      .map(
        (t) =>
          `could not read the AUTO_INCREMENT of ${keyOf(t)} (${driverMessage(error, undefined)}); if it moved, set it back with ALTER TABLE ${quoteId(t.schema)}.${quoteId(t.name)} AUTO_INCREMENT = ${t.autoIncrement}`,
      );
  }
  for (const [key, was] of before) {
    const is = now.get(key)?.autoIncrement;
    if (was.autoIncrement === null || is === null || is === undefined || is <= was.autoIncrement) continue;
    const statement = `ALTER TABLE ${quoteId(was.schema)}.${quoteId(was.name)} AUTO_INCREMENT = ${was.autoIncrement}`;
    try {
      await run(`setting back the AUTO_INCREMENT of ${key}`, statement);
    } catch (error) {
      left.push(`the AUTO_INCREMENT of ${key} is ${is}, was ${was.autoIncrement} (${driverMessage(error, undefined)}): run ${statement}`);
    }
  }
  return left;
}
