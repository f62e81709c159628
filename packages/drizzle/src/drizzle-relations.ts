/**
 * Links declared only in drizzle relations become `virtual: true` foreign keys, so
 * generation keeps them consistent though the database does not enforce them.
 *
 * A link comes from a classic `one(table, { fields, references })` or a 1.x
 * `defineRelations` relation with `from`/`to` (not `through` a junction table). It
 * is oriented from the side that holds the foreign columns, whichever side declared
 * it: a one-to-one declared from the parent (`fields: [apps.id], references:
 * [credits.appId]`) is the key `credits.appId → apps.id`. The side whose columns are
 * a primary or unique key of their table is the referenced one; of two unique keys, the side whose
 * columns name the other table (`limits.workspace_id` ↔ `workspaces.id`) holds the reference. A link that mirrors
 * a database foreign key, or another relation, in either direction adds nothing; one between
 * columns whose values cannot be equal (`bigint → varchar`) is named in a note and left out.
 *
 * @example
 * ```ts
 * const links = relationLinks(mod, (t) => `public.${mod.orm.getTableName(t)}`);
 * const notes = mergeRelationLinks(tables, links);
 * // tables['public.credits'].foreignKeys: [{ name: 'credits_app_virtual', columns: ['app_id'], virtual: true, … }]
 * ```
 */
import type { Column, ForeignKey, Table } from '@understudy/core';
import type { DrizzleCasing } from './drizzle-config.js';
import type { DrizzleModule, DrizzleTable } from './drizzle-module-loader.js';
import type { DrizzleOrm } from './drizzle-orm-runtime.js';

/** A column as drizzle-orm builds it (the parts read here). */
interface DrizzleColumn {
  readonly name: string;
  readonly keyAsName?: boolean;
  readonly table: DrizzleTable;
}

/** One side of a link: a table key and its columns, in pair order. */
export interface LinkSide {
  readonly table: string;
  readonly columns: readonly string[];
}

/** A relation between two tables, as declared (`from` is the declaring side's columns). */
export interface RelationLink {
  /** The relation's name on the declaring table (`author`). */
  readonly name: string;
  readonly from: LinkSide;
  readonly to: LinkSide;
}

/**
 * The database name of a drizzle column, under drizzle's `casing` option.
 *
 * @example
 * ```ts
 * columnDbName(posts.authorId, orm, 'snake_case'); // 'author_id'
 * ```
 */
export function columnDbName(column: DrizzleColumn, orm: DrizzleOrm, casing?: DrizzleCasing): string {
  if (!column.keyAsName || casing === undefined) return column.name;
  return casing === 'snake_case' ? orm.casing.toSnakeCase(column.name) : orm.casing.toCamelCase(column.name);
}

/**
 * Every relation of the module that names column pairs.
 *
 * @param tableKey the Schema key of a drizzle table (`public.orders`, `shop.orders`).
 * @example
 * ```ts
 * relationLinks(mod, (t) => `public.${mod.orm.getTableName(t)}`);
 * ```
 */
