/**
 * CHECKs that compare two foreign keys to the same parent key: a follower is not the user
 * (`follower_id <> user_id`), a friendship is stored once (`user_a < user_b`), a transfer goes
 * from one account to another. Each column copies a parent's key, so no value rule can honour
 * such a CHECK; the two picks are paired instead (see `PlanPickPair`, `PlanTuplePair`): the
 * second pick moves off the first's parent row, or the two are read in order. Parent keys are
 * unique, so distinct parent rows give distinct values; an order needs the parent's key to grow
 * (or shrink) with its row index, as a planned sequence does.
 *
 * @example
 * ```ts
 * pairReferenceChecks({ tableKey, rows, checks, columns, picks, unmet, problems, parentColumn });
 * checks.find((c) => c.name === 'user_cannot_follow_self')!.status; // 'interpreted'
 * ```
 */
import { parseCheck } from '../checks/check-parser.js';
import type { PlanProblem } from './plan-errors.js';
import type { PlanCheck, PlanColumn, PlanPick, PlanPickPair } from './plan-model.js';

type Relation = PlanPickPair['relation'];

/** SQL comparison → the relation, and whether the right side is the pair's first. */
const RELATIONS: Readonly<Record<string, { relation: Relation; swap: boolean }>> = {
  '<>': { relation: '<>', swap: false },
  '!=': { relation: '<>', swap: false },
  '<': { relation: '<', swap: false },
  '<=': { relation: '<=', swap: false },
  '>': { relation: '<', swap: true },
  '>=': { relation: '<=', swap: true },
};

export interface ReferencePairInput {
  readonly tableKey: string;
  readonly rows: number;
  /** The table's CHECKs; a paired one becomes `interpreted`. */
  readonly checks: PlanCheck[];
  readonly columns: Map<string, PlanColumn>;
  /** The table's picks; paired ones are replaced. */
  readonly picks: Record<string, PlanPick>;
  /** Why a CHECK is not honoured, by name; a paired one is removed. */
  readonly unmet: Map<string, string>;
  readonly problems: PlanProblem[];
  /** A parent table's planned column (undefined when the parent is not planned: kept rows, or not yet). */
  readonly parentColumn: (table: string, column: string) => PlanColumn | undefined;
}

/** The comparison a CHECK is, when it is exactly `column op column`. */
function comparison(expression: string): { left: string; right: string; relation: Relation; swap: boolean } | undefined {
  let node;
  try {
    node = parseCheck(expression);
  } catch {
    return undefined;
  }
  if (node.type !== 'binary' || node.left.type !== 'column' || node.right.type !== 'column') return undefined;
  const found = RELATIONS[node.op.toLowerCase()];
  return found && node.left.name !== node.right.name ? { left: node.left.name, right: node.right.name, ...found } : undefined;
}

/** +1 when the parent's key grows with its row index, −1 when it shrinks, undefined when neither is known. */
function keyDirection(column: PlanColumn | undefined): 1 | -1 | undefined {
  if (column?.generator?.name !== 'sequence') return undefined;
  const step = Number(column.generator.params['step'] ?? 1);
  return step > 0 ? 1 : step < 0 ? -1 : undefined;
}

interface Side {
  readonly column: PlanColumn;
  readonly params: Record<string, unknown>;
}

/** Pairs two `reference` columns' picks; the reason it cannot, or undefined when done. */
function pairReferences(input: ReferencePairInput, first: Side, second: Side, relation: Relation): string | undefined {
  const firstId = String(first.params['pick']);
  const secondId = String(second.params['pick']);
  const a = input.picks[firstId];
  const b = input.picks[secondId];
  if (firstId === secondId || !a || !b) return 'the two columns are one foreign key';
  if ((a.kind !== 'skewed' && a.kind !== 'fanout') || (b.kind !== 'skewed' && b.kind !== 'fanout')) return 'one of the foreign keys is one-to-one or a tree';
  if ((a.kind === 'fanout' && a.perParent !== undefined) || (b.kind === 'fanout' && b.perParent !== undefined)) return 'a foreign key numbers a composite key within its parent';
  if (a.pair || b.pair) return 'a foreign key is already paired by another CHECK';
  if (a.rows !== b.rows) return 'the two foreign keys pick among different rows';
  // One parent row: the second is NULL where the two would meet, if it may be (`<>` is symmetric).
  if (a.rows < 2 && b.nullRate === 0) {
    if (relation === '<>' && a.nullRate > 0) return pairReferences(input, second, first, relation);
    tooFew(input, first, second, relation, 0);
    return undefined;
  }
  input.picks[firstId] = { ...a, pair: { pick: secondId, relation, first: true } };
  input.picks[secondId] = { ...b, pair: { pick: firstId, relation, first: false } };
  return undefined;
}

