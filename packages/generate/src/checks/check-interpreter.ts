/**
 * Turns CHECK expressions into column constraints (see check-constraints.ts).
 * Understood: numeric and date bounds (`>`, `>=`, `BETWEEN`, `<= now()`), value
 * sets (`IN`, `= ANY (ARRAY[…])`, `<> ALL`, `NOT IN`), lengths (`length`,
 * `char_length`, `octet_length`, over `btrim`/`trim`), `LIKE`/`ILIKE` (`~~`),
 * regexes (`~`, `~*`, `REGEXP`, `regexp_like`), column order (`a > b`),
 * NULL patterns (any expression over `IS [NOT] NULL`, `num_nonnulls`, `num_nulls`:
 * exactly one of, both or neither, at least one; see null-patterns.ts), array sizes
 * (`cardinality(x)`, `array_length(x, 1)`), `json_valid`, `x = lower(x)`, and
 * `x IS NULL OR …`. Any other OR takes one branch that is understood (sound:
 * rows satisfying it satisfy the OR).
 * Everything else comes back as `uninterpreted` with the reason, so the plan can
 * list it and a config generator can take over.
 *
 * @example
 * ```ts
 * interpretCheck({ name: 'rating_range', expression: '((rating >= 0) AND (rating <= 5))' }, { columns: ['rating'] });
 * // { status: 'interpreted', constraints: [{ type: 'range', column: 'rating', min: {value: 0, …} }, …] }
 * ```
 */
import { CheckParseError, parseCheck, type CheckNode } from './check-parser.js';
import { JSON_KINDS, type Bound, type CheckInterpretation, type ColumnConstraint, type Scalar } from './check-constraints.js';
import { nullPatternsOf } from './null-patterns.js';

export interface InterpretOptions {
  /** The table's column names (matched exactly, then case-insensitively). */
  readonly columns: readonly string[];
  /** MySQL/MariaDB spelling: backslash escapes in strings. */
  readonly backslashEscapes?: boolean;
  /** For a domain's CHECK: the column that `VALUE` stands for. */
  readonly valueColumn?: string;
  /** The columns that may be NULL: `x IS NULL OR <what is not understood>` then holds by keeping x NULL. */
  readonly nullable?: readonly string[];
}

class NotInterpretable extends Error {}

/** The size of each of two arrays a CHECK keeps the same size (parallel arrays): the same in every row. */
const PARALLEL_ITEMS = 3;

const LENGTH_FUNCTIONS = new Set(['length', 'char_length', 'character_length', 'octet_length', 'len']);
const TRIM_FUNCTIONS = new Set(['btrim', 'trim', 'ltrim', 'rtrim']);
const NOW_FUNCTIONS = new Set(['now', 'current_date', 'current_timestamp', 'localtimestamp', 'statement_timestamp', 'transaction_timestamp', 'clock_timestamp', 'sysdate', 'curdate', 'utc_timestamp']);
const FLIP: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '=': '=', '<>': '<>' };
const NEGATE: Record<string, string> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '=': '<>', '<>': '=' };

/**
 * A short SQL-ish rendering of a node, for reasons.
 *
 * @example
 * ```ts
 * describeNode(parseCheck('(x > 1)')); // '(x > 1)'
 * ```
 */
export function describeNode(node: CheckNode): string {
  switch (node.type) {
    case 'column':
      return node.name;
    case 'literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'array':
      return `ARRAY[${node.items.map(describeNode).join(', ')}]`;
    case 'call':
      return `${node.name}(${node.args.map(describeNode).join(', ')})`;
    case 'cast':
      return `${describeNode(node.arg)}::${node.to}`;
    case 'binary':
      return `(${describeNode(node.left)} ${node.op.toUpperCase()} ${describeNode(node.right)})`;
    case 'not':
      return `NOT ${describeNode(node.arg)}`;
    case 'negate':
      return `-${describeNode(node.arg)}`;
    case 'isnull':
      return `${describeNode(node.arg)} IS ${node.negated ? 'NOT ' : ''}NULL`;
    case 'between':
      return `${describeNode(node.arg)} ${node.negated ? 'NOT ' : ''}BETWEEN ${describeNode(node.low)} AND ${describeNode(node.high)}`;
    case 'in':
      return `${describeNode(node.arg)} ${node.negated ? 'NOT ' : ''}IN (${node.items.map(describeNode).join(', ')})`;
    case 'quantified':
      return `${describeNode(node.left)} ${node.op} ${node.quantifier.toUpperCase()} (${describeNode(node.right)})`;
    case 'case':
      return `CASE${node.operand ? ` ${describeNode(node.operand)}` : ''} ${node.whens.map((w) => `WHEN ${describeNode(w.when)} THEN ${describeNode(w.then)}`).join(' ')}${node.else ? ` ELSE ${describeNode(node.else)}` : ''} END`;
  }
}

