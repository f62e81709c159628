/**
 * Plans the columns whose NULLs CHECKs tie together (`num_nonnulls(a, b) = 1`,
 * `(a IS NULL) = (b IS NULL)`, `a IS NOT NULL OR (b IS NOT NULL AND c IS NOT NULL)`):
 * CHECKs that share a column form one group; the group's patterns are the NULL /
 * NOT NULL combinations every one of its CHECKs allows, less those a member
 * cannot take (a NOT NULL column is never NULL; a column with no generator, a
 * parent that is not loaded, or a foreign key inserted NULL to break a cycle is
 * always NULL). Each row then draws one pattern: half the rows spread evenly
 * over the patterns, so each occurs, half weighted by the members' NULL rates. A foreign key in a group always picks a real parent, and is NULL only
 * where the pattern says so (a polymorphic "exactly one parent").
 *
 * When no pattern is left, the CHECK can never hold: a `contradictory-check`
 * problem names the table, the CHECK and why.
 *
 * @example
 * ```ts
 * const planned = planNullGroups({ tableKey: 'public.acl', order, constraints, columns, picks, … });
 * planned.groups; // [{ columns: ['user_id', 'group_id'], patterns: ['10', '01'], weights: [0.5, 0.5], checks: ['acl_xor'] }]
 * ```
 */
import type { PlanProblem } from './plan-errors.js';
import type { PlanColumn, PlanNullGroup, PlanPick } from './plan-model.js';

/** The most columns one group may tie together (2^16 combinations are tried). */
const MAX_GROUP_COLUMNS = 16;
/** Member NULL rates are kept inside this band when weighting patterns, so every allowed pattern occurs. */
const MIN_RATE = 0.05;

export interface NullConstraint {
  readonly check: string;
  readonly columns: readonly string[];
  readonly patterns: readonly string[];
  /**
   * Learnt from production's rows (a profile's `nullsTogether`), not a CHECK: its columns are NULL
   * in the same rows. A group of only such constraints keeps the members' NULL rates (the group is
   * NULL in their mean share of rows) and is dropped, never reported, when a member cannot follow.
   */
  readonly profiled?: boolean;
  /** With `profiled`: the member whose NULL rate the group takes (else their mean); the pair is the names' (`named-null-pairs.ts`). */
  readonly leader?: string;
}

export interface NullGroupInput {
  readonly tableKey: string;
  /** The table's columns, in order. */
  readonly order: readonly string[];
  readonly constraints: readonly NullConstraint[];
  /** CHECK expressions by name, for messages. */
  readonly expressions: ReadonlyMap<string, string>;
  /** Planned columns (updated in the result). */
  readonly columns: ReadonlyMap<string, PlanColumn>;
  /** The table's picks (updated in the result). */
  readonly picks: Readonly<Record<string, PlanPick>>;
  /** Whether the column is declared nullable (itself and its domain). */
  readonly nullable: (column: string) => boolean;
  /** The CHECK that makes the column NOT NULL (`CHECK (x IS NOT NULL)`), if any. */
  readonly notNullCheck: (column: string) => string | undefined;
  /** A NULL rate the config sets for a column. */
  readonly configNullRate: (column: string) => number | undefined;
  /** Foreign-key columns of a cycle broken at this table: inserted NULL, set after the load. */
  readonly cycleColumns: ReadonlySet<string>;
  readonly defaultNullRate: number;
}

export interface NullGroupPlan {
  readonly groups: PlanNullGroup[];
  readonly columns: Map<string, PlanColumn>;
  readonly picks: Record<string, PlanPick>;
  readonly problems: PlanProblem[];
  /** CHECKs (by name) these groups cannot honour, and why. */
  readonly unmet: Map<string, string>;
}

/** Connected groups of constraints (two constraints are connected when they share a column). */
function connected(constraints: readonly NullConstraint[]): NullConstraint[][] {
  const groups: NullConstraint[][] = [];
  for (const c of constraints) {
    const touching = groups.filter((g) => g.some((o) => o.columns.some((col) => c.columns.includes(col))));
    const merged = [...touching.flat(), c];
    for (const t of touching) groups.splice(groups.indexOf(t), 1);
    groups.push(merged);
  }
  return groups;
}

