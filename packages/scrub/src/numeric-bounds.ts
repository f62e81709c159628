/**
 * The numeric bounds a column's CHECKs (and its domain's) put on its values, read with the seed's
 * CHECK interpreter (`interpretCheck` of @understudy/generate), so `noise` stays inside them:
 * `CHECK (rating BETWEEN 1 AND 5)`, `CHECK (amount >= 0)`, `CHECK (0 < pct AND pct <= 100)`.
 *
 * @example
 * ```ts
 * numericBounds(schema, table, column); // { min: { value: 1, exclusive: false }, max: { value: 5, exclusive: false } }
 * ```
 */
import { dialectInfo, type Column, type Schema, type Table } from '@understudy/core';
import { interpretCheck } from '@understudy/generate';

export interface NumericBound {
  readonly value: number;
  readonly exclusive: boolean;
}

export interface NumericBounds {
  readonly min?: NumericBound;
  readonly max?: NumericBound;
  /** `CHECK (x IN (…))`: the only values allowed. */
  readonly values?: readonly number[];
}

function asNumber(value: number | string): number | undefined {
  const n = typeof value === 'number' ? value : /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The tighter of two lower (`sign` 1) or upper (`sign` -1) bounds. */
function tighter(a: NumericBound | undefined, b: NumericBound, sign: 1 | -1): NumericBound {
  if (a === undefined) return b;
  if (a.value === b.value) return { value: a.value, exclusive: a.exclusive || b.exclusive };
  return (b.value - a.value) * sign > 0 ? b : a;
}

/** The tighter bounds of both. */
export function mergeBounds(a: NumericBounds, b: NumericBounds): NumericBounds {
  const min = b.min ? tighter(a.min, b.min, 1) : a.min;
  const max = b.max ? tighter(a.max, b.max, -1) : a.max;
  return { ...(min ? { min } : {}), ...(max ? { max } : {}), ...(a.values ? { values: a.values } : {}) };
}

/** `CHECK (lo < hi)` seen from one side: this column must stay below (or above) `other`. */
export interface OrderBound {
  readonly other: string;
  readonly below: boolean;
  readonly strict: boolean;
}

/**
 * Lower and upper numeric bounds on a column from every CHECK of its table that the seed's
 * interpreter understands (a CHECK it does not understand, or a part of one, adds nothing).
 */
export function numericBounds(schema: Schema, table: Table, column: Column): NumericBounds {
  return checkBounds(schema, table, column).bounds;
}

/** The column's numeric bounds, and the other columns a CHECK orders it against (`lo < hi`). */
export function checkBounds(schema: Schema, table: Table, column: Column): { bounds: NumericBounds; orders: OrderBound[] } {
  const columns = table.columns.map((c) => c.name);
  const backslashEscapes = dialectInfo(schema.dialect).syntax.stringEscapes === 'backslash';
  const checks = [...table.checks.map((c) => ({ check: c, valueColumn: undefined as string | undefined }))];
  const domain = column.domain !== undefined ? schema.domains[column.domain] : undefined;
  for (const check of domain?.checks ?? []) checks.push({ check, valueColumn: column.name });
  let min: NumericBound | undefined;
  let max: NumericBound | undefined;
  let listed: number[] | undefined;
  const orders: OrderBound[] = [];
  for (const { check, valueColumn } of checks) {
    const { constraints } = interpretCheck(check, { columns, backslashEscapes, ...(valueColumn !== undefined ? { valueColumn } : {}) });
    for (const c of constraints) {
      if (c.type === 'in' && c.column === column.name) {
        const values = c.values.map((v) => (typeof v === 'boolean' ? undefined : asNumber(v)));
        if (values.some((v) => v === undefined) || values.length === 0) continue;
        const allowed = new Set(values as number[]);
        listed = listed === undefined ? [...allowed] : listed.filter((v) => allowed.has(v));
      }
      if (c.type === 'order' && (c.lesser === column.name) !== (c.greater === column.name)) {
        orders.push(c.lesser === column.name ? { other: c.greater, below: true, strict: c.strict } : { other: c.lesser, below: false, strict: c.strict });
      }
      if (c.type !== 'range' || c.column !== column.name) continue;
      const lo = c.min !== undefined ? asNumber(c.min.value) : undefined;
      const hi = c.max !== undefined ? asNumber(c.max.value) : undefined;
      if (lo !== undefined) min = tighter(min, { value: lo, exclusive: c.min!.exclusive }, 1);
      if (hi !== undefined) max = tighter(max, { value: hi, exclusive: c.max!.exclusive }, -1);
    }
  }
  return { bounds: { ...(min ? { min } : {}), ...(max ? { max } : {}), ...(listed ? { values: listed.sort((a, b) => a - b) } : {}) }, orders };
}
