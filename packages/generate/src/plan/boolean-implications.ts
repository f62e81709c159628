/**
 * CHECKs that tie a boolean column to which other columns are NULL: `NOT all_day OR time_zone IS
 * NULL` (rallly), `NOT a OR b IS NOT NULL`, `is_paid OR amount IS NULL`, `a = false OR …`, and
 * any AND / OR / NOT of such tests. Read as a value test, the check would pin the boolean to one
 * value (`all_day` always false), and two of them in opposite directions (`NOT all_day OR
 * time_zone IS NULL` with `all_day OR time_zone IS NOT NULL`) left it no value at all. Here the
 * boolean keeps both values: every NULL / NOT NULL combination of the other columns is tried with
 * it true and false (with every CHECK on the same boolean at once), and each other column is NULL
 * or not by the boolean in its row (`PlanColumn.nullBy`); where the CHECKs allow either, its own
 * NULL rate decides (`nullBy.free`).
 *
 * Two steps: `findBooleanImplications` (while CHECKs are interpreted: which ones are of this shape
 * and can be met given the columns' declared NULLs; the others are interpreted as before) and
 * `applyBooleanImplications` (once the columns are planned).
 *
 * @example
 * ```ts
 * const found = settleBooleanImplications(findBooleanImplications(checks, { columnOf, isBoolean }), { nullable, taken });
 * // [{ column: 'all_day', members: ['time_zone'], checks: ['all_day_is_floating'], inside: ['0'], outside: ['0', '1'] }]
 * ```
 */
import { parseCheck, type CheckNode } from '../checks/check-parser.js';
import { nullPatternsOf } from '../checks/null-patterns.js';
import type { PlanCheck, PlanColumn, PlanPick } from './plan-model.js';
import { alwaysAParent } from './null-groups.js';

/** The boolean column's truth, as one more NULL test among the others. */
const SELECTOR = '\u0000boolean';

/** CHECKs on one boolean and the columns whose NULLs it decides. */
export interface BooleanImplication {
  readonly column: string;
  readonly members: readonly string[];
  readonly checks: readonly string[];
  /** NULL patterns of `members` ('1': NOT NULL) allowed where the boolean is true, and where it is not. */
  readonly inside: readonly string[];
  readonly outside: readonly string[];
  /** A CHECK tests the boolean with `IS TRUE` / `IS FALSE`, which a NULL fails: the boolean is never NULL. */
  readonly notNull?: boolean;
}

export interface Candidate {
  readonly check: string;
  readonly column: string;
  readonly columns: readonly string[];
  readonly patterns: readonly string[];
  /** See `BooleanImplication.notNull`. */
  readonly notNull?: boolean;
}

/**
 * `IS TRUE`, `IS FALSE`, `IS NOT TRUE`: read as the boolean's truth (the parser's reading), but
 * unlike `flag` or `flag = false`, which are NULL for a NULL flag (and a NULL CHECK holds), they
 * are false or true for it: ente's `(is_deleted IS TRUE AND encrypted_data IS NULL) OR
 * (is_deleted IS FALSE AND encrypted_data IS NOT NULL)` fails for every NULL `is_deleted`.
 */
const DEFINITE_TRUTH = /\bis\s+(?:not\s+)?(?:true|false)\b/i;

export interface FindOptions {
  /** The table's column a CHECK's name stands for, or undefined. */
  readonly columnOf: (name: string) => string | undefined;
  readonly isBoolean: (column: string) => boolean;
  readonly backslashEscapes?: boolean;
}

export interface SettleOptions {
  /** Whether the column may be NULL (declared, and no CHECK or key forbids it). */
  readonly nullable: (column: string) => boolean;
  /** Columns another CHECK already ties (a NULL-pattern group) or a config sets: left to them. */
  readonly taken: (column: string) => boolean;
}

function booleanLiteral(node: CheckNode): boolean | undefined {
  if (node.type === 'cast') return booleanLiteral(node.arg);
  return node.type === 'literal' && typeof node.value === 'boolean' ? node.value : undefined;
}

