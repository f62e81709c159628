/**
 * CHECKs that speak only of which columns are NULL: `(a IS NOT NULL) <> (b IS NOT NULL)`,
 * `(a IS NULL) = (b IS NULL)`, `num_nonnulls(a, b, c) = 1`, `num_nulls(a, b) >= 1`,
 * `((a IS NOT NULL)::integer + (b IS NOT NULL)::integer) = 1`, MySQL's
 * `(a is not null) + (b is not null) = 1` and `isnull(a)`, `CASE WHEN a IS NOT NULL THEN 1 ELSE 0 END + …`,
 * Rails' and Django's `(a IS NOT NULL AND b IS NULL) OR (a IS NULL AND b IS NOT NULL)`, and any
 * AND / OR / NOT of these. Such an expression is never NULL, so it is decided exactly by trying
 * every NULL / NOT NULL combination of its columns: the result is the list of combinations
 * (patterns) that satisfy it, whatever the spelling.
 *
 * @example
 * ```ts
 * nullPatternsOf(parseCheck('(num_nonnulls(a, b) = 1)'), (n) => n.type === 'column' ? n.name : undefined);
 * // { columns: ['a', 'b'], patterns: ['10', '01'] }   ('1': NOT NULL)
 * ```
 */
import type { CheckNode } from './check-parser.js';

/** The most columns one such CHECK may name (2^12 combinations are tried). */
export const MAX_PATTERN_COLUMNS = 12;

/** The NULL / NOT NULL combinations of `columns` a CHECK allows: `'1'` at position i means column i is NOT NULL. */
export interface NullPatterns {
  readonly columns: readonly string[];
  readonly patterns: readonly string[];
}

type Value = boolean | number;
type Compiled = (mask: number) => Value;

const INTEGER_CASTS = /^(int|integer|smallint|bigint|int2|int4|int8|signed|unsigned|numeric|decimal)\b/;
const COMPARE = new Set(['=', '<>', '<', '<=', '>', '>=', 'is distinct from', 'is not distinct from']);

const num = (v: Value): number => (typeof v === 'boolean' ? Number(v) : v);

