/**
 * CHECKs no value can satisfy: bounds that cross (`x > 5 AND x < 3`, or one CHECK
 * `x > 5` and another `x < 3`), a bound outside what the type holds
 * (`CHECK (n > 40000)` on a smallint), lengths or array sizes whose minimum
 * exceeds their maximum. Each is a `contradictory-check` problem that names the
 * table, the CHECK(s) and why; no row can be inserted while such a CHECK holds,
 * unless the column is nullable and NULL: the hint says how to load it that way
 * (`nullRate: 1`).
 *
 * @example
 * ```ts
 * ruleConflicts({ tableKey: 'public.t', column: 'x', shape, rules, expressions, now, dialect: 'postgres' });
 * // [{ code: 'contradictory-check', message: 'public.t: CHECK t_x_check ((x > 5) AND (x < 3)) can never hold: x > 5 and x < 3 leave no value', … }]
 * ```
 */
import type { DialectName } from '@understudy/core';
import { FAMILY_KINDS } from '../infer/semantic-kinds.js';
import type { Bound } from '../checks/check-constraints.js';
import type { BoundKey, ColumnRules } from './column-rules.js';
import type { ColumnShape } from './column-shape.js';
import { hardNumberRange, hardTimeRange, isNumberKind, isTextKind, isTimeKind } from './concrete-generator.js';
import type { PlanProblem } from './plan-errors.js';
import { decimalRange } from './type-ranges.js';

export interface RuleConflictInput {
  readonly tableKey: string;
  readonly column: string;
  readonly shape: ColumnShape;
  readonly rules: ColumnRules;
  /** CHECK expressions by name, for messages. */
  readonly expressions: ReadonlyMap<string, string>;
  /** Epoch seconds. */
  readonly now: number;
  readonly dialect: DialectName;
}

function bound(column: string, op: '>' | '<', b: Bound | undefined): string {
  if (!b) return '';
  const value = typeof b.value === 'string' ? (b.value === 'now' ? 'now()' : `'${b.value}'`) : String(b.value);
  return `${column} ${op}${b.exclusive ? '' : '='} ${value}`;
}

/** Why the column's bounds leave no value (and which bound keys are to blame), or undefined. */
function emptyRange(input: RuleConflictInput): { why: string; keys: BoundKey[] } | undefined {
  const { shape, rules, column } = input;
  if (shape.arrayDimensions > 0) return undefined;
  const isDecimal = FAMILY_KINDS.decimal.includes(shape.kind);
  const range = isNumberKind(shape)
    ? hardNumberRange(shape, rules, isDecimal ? decimalRange(shape).scale : undefined)
    : isTimeKind(shape)
      ? hardTimeRange(shape, rules, { now: input.now, dialect: input.dialect })
      : undefined;
  if (!range || range.min <= range.max) return undefined;
  if (rules.min && rules.max) return { why: `${bound(column, '>', rules.min)} and ${bound(column, '<', rules.max)} leave no value`, keys: ['min', 'max'] };
  const key: BoundKey = rules.min ? 'min' : 'max';
  return { why: `${rules.min ? bound(column, '>', rules.min) : bound(column, '<', rules.max)} is outside what ${shape.rawType} holds`, keys: [key] };
}

function emptyCounts(input: RuleConflictInput): { why: string; keys: BoundKey[] } | undefined {
  const { shape, rules, column } = input;
  if (isTextKind(shape) && shape.arrayDimensions === 0 && rules.minLength !== undefined) {
    if (rules.maxLength !== undefined && rules.minLength > rules.maxLength) {
      return { why: `${column} must be at least ${rules.minLength} and at most ${rules.maxLength} characters long`, keys: ['minLength', 'maxLength'] };
    }
    if (shape.length !== undefined && rules.minLength > shape.length)
      return { why: `${column} must be at least ${rules.minLength} characters long, but ${shape.rawType} holds ${shape.length}`, keys: ['minLength'] };
  }
  if (shape.arrayDimensions > 0 && rules.minItems !== undefined && rules.maxItems !== undefined && rules.minItems > rules.maxItems) {
    return { why: `${column} must have at least ${rules.minItems} and at most ${rules.maxItems} elements`, keys: ['minItems', 'maxItems'] };
  }
  return undefined;
}

/**
 * The contradictions among one column's CHECK rules (see the file comment).
 *
 * @example
 * ```ts
 * problems.push(...ruleConflicts(input));
 * ```
 */
export function ruleConflicts(input: RuleConflictInput): PlanProblem[] {
  const out: PlanProblem[] = [];
  for (const found of [emptyRange(input), emptyCounts(input)]) {
    if (!found) continue;
    const checks = [...new Set(found.keys.map((k) => input.rules.sources[k]).filter((c): c is string => c !== undefined))];
    const named = checks.map((c) => `CHECK ${c} (${input.expressions.get(c) ?? '?'})`).join(' and ');
    const where = `tables["${input.tableKey}"]`;
    out.push({
      code: 'contradictory-check',
      table: input.tableKey,
      column: input.column,
      message: `${input.tableKey}: ${named} can never hold: ${found.why}`,
      hint:
        input.shape.nullable && !input.rules.notNull
          ? `fix the CHECK; as it stands ${input.column} can only be NULL: to load it so, set ${where}.columns.${input.column}.nullRate = 1 in the config`
          : `no row can be inserted while it holds: fix the CHECK, or give ${input.tableKey} 0 rows (${where}.rows = 0 in the config)`,
    });
  }
  return out;
}
