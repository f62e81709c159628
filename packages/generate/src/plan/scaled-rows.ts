/**
 * Row counts at a scale: `scale` × each table's production rows. Below 1, the
 * copy is a sample of production, except where a plain sample would break the
 * schema or lose what every query expects to find:
 *
 * - **small tables** (at most 100 rows: staff, regions, departments, statuses)
 *   and **lookup tables** (at most 1,000 rows and referenced by another table:
 *   categories, languages, countries, cities) keep production's count;
 * - a table that had rows keeps at least one;
 * - a **parent never shrinks below what its children need**: a one-to-one child
 *   (a unique foreign key) needs as many parents as it has rows, and a unique
 *   key made of foreign keys (`(emp_no, dept_no)`) needs its parents to hold
 *   enough combinations for the child's rows. Parents are raised towards their
 *   production count (never past it); what they still cannot hold, the planner
 *   caps on the child with a note.
 *
 * At scale 1 and above every table is simply scaled. Each table kept or raised
 * gets a note for `plan`.
 *
 * @example
 * ```ts
 * scaleRows(schema, new Map([['public.staff', 2], ['public.rental', 16044]]), 0.1);
 * // rows: staff 2 (small table), rental 1604
 * ```
 */
import type { Schema } from '@understudy/core';

export const SMALL_TABLE_ROWS = 100;
export const LOOKUP_TABLE_ROWS = 1000;

export interface ScaledRows {
  readonly rows: Map<string, number>;
  /** Why a table did not get `scale` × its rows. */
  readonly notes: Map<string, string>;
}

interface Link {
  readonly child: string;
  readonly parents: readonly string[];
  /** `one-to-one` (a unique FK) or the unique key's columns. */
  readonly key: string;
}

/** Unique keys of `child` made only of foreign-key columns (to other tables in `estimates`), with the parents they draw from. */
function uniqueLinks(schema: Schema, child: string, estimates: ReadonlyMap<string, number>): Link[] {
  const table = schema.tables[child];
  if (!table) return [];
  const keys = [...(table.primaryKey ? [table.primaryKey.columns] : []), ...table.uniques.filter((u) => u.where === undefined && u.columns.every((c) => c !== null)).map((u) => u.columns as string[])];
  const links: Link[] = [];
  for (const columns of keys) {
    if (columns.length === 0) continue;
    const parents = new Set<string>();
    let covered = true;
    for (const column of columns) {
      const fk = table.foreignKeys.find((f) => f.columns.includes(column) && f.references.table !== child && estimates.has(f.references.table));
      if (!fk) {
        covered = false;
        break;
      }
      parents.add(fk.references.table);
    }
    if (!covered) continue;
    const one = parents.size === 1 && table.foreignKeys.some((f) => f.columns.length === columns.length && columns.every((c) => f.columns.includes(c)));
    links.push({ child, parents: [...parents], key: one ? 'one-to-one' : `(${columns.join(', ')})` });
  }
  return links;
}

/** See the module comment. */
export function scaleRows(schema: Schema, estimates: ReadonlyMap<string, number>, scale: number): ScaledRows {
  const rows = new Map<string, number>();
  const notes = new Map<string, string>();
  for (const [key, estimate] of estimates) rows.set(key, Math.max(estimate > 0 ? 1 : 0, Math.round(scale * estimate)));
  if (scale >= 1) return { rows, notes };

  const children = new Map<string, Set<string>>();
  for (const key of estimates.keys()) {
    for (const fk of schema.tables[key]?.foreignKeys ?? []) {
      if (fk.references.table === key || !estimates.has(fk.references.table)) continue;
      (children.get(fk.references.table) ?? children.set(fk.references.table, new Set()).get(fk.references.table)!).add(key);
    }
  }
  const production = (key: string, why: string): void => {
    rows.set(key, estimates.get(key)!);
    notes.set(key, `scale ${scale}: kept at production's ${estimates.get(key)!.toLocaleString('en-US')} rows (${why})`);
  };
  for (const [key, estimate] of estimates) {
    if (rows.get(key) === estimate) continue;
    if (estimate <= SMALL_TABLE_ROWS) {
      production(key, `a small table: at most ${SMALL_TABLE_ROWS} rows`);
      continue;
    }
    const referencing = [...(children.get(key) ?? [])];
    if (estimate <= LOOKUP_TABLE_ROWS && referencing.length > 0) {
      production(key, `a lookup table: ${referencing.slice(0, 3).join(', ')}${referencing.length > 3 ? ', …' : ''} reference${referencing.length === 1 ? 's' : ''} it`);
    }
  }

  // Parents raised for their children's unique keys, until nothing moves (a raised parent may need its own parents raised).
  const links = [...estimates.keys()].flatMap((key) => uniqueLinks(schema, key, estimates));
  for (let round = 0; round < 8; round++) {
    let moved = false;
    for (const link of links) {
      const need = rows.get(link.child)!;
      const capacity = (): number => link.parents.reduce((p, parent) => p * rows.get(parent)!, 1);
      if (capacity() >= need) continue;
      // Each parent grows by the same factor, up to its production count.
      const factor = Math.pow(need / Math.max(1, capacity()), 1 / link.parents.length);
      for (const parent of link.parents) {
        const before = rows.get(parent)!;
        const after = Math.min(Math.max(before, estimates.get(parent)!), Math.max(before, Math.ceil(before * factor)));
        if (after === before) continue;
        rows.set(parent, after);
        notes.set(
          parent,
          `scale ${scale}: raised to ${after.toLocaleString('en-US')} rows, so that ${link.child}'s ${link.key === 'one-to-one' ? 'one-to-one foreign key' : `unique key ${link.key}`} can hold its ${need.toLocaleString('en-US')} rows`,
        );
        moved = true;
      }
    }
    if (!moved) break;
  }
  return { rows, notes };
}
