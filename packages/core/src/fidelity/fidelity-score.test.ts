import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { Profile, ProfileColumn, ProfileTable } from '../profile-model.js';
import { cdfAt, columnCdf, ksDistance, orderedValue, totalVariation } from './distribution-distance.js';
import { fidelityHtml } from './fidelity-html.js';
import { FidelityReportModel } from './fidelity-model.js';
import { coverageText, expectedDistinct, scoreColumn, scoreFidelity, unmeasuredColumns, worstColumns } from './fidelity-score.js';

function col(over: Partial<ProfileColumn> = {}): ProfileColumn {
  return { nullFraction: 0, distinctCount: null, distinctRatio: null, personal: false, kept: [], dropped: [], reason: 'test', ...over };
}

function table(columns: Record<string, ProfileColumn>, over: Partial<ProfileTable> = {}): ProfileTable {
  return { rowEstimate: 1000, analysed: true, columns, foreignKeys: {}, ...over };
}

function profile(tables: Record<string, ProfileTable>): Profile {
  return { version: 1, dialect: 'postgres', takenAt: '2026-01-01T00:00:00.000Z', k: 10, scanned: true, ranAnalyze: true, tables, notes: [] };
}

const shop = (): Profile =>
  profile({
    'public.customers': table(
      {
        id: col({ distinctCount: 1000, distinctRatio: 1, histogram: { bounds: [1, 250, 500, 750, 1000] } }),
        tier: col({ distinctCount: 3, distinctRatio: 0.003, mostCommon: { values: ['basic', 'gold', 'platinum'], frequencies: [0.9, 0.07, 0.03] } }),
        referrer: col({
          nullFraction: 0.3,
          distinctCount: 700,
          distinctRatio: 0.7,
          lengths: [
            { length: '4-7', rows: 400 },
            { length: '8-15', rows: 300 },
          ],
        }),
        created_at: col({ distinctRatio: 1, distinctCount: 1000, histogram: { bounds: ['2024-01-01', '2024-04-01', '2024-07-01', '2025-01-01'] } }),
      },
      { rowEstimate: 1000 },
    ),
    'public.orders': table(
      {
        id: col({ distinctCount: 5000, distinctRatio: 1, histogram: { bounds: [1, 2500, 5000] } }),
        customer_id: col({ distinctCount: 800, distinctRatio: 0.16, histogram: { bounds: [1, 500, 1000] } }),
        amount: col({ distinctCount: 4000, distinctRatio: 0.8, mostCommon: { values: [9.99], frequencies: [0.2] }, histogram: { bounds: [1, 10, 100, 1000] } }),
      },
      {
        rowEstimate: 5000,
        foreignKeys: {
          orders_customer_fk: {
            columns: ['customer_id'],
            references: { table: 'public.customers', columns: ['id'] },
            fanout: [
              { children: '0', parents: 200 },
              { children: '1', parents: 300 },
              { children: '2-3', parents: 300 },
              { children: '64-127', parents: 200 },
            ],
          },
        },
      },
    ),
  });

