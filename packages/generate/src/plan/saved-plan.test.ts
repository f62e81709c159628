import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { checkPlanAgainstSchema, planInDatabaseOf } from './saved-plan.js';
import type { Plan } from './plan-model.js';

const shopIn = (db: string) =>
  schemaOf(
    [
      tableOf(db, 'customer', [col('id', 'integer'), col('name', 'varchar', { rawType: 'varchar(80)', length: 80 })], { primaryKey: ['id'] }),
      tableOf(db, 'orders', [col('id', 'integer'), col('customer_id', 'integer')], {
        primaryKey: ['id'],
        foreignKeys: [fk('fk_orders_customer', ['customer_id'], `${db}.customer`, ['id'])],
      }),
    ],
    { dialect: 'mysql', namespaces: [db] },
  );

describe('planInDatabaseOf', () => {
  it('moves a MySQL plan made in another database to this one, with the same rows', () => {
    const saved = buildPlan(shopIn('shop_dev'), { seed: 3, rows: 200 });
    const target = shopIn('shop_ci');
    const { plan, from } = planInDatabaseOf(saved, target);
    expect(from).toBe('shop_dev');
    expect(plan.loadOrder).toEqual(['shop_ci.customer', 'shop_ci.orders']);
    const reference = plan.tables['shop_ci.orders']!.columns.find((c) => c.name === 'customer_id')!.generator!.params;
    expect(reference['table']).toBe('shop_ci.customer');
    expect(Object.values(plan.tables['shop_ci.orders']!.picks).map((p) => ('table' in p ? p.table : undefined))).toEqual(['shop_ci.customer']);
    expect(() => checkPlanAgainstSchema(plan, target, 'plan.json')).not.toThrow();
    for (const table of ['customer', 'orders']) expect(generateRows(plan, `shop_ci.${table}`, 0, 200)).toEqual(generateRows(saved, `shop_dev.${table}`, 0, 200));
  });

  it('keeps the rows of a plan made before tables had addresses', () => {
    const made = buildPlan(shopIn('shop_dev'), { seed: 3, rows: 50 });
    const old: Plan = { ...made, tables: Object.fromEntries(Object.entries(made.tables).map(([k, t]) => [k, { ...t, address: undefined }])) };
    const { plan } = planInDatabaseOf(old, shopIn('shop_ci'));
    expect(generateRows(plan, 'shop_ci.customer', 0, 50)).toEqual(generateRows(old, 'shop_dev.customer', 0, 50));
  });

  it('leaves alone a plan of the same database, and any PostgreSQL plan', () => {
    const same = buildPlan(shopIn('shop'), { seed: 3, rows: 10 });
    expect(planInDatabaseOf(same, shopIn('shop'))).toEqual({ plan: same });
    const pg = schemaOf([tableOf('public', 't', [col('id', 'integer')], { primaryKey: ['id'] })]);
    const pgPlan = buildPlan(pg, { seed: 3, rows: 10 });
    expect(planInDatabaseOf(pgPlan, schemaOf([tableOf('other', 't', [col('id', 'integer')], { primaryKey: ['id'] })], { namespaces: ['other'] })).plan).toBe(pgPlan);
  });
});
