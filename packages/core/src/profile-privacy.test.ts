import { beforeAll, describe, expect, it } from 'vitest';
import { bucketCounts, bucketLabel, ProfileModel, profileToJson, thinFanout, type Profile } from './profile-model.js';
import { formatProfileExplain } from './profile-explain.js';
import { nameTokens } from './pii/column-name-detector.js';
import { loadPiiDictionaries, type PiiDictionaries } from './pii/dictionaries.js';
import { applyPrivacyPolicy as applyWith, classifyColumn, kAnonymousHistogram, type PrivacyInput } from './profile-privacy.js';
import { screenProfileValues } from './profile-value-screen.js';
import type { Column } from './schema-model.js';

const col = (name: string, kind: Column['kind'] = 'varchar', length: number | null = 32): Pick<Column, 'name' | 'kind' | 'length' | 'arrayDimensions'> => ({
  name,
  kind,
  ...(length === null ? {} : { length }),
  arrayDimensions: 0,
});

let dictionaries: PiiDictionaries;
beforeAll(async () => {
  dictionaries = await loadPiiDictionaries();
});
const applyPrivacyPolicy = (input: Omit<PrivacyInput, 'dictionaries'>) => applyWith({ ...input, dictionaries });

const stats = {
  nullFraction: 0.3,
  distinctCount: 4,
  mostCommon: { values: ['active', 'pending', 'closed', 'rare'], frequencies: [0.5, 0.25, 0.2, 0.0001] },
  histogramBounds: [1, 5, 9],
  avgWidth: 7,
  correlation: 0.1,
};

describe('classifyColumn', () => {
  it('splits snake, camel and Pascal names', () => {
    expect(nameTokens('userEmailAddress2')).toEqual(['user', 'email', 'address']);
    expect(nameTokens('IPAddress')).toEqual(['ip', 'address']);
    expect(nameTokens('first_name')).toEqual(['first', 'name']);
  });

  it.each([
    'email',
    'contactEmail',
    'EmailAddress',
    'emailaddress',
    'phone_number',
    'mobile',
    'fax',
    'first_name',
    'LastName',
    'full_name',
    'middleName',
    'surname',
    'street',
    'address_line1',
    'city',
    'zip',
    'postal_code',
    'ssn',
    'passport_no',
    'driver_license',
    'iban',
    'card_number',
    'api_token',
    'client_secret',
    'password_hash',
    'salt',
    'last_ip',
    'ip_address',
    'user_agent',
    'date_of_birth',
    'dob',
    'birthdate',
    'lat',
    'lng',
    'notes',
    'comment',
    'description',
    'bio',
    'display_name',
    'resetToken',
    'userPasswordHash',
  ])('%s is personal by name', (name) => {
    expect(classifyColumn({ name: 'things' }, col(name)).personal).toBe(true);
  });

  it.each(['status', 'amount', 'created_at', 'country_code', 'ref_code', 'quantity', 'contact', 'kind', 'product_name'])('%s is not personal by name', (name) => {
    expect(classifyColumn({ name: 'orders' }, col(name)).personal).toBe(false);
  });

  it('treats "name" as personal only in people-like tables', () => {
    for (const table of ['users', 'customer', 'app_person', 'Employees', 'staff', 'members', 'contacts', 'patient', 'accounts', 'author']) {
      expect(classifyColumn({ name: table }, col('name')).personal, table).toBe(true);
    }
    expect(classifyColumn({ name: 'product' }, col('name')).personal).toBe(false);
    expect(classifyColumn({ name: 'category' }, col('name')).personal).toBe(false);
  });

  it('treats free text, json, binary, inet and uuid as personal by type', () => {
    expect(classifyColumn({ name: 't' }, col('x', 'text', null)).reason).toMatch(/free text/);
    expect(classifyColumn({ name: 't' }, col('x', 'varchar', 255)).personal).toBe(true);
    expect(classifyColumn({ name: 't' }, col('x', 'varchar', null)).personal).toBe(true);
    expect(classifyColumn({ name: 't' }, col('x', 'varchar', 64)).personal).toBe(false);
    for (const kind of ['json', 'jsonb', 'blob', 'inet', 'uuid'] as const) {
      expect(classifyColumn({ name: 't' }, col('x', kind, null)).personal, kind).toBe(true);
    }
    expect(classifyColumn({ name: 't' }, { ...col('x', 'integer'), arrayDimensions: 1 }).personal).toBe(true);
  });
});

