/**
 * drizzle-kit 0.x prints a partial index's `.where(…)` with its values as bind
 * parameters: `.where(inArray(t.role, ['user', 'staff']))` becomes
 * `WHERE ("messages"."role" in ($1, $2))`, which no database accepts in DDL
 * (`there is no parameter $1`; projects fix their migrations by hand). The values are
 * in the module: each such predicate gets them back, as SQL literals, in the snapshot
 * (so in the DDL Understudy runs and in the schema it reads).
 *
 * @example
 * ```ts
 * const snapshot = withInlinedIndexParams(mod, rawSnapshot, 'snake_case');
 * snapshot.tables['public.messages']!.indexes['messages_role_idx']!.where;
 * // `("messages"."role" in ('user', 'staff'))`
 * ```
 */
import type { DrizzleCasing } from './drizzle-config.js';
import type { DrizzleModule, DrizzleTable } from './drizzle-module-loader.js';
import type { PgSnapshot } from './drizzle-snapshot.js';

interface IndexLike {
  readonly config: { readonly where?: unknown };
}

interface PgDialectLike {
  sqlToQuery(sql: unknown): { sql: string; params: unknown[] };
}

/**
 * A driver value as a PostgreSQL literal: `'it''s'`, `42`, `true`, `NULL`.
 *
 * @example
 * ```ts
 * sqlLiteral("it's"); // "'it''s'"
 * ```
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replace(/'/g, "''")}'`;
}

/** `$1`, `$2`, … of a query replaced by its parameters, outside quoted strings and names. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)/g, (match, n: string | undefined) => {
    if (n === undefined) return match;
    const i = Number(n) - 1;
    return i >= 0 && i < params.length ? sqlLiteral(params[i]) : match;
  });
}

/** The snapshot with every partial index predicate's parameters written as literals. */
export function withInlinedIndexParams(mod: DrizzleModule, snapshot: PgSnapshot, casing: DrizzleCasing | undefined): PgSnapshot {
  const { pg } = mod.orm;
  const Dialect = pg['PgDialect'] as (new (config?: { casing?: DrizzleCasing }) => PgDialectLike) | undefined;
  const getTableConfig = pg['getTableConfig'] as ((t: DrizzleTable) => { name: string; schema?: string; indexes: IndexLike[] }) | undefined;
  if (!Dialect || !getTableConfig) return snapshot;
  const dialect = new Dialect(casing ? { casing } : undefined);
  for (const table of mod.tables) {
    const config = getTableConfig(table);
    const target = snapshot.tables[`${config.schema ?? 'public'}.${config.name}`];
    if (!target) continue;
    for (const index of config.indexes) {
      if (index.config.where === undefined) continue;
      const query = dialect.sqlToQuery(index.config.where);
      if (query.params.length === 0) continue;
      for (const entry of Object.values(target.indexes)) {
        if (entry.where === query.sql) entry.where = inlineParams(query.sql, query.params);
      }
    }
  }
  return snapshot;
}
