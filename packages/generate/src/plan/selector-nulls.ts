/**
 * CHECKs that tie which columns are NULL to another column's value, the way state machines are
 * written in Rails and Django schemas: `(status = 'approved') = (approved_at IS NOT NULL)`,
 * `(status = 'voided') = (void_reason IS NOT NULL AND voided_at IS NOT NULL)`, `IN`, `<>`, and
 * either side first. The value test (the selector) picks one NULL pattern of the other side's
 * columns for the rows where it holds and one for the rest; each member column is then NULL or
 * not by the selector's value in its row (`PlanColumn.nullBy`), whatever its own NULL rate.
 * Where it holds, members are NOT NULL as far as the CHECK allows; elsewhere, NULL as far as it
 * allows. A member that is declared NOT NULL, not generated, or tied by another CHECK narrows
 * the patterns or leaves the CHECK as it was.
 *
 * @example
 * ```ts
 * applySelectorNulls({ checks, columns, grouped, nullable });
 * columns.get('approved_at')!.nullBy; // { column: 'status', values: ['approved'], notNullInside: true, notNullOutside: false, … }
 * ```
 */
import { parseCheck, type CheckNode } from '../checks/check-parser.js';
import { nullPatternsOf } from '../checks/null-patterns.js';
import type { PlanCheck, PlanColumn } from './plan-model.js';

export interface SelectorNullInput {
  /** The table's CHECKs; one applied becomes `interpreted`. */
  readonly checks: PlanCheck[];
  readonly columns: Map<string, PlanColumn>;
  /** Columns already in a NULL-pattern group (left alone). */
  readonly grouped: ReadonlySet<string>;
  /** Whether the column is declared nullable (itself and its domain). */
  readonly nullable: (column: string) => boolean;
}

interface Selector {
  readonly column: string;
  readonly values: string[];
  /** The test holds where the value is one of `values` (false: where it is not). */
  readonly positive: boolean;
}

const columnOf =
  (columns: ReadonlyMap<string, PlanColumn>) =>
  (node: CheckNode): string | undefined => {
    if (node.type === 'cast') return columnOf(columns)(node.arg);
    if (node.type !== 'column') return undefined;
    if (columns.has(node.name)) return node.name;
    return [...columns.keys()].find((c) => c.toLowerCase() === node.name.toLowerCase());
  };

function literalOf(node: CheckNode): string | undefined {
  if (node.type === 'cast') return literalOf(node.arg);
  return node.type === 'literal' && node.value !== null ? String(node.value) : undefined;
}

/** `col = 'x'`, `col <> 'x'`, `col IN (…)`, `col NOT IN (…)`, `col = ANY (ARRAY[…])`. */
function selectorOf(node: CheckNode, column: (n: CheckNode) => string | undefined): Selector | undefined {
  if (node.type === 'binary' && (node.op === '=' || node.op === '<>' || node.op === '!=')) {
    const [c, v] = column(node.left) !== undefined ? [column(node.left), literalOf(node.right)] : [column(node.right), literalOf(node.left)];
    return c !== undefined && v !== undefined ? { column: c, values: [v], positive: node.op === '=' } : undefined;
  }
  if (node.type === 'in') {
    const c = column(node.arg);
    const values = node.items.map(literalOf);
    return c !== undefined && values.every((v) => v !== undefined) ? { column: c, values: values as string[], positive: !node.negated } : undefined;
  }
  if (node.type === 'quantified' && node.op === '=' && node.quantifier === 'any') {
    const c = column(node.left);
    const items = node.right.type === 'array' ? node.right.items : node.right.type === 'cast' && node.right.arg.type === 'array' ? node.right.arg.items : undefined;
    const values = items?.map(literalOf);
    return c !== undefined && values && values.every((v) => v !== undefined) ? { column: c, values: values as string[], positive: true } : undefined;
  }
  return undefined;
}

const ones = (p: string): number => [...p].filter((b) => b === '1').length;