/** The CHECK with every test of one boolean column spelled as a NULL test of SELECTOR; undefined when it is not of this shape. */
function rewrite(root: CheckNode, options: FindOptions): { node: CheckNode; column: string } | undefined {
  let column: string | undefined;
  let consistent = true;
  const booleanOf = (node: CheckNode): string | undefined => {
    const inner = node.type === 'cast' ? node.arg : node;
    const name = inner.type === 'column' ? options.columnOf(inner.name) : undefined;
    return name !== undefined && options.isBoolean(name) ? name : undefined;
  };
  const holds = (name: string, truth: boolean): CheckNode => {
    if (column !== undefined && column !== name) consistent = false;
    column ??= name;
    return { type: 'isnull', arg: { type: 'column', name: SELECTOR }, negated: truth };
  };
  const walk = (node: CheckNode): CheckNode => {
    const name = booleanOf(node);
    if (name !== undefined) return holds(name, true);
    switch (node.type) {
      case 'binary': {
        if (['=', '<>', '!='].includes(node.op)) {
          const [b, v] = booleanOf(node.left) !== undefined ? [booleanOf(node.left), booleanLiteral(node.right)] : [booleanOf(node.right), booleanLiteral(node.left)];
          if (b !== undefined && v !== undefined) return holds(b, v === (node.op === '='));
        }
        return { ...node, left: walk(node.left), right: walk(node.right) };
      }
      case 'not':
        return { ...node, arg: walk(node.arg) };
      case 'isnull':
        // The boolean's own NULL test is not its truth: not of this shape.
        if (booleanOf(node.arg) !== undefined) consistent = false;
        return node;
      default:
        return node;
    }
  };
  const node = walk(root);
  return consistent && column !== undefined ? { node, column } : undefined;
}

/** The CHECK as a candidate: a boolean and the NULL patterns of it and the other columns it allows. */
function candidateOf(check: { name: string; expression: string }, options: FindOptions): Candidate | undefined {
  // `flag IS NOT FALSE` holds for a NULL flag, which the NULL-test reading cannot say.
  if (/\bis\s+not\s+false\b/i.test(check.expression)) return undefined;
  let root: CheckNode;
  try {
    root = parseCheck(check.expression, { backslashEscapes: options.backslashEscapes ?? false });
  } catch {
    return undefined;
  }
  const rewritten = rewrite(root, options);
  if (!rewritten) return undefined;
  const nulls = nullPatternsOf(rewritten.node, (n) => (n.type !== 'column' ? undefined : n.name === SELECTOR ? SELECTOR : options.columnOf(n.name)));
  if (!nulls || !nulls.columns.includes(SELECTOR) || nulls.columns.length < 2 || nulls.columns.includes(rewritten.column)) return undefined;
  // Put the boolean first.
  const at = nulls.columns.indexOf(SELECTOR);
  const order = [at, ...nulls.columns.map((_, i) => i).filter((i) => i !== at)];
  return {
    check: check.name,
    column: rewritten.column,
    columns: order.slice(1).map((i) => nulls.columns[i]!),
    patterns: nulls.patterns.map((p) => order.map((i) => p[i]).join('')),
    ...(DEFINITE_TRUTH.test(check.expression) ? { notNull: true } : {}),
  };
}

/** Every pattern over [boolean, ...members] that all candidates allow. */
function combined(candidates: readonly Candidate[], members: readonly string[]): string[] {
  const out: string[] = [];
  for (let mask = 0; mask < 2 ** (members.length + 1); mask++) {
    const p = Array.from({ length: members.length + 1 }, (_, i) => (Math.floor(mask / 2 ** i) % 2 === 1 ? '1' : '0')).join('');
    const ok = candidates.every((c) => c.patterns.includes(p[0]! + c.columns.map((m) => p[members.indexOf(m) + 1]!).join('')));
    if (ok) out.push(p);
  }
  return out;
}

/**
 * The CHECKs of the boolean-implication shape (see the file comment), each with its boolean and
 * the NULL patterns it allows; `settleBooleanImplications` keeps those that can be met.
 *
 * @example
 * ```ts
 * findBooleanImplications([{ name: 'c', expression: '((NOT all_day) OR (time_zone IS NULL))' }], options);
 * // [{ check: 'c', column: 'all_day', columns: ['time_zone'], patterns: ['00', '01', '10'] }]
 * ```
 */
export function findBooleanImplications(checks: ReadonlyArray<{ name: string; expression: string }>, options: FindOptions): Candidate[] {
  return checks.flatMap((c) => candidateOf(c, options) ?? []);
}

/** Of the candidates, the groups (by boolean) that can be met; a group sharing a column with another, or that cannot, is dropped whole. */
export function settleBooleanImplications(candidates: readonly Candidate[], options: SettleOptions): BooleanImplication[] {
  const byColumn = new Map<string, Candidate[]>();
  for (const c of candidates) byColumn.set(c.column, [...(byColumn.get(c.column) ?? []), c]);
  const membersOf = new Map([...byColumn].map(([column, cs]) => [column, [...new Set(cs.flatMap((c) => c.columns))]]));
  const out: BooleanImplication[] = [];
  for (const [column, cs] of byColumn) {
    const members = membersOf.get(column)!;
    const shared = [...membersOf].some(([other, ms]) => other !== column && (ms.some((m) => members.includes(m)) || ms.includes(column) || members.includes(other)));
    if (shared || members.length > 10 || options.taken(column) || members.some(options.taken)) continue;
    const fits = (p: string): boolean => members.every((m, i) => options.nullable(m) || p[i] === '1');
    const patterns = combined(cs, members);
    const inside = patterns
      .filter((p) => p[0] === '1')
      .map((p) => p.slice(1))
      .filter(fits);
    const outside = patterns
      .filter((p) => p[0] === '0')
      .map((p) => p.slice(1))
      .filter(fits);
    if (inside.length === 0 || outside.length === 0) continue;
    out.push({ column, members, checks: cs.map((c) => c.check), inside, outside, ...(cs.some((c) => c.notNull) ? { notNull: true } : {}) });
  }
  return out;
}