/** Splits a PostgreSQL array literal text `{a,"b c",d}` into its items. */
function parseArrayLiteral(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return undefined;
  const items: string[] = [];
  let i = 1;
  while (i < t.length - 1) {
    let item = '';
    if (t[i] === '"') {
      i++;
      while (i < t.length - 1 && t[i] !== '"') {
        if (t[i] === '\\') i++;
        item += t[i++];
      }
      i++;
    } else {
      while (i < t.length - 1 && t[i] !== ',') item += t[i++];
      item = item.trim();
    }
    items.push(item);
    if (t[i] === ',') i++;
  }
  return items;
}

/** The column a node denotes (through casts and COLLATE), or undefined; throws on a name that is no column of the table. */
type ColumnOf = (node: CheckNode) => string | undefined;
type ScalarOf = { value: Scalar; cast?: string } | 'now';

/** Phase one: the table's columns, as a lookup from a node to the column it names. */
function columnResolver(options: InterpretOptions): ColumnOf {
  const byLower = new Map(options.columns.map((c) => [c.toLowerCase(), c]));
  const exact = new Set(options.columns);

  const resolveColumn = (name: string): string | undefined => {
    if (options.valueColumn !== undefined && name.toLowerCase() === 'value') return options.valueColumn;
    if (exact.has(name)) return name;
    return byLower.get(name.toLowerCase());
  };

  const columnOf = (node: CheckNode): string | undefined => {
    if (node.type === 'column') {
      const c = resolveColumn(node.name);
      if (c === undefined) throw new NotInterpretable(`${node.name} is not a column of this table`);
      return c;
    }
    if (node.type === 'cast') return columnOf(node.arg);
    return undefined;
  };
  return columnOf;
}

/** A column under a length function (`length(btrim((code)::text))`). */
function lengthColumnOf(node: CheckNode, columnOf: ColumnOf): string | undefined {
  if (node.type === 'cast') return lengthColumnOf(node.arg, columnOf);
  if (node.type !== 'call' || !LENGTH_FUNCTIONS.has(node.name) || node.args.length !== 1) return undefined;
  let arg = node.args[0]!;
  for (;;) {
    if (arg.type === 'cast') arg = arg.arg;
    else if (arg.type === 'call' && TRIM_FUNCTIONS.has(arg.name) && arg.args.length === 1) arg = arg.args[0]!;
    else break;
  }
  return columnOf(arg);
}

/** An array column under `cardinality(x)` (every element) or `array_length(x, 1)` (the first dimension). */
function itemsColumnOf(node: CheckNode, columnOf: ColumnOf): { column: string; dimension: 'all' | 'first' } | undefined {
  if (node.type === 'cast') return itemsColumnOf(node.arg, columnOf);
  if (node.type !== 'call') return undefined;
  if (node.name === 'cardinality' && node.args.length === 1) {
    const column = columnOf(node.args[0]!);
    return column === undefined ? undefined : { column, dimension: 'all' };
  }
  const dim = node.args[1];
  if (node.name === 'array_length' && node.args.length === 2 && dim?.type === 'literal' && dim.value === 1) {
    const column = columnOf(node.args[0]!);
    return column === undefined ? undefined : { column, dimension: 'first' };
  }
  return undefined;
}

