/**
 * The DDL that creates a drizzle schema in an empty database: drizzle-kit's
 * migration from an empty snapshot to the module's snapshot. Used to push a
 * drizzle schema into a throwaway database (round-trip tests, rehearsals).
 *
 * @example
 * ```ts
 * const { dialect, statements } = await drizzleCreateStatements('src/db/schema.ts');
 * for (const sql of statements) await client.query(sql);
 * ```
 */
import type { DrizzleDialect } from './drizzle-module-loader.js';
import { loadDrizzleModule } from './drizzle-module-loader.js';
import { guardDrizzleKit, mysqlSnapshotOf, pgSnapshotOf, type DrizzleCasing } from './drizzle-snapshot.js';

export interface DrizzleCreateStatements {
  readonly dialect: DrizzleDialect;
  /** One statement per entry, in order, without the `--> statement-breakpoint` markers. */
  readonly statements: string[];
}

/**
 * The statements that create every object of a drizzle module in an empty database.
 *
 * @example
 * ```ts
 * const { statements } = await drizzleCreateStatements('fixtures/drizzle/pg-schema.ts');
 * ```
 * @throws UsageError as `loadDrizzleModule` does, or when drizzle-kit refuses the schema.
 */
export async function drizzleCreateStatements(
  file: string,
  options: { readonly casing?: DrizzleCasing; readonly cwd?: string } = {},
): Promise<DrizzleCreateStatements> {
  const mod = await loadDrizzleModule(file, options.cwd);
  const api = await import('drizzle-kit/api');
  if (mod.dialect === 'postgres') {
    const current = await pgSnapshotOf(mod, options.casing);
    const empty = api.generateDrizzleJson({});
    const statements = await guardDrizzleKit(mod, () => api.generateMigration(empty, current as never));
    return { dialect: mod.dialect, statements: statements.map((s) => s.trim()).filter((s) => s.length > 0) };
  }
  const current = await mysqlSnapshotOf(mod, options.casing);
  const empty = await api.generateMySQLDrizzleJson({});
  const statements = await guardDrizzleKit(mod, () => api.generateMySQLMigration(empty, current as never));
  return { dialect: mod.dialect, statements: statements.map((s) => s.trim()).filter((s) => s.length > 0) };
}
