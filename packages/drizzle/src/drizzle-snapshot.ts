/**
 * The narrow types of the parts of drizzle-kit's snapshot JSON (version 7) the
 * readers use, and the guard every drizzle-kit call runs in.
 *
 * drizzle-kit reports some schema mistakes (duplicate constraint names, an
 * unnamed expression index) by printing and calling `process.exit(1)`; a library
 * must not end its caller's process, so that path is turned into a UsageError.
 *
 * @example
 * ```ts
 * const snapshot = await guardDrizzleKit(mod, () => api.generateDrizzleJson(mod.exports));
 * ```
 */
import { UsageError } from '@understudy/core';
import type { DrizzleModule } from './drizzle-module-loader.js';

export type { DrizzleCasing } from './drizzle-config.js';

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
  uniqueConstraints: Record<string, { name?: string; columns: string[]; nullsNotDistinct: boolean }>;
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
 * A version-7 PostgreSQL snapshot with every part present: older drizzle-kits (a
 * project's 0.2x) leave out what they did not know yet (sequences, views, checks, …).
 *
 * @example
 * ```ts
 * completePgSnapshot({ tables: {} } as PgSnapshot).sequences; // {}
 * ```
 */
export function completePgSnapshot(snapshot: PgSnapshot): PgSnapshot {
  const out: PgSnapshot = {
    ...snapshot,
    tables: { ...(snapshot.tables ?? {}) },
    enums: snapshot.enums ?? {},
    schemas: snapshot.schemas ?? {},
    sequences: snapshot.sequences ?? {},
    views: snapshot.views ?? {},
  };
  for (const [key, t] of Object.entries(out.tables)) {
    out.tables[key] = {
      ...t,
      indexes: t.indexes ?? {},
      foreignKeys: t.foreignKeys ?? {},
      compositePrimaryKeys: t.compositePrimaryKeys ?? {},
      uniqueConstraints: t.uniqueConstraints ?? {},
      checkConstraints: t.checkConstraints ?? {},
    };
  }
  return out;
}

/**
 * A version-5 MySQL snapshot with every part present (see `completePgSnapshot`).
 *
 * @example
 * ```ts
 * completeMySqlSnapshot({ tables: {} } as MySqlSnapshot).views; // {}
 * ```
 */
export function completeMySqlSnapshot(snapshot: MySqlSnapshot): MySqlSnapshot {
  const out: MySqlSnapshot = { ...snapshot, tables: { ...(snapshot.tables ?? {}) }, views: snapshot.views ?? {} };
  for (const [key, t] of Object.entries(out.tables)) {
    out.tables[key] = {
      ...t,
      indexes: t.indexes ?? {},
      foreignKeys: t.foreignKeys ?? {},
      compositePrimaryKeys: t.compositePrimaryKeys ?? {},
      uniqueConstraints: t.uniqueConstraints ?? {},
      checkConstraint: t.checkConstraint ?? {},
    };
  }
  return out;
}

class DrizzleKitExit extends Error {}

/** Which drizzle-kit ran: the project's own, or the one Understudy bundles. */
export interface DrizzleKitLabel {
  readonly origin: 'project' | 'bundled';
  readonly version: string;
}

/** What to say about a refusal: the project's own drizzle-kit says the same; the bundled one may not know a newer drizzle-orm. */
function refusalHint(mod: DrizzleModule, kit: DrizzleKitLabel): string {
  if (kit.origin === 'bundled' && mod.orm.major >= 1) {
    return (
      `Understudy read this drizzle-orm ${mod.orm.version} schema with its bundled drizzle-kit ${kit.version}, which knows drizzle-orm up to 0.45: ` +
      `install the drizzle-kit that matches your drizzle-orm in the project (npm install -D drizzle-kit@${mod.orm.version}) and Understudy uses it.`
    );
  }
  return `Fix the schema as drizzle-kit says; \`npx drizzle-kit generate\` (drizzle-kit ${kit.version}) reports the same problem.`;
}

/**
 * Runs a drizzle-kit call with `process.exit` and its console output captured, so its
 * refusals become UsageErrors instead of ending the caller's process.
 *
 * @example
 * ```ts
 * const sql = await guardDrizzleKit(mod, () => generateMigration(empty, current), { origin: 'bundled', version: '0.31.11' });
 * ```
 */
export async function guardDrizzleKit<T>(mod: DrizzleModule, run: () => T | Promise<T>, kit: DrizzleKitLabel): Promise<T> {
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
    const said = printed
      .join('\n')
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/^\s*Warning\s+/i, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (error instanceof DrizzleKitExit) {
      throw new UsageError(`drizzle-kit refused the schema in ${mod.displayPath}: ${said || error.message}`, {
        hint: refusalHint(mod, kit),
      });
    }
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`drizzle-kit could not read the schema in ${mod.displayPath}: ${message}`, {
      hint: [said, refusalHint(mod, kit)].filter(Boolean).join(' '),
      cause: error,
    });
  } finally {
    process.exit = originalExit;
    console.log = originalLog;
    console.error = originalError;
  }
}
