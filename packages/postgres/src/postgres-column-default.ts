/**
 * Classifies a column default as PostgreSQL prints it (`pg_get_expr(adbin)`):
 * a constant (possibly cast), a `nextval(…)` sequence, or any other expression.
 * Identity columns are classified by the caller from `attidentity`.
 *
 * @example
 * ```ts
 * classifyDefault("'G'::public.mpaa_rating");                     // { kind: 'literal', value: "'G'::public.mpaa_rating" }
 * classifyDefault("nextval('public.actor_actor_id_seq'::regclass)", 'public.actor_actor_id_seq');
 * // { kind: 'sequence', sequence: 'public.actor_actor_id_seq', expression: "nextval(…)" }
 * classifyDefault('now()');                                       // { kind: 'expression', expression: 'now()' }
 * ```
 */
import type { ColumnDefault } from '@understudy/core';

const IDENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")*")`;
/** A type name as format_type prints it: `public.mpaa_rating`, `character varying(10)`, `timestamp(3) with time zone`, `text[]`. */
const TYPE_NAME = String.raw`${IDENT}(?:\.${IDENT})*(?:\s+[A-Za-z_]+)*(?:\(\d+(?:,\s*\d+)?\))?(?:\s+with(?:out)?\s+time\s+zone)?(?:\[\])*`;
/** A constant: a quoted string (also `E'…'`, `B'…'`), a number, a boolean or NULL. */
const CONSTANT = String.raw`(?:[EBXebx]?'(?:[^']|'')*'|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|true|false|TRUE|FALSE|NULL)`;
const CAST = String.raw`(?:::${TYPE_NAME})`;
/** `0`, `'x'::text`, `('-1'::integer)`, `('{}'::text[])::character varying[]`. */
const LITERAL = new RegExp(String.raw`^(?:\(\s*)*${CONSTANT}(?:\s*\)?${CAST})*(?:\s*\))*$`);

/**
 * True when `expression` is a constant, possibly wrapped in casts and parentheses.
 * @example
 * ```ts
 * isLiteralExpression("'{}'::text[]"); // true
 * isLiteralExpression('now()');        // false
 * ```
 */
export function isLiteralExpression(expression: string): boolean {
  const text = expression.trim();
  if (!LITERAL.test(text)) return false;
  // Parentheses must balance (the pattern allows them loosely).
  let depth = 0;
  let inString = false;
  for (const ch of text) {
    if (ch === "'") inString = !inString;
    else if (!inString && ch === '(') depth++;
    else if (!inString && ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Classifies a non-identity, non-generated default.
 * @param sequence the qualified sequence the default reads (from pg_depend), when it calls `nextval`.
 * @example
 * ```ts
 * classifyDefault('0'); // { kind: 'literal', value: '0' }
 * ```
 */
export function classifyDefault(expression: string, sequence?: string): ColumnDefault {
  if (/^nextval\(/i.test(expression)) {
    return { kind: 'sequence', ...(sequence ? { sequence } : {}), expression };
  }
  if (isLiteralExpression(expression)) return { kind: 'literal', value: expression };
  return { kind: 'expression', expression };
}
