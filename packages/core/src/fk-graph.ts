/**
 * The foreign-key graph of a Schema: in which order tables can be loaded, which
 * tables form cycles, and which edge of each cycle can be broken (a nullable FK:
 * insert NULL, update afterwards; a deferrable FK: check at commit; or, on an
 * engine that can switch FK checks off for a load (MySQL), any FK: load with
 * checks off, then validate by query before commit).
 *
 * Partitions are left out (they are loaded through their partitioned parent).
 * Self-references are not cycles for ordering; they are listed in `selfReferences`.
 *
 * @example
 * ```ts
 * const graph = buildFkGraph(schema);
 * graph.loadOrder;          // ['public.country', 'public.city', 'public.address', …]
 * graph.cycles[0]?.broken;  // [{ from: 'public.a', to: 'public.b', foreignKey: 'a_b_fk', how: 'nullable', … }]
 * ```
 */
import type { Schema, Table } from './schema-model.js';

export interface FkEdge {
  /** The referencing (child) table key. */
  readonly from: string;
  /** The referenced (parent) table key. */
  readonly to: string;
  readonly foreignKey: string;
  readonly columns: readonly string[];
  /** Every referencing column is nullable: the row can be inserted with NULL and updated later. */
  readonly nullable: boolean;
  readonly deferrable: boolean;
  readonly virtual: boolean;
}

export interface BrokenEdge extends FkEdge {
  /**
   * How generation breaks it: `nullable` (insert NULL, update after), `deferrable` (one
   * transaction, checked at commit) or `unchecked` (the child table loads with FK checks
   * off and its FKs are validated by query before commit; only when the graph was built
   * with `uncheckedLoad`; and always for a virtual foreign key, which the database does not
   * check: its values are written as they are, pointing at rows loaded later).
   */
  readonly how: 'nullable' | 'deferrable' | 'unchecked';
}

export interface FkCycle {
  /** Tables of the strongly connected component, sorted. */
  readonly tables: readonly string[];
  readonly edges: readonly FkEdge[];
  /** Edges removed to make the component loadable; empty when `unbreakable` is set. */
  readonly broken: readonly BrokenEdge[];
  /** A cycle whose every edge is NOT NULL and not deferrable (and checks cannot be switched off), named edge by edge: no data can satisfy it in one pass. */
  readonly unbreakable?: readonly FkEdge[];
}

export interface FkGraph {
  /** Loadable tables (plain and partitioned parents), parents before children, ties by name. */
  readonly loadOrder: readonly string[];
  /** Per loadable table, the tables that must load before it (its parents, cycles' broken edges left out). */
  readonly loadAfter: Readonly<Record<string, readonly string[]>>;
  readonly edges: readonly FkEdge[];
  readonly cycles: readonly FkCycle[];
  readonly selfReferences: readonly FkEdge[];
  /** FKs to tables outside the Schema (another schema not introspected): `from` → missing `to`. */
  readonly external: readonly FkEdge[];
}

function loadable(table: Table): boolean {
  return table.kind !== 'partition';
}

function edgesOf(schema: Schema, key: string, table: Table): FkEdge[] {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  return table.foreignKeys.map((fk) => ({
    from: key,
    to: fk.references.table,
    foreignKey: fk.name,
    columns: fk.columns,
    nullable: fk.columns.every((c) => byName.get(c)?.nullable ?? false),
    deferrable: fk.deferrable,
    virtual: fk.virtual ?? false,
  }));
}

/** Tarjan's strongly connected components, iterative so deep chains cannot overflow the stack. */
function stronglyConnected(nodes: readonly string[], next: (n: string) => readonly string[]): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];

  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = next(frame.node);
      if (frame.i < targets.length) {
        const target = targets[frame.i++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, i: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        result.push(component.sort());
      }
    }
  }
  return result;
}

