/**
 * A row and the row it references belong to one tenant. A multi-tenant schema keeps a
 * tenant column (`workspace_id`, `tenant_id`, `organization_id`, `namespace`, …) in most
 * tables, and a task's `workspace_id` is its project's: the application writes them so,
 * though no constraint says it (only a composite foreign key would: that one is followed
 * already). Drawn apart, a migration that joins on it (`UPDATE … FROM parent WHERE
 * parent.workspace_id = child.workspace_id`) or backfills through it meets rows production
 * never holds, and fails where production would not.
 *
 * So, with no profile to say otherwise: a child's tenant column takes the value of the same
 * column in the parent row its foreign key picked (generator `via`; its own value where the
 * parent's is NULL), when both columns reference the same key, or, with no foreign key, are
 * of the same type. Only tenant words: a `user_id` or `account_id` of a comment is its
 * author, not the post's.
 *
 * @example
 * ```ts
 * applyTenantRelations(results, table, { schema, tableKey: 'public.tasks', planned: ctx.planned, generated, configured });
 * results.get('workspace_id')!.column.generator; // { name: 'via', params: { pick: 'fk:tasks_project_id_fkey', table: 'public.projects', column: 'workspace_id', … } }
 * ```
 */
import { uniqueKeyColumns, type ForeignKey, type Schema, type Table } from '@understudy/core';
import type { ColumnPlanResult } from './column-planner.js';
import { picksItsParent } from './profile-orders.js';
import type { PlanTable } from './plan-model.js';

/** A column naming the tenant a row belongs to (compared lower-cased, without separators). */
const TENANT_COLUMN = /^(tenant|workspace|organi[sz]ation|org|team|project|company|namespace|realm)(id|key|uuid|name)?$/;

/** Free values a tenant column without a foreign key may take from its parent (keys, sequences and tuples keep theirs). */
const PLAIN_FROM = new Set(['distribution', 'values', 'words', 'letters', 'sentences', 'integer', 'decimal', 'faker', 'uuid', 'regex']);

export interface TenantRelationContext {
  readonly schema: Schema;
  readonly tableKey: string;
  /** A table planned before this one (parents come first); undefined for one planned later (a cycle). */
  readonly planned: (tableKey: string) => PlanTable | undefined;
  /** Tables this plan generates (a kept table's values cannot be read). */
  readonly generated: ReadonlySet<string>;
  /** Columns the user's config sets. */
  readonly configured: ReadonlySet<string>;
}

function isTenantColumn(name: string): boolean {
  return TENANT_COLUMN.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** The single-column foreign key of `column`, if it has one. */
function singleForeignKey(table: Table, column: string): ForeignKey | undefined {
  return table.foreignKeys.find((fk) => fk.columns.length === 1 && fk.columns[0] === column);
}

/** Whether `parent`'s `column` holds what `child`'s does: a reference to the same key, or (neither a reference) a value of the same type. */
function sameTenant(child: Table, parent: Table, column: string): boolean {
  const mine = child.columns.find((c) => c.name === column);
  const theirs = parent.columns.find((c) => c.name === column);
  if (!mine || !theirs) return false;
  const own = singleForeignKey(child, column);
  const other = singleForeignKey(parent, column);
  if (own || other) return own !== undefined && other !== undefined && own.references.table === other.references.table && own.references.columns[0] === other.references.columns[0];
  return mine.rawType === theirs.rawType;
}

/**
 * Sets each tenant column of `table` to its parent row's (see the file comment). A foreign key
 * qualifies when its parent is this table (a tree) or is generated and planned before this table
 * (never in a cycle), and each of its columns is a `reference` of its own pick; the first such key
 * whose parent holds the column wins, a NOT NULL one before others.
 */
export function applyTenantRelations(results: Map<string, ColumnPlanResult>, table: Table, ctx: TenantRelationContext): void {
  // A column of a key (one provider per workspace) keeps its own values: copied from parents, they would repeat.
  const names = table.columns.map((c) => c.name);
  const keyed = new Set([...(table.primaryKey?.columns ?? []), ...table.uniques.flatMap((u) => uniqueKeyColumns(u, names))]);
  const tenantColumns = names.filter((c) => isTenantColumn(c) && !ctx.configured.has(c) && !keyed.has(c));
  if (tenantColumns.length === 0) return;
  const required = (fk: ForeignKey): boolean => fk.columns.every((c) => table.columns.find((x) => x.name === c)?.nullable === false);
  const parents = table.foreignKeys
    .filter((fk) => (fk.references.table === ctx.tableKey || ctx.generated.has(fk.references.table)) && picksItsParent(results, fk))
    .sort((a, b) => Number(required(b)) - Number(required(a)));
  for (const column of tenantColumns) {
    const r = results.get(column);
    const g = r?.column.generator;
    if (!r || !g || r.column.unique) continue;
    const own = singleForeignKey(table, column);
    // A tenant column with a foreign key of its own is a reference of that key's pick; else a free value.
    if (own ? !picksItsParent(results, own) : !PLAIN_FROM.has(g.name)) continue;
    for (const fk of parents) {
      if (fk.columns.includes(column)) continue;
      const parentKey = fk.references.table;
      // A tree of this table (folders in folders): a row takes its parent's, a root keeps its own.
      const self = parentKey === ctx.tableKey;
      const parent = ctx.schema.tables[parentKey];
      const parentColumn = self ? r.column : ctx.planned(parentKey)?.columns.find((c) => c.name === column);
      if (!parent || !parentColumn?.load || !parentColumn.generator || !sameTenant(table, parent, column)) continue;
      results.set(column, {
        ...r,
        column: {
          ...r.column,
          generator: { name: 'via', params: { pick: `fk:${fk.name}`, table: parentKey, column, ...(self ? { self: true } : {}), fallback: g } },
          reason: `${r.column.reason}; ${parentKey}'s, through ${fk.name} (a row and the row it references belong to one ${column})`,
        },
      });
      break;
    }
  }
}
