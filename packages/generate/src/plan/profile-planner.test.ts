import { PROFILE_VERSION, bucketLabel, type Profile, type ProfileColumn } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { histogramQuantile } from '../generators/distribution.js';
import { CompiledPlan } from '../row/compiled-plan.js';
import { generateRows } from '../row/row-generator.js';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import type { GeneratedValue } from '../values.js';
import { buildPlan } from './build-plan.js';
import { PlanModel, type Plan } from './plan-model.js';

const schema = schemaOf([
  tableOf('public', 'customers', [col('id', 'integer'), col('full_name', 'varchar', { rawType: 'varchar(64)', length: 64 })], { primaryKey: ['id'] }),
  tableOf(
    'public',
    'orders',
    [
      col('id', 'integer'),
      col('customer_id', 'integer'),
      col('status', 'varchar', { rawType: 'varchar(16)', length: 16 }),
      col('amount', 'decimal', { rawType: 'numeric(10,2)', precision: 10, scale: 2, nullable: true }),
      col('quantity', 'integer'),
      col('notes', 'text', { nullable: true }),
      col('created_at', 'timestamp', { rawType: 'timestamp', nullable: false }),
      col('code', 'varchar', { rawType: 'varchar(20)', length: 20 }),
    ],
    { primaryKey: ['id'], foreignKeys: [fk('orders_customer_fk', ['customer_id'], 'public.customers', ['id'])] },
  ),
]);

function stats(extra: Partial<ProfileColumn>): ProfileColumn {
  return { nullFraction: 0, distinctCount: null, distinctRatio: null, personal: false, kept: [], dropped: [], reason: 'test', ...extra };
}

const STATUS = { values: ['active', 'pending', 'cancelled', 'refunded'], frequencies: [0.62, 0.2, 0.1, 0.05] };
/** amount: 30 % NULL; equi-depth bounds of a heavy tail (each bucket 10 % of the non-NULL rows). */
const AMOUNT_BOUNDS = [1, 3, 6, 10, 15, 22, 35, 60, 120, 400, 5000];
/** Fan-out: 5000 customers, 20 000 orders (mean 4), a quarter with none. */
const FANOUT = [
  { children: '0', parents: 1250 },
  { children: '1', parents: 1000 },
  { children: '2-3', parents: 1000 },
  { children: '4-7', parents: 1000 },
  { children: '8-15', parents: 500 },
  { children: '16-31', parents: 250 },
];

const profile: Profile = {
  version: PROFILE_VERSION,
  dialect: 'postgres',
  takenAt: '2026-01-01T00:00:00Z',
  k: 10,
  scanned: true,
  ranAnalyze: true,
  notes: [],
  tables: {
    'public.customers': {
      rowEstimate: 5000,
      analysed: true,
      columns: {
        id: stats({ distinctCount: 5000, distinctRatio: 1, distinctBasis: 'ratio' }),
        full_name: stats({ personal: true, distinctCount: 4500, distinctRatio: 0.9, distinctBasis: 'ratio' }),
      },
      foreignKeys: {},
    },
    'public.orders': {
      rowEstimate: 20_000,
      analysed: true,
      columns: {
        id: stats({ distinctCount: 20_000, distinctRatio: 1, distinctBasis: 'ratio' }),
        customer_id: stats({ distinctCount: 3750, distinctRatio: 0.1875 }),
        status: stats({ distinctCount: 6, distinctRatio: 0.0003, mostCommon: STATUS }),
        amount: stats({ nullFraction: 0.3, distinctCount: 5000, distinctRatio: 0.25, distinctBasis: 'ratio', histogram: { bounds: AMOUNT_BOUNDS } }),
        quantity: stats({ distinctCount: 40, distinctRatio: 0.002, mostCommon: { values: [1, 2], frequencies: [0.5, 0.2] }, histogram: { bounds: [3, 5, 8, 12, 20, 50] } }),
        notes: stats({
          nullFraction: 0.6,
          distinctCount: 7000,
          distinctRatio: 0.35,
          distinctBasis: 'ratio',
          lengths: [
            { length: '4-7', rows: 2000 },
            { length: '32-63', rows: 6000 },
          ],
        }),
        created_at: stats({
          distinctCount: 20_000,
          distinctRatio: 1,
          distinctBasis: 'ratio',
          correlation: 0.99,
          histogram: { bounds: ['2024-01-01 00:00:00', '2024-03-01 00:00:00', '2024-12-31 00:00:00'] },
        }),
        code: stats({ distinctCount: 300, distinctRatio: 0.015 }),
      },
      foreignKeys: { orders_customer_fk: { columns: ['customer_id'], references: { table: 'public.customers', columns: ['id'] }, fanout: FANOUT } },
    },
  },
};

