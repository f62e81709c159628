/**
 * Flags that set a config field, keyed by that field's name: typed against
 * `GenerateConfig`, so a flag cannot name a field the config does not have.
 * Type-only import: building the program table loads no generation code.
 */
import type { GenerateConfig } from '@understudy/generate';

/** Flags that set a config field, by that field's name (checked against GenerateConfig's keys). */
export const CONFIG_FLAGS = {
  seed: ['--seed <seed>', 'random seed: the same seed gives the same data (default: config seed, else 1)'],
  rows: ['--rows <n>', 'rows per table (default: config rows, else 1000)'],
  scale: ['--scale <x>', "rows = x × each table's current row estimate (with --profile: the profile's row estimates)"],
} as const satisfies Partial<Record<keyof GenerateConfig, readonly [string, string]>>;

/** Flags that add to a list-valued config field (repeatable, comma-separated), by that field's name. */
export const CONFIG_LIST_FLAGS = {
  only: ['--only <tables>', 'load only these tables (patterns: users, public.users, audit.*, *_log; comma-separated, repeatable); the others keep their rows'],
  exclude: ['--exclude <tables>', 'do not load these tables (patterns as --only); they keep their rows'],
} as const satisfies Partial<Record<keyof GenerateConfig, readonly [string, string]>>;