export function relationLinks(mod: DrizzleModule, tableKey: (table: DrizzleTable) => string, casing?: DrizzleCasing): RelationLink[] {
  const { orm } = mod;
  const side = (columns: readonly DrizzleColumn[], table?: DrizzleTable): LinkSide => ({
    table: tableKey(table ?? columns[0]!.table),
    columns: columns.map((c) => columnDbName(c, orm, casing)),
  });
  const links: RelationLink[] = [];
  const helpers = orm.relations['createTableRelationsHelpers'] as ((table: unknown) => unknown) | undefined;
  for (const declared of mod.relations as { table: DrizzleTable; config: (helpers: unknown) => Record<string, unknown> }[]) {
    if (!helpers) break;
    for (const [name, relation] of Object.entries(declared.config(helpers(declared.table)))) {
      if (!orm.is(relation, orm.relations['One'])) continue;
      const config = (relation as { config?: { fields?: DrizzleColumn[]; references?: DrizzleColumn[] } }).config;
      const fields = config?.fields ?? [];
      const references = config?.references ?? [];
      if (fields.length === 0 || fields.length !== references.length) continue;
      links.push({ name, from: side(fields), to: side(references) });
    }
  }
  for (const defined of mod.relationsV2) {
    for (const { table, relations } of Object.values(defined)) {
      for (const [name, relation] of Object.entries(relations)) {
        const r = relation as { sourceColumns?: { _: { column: DrizzleColumn } }[]; targetColumns?: { _: { column: DrizzleColumn } }[]; through?: unknown; targetTable?: DrizzleTable };
        if (r.through || !r.sourceColumns || !r.targetColumns || r.sourceColumns.length === 0 || r.sourceColumns.length !== r.targetColumns.length) continue;
        links.push({
          name,
          from: side(
            r.sourceColumns.map((c) => c._.column),
            table,
          ),
          to: side(
            r.targetColumns.map((c) => c._.column),
            r.targetTable,
          ),
        });
      }
    }
  }
  return links;
}

/**
 * Adds each link, oriented, as a virtual foreign key on the table that holds its
 * foreign columns, unless a foreign key already covers it in either direction.
 *
 * @returns notes for links that join no key on either side (they cannot be a foreign key).
 * @example
 * ```ts
 * mergeRelationLinks(schema.tables, relationLinks(mod, keyOf));
 * ```
 */
export function mergeRelationLinks(tables: Record<string, Table>, links: readonly RelationLink[]): string[] {
  const notes: string[] = [];
  for (const link of links) {
    const a = tables[link.from.table];
    const b = tables[link.to.table];
    if (!a || !b || !hasColumns(a, link.from.columns) || !hasColumns(b, link.to.columns)) continue;
    if (covered(tables, link.from, link.to)) continue;
    const oriented = orient(link, a, b);
    if (!oriented) {
      notes.push(
        `relation ${a.name}.${link.name} (${link.from.columns.join(', ')} → ${b.name}.${link.to.columns.join(', ')}) joins no primary or unique key on either side: not used as a foreign key`,
      );
      continue;
    }
    const [holder, target] = oriented;
    const holderTable = tables[holder.table]!;
    const mismatch = typeMismatch(holderTable, holder.columns, tables[target.table]!, target.columns);
    if (mismatch) {
      notes.push(`relation ${a.name}.${link.name} (${link.from.columns.join(', ')} → ${b.name}.${link.to.columns.join(', ')}) joins ${mismatch}: not used as a foreign key`);
      continue;
    }
    // Declared from the other side, the relation's name is the declaring table's: say whose it is.
    const base = holder === link.from ? `${holderTable.name}_${link.name}_virtual` : `${holderTable.name}_${a.name}_${link.name}_virtual`;
    let name = base;
    for (let n = 2; holderTable.foreignKeys.some((fk) => fk.name === name); n++) name = `${base}_${n}`;
    const foreignKey: ForeignKey = {
      name,
      columns: [...holder.columns],
      references: { table: target.table, columns: [...target.columns] },
      onDelete: 'no action',
      onUpdate: 'no action',
      deferrable: false,
      initiallyDeferred: false,
      virtual: true,
    };
    holderTable.foreignKeys.push(foreignKey);
  }
  return notes;
}

/** Kinds whose values can equal each other (the types a database foreign key could join). */
const KIND_FAMILIES: Readonly<Record<string, readonly Column['kind'][]>> = {
  number: ['tinyint', 'smallint', 'mediumint', 'integer', 'bigint', 'decimal', 'real', 'double', 'money', 'year'],
  text: ['char', 'varchar', 'text', 'citext'],
  bytes: ['binary', 'varbinary', 'blob'],
  time: ['date', 'timestamp', 'timestamptz'],
};

