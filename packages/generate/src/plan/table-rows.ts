/**
 * How many rows each table gets: `tableRows` (options) > config `tables.<t>.rows`
 * > `scale` × the table's row estimate (a partitioned table's estimate is the sum
 * of its partitions'; below 1, small and lookup tables and the parents a unique key
 * needs keep more: see scaled-rows.ts) > `rows` (options) > config `rows` > 1000.
 *
 * @example
 * ```ts
 * planRowCounts(schema, loadOrder, { rows: 50, tableRows: { 'public.film': 10 } }, config).rows;
 * // Map { 'public.actor' => 50, 'public.film' => 10, … }
 * ```
 */
import type { Schema } from '@understudy/core';
import type { TableConfig } from './generate-config.js';
import { scaleRows } from './scaled-rows.js';

export const DEFAULT_ROWS = 1000;

export interface RowOptions {
  readonly rows?: number;
  readonly scale?: number;
  /** Resolved table keys. */
  readonly tableRows?: ReadonlyMap<string, number>;
  readonly configRows?: number;
}

function estimateOf(schema: Schema, key: string): number | null {
  const table = schema.tables[key]!;
  if (table.kind === 'partitioned') {
    const parts = Object.values(schema.tables).filter((t) => t.kind === 'partition' && `${t.partitionOf}` === key);
    const known = parts.map((t) => t.rowEstimate).filter((n): n is number => n !== null && n >= 0);
    if (known.length > 0) return known.reduce((a, b) => a + b, 0) + Math.max(0, table.rowEstimate ?? 0);
  }
  return table.rowEstimate === null || table.rowEstimate < 0 ? null : table.rowEstimate;
}

export function planRowCounts(schema: Schema, tables: readonly string[], options: RowOptions, config: ReadonlyMap<string, TableConfig>): { rows: Map<string, number>; notes: Map<string, string> } {
  const base = options.rows ?? options.configRows ?? DEFAULT_ROWS;
  const explicit = (key: string): number | undefined => options.tableRows?.get(key) ?? config.get(key)?.rows;
  const { scale } = options;
  const estimates = new Map<string, number>();
  for (const key of tables) {
    const estimate = estimateOf(schema, key);
    if (explicit(key) === undefined && estimate !== null) estimates.set(key, estimate);
  }
  const scaled = scale === undefined ? undefined : scaleRows(schema, estimates, scale);
  const rows = new Map<string, number>();
  // A table with no estimate: scale × the default count.
  for (const key of tables) rows.set(key, explicit(key) ?? scaled?.rows.get(key) ?? (scale === undefined ? base : Math.round(scale * base)));
  return { rows, notes: scaled?.notes ?? new Map() };
}
