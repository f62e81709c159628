/**
 * SQL text from a drizzle MySQL snapshot, rewritten the way the MySQL introspector
 * reports it: literal defaults unquoted, `now()` as `CURRENT_TIMESTAMP`, check
 * expressions without drizzle's table qualifier.
 *
 * @example
 * ```ts
 * mysqlDefault("'pending'"); // { kind: 'literal', value: 'pending' }
 * mysqlDefault("('aws')");   // { kind: 'literal', value: 'aws' } (a TEXT default)
 * mysqlDefault('(now())');   // { kind: 'expression', expression: 'CURRENT_TIMESTAMP' }
 * ```
 */
import type { ColumnDefault } from '@understudy/core';

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

const TIMESTAMP_FUNCTION = /^(?:current_timestamp|now|localtime|localtimestamp)\s*(?:\(\s*(\d*)\s*\))?$/i;

/** A drizzle-kit MySQL default as the introspector reports it: literals unquoted, `CURRENT_TIMESTAMP[(n)]`. */
export function mysqlDefault(value: unknown): ColumnDefault | undefined {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return { kind: 'literal', value: value ? '1' : '0' };
  if (typeof value === 'number' || typeof value === 'bigint') return { kind: 'literal', value: String(value) };
  if (typeof value !== 'string') return { kind: 'literal', value: JSON.stringify(value) };
  let text = value.trim();
  // drizzle-kit wraps TEXT, BLOB and JSON defaults in parentheses (`('aws')`): MySQL 8 needs an expression there.
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) text = text.slice(1, -1).trim();
  if (/^null$/i.test(text)) return undefined;
  const quoted = /^'((?:[^'\\]|''|\\.)*)'$/s.exec(text);
  if (quoted) return { kind: 'literal', value: quoted[1]!.replace(/''/g, "'").replace(/\\(.)/g, '$1') };
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)) return { kind: 'literal', value: text };
  if (/^(true|false)$/i.test(text)) return { kind: 'literal', value: /^true$/i.test(text) ? '1' : '0' };
  const time = TIMESTAMP_FUNCTION.exec(text);
  if (time) return { kind: 'expression', expression: time[1] ? `CURRENT_TIMESTAMP(${time[1]})` : 'CURRENT_TIMESTAMP' };
  return { kind: 'expression', expression: text };
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** `` `employees`.`salary` > 0 `` → `` `salary` > 0 ``: drizzle qualifies columns with their table in checks. */
export function stripOwnTable(expression: string, tableName: string): string {
  return expression.split(`${quoteId(tableName)}.`).join('');
}

/** Backtick-quoted names in an expression that are columns of the table, in order of appearance. */
export function referencedColumns(expression: string, columnNames: readonly string[]): string[] {
  const found: string[] = [];
  for (const match of expression.matchAll(/`((?:[^`]|``)+)`/g)) {
    const name = match[1]!.replace(/``/g, '`');
    if (columnNames.includes(name) && !found.includes(name)) found.push(name);
  }
  return found;
}