/** Finds one cycle among `edges` (as a list of edges), or undefined when they are acyclic. */
function findCycle(tables: readonly string[], edges: readonly FkEdge[]): FkEdge[] | undefined {
  const out = new Map<string, FkEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const state = new Map<string, 'open' | 'done'>();
  const path: FkEdge[] = [];
  const visit = (node: string): FkEdge[] | undefined => {
    state.set(node, 'open');
    for (const e of out.get(node) ?? []) {
      if (state.get(e.to) === 'open') {
        const start = path.findIndex((p) => p.from === e.to);
        return [...path.slice(start === -1 ? path.length : start), e];
      }
      if (!state.has(e.to)) {
        path.push(e);
        const found = visit(e.to);
        if (found) return found;
        path.pop();
      }
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const t of tables) {
    if (!state.has(t)) {
      const found = visit(t);
      if (found) return found;
    }
  }
  return undefined;
}

export interface FkGraphOptions {
  /**
   * The target can load a table with FK checks switched off and validate afterwards
   * (`DialectCapabilities.uncheckedForeignKeyLoad`): a cycle of NOT NULL, non-deferrable
   * FKs is then breakable. Default false.
   */
  readonly uncheckedLoad?: boolean;
}

/** Chooses edges to break until the component is acyclic; prefers nullable edges (they work on every engine). */
function breakCycle(tables: readonly string[], edges: readonly FkEdge[], uncheckedLoad: boolean): FkCycle {
  let remaining = [...edges];
  const broken: BrokenEdge[] = [];
  for (;;) {
    const cycle = findCycle(tables, remaining);
    if (!cycle) return { tables, edges, broken };
    const pick = cycle.find((e) => e.virtual) ?? cycle.find((e) => e.nullable) ?? cycle.find((e) => e.deferrable) ?? (uncheckedLoad ? cycle[0] : undefined);
    if (!pick) return { tables, edges, broken: [], unbreakable: cycle };
    broken.push({ ...pick, how: pick.virtual ? 'unchecked' : pick.nullable ? 'nullable' : pick.deferrable ? 'deferrable' : 'unchecked' });
    remaining = remaining.filter((e) => e !== pick);
  }
}

/** Builds the FK graph of a Schema. Pure: the same Schema (and options) always give the same graph. */
export function buildFkGraph(schema: Schema, options: FkGraphOptions = {}): FkGraph {
  const tables = Object.keys(schema.tables)
    .filter((k) => loadable(schema.tables[k]!))
    .sort();
  const known = new Set(tables);
  // A partition's key resolves to its parent, so an FK that names a partition still orders correctly.
  const resolve = (key: string): string => {
    const table = schema.tables[key];
    return table?.kind === 'partition' && table.partitionOf ? resolve(table.partitionOf) : key;
  };

  const all: FkEdge[] = [];
  const external: FkEdge[] = [];
  const selfReferences: FkEdge[] = [];
  // FKs declared on a partition (not inherited from the parent) constrain rows loaded through the parent.
  for (const key of Object.keys(schema.tables).sort()) {
    const from = resolve(key);
    for (const edge of edgesOf(schema, key, schema.tables[key]!)) {
      const to = resolve(edge.to);
      const resolved = to === edge.to && from === key ? edge : { ...edge, from, to };
      if (!known.has(to)) external.push(resolved);
      else if (to === from) selfReferences.push(resolved);
      else all.push(resolved);
    }
  }

  const outgoing = new Map<string, string[]>();
  for (const e of all) outgoing.set(e.from, [...new Set([...(outgoing.get(e.from) ?? []), e.to])].sort());
  const components = stronglyConnected(tables, (n) => outgoing.get(n) ?? []);

  const cycles: FkCycle[] = [];
  const removed = new Set<FkEdge>();
  for (const component of components) {
    if (component.length < 2) continue;
    const members = new Set(component);
    const inner = all.filter((e) => members.has(e.from) && members.has(e.to));
    const cycle = breakCycle(component, inner, options.uncheckedLoad === true);
    cycles.push(cycle);
    const brokenKeys = new Set(cycle.broken.map((b) => `${b.from}\0${b.foreignKey}`));
    for (const e of inner) if (brokenKeys.has(`${e.from}\0${e.foreignKey}`)) removed.add(e);
    // An unbreakable cycle still needs an order for reporting: drop its edges from ordering.
    if (cycle.unbreakable) for (const e of inner) removed.add(e);
  }
  cycles.sort((a, b) => a.tables[0]!.localeCompare(b.tables[0]!));

  // Kahn's algorithm over what is left, parents first, ties broken by name for a stable order.
  const parents = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const e of all) if (!removed.has(e)) parents.get(e.from)!.add(e.to);
  const loadAfter = Object.fromEntries(tables.map((t) => [t, [...parents.get(t)!].sort()]));
  const loadOrder = topologicalOrder(tables, loadAfter);
  return { loadOrder, loadAfter, edges: all, cycles, selfReferences, external };
}

/** Kahn's algorithm: every table after the tables it must load after; among those ready, `first` picks (default: by name). */
function topologicalOrder(tables: readonly string[], loadAfter: Readonly<Record<string, readonly string[]>>, first?: (ready: readonly string[]) => string): string[] {
  const waiting = new Map(tables.map((t) => [t, new Set(loadAfter[t] ?? [])]));
  const children = new Map<string, string[]>(tables.map((t) => [t, []]));
  for (const t of tables) for (const parent of loadAfter[t] ?? []) children.get(parent)?.push(t);
  const ready = tables.filter((t) => waiting.get(t)!.size === 0);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort();
    const next = first ? first(ready) : ready[0]!;
    ready.splice(ready.indexOf(next), 1);
    order.push(next);
    for (const child of children.get(next)!) {
      const parents = waiting.get(child)!;
      parents.delete(next);
      if (parents.size === 0) ready.push(child);
    }
  }
  return order;
}

/**
 * A load order (parents still first) that starts the target on its heaviest work as early
 * as the FKs allow: among the tables ready to load, the one with the most `weight` in itself
 * or in any table that waits on it goes first, so a light parent of a heavy table (a language
 * table before film) goes before light tables that unlock nothing heavy. The database is the
 * bottleneck of a seed, and this keeps it busy while the lighter tables are generated.
 * Ties (and equal weights) fall back to the name order of `loadOrder`.
 *
 * @example
 * ```ts
 * const order = prioritizedLoadOrder(graph, (key) => plan.tables[key]!.rows);
 * ```
 */
export function prioritizedLoadOrder(graph: Pick<FkGraph, 'loadOrder' | 'loadAfter'>, weight: (table: string) => number): string[] {
  const tables = graph.loadOrder;
  const children = new Map<string, string[]>(tables.map((t) => [t, []]));
  for (const t of tables) for (const parent of graph.loadAfter[t] ?? []) children.get(parent)?.push(t);
  const reach = new Map<string, number>();
  const reachOf = (t: string): number => {
    const known = reach.get(t);
    if (known !== undefined) return known;
    let r = weight(t);
    reach.set(t, r); // loadAfter is acyclic; this only keeps a malformed one from recursing forever
    for (const child of children.get(t) ?? []) r = Math.max(r, reachOf(child));
    reach.set(t, r);
    return r;
  };
  return topologicalOrder(tables, graph.loadAfter, (ready) => ready.reduce((best, t) => (reachOf(t) > reachOf(best) ? t : best)));
}