/** Per member: '1', '0', or 'free' where the patterns are every combination of the members' own choices; undefined when they are not. */
function perMember(patterns: readonly string[], size: number): Array<'0' | '1' | 'free'> | undefined {
  const bits = Array.from({ length: size }, (_, i) => new Set(patterns.map((p) => p[i]!)));
  if (bits.reduce((n, b) => n * b.size, 1) !== new Set(patterns).size) return undefined;
  return bits.map((b) => (b.size === 2 ? 'free' : b.has('1') ? '1' : '0'));
}

/** One choice per member: free where allowed, else the pattern with the most (inside) or fewest (outside) NOT NULL members. */
function choose(patterns: readonly string[], size: number, most: boolean): Array<'0' | '1' | 'free'> {
  const each = perMember(patterns, size);
  if (each) return each;
  const ones = (p: string): number => [...p].filter((b) => b === '1').length;
  const best = [...patterns].sort((x, y) => (most ? ones(y) - ones(x) : ones(x) - ones(y)))[0]!;
  return [...best].map((b) => b as '0' | '1');
}

export interface ApplyInput {
  readonly implications: readonly BooleanImplication[];
  readonly checks: PlanCheck[];
  readonly columns: Map<string, PlanColumn>;
  readonly picks: Record<string, PlanPick>;
  /** Whether the column may be NULL (declared, and no CHECK or key forbids it). */
  readonly nullable: (column: string) => boolean;
}

/**
 * Ties each member's NULLs to its boolean (see the file comment); a member never generated
 * narrows the patterns, and where none is left the boolean takes the one value the CHECKs allow.
 */
export function applyBooleanImplications(input: ApplyInput): void {
  for (const imp of input.implications) {
    const members = imp.members.map((m) => input.columns.get(m)!);
    // A member never generated is always NULL; one a key or CHECK makes NOT NULL never is.
    const never = (p: string): boolean => members.every((m, i) => ((m.load && m.generator !== null) || p[i] === '0') && (input.nullable(m.name) || p[i] === '1'));
    const inside = imp.inside.filter(never);
    const outside = imp.outside.filter(never);
    const checks = input.checks.filter((c) => imp.checks.includes(c.name));
    let boolean = input.columns.get(imp.column)!;
    if (imp.notNull && boolean.nullRate > 0) {
      boolean = { ...boolean, nullRate: 0, reason: `${boolean.reason}; never NULL: CHECK ${imp.checks.join(', ')} tests it with IS TRUE / IS FALSE` };
      input.columns.set(imp.column, boolean);
    }
    if (inside.length === 0 || outside.length === 0) {
      const value = inside.length > 0;
      if (inside.length === 0 && outside.length === 0) continue;
      input.columns.set(imp.column, { ...boolean, generator: { name: 'values', params: { values: [value] } }, reason: `constraint: CHECK ${imp.checks.join(', ')}` });
    } else {
      const inChoice = choose(inside, members.length, true);
      const outChoice = choose(outside, members.length, false);
      members.forEach((m, i) => {
        const [a, b] = [inChoice[i]!, outChoice[i]!];
        if (a === 'free' && b === 'free') return;
        const free = [...(a === 'free' ? ['inside' as const] : []), ...(b === 'free' ? ['outside' as const] : [])];
        const pick = m.generator?.name === 'reference' ? String(m.generator.params['pick']) : undefined;
        if (pick !== undefined && input.picks[pick] && (a === '1' || b === '1')) input.picks[pick] = alwaysAParent(input.picks[pick]);
        input.columns.set(m.name, {
          ...m,
          nullBy: { column: imp.column, values: ['true'], notNullInside: a !== '0', notNullOutside: b !== '0', check: imp.checks.join(', '), ...(free.length > 0 ? { free } : {}) },
          reason: `${m.reason}; NULL or not by ${imp.column} (CHECK ${imp.checks.join(', ')})`,
        });
      });
    }
    for (const check of checks) {
      check.status = 'interpreted';
      delete check.reason;
    }
  }
}
