import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { col, fk, schemaOf, tableOf, uniqueKey } from '../test-support/schema-builders.js';
import { generateRows } from './row-generator.js';

describe('unique keys are unique by construction across chunks', () => {
  it('100k rows: unique email varchar(40) and unique (a_id, b_id), in 7 uneven chunks', () => {
    const schema = schemaOf([
      tableOf('public', 'a', [col('id', 'integer')], { primaryKey: ['id'] }),
      tableOf('public', 'b', [col('id', 'integer')], { primaryKey: ['id'] }),
      tableOf('public', 'member', [col('id', 'integer'), col('email', 'varchar', { length: 40 }), col('a_id', 'integer'), col('b_id', 'integer')], {
        primaryKey: ['id'],
        uniques: [uniqueKey('member_email_key', ['email']), uniqueKey('member_a_b_key', ['a_id', 'b_id'])],
        foreignKeys: [fk('member_a', ['a_id'], 'public.a', ['id']), fk('member_b', ['b_id'], 'public.b', ['id'])],
      }),
    ]);
    const N = 100_000;
    const plan = buildPlan(schema, { seed: 'u', tableRows: { a: 400, b: 300, member: N } });
    const bounds = [0, 13, 9_000, 9_001, 33_333, 70_000, 99_999, N];
    const emails = new Set<string>();
    const pairs = new Set<number>();
    let rows = 0;
    for (let k = 0; k < bounds.length - 1; k++) {
      for (const [, email, a, b] of generateRows(plan, 'public.member', bounds[k]!, bounds[k + 1]!)) {
        rows++;
        const e = email as string;
        expect(e.length).toBeLessThanOrEqual(40);
        emails.add(e.toLowerCase());
        const ai = a as number;
        const bi = b as number;
        expect(ai >= 1 && ai <= 400 && bi >= 1 && bi <= 300).toBe(true);
        pairs.add(ai * 1000 + bi);
      }
    }
    expect(rows).toBe(N);
    expect(emails.size).toBe(N);
    expect(pairs.size).toBe(N);
  });

  it('a composite key of a short text code and a smallint holds more rows than either alone (char(2) × smallint)', () => {
    const schema = schemaOf([tableOf('public', 'warehouses', [col('region', 'char', { length: 2 }), col('code', 'smallint'), col('name', 'text')], { primaryKey: ['region', 'code'] })]);
    const N = 100_000; // more than 65,536 codes, more than 1,296 regions
    const plan = buildPlan(schema, { seed: 'w', rows: N });
    const keys = new Set<string>();
    for (const [region, code] of generateRows(plan, 'public.warehouses', 0, N)) {
      expect(region as string).toMatch(/^[0-9a-z]{2}$/);
      keys.add(`${region as string}|${code as number}`);
    }
    expect(keys.size).toBe(N);
  });

  it('unique columns of every kind, filled close to capacity', () => {
    const schema = schemaOf([
      tableOf(
        'public',
        'u',
        [
          col('small', 'smallint'),
          col('code3', 'char', { length: 3 }),
          col('v4', 'varchar', { length: 4 }),
          col('day', 'date'),
          col('at', 'timestamp'),
          col('id', 'uuid'),
          col('amount', 'decimal', { precision: 4, scale: 2 }),
          col('ip', 'inet'),
          col('flag_bits', 'bit', { length: 16 }),
          col('r', 'real'),
          col('username', 'varchar', { length: 12 }),
          col('t', 'time'),
        ],
        { uniques: ['small', 'code3', 'v4', 'day', 'at', 'id', 'amount', 'ip', 'flag_bits', 'r', 'username', 't'].map((c) => uniqueKey(`u_${c}_key`, [c])) },
      ),
    ]);
    const N = 9_999;
    const plan = buildPlan(schema, { seed: 'cap', rows: N });
    const rows = [...generateRows(plan, 'public.u', 0, 5000), ...generateRows(plan, 'public.u', 5000, N)];
    const columns = plan.tables['public.u']!.columns;
    columns.forEach((c, i) => {
      expect(c.unique, c.name).toBe(true);
      const values = rows.map((r) => (typeof r[i] === 'string' ? (r[i] as string).toLowerCase() : r[i]));
      expect(new Set(values).size, `${c.name} (${c.generator?.name})`).toBe(N);
    });
  });

  it('a unique column with a regex CHECK enumerates matches, distinct even case-insensitively', () => {
    const schema = schemaOf([
      tableOf('public', 'r', [col('code', 'varchar', { length: 4 })], {
        uniques: [uniqueKey('r_code_key', ['code'])],
        checks: [{ name: 'code_format', expression: "((code)::text ~ '^[A-Za-z]{2}[0-9]$'::text)" }],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 6000 });
    const codes = generateRows(plan, 'public.r', 0, 6000).map((r) => r[0] as string);
    expect(codes.every((c) => /^[A-Za-z]{2}[0-9]$/.test(c))).toBe(true);
    expect(new Set(codes.map((c) => c.toLowerCase())).size).toBe(6000);
    expect(() => buildPlan(schema, { seed: 1, tableRows: { r: 6761 } })).toThrow(/at most 6760/);
    expect(buildPlan(schema, { seed: 1, rows: 6761 }).tables['public.r']!.rows).toBe(6760);
  });

  it('composite primary keys over an FK and a small domain (order lines)', () => {
    const schema = schemaOf([
      tableOf('public', 'orders', [col('id', 'integer')], { primaryKey: ['id'] }),
      tableOf('public', 'line', [col('order_id', 'integer'), col('line_no', 'smallint'), col('kind', 'enum', { values: ['a', 'b'] })], {
        primaryKey: ['order_id', 'line_no', 'kind'],
        foreignKeys: [fk('line_order', ['order_id'], 'public.orders', ['id'])],
        checks: [{ name: 'line_no_range', expression: '((line_no >= 1) AND (line_no <= 10))' }],
      }),
    ]);
    const plan = buildPlan(schema, { seed: 1, tableRows: { orders: 100, line: 2000 } });
    const rows = generateRows(plan, 'public.line', 0, 2000);
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(2000);
    expect(rows.every((r) => (r[1] as number) >= 1 && (r[1] as number) <= 10 && (r[0] as number) <= 100)).toBe(true);
  });
});
