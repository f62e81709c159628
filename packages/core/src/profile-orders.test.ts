import { describe, expect, it } from 'vitest';
import { orderPairs, orderRelations, orderSql, MAX_ORDER_PAIRS } from './profile-scan-sql.js';
import { col, tableOf } from '@understudy/test-helpers';

const quote = (s: string): string => `"${s}"`;

describe('orders between date/time columns', () => {
  const table = tableOf('public', 't', [col('id', 'integer'), col('a', 'timestamp'), col('b', 'timestamptz'), col('c', 'date'), col('note', 'text'), col('g', 'date', { generated: { expression: 'a::date', stored: true } })]);

  it('pairs the date/time columns (not generated ones) and counts each pair with one scan', () => {
    expect(orderPairs(table)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    const sql = orderSql(table, orderPairs(table), quote)!;
    expect(sql).toMatch(/^select sum\(case when "a" is not null and "b" is not null then 1 else 0 end\) as n0, sum\(case when "a" < "b" then 1 else 0 end\) as a0/);
    expect(sql.match(/ from /g)).toHaveLength(1);
    expect(orderSql(tableOf('public', 'u', [col('a', 'date')]), [], quote)).toBeUndefined();
  });

  it('caps the pairs of a table with many date columns', () => {
    const many = tableOf('public', 'm', Array.from({ length: 20 }, (_, i) => col(`d${i}`, 'date')));
    expect(orderPairs(many)).toHaveLength(MAX_ORDER_PAIRS);
  });

  it('keeps an order that holds in at least 99% of the rows, either way round, and nothing below k', () => {
    const pairs: Array<[string, string]> = [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
      ['x', 'y'],
    ];
    const row = { n0: 1000, a0: 995, b0: 5, n1: 1000, a1: 2, b1: 998, n2: 1000, a2: 500, b2: 500, n3: 5, a3: 5, b3: 0 };
    expect(orderRelations(pairs, row, 10)).toEqual([
      { earlier: 'a', later: 'b', rows: 1000, holds: 0.995 },
      { earlier: 'c', later: 'a', rows: 1000, holds: 0.998 },
    ]);
    // Equal in every row: one order, first column first.
    expect(orderRelations([['a', 'b']], { n0: 50, a0: 0, b0: 0 }, 10)).toEqual([{ earlier: 'a', later: 'b', rows: 50, holds: 1 }]);
  });
});