function caseFunctionOf(node: CheckNode, columnOf: ColumnOf): { column: string; fn: string } | undefined {
  const n = node.type === 'cast' ? node.arg : node;
  if (n.type === 'call' && n.args.length === 1 && ['lower', 'upper', 'btrim', 'trim'].includes(n.name)) {
    const column = columnOf(n.args[0]!);
    if (column !== undefined) return { column, fn: n.name };
  }
  return undefined;
}

function scalarOf(node: CheckNode): ScalarOf | undefined {
  if (node.type === 'literal') {
    if (node.value === null) return undefined;
    return node.cast === undefined ? { value: node.value } : { value: node.value, cast: node.cast };
  }
  if (node.type === 'cast') {
    const inner = scalarOf(node.arg);
    if (inner === undefined || inner === 'now') return inner;
    return { value: inner.value, cast: inner.cast ?? node.to };
  }
  if (node.type === 'negate') {
    const inner = scalarOf(node.arg);
    if (inner && inner !== 'now' && typeof inner.value === 'number') return { value: -inner.value };
    return undefined;
  }
  if (node.type === 'call' && NOW_FUNCTIONS.has(node.name) && node.args.length === 0) return 'now';
  return undefined;
}

function listOf(node: CheckNode): Scalar[] | undefined {
  if (node.type === 'cast') return listOf(node.arg);
  if (node.type === 'array') {
    const out: Scalar[] = [];
    for (const item of node.items) {
      const s = scalarOf(item);
      if (s === undefined || s === 'now') return undefined;
      out.push(s.value);
    }
    return out;
  }
  if (node.type === 'literal' && typeof node.value === 'string') return parseArrayLiteral(node.value);
  return undefined;
}

function bound(s: ScalarOf, exclusive: boolean): Bound {
  if (s === 'now') return { value: 'now', exclusive };
  const value = typeof s.value === 'boolean' ? Number(s.value) : s.value;
  return s.cast === undefined ? { value, exclusive } : { value, exclusive, cast: s.cast };
}

function compare(column: string, op: string, s: ScalarOf): ColumnConstraint[] {
  if (s === 'now') {
    if (op === '<' || op === '<=') return [{ type: 'range', column, max: bound(s, op === '<') }];
    throw new NotInterpretable(`${column} ${op} now(): generated values cannot stay in the future of the load`);
  }
  switch (op) {
    case '=':
      return [{ type: 'in', column, values: [s.value] }];
    case '<>':
      if (s.value === '') return [{ type: 'length', column, min: 1 }];
      return [{ type: 'notIn', column, values: [s.value] }];
    case '<':
    case '<=':
      return [{ type: 'range', column, max: bound(s, op === '<') }];
    case '>':
    case '>=':
      return [{ type: 'range', column, min: bound(s, op === '>') }];
    default:
      throw new NotInterpretable(`operator ${op}`);
  }
}

function lengthCompare(column: string, op: string, n: number): ColumnConstraint[] {
  switch (op) {
    case '=':
      return [{ type: 'length', column, min: n, max: n }];
    case '<':
      return [{ type: 'length', column, max: Math.ceil(n) - 1 }];
    case '<=':
      return [{ type: 'length', column, max: Math.floor(n) }];
    case '>':
      return [{ type: 'length', column, min: Math.floor(n) + 1 }];
    case '>=':
      return [{ type: 'length', column, min: Math.ceil(n) }];
    case '<>':
      if (n === 0) return [{ type: 'length', column, min: 1 }];
      throw new NotInterpretable(`length <> ${n}`);
    default:
      throw new NotInterpretable(`operator ${op} on a length`);
  }
}

const itemsOf = (c: Extract<ColumnConstraint, { type: 'length' }>, dimension: 'all' | 'first'): ColumnConstraint => ({
  type: 'items',
  column: c.column,
  dimension,
  ...(c.min !== undefined ? { min: c.min } : {}),
  ...(c.max !== undefined ? { max: c.max } : {}),
});

