/**
 * A Plan compiled for generation: generators resolved and their params
 * validated once, address keys hashed once per column, one faker bound to the
 * address randomizer. Compiled lazily, table by table and column by column, so a
 * worker pays only for what it generates (plus the parent key columns its FKs read).
 *
 * @example
 * ```ts
 * const compiled = compilePlan(plan);
 * compiled.table('public.film').column('title').value(0); // 'Quiet Harbor Light'
 * ```
 */
import { UsageError } from '@understudy/core';
import type { GeneratorEnv, PickReader, ValueFn } from '../generators/generator-types.js';
import { generatorNamed } from '../generators/registry.js';
import { compileTextFit } from '../generators/text-fit.js';
import { loadColumns, type Plan, type PlanTable } from '../plan/plan-model.js';
import { createBoundFaker, type BoundFaker } from '../random/faker-randomizer.js';
import { addressKey } from '../random/hash.js';
import type { GeneratedValue } from '../values.js';
import { ColumnEvaluator } from './column-evaluator.js';
import { NullGroupEvaluator } from './null-group-evaluator.js';
import { PairedPick, PickEvaluator } from './pick-evaluator.js';

/**
 * One table of a compiled plan: its column evaluators and picks.
 *
 * @example
 * ```ts
 * compilePlan(plan).table('public.rental').pick('fk:rental_customer_fk').index(5);
 * ```
 */
export class CompiledTable {
  private readonly columns = new Map<string, ColumnEvaluator>();
  private readonly picks = new Map<string, PickEvaluator>();
  private readonly paired = new Map<string, PairedPick>();
  private readonly nullGroups = new Map<number, NullGroupEvaluator>();
  private readonly childLists = new Map<string, ((parentRow: number) => readonly number[]) | undefined>();
  private loaded: ColumnEvaluator[] | undefined;

  /** The table's name in its values' addresses (see `PlanTable.address`). */
  readonly address: string;

  constructor(
    readonly compiled: CompiledPlan,
    readonly key: string,
    readonly plan: PlanTable,
  ) {
    this.address = plan.address ?? key;
  }

  /** The evaluator of a column (any column, loaded or not). */
  column(name: string): ColumnEvaluator {
    let ev = this.columns.get(name);
    if (!ev) {
      ev = this.compileColumn(name);
      this.columns.set(name, ev);
    }
    return ev;
  }

  /** The evaluators of the loaded columns, in load order. */
  loadColumns(): ColumnEvaluator[] {
    return (this.loaded ??= loadColumns(this.plan).map((c) => this.column(c.name)));
  }

  pick(id: string): PickReader {
    const spec = this.plan.picks[id];
    if ((spec?.kind !== 'skewed' && spec?.kind !== 'fanout') || !spec.pair) return this.drawn(id);
    let p = this.paired.get(id);
    if (!p) this.paired.set(id, (p = new PairedPick(this.drawn(id), this.drawn(spec.pair.pick), spec.pair, spec.rows)));
    return p;
  }

  /** For a `fanout` pick: its rows by parent row (memoized per worker). */
  childrenOf(id: string): ((parentRow: number) => readonly number[]) | undefined {
    if (!this.childLists.has(id)) {
      const spec = this.plan.picks[id];
      const list = spec?.kind === 'fanout' && !spec.pair && spec.children === this.plan.rows ? this.drawn(id).childrenOf() : undefined;
      this.childLists.set(id, list);
    }
    return this.childLists.get(id);
  }

  /** For an `agreeing` pick (foreign keys that share columns): how many pairs of parent rows agree. */
  agreeingCount(id: string, enough?: number): number {
    return this.drawn(id).agreeingCount(enough);
  }

  /** For a `permutation` pick with `distinct`: how many parent rows differ in its columns. */
  distinctCount(id: string): number {
    return this.drawn(id).distinctCount();
  }

  /** A pick as drawn, before any pairing with another. */
  private drawn(id: string): PickEvaluator {
    let p = this.picks.get(id);
    if (!p) {
      const spec = this.plan.picks[id];
      if (!spec) throw new UsageError(`plan: table ${this.key} has no pick "${id}"`);
      p = new PickEvaluator(
        this.compiled.plan.seed,
        this.address,
        id,
        spec,
        (table, column) => this.compiled.parentValues(table, column),
        (other) => this.drawn(other),
      );
      this.picks.set(id, p);
    }
    return p;
  }

  private compileColumn(name: string): ColumnEvaluator {
    const column = this.plan.columns.find((c) => c.name === name);
    if (!column) throw new UsageError(`plan: table ${this.key} has no column "${name}"`);
    const seed = this.compiled.plan.seed;
    const key = addressKey(seed, this.address, name);
    const uniqueKey = addressKey(seed, this.address, name, 'unique');
    const env: GeneratorEnv = {
      faker: this.compiled.faker,
      referenceTime: this.compiled.referenceTime,
      key: uniqueKey,
      table: this.key,
      column: name,
      sibling: (other) => {
        let ev: ColumnEvaluator | undefined;
        return (row) => (ev ??= this.column(other)).value(row);
      },
      pick: (id) => {
        let p: PickReader | undefined;
        return {
          index: (row) => (p ??= this.pick(id)).index(row),
          component: (row, c) => (p ??= this.pick(id)).component(row, c),
        };
      },
      parent: (table, parentColumn) => this.compiled.parentValues(table, parentColumn),
      rows: (table, column) => this.compiled.rowsOf(table, column),
      children: (table, pick) => this.compiled.childrenOf(table, pick),
      compile: (spec) => compileSpec(spec, env),
    };
    const fn = column.load && column.generator ? compileSpec(column.generator, env) : null;
    const fit = column.fit ? compileTextFit(column.fit) : undefined;
    const notNull = this.nullGate(name);
    return new ColumnEvaluator({ column, key, fn, fit, ...(notNull ? { notNull } : {}) });
  }

