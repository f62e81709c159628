/**
 * `--env NAME`: a config's named environment laid over its top level.
 *
 * @example
 * ```ts
 * const config = withEnvironment(UnderstudyConfig.parse({ rows: 1000, environments: { dev: { rows: 50 } } }), 'dev', 'understudy.config.ts');
 * config.rows; // 50
 * ```
 */
import { UsageError } from '../errors.js';
import type { UnderstudyConfig } from './understudy-config.js';

/**
 * The config with environment `name` applied (its keys replace the top level's; `tables` merges
 * table by table; `rows` and `scale` replace each other), without `environments`.
 * @throws UsageError naming the file and listing the environments it has when `name` is not one.
 */
export function withEnvironment(config: UnderstudyConfig, name: string, file: string): UnderstudyConfig {
  const names = Object.keys(config.environments ?? {});
  const environment = config.environments?.[name];
  if (environment === undefined) {
    throw new UsageError(`--env ${name}: ${file} has no environment "${name}"${names.length > 0 ? ` (it has: ${names.join(', ')})` : ' (it has no environments)'}`, {
      hint: names.length > 0 ? `Use one of: ${names.map((n) => `--env ${n}`).join(', ')}.` : 'Add environments: { dev: { rows: 100 }, … } to the config (see docs/config.md).',
    });
  }
  const { environments: _environments, ...base } = config;
  const merged: UnderstudyConfig = { ...base };
  if (environment.rows !== undefined) delete merged.scale;
  if (environment.scale !== undefined) delete merged.rows;
  const { tables, ...rest } = environment;
  Object.assign(merged, rest);
  if (tables !== undefined) {
    const all = { ...(base.tables ?? {}) };
    for (const [key, table] of Object.entries(tables)) all[key] = { ...(all[key] ?? {}), ...table };
    merged.tables = all;
  }
  return merged;
}
