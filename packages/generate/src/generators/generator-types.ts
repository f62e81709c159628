/**
 * What a column generator is: a named, versioned recipe whose JSON params are
 * stored in the Plan, and which compiles once per worker into a `ValueFn`:
 * a pure function of the address's random stream and the row index.
 *
 * @example
 * ```ts
 * const integer: GeneratorDefinition<{ min: number; max: number }> = {
 *   name: 'integer',
 *   summary: 'a uniform integer in [min, max]',
 *   params: z.object({ min: z.number(), max: z.number() }),
 *   create: (p) => (rnd) => rnd.int(p.min, p.max),
 * };
 * ```
 */
import type { z } from 'zod';
import type { AddressKey } from '../random/hash.js';
import type { AddressRandom } from '../random/address-random.js';
import type { BoundFaker } from '../random/faker-randomizer.js';
import type { GeneratedValue } from '../values.js';

/** One value: the column's stream, already pointed at `rowIndex`. Never NULL-decides: the evaluator does that. */
export type ValueFn = (rnd: AddressRandom, rowIndex: number) => GeneratedValue;

/** Picks a parent row for a row of this table: an index ≥ 0, or -1 for NULL. */
export interface PickReader {
  index(rowIndex: number): number;
  /** For tuple picks: the digit of component `c` (a parent row index or a value index). */
  component(rowIndex: number, c: number): number;
}

/** What a generator may use while it compiles. */
export interface GeneratorEnv {
  readonly faker: BoundFaker;
  /** Epoch milliseconds of "now" for generated data (from the Plan; never the wall clock). */
  readonly referenceTime: number;
  /** A key unique to this column's address (seed, table, column), for permutations. */
  readonly key: AddressKey;
  readonly table: string;
  readonly column: string;
  /** The value of another column of the same row (computed on demand, memoized per row). */
  sibling(column: string): (rowIndex: number) => GeneratedValue;
  /** A parent-row pick of this table, by id (`fk:orders_customer`, `unique:film_actor_pkey`). */
  pick(id: string): PickReader;
  /**
   * How many rows `table` gets: planned, or kept (rows the target had) when the values of `column`
   * there were read; undefined when the plan cannot tell.
   */
  rows?(table: string, column?: string): number | undefined;
  /** The value of `column` of `table` at a row index: how a child computes its parent's key. */
  parent(table: string, column: string): (rowIndex: number) => GeneratedValue;
  /**
   * The rows of `table` whose foreign key's pick `pick` chose parent row `parentRow`, ascending
   * (how a parent sums its children, and a child finds its siblings); `undefined` when that pick
   * cannot list them (only a profile's `fanout` pick can). Absent in environments that cannot tell.
   */
  children?(table: string, pick: string): ((parentRow: number) => readonly number[]) | undefined;
  /** Compiles a nested generator spec (used by wrappers such as `after`). */
  compile(spec: { name: string; params?: Record<string, unknown> }): ValueFn;
}

export interface GeneratorDefinition<P = Record<string, unknown>> {
  readonly name: string;
  /** One line for `understudy plan` output and docs. */
  readonly summary: string;
  readonly params: z.ZodType<P>;
  create(params: P, env: GeneratorEnv): ValueFn;
  /**
   * How many distinct values it can produce with `unique: true`; absent when it
   * cannot be made unique by construction.
   */
  capacity?(params: P): number;
}

/** Type-erased definition, as stored in the registry. */
export type AnyGeneratorDefinition = GeneratorDefinition<any>;

/**
 * Declares a generator with its params type inferred from the zod schema.
 *
 * @example
 * ```ts
 * const dice = defineGenerator({
 *   name: 'dice', summary: 'a die roll', params: z.object({}),
 *   create: () => (rnd) => rnd.int(1, 6),
 * });
 * ```
 */
export function defineGenerator<S extends z.ZodType>(definition: {
  name: string;
  summary: string;
  params: S;
  create(params: z.infer<S>, env: GeneratorEnv): ValueFn;
  capacity?(params: z.infer<S>): number;
}): GeneratorDefinition<z.infer<S>> {
  return definition as GeneratorDefinition<z.infer<S>>;
}