/** `x ~~ 'a%'`, `x ~ '^[a-z]+$'` (and their case-insensitive forms). */
function patternMatch(op: string, left: CheckNode, right: CheckNode, columnOf: ColumnOf): ColumnConstraint[] {
  const column = columnOf(left);
  const s = scalarOf(right);
  if (column === undefined || s === undefined || s === 'now' || typeof s.value !== 'string') {
    throw new NotInterpretable(`pattern match on an expression: ${describeNode(left)}`);
  }
  const caseInsensitive = op.endsWith('*');
  return op.startsWith('~~') ? [{ type: 'like', column, pattern: s.value, caseInsensitive }] : [{ type: 'regex', column, pattern: s.value, caseInsensitive }];
}

/** A column compared with a column (order), with itself under lower/upper/trim, or with a scalar. */
function columnComparison(op: string, left: CheckNode, right: CheckNode, lc: string | undefined, rc: string | undefined, columnOf: ColumnOf): ColumnConstraint[] {
  if (lc !== undefined && rc !== undefined) {
    if (op === '>' || op === '>=') return [{ type: 'order', greater: lc, lesser: rc, strict: op === '>' }];
    if (op === '<' || op === '<=') return [{ type: 'order', greater: rc, lesser: lc, strict: op === '<' }];
    throw new NotInterpretable(`${lc} ${op} ${rc}`);
  }
  const column = (lc ?? rc)!;
  const other = lc !== undefined ? right : left;
  const effective = lc !== undefined ? op : FLIP[op]!;
  const cf = caseFunctionOf(other, columnOf);
  if (cf && cf.column === column && effective === '=') {
    return cf.fn === 'lower' || cf.fn === 'upper' ? [{ type: 'case', column, case: cf.fn }] : [{ type: 'trimmed', column }];
  }
  const s = scalarOf(other);
  if (s === undefined) throw new NotInterpretable(`${column} ${effective} ${describeNode(other)}`);
  return compare(column, effective, s);
}

/** A JSON column under `jsonb_typeof(x)` / `json_typeof(x)`. */
function jsonTypeofColumn(node: CheckNode, columnOf: ColumnOf): string | undefined {
  if (node.type === 'cast') return jsonTypeofColumn(node.arg, columnOf);
  if (node.type !== 'call' || (node.name !== 'jsonb_typeof' && node.name !== 'json_typeof') || node.args.length !== 1) return undefined;
  const arg = node.args[0]!;
  return columnOf(arg.type === 'cast' ? arg.arg : arg);
}

/** `jsonb_typeof(x) = 'array'`, `<> 'null'`, `IN ('object', 'array')`: the JSON types x may hold. */
function jsonKinds(column: string, op: '=' | '<>' | 'in' | 'not in', values: readonly Scalar[]): ColumnConstraint[] {
  const named = JSON_KINDS.filter((k) => values.includes(k));
  const kinds = op === '=' || op === 'in' ? named : JSON_KINDS.filter((k) => !named.includes(k));
  return [{ type: 'json', column, kinds }];
}

/** `doc ->> 'key'` (or `doc -> 'key'`): the JSON column and the key. */
function jsonFieldOf(node: CheckNode, columnOf: ColumnOf): { column: string; key: string } | undefined {
  if (node.type === 'cast') return jsonFieldOf(node.arg, columnOf);
  if (node.type !== 'binary' || (node.op !== '->>' && node.op !== '->')) return undefined;
  const column = columnOf(node.left);
  const key = scalarOf(node.right);
  if (column === undefined || key === undefined || key === 'now' || typeof key.value !== 'string') return undefined;
  return { column, key: key.value };
}

/** `doc ? 'key'`: the JSON column and the key. */
function jsonHasKey(node: CheckNode, columnOf: ColumnOf): { column: string; key: string } | undefined {
  if (node.type !== 'binary' || node.op !== '?') return undefined;
  const column = columnOf(node.left);
  const key = scalarOf(node.right);
  if (column === undefined || key === undefined || key === 'now' || typeof key.value !== 'string') return undefined;
  return { column, key: key.value };
}

