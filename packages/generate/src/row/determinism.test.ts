import type { Schema, Table } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { PlanModel, type Plan } from '../plan/plan-model.js';
import { planChunks, rampedChunks, shardRange } from '../sink/chunks.js';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { storeSchema, STORE_ROWS } from '../test-support/sample-schemas.js';
import type { GeneratedValue } from '../values.js';
import { CompiledPlan } from './compiled-plan.js';
import { generateRows } from './row-generator.js';

const schema = storeSchema();
const plan = buildPlan(schema, { seed: 'det', tableRows: STORE_ROWS });

/** A fresh compile of a JSON copy of the plan: what a new worker process sees. */
function asWorker(p: Plan): CompiledPlan {
  return new CompiledPlan(PlanModel.parse(JSON.parse(JSON.stringify(p))));
}

function columnsByName(p: Plan, table: string, rows: readonly GeneratedValue[][]): Map<string, GeneratedValue[]> {
  const names = p.tables[table]!.columns.filter((c) => c.load).map((c) => c.name);
  return new Map(names.map((n, i) => [n, rows.map((r) => r[i]!)]));
}

function withTable(s: Schema, key: string, change: (t: Table) => Table): Schema {
  return { ...s, tables: { ...s.tables, [key]: change(s.tables[key]!) } };
}

describe('rows are a pure function of (plan, table, rowIndex)', () => {
  const tables = ['public.customer', 'public.orders', 'public.order_line', 'public.stock', 'public.product'];

  const upTo = (table: string): number => Math.min(1000, plan.tables[table]!.rows);

  it.each(tables)('%s: [0,1000) equals [0,300) + [300,1000)', (table) => {
    const n = upTo(table);
    const whole = generateRows(plan, table, 0, n);
    expect([...generateRows(plan, table, 0, 120), ...generateRows(plan, table, 120, n)]).toEqual(whole);
  });

  it.each(tables)('%s: 7 uneven chunks in reverse order, each in a fresh worker, equal one run', (table) => {
    const n = upTo(table);
    const whole = generateRows(plan, table, 0, n);
    const bounds = [0, 1, 2, 97, 150, 151, 277, n];
    const parts: GeneratedValue[][][] = [];
    for (let k = bounds.length - 2; k >= 0; k--) parts[k] = generateRows(asWorker(plan), table, bounds[k]!, bounds[k + 1]!);
    expect(parts.flat()).toEqual(whole);
  });

  it('shards cover every row once and equal one run', () => {
    const whole = generateRows(plan, 'public.customer', 0, STORE_ROWS.customer);
    const shards = [0, 1, 2].map((i) => shardRange(STORE_ROWS.customer, i, 3)).map((r) => generateRows(asWorker(plan), 'public.customer', r.start, r.end));
    expect(shards.flat()).toEqual(whole);
    expect(planChunks(10, 4)).toEqual([
      { start: 0, end: 4 },
      { start: 4, end: 8 },
      { start: 8, end: 10 },
    ]);
  });

  it('ramped chunks (small first ones) cover every row once, in order, from any start', () => {
    const cases: Array<[number, number, number]> = [
      [10_000, 4000, 0],
      [10, 4, 0],
      [3, 100, 0],
      [0, 10, 0],
      [1000, 30, 700],
      [50_000, 10_000, 12_345],
    ];
    for (const [rows, size, start] of cases) {
      const chunks = rampedChunks(rows, size, start);
      let at: number = start;
      for (const c of chunks) {
        expect(c.start).toBe(at);
        expect(c.end).toBeGreaterThan(c.start);
        expect(c.end - c.start).toBeLessThanOrEqual(size);
        at = c.end;
      }
      expect(at).toBe(Math.max(start, rows));
    }
    expect(rampedChunks(10_000, 4000).map((c) => c.end - c.start)).toEqual([400, 1200, 4000, 4000, 400]);
  });

  it('same seed → identical; different seed → different', () => {
    const again = buildPlan(storeSchema(), { seed: 'det', tableRows: STORE_ROWS });
    expect(generateRows(again, 'public.customer', 0, 500)).toEqual(generateRows(plan, 'public.customer', 0, 500));
    const other = buildPlan(storeSchema(), { seed: 'other', tableRows: STORE_ROWS });
    const a = columnsByName(plan, 'public.customer', generateRows(plan, 'public.customer', 0, 500));
    const b = columnsByName(other, 'public.customer', generateRows(other, 'public.customer', 0, 500));
    for (const name of ['first_name', 'email', 'created_at', 'rating', 'code', 'score']) expect(b.get(name), name).not.toEqual(a.get(name));
    // Keys that are sequences do not depend on the seed.
    expect(b.get('customer_id')).toEqual(a.get('customer_id'));
  });

  it('adding a column changes no other column of the table', () => {
    const wider = withTable(schema, 'public.customer', (t) => ({
      ...t,
      columns: [col('nickname', 'varchar', { length: 30, nullable: true }), ...t.columns.slice(0, 5), col('middle_name', 'varchar', { length: 20 }), ...t.columns.slice(5)],
    }));
    const widerPlan = buildPlan(wider, { seed: 'det', tableRows: STORE_ROWS });
    const before = columnsByName(plan, 'public.customer', generateRows(plan, 'public.customer', 0, 800));
    const after = columnsByName(widerPlan, 'public.customer', generateRows(widerPlan, 'public.customer', 0, 800));
    for (const [name, values] of before) expect(after.get(name), name).toEqual(values);
    // And every other table is untouched.
    for (const t of ['public.orders', 'public.product', 'public.stock']) expect(generateRows(widerPlan, t, 0, 300)).toEqual(generateRows(plan, t, 0, 300));
  });

  it("changing another table's row count changes no column of unrelated tables, and no non-FK column of its children", () => {
    const more = buildPlan(schema, { seed: 'det', tableRows: { ...STORE_ROWS, tag: 80, product_tag: 2000, customer: 1700 } });
    for (const t of ['public.product', 'public.warehouse', 'public.country', 'public.city']) {
      expect(generateRows(more, t, 0, plan.tables[t]!.rows)).toEqual(generateRows(plan, t, 0, plan.tables[t]!.rows));
    }
    // customer grew: its first 1500 rows are the same rows.
    expect(generateRows(more, 'public.customer', 0, 1500)).toEqual(generateRows(plan, 'public.customer', 0, 1500));
    // orders reference customer: the FK column may move, every other column stays.
    const before = columnsByName(plan, 'public.orders', generateRows(plan, 'public.orders', 0, 1000));
    const after = columnsByName(more, 'public.orders', generateRows(more, 'public.orders', 0, 1000));
    for (const [name, values] of before) if (name !== 'customer_id') expect(after.get(name), name).toEqual(values);
  });

  it('adding a table changes nothing else', () => {
    const bigger = schemaOf([...Object.values(schema.tables), { ...schema.tables['public.tag']!, name: 'zz_extra' }]);
    const biggerPlan = buildPlan(bigger, { seed: 'det', tableRows: STORE_ROWS });
    for (const t of tables) expect(generateRows(biggerPlan, t, 0, upTo(t))).toEqual(generateRows(plan, t, 0, upTo(t)));
  });

  it('changing one NULL rate changes no non-NULL value of that column', () => {
    const nullier = buildPlan(schema, { seed: 'det', tableRows: STORE_ROWS, config: { tables: { customer: { columns: { phone: { nullRate: 0.5 } } } } } });
    const a = columnsByName(plan, 'public.customer', generateRows(plan, 'public.customer', 0, 1000)).get('phone')!;
    const b = columnsByName(nullier, 'public.customer', generateRows(nullier, 'public.customer', 0, 1000)).get('phone')!;
    expect(b.filter((v) => v === null).length).toBeGreaterThan(a.filter((v) => v === null).length);
    for (let i = 0; i < a.length; i++) if (a[i] !== null && b[i] !== null) expect(b[i]).toBe(a[i]);
  });
});

