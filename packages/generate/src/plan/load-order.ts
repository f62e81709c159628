/**
 * The order a plan loads its tables in: parents before children (the FK graph's
 * constraint), and among the tables free to go next, the one that leads to the
 * most work for the database first (see core's `prioritizedLoadOrder`). The
 * database is what a seed waits on; starting it on film (an INSERT trigger per
 * row, a GiST index) while the small tables are still being generated, instead
 * of after them, keeps it busy from the start.
 *
 * @example
 * ```ts
 * planLoadOrder(schema, graph, loadable, rows); // ['public.language', 'public.film', 'public.actor', …]
 * ```
 */
import { prioritizedLoadOrder, type FkGraph, type Schema, type Table } from '@understudy/core';

/** Index methods that cost the database far more per row than a B-tree: PostgreSQL's GiST, GIN, SP-GiST; MySQL's FULLTEXT and SPATIAL. */
const HEAVY_INDEX = /^(gist|gin|spgist|fulltext|spatial)$/i;

/**
 * A rough, unitless measure of what loading a table costs the database per row: its
 * columns, one per index, and much more for each row trigger on INSERT and each GiST/GIN index.
 */
export function databaseCostPerRow(table: Table): number {
  const triggers = (table.triggers ?? []).filter((t) => t.events.includes('insert')).length;
  const heavy = table.indexes.filter((i) => HEAVY_INDEX.test(i.method)).length;
  return table.columns.length + table.indexes.length + 8 * triggers + 8 * heavy;
}

/** The load order of `loadable` tables with `rows` each; see the module comment. */
export function planLoadOrder(schema: Schema, graph: FkGraph, loadable: readonly string[], rows: ReadonlyMap<string, number>): string[] {
  const included = new Set(loadable);
  const order = prioritizedLoadOrder(graph, (key) => (included.has(key) ? databaseWork(schema, rows, key) : 0));
  return order.filter((key) => included.has(key));
}

/**
 * `loadOrder` (from `planLoadOrder`) re-sorted by the database's work alone, most first (ties
 * keep their place): the order for a target that sets foreign keys aside during the load, where
 * parents need not come first (but do for a table whose INSERT trigger fills another: it may read them). The database starts on its heaviest table at once, while the
 * workers make the rest ahead of it.
 *
 * @example
 * ```ts
 * planCostOrder(schema, ['public.language', 'public.film', 'public.actor'], rows); // ['public.film', 'public.actor', 'public.language']
 * ```
 */
export function planCostOrder(schema: Schema, loadOrder: readonly string[], rows: ReadonlyMap<string, number>): string[] {
  const sorted = loadOrder
    .map((key, at) => ({ key, at, work: databaseWork(schema, rows, key) }))
    .sort((a, b) => b.work - a.work || a.at - b.at)
    .map((t) => t.key);
  // A table whose INSERT trigger fills another table still comes after its parents: the trigger's body
  // may read them (one that totals a path's ancestors finds none when they are not in yet).
  const included = new Set(loadOrder);
  const parentsOf = (key: string): string[] => {
    const table = schema.tables[key]!;
    if (!(table.triggers ?? []).some((t) => t.events.includes('insert') && t.inserts.length > 0)) return [];
    return [...new Set(table.foreignKeys.map((fk) => fk.references.table))].filter((p) => p !== key && included.has(p));
  };
  const placed = new Set<string>();
  const out: string[] = [];
  const pending = [...sorted];
  while (pending.length > 0) {
    const at = pending.findIndex((key) => parentsOf(key).every((p) => placed.has(p)));
    const [key] = pending.splice(at < 0 ? 0 : at, 1);
    placed.add(key!);
    out.push(key!);
  }
  return out;
}

function databaseWork(schema: Schema, rows: ReadonlyMap<string, number>, key: string): number {
  return (rows.get(key) ?? 0) * databaseCostPerRow(schema.tables[key]!);
}