/** Why a member can never be NULL, or always is; undefined when the group may choose. */
function fixedBit(column: PlanColumn, input: NullGroupInput): { bit: '0' | '1'; why: string } | undefined {
  const name = column.name;
  const configRate = input.configNullRate(name);
  const notNullCheck = input.notNullCheck(name);
  if (!input.nullable(name)) return { bit: '1', why: `${name} is NOT NULL` };
  if (notNullCheck !== undefined) return { bit: '1', why: `CHECK ${notNullCheck} makes ${name} NOT NULL` };
  if (configRate === 0) return { bit: '1', why: `${name} has nullRate 0 in the config` };
  if (column.generator === null) return { bit: '0', why: `${name} is always NULL (${column.reason})` };
  if (configRate !== undefined && configRate >= 1) return { bit: '0', why: `${name} has nullRate 1 in the config` };
  if (input.cycleColumns.has(name) && referencePick(column) !== undefined) return { bit: '0', why: `${name} closes a foreign-key cycle, so it is inserted NULL and set after the load` };
  return undefined;
}

function referencePick(column: PlanColumn): string | undefined {
  return column.generator?.name === 'reference' ? String(column.generator.params['pick']) : undefined;
}

/** The NULL rate a member would have on its own (its pick's, for a foreign key). */
function naturalRate(column: PlanColumn, picks: Readonly<Record<string, PlanPick>>, configRate: number | undefined, fallback: number): number {
  if (configRate !== undefined) return configRate;
  const pickId = referencePick(column);
  const pick = pickId !== undefined ? picks[pickId] : undefined;
  const rate = pick ? ('nullRate' in pick ? pick.nullRate : pick.kind === 'tree' ? pick.rootRate : 0) : column.nullRate;
  return rate > 0 ? rate : fallback;
}

/** A pick that always gives a parent: the group decides where the foreign key is NULL. */
export function alwaysAParent(pick: PlanPick): PlanPick {
  switch (pick.kind) {
    case 'skewed':
    case 'fanout':
    case 'permutation':
      return { ...pick, nullRate: 0 };
    case 'tree':
      return { ...pick, rootRate: 0, rootSelf: true };
    case 'chain':
      return { ...pick, rootSelf: true };
    default:
      return pick;
  }
}

/**
 * A group of columns production keeps NULL in the same rows: two patterns, all NULL in the
 * members' mean NULL rate and all set otherwise. Undefined when a member cannot take both
 * (NOT NULL, always NULL, computed) or the rate is 0 or 1.
 */
function profiledGroup(names: readonly string[], members: readonly PlanColumn[], constraints: readonly NullConstraint[], input: NullGroupInput): PlanNullGroup | undefined {
  if (members.length !== names.length || members.length < 2) return undefined;
  if (members.some((m) => !m.load || fixedBit(m, input) !== undefined)) return undefined;
  const leader = members.find((m) => constraints.some((c) => c.leader === m.name));
  const rate = Math.round((leader ? leader.nullRate : members.reduce((n, m) => n + m.nullRate, 0) / members.length) * 1e4) / 1e4;
  if (!(rate > 0 && rate < 1)) return undefined;
  return {
    columns: [...names],
    patterns: ['0'.repeat(names.length), '1'.repeat(names.length)],
    weights: [rate, Math.round((1 - rate) * 1e4) / 1e4],
    checks: constraints.every((c) => c.leader !== undefined)
      ? constraints.map((c) => c.check)
      : [`profile: NULL together in production's rows (${constraints.length} pair${constraints.length === 1 ? '' : 's'})`],
  };
}

/**
 * Plans every NULL-pattern group of a table; see the file comment.
 *
 * @example
 * ```ts
 * const { groups, problems } = planNullGroups(input);
 * ```
 */