function binary(op: string, left: CheckNode, right: CheckNode, columnOf: ColumnOf): ColumnConstraint[] {
  if (['~~', '~~*', '~', '~*'].includes(op)) return patternMatch(op, left, right, columnOf);
  const has = op === '?' ? jsonHasKey({ type: 'binary', op, left, right }, columnOf) : undefined;
  if (has) return [{ type: 'jsonKey', ...has, present: true }];
  const field = jsonFieldOf(left, columnOf) ?? jsonFieldOf(right, columnOf);
  if (field !== undefined && (op === '=' || op === '<>')) {
    const s = scalarOf(jsonFieldOf(left, columnOf) ? right : left);
    if (s !== undefined && s !== 'now' && s.value === '' && op === '<>') return [{ type: 'jsonKey', ...field, present: true }];
    if (s !== undefined && s !== 'now' && s.value !== '' && op === '=') return [{ type: 'jsonKey', ...field, present: true, values: [String(s.value)] }];
  }
  const jl = jsonTypeofColumn(left, columnOf);
  const jr = jsonTypeofColumn(right, columnOf);
  if ((jl !== undefined || jr !== undefined) && (op === '=' || op === '<>')) {
    const s = scalarOf(jl !== undefined ? right : left);
    if (s !== undefined && s !== 'now' && typeof s.value === 'string') return jsonKinds((jl ?? jr)!, op, [s.value]);
  }
  if (['!~~', '!~~*', '!~', '!~*'].includes(op)) throw new NotInterpretable(`negated pattern ${op}`);
  if (!(op in FLIP)) throw new NotInterpretable(`operator ${op}`);

  const lc = columnOf(left);
  const rc = columnOf(right);
  if (lc !== undefined || rc !== undefined) return columnComparison(op, left, right, lc, rc, columnOf);
  const li = itemsColumnOf(left, columnOf);
  const ri = itemsColumnOf(right, columnOf);
  if (li !== undefined && ri !== undefined && op === '=') {
    // Parallel arrays (`array_length(ips, 1) = array_length(paths, 1)`): every row gives both the same size.
    return [li, ri].map((a) => ({ type: 'items', column: a.column, dimension: a.dimension, min: PARALLEL_ITEMS, max: PARALLEL_ITEMS }) as const);
  }
  if (li !== undefined || ri !== undefined) {
    const items = (li ?? ri)!;
    const other = li !== undefined ? right : left;
    const effective = li !== undefined ? op : FLIP[op]!;
    const s = scalarOf(other);
    if (!s || s === 'now' || typeof s.value !== 'number') throw new NotInterpretable(`array size compared with ${describeNode(other)}`);
    return lengthCompare(items.column, effective, s.value).map((c) => itemsOf(c as Extract<ColumnConstraint, { type: 'length' }>, items.dimension));
  }
  const ll = lengthColumnOf(left, columnOf);
  const rl = lengthColumnOf(right, columnOf);
  if (ll !== undefined || rl !== undefined) {
    const column = (ll ?? rl)!;
    const other = ll !== undefined ? right : left;
    const effective = ll !== undefined ? op : FLIP[op]!;
    const s = scalarOf(other);
    if (!s || s === 'now' || typeof s.value !== 'number') throw new NotInterpretable(`length compared with ${describeNode(other)}`);
    return lengthCompare(column, effective, s.value);
  }
  throw new NotInterpretable(`${describeNode(left)} ${op} ${describeNode(right)}`);
}

/** A CHECK part that speaks only of NULLs: the NULL / NOT NULL patterns it allows. */
function nullPatterns(node: CheckNode, columnOf: ColumnOf): ColumnConstraint[] | undefined {
  const found = nullPatternsOf(node, columnOf);
  if (!found) return undefined;
  const { columns, patterns } = found;
  if (patterns.length === 2 ** columns.length) return [];
  if (columns.length === 1 && patterns.length === 1 && patterns[0] === '1') return [{ type: 'notNull', column: columns[0]! }];
  return [{ type: 'nulls', columns: [...columns], patterns: [...patterns] }];
}

