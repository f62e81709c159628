/**
 * What the bundled drizzle-kit (0.31, made for drizzle-orm up to 0.45) misreads in
 * a drizzle-orm 1.x schema, when the project has no drizzle-kit 1.x of its own:
 * - an unnamed `.unique()` column has no `uniqueName` in 1.x (0.x filled one in), so
 *   0.31 keys them all as `undefined`: a false "duplicated unique constraint names"
 *   with two, a nameless constraint with one. They get PostgreSQL's own name,
 *   `<table>_<column>_key`, which is also what drizzle-kit 1.x calls them.
 * - `.array()` is a `dimensions` count on the column in 1.x (0.x wrapped the column),
 *   so 0.31 reads `text[]` as `text`: the dimensions are put back on the snapshot.
 * (Table-qualified predicates of partial indexes are unqualified by the reader, for both lines.)
 *
 * @example
 * ```ts
 * nameUnnamedUniques(mod);
 * const snapshot = withArrayDimensions(mod, await kit.pgSnapshot(mod));
 * ```
 */
import type { DrizzleModule, DrizzleTable } from './drizzle-module-loader.js';
import type { PgSnapshot } from './drizzle-snapshot.js';

interface V1Column {
  readonly name: string;
  readonly isUnique?: boolean;
  uniqueName?: string;
  readonly dimensions?: number;
}

function columnsOf(mod: DrizzleModule, table: DrizzleTable): { schema?: string; name: string; columns: V1Column[] } {
  const core = mod.dialect === 'postgres' ? mod.orm.pg : mod.orm.mysql;
  const getTableConfig = core['getTableConfig'] as (t: DrizzleTable) => { schema?: string; name: string; columns: V1Column[] };
  return getTableConfig(table);
}

/**
 * Names every unnamed unique column of a drizzle-orm 1.x module: as PostgreSQL does
 * (`<table>_<column>_key`), and on MySQL as drizzle-kit 0.x does (`<table>_<column>_unique`).
 *
 * @example
 * ```ts
 * nameUnnamedUniques(mod); // accounts.email → uniqueName 'accounts_email_key'
 * ```
 */
export function nameUnnamedUniques(mod: DrizzleModule): void {
  if (mod.orm.major < 1) return;
  const suffix = mod.dialect === 'postgres' ? 'key' : 'unique';
  for (const table of mod.tables) {
    const config = columnsOf(mod, table);
    for (const column of config.columns) {
      if (column.isUnique && !column.uniqueName) column.uniqueName = `${config.name}_${column.name}_${suffix}`;
    }
  }
}

/**
 * A drizzle-kit 0.x snapshot of a drizzle-orm 1.x module with each array column's `[]` put back.
 *
 * @example
 * ```ts
 * withArrayDimensions(mod, snapshot).tables['public.accounts']!.columns['tags']!.type; // 'text[]'
 * ```
 */
export function withArrayDimensions(mod: DrizzleModule, snapshot: PgSnapshot): PgSnapshot {
  if (mod.orm.major < 1 || mod.dialect !== 'postgres') return snapshot;
  for (const table of mod.tables) {
    const config = columnsOf(mod, table);
    const target = snapshot.tables[`${config.schema ?? 'public'}.${config.name}`];
    if (!target) continue;
    for (const column of config.columns) {
      const dims = column.dimensions ?? 0;
      const entry = target.columns[column.name];
      if (dims > 0 && entry && !entry.type.endsWith('[]')) entry.type += '[]'.repeat(dims);
    }
  }
  return snapshot;
}
