import { describe, expect, it } from 'vitest';
import type { PlanCheck, PlanColumn } from './plan-model.js';
import { applySelectorNulls } from './selector-nulls.js';

const column = (name: string): PlanColumn => ({ name, kind: 'text', rawType: 'text', load: true, generator: { name: 'words', params: {} }, nullRate: 0.1, reason: 'test' });

function apply(expression: string, notNull: readonly string[] = []): { check: PlanCheck; columns: Map<string, PlanColumn> } {
  const columns = new Map(['status', 'a', 'b', 'c'].map((n) => [n, column(n)]));
  const check: PlanCheck = { name: 'k', expression, status: 'uninterpreted', reason: 'not understood' };
  applySelectorNulls({ checks: [check], columns, grouped: new Set(), nullable: (c) => !notNull.includes(c) });
  return { check, columns };
}

const by = (columns: Map<string, PlanColumn>, name: string): [boolean, boolean] | undefined => {
  const n = columns.get(name)!.nullBy;
  return n ? [n.notNullInside, n.notNullOutside] : undefined;
};

describe('NULLs tied to another column’s value', () => {
  it('reads =, <>, IN and = ANY, either side first', () => {
    for (const expression of [
      "(status = 'x') = (a IS NOT NULL)",
      "(a IS NOT NULL) = (status = 'x')",
      "(status <> 'x') = (a IS NULL)",
      "(status IN ('x')) = (a IS NOT NULL)",
      "(status = ANY (ARRAY['x'::text])) <> (a IS NULL)",
    ]) {
      const { check, columns } = apply(expression);
      expect(check.status, expression).toBe('interpreted');
      expect(columns.get('a')!.nullBy?.values, expression).toEqual(['x']);
      expect(by(columns, 'a'), expression).toEqual([true, false]);
    }
  });

  it('takes the fullest pattern where the test holds and the emptiest elsewhere, within what NOT NULL columns allow', () => {
    const both = apply("(status = 'v') = (a IS NOT NULL AND b IS NOT NULL)");
    expect([by(both.columns, 'a'), by(both.columns, 'b')]).toEqual([
      [true, false],
      [true, false],
    ]);
    // b can never be NULL: outside, a alone is NULL.
    const fixed = apply("(status = 'v') = (a IS NOT NULL AND b IS NOT NULL)", ['b']);
    expect([by(fixed.columns, 'a'), by(fixed.columns, 'b')]).toEqual([[true, false], undefined]);
    // a NOT NULL column that the CHECK needs NULL somewhere: left as it was.
    const impossible = apply("(status = 'v') = (a IS NOT NULL)", ['a']);
    expect(impossible.check.status).toBe('uninterpreted');
    expect(by(impossible.columns, 'a')).toBeUndefined();
  });

  it('leaves other shapes alone', () => {
    for (const expression of ["status = 'x' AND a IS NOT NULL", '(status = b) = (a IS NOT NULL)', "(status = 'x') = (status IS NOT NULL)"]) {
      expect(apply(expression).check.status, expression).toBe('uninterpreted');
    }
  });
});
