import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { checkPlanAgainstSchema, parseSavedPlan, planInDatabaseOf } from './saved-plan.js';
import { storeSchema } from '../test-support/sample-schemas.js';
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

describe('hand-edited plans that cannot load', () => {
  const plain = (p: Plan): unknown => JSON.parse(JSON.stringify(p));
  // Two cycles: staff ↔ store (nullable: set after the load) and a ↔ b (DEFERRABLE: checked at commit).
  const cyclic = schemaOf([
    tableOf('public', 'store', [col('id', 'integer'), col('manager_id', 'integer', { nullable: true })], {
      primaryKey: ['id'],
      foreignKeys: [fk('store_manager_fk', ['manager_id'], 'public.staff', ['id'])],
    }),
    tableOf('public', 'staff', [col('id', 'integer'), col('store_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('staff_store_fk', ['store_id'], 'public.store', ['id'])] }),
    tableOf('public', 'a', [col('id', 'integer'), col('b_id', 'integer')], {
      primaryKey: ['id'],
      foreignKeys: [fk('a_b_fk', ['b_id'], 'public.b', ['id'], { deferrable: true, initiallyDeferred: true })],
    }),
    tableOf('public', 'b', [col('id', 'integer'), col('a_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('b_a_fk', ['a_id'], 'public.a', ['id'])] }),
    tableOf('public', 'film_actor', [col('store_id', 'integer'), col('staff_id', 'integer')], {
      primaryKey: ['store_id', 'staff_id'],
      foreignKeys: [fk('fa_store_fk', ['store_id'], 'public.store', ['id']), fk('fa_staff_fk', ['staff_id'], 'public.staff', ['id'])],
    }),
  ]);

  it('accepts every plan the planner makes, cycles and composite keys included', () => {
    for (const schema of [cyclic, shopIn('shop'), storeSchema()]) {
      const plan = buildPlan(schema, { seed: 1, rows: 20 });
      expect(() => parseSavedPlan(plain(plan), 'plan.json')).not.toThrow();
      expect(() => checkPlanAgainstSchema(parseSavedPlan(plain(plan), 'plan.json'), schema, 'plan.json')).not.toThrow();
    }
  });

  it('refuses a loadOrder that puts a child before its parent, naming both places and the key', () => {
    const plan = plain(buildPlan(shopIn('shop'), { seed: 1, rows: 20 })) as Plan;
    plan.loadOrder.reverse();
    expect(() => parseSavedPlan(plan, 'plan.json')).toThrow(
      '--plan plan.json: loadOrder puts shop.orders (loadOrder[0]) before its parent shop.customer (loadOrder[1], foreign key fk_orders_customer): its rows would point at rows not loaded yet',
    );
    // A parent of a composite key's component counts too.
    const tuple = plain(buildPlan(cyclic, { seed: 1, rows: 20 })) as Plan;
    tuple.loadOrder = ['public.film_actor', ...tuple.loadOrder.filter((t) => t !== 'public.film_actor')];
    expect(() => parseSavedPlan(tuple, 'plan.json')).toThrow(/loadOrder puts public\.film_actor \(loadOrder\[0\]\) before its parent public\.(store|staff)/);
  });

  it('refuses NULLs planned for a NOT NULL column: a nullRate, a pick nullRate, no generator', () => {
    const schema = storeSchema();
    const fresh = (): Plan => parseSavedPlan(plain(buildPlan(schema, { seed: 1, rows: 20 })), 'plan.json');
    const columnOf = (plan: Plan, table: string, name: string) => plan.tables[table]!.columns.find((c) => c.name === name)!;
    const index = (plan: Plan, table: string, name: string) => plan.tables[table]!.columns.findIndex((c) => c.name === name);

    const rate = fresh();
    columnOf(rate, 'public.customer', 'first_name').nullRate = 0.2;
    expect(() => checkPlanAgainstSchema(rate, schema, 'plan.json')).toThrow(
      `--plan plan.json: tables["public.customer"].columns[${index(rate, 'public.customer', 'first_name')}] (first_name) has nullRate 0.2, but public.customer.first_name is NOT NULL: its rows would be refused`,
    );
    const pick = fresh();
    const reference = columnOf(pick, 'public.city', 'country_id');
    const pickId = String(reference.generator!.params['pick']);
    (pick.tables['public.city']!.picks[pickId] as { nullRate: number }).nullRate = 0.5;
    expect(() => checkPlanAgainstSchema(pick, schema, 'plan.json')).toThrow(`(country_id) picks its parent through picks["${pickId}"] with nullRate 0.5, but public.city.country_id is NOT NULL`);
    const none = fresh();
    columnOf(none, 'public.customer', 'status').generator = null;
    expect(() => checkPlanAgainstSchema(none, schema, 'plan.json')).toThrow('(status) has no generator (every value NULL), but public.customer.status is NOT NULL');
    // A nullable column may be NULL.
    const fine = fresh();
    columnOf(fine, 'public.customer', 'email').nullRate = 0.9;
    expect(() => checkPlanAgainstSchema(fine, schema, 'plan.json')).not.toThrow();
  });
});
