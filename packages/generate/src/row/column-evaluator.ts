/**
 * One column's compiled generator: `value(rowIndex)` is a pure function of the
 * address (seed, table, column, rowIndex), memoized for the last row so that
 * siblings (`after`), children (FK keys) and the row itself share one result.
 * The NULL decision comes from a side lane of the address (or, for a member of a
 * NULL-pattern group, from the group's pattern for the row), so changing a NULL
 * rate never changes the non-NULL values.
 *
 * @example
 * ```ts
 * const email = compiled.table('public.customer').column('email');
 * email.value(3); // 'mary.smith.3@example.com' for row 3, in any process
 * ```
 */
import type { PlanColumn } from '../plan/plan-model.js';
import { AddressRandom } from '../random/address-random.js';
import type { AddressKey } from '../random/hash.js';
import type { ValueFn } from '../generators/generator-types.js';
import type { TextFitFn } from '../generators/text-fit.js';
import type { GeneratedValue } from '../values.js';

const TEXT_KINDS = new Set(['char', 'varchar', 'text', 'citext']);
const MAX_REDRAWS = 16;

export interface ColumnEvaluatorParts {
  readonly column: PlanColumn;
  readonly key: AddressKey;
  /** Null when the column is never generated (always NULL, or left to the database). */
  readonly fn: ValueFn | null;
  readonly fit: TextFitFn | undefined;
  /**
   * For a member of a NULL-pattern group: whether the row's pattern has it NOT NULL (its NULL rate
   * is then unused); undefined where the pattern leaves it free (its NULL rate decides).
   */
  readonly notNull?: (row: number) => boolean | undefined;
}

export class ColumnEvaluator {
  readonly name: string;
  private readonly rnds: AddressRandom[];
  private depth = 0;
  private memoRow = -1;
  private memoValue: GeneratedValue = null;
  private readonly nullRate: number;
  private readonly toText: boolean;
  private readonly utf8Bytes: boolean;
  private readonly exclude: ReadonlySet<unknown> | undefined;

  constructor(private readonly parts: ColumnEvaluatorParts) {
    this.name = parts.column.name;
    this.rnds = [new AddressRandom(parts.key)];
    this.nullRate = parts.column.nullRate;
    this.toText = TEXT_KINDS.has(parts.column.kind) || parts.column.bytes === 'utf8';
    this.utf8Bytes = parts.column.bytes === 'utf8';
    this.exclude = parts.column.exclude && parts.column.exclude.length > 0 ? new Set(parts.column.exclude) : undefined;
  }

  /** The column's value at `row` (NULL decided here). */
  value(row: number): GeneratedValue {
    if (row === this.memoRow) return this.memoValue;
    if (this.depth === 0) {
      this.depth = 1;
      try {
        const v = this.compute(this.rnds[0]!.at(row), row);
        this.memoRow = row;
        this.memoValue = v;
        return v;
      } finally {
        this.depth = 0;
      }
    }
    // A nested call for another row (a self-reference) gets its own stream.
    const level = this.depth++;
    const rnd = this.rnds[level] ?? (this.rnds[level] = new AddressRandom(this.parts.key));
    try {
      return this.compute(rnd.at(row), row);
    } finally {
      this.depth--;
    }
  }

  private compute(rnd: AddressRandom, row: number): GeneratedValue {
    const fn = this.parts.fn;
    const gated = this.parts.notNull?.(row);
    if (fn === null || gated === false || (gated === undefined && this.nullRate >= 1)) return null;
    if (gated === undefined && this.nullRate > 0 && rnd.sideFloat(0) < this.nullRate) return null;
    const array = this.parts.column.array;
    if (array) return this.arrayValue(rnd, row, array.dimensions, array.minItems, array.maxItems);
    return this.scalar(rnd, row);
  }

  private scalar(rnd: AddressRandom, row: number): GeneratedValue {
    const fn = this.parts.fn!;
    let v = this.finish(fn(rnd, row), rnd, row);
    if (this.exclude) {
      for (let k = 0; k < MAX_REDRAWS && this.exclude.has(v); k++) v = this.finish(fn(rnd, row), rnd, row);
    }
    return v;
  }

  private finish(raw: GeneratedValue, rnd: AddressRandom, row: number): GeneratedValue {
    let v = raw;
    if (this.toText && (typeof v === 'number' || typeof v === 'boolean')) v = String(v);
    if (this.parts.fit && typeof v === 'string') v = this.parts.fit(v, rnd, row);
    if (this.utf8Bytes && typeof v === 'string') v = Buffer.from(v, 'utf8');
    return v;
  }

  private arrayValue(rnd: AddressRandom, row: number, dimensions: number, minItems: number, maxItems: number): GeneratedValue {
    const sizes: number[] = [];
    for (let d = 0; d < dimensions; d++) sizes.push(rnd.int(d === 0 ? minItems : Math.max(1, minItems), maxItems));
    const build = (d: number): GeneratedValue[] => {
      const out: GeneratedValue[] = [];
      for (let k = 0; k < sizes[d]!; k++) out.push(d === dimensions - 1 ? this.scalar(rnd, row) : build(d + 1));
      return out;
    };
    return build(0);
  }
}
