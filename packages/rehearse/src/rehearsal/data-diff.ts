/**
 * What the pending migrations did to the data, from two snapshots: per table,
 * rows lost and added (by primary key, when the table was small enough to key
 * every row), and per column the rows whose value changed, NULLs introduced,
 * distinct values, truncation (a type change made the longest value shorter) and dropped
 * columns and tables (all their values lost). Only tables and columns with a
 * change are listed. Rows are not matched by a primary key that changed (`rekeyed`),
 * nor in a partitioned parent (`partitioned`: its rows are its partitions', and a
 * detached partition keeps them). Pure.
 *
 * @example
 * ```ts
 * const changes = diffData(snapshotA, snapshotB);
 * changes.find((t) => t.table === 'public.users')?.columns; // [{ column: 'legacy', dropped: true, … }]
 * ```
 */
import type { ColumnSnapshot, DataSnapshot, Schema, Table, TableSnapshot } from '@understudy/core';
import type { ColumnDataChange, TableDataChange } from '../report/rehearsal-report.js';
import { keyType } from './key-type.js';

function keyDiff(a: TableSnapshot, b: TableSnapshot): { lost: number | null; added: number | null } {
  if (!a.rowChecksums || !b.rowChecksums) return { lost: null, added: null };
  const before = a.rowChecksums;
  const after = b.rowChecksums;
  let lost = 0;
  let added = 0;
  for (const key of Object.keys(before)) if (!(key in after)) lost++;
  for (const key of Object.keys(after)) if (!(key in before)) added++;
  return { lost, added };
}

function changedRows(a: TableSnapshot, b: TableSnapshot, column: string): number | null {
  const before = a.columnValueHashes?.[column];
  const after = b.columnValueHashes?.[column];
  if (!before || !after) return null;
  let changed = 0;
  for (const [key, hash] of Object.entries(before)) {
    const now = after[key];
    if (now !== undefined && now !== hash) changed++;
  }
  return changed;
}

function columnChange(name: string, before: ColumnSnapshot, after: ColumnSnapshot | undefined, changed: number | null, rowsAfter: number, retyped: boolean): ColumnDataChange | undefined {
  if (!after) {
    return { column: name, changedRows: null, nullsBefore: before.nulls, nullsAfter: rowsAfter, distinctBefore: before.distinct, distinctAfter: 0, truncated: false, dropped: true };
  }
  const shorter = before.maxLength != null && after.maxLength != null && after.maxLength < before.maxLength;
  // Cut or rounded by a type change; an UPDATE that writes shorter values is not a truncation.
  const truncated = shorter && changed !== 0 && retyped;
  const differs = (changed ?? 0) > 0 || before.nulls !== after.nulls || before.distinct !== after.distinct || truncated || (changed === null && (before.min !== after.min || before.max !== after.max));
  if (!differs) return undefined;
  return { column: name, changedRows: changed, nullsBefore: before.nulls, nullsAfter: after.nulls, distinctBefore: before.distinct, distinctAfter: after.distinct, truncated, dropped: false };
}

/** The schemas the two snapshots were taken with: they tell a changed key, a changed type and a partitioned parent. */
export interface DiffSchemas {
  readonly before: Schema;
  readonly after: Schema;
}

/** The primary key's columns with their types: a key column dropped and added again under its old name is another key. */
/** A key's columns and their types, integers widened alike (int → bigint keeps the key: its rows still match). */
function keyOf(table: Table | undefined): string {
  return (table?.primaryKey?.columns ?? []).map((name) => `${name} ${keyType(table!.columns.find((c) => c.name === name)?.rawType ?? '')}`).join(', ');
}

/** See the module comment. */
export function diffData(before: DataSnapshot, after: DataSnapshot, schemas?: DiffSchemas): TableDataChange[] {
  const changes: TableDataChange[] = [];
  for (const [table, a] of Object.entries(before.tables)) {
    const b = after.tables[table];
    if (!b) {
      const columns = Object.entries(a.columns).map(([name, c]) => columnChange(name, c, undefined, null, 0, false)!);
      changes.push({ table, rowsBefore: a.rows, rowsAfter: 0, rowsLost: a.rows, rowsAdded: 0, columns, dropped: true });
      continue;
    }
    const tableA = schemas?.before.tables[table];
    const tableB = schemas?.after.tables[table];
    // Rows are matched by primary key only while the key is the same columns: a key swapped for a new one rekeys every row.
    const rekeyed = tableA !== undefined && tableB !== undefined && keyOf(tableA) !== keyOf(tableB);
    // A partitioned parent's rows are its partitions': a partition detached takes its rows along, nothing is lost.
    const partitioned = tableA?.kind === 'partitioned';
    const { lost, added } = rekeyed || partitioned ? { lost: null, added: null } : keyDiff(a, b);
    const columns = Object.entries(a.columns).flatMap(([name, c]) => {
      const typeA = tableA?.columns.find((x) => x.name === name)?.rawType;
      const typeB = tableB?.columns.find((x) => x.name === name)?.rawType;
      const retyped = schemas === undefined || typeA !== typeB;
      const change = columnChange(name, c, b.columns[name], rekeyed ? null : changedRows(a, b, name), b.rows, retyped);
      return change ? [change] : [];
    });
    if (columns.length > 0 || a.rows !== b.rows || (lost ?? 0) > 0 || (added ?? 0) > 0 || rekeyed) {
      // The partitions detached since: their rows left the parent with them.
      const detached = partitioned
        ? Object.entries(schemas!.before.tables)
            .filter(([k, t]) => t.partitionOf === table && schemas!.after.tables[k] !== undefined && schemas!.after.tables[k]!.partitionOf !== table)
            .map(([k]) => k)
        : [];
      const movedTo = detached.length > 0 ? `${detached.join(', ')} (detached)` : undefined;
      changes.push({
        table,
        rowsBefore: a.rows,
        rowsAfter: b.rows,
        rowsLost: lost,
        rowsAdded: added,
        columns,
        dropped: false,
        ...(rekeyed ? { rekeyed: true } : {}),
        ...(partitioned ? { partitioned: true } : {}),
        ...(movedTo ? { movedTo } : {}),
      });
    }
  }
  return changes;
}
