/**
 * drizzle-kit's snapshot JSON for a loaded module, through drizzle-kit's
 * programmatic API, plus the narrow types of the parts of it the reader uses.
 *
 * drizzle-kit reports some schema mistakes (duplicate constraint names, an
 * unnamed expression index) by printing and calling `process.exit(1)`; a library
 * must not end its caller's process, so that path is turned into a UsageError.
 *
 * @example
 * ```ts
 * const snapshot = await pgSnapshotOf(await loadDrizzleModule('src/db/schema.ts'));
 * console.log(Object.keys(snapshot.tables)); // ['public.users', …]
 * ```
 */
import { UsageError } from '@understudy/core';
import type { DrizzleModule } from './drizzle-module-loader.js';

/** drizzle's `casing` option: how keys without an explicit column name become column names. */
export type DrizzleCasing = 'snake_case' | 'camelCase';

export interface PgSnapshotColumn {
  name: string;
  type: string;
  typeSchema?: string;
  primaryKey: boolean;
  notNull: boolean;
  default?: unknown;
  isUnique?: unknown;
  uniqueName?: string;
  nullsNotDistinct?: boolean;
  generated?: { type: 'stored'; as: string };
  identity?: {
    type: 'always' | 'byDefault';
    name: string;
    schema: string;
    increment?: string;
    startWith?: string;
    minValue?: string;
    maxValue?: string;
    cache?: string;
    cycle?: boolean;
  };
}

export interface PgSnapshotIndex {
  name: string;
  columns: { expression: string; isExpression: boolean; asc: boolean; nulls?: string; opclass?: string }[];
  isUnique: boolean;
  where?: string;
  method: string;
  concurrently: boolean;
  with?: Record<string, unknown>;
}

export interface SnapshotForeignKey {
  name: string;
  tableFrom: string;
  columnsFrom: string[];
  tableTo: string;
  schemaTo?: string;
  columnsTo: string[];
  onUpdate?: string;
  onDelete?: string;
}

export interface PgSnapshotTable {
  name: string;
  schema: string;
  columns: Record<string, PgSnapshotColumn>;
  indexes: Record<string, PgSnapshotIndex>;
  foreignKeys: Record<string, SnapshotForeignKey>;
  compositePrimaryKeys: Record<string, { name: string; columns: string[] }>;
  uniqueConstraints: Record<string, { name: string; columns: string[]; nullsNotDistinct: boolean }>;
  checkConstraints?: Record<string, { name: string; value: string }>;
}

export interface PgSnapshotSequence {
  name: string;
  schema: string;
  increment?: string;
  minValue?: string;
  maxValue?: string;
  startWith?: string;
  cache?: string;
  cycle?: boolean;
}

export interface PgSnapshot {
  version: string;
  dialect: 'postgresql';
  tables: Record<string, PgSnapshotTable>;
  enums: Record<string, { name: string; schema: string; values: string[] }>;
  schemas: Record<string, string>;
  sequences: Record<string, PgSnapshotSequence>;
  views: Record<string, { name: string; schema: string; definition?: string; materialized?: boolean; isExisting?: boolean }>;
}

export interface MySqlSnapshotColumn {
  name: string;
  type: string;
  primaryKey: boolean;
  notNull: boolean;
  autoincrement?: boolean;
  default?: unknown;
  onUpdate?: unknown;
  generated?: { type: 'stored' | 'virtual'; as: string };
}

export interface MySqlSnapshotTable {
  name: string;
  columns: Record<string, MySqlSnapshotColumn>;
  indexes: Record<string, { name: string; columns: string[]; isUnique: boolean; using?: string; algorithm?: string; lock?: string }>;
  foreignKeys: Record<string, SnapshotForeignKey>;
  compositePrimaryKeys: Record<string, { name: string; columns: string[] }>;
  uniqueConstraints: Record<string, { name: string; columns: string[] }>;
  checkConstraint?: Record<string, { name: string; value: string }>;
}

export interface MySqlSnapshot {
  version: string;
  dialect: 'mysql';
  tables: Record<string, MySqlSnapshotTable>;
  views: Record<string, { name: string; definition?: string; isExisting?: boolean }>;
  internal?: { indexes?: Record<string, { columns: Record<string, { isExpression?: boolean } | undefined> } | undefined> };
}

/**
 * drizzle-kit's PostgreSQL snapshot of a module (`generateDrizzleJson`).
 *
 * @example
 * ```ts
 * const snapshot = await pgSnapshotOf(mod, 'snake_case');
 * ```
 */
export async function pgSnapshotOf(mod: DrizzleModule, casing?: DrizzleCasing): Promise<PgSnapshot> {
  const { generateDrizzleJson } = await import('drizzle-kit/api');
  return guardDrizzleKit(mod, () => generateDrizzleJson({ ...mod.exports }, undefined, undefined, casing)) as Promise<PgSnapshot>;
}

/**
 * drizzle-kit's MySQL snapshot of a module (`generateMySQLDrizzleJson`).
 *
 * @example
 * ```ts
 * const snapshot = await mysqlSnapshotOf(mod);
 * ```
 */
export async function mysqlSnapshotOf(mod: DrizzleModule, casing?: DrizzleCasing): Promise<MySqlSnapshot> {
  const { generateMySQLDrizzleJson } = await import('drizzle-kit/api');
  return guardDrizzleKit(mod, () => generateMySQLDrizzleJson({ ...mod.exports }, undefined, casing)) as Promise<MySqlSnapshot>;
}

class DrizzleKitExit extends Error {}

/**
 * Runs a drizzle-kit call with `process.exit` and its console output captured, so its
 * refusals become UsageErrors instead of ending the caller's process.
 *
 * @example
 * ```ts
 * const sql = await guardDrizzleKit(mod, () => generateMigration(empty, current));
 * ```
 */
export async function guardDrizzleKit<T>(mod: DrizzleModule, run: () => T | Promise<T>): Promise<T> {
  const printed: string[] = [];
  const originalExit = process.exit;
  const originalLog = console.log;
  const originalError = console.error;
  const capture = (...args: unknown[]): void => {
    printed.push(args.map(String).join(' '));
  };
  process.exit = ((code?: number) => {
    throw new DrizzleKitExit(`drizzle-kit exited with code ${code ?? 0}`);
  }) as typeof process.exit;
  console.log = capture;
  console.error = capture;
  try {
    return await run();
  } catch (error) {
    // eslint-disable-next-line no-control-regex
    const said = printed
      .join('\n')
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/^\s*Warning\s+/i, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (error instanceof DrizzleKitExit) {
      throw new UsageError(`drizzle-kit refused the schema in ${mod.displayPath}: ${said || error.message}`, {
        hint: 'Fix the schema as drizzle-kit says; `npx drizzle-kit generate` reports the same problem.',
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`drizzle-kit could not read the schema in ${mod.displayPath}: ${message}`, {
      hint: said || 'Check that `npx drizzle-kit generate` accepts this schema.',
      cause: error,
    });
  } finally {
    process.exit = originalExit;
    console.log = originalLog;
    console.error = originalError;
  }
}