describe('screenProfileValues', () => {
  it('flags e-mails, phones, IBANs, IPs and tokens, not dates, numbers or words', () => {
    const one = (value: string) => screenProfileValues(['active', value], 'varchar', dictionaries).kinds;
    expect(one('planted.alice.7781@example.net')).toEqual(['email']);
    expect(one('+1 (555) 013-3377')).toEqual(['phone']);
    expect(one('DE89370400440532013000')).toEqual(['iban']);
    expect(one('10.1.2.3')).toEqual(['ip-address']);
    expect(one('sk_live_4eC39HqLyjWDarjtT1zdp7dc')).toEqual(['secret']);
    for (const ok of ['pending', '2024-01-15', '2024-01-15T10:00:00Z', '2024-01-15 10:00:00+02', '1234567890.5', 'EUR']) {
      expect(one(ok), ok).toEqual([]);
    }
  });
});

describe('applyPrivacyPolicy', () => {
  it('keeps frequent values of a low-cardinality column above k, and says what it dropped', () => {
    const out = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('status'), rowEstimate: 20_000, stats, k: 10 });
    expect(out.mostCommon).toEqual({ values: ['active', 'pending', 'closed'], frequencies: [0.5, 0.25, 0.2] });
    const unordered = applyPrivacyPolicy({
      table: { name: 'orders' },
      column: col('status'),
      rowEstimate: 100,
      stats: { distinctCount: 2, mostCommon: { values: ['a', 'b'], frequencies: [0.2, 0.8] } },
    });
    expect(unordered.mostCommon).toEqual({ values: ['b', 'a'], frequencies: [0.8, 0.2] });
    expect(out.reason).toMatch(/1 value\(s\) below k=10 dropped/);
    expect(out.histogram).toBeUndefined(); // varchar: no bounds
    expect(out.dropped).toContain('histogram');
    expect(out.distinctRatio).toBeCloseTo(4 / 20_000);
    expect(out.distinctBasis).toBe('count');
  });

  it("scales the low-cardinality ratio with a copy's scale (fidelity's target), not the count", () => {
    // 148 distinct runway idents in 4,818 rows (3%): production's 288 in 47,905 (0.6%) at a tenth.
    const idents = { ...stats, distinctCount: 148 };
    const asProduction = applyPrivacyPolicy({ table: { name: 'runways' }, column: col('le_ident', 'text', null), rowEstimate: 4_818, stats: idents });
    expect(asProduction.mostCommon).toBeUndefined();
    const asCopy = applyPrivacyPolicy({ table: { name: 'runways' }, column: col('le_ident', 'text', null), rowEstimate: 4_818, stats: idents, copyScale: 0.1 });
    expect(asCopy.mostCommon?.values).toEqual(['active', 'pending', 'closed']);
    // Above the scaled ratio (148 of 1,000 rows at scale 0.1): still free text.
    expect(applyPrivacyPolicy({ table: { name: 'runways' }, column: col('le_ident', 'text', null), rowEstimate: 1_000, stats: idents, copyScale: 0.1 }).mostCommon).toBeUndefined();
  });

  it('treats a low-cardinality free-text column as categorical, but never one personal by name', () => {
    const status = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('status', 'text', null), rowEstimate: 20_000, stats });
    expect(status.personal).toBe(false);
    expect(status.mostCommon?.values).toEqual(['active', 'pending', 'closed']);
    expect(status.reason).toContain('treated as categorical');
    // The same statistics under a personal name stay shape-only, whatever the type.
    const email = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('email', 'text', null), rowEstimate: 20_000, stats });
    expect(email.personal).toBe(true);
    expect(email.mostCommon).toBeUndefined();
    // Free text with many distinct values keeps only its shape.
    const notes = applyPrivacyPolicy({
      table: { name: 'orders' },
      column: col('remarks', 'text', null),
      rowEstimate: 20_000,
      stats: { ...stats, distinctCount: 15_000 },
    });
    expect(notes.personal).toBe(true);
    expect(notes.mostCommon).toBeUndefined();
    // And a categorical value that looks like an e-mail is still dropped by the backstop.
    const odd = applyPrivacyPolicy({
      table: { name: 'orders' },
      column: col('channel', 'text', null),
      rowEstimate: 20_000,
      stats: { distinctCount: 2, mostCommon: { values: ['web', 'sales@example.com'], frequencies: [0.6, 0.4] } },
    });
    expect(odd.mostCommon).toBeUndefined();
  });

  it('keeps only the shape of a personal column', () => {
    const out = applyPrivacyPolicy({ table: { name: 'users' }, column: col('email'), rowEstimate: 20_000, stats });
    expect(out.personal).toBe(true);
    expect(out.mostCommon).toBeUndefined();
    expect(out.histogram).toBeUndefined();
    expect(out.nullFraction).toBe(0.3);
    expect(out.kept).toEqual(['nulls', 'distinct', 'width', 'correlation']);
    expect(out.dropped).toEqual(['mostCommon', 'histogram']);
  });

  it('drops frequent values of high-cardinality columns, and when a value looks personal', () => {
    const high = applyPrivacyPolicy({
      table: { name: 'orders' },
      column: col('ref_code'),
      rowEstimate: 20_000,
      stats: { distinctRatio: 0.9, mostCommon: { values: ['PLANTED-REF-1'], frequencies: [0.01] } },
    });
    expect(high.mostCommon).toBeUndefined();
    expect(high.distinctCount).toBe(18_000);
    const looks = applyPrivacyPolicy({
      table: { name: 'orders' },
      column: col('contact'),
      rowEstimate: 20_000,
      stats: { distinctCount: 3, mostCommon: { values: ['a@b.example.org'], frequencies: [0.5] } },
    });
    expect(looks.mostCommon).toBeUndefined();
    expect(looks.reason).toMatch(/personal by content: .*email/);
  });

  it('a copy profiled for fidelity keeps the frequent values of a column the source kept (unscreened), though they look personal', () => {
    const input = {
      table: { name: 'people' },
      column: col('death_country'),
      rowEstimate: 2_000,
      stats: { distinctCount: 4, mostCommon: { values: ['Maria', 'John', 'Anna', 'David'], frequencies: [0.4, 0.3, 0.2, 0.1] } },
    };
    const screened = applyPrivacyPolicy(input);
    expect(screened.mostCommon).toBeUndefined();
    expect(screened.reason).toMatch(/personal by content/);
    const copy = applyPrivacyPolicy({ ...input, unscreened: true });
    expect(copy.mostCommon?.values).toEqual(['Maria', 'John', 'Anna', 'David']);
    expect(copy.personal).toBe(false);
  });

  it('keeps frequent dates and numbers at any cardinality when each passes k (to_date 9999-01-01 in 73% of salaries)', () => {
    const toDate = applyPrivacyPolicy({
      table: { name: 'salaries' },
      column: col('to_date', 'date'),
      rowEstimate: 95_000,
      stats: { distinctCount: 5_000, mostCommon: { values: ['9999-01-01', '2001-07-01', '1999-02-02'], frequencies: [0.73, 0.0002, 0.00005] } },
    });
    // 0.00005 × 95 000 = 4.75 rows < k=10: dropped; the others pass.
    expect(toDate.mostCommon).toEqual({ values: ['9999-01-01', '2001-07-01'], frequencies: [0.73, 0.0002] });
    expect(toDate.reason).toMatch(/1 value\(s\) below k=10 dropped/);
  });

  it("coarsens a small table's histogram to buckets of at least k rows instead of dropping it", () => {
    // 40 rows in 8 equi-depth buckets of 5: merged in pairs → 4 buckets of 10.
    const small = applyPrivacyPolicy({
      table: { name: 'invoices' },
      column: col('total', 'decimal'),
      rowEstimate: 40,
      stats: { histogramBounds: [0.99, 1.98, 2.5, 3.96, 5.94, 8.91, 9.5, 13.86, 25.86] },
    });
    expect(small.histogram).toEqual({ bounds: [0.99, 2.5, 5.94, 9.5, 25.86] });
    expect(small.reason).toMatch(/histogram coarsened to 4 bucket\(s\) of ≥ k=10 rows/);
    // 25 rows in 4 buckets: groups of 2 buckets (12.5 rows); sizes as given shares.
    const odd = kAnonymousHistogram([1, 2, 3, 4, 5], [0.1, 0.1, 0.4, 0.4], 25, 10)!;
    // 0.1+0.1+0.4 = 0.6 → 15 rows ≥ 10 closes; 0.4 → 10 rows closes.
    expect(odd).toEqual({ bounds: [1, 4, 5], sizes: [0.6, 0.4], merged: true });
    // Fewer than k rows in all: nothing.
    expect(kAnonymousHistogram([1, 2, 3], undefined, 9, 10)).toBeUndefined();
    // Every bucket holds ≥ k rows of the kept histogram.
    for (const [rows, n] of [
      [37, 10],
      [101, 33],
      [12, 5],
    ] as const) {
      const bounds = Array.from({ length: n + 1 }, (_, i) => i);
      const h = kAnonymousHistogram(bounds, undefined, rows, 10)!;
      const shares = h.sizes ?? new Array(h.bounds.length - 1).fill(1 / (h.bounds.length - 1));
      for (const share of shares) expect(share * rows).toBeGreaterThanOrEqual(10 - 1e-6);
    }
  });

  it('keeps histogram bounds for numeric and date kinds only', () => {
    const amount = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('amount', 'decimal'), rowEstimate: 1000, stats: { histogramBounds: [1, 2.5, 1e6] } });
    expect(amount.histogram).toEqual({ bounds: [1, 2.5, 1e6] });
    const at = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('at', 'timestamptz'), rowEstimate: 1000, stats: { histogramBounds: ['2024-01-01T00:00:00+00:00', new Date(0)] } });
    expect(at.histogram?.bounds).toEqual(['2024-01-01T00:00:00+00:00', '1970-01-01T00:00:00.000Z']);
    const dob = applyPrivacyPolicy({ table: { name: 'users' }, column: col('birth_date', 'date'), rowEstimate: 100, stats: { histogramBounds: ['1970-01-01'] } });
    expect(dob.histogram).toBeUndefined();
  });

  it('drops histogram bounds when all its rows fill no bucket of k (a tiny table would list its values)', () => {
    const small = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('amount', 'integer'), rowEstimate: 8, stats: { histogramBounds: [1, 2, 3, 4, 5] } });
    expect(small.histogram).toBeUndefined();
    expect(small.reason).toMatch(/fill no bucket of k=10/);
    // 16 rows: one bucket of 16 ≥ k: only the range is kept.
    const range = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('amount', 'integer'), rowEstimate: 16, stats: { histogramBounds: [1, 2, 3, 4, 5] } });
    expect(range.histogram).toEqual({ bounds: [1, 5] });
    const none = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('amount', 'integer'), rowEstimate: null, stats: { histogramBounds: [1, 2] } });
    expect(none.histogram).toBeUndefined();
  });

  it('refuses frequent values when there is no row estimate', () => {
    const out = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('status'), rowEstimate: null, stats });
    expect(out.mostCommon).toBeUndefined();
  });
});

