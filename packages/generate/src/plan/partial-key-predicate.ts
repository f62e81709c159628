/**
 * The WHERE of a partial unique index, read as the AND of simple conditions on
 * one column each, and for each condition the constraint that makes a row fall
 * outside the index (where the key need not be unique): `deleted = false` is
 * falsified by `deleted = true`, `user_id IS NULL` by a value, `status = ANY
 * (ARRAY[100, 200])` by any other status. A row that fails any one of the
 * conditions is outside.
 *
 * @example
 * ```ts
 * predicateEscapes('((is_latest = true) AND (branch_type <> \'published\'::branch_type))');
 * // [{ column: 'is_latest', kind: 'value', constraint: { type: 'in', column: 'is_latest', values: [false] } },
 * //  { column: 'branch_type', kind: 'value', constraint: { type: 'in', column: 'branch_type', values: ['published'] } }]
 * ```
 */
import type { ColumnConstraint, Scalar } from '../checks/check-constraints.js';

/** How one condition of the WHERE is falsified. */
export type PredicateEscape =
  /** A value constraint on the column (`in` / `notIn` / `notNull`). */
  | { readonly column: string; readonly kind: 'value'; readonly constraint: ColumnConstraint }
  /** The column is always NULL (`col IS NOT NULL` falsified). */
  | { readonly column: string; readonly kind: 'null' };

const IDENT = String.raw`(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))`;
const CAST = String.raw`(?:::[A-Za-z_][\w."]*(?:\s+[A-Za-z_]\w*)*(?:\(\d+(?:,\s*\d+)?\))?)*`;
const LITERAL = String.raw`('(?:[^']|'')*'|-?\d+(?:\.\d+)?|true|false)${CAST}`;

function identOf(m: RegExpExecArray, at: number): string {
  return m[at] !== undefined ? m[at]!.replace(/""/g, '"') : m[at + 1]!;
}

function literalOf(text: string): Scalar {
  const t = text.replace(new RegExp(`${CAST}$`), '');
  if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
  if (t === 'true') return true;
  if (t === 'false') return false;
  return Number(t);
}

/** Strips parentheses that wrap the whole text. */
function unwrap(text: string): string {
  let t = text.trim();
  for (;;) {
    if (!t.startsWith('(') || !t.endsWith(')')) return t;
    let depth = 0;
    let wraps = true;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '(') depth++;
      else if (t[i] === ')') depth--;
      if (depth === 0 && i < t.length - 1) {
        wraps = false;
        break;
      }
    }
    if (!wraps) return t;
    t = t.slice(1, -1).trim();
  }
}

/** The top-level AND parts (outside parentheses and quotes). */
function conjuncts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const upper = text.toUpperCase();
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && upper.startsWith(' AND ', i)) {
      parts.push(text.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(text.slice(start));
  return parts.map(unwrap);
}

/** `'a', 'b''s', 3` as its values, split outside quotes; undefined when an item is not a literal. */
function literalList(text: string): Scalar[] | undefined {
  const items = (text.match(/(?:'(?:[^']|'')*'|[^,'])+/g) ?? []).map((s) => s.trim());
  return items.length > 0 && items.every((s) => new RegExp(`^${LITERAL}$`, 'i').test(s)) ? items.map(literalOf) : undefined;
}

function escapeOf(part: string): PredicateEscape | undefined {
  const is = (pattern: string): RegExpExecArray | null => new RegExp(`^${pattern}$`, 'i').exec(part);
  let m: RegExpExecArray | null;
  if ((m = is(`${IDENT}(?:\\s*=\\s*true)?`))) return { column: identOf(m, 1), kind: 'value', constraint: { type: 'in', column: identOf(m, 1), values: [false] } };
  if ((m = is(`${IDENT}\\s*=\\s*false`)) || (m = is(`NOT\\s+${IDENT}`))) return { column: identOf(m, 1), kind: 'value', constraint: { type: 'in', column: identOf(m, 1), values: [true] } };
  if ((m = is(`${IDENT}\\s+IS\\s+NULL`))) return { column: identOf(m, 1), kind: 'value', constraint: { type: 'notNull', column: identOf(m, 1) } };
  if ((m = is(`${IDENT}\\s+IS\\s+NOT\\s+NULL`))) return { column: identOf(m, 1), kind: 'null' };
  if ((m = is(`${IDENT}${CAST}\\s*=\\s*${LITERAL}`))) return { column: identOf(m, 1), kind: 'value', constraint: { type: 'notIn', column: identOf(m, 1), values: [literalOf(m[3]!)] } };
  if ((m = is(`${IDENT}${CAST}\\s*(?:<>|!=)\\s*${LITERAL}`))) return { column: identOf(m, 1), kind: 'value', constraint: { type: 'in', column: identOf(m, 1), values: [literalOf(m[3]!)] } };
  // `status IN ('preparing', 'activating')`, as a drizzle schema writes it (PostgreSQL prints `= ANY (ARRAY[…])`).
  if ((m = is(`${IDENT}${CAST}\\s+(NOT\\s+)?IN\\s*\\((.*)\\)`))) {
    const items = literalList(m[4]!);
    if (items) return { column: identOf(m, 1), kind: 'value', constraint: { type: m[3] ? 'in' : 'notIn', column: identOf(m, 1), values: items } };
  }
  if ((m = is(`${IDENT}${CAST}\\s*=\\s*ANY\\s*\\(\\s*(?:ARRAY\\s*)?\\[(.*)\\]${CAST}\\s*\\)`))) {
    const items = m[3]!.split(',').map((s) => s.trim());
    if (items.every((s) => new RegExp(`^${LITERAL}$`, 'i').test(s))) {
      return { column: identOf(m, 1), kind: 'value', constraint: { type: 'notIn', column: identOf(m, 1), values: items.map(literalOf) } };
    }
  }
  return undefined;
}

/**
 * The ways a row can fall outside a partial index with this WHERE: one per condition that is
 * understood (an empty list when none is).
 * @example
 * ```ts
 * predicateEscapes('(deleted_at IS NULL)'); // [{ column: 'deleted_at', kind: 'value', constraint: { type: 'notNull', column: 'deleted_at' } }]
 * ```
 */
export function predicateEscapes(where: string): PredicateEscape[] {
  return conjuncts(unwrap(where))
    .map(escapeOf)
    .filter((e): e is PredicateEscape => e !== undefined);
}
