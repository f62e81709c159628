import { builtInDictionaries, type ScrubPolicy } from '@understudy/core';
import { col, fk, schemaOf, tableOf } from '@understudy/test-helpers';
import { describe, expect, it } from 'vitest';
import { SchemaDriftError, planScrub } from './scrub-plan.js';
import { readScrubKey, ScrubKey } from './scrub-key.js';

const key = new ScrubKey(Buffer.from('a test key that is long enough'));
const other = new ScrubKey(Buffer.from('another key, also long enough'));
const dictionaries = builtInDictionaries();

const schema = schemaOf({
  'public.customers': tableOf(
    'public',
    'customers',
    [
      col('id', 'integer'),
      col('code', 'char', { length: 5 }),
      col('email', 'varchar', { length: 120, nullable: true }),
      col('birth', 'date', { nullable: true }),
      col('joined', 'date', { nullable: true }),
      col('tiny', 'varchar', { length: 5, nullable: true }),
    ],
    { primaryKey: ['id'], uniques: [{ name: 'customers_code_key', columns: ['code'], origin: 'constraint' }] },
  ),
  'public.orders': tableOf('public', 'orders', [col('id', 'integer'), col('customer_id', 'integer'), col('customer_code', 'char', { length: 5 }), col('note', 'text', { nullable: true })], {
    primaryKey: ['id'],
    foreignKeys: [fk('o_c', ['customer_id'], 'public.customers', ['id']), fk('o_cc', ['customer_code'], 'public.customers', ['code'])],
  }),
});

function policy(overrides: Record<string, Record<string, string>> = {}): ScrubPolicy {
  const rules = (cols: Record<string, string>) => ({ columns: Object.fromEntries(Object.entries(cols).map(([c, t]) => [c, { transform: t }])) }) as ScrubPolicy['tables'][string];
  return {
    version: 1,
    tables: {
      'public.customers': rules({ id: 'fake:email', code: 'hash', email: 'fake:email', birth: 'shift-date', joined: 'shift-date', tiny: 'keep', ...overrides['public.customers'] }),
      'public.orders': rules({ id: 'keep', customer_id: 'keep', customer_code: 'keep', note: 'text', ...overrides['public.orders'] }),
    },
  };
}

describe('planScrub', () => {
  it('transforms a key with a permutation and every FK to it with the same function', () => {
    const plan = planScrub(schema, policy(), { key, dictionaries });
    const customers = plan.tables.find((t) => t.table === 'public.customers')!;
    const orders = plan.tables.find((t) => t.table === 'public.orders')!;
    const c = customers.transformRow(['7', 'C0007', 'ann@corp.com', '1980-02-03', '2020-05-06', 'x']);
    const o = orders.transformRow(['1', '7', 'C0007', 'Call Ann Berg at ann@corp.com']);
    expect(o[1]).toBe(c[0]);
    expect(o[2]).toBe(c[1]);
    expect(c[0]).not.toBe('7');
    expect(c[1]).toMatch(/^[A-Z]\d{4}$/);
    expect(c[2]).toMatch(/@example\.(com|net|org)$/);
    expect(o[3]).not.toContain('ann@corp.com');
    expect(o[3]).not.toContain('Berg');
    expect(customers.applied['code']).toBe('permute (hash on a key)');
    expect(orders.applied['customer_code']).toBe('follows public.customers.code');
  });

  it("shifts one entity's dates by the same offset (order and spacing kept)", () => {
    const plan = planScrub(schema, policy(), { key, dictionaries });
    const customers = plan.tables.find((t) => t.table === 'public.customers')!;
    const [, , , birth, joined] = customers.transformRow(['7', 'C0007', null, '1980-02-03', '1980-02-13']);
    expect(birth).not.toBe('1980-02-03');
    expect((Date.parse(joined!) - Date.parse(birth!)) / 86_400_000).toBe(10);
  });

  it('is deterministic per key; another key gives other values', () => {
    const row = ['7', 'C0007', 'ann@corp.com', '1980-02-03', '2020-05-06', 'x'];
    const a = planScrub(schema, policy(), { key, dictionaries }).tables[0]!.transformRow(row);
    const b = planScrub(schema, policy(), { key: new ScrubKey(Buffer.from('a test key that is long enough')), dictionaries }).tables[0]!.transformRow(row);
    const c = planScrub(schema, policy(), { key: other, dictionaries }).tables[0]!.transformRow(row);
    expect(b).toEqual(a);
    expect(c[0]).not.toBe(a[0]);
    expect(c[1]).not.toBe(a[1]);
    expect(c[2]).not.toBe(a[2]);
  });

  it('refuses a source column the policy does not name (schema drift), naming it', () => {
    const p = policy();
    delete p.tables['public.orders']!.columns['note'];
    expect(() => planScrub(schema, p, { key, dictionaries, policyFile: 'p.json' })).toThrow(SchemaDriftError);
    expect(() => planScrub(schema, p, { key, dictionaries, policyFile: 'p.json' })).toThrow(/public\.orders\.note/);
  });

  it('refuses a policy column the source lacks, and fake:email into varchar(5)', () => {
    const p = policy();
    p.tables['public.orders']!.columns['gone'] = { transform: 'keep' };
    expect(() => planScrub(schema, p, { key, dictionaries })).toThrow(/public\.orders\.gone/);
    expect(() => planScrub(schema, policy({ 'public.customers': { tiny: 'fake:email' } }), { key, dictionaries })).toThrow(/public\.customers\.tiny: fake:email cannot fit varchar\(5\)/);
  });
});

describe('readScrubKey', () => {
  it('refuses to run without a key, or with a short one', () => {
    expect(() => readScrubKey({ env: {} })).toThrow(/needs a secret key: set UNDERSTUDY_SCRUB_KEY or give --key-file/);
    expect(() => readScrubKey({ env: { UNDERSTUDY_SCRUB_KEY: 'short' } })).toThrow(/at least 16/);
    expect(String(readScrubKey({ env: { UNDERSTUDY_SCRUB_KEY: 'x'.repeat(32) } }))).toBe('[scrub key]');
  });
});
