/**
 * Everything the CHECKs (of the table and of the column's domain) say about one
 * column, merged: bounds, allowed and forbidden values, lengths, array sizes, LIKE
 * and regex patterns, case, NOT NULL, JSON, and which column it must follow; and
 * which CHECK set each bound, so a contradiction can name it.
 *
 * @example
 * ```ts
 * const rules = mergeColumnRules('rating', constraints);
 * rules.min; // { value: 0, exclusive: false }
 * ```
 */
import type { Bound, ColumnConstraint, JsonKind, Scalar } from '../checks/check-constraints.js';

export interface ColumnRules {
  min?: Bound;
  max?: Bound;
  /** Allowed values (intersection of every IN list). */
  values?: Scalar[];
  exclude: Scalar[];
  minLength?: number;
  maxLength?: number;
  /** Array sizes; `allItems` when a bound counts every element (`cardinality`), not only the first dimension. */
  minItems?: number;
  maxItems?: number;
  allItems: boolean;
  likes: Array<{ pattern: string; caseInsensitive: boolean; check: string }>;
  regexes: Array<{ pattern: string; caseInsensitive: boolean; check: string }>;
  case?: 'lower' | 'upper';
  notNull: boolean;
  json: boolean;
  /** The JSON types it may hold (`jsonb_typeof(x) = 'array'`), every CHECK's together; undefined: any. */
  jsonKinds?: JsonKind[];
  /** Keys of the JSON document its CHECKs name: present with a non-empty text (of `values`), or absent. */
  jsonKeys?: Array<{ key: string; present: boolean; values?: string[] }>;
  /** This column is greater than these columns of the same row. */
  after: Array<{ column: string; strict: boolean; check: string }>;
  /** Names of the CHECKs that constrain this column. */
  checks: string[];
  /** Names of the CHECKs that constrain its values (not only whether it is NULL). */
  valueChecks: string[];
  /** The CHECK that set each bound. */
  sources: Partial<Record<BoundKey, string>>;
}

export type BoundKey = 'min' | 'max' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems' | 'notNull' | 'values' | 'exclude';

export function emptyRules(): ColumnRules {
  return { exclude: [], likes: [], regexes: [], notNull: false, json: false, after: [], checks: [], valueChecks: [], sources: {}, allItems: false };
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
  const of = (column: string, shapesValues = true): ColumnRules => {
    let r = rules.get(column);
    if (!r) rules.set(column, (r = emptyRules()));
    if (!r.checks.includes(check)) r.checks.push(check);
    if (shapesValues && !r.valueChecks.includes(check)) r.valueChecks.push(check);
    return r;
  };
  /** Sets a bound when tighter, remembering the CHECK it came from. */
  const tighten = <K extends 'min' | 'max'>(r: ColumnRules, key: K, bound: Bound): void => {
    const next = key === 'min' ? tighterMin(r.min, bound) : tighterMax(r.max, bound);
    if (next !== r[key]) r.sources[key] = check;
    r[key] = next;
  };
  const tightenCount = (r: ColumnRules, key: 'minLength' | 'maxLength' | 'minItems' | 'maxItems', n: number): void => {
    const current = r[key];
    const lower = key === 'minLength' || key === 'minItems';
    if (current !== undefined && (lower ? n <= current : n >= current)) return;
    r[key] = n;
    r.sources[key] = check;
  };
  switch (constraint.type) {
    case 'range': {
      const r = of(constraint.column);
      if (constraint.min) tighten(r, 'min', constraint.min);
      if (constraint.max) tighten(r, 'max', constraint.max);
      break;
    }
    case 'in': {
      const r = of(constraint.column);
      r.sources.values ??= check;
      r.values = r.values === undefined ? [...constraint.values] : r.values.filter((v) => constraint.values.includes(v));
      break;
    }
    case 'notIn': {
      const r = of(constraint.column);
      r.exclude.push(...constraint.values);
      r.sources.exclude ??= check;
      break;
    }
    case 'length': {
      const r = of(constraint.column);
      if (constraint.min !== undefined) tightenCount(r, 'minLength', constraint.min);
      if (constraint.max !== undefined) tightenCount(r, 'maxLength', constraint.max);
      break;
    }
    case 'items': {
      const r = of(constraint.column);
      if (constraint.min !== undefined) tightenCount(r, 'minItems', constraint.min);
      if (constraint.max !== undefined) tightenCount(r, 'maxItems', constraint.max);
      if (constraint.dimension === 'all') r.allItems = true;
      break;
    }
    case 'like':
      of(constraint.column).likes.push({ pattern: constraint.pattern, caseInsensitive: constraint.caseInsensitive, check });
      break;
    case 'regex':
      of(constraint.column).regexes.push({ pattern: constraint.pattern, caseInsensitive: constraint.caseInsensitive, check });
      break;
    case 'notNull': {
      const r = of(constraint.column, false);
      r.notNull = true;
      r.sources.notNull ??= check;
      break;
    }
    case 'json': {
      const r = of(constraint.column);
      r.json = true;
      if (constraint.kinds) r.jsonKinds = (r.jsonKinds ?? [...constraint.kinds]).filter((k) => constraint.kinds!.includes(k));
      break;
    }
    case 'jsonKey': {
      const r = of(constraint.column);
      r.json = true;
      r.jsonKeys ??= [];
      const known = r.jsonKeys.find((k) => k.key === constraint.key && k.present === constraint.present);
      if (known && constraint.values) known.values = known.values ? known.values.filter((v) => constraint.values!.includes(v)) : [...constraint.values];
      else if (!known) r.jsonKeys.push({ key: constraint.key, present: constraint.present, ...(constraint.values ? { values: [...constraint.values] } : {}) });
      break;
    }
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
    case 'nulls':
      for (const c of constraint.columns) of(c, false);
      break;
  }
}
