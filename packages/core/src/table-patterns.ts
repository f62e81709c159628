/**
 * Table patterns as users write them in `--only` / `--exclude` and the config:
 * `users`, `public.users`, `audit.*`, `*_log`, `tmp_?`; a pattern without a dot
 * matches a table's bare name in any schema, one with a dot its `schema.table`.
 * Matching is case-insensitive.
 *
 * @example
 * ```ts
 * matchesTablePattern(tablePattern('audit.*'), 'audit', 'events'); // true
 * matchesTablePattern(tablePattern('*_log'), 'public', 'login');   // false
 * ```
 */
import { UsageError } from './errors.js';

export interface TablePattern {
  /** As the user wrote it. */
  readonly text: string;
  readonly schema: RegExp | undefined;
  readonly name: RegExp;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * Parses one pattern.
 * @throws UsageError for an empty pattern or one with more than one dot.
 * @example
 * ```ts
 * tablePattern('public.order_*');
 * ```
 */
export function tablePattern(text: string, where = '--only/--exclude'): TablePattern {
  const trimmed = text.trim();
  const parts = trimmed.split('.');
  if (trimmed === '' || parts.length > 2 || parts.some((p) => p === '')) {
    throw new UsageError(`${where}: "${text}" is not a table pattern`, { hint: 'Use table, schema.table, or globs such as audit.* and *_log (comma-separated).' });
  }
  return parts.length === 2 ? { text: trimmed, schema: globToRegExp(parts[0]!), name: globToRegExp(parts[1]!) } : { text: trimmed, schema: undefined, name: globToRegExp(parts[0]!) };
}

/**
 * Whether `schema.name` matches the pattern.
 * @example
 * ```ts
 * matchesTablePattern(tablePattern('users'), 'public', 'users'); // true
 * ```
 */
export function matchesTablePattern(pattern: TablePattern, schema: string, name: string): boolean {
  return (pattern.schema === undefined || pattern.schema.test(schema)) && pattern.name.test(name);
}