function column(plan: Plan, rows: GeneratedValue[][], name: string): GeneratedValue[] {
  const i = plan.tables['public.orders']!.columns.filter((c) => c.load).findIndex((c) => c.name === name);
  return rows.map((r) => r[i]!);
}

describe('buildPlan with a profile', () => {
  const plan = buildPlan(schema, { seed: 'profile', profile });
  const rows = generateRows(plan, 'public.orders', 0, plan.tables['public.orders']!.rows);
  const reason = (name: string): string => plan.tables['public.orders']!.columns.find((c) => c.name === name)!.reason;

  it('sizes tables from the profile row estimates, scaled', () => {
    expect(plan.tables['public.orders']!.rows).toBe(20_000);
    expect(plan.tables['public.customers']!.rows).toBe(5000);
    const tenth = buildPlan(schema, { seed: 'profile', profile, scale: 0.1 });
    expect(tenth.tables['public.orders']!.rows).toBe(2000);
    expect(tenth.tables['public.orders']!.notes[0]).toMatch(/profile: rows = 0\.1 × 20,000/);
    // An explicit --rows still wins.
    expect(buildPlan(schema, { seed: 'profile', profile, rows: 50 }).tables['public.orders']!.rows).toBe(50);
  });

  it('says in each reason that the profile shaped the column, and leaves keys alone', () => {
    expect(reason('status')).toMatch(/^profile: 4 frequent values/);
    expect(reason('amount')).toMatch(/^profile: histogram; ~5,000 distinct; 30% NULL/);
    expect(reason('quantity')).toMatch(/^profile: 2 frequent values \+ histogram/);
    expect(reason('id')).not.toMatch(/profile/);
    expect(plan.tables['public.orders']!.picks['fk:orders_customer_fk']!.kind).toBe('fanout');
  });

  it('matches the null fraction and the frequent values within ±0.02', () => {
    const amount = column(plan, rows, 'amount');
    expect(Math.abs(amount.filter((v) => v === null).length / rows.length - 0.3)).toBeLessThan(0.02);
    const status = column(plan, rows, 'status');
    STATUS.values.forEach((value, i) => {
      expect(Math.abs(status.filter((v) => v === value).length / rows.length - STATUS.frequencies[i]!)).toBeLessThan(0.02);
    });
    // The remaining 3 % are other values (6 distinct in all: 4 frequent + about 2 others).
    expect(new Set(status).size).toBeGreaterThanOrEqual(5);
    expect(new Set(status).size).toBeLessThanOrEqual(7);
    const quantity = column(plan, rows, 'quantity');
    expect(Math.abs(quantity.filter((v) => v === 1).length / rows.length - 0.5)).toBeLessThan(0.02);
  });

  it('follows the histogram: KS distance below 0.05', () => {
    const values = column(plan, rows, 'amount')
      .filter((v) => v !== null)
      .map(Number)
      .sort((a, b) => a - b);
    // The profile's CDF at x: the piecewise-uniform distribution over the bounds.
    const cdf = (x: number): number => {
      const b = AMOUNT_BOUNDS;
      if (x <= b[0]!) return 0;
      if (x >= b[b.length - 1]!) return 1;
      let i = 0;
      while (b[i + 1]! < x) i++;
      return (i + (x - b[i]!) / (b[i + 1]! - b[i]!)) / (b.length - 1);
    };
    let ks = 0;
    values.forEach((x, i) => {
      ks = Math.max(ks, Math.abs((i + 1) / values.length - cdf(x)), Math.abs(i / values.length - cdf(x)));
    });
    expect(ks).toBeLessThan(0.05);
    expect(histogramQuantile(AMOUNT_BOUNDS, 0.5)).toBe(22);
  });

  it('keeps distinct counts close to the profile, scaled with the rows', () => {
    const amount = new Set(column(plan, rows, 'amount').filter((v) => v !== null));
    expect(amount.size).toBeGreaterThan(5000 * 0.85);
    expect(amount.size).toBeLessThan(5000 * 1.15);
    const code = new Set(column(plan, rows, 'code'));
    expect(code.size).toBeGreaterThan(300 * 0.9);
    expect(code.size).toBeLessThanOrEqual(300);
    // At scale 0.1 the copy holds what a 10 % sample of production would: a small domain keeps its count.
    const tenth = buildPlan(schema, { seed: 'profile', profile, scale: 0.1 });
    const small = generateRows(tenth, 'public.orders', 0, tenth.tables['public.orders']!.rows);
    const smallAmount = new Set(column(tenth, small, 'amount').filter((v) => v !== null));
    // As a 10 % sample of production would: 5000 values over 14,000 rows keep 5000 × (1 − 0.9^2.8) ≈ 1276.
    expect(smallAmount.size).toBeGreaterThan(1276 * 0.85);
    expect(smallAmount.size).toBeLessThan(1276 * 1.15);
    expect(new Set(column(tenth, small, 'code')).size).toBeGreaterThan(300 * 0.85);
  });

  it('bends free text to the profile lengths', () => {
    const notes = column(plan, rows, 'notes').filter((v): v is string => typeof v === 'string');
    const buckets = new Map<string, number>();
    for (const n of notes) buckets.set(bucketLabel([...n].length), (buckets.get(bucketLabel([...n].length)) ?? 0) + 1);
    expect(Math.abs((buckets.get('4-7') ?? 0) / notes.length - 0.25)).toBeLessThan(0.03);
    expect(Math.abs((buckets.get('32-63') ?? 0) / notes.length - 0.75)).toBeLessThan(0.03);
    expect(Math.abs(notes.length / rows.length - 0.4)).toBeLessThan(0.02);
  });

  it('keeps a column correlated with row order monotonic', () => {
    const created = column(plan, rows, 'created_at') as string[];
    let ordered = 0;
    for (let i = 1; i < created.length; i++) if (created[i]! >= created[i - 1]!) ordered++;
    expect(ordered / (created.length - 1)).toBeGreaterThan(0.99);
    expect(created[0]! >= '2024-01-01').toBe(true);
    expect(created[created.length - 1]! <= '2024-12-31 00:00:00').toBe(true);
    // Half the rows in the first two months (the first bucket of two).
    expect(created[Math.floor(created.length / 2) - 50]! < '2024-03-01').toBe(true);
  });

  it('reproduces the fan-out buckets, zero-child parents included', () => {
    const customers = plan.tables['public.customers']!.rows;
    const ids = column(plan, rows, 'customer_id').map(Number);
    const counts = new Array<number>(customers).fill(0);
    for (const id of ids) counts[id - 1]!++;
    const buckets = new Map<string, number>();
    for (const c of counts) buckets.set(bucketLabel(c), (buckets.get(bucketLabel(c)) ?? 0) + 1);
    for (const b of FANOUT) expect(Math.abs((buckets.get(b.children) ?? 0) - b.parents) / customers).toBeLessThan(0.03);
    expect(ids.every((id) => id >= 1 && id <= customers)).toBe(true);
  });

  it('keeps personal columns to their semantic generator', () => {
    const name = plan.tables['public.customers']!.columns.find((c) => c.name === 'full_name')!;
    expect(name.reason).toMatch(/personal: shape only/);
    const names = generateRows(plan, 'public.customers', 0, 5000).map((r) => r[1]);
    expect(new Set(names).size).toBeGreaterThan(4500 * 0.85);
    expect(names.every((n) => typeof n === 'string' && /^[A-Za-z' .-]+$/.test(n))).toBe(true);
  });

  it('is deterministic: same seed, same rows, in one run or in chunks in fresh workers', () => {
    const again = generateRows(buildPlan(schema, { seed: 'profile', profile }), 'public.orders', 0, 3000);
    expect(again).toEqual(rows.slice(0, 3000));
    const worker = (): CompiledPlan => new CompiledPlan(PlanModel.parse(JSON.parse(JSON.stringify(plan))));
    const chunked = [...generateRows(worker(), 'public.orders', 1700, 3000), ...generateRows(worker(), 'public.orders', 0, 1700)];
    expect([...chunked.slice(1300), ...chunked.slice(0, 1300)]).toEqual(rows.slice(0, 3000));
    const other = generateRows(buildPlan(schema, { seed: 'other', profile }), 'public.orders', 0, 100);
    expect(other).not.toEqual(rows.slice(0, 100));
  });
});

describe('the profile gives way to config and constraints', () => {
  const constrained = schemaOf([
    tableOf('public', 'customers', [col('id', 'integer')], { primaryKey: ['id'] }),
    tableOf(
      'public',
      'orders',
      [
        col('id', 'integer'),
        col('customer_id', 'integer'),
        col('status', 'varchar', { rawType: 'varchar(16)', length: 16 }),
        col('amount', 'decimal', { rawType: 'numeric(10,2)', precision: 10, scale: 2 }),
        col('quantity', 'integer', { nullable: true }),
      ],
      {
        primaryKey: ['id'],
        foreignKeys: [fk('orders_customer_fk', ['customer_id'], 'public.customers', ['id'])],
        checks: [
          { name: 'status_ok', expression: "status IN ('active', 'pending')" },
          { name: 'amount_cap', expression: 'amount <= 100' },
        ],
      },
    ),
    tableOf('public', 'audit', [col('id', 'integer')], { primaryKey: ['id'] }),
  ]);
  const plan = buildPlan(constrained, {
    seed: 'c',
    profile,
    config: { tables: { orders: { columns: { quantity: { values: [7] } } } } },
  });
  const rows = generateRows(plan, 'public.orders', 0, plan.tables['public.orders']!.rows);
  const columnOf = (name: string): GeneratedValue[] => column(plan, rows, name);

  it('keeps only the frequent values a CHECK allows, and numbers inside CHECK bounds', () => {
    const status = new Set(columnOf('status'));
    expect([...status].sort()).toEqual(['active', 'pending']);
    const active = columnOf('status').filter((v) => v === 'active').length / rows.length;
    // 0.62 and 0.2 of the rows in production; 'cancelled' and 'refunded' (0.15) are not allowed here,
    // and their share goes to the allowed ones in proportion: 0.62 × 0.97 / 0.82 ≈ 0.733.
    expect(Math.abs(active - 0.733)).toBeLessThan(0.03);
    expect(columnOf('amount').every((v) => Number(v) <= 100)).toBe(true);
  });

  it('lets a NOT NULL column stay NOT NULL, and config generators win', () => {
    expect(columnOf('amount').every((v) => v !== null)).toBe(true);
    expect(plan.tables['public.orders']!.columns.find((c) => c.name === 'quantity')!.reason).toBe('config');
    expect(new Set(columnOf('quantity').filter((v) => v !== null))).toEqual(new Set([7]));
  });

  it('notes a table the profile does not have, and sizes it as without a profile', () => {
    expect(plan.tables['public.audit']!.notes).toContain('not in the profile: rows and values as without one');
    expect(plan.tables['public.audit']!.rows).toBe(1000);
  });

  it('keeps the fan-out total exact when the rows are far from the profile', () => {
    const small = buildPlan(constrained, { seed: 'c', profile, tableRows: { orders: 777, customers: 100 } });
    const pick = small.tables['public.orders']!.picks['fk:orders_customer_fk']!;
    expect(pick.kind).toBe('fanout');
    const ids = column(small, generateRows(small, 'public.orders', 0, 777), 'customer_id');
    expect(ids.every((id) => typeof id === 'number' && id >= 1 && id <= 100)).toBe(true);
  });
});

describe('small domains without frequent values (MariaDB keeps none for text and booleans)', () => {
  const small = schemaOf([
    tableOf(
      'public',
      'films',
      [
        col('id', 'integer'),
        col('active', 'boolean'),
        col('rating', 'varchar', { rawType: 'varchar(5)', length: 5 }),
        col('rented_at', 'timestamp', { nullable: true }),
        col('returned_at', 'timestamp', { nullable: true }),
        col('score', 'integer'),
      ],
      {
        primaryKey: ['id'],
        checks: [
          { name: 'rating_ok', expression: "rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17')" },
          { name: 'returned_after', expression: 'returned_at > rented_at' },
          { name: 'score_not_5', expression: 'score <> 5' },
        ],
      },
    ),
  ]);
  const smallProfile: Profile = {
    ...profile,
    tables: {
      'public.films': {
        rowEstimate: 400,
        analysed: true,
        columns: {
          active: stats({ distinctCount: 2, distinctRatio: 0.005 }),
          rating: stats({ distinctCount: 5, distinctRatio: 0.0125 }),
          returned_at: stats({ nullFraction: 0.25, distinctCount: 300, distinctRatio: 0.75 }),
          score: stats({ distinctCount: 9, distinctRatio: 0.0225, histogram: { bounds: [1, 3, 5, 7, 10] } }),
        },
        foreignKeys: {},
      },
    },
  };
  const plan = buildPlan(small, { seed: 's', profile: smallProfile });
  const rows = generateRows(plan, 'public.films', 0, 400);
  const at = (name: string): GeneratedValue[] => {
    const i = plan.tables['public.films']!.columns.findIndex((c) => c.name === name);
    return rows.map((r) => r[i]!);
  };

  it('shows every value of the domain, as production did', () => {
    expect(new Set(at('active'))).toEqual(new Set([true, false]));
    expect(new Set(at('rating'))).toEqual(new Set(['G', 'PG', 'PG-13', 'R', 'NC-17']));
  });

  it('never writes a value a CHECK forbids, even when a slot lands on it', () => {
    const scores = at('score');
    expect(scores).not.toContain(5);
    expect(scores.every((v) => typeof v === 'number' && v >= 1 && v <= 10)).toBe(true);
    expect(new Set(scores).size).toBeGreaterThanOrEqual(6);
  });

  it('gives a CHECK-ordered column the profile NULL rate and keeps the ordering', () => {
    const returned = at('returned_at');
    expect(plan.tables['public.films']!.columns.find((c) => c.name === 'returned_at')!.reason).toMatch(/^profile: 25% NULL; /);
    expect(Math.abs(returned.filter((v) => v === null).length / rows.length - 0.25)).toBeLessThan(0.06);
    const rented = at('rented_at');
    rows.forEach((_, i) => {
      if (returned[i] !== null && rented[i] !== null) expect(String(returned[i]) > String(rented[i])).toBe(true);
    });
  });
});

describe('buildPlan with a profile: bucket sizes, bounded tails, fractional seconds', () => {
  const small = schemaOf([
    tableOf(
      'public',
      'lines',
      [
        col('id', 'integer'),
        col('price', 'decimal', { rawType: 'numeric(10,2)', precision: 10, scale: 2 }),
        col('total', 'decimal', { rawType: 'numeric(10,2)', precision: 10, scale: 2 }),
        col('at', 'timestamp', { rawType: 'timestamp', nullable: false }),
      ],
      { primaryKey: ['id'] },
    ),
  ]);
  // total: MariaDB-like JSON_HB buckets of unequal sizes: 80 % in [0, 10], 20 % in [10, 1000].
  const TOTAL = { bounds: [0, 10, 1000], sizes: [0.8, 0.2] };
  const p: Profile = {
    ...profile,
    tables: {
      'public.lines': {
        rowEstimate: 10_000,
        analysed: true,
        columns: {
          id: stats({ distinctCount: 10_000, distinctRatio: 1 }),
          // 0.99 in 95 %, 1.99 in 4 %: the rest (1 %) must stay between them, never a generator's tail.
          price: stats({ distinctCount: 3, distinctRatio: 0.0003, mostCommon: { values: [0.99, 1.99], frequencies: [0.95, 0.04] } }),
          total: stats({ distinctCount: 5000, distinctRatio: 0.5, histogram: TOTAL }),
          at: stats({ distinctCount: 10_000, distinctRatio: 1, histogram: { bounds: ['2024-01-01 00:00:00.125', '2024-06-01 00:00:00.5', '2024-12-31 00:00:00.75'] } }),
        },
        foreignKeys: {},
      },
    },
  };
  const plan = buildPlan(small, { seed: 'sizes', profile: p });
  const rows = generateRows(plan, 'public.lines', 0, plan.tables['public.lines']!.rows);
  const values = (name: string): GeneratedValue[] => {
    const i = plan.tables['public.lines']!.columns.filter((c) => c.load).findIndex((c) => c.name === name);
    return rows.map((r) => r[i]!);
  };

  it('follows the histogram bucket sizes (80 % below 10), not equal heights', () => {
    const total = values('total').map(Number);
    const below = total.filter((x) => x <= 10).length / total.length;
    expect(below).toBeGreaterThan(0.77);
    expect(below).toBeLessThan(0.83);
    expect(Math.max(...total)).toBeLessThanOrEqual(1000);
    expect(histogramQuantile([0, 10, 1000], 0.4, [0.8, 0.2])).toBeCloseTo(5, 9);
  });

  it('keeps other values within the frequent values when there is no histogram', () => {
    const price = values('price').map(Number);
    expect(Math.min(...price)).toBeGreaterThanOrEqual(0.99);
    expect(Math.max(...price)).toBeLessThanOrEqual(1.99);
    expect(price.filter((x) => x === 0.99).length / price.length).toBeGreaterThan(0.93);
  });

  it("keeps production's fractional seconds", () => {
    const at = values('at').map(String);
    const fractional = at.filter((v) => /\.\d*[1-9]/.test(v)).length;
    expect(fractional / at.length).toBeGreaterThan(0.9);
    expect(at.every((v) => v >= '2024-01-01 00:00:00.125' && v <= '2024-12-31 00:00:00.75')).toBe(true);
  });
});