describe('buckets, JSON and explain', () => {
  it('buckets counts by powers of two', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 15, 16, 1000].map(bucketLabel)).toEqual(['0', '1', '2-3', '2-3', '4-7', '4-7', '8-15', '8-15', '16-31', '512-1023']);
    expect(
      bucketCounts([
        [10, 1],
        [0, 1],
        [1, 2],
        [3, 1],
      ]),
    ).toEqual([
      ['0', 1],
      ['1', 2],
      ['2-3', 1],
      ['8-15', 1],
    ]);
  });

  it('thins a fan-out: each parent keeps Binomial(c, share) of its c children, buckets spread evenly', () => {
    const close = (buckets: Array<{ children: string; parents: number }>): Array<[string, number]> => buckets.map((b) => [b.children, Number(b.parents.toFixed(6))]);
    expect(close(thinFanout([{ children: '1', parents: 10 }], 0.5))).toEqual([
      ['0', 5],
      ['1', 5],
    ]);
    // 2–3 children, 8 parents (4 with 2, 4 with 3) at 0.5: P(0) = (4·¼ + 4·⅛)/8 …
    expect(close(thinFanout([{ children: '2-3', parents: 8 }], 0.5))).toEqual([
      ['0', 1.5],
      ['1', 3.5],
      ['2-3', 3],
    ]);
    // Parents with no children stay so; keeping everything changes nothing; large counts do not underflow.
    expect(close(thinFanout([{ children: '0', parents: 3 }], 0.1))).toEqual([['0', 3]]);
    expect(close(thinFanout([{ children: '4-7', parents: 2 }], 1))).toEqual([['4-7', 2]]);
    const big = thinFanout([{ children: '65536-131071', parents: 1 }], 0.5);
    expect(big.reduce((n, b) => n + b.parents, 0)).toBeCloseTo(1, 9);
    expect(big.find((b) => b.children === '32768-65535')!.parents).toBeGreaterThan(0.99);
  });

  it('round-trips through JSON and explains each column', () => {
    const status = applyPrivacyPolicy({ table: { name: 'orders' }, column: col('status'), rowEstimate: 20_000, stats });
    const profile: Profile = {
      version: 1,
      dialect: 'postgres',
      takenAt: '2026-01-01T00:00:00.000Z',
      k: 10,
      scanned: true,
      ranAnalyze: false,
      notes: [],
      tables: {
        'public.orders': {
          rowEstimate: 20_000,
          analysed: true,
          columns: { status },
          foreignKeys: { orders_user_fk: { columns: ['user_id'], references: { table: 'public.users', columns: ['id'] }, fanout: [{ children: '0', parents: 3 }] } },
        },
      },
    };
    expect(ProfileModel.parse(JSON.parse(profileToJson(profile)))).toEqual(profile);
    const text = formatProfileExplain(profile);
    expect(text).toMatch(/public\.orders {2}≈20000 rows, analysed/);
    expect(text).toMatch(/status {2}kept nulls, distinct, mostCommon, width, correlation · dropped histogram — /);
    expect(text).toMatch(/fk orders_user_fk → public\.users: children per parent 0:3/);
  });
});
