/**
 * Keeps rows of a partitioned table inside its partitions: a row whose key
 * fits no partition is refused by the database. RANGE partitions on one column
 * become windows [from, to) for that column; LIST partitions become allowed
 * values. A DEFAULT partition takes anything, so it lifts the restriction.
 *
 * @example
 * ```ts
 * partitionRouting(schema, 'public.payment');
 * // { column: 'payment_date', windows: [['2022-01-01 00:00:00+00', '2022-02-01 00:00:00+00'], …] }
 * ```
 */
import type { Schema } from '@understudy/core';

export interface PartitionRouting {
  readonly column: string;
  readonly windows?: Array<[string, string]>;
  readonly values?: string[];
  readonly notes: string[];
}

function literals(text: string): string[] {
  const out: string[] = [];
  const re = /'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?)|\b(MINVALUE|MAXVALUE)\b/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? m[3]!.toUpperCase()));
  return out;
}

/** How rows must be routed into the partitions of `tableKey`, or undefined when there is nothing to respect. */
export function partitionRouting(schema: Schema, tableKey: string): PartitionRouting | undefined {
  const table = schema.tables[tableKey];
  if (!table || table.kind !== 'partitioned' || !table.partitioning) return undefined;
  const m = /PARTITION\s+BY\s+(RANGE|LIST|HASH)\s*\(\s*"?([A-Za-z_][A-Za-z0-9_$]*)"?\s*\)\s*$/i.exec(table.partitioning.trim());
  if (!m) {
    return { column: '', notes: [`partitioning "${table.partitioning}" is not understood: rows may not fit a partition`] };
  }
  const method = m[1]!.toUpperCase();
  const column = m[2]!;
  if (method === 'HASH') return undefined;
  const partitions = Object.entries(schema.tables).filter(([, t]) => t.kind === 'partition' && t.partitionOf === tableKey);
  if (partitions.some(([, t]) => /\bDEFAULT\b/i.test(t.partitioning ?? ''))) return undefined;
  const notes: string[] = [];
  if (method === 'LIST') {
    const values: string[] = [];
    for (const [, t] of partitions) {
      const inList = /FOR\s+VALUES\s+IN\s*\((.*)\)/is.exec(t.partitioning ?? '');
      if (inList) values.push(...literals(inList[1]!));
    }
    return values.length > 0 ? { column, values, notes } : { column, notes: ['no LIST partition bounds found'] };
  }
  const windows: Array<[string, string]> = [];
  for (const [key, t] of partitions) {
    const r = /FOR\s+VALUES\s+FROM\s*\((.*?)\)\s*TO\s*\((.*?)\)/is.exec(t.partitioning ?? '');
    if (!r) {
      notes.push(`partition ${key}: bound "${t.partitioning ?? ''}" is not understood`);
      continue;
    }
    const from = literals(r[1]!)[0];
    const to = literals(r[2]!)[0];
    if (from === undefined || to === undefined || from === 'MINVALUE' || to === 'MAXVALUE') {
      notes.push(`partition ${key}: open bound (MINVALUE/MAXVALUE) is not used for generation`);
      continue;
    }
    windows.push([from, to]);
  }
  return windows.length > 0 ? { column, windows: windows.sort((a, b) => (a[0] < b[0] ? -1 : 1)), notes } : { column, notes };
}
