/**
 * References a schema does not declare: many production schemas (Rails apps,
 * PlanetScale, MySQL with MyISAM) have no foreign keys, so `tickets.user_id`
 * would be a random number that points at no user. A column named
 * `<entity>_id` (`user_id`, `assigneeUserId`, `owner_user_id`) with no foreign
 * key, whose entity names exactly one loaded table (`users`, `user`) with a
 * one-column primary key of the same type family (and, for text, no longer than
 * the column), becomes a virtual foreign
 * key to it: its values are picked from that table's rows. The plan's reason
 * says so (`implicit reference → public.users(id)`), and a config generator for
 * the column wins.
 *
 * @example
 * ```ts
 * const { schema: withRefs, added } = withImplicitReferences(schema, new Set());
 * // added: [{ table: 'public.tickets', column: 'user_id', references: 'public.users' }]
 * ```
 */
import type { Column, Schema, Table } from '@understudy/core';
import { nameTokens, singular } from '../infer/name-tokens.js';
import { FAMILY_KINDS } from '../infer/semantic-kinds.js';

/** The name prefix of an implicit reference's foreign key. */
export const IMPLICIT_REFERENCE = 'implicit_reference';

export interface ImplicitReference {
  readonly table: string;
  readonly column: string;
  readonly references: string;
  readonly referencedColumn: string;
}

function family(column: Column): string | undefined {
  for (const [name, kinds] of Object.entries(FAMILY_KINDS)) if (kinds.includes(column.kind)) return name;
  return undefined;
}

/** Loaded tables by their singular lower-case name (`users` and `user` → `user`). */
function tablesByEntity(schema: Schema, tables: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of tables) {
    const entity = nameTokens(schema.tables[key]!.name).map(singular).join('_');
    out.set(entity, [...(out.get(entity) ?? []), key]);
  }
  return out;
}

function referenceOf(schema: Schema, tableKey: string, table: Table, column: Column, entities: Map<string, string[]>): ImplicitReference | undefined {
  const tokens = nameTokens(column.name);
  if (tokens.length < 2 || tokens[tokens.length - 1] !== 'id') return undefined;
  const words = tokens.slice(0, -1).map(singular);
  // The longest suffix of the name that is an entity: owner_user_id → owner_user, then user.
  for (let start = 0; start < words.length; start++) {
    const candidates = entities.get(words.slice(start).join('_'));
    if (!candidates) continue;
    // One table of that name, the same schema first.
    const same = candidates.filter((k) => schema.tables[k]!.schema === table.schema);
    const target = same.length === 1 ? same[0] : candidates.length === 1 ? candidates[0] : undefined;
    if (target === undefined || target === tableKey) return undefined;
    const parent = schema.tables[target]!;
    const pk = parent.primaryKey?.columns;
    if (pk?.length !== 1) return undefined;
    const key = parent.columns.find((c) => c.name === pk[0]);
    if (!key || family(key) === undefined || family(key) !== family(column)) return undefined;
    // The parent's keys must fit: a varchar(64) column cannot hold a varchar(256) key's values.
    if (family(key) === 'text' && column.length !== undefined && column.length !== null && (key.length === undefined || key.length === null || key.length > column.length)) return undefined;
    return { table: tableKey, column: column.name, references: target, referencedColumn: key.name };
  }
  return undefined;
}

/** See the module comment. `configured`: `table.column` keys the config gives a generator (left alone). */
export function withImplicitReferences(schema: Schema, tables: readonly string[], configured: ReadonlySet<string>): { schema: Schema; added: ImplicitReference[] } {
  const entities = tablesByEntity(schema, tables);
  const added: ImplicitReference[] = [];
  const patched: Record<string, Table> = {};
  for (const key of tables) {
    const table = schema.tables[key]!;
    // Declared keys, and foreign keys declared on its partitions only (bound to the parent elsewhere).
    const partitions = Object.values(schema.tables).filter((t) => t.kind === 'partition' && t.partitionOf === key);
    const taken = new Set([...[table, ...partitions].flatMap((t) => t.foreignKeys.flatMap((f) => f.columns)), ...(table.primaryKey?.columns ?? [])]);
    const refs = table.columns
      .filter((c) => !taken.has(c.name) && !c.generated && !configured.has(`${key}.${c.name}`))
      .map((c) => referenceOf(schema, key, table, c, entities))
      .filter((r): r is ImplicitReference => r !== undefined);
    if (refs.length === 0) continue;
    added.push(...refs);
    patched[key] = {
      ...table,
      foreignKeys: [
        ...table.foreignKeys,
        ...refs.map((r) => ({
          name: `${IMPLICIT_REFERENCE}_${r.column}`,
          columns: [r.column],
          references: { table: r.references, columns: [r.referencedColumn] },
          onDelete: 'no action' as const,
          onUpdate: 'no action' as const,
          deferrable: false,
          initiallyDeferred: false,
          virtual: true,
        })),
      ],
    };
  }
  return added.length === 0 ? { schema, added } : { schema: { ...schema, tables: { ...schema.tables, ...patched } }, added };
}
