/**
 * What `--truncate` must not do: empty a table that a table it leaves alone
 * (kept: left out with --only/--exclude, a bookkeeping table) references with
 * rows, which would leave those rows without their parents (PostgreSQL refuses
 * the TRUNCATE; MySQL would delete with FK checks off and leave orphans).
 *
 * @example
 * ```ts
 * const refs = referencesFromKept(schema, new Set(['public.users']));
 * // [{ child: 'public.audit_log', parent: 'public.users', foreignKey: 'audit_log_user_id_fkey' }]
 * ```
 */
import { UsageError } from './errors.js';
import type { Schema } from './schema-model.js';

export interface KeptReference {
  readonly child: string;
  readonly parent: string;
  readonly foreignKey: string;
}

/** The foreign keys from tables outside `emptied` to tables inside it (partitions resolved to their parent). */
export function referencesFromKept(schema: Schema, emptied: ReadonlySet<string>): KeptReference[] {
  const parentOf = (key: string): string => {
    const t = schema.tables[key];
    return t?.kind === 'partition' && t.partitionOf ? parentOf(t.partitionOf) : key;
  };
  const out: KeptReference[] = [];
  for (const [key, table] of Object.entries(schema.tables)) {
    const child = parentOf(key);
    if (emptied.has(child)) continue;
    for (const fk of table.foreignKeys) {
      if (fk.virtual) continue;
      const parent = parentOf(fk.references.table);
      if (emptied.has(parent) && parent !== child) out.push({ child, parent, foreignKey: fk.name });
    }
  }
  return out;
}

/**
 * The error for references from kept tables that have rows (`found`), naming them.
 * @example
 * ```ts
 * throw keptReferenceError([{ child: 'public.audit_log', parent: 'public.users', foreignKey: 'fk' }], 'postgres://…/app');
 * ```
 */
export function keptReferenceError(found: readonly KeptReference[], target: string): UsageError {
  const list = found
    .slice(0, 5)
    .map((r) => `${r.child} (${r.foreignKey} → ${r.parent})`)
    .join(', ');
  const parents = [...new Set(found.map((r) => r.parent))];
  const children = [...new Set(found.map((r) => r.child))];
  return new UsageError(
    `--truncate would empty ${parents.join(', ')} on ${target}, but rows of tables the seed leaves as they are reference ${parents.length === 1 ? 'it' : 'them'}: ${list}${found.length > 5 ? `, and ${found.length - 5} more` : ''}`,
    { hint: `Load ${children.join(', ')} too (drop it from --exclude, or add it to --only), or leave ${parents.join(', ')} out as well. Nothing was changed.` },
  );
}