describe('distribution distances', () => {
  it('rebuilds a CDF from frequent values (points) and histogram buckets (even within a bucket)', () => {
    // 10% NULL, value 5 takes 30% of all rows, the remaining 60% spread over [0,10] and [10,20].
    const cdf = columnCdf(col({ nullFraction: 0.1, mostCommon: { values: [5], frequencies: [0.3] }, histogram: { bounds: [0, 10, 20] } }))!;
    expect(cdfAt(cdf, 5, true)).toBeCloseTo((0.15 / 0.9) * 1, 10); // half of the first bucket's 0.3 of all rows, over 0.9 non-null
    expect(cdfAt(cdf, 5)).toBeCloseTo((0.15 + 0.3) / 0.9, 10);
    expect(cdfAt(cdf, 20)).toBeCloseTo(1, 10);
  });

  it('refuses a CDF for text values, or when most rows are in neither frequent values nor a histogram', () => {
    expect(columnCdf(col({ mostCommon: { values: ['a'], frequencies: [1] } }))).toBeUndefined();
    expect(columnCdf(col({ mostCommon: { values: [1, 2], frequencies: [0.3, 0.3] } }))).toBeUndefined();
    expect(columnCdf(col({ mostCommon: { values: [1, 2], frequencies: [0.5, 0.5] } }))).toBeDefined();
  });

  it('reads dates and numeric text as ordered values', () => {
    expect(orderedValue('2024-01-01')).toEqual({ value: Date.UTC(2024, 0, 1), date: true });
    expect(orderedValue('2024-01-01T12:00:00')).toEqual({ value: Date.UTC(2024, 0, 1, 12), date: true });
    expect(orderedValue('12.50')).toEqual({ value: 12.5, date: false });
    expect(orderedValue('active')).toBeUndefined();
  });

  it('KS of a histogram shifted by a quarter of its range is 0.25', () => {
    const a = columnCdf(col({ histogram: { bounds: [0, 10, 20, 30, 40] } }))!;
    const b = columnCdf(col({ histogram: { bounds: [10, 20, 30, 40, 50] } }))!;
    // F(x) = x/40, G(x) = (x−10)/40 on their ranges: the gap is 10/40 from x = 10 to 40.
    expect(ksDistance(a, b).distance).toBeCloseTo(0.25, 10);
  });

  it('KS sees a frequent value (a jump) against a flat bucket', () => {
    const a = columnCdf(col({ mostCommon: { values: [5], frequencies: [0.5] }, histogram: { bounds: [0, 10] } }))!;
    const b = columnCdf(col({ histogram: { bounds: [0, 10] } }))!;
    // At 5: F(5−) = 0.25, F(5) = 0.75; G(5) = 0.5.
    const ks = ksDistance(a, b);
    expect(ks.distance).toBeCloseTo(0.25, 10);
    expect(ks.at).toBe(5);
  });

  it('TVD of two swapped categories is 0.4', () => {
    expect(
      totalVariation(
        new Map([
          ['a', 0.7],
          ['b', 0.3],
        ]),
        new Map([
          ['a', 0.3],
          ['b', 0.7],
        ]),
      ),
    ).toBeCloseTo(0.4, 10);
  });
});

