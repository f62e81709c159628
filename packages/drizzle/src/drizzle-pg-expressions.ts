/**
 * SQL text from a drizzle PostgreSQL snapshot, rewritten the way PostgreSQL prints
 * it back: defaults with their casts, identifiers cut to 63 bytes and quoted only
 * where needed, check expressions without drizzle's table qualifier.
 *
 * @example
 * ```ts
 * pgDefault("'x'", pgColumnType('text'));                       // { kind: 'literal', value: "'x'::text" }
 * unquoteIdentifiers(stripOwnTable('"t"."a" > 0', 't', 'public')); // 'a > 0'
 * ```
 */
import type { ColumnDefault } from '@understudy/core';
import { quoteIdent, type PgColumnType } from './drizzle-pg-types.js';

/** PostgreSQL cuts identifiers to 63 bytes (NAMEDATALEN - 1). */
export function pgIdentifier(name: string): string {
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= 63) return name;
  let cut = 63;
  // Do not split a multi-byte character.
  while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
  return bytes.subarray(0, cut).toString('utf8');
}

/**
 * A drizzle-kit default (a JS number or boolean, or SQL text) as PostgreSQL prints
 * it back: quoted constants carry a cast to the column type (`'pending'::order_status`).
 */
export function pgDefault(value: unknown, type: PgColumnType): ColumnDefault | undefined {
  if (value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    return { kind: 'literal', value: text.startsWith('-') ? `'${text}'::${castName(type)}` : text };
  }
  if (typeof value === 'boolean') return { kind: 'literal', value: String(value) };
  if (typeof value !== 'string') return { kind: 'literal', value: JSON.stringify(value) };
  const text = value.trim();
  if (/^null$/i.test(text)) return undefined;
  const jsonb = type.kind === 'jsonb' && type.arrayDimensions === 0 ? jsonbLiteral(text) : undefined;
  if (jsonb !== undefined) return { kind: 'literal', value: jsonb };
  if (/^'(?:[^']|'')*'$/.test(text)) return { kind: 'literal', value: `${text}::${castName(type)}` };
  if (/^'(?:[^']|'')*'::/.test(text) || /^-?\d+(\.\d+)?$/.test(text) || /^(true|false)$/i.test(text)) {
    return { kind: 'literal', value: text };
  }
  if (/^nextval\(/i.test(text)) return { kind: 'sequence', expression: text };
  return { kind: 'expression', expression: text };
}

/**
 * A jsonb constant as PostgreSQL prints it back (`'{"b":1,"aa":[]}'` → `'{"b": 1, "aa": []}'::jsonb`):
 * jsonb keeps no formatting, and orders object keys by length, then bytes.
 */
function jsonbLiteral(text: string): string | undefined {
  const m = /^'((?:[^']|'')*)'(?:::jsonb)?$/.exec(text);
  if (!m) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(m[1]!.replace(/''/g, "'"));
  } catch {
    return undefined;
  }
  return `'${jsonbText(value).replace(/'/g, "''")}'::jsonb`;
}

function jsonbText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b) || Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText((value as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** The type name a constant is cast to in a printed default: the raw type without modifiers. */
function castName(type: PgColumnType): string {
  const suffix = '[]'.repeat(type.arrayDimensions);
  const base = type.rawType.slice(0, type.rawType.length - suffix.length).replace(/\(\d+(,\d+)?\)/, '');
  return `${base}${suffix}`;
}

/** `"employees"."salary" > 0` → `"salary" > 0`: drizzle qualifies columns with their table in checks. */
export function stripOwnTable(expression: string, tableName: string, schemaName: string): string {
  const table = `"${tableName.replace(/"/g, '""')}"`;
  const schema = `"${schemaName.replace(/"/g, '""')}"`;
  return expression.split(`${schema}.${table}.`).join('').split(`${table}.`).join('');
}

/**
 * Splits SQL text into quoted strings, quoted identifiers and the rest, so rewrites
 * never touch the inside of a string literal.
 */
function sqlTokens(expression: string): { text: string; kind: 'string' | 'identifier' | 'other' }[] {
  const tokens: { text: string; kind: 'string' | 'identifier' | 'other' }[] = [];
  const re = /'(?:[^']|'')*'|"(?:[^"]|"")*"|[^'"]+/g;
  for (const m of expression.matchAll(re)) {
    const text = m[0];
    tokens.push({ text, kind: text.startsWith("'") ? 'string' : text.startsWith('"') ? 'identifier' : 'other' });
  }
  return tokens;
}

/** `"salary" > 0` → `salary > 0`: quotes only where PostgreSQL would print them. */
export function unquoteIdentifiers(expression: string): string {
  return sqlTokens(expression)
    .map((t) => {
      if (t.kind !== 'identifier') return t.text;
      const name = t.text.slice(1, -1).replace(/""/g, '"');
      return quoteIdent(name);
    })
    .join('');
}

/** Columns of the table an expression mentions, in table order (as `conkey` lists them). */
export function referencedColumns(expression: string, columnNames: readonly string[]): string[] {
  const mentioned = new Set<string>();
  for (const t of sqlTokens(expression)) {
    if (t.kind === 'identifier') mentioned.add(t.text.slice(1, -1).replace(/""/g, '"'));
    else if (t.kind === 'other') for (const word of t.text.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []) mentioned.add(word.toLowerCase());
  }
  return columnNames.filter((c) => mentioned.has(c));
}
