/**
 * Foreign keys declared only in the scrub policy (`tables["public.orders"].foreignKeys`), added
 * to the source's schema as `virtual: true` foreign keys. Everything downstream reads the schema:
 * the plan gives the referencing columns the referenced key's function (a permuted `users.id`
 * is followed in `orders.user_ref`), the subset's closure keeps the parents of kept rows, and
 * audit counts the joins.
 *
 * @example
 * ```ts
 * const schema = withPolicyForeignKeys(await connection.introspect(), policy, 'scrub.policy.json');
 * schema.tables['public.orders'].foreignKeys.at(-1); // { name: 'orders_user_ref_virtual', virtual: true, … }
 * ```
 */
import { UsageError, type ForeignKey, type Schema, type ScrubPolicy } from '@understudy/core';

/**
 * The schema with the policy's foreign keys added (a copy; the schema passed in is not changed).
 * @throws UsageError naming the policy, the table and the column when a table or column does not exist.
 */
export function withPolicyForeignKeys(schema: Schema, policy: ScrubPolicy, policyFile = 'scrub.policy.json'): Schema {
  const declared = Object.entries(policy.tables).filter(([, rules]) => (rules.foreignKeys?.length ?? 0) > 0);
  if (declared.length === 0) return schema;
  const tables = { ...schema.tables };
  for (const [key, rules] of declared) {
    const child = tables[key];
    const where = `${policyFile}: tables.${key}.foreignKeys`;
    if (!child) throw new UsageError(`${where}: the source has no table ${key}`);
    const added: ForeignKey[] = [];
    for (const fk of rules.foreignKeys!) {
      const parent = schema.tables[fk.references.table];
      if (!parent) {
        throw new UsageError(`${where}: ${fk.columns.join(', ')} references ${fk.references.table}, which the source does not have`, {
          hint: 'Name the referenced table as the policy names tables: schema.table.',
        });
      }
      for (const c of fk.columns) if (!child.columns.some((x) => x.name === c)) throw new UsageError(`${where}: ${key} has no column ${c}`);
      for (const c of fk.references.columns) {
        if (!parent.columns.some((x) => x.name === c)) throw new UsageError(`${where}: ${fk.references.table} has no column ${c}`);
      }
      added.push({
        name: fk.name ?? `${child.name}_${fk.columns.join('_')}_virtual`,
        columns: [...fk.columns],
        references: { table: fk.references.table, columns: [...fk.references.columns] },
        onDelete: 'no action',
        onUpdate: 'no action',
        deferrable: false,
        initiallyDeferred: false,
        virtual: true,
      });
    }
    tables[key] = { ...child, foreignKeys: [...child.foreignKeys, ...added] };
  }
  return { ...schema, tables };
}