describe('scoreColumn', () => {
  it('scores a categorical swap 1 − TVD, counting unlisted values as one "other" category', () => {
    const swapped = scoreColumn(col({ mostCommon: { values: ['a', 'b'], frequencies: [0.5, 0.3] } }), col({ mostCommon: { values: ['a', 'c'], frequencies: [0.5, 0.3] } }));
    // shares: a .5 b .3 other .2 vs a .5 c .3 other .2 → ½(.3 + .3) = 0.3
    expect(swapped.metrics.find((m) => m.metric === 'tvd')?.score).toBeCloseTo(0.7, 4);
    const bars = swapped.charts[0]!.bars.map((b) => b.label);
    expect(bars).toEqual(['a', 'b', 'c', '(other)']);
  });

  it('compares categories over non-null rows, and the NULLs apart: null fraction off by 0.3 scores 0.7', () => {
    const column = scoreColumn(
      col({ nullFraction: 0.3, mostCommon: { values: ['x', 'y'], frequencies: [0.35, 0.35] } }),
      col({ nullFraction: 0, mostCommon: { values: ['x', 'y'], frequencies: [0.5, 0.5] } }),
    );
    expect(column.metrics.find((m) => m.metric === 'tvd')?.score).toBe(1);
    expect(column.metrics.find((m) => m.metric === 'nulls')?.score).toBeCloseTo(0.7, 4);
    expect(column.score).toBeCloseTo((1 + 0.7) / 2, 4);
    expect(column.charts[0]!.bars.at(-1)).toEqual({ label: 'NULL', source: 0.3, target: 0 });
  });

  it('expects a copy at scale s to keep a small domain and s × the values of a unique column', () => {
    expect(expectedDistinct(1000, 1000, 0.1)).toBeCloseTo(100, 6);
    expect(expectedDistinct(30, 300_000, 0.1)).toBeCloseTo(30, 6);
    expect(expectedDistinct(500, 1000, 1)).toBe(500);
    // 2 rows per value, 10% kept: 1 − 0.9² = 19% of the values survive.
    expect(expectedDistinct(500, 1000, 0.1)).toBeCloseTo(95, 6);
    expect(expectedDistinct(1000, 1000, 3)).toBeCloseTo(3000, 6);
    expect(expectedDistinct(30, 300_000, 3)).toBeCloseTo(30, 1);
    // Skewed: 6 values hold 74% of 425 rows, 24 share 109. Exact: Σ 1 − 0.9^rows over the values.
    const common = [0.447059, 0.0988235, 0.0705882, 0.0564706, 0.0447059, 0.0258824];
    const exact = common.reduce((a, f) => a + 1 - 0.9 ** (f * 425), 0) + 24 * (1 - 0.9 ** (109 / 24));
    expect(expectedDistinct(30, 425, 0.1, common)).toBeCloseTo(exact, 0);
    expect(expectedDistinct(30, 425, 0.1)).toBeGreaterThan(22); // taken as equally frequent: far more
    const at = (s: number, t: number) => scoreColumn(col({ distinctCount: s }), col({ distinctCount: t }), { sourceRows: 300_000, scale: 0.1 }).metrics.find((m) => m.metric === 'distinct')?.score;
    expect(at(30, 30)).toBe(1);
    expect(at(300_000, 30_000)).toBe(1);
    // 30 countries become 3000 random strings: |3000 − 30| ÷ 3000.
    expect(at(30, 3000)).toBeCloseTo(0.01, 4);
    // A unique column that repeats each value 4 times in the copy: 7500 vs 30 000.
    expect(at(300_000, 7500)).toBeCloseTo(0.25, 4);
    // Distinct values live in the non-null rows: 35 000 distinct in 50 000 rows with 30% NULL is unique.
    const nullable = scoreColumn(col({ nullFraction: 0.3, distinctCount: 35_000 }), col({ nullFraction: 0.3, distinctCount: 3500 }), { sourceRows: 50_000, scale: 0.1 });
    expect(nullable.metrics.find((m) => m.metric === 'distinct')?.score).toBe(1);
  });

  it('computes no value-distribution metric for key columns', () => {
    const key = scoreColumn(col({ distinctCount: 100, histogram: { bounds: [1, 100] } }), col({ distinctCount: 10, histogram: { bounds: [1, 10] } }), {
      keyRole: 'referenced',
      sourceRows: 100,
      scale: 0.1,
    });
    expect(key.metrics.map((m) => [m.metric, m.score])).toEqual([
      ['nulls', 1],
      ['distinct', 1],
    ]);
    expect(key.notes[0]).toContain('key column');
    const foreign = scoreColumn(col({ distinctCount: 100, histogram: { bounds: [1, 100] } }), col({ distinctCount: 10, histogram: { bounds: [1, 10] } }), {
      keyRole: 'foreign',
      sourceRows: 100,
      scale: 0.1,
    });
    expect(foreign.metrics.map((m) => m.metric)).toEqual(['nulls']);
    expect(foreign.notes[1]).toContain('fan-out');
  });

  it("treats the columns of an FK declared on a partition as FK columns of the partitioned parent (pagila's payment)", () => {
    const customerId = col({ distinctCount: 600, distinctRatio: 0.3, histogram: { bounds: [1, 300, 600] } });
    const parts = (shift: number): Profile =>
      profile({
        'public.customer': table({ id: col({ distinctCount: 600, distinctRatio: 1, histogram: { bounds: [1, 600] } }) }, { rowEstimate: 600 }),
        'public.payment': table({ customer_id: customerId }, { rowEstimate: 2000 }),
        'public.payment_p1': table(
          { customer_id: col({ ...customerId, histogram: { bounds: [1 + shift, 300 + shift, 600 + shift] } }) },
          { rowEstimate: 2000, partitionOf: 'public.payment', foreignKeys: { p1_customer_fk: { columns: ['customer_id'], references: { table: 'public.customer', columns: ['id'] } } } },
        ),
      });
    const report = scoreFidelity(
      parts(0),
      { ...parts(0), tables: { ...parts(0).tables, 'public.payment': table({ customer_id: col({ ...customerId, histogram: { bounds: [1000, 2000, 3000] } }) }, { rowEstimate: 2000 }) } },
      { scale: 1 },
    );
    const parent = report.tables['public.payment']!.columns['customer_id']!;
    expect(parent.metrics.map((m) => m.metric)).toEqual(['nulls']);
  });

  it('scores an all-NULL target column on its NULLs alone, saying why the values were not compared', () => {
    const column = scoreColumn(col({ nullFraction: 0.3, histogram: { bounds: [0, 10, 20] } }), col({ nullFraction: 1, reason: 'every value NULL' }));
    expect(column.metrics.map((m) => [m.metric, m.score])).toEqual([['nulls', 0.3]]);
    expect(column.notes[0]).toContain('the target profile has no histogram for it (every value NULL)');
  });

  it('builds no CDF from bounds that are not numbers or dates (PostgreSQL "infinity")', () => {
    const column = scoreColumn(col({ histogram: { bounds: ['2024-01-01', 'infinity'] } }), col({ histogram: { bounds: ['2024-01-01', '2025-01-01'] } }));
    expect(column.metrics.map((m) => m.metric)).toEqual(['nulls']);
  });

  it('scores text lengths 1 − TVD of the buckets', () => {
    const lengths = scoreColumn(
      col({
        lengths: [
          { length: '4-7', rows: 50 },
          { length: '8-15', rows: 50 },
        ],
      }),
      col({
        lengths: [
          { length: '4-7', rows: 10 },
          { length: '8-15', rows: 30 },
        ],
      }),
    );
    // .5/.5 vs .25/.75 → 0.25
    expect(lengths.metrics.find((m) => m.metric === 'lengths')?.score).toBeCloseTo(0.75, 4);
  });
});

