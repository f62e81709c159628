/**
 * Everything the CHECKs (of the table and of the column's domain) say about one
 * column, merged: bounds, allowed and forbidden values, lengths, LIKE and regex
 * patterns, case, NOT NULL, JSON, and which column it must follow.
 *
 * @example
 * ```ts
 * const rules = mergeColumnRules('rating', constraints);
 * rules.min; // { value: 0, exclusive: false }
 * ```
 */
import type { Bound, ColumnConstraint, Scalar } from '../checks/check-constraints.js';

export interface ColumnRules {
  min?: Bound;
  max?: Bound;
  /** Allowed values (intersection of every IN list). */
  values?: Scalar[];
  exclude: Scalar[];
  minLength?: number;
  maxLength?: number;
  likes: Array<{ pattern: string; caseInsensitive: boolean; check: string }>;
  regexes: Array<{ pattern: string; caseInsensitive: boolean; check: string }>;
  case?: 'lower' | 'upper';
  notNull: boolean;
  json: boolean;
  /** This column is greater than these columns of the same row. */
  after: Array<{ column: string; strict: boolean; check: string }>;
  /** Names of the CHECKs that constrain this column. */
  checks: string[];
}

export function emptyRules(): ColumnRules {
  return { exclude: [], likes: [], regexes: [], notNull: false, json: false, after: [], checks: [] };
}

function compareBound(a: Bound, b: Bound): number {
  const x = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : String(a.value) < String(b.value) ? -1 : String(a.value) > String(b.value) ? 1 : 0;
  return x;
}

function tighterMin(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = compareBound(a, b);
  if (c === 0) return a.exclusive ? a : b;
  return c > 0 ? a : b;
}

function tighterMax(a: Bound | undefined, b: Bound): Bound {
  if (!a) return b;
  const c = compareBound(a, b);
  if (c === 0) return a.exclusive ? a : b;
  return c < 0 ? a : b;
}

/** Adds one constraint (from CHECK `check`) to the rules of the columns it is about. */
export function addConstraint(rules: Map<string, ColumnRules>, constraint: ColumnConstraint, check: string): void {
  const of = (column: string): ColumnRules => {
    let r = rules.get(column);
    if (!r) rules.set(column, (r = emptyRules()));
    if (!r.checks.includes(check)) r.checks.push(check);
    return r;
  };
  switch (constraint.type) {
    case 'range': {
      const r = of(constraint.column);
      if (constraint.min) r.min = tighterMin(r.min, constraint.min);
      if (constraint.max) r.max = tighterMax(r.max, constraint.max);
      break;
    }
    case 'in': {
      const r = of(constraint.column);
      r.values = r.values === undefined ? [...constraint.values] : r.values.filter((v) => constraint.values.includes(v));
      break;
    }
    case 'notIn':
      of(constraint.column).exclude.push(...constraint.values);
      break;
    case 'length': {
      const r = of(constraint.column);
      if (constraint.min !== undefined) r.minLength = Math.max(r.minLength ?? 0, constraint.min);
      if (constraint.max !== undefined) r.maxLength = Math.min(r.maxLength ?? Infinity, constraint.max);
      break;
    }
    case 'like':
      of(constraint.column).likes.push({ pattern: constraint.pattern, caseInsensitive: constraint.caseInsensitive, check });
      break;
    case 'regex':
      of(constraint.column).regexes.push({ pattern: constraint.pattern, caseInsensitive: constraint.caseInsensitive, check });
      break;
    case 'notNull':
      of(constraint.column).notNull = true;
      break;
    case 'json':
      of(constraint.column).json = true;
      break;
    case 'case':
      of(constraint.column).case = constraint.case;
      break;
    case 'trimmed':
      of(constraint.column);
      break;
    case 'order':
      of(constraint.greater).after.push({ column: constraint.lesser, strict: constraint.strict, check });
      of(constraint.lesser);
      break;
    case 'anyNotNull':
      for (const c of constraint.columns) of(c);
      break;
  }
}
