/**
 * A planned table as core's `LoadTarget` / `DeferredUpdateTarget`: the columns
 * each encoded row carries, with what an encoder needs to know of them.
 *
 * @example
 * ```ts
 * const writer = await sink.beginTable(loadTarget(plan.tables['public.film']!, 1000));
 * ```
 */
import type { DeferredUpdateTarget, EncoderColumn, LoadTarget } from '@understudy/core';
import { loadColumns, type PlanColumn, type PlanTable } from '../plan/plan-model.js';

/** What an encoder knows of a planned column. */
export function encoderColumn(column: PlanColumn): EncoderColumn {
  return { name: column.name, kind: column.kind, arrayDimensions: column.array?.dimensions ?? 0, rawType: column.rawType };
}

/** The load target of a planned table; `rows` defaults to the planned count (a shard writes fewer). */
export function loadTarget(table: PlanTable, rows = table.rows): LoadTarget {
  return {
    table: table.table,
    columns: loadColumns(table).map(encoderColumn),
    rows,
    ...(table.overridingSystemValue ? { overrideIdentity: true } : {}),
    ...(table.deferredUpdates.length > 0 ? { updatesFollow: true } : {}),
    ...(table.disabledTriggers.length > 0 ? { disableTriggers: table.disabledTriggers } : {}),
  };
}

/** The deferred-update targets of a planned table (one per broken FK): key columns, then set columns. */
export function deferredUpdateTargets(table: PlanTable, rows = table.rows): (DeferredUpdateTarget & { readonly foreignKey: string })[] {
  const byName = (name: string): EncoderColumn => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new Error(`plan: ${table.table} has no column ${name}`);
    return encoderColumn(column);
  };
  return table.deferredUpdates.map((u) => ({
    table: table.table,
    foreignKey: u.foreignKey,
    keyColumns: u.keyColumns.map(byName),
    setColumns: u.columns.map(byName),
    rows,
  }));
}
