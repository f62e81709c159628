/**
 * Exclusion constraints over a range built from two columns (inbox-zero's `EXCLUDE USING gist
 * ("emailAccountId" WITH =, tsrange("startTime", "endTime") WITH &&)`): the rows are generated and
 * their ranges compared here, in JavaScript.
 */
import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { col, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { rangeExpressionColumns } from './exclusion-ranges.js';

const excluded = (expression: string) => ({
  name: 'no_overlap',
  columns: ['owner', null],
  expressions: [expression],
  unique: false,
  primary: false,
  method: 'gist',
  exclusion: ['=', '&&'],
});

/** Rows' [lower, upper] as numbers, from a table of (id, owner, lower, upper). */
function intervals(kind: 'timestamp' | 'date' | 'integer', expression: string, rows: number): Array<[number, number]> {
  const columns = [col('id', 'integer'), col('owner', 'integer'), col('lo', kind, { nullable: true }), col('hi', kind, { nullable: true })];
  const schema = schemaOf([tableOf('public', 'booking', columns, { primaryKey: ['id'], indexes: [excluded(expression)] })]);
  const plan = buildPlan(schema, { seed: 3, rows });
  const value = (v: unknown): number => (typeof v === 'number' ? v : Date.parse(`${String(v).replace(' ', 'T')}Z`));
  return generateRows(plan, 'public.booking', 0, rows).map((r) => [value(r[2]), value(r[3])]);
}

describe('an exclusion constraint over a range of two columns', () => {
  it('reads the columns of tsrange(a, b), with bounds and quoted names, as pg_get_indexdef prints them', () => {
    expect(rangeExpressionColumns('tsrange("startTime", "endTime")')).toEqual({ lower: 'startTime', upper: 'endTime' });
    expect(rangeExpressionColumns("daterange(starts_on, ends_on, '[]'::text)")).toEqual({ lower: 'starts_on', upper: 'ends_on' });
    expect(rangeExpressionColumns('int4range(lo, hi)')).toEqual({ lower: 'lo', upper: 'hi' });
    expect(rangeExpressionColumns('tstzrange((starts_at)::timestamp with time zone, (ends_at)::timestamp with time zone)')).toEqual({ lower: 'starts_at', upper: 'ends_at' });
    expect(rangeExpressionColumns('tsrange(lo, now())')).toBeUndefined();
  });

  for (const [kind, expression] of [
    ['timestamp', 'tsrange(lo, hi)'],
    ['date', "daterange(lo, hi, '[]'::text)"],
    ['integer', 'int4range(lo, hi)'],
  ] as const) {
    it(`gives every row of ${expression} its own stretch: never NULL, upper after lower, no two overlap even closed`, () => {
      const rows = intervals(kind, expression, 2000);
      expect(rows.every(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)).toBe(true);
      const sorted = [...rows].sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThan(sorted[i - 1]![1]);
    });
  }
});