  /** For a member of a NULL-pattern group: whether its row's pattern has it NOT NULL. */
  private nullGate(name: string): ((row: number) => boolean | undefined) | undefined {
    const by = this.plan.columns.find((c) => c.name === name)?.nullBy;
    if (by) {
      const values = new Set(by.values);
      const [freeInside, freeOutside] = [by.free?.includes('inside') ?? false, by.free?.includes('outside') ?? false];
      let selector: ColumnEvaluator | undefined;
      return (row) => {
        const v = (selector ??= this.column(by.column)).value(row);
        const inside = v !== null && values.has(String(v));
        // undefined: the CHECK allows either here, so the column's own NULL rate decides.
        if (inside ? freeInside : freeOutside) return undefined;
        return inside ? by.notNullInside : by.notNullOutside;
      };
    }
    const index = this.plan.nullGroups.findIndex((g) => g.columns.includes(name));
    if (index < 0) return undefined;
    const group = this.plan.nullGroups[index]!;
    const member = group.columns.indexOf(name);
    let ev = this.nullGroups.get(index);
    if (!ev) this.nullGroups.set(index, (ev = new NullGroupEvaluator(this.compiled.plan.seed, this.address, group)));
    const evaluator = ev;
    return (row) => evaluator.notNull(row, member);
  }
}

function compileSpec(spec: { name: string; params?: Record<string, unknown> }, env: GeneratorEnv): ValueFn {
  const def = generatorNamed(spec.name, `plan ${env.table}.${env.column}`);
  const parsed = def.params.safeParse(spec.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`plan ${env.table}.${env.column}: bad params for generator "${spec.name}" at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return def.create(parsed.data, env);
}

/**
 * A plan compiled for generation (one per worker); see `compilePlan`.
 *
 * @example
 * ```ts
 * const compiled = new CompiledPlan(plan);
 * compiled.table('public.film').column('title').value(0);
 * ```
 */
export class CompiledPlan {
  readonly faker: BoundFaker;
  readonly referenceTime: number;
  private readonly tables = new Map<string, CompiledTable>();

  constructor(readonly plan: Plan) {
    this.referenceTime = Date.parse(plan.referenceTime);
    this.faker = createBoundFaker(plan.locale, this.referenceTime);
  }

  /**
   * A kept table's column: its value in the kept row at an index (children of a kept table pick
   * their parents among the rows it had).
   * @throws UsageError when the plan does not carry the kept rows' values (a saved plan before the seed read them).
   */
  keptValues(table: string, column: string): (row: number) => GeneratedValue {
    const values = this.plan.kept[table]?.values?.[column];
    if (values === undefined) {
      throw new UsageError(`plan: the values of ${table}.${column} in the rows kept there were not read`, {
        hint: 'Seed into a target: the seed reads the rows a kept table has before it starts.',
      });
    }
    return (row) => (values[row] ?? null) as GeneratedValue;
  }

  /** A parent table's column by row index: generated, or the value in a kept row. */
  parentValues(table: string, column: string): (row: number) => GeneratedValue {
    if (this.plan.kept[table] !== undefined) return this.keptValues(table, column);
    let ev: ColumnEvaluator | undefined;
    return (row) => (ev ??= this.table(table).column(column)).value(row);
  }

  /** Rows of `table`: a generated table's planned count, or a kept table's rows when the values of `column` there were read. */
  rowsOf(table: string, column?: string): number | undefined {
    const kept = this.plan.kept[table];
    if (kept !== undefined) return column !== undefined && kept.values?.[column] !== undefined ? kept.rows : undefined;
    return this.plan.tables[table]?.rows;
  }

  /** The rows of a generated `table` whose pick `pick` chose a parent row (see `GeneratorEnv.children`). */
  childrenOf(table: string, pick: string): ((parentRow: number) => readonly number[]) | undefined {
    const spec = this.plan.tables[table];
    if (!spec || this.plan.kept[table] !== undefined || !spec.picks[pick]) return undefined;
    return this.table(table).childrenOf(pick);
  }

  table(key: string): CompiledTable {
    let t = this.tables.get(key);
    if (!t) {
      const spec = this.plan.tables[key];
      if (!spec) throw new UsageError(`plan has no table "${key}"`, { hint: `tables: ${Object.keys(this.plan.tables).join(', ')}` });
      t = new CompiledTable(this, key, spec);
      this.tables.set(key, t);
    }
    return t;
  }
}

const cache = new WeakMap<Plan, CompiledPlan>();

/**
 * Compiles a plan (cached per plan object: one compile per worker).
 *
 * @example
 * ```ts
 * const compiled = compilePlan(plan);
 * ```
 */
export function compilePlan(plan: Plan): CompiledPlan {
  let c = cache.get(plan);
  if (!c) {
    c = new CompiledPlan(plan);
    cache.set(plan, c);
  }
  return c;
}
