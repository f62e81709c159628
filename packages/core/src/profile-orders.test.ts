import { describe, expect, it } from 'vitest';
import { foreignKeyPairs, foreignKeyRelations, foreignKeySql, orderPairs, orderRelations, orderSql, MAX_ORDER_PAIRS } from './profile-scan-sql.js';
import { col, fk, schemaOf, tableOf } from '@understudy/test-helpers';

const quote = (s: string): string => `"${s}"`;

describe('orders between date/time columns', () => {
  const table = tableOf('public', 't', [
    col('id', 'integer'),
    col('a', 'timestamp'),
    col('b', 'timestamptz'),
    col('c', 'date'),
    col('note', 'text'),
    col('g', 'date', { generated: { expression: 'a::date', stored: true } }),
  ]);

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
    const many = tableOf(
      'public',
      'm',
      Array.from({ length: 20 }, (_, i) => col(`d${i}`, 'date')),
    );
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

describe('relations across a foreign key', () => {
  const guests = tableOf('public', 'guests', [col('id', 'integer')], { primaryKey: ['id'] });
  const stays = tableOf('public', 'stays', [col('id', 'integer'), col('guest_id', 'integer'), col('t_in', 'timestamp')], {
    primaryKey: ['id'],
    foreignKeys: [fk('stays_guest_fk', ['guest_id'], 'public.guests', ['id'])],
  });
  const charges = tableOf('public', 'charges', [col('id', 'integer'), col('stay_id', 'integer'), col('guest_id', 'integer'), col('t_charge', 'timestamp'), col('note_day', 'date')], {
    primaryKey: ['id'],
    foreignKeys: [fk('charges_stay_fk', ['stay_id'], 'public.stays', ['id']), fk('charges_guest_fk', ['guest_id'], 'public.guests', ['id'])],
  });
  const schema = schemaOf({ 'public.guests': guests, 'public.stays': stays, 'public.charges': charges });
  const stayFk = charges.foreignKeys[0]!;

  it("measures child dates against the parent's, and a column both hold as a reference to the same key", () => {
    const pairs = foreignKeyPairs(schema, stayFk, charges);
    expect(pairs.orders).toEqual([
      ['t_charge', 't_in'],
      ['note_day', 't_in'],
    ]);
    expect(pairs.agrees).toEqual([['guest_id', 'guest_id']]);
    const sql = foreignKeySql(schema, stayFk, charges, pairs, quote)!;
    expect(sql).toContain('from "public"."charges" c join "public"."stays" p on c."stay_id" = p."id"');
    expect(sql).toContain('sum(case when c."guest_id" = p."guest_id" then 1 else 0 end) as e0');
    // Across the guest key there is nothing to compare.
    expect(foreignKeySql(schema, charges.foreignKeys[1]!, charges, foreignKeyPairs(schema, charges.foreignKeys[1]!, charges), quote)).toBeUndefined();
  });

  it('keeps what holds in at least 99% of at least k joined rows', () => {
    const pairs = foreignKeyPairs(schema, stayFk, charges);
    const related = foreignKeyRelations(pairs, { o0: 1000, a0: 1000, o1: 1000, a1: 600, m0: 1000, e0: 995 }, 10);
    expect(related.orders).toEqual([{ column: 't_charge', parentColumn: 't_in', rows: 1000, holds: 1 }]);
    expect(related.agrees).toEqual([{ column: 'guest_id', parentColumn: 'guest_id', rows: 1000, holds: 0.995 }]);
    expect(foreignKeyRelations(pairs, { o0: 5, a0: 5, m0: 5, e0: 5 }, 10)).toEqual({ orders: [], agrees: [] });
  });
});
