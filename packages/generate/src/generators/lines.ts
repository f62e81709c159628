/**
 * Relations between a parent row and its children's rows that production holds (the
 * profile's `sums` and `periods` of a foreign key), for a child whose foreign key follows
 * the profile's fan-out (a `fanout` pick lists each parent's children without a scan):
 *
 * - `childSum`: the parent's column is the sum over its children of a child column, or of
 *   the product of two (`invoice.total = SUM(line.unit_price * line.quantity)`); the parent
 *   computes its children's values from their addresses, as a child computes its parent's key.
 * - `periodStart` / `periodEnd`: children's periods follow each other per parent, in row order:
 *   the first keeps its own start, each next one starts where the previous ended (or the day
 *   after); every period but the last ends a drawn number of days after it starts, the last
 *   keeps its own end (production's open end, `9999-01-01`, stays).
 *
 * @example
 * ```ts
 * // { name: 'childSum', params: { table: 'public.invoice_line', pick: 'fk:invoice_line_invoice_id_fkey',
 * //   columns: ['unit_price', 'quantity'], valueType: 'decimal', scale: 2, fallback: { name: 'decimal', params: … } } }
 * ```
 */
import { z } from 'zod';
import { defineGenerator, type GeneratorEnv, type ValueFn } from './generator-types.js';
import { formatUnits } from './numbers.js';
import { formatDate, formatTimestamp, parseDateDays, parseFractionMicros, parseTimestampSeconds } from './time-format.js';
import type { GeneratedValue } from '../values.js';

const Spec = z.object({ name: z.string(), params: z.record(z.string(), z.unknown()).default({}) });

/** A value as a number (decimals are exact text), or undefined. */
function numberOf(v: GeneratedValue): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export const childSum = defineGenerator({
  name: 'childSum',
  summary: "the sum over the row's children (another table's rows whose foreign key chose it) of a column, or of the product of two",
  params: z.object({
    /** The child table and the pick of its foreign key to this table. */
    table: z.string(),
    pick: z.string(),
    columns: z.array(z.string()).min(1).max(2),
    valueType: z.enum(['integer', 'decimal', 'float']),
    scale: z.number().int().min(0).max(15).optional(),
    /** Used for a row without children (or whose children's values are all NULL), and where the children cannot be listed. */
    fallback: Spec,
  }),
  create(p, env) {
    const fallback = env.compile(p.fallback);
    const list = env.children?.(p.table, p.pick);
    if (!list) return fallback;
    const values = p.columns.map((c) => env.parent(p.table, c));
    const scale = p.valueType === 'integer' ? 0 : (p.scale ?? 2);
    const factor = 10 ** scale;
    return (rnd, row) => {
      let sum = 0;
      let any = false;
      for (const child of list(row)) {
        let product = 1;
        for (const v of values) {
          const n = numberOf(v(child));
          if (n === undefined) {
            product = NaN;
            break;
          }
          product *= n;
        }
        if (Number.isNaN(product)) continue;
        sum += product;
        any = true;
      }
      if (!any) return fallback(rnd, row);
      if (p.valueType === 'float') return sum;
      const units = Math.round(sum * factor);
      return p.valueType === 'integer' ? units : formatUnits(units, scale);
    };
  },
});

/** This row's place among its siblings (the rows of this table under the same parent), or undefined. */
function siblingsOf(env: GeneratorEnv, pickId: string): ((row: number) => { rows: readonly number[]; at: number } | undefined) | undefined {
  const list = env.children?.(env.table, pickId);
  if (!list) return undefined;
  const pick = env.pick(pickId);
  return (row) => {
    const parent = pick.index(row);
    if (parent < 0) return undefined;
    const rows = list(parent);
    const at = rows.indexOf(row);
    return at < 0 ? undefined : { rows, at };
  };
}

const MEMO = 50_000;

/** Remembers pure values by row (bounded; cleared when full). */
function memo(fn: (row: number) => GeneratedValue): (row: number) => GeneratedValue {
  const seen = new Map<number, GeneratedValue>();
  return (row) => {
    if (seen.has(row)) return seen.get(row)!;
    const v = fn(row);
    if (seen.size >= MEMO) seen.clear();
    seen.set(row, v);
    return v;
  };
}

function plusDays(value: GeneratedValue, days: number, valueType: 'date' | 'timestamp', withZone: boolean): GeneratedValue {
  if (typeof value !== 'string' || days === 0) return value;
  if (valueType === 'date') return formatDate(parseDateDays(value) + days);
  return formatTimestamp(parseTimestampSeconds(value) + days * 86400, parseFractionMicros(value), parseFractionMicros(value) ? 6 : 0, withZone);
}

export const periodStart = defineGenerator({
  name: 'periodStart',
  summary: "where the previous sibling's period ended (`to`), or the day after; the first sibling keeps its own value",
  params: z.object({
    pick: z.string(),
    /** The column that ends a period. */
    to: z.string(),
    gap: z.union([z.literal(0), z.literal(1)]),
    valueType: z.enum(['date', 'timestamp']),
    withZone: z.boolean().optional(),
    fallback: Spec,
  }),
  create(p, env) {
    const fallback: ValueFn = env.compile(p.fallback);
    const place = siblingsOf(env, p.pick);
    if (!place) return fallback;
    const end = env.parent(env.table, p.to);
    const previousEnd = memo((row) => end(row));
    return (rnd, row) => {
      const at = place(row);
      if (!at || at.at === 0) return fallback(rnd, row);
      const before = previousEnd(at.rows[at.at - 1]!);
      return before === null ? fallback(rnd, row) : plusDays(before, p.gap, p.valueType, p.withZone ?? false);
    };
  },
});

export const periodEnd = defineGenerator({
  name: 'periodEnd',
  summary: 'its start (`from`) plus a drawn number of days, except for the last sibling, which keeps its own value',
  params: z.object({
    pick: z.string(),
    from: z.string(),
    valueType: z.enum(['date', 'timestamp']),
    withZone: z.boolean().optional(),
    /** Days between a period's start and end: at least `minDays`, at most `maxDays`. */
    minDays: z.number().int().min(0),
    maxDays: z.number().int().min(0),
    fallback: Spec,
  }),
  create(p, env) {
    const fallback: ValueFn = env.compile(p.fallback);
    const place = siblingsOf(env, p.pick);
    if (!place) return fallback;
    const start = env.sibling(p.from);
    return (rnd, row) => {
      const at = place(row);
      if (!at || at.at === at.rows.length - 1) return fallback(rnd, row);
      const from = start(row);
      if (from === null) return fallback(rnd, row);
      return plusDays(from, rnd.int(p.minDays, Math.max(p.minDays, p.maxDays)), p.valueType, p.withZone ?? false);
    };
  },
});