function between(node: Extract<CheckNode, { type: 'between' }>, columnOf: ColumnOf): ColumnConstraint[] {
  if (node.negated) throw new NotInterpretable('NOT BETWEEN');
  const column = columnOf(node.arg);
  const lo = scalarOf(node.low);
  const hi = scalarOf(node.high);
  if (lo === undefined || hi === undefined) throw new NotInterpretable(describeNode(node));
  if (column !== undefined) return [...compare(column, '>=', lo), ...compare(column, '<=', hi)];
  const lengthColumn = lengthColumnOf(node.arg, columnOf);
  if (lengthColumn !== undefined && lo !== 'now' && hi !== 'now' && typeof lo.value === 'number' && typeof hi.value === 'number') {
    return [{ type: 'length', column: lengthColumn, min: Math.ceil(lo.value), max: Math.floor(hi.value) }];
  }
  const items = itemsColumnOf(node.arg, columnOf);
  if (items !== undefined && lo !== 'now' && hi !== 'now' && typeof lo.value === 'number' && typeof hi.value === 'number') {
    return [{ type: 'items', column: items.column, dimension: items.dimension, min: Math.ceil(lo.value), max: Math.floor(hi.value) }];
  }
  throw new NotInterpretable(describeNode(node));
}

function inList(node: Extract<CheckNode, { type: 'in' }>, columnOf: ColumnOf): ColumnConstraint[] {
  const column = columnOf(node.arg);
  const values: Scalar[] = [];
  for (const item of node.items) {
    const s = scalarOf(item);
    if (s === undefined || s === 'now') throw new NotInterpretable(`IN item ${describeNode(item)}`);
    values.push(s.value);
  }
  const json = column === undefined ? jsonTypeofColumn(node.arg, columnOf) : undefined;
  if (json !== undefined) return jsonKinds(json, node.negated ? 'not in' : 'in', values);
  if (column === undefined) throw new NotInterpretable(`IN on an expression: ${describeNode(node.arg)}`);
  return [{ type: node.negated ? 'notIn' : 'in', column, values }];
}

function quantified(node: Extract<CheckNode, { type: 'quantified' }>, columnOf: ColumnOf): ColumnConstraint[] {
  // NOT ('none' = ANY (subsystems)): no element of an array column is 'none'.
  const element = scalarOf(node.left);
  const arrayColumn = columnOf(node.right);
  if (element !== undefined && element !== 'now' && arrayColumn !== undefined && node.op === '<>' && node.quantifier === 'all') {
    return [{ type: 'notIn', column: arrayColumn, values: [element.value] }];
  }
  const column = columnOf(node.left);
  const values = listOf(node.right);
  const json = column === undefined ? jsonTypeofColumn(node.left, columnOf) : undefined;
  if (json !== undefined && values !== undefined && node.op === '=' && node.quantifier === 'any') return jsonKinds(json, 'in', values);
  if (json !== undefined && values !== undefined && node.op === '<>' && node.quantifier === 'all') return jsonKinds(json, 'not in', values);
  if (column === undefined || values === undefined) throw new NotInterpretable(describeNode(node));
  if (node.op === '=' && node.quantifier === 'any') return [{ type: 'in', column, values }];
  if (node.op === '<>' && node.quantifier === 'all') return [{ type: 'notIn', column, values }];
  throw new NotInterpretable(describeNode(node));
}

function call(node: Extract<CheckNode, { type: 'call' }>, columnOf: ColumnOf): ColumnConstraint[] {
  if ((node.name === 'json_valid' || node.name === 'isjson') && node.args.length === 1) {
    const column = columnOf(node.args[0]!);
    if (column !== undefined) return [{ type: 'json', column }];
  }
  if ((node.name === 'regexp_like' || node.name === 'textregexeq') && node.args.length >= 2) {
    const column = columnOf(node.args[0]!);
    const s = scalarOf(node.args[1]!);
    if (column !== undefined && s && s !== 'now' && typeof s.value === 'string') {
      const flags = node.args[2] ? scalarOf(node.args[2]) : undefined;
      const ci = flags !== undefined && flags !== 'now' && String(flags.value).includes('i');
      return [{ type: 'regex', column, pattern: s.value, caseInsensitive: ci }];
    }
  }
  throw new NotInterpretable(`function ${node.name}()`);
}