const familyOf = (column: Column): string => `${Object.entries(KIND_FAMILIES).find(([, kinds]) => kinds.includes(column.kind))?.[0] ?? column.kind}${'[]'.repeat(column.arrayDimensions)}`;

/**
 * A relation between columns whose values can never be equal (`bigint → varchar`: a relation
 * written against the wrong column) says so; undefined when every pair can join.
 */
function typeMismatch(holder: Table, columns: readonly string[], target: Table, references: readonly string[]): string | undefined {
  for (const [i, name] of columns.entries()) {
    const from = holder.columns.find((c) => c.name === name)!;
    const to = target.columns.find((c) => c.name === references[i])!;
    if (familyOf(from) !== familyOf(to)) return `a ${from.rawType} to a ${to.rawType}`;
  }
  return undefined;
}

/** [holder, referenced]: the referenced side is the one whose columns are a key of its table. */
function orient(link: RelationLink, a: Table, b: Table): [LinkSide, LinkSide] | undefined {
  const aKey = keyKind(a, link.from.columns);
  const bKey = keyKind(b, link.to.columns);
  if (bKey && !aKey) return [link.from, link.to];
  if (aKey && !bKey) return [link.to, link.from];
  if (!aKey || !bKey) return undefined;
  // Both sides are keys (one-to-one): a primary key does not usually reference a mere unique column.
  if (aKey === 'primary' && bKey === 'unique') return [link.to, link.from];
  if (aKey === 'unique' && bKey === 'primary') return [link.from, link.to];
  // Two unique keys (unkey's `workspaces.id` ↔ `limits.workspace_id`, declared from both sides): the side
  // whose columns are named for the other table holds the reference; the other is that table's own id.
  const aNamesB = namesTable(link.from.columns, b.name);
  const bNamesA = namesTable(link.to.columns, a.name);
  if (bNamesA && !aNamesB) return [link.to, link.from];
  return [link.from, link.to];
}

/** Lower-case words of a name: `workspaceId` → ['workspace', 'id']. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a column names the table (`workspace_id`, `workspaceId` for `workspaces`; `owner_user_id` for `users`). */
function namesTable(columns: readonly string[], table: string): boolean {
  const words = nameWords(table);
  const last = words.at(-1) ?? '';
  const singular = last.endsWith('ies') ? `${last.slice(0, -3)}y` : /(ss|sh|ch|x)es$/.test(last) ? last.slice(0, -2) : last.endsWith('s') && !last.endsWith('ss') ? last.slice(0, -1) : last;
  return columns.some((c) => {
    const w = nameWords(c);
    return w.includes(singular) || w.includes(last);
  });
}

function keyKind(table: Table, columns: readonly string[]): 'primary' | 'unique' | undefined {
  if (table.primaryKey && sameSet(table.primaryKey.columns, columns)) return 'primary';
  const unique = table.uniques.some(
    (u) =>
      !u.where &&
      !u.expressions &&
      sameSet(
        u.columns.filter((c): c is string => c !== null),
        columns,
      ) &&
      !u.columns.includes(null),
  );
  return unique ? 'unique' : undefined;
}

/** A foreign key (real or virtual) between the two sides, in either direction, with the same column pairs. */
function covered(tables: Record<string, Table>, x: LinkSide, y: LinkSide): boolean {
  const matches = (from: LinkSide, to: LinkSide): boolean =>
    (tables[from.table]?.foreignKeys ?? []).some((fk) => fk.references.table === to.table && samePairs(fk.columns, fk.references.columns, from.columns, to.columns));
  return matches(x, y) || matches(y, x);
}

function hasColumns(table: Table, columns: readonly string[]): boolean {
  return columns.every((c) => table.columns.some((col) => col.name === c));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/** Same column pairs, in any order. */
function samePairs(a: readonly string[], aRef: readonly string[], b: readonly string[], bRef: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const pairs = new Set(a.map((c, i) => `${c}\u0000${aRef[i]}`));
  return b.every((c, i) => pairs.has(`${c}\u0000${bRef[i]}`));
}