describe('scoreFidelity', () => {
  it('scores identical profiles 1.0 everywhere', () => {
    const report = scoreFidelity(shop(), shop());
    expect(FidelityReportModel.parse(report)).toBeTruthy();
    expect(report.overall).toBe(1);
    for (const [, , column] of worstColumns(report)) expect(column.score).toBe(1);
    expect(report.tables['public.orders']!.metrics.map((m) => m.metric)).toEqual(['rows', 'fanout']);
    // amount: KS; tier: TVD; created_at: KS over dates; id/customer_id: keys.
    expect(report.tables['public.orders']!.columns['amount']!.metrics.map((m) => m.metric)).toEqual(['ks', 'nulls', 'distinct']);
    expect(report.tables['public.customers']!.columns['tier']!.metrics.map((m) => m.metric)).toEqual(['tvd', 'nulls', 'distinct']);
    expect(report.tables['public.customers']!.columns['created_at']!.metrics[0]!.metric).toBe('ks');
    expect(report.tables['public.orders']!.columns['customer_id']!.notes[0]).toContain('key column');
    expect(report.tables['public.customers']!.columns['id']!.notes[0]).toContain('key column');
  });

  it('scores row counts against the scale, and fan-out as shares of parents', () => {
    const target = shop();
    target.tables['public.customers']!.rowEstimate = 100; // 0.1 × 1000: exact
    target.tables['public.orders']!.rowEstimate = 750; // expected 500: ratio 1.5 → 0.5
    target.tables['public.orders']!.foreignKeys['orders_customer_fk']!.fanout = [
      { children: '0', parents: 20 },
      { children: '1', parents: 30 },
      { children: '2-3', parents: 50 },
    ]; // .2 .3 .3 .2 vs .2 .3 .5 0 → ½(.2 + .2) = 0.2
    const report = scoreFidelity(shop(), target, { scale: 0.1 });
    const metric = (key: string, name: string): number | undefined => report.tables[key]!.metrics.find((m) => m.metric === name)?.score;
    expect(metric('public.customers', 'rows')).toBe(1);
    expect(metric('public.orders', 'rows')).toBeCloseTo(0.5, 4);
    expect(metric('public.orders', 'fanout')).toBeCloseTo(0.8, 4);
    const orders = report.tables['public.orders']!;
    const columnScores = Object.values(orders.columns).map((c) => c.score!);
    expect(orders.score).toBeCloseTo((columnScores.reduce((s, x) => s + x, 0) + 0.5 + 0.8) / (columnScores.length + 2), 3);
    expect(report.overall).toBeCloseTo((report.tables['public.customers']!.score! + orders.score!) / 2, 3);
  });

  it('expects the rows seed plans for a table kept whole below scale 1 (a lookup table), not scale × rows', () => {
    const target = shop();
    target.tables['public.orders']!.rowEstimate = 500;
    const planned = new Map([['public.customers', { rows: 1000, note: 'lookup table kept whole' }]]);
    const report = scoreFidelity(shop(), target, { scale: 0.1, plannedRows: planned });
    const rows = report.tables['public.customers']!.metrics.find((m) => m.metric === 'rows')!;
    expect(rows.score).toBe(1);
    expect(rows.detail).toBe('1000 rows vs 1000 expected (planned: lookup table kept whole)');
    // its columns are a full copy: a 1000-value unique column expects 1000 distinct values, not 100
    expect(report.tables['public.customers']!.columns['created_at']!.metrics.find((m) => m.metric === 'distinct')!.score).toBe(1);
    expect(report.tables['public.orders']!.metrics.find((m) => m.metric === 'rows')!.score).toBe(1);
    // without the plan, the same copy misses scale × rows by 10×
    expect(scoreFidelity(shop(), target, { scale: 0.1 }).tables['public.customers']!.metrics.find((m) => m.metric === 'rows')!.score).toBe(0);
  });

  it('scores a uniform copy clearly lower than an identical one', () => {
    const uniform = shop();
    const customers = uniform.tables['public.customers']!;
    customers.columns['tier'] = col({ distinctCount: 1000, distinctRatio: 1 });
    customers.columns['referrer'] = col({ nullFraction: 0, distinctCount: 1000, distinctRatio: 1, lengths: [{ length: '16-31', rows: 1000 }] });
    customers.columns['created_at'] = col({ distinctRatio: 1, distinctCount: 1000, histogram: { bounds: ['2020-01-01', '2022-01-01', '2024-01-01', '2026-01-01'] } });
    uniform.tables['public.orders']!.columns['amount'] = col({ distinctCount: 5000, distinctRatio: 1, histogram: { bounds: [0, 250, 500, 750, 1000] } });
    uniform.tables['public.orders']!.foreignKeys['orders_customer_fk']!.fanout = [{ children: '4-7', parents: 1000 }];
    const report = scoreFidelity(shop(), uniform);
    expect(report.overall!).toBeLessThan(0.8);
    // tier: 90/7/3 % against no frequent value at all (every value "other"): TVD 1.
    expect(worstColumns(report)[0]![1]).toBe('tier');
    expect(report.tables['public.customers']!.columns['tier']!.metrics.find((m) => m.metric === 'tvd')!.score).toBe(0);
    // referrer: no values kept on either side: not measured, no score, counted in the coverage.
    expect(report.tables['public.customers']!.columns['referrer']!.score).toBeNull();
    expect(report.tables['public.customers']!.columns['referrer']!.notMeasured).toContain('source profile has no frequent values or histogram');
  });

  it('counts value coverage, and never gives a column without a value metric a score', () => {
    // customers: id (key), tier (tvd), referrer (no values kept: not measured), created_at (ks);
    // orders: id, customer_id (keys), amount (ks). Non-key: tier, referrer, created_at, amount → 3 of 4 measured.
    const report = scoreFidelity(shop(), shop());
    expect(report.coverage).toEqual({ columns: 4, measured: 3, keys: 3, ratio: 0.75 });
    expect(report.tables['public.customers']!.coverage).toEqual({ columns: 3, measured: 2, keys: 1, ratio: 0.6667 });
    expect(coverageText(report.coverage)).toBe('value coverage 75% of columns (3 of 4 non-key columns measured by ks/tvd)');
    const referrer = report.tables['public.customers']!.columns['referrer']!;
    expect(referrer.score).toBeNull();
    expect(referrer.shapeScore).toBe(1);
    expect(unmeasuredColumns(report).map(([t, c]) => `${t}.${c}`)).toEqual(['public.customers.referrer']);
    // A personal column says so.
    const personal = scoreColumn(col({ personal: true, reason: 'personal name token "email"' }), col({ personal: true }));
    expect(personal.notMeasured).toContain('personal column');
    expect(personal.score).toBeNull();
    // Every column with a score has a value metric or is a key.
    for (const t of Object.values(report.tables)) {
      for (const c of Object.values(t.columns)) if (c.score !== null) expect(c.key === true || c.metrics.some((m) => m.metric === 'ks' || m.metric === 'tvd')).toBe(true);
    }
    // An empty source table counts nowhere in the coverage.
    const empty = shop();
    empty.tables['public.customers']!.rowEstimate = 0;
    expect(scoreFidelity(empty, shop()).coverage).toEqual({ columns: 1, measured: 1, keys: 2, ratio: 1 });
    const html = fidelityHtml(report);
    expect(html).toContain('value coverage 75% of columns');
    expect(html).toContain('Values not measured (1 columns)');
    expect(html).not.toMatch(/<span class="badge [a-z]+">1\.000<\/span> public\.customers\.<b>referrer/);
  });

  it('pairs tables by name across databases, and lists what only one side has', () => {
    const source = profile({ 'src_db.orders': table({ a: col(), b: col() }), 'src_db.gone': table({}) });
    const target = profile({ 'copy_db.orders': table({ a: col(), c: col() }) });
    const report = scoreFidelity(source, target);
    expect(Object.keys(report.tables)).toEqual(['src_db.orders']);
    expect(report.tables['src_db.orders']!.onlyInSource).toEqual(['b']);
    expect(report.tables['src_db.orders']!.onlyInTarget).toEqual(['c']);
    expect(report.onlyInSource).toEqual(['src_db.gone']);
  });

  it('refuses a bad scale and profiles with no table in common', () => {
    expect(() => scoreFidelity(shop(), shop(), { scale: 0 })).toThrow(UsageError);
    expect(() => scoreFidelity(shop(), profile({ 'public.other': table({}) }))).toThrow(/share no table/);
  });
});

describe('fidelityHtml', () => {
  it('escapes every value from the profiles and draws one source and one target chart per chart', () => {
    const source = shop();
    source.tables['public.customers']!.columns['tier']!.mostCommon = { values: ['<script>alert(1)</script>', 'gold & "silver"'], frequencies: [0.5, 0.5] };
    const html = fidelityHtml(scoreFidelity(source, shop()));
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('gold &amp; &quot;silver&quot;');
    expect(html).not.toMatch(/<link|src=|@import|url\(/);
    const charts = (html.match(/<figure class="chart"/g) ?? []).length;
    expect(charts).toBeGreaterThan(3);
    // Numbers and dates add one plot of both CDFs with the KS gap.
    const numeric = (html.match(/<figure class="chart" data-kind="numeric"/g) ?? []).length;
    expect(numeric).toBe(2); // orders.amount, customers.created_at
    expect((html.match(/<svg /g) ?? []).length).toBe(charts * 2 + numeric);
    expect(html).not.toContain('class="gap"'); // identical numeric columns: no gap to mark
  });
});
