/**
 * CHECKs that tie a boolean to other columns' NULLs (rallly's `NOT all_day OR time_zone IS NULL`)
 * or to a value (`NOT is_paid OR amount > 0`): the boolean keeps both values, and each generated
 * row is checked here, in JavaScript, against the CHECK's own logic.
 */
import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { check, col, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { findBooleanImplications } from './boolean-implications.js';
import { buildPlan } from './build-plan.js';

const ROWS = 2000;

function rowsOf(columns: ReturnType<typeof col>[], checks: Array<[string, string]>): Array<Record<string, unknown>> {
  const schema = schemaOf([tableOf('public', 't', [col('id', 'integer'), ...columns], { primaryKey: ['id'], checks: checks.map(([n, e]) => check(n, e)) })]);
  const plan = buildPlan(schema, { seed: 5, rows: ROWS });
  for (const c of plan.tables['public.t']!.checks) expect(c.status, `${c.name}: ${c.reason ?? ''}`).toBe('interpreted');
  const names = plan.tables['public.t']!.columns.map((c) => c.name);
  return generateRows(plan, 'public.t', 0, ROWS).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
}

describe('a boolean tied to other columns by a CHECK', () => {
  it('reads the boolean and the NULL patterns it allows, in any spelling', () => {
    const options = { columnOf: (n: string) => n, isBoolean: (c: string) => ['all_day', 'a'].includes(c) };
    expect(findBooleanImplications([{ name: 'f', expression: '((NOT all_day) OR (time_zone IS NULL))' }], options)).toEqual([
      { check: 'f', column: 'all_day', columns: ['time_zone'], patterns: ['00', '10', '01'] },
    ]);
    expect([...findBooleanImplications([{ name: 'g', expression: '((a = false) OR (b IS NOT NULL))' }], options)[0]!.patterns].sort()).toEqual(['00', '01', '11']);
    // Not this shape: no other column, the boolean's own NULL, IS NOT FALSE (true for a NULL flag).
    expect(
      findBooleanImplications(
        [
          { name: 'h', expression: '(a OR (a IS NULL))' },
          { name: 'i', expression: '((a IS NOT FALSE) OR (b IS NULL))' },
        ],
        options,
      ),
    ).toEqual([]);
  });

  it('NOT all_day OR time_zone IS NULL: all-day rows have no zone, the others both', () => {
    const rows = rowsOf([col('all_day', 'boolean'), col('time_zone', 'text', { nullable: true })], [['floating', '((NOT all_day) OR (time_zone IS NULL))']]);
    expect(rows.filter((r) => r['all_day'] === true && r['time_zone'] !== null)).toEqual([]);
    expect(rows.some((r) => r['all_day'] === true)).toBe(true);
    expect(rows.some((r) => r['all_day'] === false && r['time_zone'] !== null)).toBe(true);
  });

  it('two CHECKs in opposite directions on one boolean (the zone is NULL exactly when all-day) leave both values', () => {
    const rows = rowsOf(
      [col('all_day', 'boolean'), col('time_zone', 'text', { nullable: true })],
      [
        ['floating', '((NOT all_day) OR (time_zone IS NULL))'],
        ['zoned', '(all_day OR (time_zone IS NOT NULL))'],
      ],
    );
    expect(rows.every((r) => (r['all_day'] === true) === (r['time_zone'] === null))).toBe(true);
    expect(new Set(rows.map((r) => r['all_day']))).toEqual(new Set([true, false]));
  });

  it('NOT a OR b IS NOT NULL, a IS NULL OR b IS NULL, (NOT e) OR (n > 0) with e nullable', () => {
    const rows = rowsOf(
      [
        col('a', 'boolean'),
        col('b', 'text', { nullable: true }),
        col('c', 'text', { nullable: true }),
        col('d', 'text', { nullable: true }),
        col('e', 'boolean', { nullable: true }),
        col('n', 'integer', { nullable: true }),
      ],
      [
        ['needs_b', '((NOT a) OR (b IS NOT NULL))'],
        ['one_of', '((c IS NULL) OR (d IS NULL))'],
        ['positive', '((NOT e) OR (n > 0))'],
        ['paid', '(e OR (n IS NULL))'],
      ],
    );
    expect(rows.filter((r) => r['a'] === true && r['b'] === null)).toEqual([]);
    expect(rows.filter((r) => r['c'] !== null && r['d'] !== null)).toEqual([]);
    expect(rows.filter((r) => r['e'] === true && r['n'] !== null && (r['n'] as number) <= 0)).toEqual([]);
    expect(rows.filter((r) => r['e'] === false && r['n'] !== null)).toEqual([]);
    for (const flag of ['a', 'e']) expect(new Set(rows.map((r) => r[flag]))).toEqual(new Set([true, false, ...(flag === 'e' ? [null] : [])]));
  });

  it('a member a key or NOT NULL fixes narrows the patterns: NOT a OR b IS NULL with b NOT NULL keeps a false', () => {
    const rows = rowsOf([col('a', 'boolean'), col('b', 'text')], [['c', '((NOT a) OR (b IS NULL))']]);
    expect(rows.every((r) => r['a'] === false && r['b'] !== null)).toBe(true);
  });
});
