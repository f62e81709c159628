/**
 * Foreign keys a partitioned table's rows must satisfy: its own, plus those
 * declared only on its partitions (pagila's payment_p2022_01 … each declare
 * `customer_id → customer`). Rows are loaded through the parent and routed to
 * a partition, so the planner treats the partitions' FKs as the parent's.
 *
 * @example
 * ```ts
 * withPartitionForeignKeys(schema, 'public.payment').foreignKeys.map((fk) => fk.name);
 * // ['payment_p2022_01_customer_id_fkey', …] (one per distinct columns → target)
 * ```
 */
import type { Schema, Table } from './schema-model.js';

/** A partitioned table with its partitions' foreign keys (one per distinct columns → target); any other table as it is. */
export function withPartitionForeignKeys(schema: Schema, tableKey: string): Table {
  const table = schema.tables[tableKey]!;
  if (table.kind !== 'partitioned') return table;
  const resolve = (key: string): string => {
    const t = schema.tables[key];
    return t?.kind === 'partition' && t.partitionOf ? resolve(t.partitionOf) : key;
  };
  const signature = (fk: Table['foreignKeys'][number]): string => JSON.stringify([fk.columns, resolve(fk.references.table), fk.references.columns]);
  const seen = new Set(table.foreignKeys.map(signature));
  const added: Table['foreignKeys'][number][] = [];
  for (const key of Object.keys(schema.tables).sort()) {
    const t = schema.tables[key]!;
    if (t.kind !== 'partition' || key === tableKey || resolve(key) !== tableKey) continue;
    for (const fk of t.foreignKeys) {
      const sig = signature(fk);
      if (seen.has(sig)) continue;
      seen.add(sig);
      added.push(fk);
    }
  }
  return added.length === 0 ? table : { ...table, foreignKeys: [...table.foreignKeys, ...added] };
}
