/**
 * The `partitioning` text of a partitioned MySQL/MariaDB table, from its
 * information_schema.PARTITIONS rows: the scheme and the partition list, e.g.
 * `RANGE COLUMNS(from_date) (PARTITION p01 VALUES LESS THAN ('1985-12-31'), …)`.
 *
 * @example
 * ```ts
 * buildPartitioning(rowsOfOneTable); // 'HASH(id) (PARTITION p0, PARTITION p1)'
 * ```
 */
import { text, type PartitionRow } from './mysql-introspect-queries.js';

/** Removes backticks around plain identifiers: `` `from_date` `` → `from_date`. */
function plainIdentifiers(expression: string): string {
  return expression.replace(/`([A-Za-z_][A-Za-z0-9_$]*)`/g, '$1');
}

function bound(method: string, description: string | null): string {
  if (description === null) return '';
  if (method.startsWith('RANGE')) return ` VALUES LESS THAN (${description === 'MAXVALUE' ? 'MAXVALUE' : description})`;
  if (method.startsWith('LIST')) return ` VALUES IN (${description})`;
  return '';
}

/** `undefined` for a table that is not partitioned. */
export function buildPartitioning(rows: readonly PartitionRow[]): string | undefined {
  const first = rows[0];
  if (!first) return undefined;
  const method = (text(first.partition_method) ?? '').toUpperCase();
  const expression = plainIdentifiers(text(first.partition_expression) ?? '');
  let scheme = `${method}(${expression})`;
  const subMethod = text(first.subpartition_method);
  if (subMethod) {
    scheme += ` SUBPARTITION BY ${subMethod.toUpperCase()}(${plainIdentifiers(text(first.subpartition_expression) ?? '')})`;
  }
  const seen = new Set<string>();
  const partitions: string[] = [];
  for (const row of rows) {
    const name = text(row.partition_name) ?? '';
    if (seen.has(name)) continue; // one row per subpartition
    seen.add(name);
    partitions.push(`PARTITION ${name}${bound(method, text(row.partition_description))}`);
  }
  return `${scheme} (${partitions.join(', ')})`;
}
