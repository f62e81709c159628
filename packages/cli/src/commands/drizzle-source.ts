/**
 * `--drizzle [path]` for `plan`, `seed` and `generate`: the schema a drizzle
 * project declares, with the generator hints it carries (TypeScript-only enums,
 * `$defaultFn` shapes) as config defaults under the user's own `--config`.
 *
 * With `--url`, the target's own tables are what gets seeded: the module adds its
 * relations-only links and hints, and every difference between the module and
 * the target is printed as a warning, the way `drizzle-kit check` would point it out.
 */
import { dialectInfo, type Schema } from '@understudy/core';
import type { GenerationHints } from '@understudy/drizzle';
import type { GenerateConfigInput } from '@understudy/generate';
import { note } from '../output.js';

/** A schema to plan, and the drizzle hints to plan it with. */
export interface GenerationSource {
  readonly schema: Schema;
  readonly hints?: DrizzleHints;
}

/** Table key → column → generator setting, from a drizzle module. */
export type DrizzleHints = GenerationHints;

/** `--drizzle` with no path is `true`: the drizzle config of the working directory. */
export function drizzlePath(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The module's model and hints, for planning without a target (`plan`, `generate`).
 *
 * @example
 * ```ts
 * const { schema, hints } = await readDrizzleForGeneration(true);
 * ```
 */
export async function readDrizzleForGeneration(drizzle: string | boolean): Promise<GenerationSource> {
  const { readDrizzleSource } = await import('@understudy/drizzle');
  const { schema, hints } = await readDrizzleSource(drizzlePath(drizzle));
  for (const n of schema.notes) note(`note: ${n}`);
  return { schema, hints };
}

/**
 * A target database's model with the module's links and hints, and a warning for
 * every difference between the two.
 *
 * @param live the target, introspected.
 * @example
 * ```ts
 * const source = await drizzleOnDatabase(true, await introspect(url));
 * ```
 */
export async function drizzleOnDatabase(drizzle: string | boolean, live: Schema): Promise<GenerationSource> {
  const { readDrizzleSource, applyDrizzleToDatabase } = await import('@understudy/drizzle');
  // A MySQL module's default schema is the target's database.
  const read = await readDrizzleSource(drizzlePath(drizzle), !dialectInfo(live.dialect).capabilities.namespaces && live.namespaces[0] ? { database: live.namespaces[0] } : {});
  for (const warning of await driftWarnings(read.schema, live)) note(`warning: ${warning}`);
  for (const n of read.schema.notes) note(`note: ${n}`);
  return applyDrizzleToDatabase(live, read);
}

/**
 * What differs between a drizzle module's model and a database's, object by object,
 * leaving out what can never be the same (see `comparableSchema`).
 *
 * @example
 * ```ts
 * await driftWarnings(fromModule, fromDatabase);
 * // ['public.Chat.visibility: the module says type text, the database character varying(32)']
 * ```
 */
export async function driftWarnings(drizzle: Schema, live: Schema): Promise<string[]> {
  if (drizzle.dialect !== live.dialect) return [`the module is for ${drizzle.dialect}, the database is ${live.dialect}`];
  // loaded here, not with this file: every command that can take --drizzle imports it
  const [{ comparableSchema }, { diffSchemas }] = await Promise.all([import('@understudy/drizzle'), import('@understudy/rehearse')]);
  const module = comparableSchema(drizzle);
  const database = comparableSchema(live);
  return diffSchemas(module, database).map((change) => {
    const what = `${change.object} ${change.name}`;
    if (change.change === 'removed') return `${what} is in the drizzle schema but not in the database`;
    if (change.change === 'added') return `${what} is in the database but not in the drizzle schema`;
    return `${what} differs (drizzle schema → database): ${change.detail ?? ''}`.trim();
  });
}

/**
 * The user's config with the drizzle hints under it: a column the config sets keeps its setting.
 *
 * @example
 * ```ts
 * withDrizzleHints({ seed: 1 }, { 'public.Chat': { visibility: { values: ['public', 'private'] } } });
 * ```
 */
export function withDrizzleHints(config: GenerateConfigInput | undefined, hints: DrizzleHints | undefined): GenerateConfigInput | undefined {
  if (!hints || Object.keys(hints).length === 0) return config;
  const tables: NonNullable<GenerateConfigInput['tables']> = { ...(config?.tables ?? {}) };
  for (const [table, columns] of Object.entries(hints)) {
    // The user may key a table by its bare name when that is unambiguous.
    const userKey = table in tables ? table : (Object.keys(tables).find((k) => !k.includes('.') && table.endsWith(`.${k}`)) ?? table);
    const own = tables[userKey] ?? {};
    tables[userKey] = { ...own, columns: { ...columns, ...(own.columns ?? {}) } };
  }
  return { ...(config ?? {}), tables };
}
