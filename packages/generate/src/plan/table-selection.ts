/**
 * Which tables a load may write, and which it leaves as they are: the
 * bookkeeping tables of migration tools are never written, nor tables outside
 * `only` or inside `exclude`. Tables left alone keep their rows, and the rows
 * they have serve as parents of the loaded tables (`existingRowsRequests` says
 * which of their columns a seed must read for that).
 *
 * @example
 * ```ts
 * const { writable, untouched } = selectTables(schema, { exclude: ['audit.*'] });
 * untouched.get('public.schema_migrations'); // 'bookkeeping table of Rails, golang-migrate, dbmate or Ecto: never seeded'
 * ```
 */
import { withImplicitReferences } from './implicit-references.js';
import { matchesTablePattern, migrationBookkeeping, tablePattern, UsageError, type ExistingRowsRequest, type Schema } from '@understudy/core';

export interface TableSelectionOptions {
  /** Table patterns (`users`, `public.users`, `audit.*`): load only these. */
  readonly only?: readonly string[];
  /** Table patterns not to load. */
  readonly exclude?: readonly string[];
}

export interface TableSelection {
  /** Tables the load may write (and, with truncate, empty), in schema order. */
  readonly writable: readonly string[];
  /** Tables it never writes, with the reason. */
  readonly untouched: ReadonlyMap<string, string>;
}

/** At most this many rows of a kept table are read as parents (in key order). */
export const KEPT_PARENT_ROWS = 10_000;

/**
 * Splits the loadable tables of `schema` (partitions load through their parent) into writable and untouched.
 * @throws UsageError for a pattern that matches no table (a typo), naming it.
 * @example
 * ```ts
 * selectTables(schema, { only: ['public.*'] }).writable; // ['public.users', 'public.orders']
 * ```
 */
export function selectTables(schema: Schema, options: TableSelectionOptions = {}): TableSelection {
  const keys = Object.entries(schema.tables).filter(([, t]) => t.kind !== 'partition');
  const patterns = (flag: 'only' | 'exclude'): ReturnType<typeof tablePattern>[] => {
    const list = (options[flag] ?? [])
      .flatMap((p) => p.split(','))
      .filter((p) => p.trim() !== '')
      .map((p) => tablePattern(p, `--${flag}`));
    for (const p of list) {
      if (!keys.some(([, t]) => matchesTablePattern(p, t.schema, t.name))) {
        throw new UsageError(`--${flag} ${p.text}: no table matches it`, {
          hint: `tables: ${keys
            .slice(0, 12)
            .map(([k]) => k)
            .join(', ')}${keys.length > 12 ? ', …' : ''}`,
        });
      }
    }
    return list;
  };
  const only = patterns('only');
  const exclude = patterns('exclude');
  const writable: string[] = [];
  const untouched = new Map<string, string>();
  for (const [key, table] of keys) {
    const tool = migrationBookkeeping(table);
    if (tool !== undefined) {
      untouched.set(key, `bookkeeping table of ${tool}: never seeded`);
      continue;
    }
    if (only.length > 0 && !only.some((p) => matchesTablePattern(p, table.schema, table.name))) {
      untouched.set(key, `not in --only ${only.map((p) => p.text).join(',')}`);
      continue;
    }
    const excluded = exclude.find((p) => matchesTablePattern(p, table.schema, table.name));
    if (excluded) {
      untouched.set(key, `--exclude ${excluded.text}`);
      continue;
    }
    writable.push(key);
  }
  return { writable, untouched };
}

/**
 * What a seed asks of the target before planning: for every loadable table, the columns that
 * foreign keys reference (a kept table's rows are picked as parents by those).
 * @example
 * ```ts
 * existingRowsRequests(schema);
 * // [{ table: 'public.users', columns: ['id'], limit: 10000 }, { table: 'public.orders', columns: [], limit: 10000 }, …]
 * ```
 */
export function existingRowsRequests(schema: Schema): ExistingRowsRequest[] {
  const referenced = new Map<string, Set<string>>();
  const parentOf = (key: string): string => {
    const t = schema.tables[key];
    return t?.kind === 'partition' && t.partitionOf ? parentOf(t.partitionOf) : key;
  };
  const loadable = Object.keys(schema.tables).filter((k) => schema.tables[k]!.kind !== 'partition');
  // The plan also picks parents through implicit references (`role_id` → role): their kept values are needed too.
  const withImplicit = withImplicitReferences(schema, loadable, new Set()).schema;
  for (const key of loadable) {
    for (const fk of withImplicit.tables[key]!.foreignKeys) {
      const parent = parentOf(fk.references.table);
      const set = referenced.get(parent) ?? new Set<string>();
      for (const c of fk.references.columns) set.add(c);
      referenced.set(parent, set);
    }
  }
  return loadable.map((table) => ({ table, columns: [...(referenced.get(table) ?? [])], limit: KEPT_PARENT_ROWS }));
}