const flattenOr = (node: CheckNode): CheckNode[] => (node.type === 'binary' && node.op === 'or' ? [...flattenOr(node.left), ...flattenOr(node.right)] : [node]);
const conjuncts = (node: CheckNode): CheckNode[] => (node.type === 'binary' && node.op === 'and' ? [...conjuncts(node.left), ...conjuncts(node.right)] : [node]);

/** x = 'a' OR x = 'b' OR x IN (…): one value set; undefined when the branches are not all value sets of one column. */
function mergedValueSet(interpreted: readonly ColumnConstraint[][]): ColumnConstraint[] | undefined {
  if (!interpreted.every((cs) => cs.length === 1 && cs[0]!.type === 'in')) return undefined;
  const column = (interpreted[0]![0] as { column: string }).column;
  if (!interpreted.every((cs) => (cs[0] as { column: string }).column === column)) return undefined;
  return [{ type: 'in', column, values: [...new Set(interpreted.flatMap((cs) => (cs[0] as { values: readonly Scalar[] }).values))] }];
}

function makeInterpreter(options: InterpretOptions) {
  const columnOf = columnResolver(options);
  const isNullBranch = (node: CheckNode): string | undefined => (node.type === 'isnull' && !node.negated ? columnOf(node.arg) : undefined);
  let chosenBranch = false;

  const or = (node: CheckNode): ColumnConstraint[] => {
    const branches = flattenOr(node);
    // x IS NULL OR <condition on x>: NULL rows pass; generated non-NULL values satisfy the rest.
    const rest = branches.filter((b) => isNullBranch(b) === undefined);
    if (rest.length === 0) throw new NotInterpretable('only IS NULL branches');
    const interpreted: ColumnConstraint[][] = [];
    const failures: string[] = [];
    for (const b of rest) {
      try {
        interpreted.push(interpret(b));
      } catch (error) {
        if (!(error instanceof NotInterpretable)) throw error;
        failures.push(error.message);
      }
    }
    const merged = failures.length === 0 ? mergedValueSet(interpreted) : undefined;
    if (merged) return merged;
    // A branch on another column rather than one that pins a boolean (`NOT is_paid OR amount > 0`: amount > 0, is_paid free).
    const pinsBoolean = (cs: readonly ColumnConstraint[]): boolean => cs.length === 1 && cs[0]!.type === 'in' && cs[0]!.values.every((v) => typeof v === 'boolean');
    const first = interpreted.find((cs) => !pinsBoolean(cs)) ?? interpreted[0];
    if (!first) {
      // rubytoolbox's `rubygem_name IS NULL OR rubygem_name = permalink`: the NULL branch, when the column may take it.
      const nullColumn = branches.map(isNullBranch).find((c) => c !== undefined && options.nullable?.includes(c));
      if (nullColumn === undefined) throw new NotInterpretable(`no branch of OR is understood (${failures.join('; ')})`);
      chosenBranch = true;
      return [{ type: 'nulls', columns: [nullColumn], patterns: ['0'] }];
    }
    if (rest.length > 1) chosenBranch = true;
    return first;
  };

  const not = (arg: CheckNode): ColumnConstraint[] => {
    switch (arg.type) {
      case 'not':
        return interpret(arg.arg);
      case 'isnull':
        return interpret({ ...arg, negated: !arg.negated });
      case 'in':
        return interpret({ ...arg, negated: !arg.negated });
      case 'binary':
        if (arg.op === '?') {
          const has = jsonHasKey(arg, columnOf);
          if (has) return [{ type: 'jsonKey', ...has, present: false }];
        }
        if (arg.op in NEGATE) return binary(NEGATE[arg.op]!, arg.left, arg.right, columnOf);
        throw new NotInterpretable(`NOT ${describeNode(arg)}`);
      case 'column': {
        // `NOT flag`, `flag IS FALSE` (the parser spells both so): the boolean is false.
        const column = columnOf(arg);
        if (column !== undefined) return [{ type: 'in', column, values: [false] }];
        throw new NotInterpretable(`NOT ${describeNode(arg)}`);
      }
      case 'quantified':
        if (arg.op === '=' && arg.quantifier === 'any') return interpret({ ...arg, op: '<>', quantifier: 'all' });
        if (arg.op === '<>' && arg.quantifier === 'all') return interpret({ ...arg, op: '=', quantifier: 'any' });
        throw new NotInterpretable(`NOT ${describeNode(arg)}`);
      default:
        throw new NotInterpretable(`NOT ${describeNode(arg)}`);
    }
  };

  function interpret(node: CheckNode): ColumnConstraint[] {
    const patterns = nullPatterns(node, columnOf);
    if (patterns) return patterns;
    switch (node.type) {
      case 'literal':
        if (node.value === true) return [];
        throw new NotInterpretable(`constant ${describeNode(node)}`);
      case 'binary':
        if (node.op === 'and') return [...interpret(node.left), ...interpret(node.right)];
        if (node.op === 'or') return or(node);
        return binary(node.op, node.left, node.right, columnOf);
      case 'not':
        return not(node.arg);
      case 'isnull': {
        const column = columnOf(node.arg);
        if (column !== undefined && node.negated) return [{ type: 'notNull', column }];
        const field = node.negated ? jsonFieldOf(node.arg, columnOf) : undefined;
        if (field) return [{ type: 'jsonKey', ...field, present: true }];
        throw new NotInterpretable(describeNode(node));
      }
      case 'between':
        return between(node, columnOf);
      case 'in':
        return inList(node, columnOf);
      case 'quantified':
        return quantified(node, columnOf);
      case 'call':
        return call(node, columnOf);
      case 'column': {
        // A boolean column as the condition (`flag`, `flag IS TRUE`): it is true.
        const column = columnOf(node);
        if (column !== undefined) return [{ type: 'in', column, values: [true] }];
        throw new NotInterpretable(describeNode(node));
      }
      default:
        throw new NotInterpretable(describeNode(node));
    }
  }

  return {
    run(expression: string): { constraints: ColumnConstraint[]; failures: string[]; chosenBranch: boolean } {
      const root = parseCheck(expression, { backslashEscapes: options.backslashEscapes ?? false });
      const constraints: ColumnConstraint[] = [];
      const failures: string[] = [];
      for (const part of conjuncts(root)) {
        try {
          constraints.push(...interpret(part));
        } catch (error) {
          if (!(error instanceof NotInterpretable)) throw error;
          failures.push(`${describeNode(part)}: ${error.message}`);
        }
      }
      return { constraints, failures, chosenBranch };
    },
  };
}