/** Applies every CHECK of this shape it can; the rest keep their status. */
export function applySelectorNulls(input: SelectorNullInput): void {
  const column = columnOf(input.columns);
  for (const check of input.checks) {
    if (check.status !== 'uninterpreted') continue;
    let root: CheckNode;
    try {
      root = parseCheck(check.expression);
    } catch {
      continue;
    }
    if (root.type !== 'binary' || !['=', '<>', '!=', 'is not distinct from', 'is distinct from'].includes(root.op)) {
      applyGeneral(input, check, root, column);
      continue;
    }
    const same = root.op === '=' || root.op === 'is not distinct from';
    let applied = false;
    for (const [a, b] of [
      [root.left, root.right],
      [root.right, root.left],
    ] as const) {
      const selector = selectorOf(a, column);
      const nulls = selector ? nullPatternsOf(b, column) : undefined;
      if (!selector || !nulls || nulls.columns.includes(selector.column)) continue;
      const members = nulls.columns.map((c) => input.columns.get(c)!);
      if (members.some((m) => input.grouped.has(m.name) || m.nullBy !== undefined)) break;
      // Each member's bit: '1' when it can never be NULL, '0' when it is never generated.
      const fixed = members.map((m) => (!m.load || m.generator === null ? '0' : !input.nullable(m.name) ? '1' : undefined));
      const fits = (p: string): boolean => [...p].every((bit, i) => fixed[i] === undefined || fixed[i] === bit);
      const all = Array.from({ length: 2 ** members.length }, (_, mask) => members.map((_, i) => ((mask >> i) & 1 ? '1' : '0')).join(''));
      const holds = all.filter((p) => nulls.patterns.includes(p) === same);
      // Rows where the value test holds take a pattern the CHECK allows there; the others, one it allows there.
      const [inside, outside] = selector.positive ? [holds, all.filter((p) => !holds.includes(p))] : [all.filter((p) => !holds.includes(p)), holds];
      const inPattern = inside.filter(fits).sort((x, y) => ones(y) - ones(x))[0];
      const outPattern = outside.filter(fits).sort((x, y) => ones(x) - ones(y))[0];
      if (inPattern === undefined || outPattern === undefined) break;
      members.forEach((m, i) => {
        if (fixed[i] !== undefined) return;
        input.columns.set(m.name, {
          ...m,
          nullBy: { column: selector.column, values: selector.values, notNullInside: inPattern[i] === '1', notNullOutside: outPattern[i] === '1', check: check.name },
          reason: `${m.reason}; NULL or not by ${selector.column} (CHECK ${check.name})`,
        });
      });
      check.status = 'interpreted';
      delete check.reason;
      applied = true;
      break;
    }
    if (!applied) applyGeneral(input, check, root, column);
  }
}

/** The name that stands for "the selector's value test holds" among the NULL-pattern columns. */
const SELECTOR = '\u0000selector';

/**
 * Any other spelling in which one value test of one column and NULL tests decide the row:
 * `1 = CASE WHEN kind = 'bool' AND bool_value IS NULL THEN 0 WHEN kind <> 'bool' AND bool_value
 * IS NOT NULL THEN 0 ELSE 1 END`, `(kind = 'bool' AND v IS NOT NULL) OR (kind <> 'bool' AND v IS
 * NULL)`. Each value test (all of one column and one value list, or their negations) becomes one
 * more NULL test, every combination is tried, and the rows where the test holds and where it does
 * not each take one NULL pattern of the other columns that the CHECK allows there.
 */
function applyGeneral(input: SelectorNullInput, check: PlanCheck, root: CheckNode, column: (n: CheckNode) => string | undefined): void {
  let selector: Selector | undefined;
  let consistent = true;
  const rewrite = (node: CheckNode): CheckNode => {
    const found = selectorOf(node, column);
    if (found) {
      const same = selector === undefined || (selector.column === found.column && [...selector.values].sort().join('\u0000') === [...found.values].sort().join('\u0000'));
      if (!same) consistent = false;
      selector ??= found;
      return { type: 'isnull', arg: { type: 'column', name: SELECTOR }, negated: found.positive };
    }
    switch (node.type) {
      case 'binary':
        return { ...node, left: rewrite(node.left), right: rewrite(node.right) };
      case 'not':
      case 'cast':
      case 'negate':
        return { ...node, arg: rewrite(node.arg) };
      case 'case':
        return {
          ...node,
          ...(node.operand ? { operand: rewrite(node.operand) } : {}),
          whens: node.whens.map((w) => ({ when: rewrite(w.when), then: rewrite(w.then) })),
          ...(node.else ? { else: rewrite(node.else) } : {}),
        };
      default:
        return node;
    }
  };
  const rewritten = rewrite(root);
  if (!selector || !consistent) return;
  const nulls = nullPatternsOf(rewritten, (n) => (n.type === 'column' && n.name === SELECTOR ? SELECTOR : column(n)));
  const at = nulls?.columns.indexOf(SELECTOR) ?? -1;
  if (!nulls || at < 0 || nulls.columns.includes(selector.column) || nulls.columns.length < 2) return;
  const names = nulls.columns.filter((c) => c !== SELECTOR);
  const members = names.map((c) => input.columns.get(c)!);
  if (members.some((m) => input.grouped.has(m.name) || m.nullBy !== undefined)) return;
  const project = (p: string): string => [...p].filter((_, i) => i !== at).join('');
  const inside = [...new Set(nulls.patterns.filter((p) => p[at] === '1').map(project))];
  const outside = [...new Set(nulls.patterns.filter((p) => p[at] === '0').map(project))];
  const fixed = members.map((m) => (!m.load || m.generator === null ? '0' : !input.nullable(m.name) ? '1' : undefined));
  const fits = (p: string): boolean => [...p].every((bit, i) => fixed[i] === undefined || fixed[i] === bit);
  const inPattern = inside.filter(fits).sort((x, y) => ones(y) - ones(x))[0];
  const outPattern = outside.filter(fits).sort((x, y) => ones(x) - ones(y))[0];
  if (inPattern === undefined || outPattern === undefined) return;
  const { column: by, values } = selector;
  members.forEach((m, i) => {
    if (fixed[i] !== undefined) return;
    input.columns.set(m.name, {
      ...m,
      nullBy: { column: by, values, notNullInside: inPattern[i] === '1', notNullOutside: outPattern[i] === '1', check: check.name },
      reason: `${m.reason}; NULL or not by ${by} (CHECK ${check.name})`,
    });
  });
  check.status = 'interpreted';
  delete check.reason;
}