function compareValues(op: string, a: Value, b: Value): boolean {
  const x = num(a);
  const y = num(b);
  switch (op) {
    case '=':
    case 'is not distinct from':
      return x === y;
    case '<>':
    case 'is distinct from':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

type Compile = (n: CheckNode) => Compiled | undefined;

/** AND, OR, comparisons and arithmetic over compiled operands; x IS [NOT] DISTINCT FROM NULL as x IS [NOT] NULL. */
function compileBinary(n: Extract<CheckNode, { type: 'binary' }>, compile: Compile): Compiled | undefined {
  // x IS [NOT] DISTINCT FROM NULL (MySQL: x <=> NULL) is x IS [NOT] NULL.
  const isNullLiteral = (m: CheckNode): boolean => m.type === 'literal' && m.value === null;
  if ((n.op === 'is distinct from' || n.op === 'is not distinct from') && (isNullLiteral(n.left) || isNullLiteral(n.right))) {
    return compile({ type: 'isnull', arg: isNullLiteral(n.left) ? n.right : n.left, negated: n.op === 'is distinct from' });
  }
  const l = compile(n.left);
  const r = l && compile(n.right);
  if (!l || !r) return undefined;
  if (n.op === 'and') return (mask) => num(l(mask)) !== 0 && num(r(mask)) !== 0;
  if (n.op === 'or') return (mask) => num(l(mask)) !== 0 || num(r(mask)) !== 0;
  if (COMPARE.has(n.op)) return (mask) => compareValues(n.op, l(mask), r(mask));
  if (n.op === '+') return (mask) => num(l(mask)) + num(r(mask));
  if (n.op === '-') return (mask) => num(l(mask)) - num(r(mask));
  if (n.op === '*') return (mask) => num(l(mask)) * num(r(mask));
  return undefined;
}

/** CASE [operand] WHEN … THEN … ELSE … END, with an ELSE (without one the result may be NULL). */
function compileCase(n: Extract<CheckNode, { type: 'case' }>, compile: Compile): Compiled | undefined {
  const operand = n.operand ? compile(n.operand) : undefined;
  if (n.operand && !operand) return undefined;
  const whens = n.whens.map((w) => ({ when: compile(w.when), then: compile(w.then) }));
  // Without ELSE the result may be NULL: not a pure NULL-pattern expression.
  const otherwise = n.else ? compile(n.else) : undefined;
  if (!otherwise || whens.some((w) => !w.when || !w.then)) return undefined;
  return (mask) => {
    for (const w of whens) {
      const hit = operand ? num(operand(mask)) === num(w.when!(mask)) : num(w.when!(mask)) !== 0;
      if (hit) return w.then!(mask);
    }
    return otherwise(mask);
  };
}

/**
 * The patterns a CHECK (or one AND-part of it) allows, when it depends only on which columns are
 * NULL; undefined otherwise. `columnOf` names the column a node stands for (through casts), or
 * undefined.
 *
 * @example
 * ```ts
 * nullPatternsOf(parseCheck('((a IS NOT NULL) OR ((b IS NOT NULL) AND (c IS NOT NULL)))'), columnOf);
 * // { columns: ['a', 'b', 'c'], patterns: ['100', '110', '101', '111', '011'] }
 * ```
 */
export function nullPatternsOf(node: CheckNode, columnOf: (node: CheckNode) => string | undefined): NullPatterns | undefined {
  const columns: string[] = [];
  const bit = (n: CheckNode): number | undefined => {
    const column = columnOf(n);
    if (column === undefined) return undefined;
    let i = columns.indexOf(column);
    if (i < 0) {
      if (columns.length >= MAX_PATTERN_COLUMNS) return undefined;
      i = columns.push(column) - 1;
    }
    return 1 << i;
  };

  const compile = (n: CheckNode): Compiled | undefined => {
    switch (n.type) {
      case 'literal':
        if (typeof n.value === 'boolean') return () => n.value as boolean;
        if (typeof n.value === 'number') return () => n.value as number;
        if (typeof n.value === 'string' && n.cast !== undefined && INTEGER_CASTS.test(n.cast) && /^\s*-?\d+\s*$/.test(n.value)) return () => Number(n.value);
        return undefined;
      case 'isnull': {
        const b = bit(n.arg);
        if (b === undefined) return undefined;
        return n.negated ? (mask) => (mask & b) !== 0 : (mask) => (mask & b) === 0;
      }
      case 'call': {
        if (n.name === 'num_nonnulls' || n.name === 'num_nulls') {
          const bits = n.args.map(bit);
          if (bits.length === 0 || bits.some((b) => b === undefined)) return undefined;
          const nonNull = n.name === 'num_nonnulls';
          return (mask) => bits.reduce((count: number, b) => count + (((mask & b!) !== 0) === nonNull ? 1 : 0), 0);
        }
        // MySQL's isnull(x): 1 when x IS NULL.
        if (n.name === 'isnull' && n.args.length === 1) {
          const b = bit(n.args[0]!);
          return b === undefined ? undefined : (mask) => (mask & b) === 0;
        }
        // coalesce(<never NULL>, …) is its first argument.
        if (n.name === 'coalesce' && n.args.length >= 1) return compile(n.args[0]!);
        return undefined;
      }
      case 'cast': {
        const inner = compile(n.arg);
        if (!inner) return undefined;
        if (INTEGER_CASTS.test(n.to)) return (mask) => num(inner(mask));
        if (/^bool/.test(n.to)) return (mask) => num(inner(mask)) !== 0;
        return undefined;
      }
      case 'not': {
        const inner = compile(n.arg);
        return inner && ((mask) => num(inner(mask)) === 0);
      }
      case 'negate': {
        const inner = compile(n.arg);
        return inner && ((mask) => -num(inner(mask)));
      }
      case 'binary':
        return compileBinary(n, compile);
      case 'between': {
        const v = compile(n.arg);
        const lo = v && compile(n.low);
        const hi = lo && compile(n.high);
        if (!v || !lo || !hi) return undefined;
        return (mask) => {
          const x = num(v(mask));
          const inside = x >= num(lo(mask)) && x <= num(hi(mask));
          return n.negated ? !inside : inside;
        };
      }
      case 'in': {
        const v = compile(n.arg);
        const items = n.items.map(compile);
        if (!v || items.some((i) => i === undefined)) return undefined;
        return (mask) => {
          const x = num(v(mask));
          const hit = items.some((i) => num(i!(mask)) === x);
          return n.negated ? !hit : hit;
        };
      }
      case 'quantified': {
        // num_nonnulls(a, b, c) = ANY (ARRAY[0, 3]) and its <> ALL.
        const v = compile(n.left);
        const list = n.right.type === 'cast' ? n.right.arg : n.right;
        if (!v || list.type !== 'array') return undefined;
        const items = list.items.map(compile);
        if (items.some((i) => i === undefined) || !COMPARE.has(n.op)) return undefined;
        return n.quantifier === 'any' ? (mask) => items.some((i) => compareValues(n.op, v(mask), i!(mask))) : (mask) => items.every((i) => compareValues(n.op, v(mask), i!(mask)));
      }
      case 'case':
        return compileCase(n, compile);
      default:
        return undefined;
    }
  };

  const test = compile(node);
  if (!test || columns.length === 0) return undefined;
  const patterns: string[] = [];
  for (let mask = 0; mask < 1 << columns.length; mask++) {
    if (num(test(mask)) === 0) continue;
    patterns.push(columns.map((_, i) => ((mask >> i) & 1 ? '1' : '0')).join(''));
  }
  return { columns, patterns };
}
