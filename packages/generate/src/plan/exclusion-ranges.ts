/**
 * Exclusion constraints whose `&&` part is a range: no two rows' ranges may overlap. A range
 * column (`EXCLUDE USING gist (room WITH =, during WITH &&)`) gets disjoint ranges from its
 * generator; a range built from two columns (`EXCLUDE USING gist ("emailAccountId" WITH =,
 * tsrange("startTime", "endTime") WITH &&)`, also tstzrange, daterange, int4range, int8range,
 * with or without bounds) gets each row its own stretch of the line: the lower column a `slot`,
 * the upper one `after` it within the stretch, both NOT NULL (a NULL bound is an infinite range).
 * Rows are disjoint across the whole table, so within every group of the `=` columns too.
 *
 * @example
 * ```ts
 * disjointExclusionRanges(table, columns);
 * columns.get('startTime')!.generator; // { name: 'slot', params: { valueType: 'timestamp', start: '2022-01-01 06:00:00', width: 14400, … } }
 * ```
 */
import type { Table } from '@understudy/core';
import type { PlanColumn } from './plan-model.js';

/** A column, perhaps in parentheses and cast (`(starts_at)::timestamp with time zone`, as pg_get_indexdef prints a timestamp under tstzrange). */
const BOUND = String.raw`\(?\s*("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*\)?(?:\s*::\s*[A-Za-z][\w ]*?)?`;
const RANGE_CALL = new RegExp(String.raw`^\s*(tsrange|tstzrange|daterange|int4range|int8range)\s*\(\s*${BOUND}\s*,\s*${BOUND}\s*(?:,\s*'[[(][\])]'(?:::text)?\s*)?\)\s*$`, 'i');

type LineKind = 'timestamp' | 'date' | 'integer';

/** Stretch width and largest span per kind: seconds (4 hours, spans up to 2), days (6, up to 2), units (8, up to 3). */
const WIDTH: Record<LineKind, { width: number; maxDelta: number; said: string }> = {
  timestamp: { width: 14400, maxDelta: 7199, said: '4 hours' },
  date: { width: 6, maxDelta: 2, said: '6 days' },
  integer: { width: 8, maxDelta: 3, said: '8' },
};

const unquote = (name: string): string => (name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase());

/** The two columns of `tsrange(a, b[, bounds])`, or undefined. */
export function rangeExpressionColumns(expression: string): { lower: string; upper: string } | undefined {
  const m = RANGE_CALL.exec(expression);
  return m ? { lower: unquote(m[2]!), upper: unquote(m[3]!) } : undefined;
}

function lineKind(column: PlanColumn): LineKind | undefined {
  if (column.kind === 'timestamp' || column.kind === 'timestamptz') return 'timestamp';
  if (column.kind === 'date') return 'date';
  if (column.kind === 'integer' || column.kind === 'bigint') return 'integer';
  return undefined;
}

/** A column the planner chose freely (not a key, a reference, a config's or a sequence). */
function free(column: PlanColumn | undefined): column is PlanColumn {
  const name = column?.generator?.name;
  return column !== undefined && column.load && name !== undefined && ['timestamp', 'date', 'integer', 'after'].includes(name) && !column.reason.startsWith('config') && !column.unique;
}

function slotColumns(lower: PlanColumn, upper: PlanColumn, kind: LineKind, index: string): [PlanColumn, PlanColumn] {
  const { width, maxDelta, said } = WIDTH[kind];
  const time = (c: PlanColumn): Record<string, unknown> =>
    kind === 'timestamp' ? { fractionalSeconds: Number(c.generator!.params['fractionalSeconds'] ?? 0), withZone: c.kind === 'timestamptz' } : {};
  const min = lower.generator!.params['min'];
  const start = typeof min === 'string' || typeof min === 'number' ? min : kind === 'timestamp' ? '2024-01-01 00:00:00' : kind === 'date' ? '2024-01-01' : 1;
  const slot = { name: 'slot', params: { valueType: kind, start, width, ...time(lower) } };
  const why = `no two rows' ranges overlap (exclusion constraint ${index})`;
  return [
    { ...lower, nullRate: 0, generator: slot, reason: `${lower.reason}; its own stretch of ${said} per row: ${why}` },
    {
      ...upper,
      nullRate: 0,
      generator: { name: 'after', params: { column: lower.name, valueType: kind, strict: true, maxDelta, fallback: slot, ...time(upper) } },
      reason: `${upper.reason.replace(`; after ${lower.name}`, '')}; after ${lower.name} within its stretch: ${why}`,
    },
  ];
}

/** Makes every `&&` part of the table's exclusion constraints disjoint across rows, where it can; see the file comment. */
export function disjointExclusionRanges(table: Table, columns: Map<string, PlanColumn>): void {
  for (const index of table.indexes) {
    let expressionAt = 0;
    (index.exclusion ?? []).forEach((operator, i) => {
      const name = index.columns[i];
      const expression = name === null || name === undefined ? index.expressions?.[expressionAt++] : undefined;
      if (operator !== '&&') return;
      if (expression !== undefined) {
        const parts = rangeExpressionColumns(expression);
        const lower = parts && columns.get(parts.lower);
        const upper = parts && columns.get(parts.upper);
        if (!free(lower) || !free(upper) || lower.name === upper.name) return;
        const kind = lineKind(lower);
        if (kind === undefined || lineKind(upper) !== kind) return;
        const [lo, hi] = slotColumns(lower, upper, kind, index.name);
        columns.set(lo.name, lo);
        columns.set(hi.name, hi);
        return;
      }
      const column = name === null || name === undefined ? undefined : columns.get(name);
      if (!column?.generator || column.generator.name !== 'range') return;
      columns.set(name!, {
        ...column,
        generator: { ...column.generator, params: { ...column.generator.params, disjoint: true } },
        reason: `${column.reason}; no two rows overlap (exclusion constraint ${index.name})`,
      });
    });
  }
}