export function planNullGroups(input: NullGroupInput): NullGroupPlan {
  const columns = new Map(input.columns);
  const picks: Record<string, PlanPick> = { ...input.picks };
  const groups: PlanNullGroup[] = [];
  const problems: PlanProblem[] = [];
  const unmet = new Map<string, string>();

  for (const constraints of connected(input.constraints)) {
    const names = input.order.filter((n) => constraints.some((c) => c.columns.includes(n)));
    const members = names.map((n) => columns.get(n)).filter((c): c is PlanColumn => c !== undefined);
    if (constraints.every((c) => c.profiled === true)) {
      const group = profiledGroup(names, members, constraints, input);
      if (!group) continue;
      groups.push(group);
      members.forEach((m) => {
        const others = names.filter((n) => n !== m.name);
        const pickId = referencePick(m);
        if (pickId !== undefined && picks[pickId]) picks[pickId] = alwaysAParent(picks[pickId]!);
        const why = constraints.every((c) => c.leader !== undefined) ? 'their names pair them' : "profile: so in production's rows";
        columns.set(m.name, { ...m, nullRate: group.weights[0]!, reason: `${m.reason}; NULL or not together with ${others.join(', ')} (${why})` });
      });
      continue;
    }
    const checks = [...new Set(constraints.filter((c) => c.profiled !== true).map((c) => c.check))];
    const computed = members.find((m) => !m.load);
    if (computed) {
      for (const check of checks) unmet.set(check, `${computed.name} is computed by the database, so its NULLs cannot be chosen`);
      continue;
    }
    if (names.length > MAX_GROUP_COLUMNS) {
      for (const check of checks) unmet.set(check, `its CHECKs tie ${names.length} columns together (at most ${MAX_GROUP_COLUMNS} are generated as one group)`);
      continue;
    }

    // Every combination the CHECKs allow, then those the members can take.
    const allowed: string[] = [];
    for (let mask = 0; mask < 2 ** names.length; mask++) {
      const pattern = names.map((_, i) => (Math.floor(mask / 2 ** i) % 2 === 1 ? '1' : '0')).join('');
      const ok = constraints.every((c) => c.patterns.includes(c.columns.map((col) => pattern[names.indexOf(col)]!).join('')));
      if (ok) allowed.push(pattern);
    }
    const fixed = members.map((m) => fixedBit(m, input));
    const patterns = allowed.filter((p) => fixed.every((f, i) => f === undefined || p[i] === f.bit));
    if (patterns.length === 0) {
      const why = allowed.length === 0 ? 'no combination of NULL and NOT NULL values satisfies it' : fixed.flatMap((f) => (f ? [f.why] : [])).join('; ');
      problems.push({
        code: 'contradictory-check',
        table: input.tableKey,
        column: names.join(', '),
        message: `${input.tableKey}: ${checks.map((c) => `CHECK ${c} (${input.expressions.get(c) ?? '?'})`).join(' and ')} can never hold: ${why}`,
        hint: `no row can be inserted while it holds: fix the CHECK or the columns it names, or give ${input.tableKey} 0 rows (tables["${input.tableKey}"].rows = 0 in the config)`,
      });
      continue;
    }

    // Half the rows spread evenly over the patterns (each occurs), half follow the members' own NULL rates.
    const rates = members.map((m) => Math.min(1 - MIN_RATE, Math.max(MIN_RATE, naturalRate(m, picks, input.configNullRate(m.name), input.defaultNullRate))));
    const byRates = patterns.map((p) => rates.reduce((w, r, i) => w * (p[i] === '1' ? 1 - r : r), 1));
    const total = byRates.reduce((a, b) => a + b, 0);
    const rounded = byRates.map((w) => Math.round((0.5 / patterns.length + (0.5 * w) / total) * 1e6) / 1e6);
    groups.push({ columns: names, patterns, weights: rounded, checks });

    members.forEach((m, i) => {
      const nullShare = patterns.reduce((s, p, k) => s + (p[i] === '0' ? rounded[k]! : 0), 0);
      const others = names.filter((n) => n !== m.name);
      const pickId = referencePick(m);
      if (pickId !== undefined && picks[pickId]) picks[pickId] = alwaysAParent(picks[pickId]!);
      columns.set(m.name, {
        ...m,
        nullRate: Math.round(Math.min(1, nullShare) * 1e4) / 1e4,
        reason: `${m.reason}; ${others.length > 0 ? `NULL or not together with ${others.join(', ')}` : 'always NULL'} (CHECK ${checks.join(', ')})`,
      });
    });
  }
  return { groups, columns, picks, problems, unmet };
}