/**
 * Interprets one CHECK constraint.
 *
 * @example
 * ```ts
 * interpretCheck({ name: 'c', expression: "(status = ANY (ARRAY['a'::text, 'b'::text]))" }, { columns: ['status'] });
 * // constraints: [{ type: 'in', column: 'status', values: ['a', 'b'] }]
 * ```
 */
export function interpretCheck(check: { name: string; expression: string }, options: InterpretOptions): CheckInterpretation {
  const base = { name: check.name, expression: check.expression };
  let result: ReturnType<ReturnType<typeof makeInterpreter>['run']>;
  try {
    result = makeInterpreter(options).run(check.expression);
  } catch (error) {
    if (error instanceof CheckParseError) {
      return { ...base, status: 'uninterpreted', constraints: [], reason: `cannot parse: ${error.message}` };
    }
    throw error;
  }
  const notes: string[] = [];
  if (result.failures.length > 0) notes.push(`not understood: ${result.failures.join('; ')}`);
  if (result.chosenBranch) notes.push('one branch of an OR is generated');
  const status = result.failures.length === 0 ? 'interpreted' : result.constraints.length > 0 ? 'partial' : 'uninterpreted';
  return notes.length > 0 ? { ...base, status, constraints: result.constraints, reason: notes.join('; ') } : { ...base, status, constraints: result.constraints };
}