/** Pairs two components of one distinct tuple; the reason it cannot, or undefined when done. */
function pairTupleComponents(input: ReferencePairInput, first: Side, second: Side, relation: Relation): string | undefined {
  const id = String(first.params['pick']);
  const pick = input.picks[id];
  if (pick?.kind !== 'tuple' || second.params['pick'] !== id) return 'the two columns are not one distinct key';
  const p = Number(first.params['component']);
  const q = Number(second.params['component']);
  if ((pick.pairs ?? []).some((x) => [x.first, x.second].some((c) => c === p || c === q))) return 'a column is already paired by another CHECK';
  const sizes = [...pick.sizes];
  const n = relation === '<>' ? sizes[q]! : Math.min(sizes[p]!, sizes[q]!);
  const left = relation === '<>' ? n - 1 : Math.floor((n - 1) / 2) + (relation === '<=' ? 1 : 0);
  if (n < 2 || left < 1) {
    tooFew(input, first, second, relation, 0);
    return undefined;
  }
  if (relation !== '<>') sizes[p] = n;
  sizes[q] = left;
  tooFew(
    input,
    first,
    second,
    relation,
    sizes.reduce((x, y) => x * y, 1),
  );
  input.picks[id] = { ...pick, sizes, pairs: [...(pick.pairs ?? []), { first: p, second: q, relation, size: n }] };
  return undefined;
}

/** A `unique-capacity` problem when the paired columns leave room for fewer than the table's rows (a blanket count is capped at it). */
function tooFew(input: ReferencePairInput, first: Side, second: Side, relation: Relation, room: number): void {
  if (input.rows <= room) return;
  input.problems.push({
    code: 'unique-capacity',
    table: input.tableKey,
    column: `${first.column.name}, ${second.column.name}`,
    message: `${input.tableKey}: at most ${room} rows can have ${first.column.name} ${relation} ${second.column.name} among the rows of ${String(first.params['table'])}, but ${input.rows} rows were requested`,
    hint: `lower the rows of ${input.tableKey} or raise those of ${String(first.params['table'])}`,
    limit: room,
  });
}

/**
 * Pairs the picks of every CHECK that compares two foreign keys to the same parent key, marks it
 * `interpreted`, and says so in the two columns' reasons. A CHECK it cannot pair keeps its status,
 * with the reason added.
 */
export function pairReferenceChecks(input: ReferencePairInput): void {
  for (const check of input.checks) {
    const unhonoured = check.status === 'uninterpreted' || check.status === 'partial' || (check.status === 'interpreted' && input.unmet.has(check.name));
    if (!unhonoured) continue;
    const cmp = comparison(check.expression);
    if (!cmp) continue;
    const [l, r] = [input.columns.get(cmp.left), input.columns.get(cmp.right)];
    if (!l?.generator || !r?.generator || l.generator.name !== r.generator.name) continue;
    const [lp, rp] = [l.generator.params, r.generator.params];
    const parentKey = lp['table'] !== undefined && lp['table'] === rp['table'] && lp['column'] === rp['column'];
    const kind = l.generator.name === 'reference' ? 'reference' : l.generator.name === 'tuple' && lp['valueType'] === 'parent' && rp['valueType'] === 'parent' ? 'tuple' : undefined;
    if (!parentKey || kind === undefined) continue;
    const relation = cmp.relation;
    let swap = cmp.swap;
    let why: string | undefined;
    if (relation !== '<>') {
      const direction = keyDirection(input.parentColumn(String(lp['table']), String(lp['column'])));
      if (direction === undefined) why = `${String(lp['table'])}(${String(lp['column'])}) is not a planned sequence, so its order is not its rows' order`;
      else if (direction < 0) swap = !swap;
    }
    const [first, second] = swap
      ? [
          { column: r, params: rp },
          { column: l, params: lp },
        ]
      : [
          { column: l, params: lp },
          { column: r, params: rp },
        ];
    why ??= kind === 'reference' ? pairReferences(input, first, second, relation) : pairTupleComponents(input, first, second, relation);
    if (why !== undefined) {
      const note = `the two foreign keys cannot be paired: ${why}`;
      check.reason = check.reason ? `${check.reason}; ${note}` : note;
      continue;
    }
    check.status = 'interpreted';
    delete check.reason;
    input.unmet.delete(check.name);
    for (const [self, other] of [
      [first, second],
      [second, first],
    ] as const) {
      input.columns.set(self.column.name, { ...self.column, reason: `${self.column.reason}; CHECK ${check.name}: picked with ${other.column.name} so that ${check.expression}` });
    }
  }
}