describe('a MySQL schema gets the same data in any database', () => {
  // MySQL's "schema" is the database, named per environment: a table is addressed by its bare name.
  const shopIn = (db: string): Schema =>
    schemaOf(
      [
        tableOf(db, 'customer', [col('id', 'integer'), col('email', 'varchar', { rawType: 'varchar(120)', length: 120 }), col('name', 'varchar', { rawType: 'varchar(80)', length: 80 })], {
          primaryKey: ['id'],
          uniques: [{ name: 'uq_email', columns: ['email'], origin: 'constraint' }],
        }),
        tableOf(db, 'orders', [col('id', 'integer'), col('customer_id', 'integer'), col('total', 'decimal', { rawType: 'decimal(10,2)', precision: 10, scale: 2 })], {
          primaryKey: ['id'],
          foreignKeys: [fk('fk_orders_customer', ['customer_id'], `${db}.customer`, ['id'])],
        }),
      ],
      { dialect: 'mysql', namespaces: [db] },
    );

  it('shop_dev and shop_ci_17 give the same rows for the same seed', () => {
    const [dev, ci] = ['shop_dev', 'shop_ci_17'].map((db) => buildPlan(shopIn(db), { seed: 7, rows: 500 }));
    expect(dev!.tables['shop_dev.orders']!.address).toBe('orders');
    for (const table of ['customer', 'orders']) {
      const rows = generateRows(dev!, `shop_dev.${table}`, 0, 500);
      expect(generateRows(asWorker(ci!), `shop_ci_17.${table}`, 0, 500)).toEqual(rows);
    }
  });

  it('a saved plan without addresses (made before them) still makes the data it made then', () => {
    const plan = buildPlan(shopIn('shop'), { seed: 7, rows: 50 });
    const old: Plan = { ...plan, tables: Object.fromEntries(Object.entries(plan.tables).map(([k, t]) => [k, { ...t, address: undefined }])) };
    // Then, the address was the table's key (database included): the same as a plan whose address says so.
    const keyed: Plan = { ...plan, tables: Object.fromEntries(Object.entries(plan.tables).map(([k, t]) => [k, { ...t, address: k }])) };
    expect(generateRows(old, 'shop.customer', 0, 50)).toEqual(generateRows(keyed, 'shop.customer', 0, 50));
    expect(generateRows(old, 'shop.customer', 0, 50)).not.toEqual(generateRows(plan, 'shop.customer', 0, 50));
  });
});
