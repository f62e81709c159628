/**
 * A small, independent SQL evaluator for CHECK expressions, used by tests to
 * verify generated rows (not the engine's own claim). Three-valued logic: a
 * CHECK passes unless it evaluates to FALSE.
 *
 * @example
 * ```ts
 * checkPasses('((rating >= 0) AND (rating <= 5))', { rating: 3 }); // true
 * ```
 */
import { parseCheck, type CheckNode } from '../checks/check-parser.js';

type V = null | boolean | number | string | V[];

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

function toEpoch(s: string): number {
  const iso = s.trim().replace(' ', 'T');
  if (iso.length === 10) return Date.parse(`${iso}T00:00:00Z`);
  const zoned = /T.*([+-]\d{2}(:?\d{2})?|Z)$/.test(iso);
  return Date.parse(zoned ? iso.replace(/([+-]\d{2})$/, '$1:00') : `${iso}Z`);
}

function numeric(v: V): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function compare(a: V, b: V): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string' && DATE_LIKE.test(a) && DATE_LIKE.test(b)) return Math.sign(toEpoch(a) - toEpoch(b));
  const x = numeric(a);
  const y = numeric(b);
  if (x !== undefined && y !== undefined) return Math.sign(x - y);
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

function likeToRegex(pattern: string, flags: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`, flags);
}

/** Every element of a (nested) array: PostgreSQL's cardinality(). */
function countElements(items: readonly V[]): number {
  return items.reduce((n: number, v) => n + (Array.isArray(v) ? countElements(v) : 1), 0);
}

function and(a: V, b: V): V {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

function or(a: V, b: V): V {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

/** A SQL function over its evaluated arguments. */
function callFunction(name: string, args: V[], now: string): V {
  const a = args[0] ?? null;
  switch (name) {
    case 'num_nonnulls':
      return args.filter((v) => v !== null).length;
    case 'num_nulls':
      return args.filter((v) => v === null).length;
    case 'isnull':
      return a === null;
    case 'coalesce':
      return args.find((v) => v !== null) ?? null;
    case 'cardinality':
      return Array.isArray(a) ? countElements(a) : null;
    case 'array_length':
      // NULL for an empty array, as in PostgreSQL.
      return Array.isArray(a) && a.length > 0 && args[1] === 1 ? a.length : null;
    case 'length':
    case 'char_length':
    case 'character_length':
      return a === null ? null : [...String(a)].length;
    case 'octet_length':
      return a === null ? null : Buffer.byteLength(String(a));
    case 'lower':
      return a === null ? null : String(a).toLowerCase();
    case 'upper':
      return a === null ? null : String(a).toUpperCase();
    case 'btrim':
    case 'trim':
      return a === null ? null : String(a).trim();
    case 'now':
    case 'current_timestamp':
    case 'current_date':
    case 'localtimestamp':
      return now;
    case 'json_valid':
      if (a === null) return null;
      try {
        JSON.parse(String(a));
        return true;
      } catch {
        return false;
      }
    case 'regexp_like':
      return a === null ? null : new RegExp(String(args[1])).test(String(a));
    default:
      throw new Error(`unsupported function ${name}`);
  }
}

/** A comparison, pattern match or arithmetic operator over two non-NULL values. */
function applyOperator(op: string, a: NonNullable<V>, b: NonNullable<V>): V {
  switch (op) {
    case '=':
      return compare(a, b) === 0;
    case '<>':
      return compare(a, b) !== 0;
    case '<':
      return compare(a, b)! < 0;
    case '<=':
      return compare(a, b)! <= 0;
    case '>':
      return compare(a, b)! > 0;
    case '>=':
      return compare(a, b)! >= 0;
    case '~~':
      return likeToRegex(String(b), 's').test(String(a));
    case '~~*':
      return likeToRegex(String(b), 'is').test(String(a));
    case '!~~':
      return !likeToRegex(String(b), 's').test(String(a));
    case '~':
      return new RegExp(String(b)).test(String(a));
    case '~*':
      return new RegExp(String(b), 'i').test(String(a));
    case '!~':
      return !new RegExp(String(b)).test(String(a));
    case '+':
      return Number(a) + Number(b);
    case '-':
      return Number(a) - Number(b);
    case '*':
      return Number(a) * Number(b);
    case '/':
      return Number(a) / Number(b);
    case '%':
      return Number(a) % Number(b);
    case '||':
      return `${String(a)}${String(b)}`;
    default:
      throw new Error(`unsupported operator ${op}`);
  }
}

export function evaluateCheck(node: CheckNode, row: Record<string, unknown>, now = '2025-01-01 00:00:00'): V {
  const ev = (n: CheckNode): V => evaluateCheck(n, row, now);
  switch (node.type) {
    case 'column': {
      const key = Object.keys(row).find((k) => k === node.name) ?? Object.keys(row).find((k) => k.toLowerCase() === node.name.toLowerCase());
      if (key === undefined) throw new Error(`no column ${node.name}`);
      return row[key] as V;
    }
    case 'literal':
      if (node.cast && /\[\]$/.test(node.cast) && typeof node.value === 'string')
        return node.value
          .replace(/^\{|\}$/g, '')
          .split(',')
          .map((s) => s.replace(/^"|"$/g, ''));
      if (node.cast && /^(numeric|integer|int|bigint|smallint|decimal|real|double)/.test(node.cast) && typeof node.value === 'string') return Number(node.value);
      return node.value;
    case 'array':
      return node.items.map(ev);
    case 'cast': {
      const v = ev(node.arg);
      if (v !== null && /^(numeric|integer|int|bigint|smallint|decimal|real|double)/.test(node.to)) return Number(v);
      if (v !== null && /^(text|character varying|varchar|char|character)/.test(node.to) && !Array.isArray(v)) return String(v);
      return v;
    }
    case 'negate': {
      const v = ev(node.arg);
      return v === null ? null : -Number(v);
    }
    case 'not': {
      const v = ev(node.arg);
      return v === null ? null : !v;
    }
    case 'isnull': {
      const v = ev(node.arg);
      return node.negated ? v !== null : v === null;
    }
    case 'between': {
      const v = ev(node.arg);
      const lo = compare(v, ev(node.low));
      const hi = compare(v, ev(node.high));
      if (lo === null || hi === null) return null;
      const inside = lo >= 0 && hi <= 0;
      return node.negated ? !inside : inside;
    }
    case 'in': {
      const v = ev(node.arg);
      if (v === null) return null;
      const hit = node.items.some((i) => compare(v, ev(i)) === 0);
      return node.negated ? !hit : hit;
    }
    case 'quantified': {
      const v = ev(node.left);
      const list = ev(node.right);
      if (v === null || !Array.isArray(list)) return null;
      const results = list.map((item) => compare(v, item));
      if (node.op === '=' && node.quantifier === 'any') return results.some((r) => r === 0);
      if (node.op === '<>' && node.quantifier === 'all') return results.every((r) => r !== 0);
      throw new Error(`unsupported quantified ${node.op} ${node.quantifier}`);
    }
    case 'case': {
      const operand = node.operand ? ev(node.operand) : undefined;
      for (const w of node.whens) {
        const when = ev(w.when);
        const hit = operand === undefined ? when === true : operand !== null && when !== null && compare(operand, when) === 0;
        if (hit) return ev(w.then);
      }
      return node.else ? ev(node.else) : null;
    }
    case 'call': {
      return callFunction(node.name, node.args.map(ev), now);
    }
    case 'binary': {
      if (node.op === 'and') return and(ev(node.left), ev(node.right));
      if (node.op === 'or') return or(ev(node.left), ev(node.right));
      if (node.op === 'is distinct from' || node.op === 'is not distinct from') {
        const x = ev(node.left);
        const y = ev(node.right);
        const same = x === null || y === null ? x === y : compare(x, y) === 0;
        return node.op === 'is distinct from' ? !same : same;
      }
      const a = ev(node.left);
      const b = ev(node.right);
      if (a === null || b === null) return null;
      return applyOperator(node.op, a, b);
    }
  }
}

/** True unless the CHECK evaluates to FALSE for the row. */
export function checkPasses(expression: string, row: Record<string, unknown>, options: { backslashEscapes?: boolean; now?: string } = {}): boolean {
  return evaluateCheck(parseCheck(expression, { backslashEscapes: options.backslashEscapes ?? false }), row, options.now) !== false;
}
