import { describe, expect, it } from 'vitest';
import { buildFkGraph, prioritizedLoadOrder } from './fk-graph.js';
import { col, fk, schemaOf, tableOf } from '@understudy/test-helpers';

const id = col('id', 'integer');

describe('buildFkGraph', () => {
  it('orders parents before children, ties by name', () => {
    const graph = buildFkGraph(
      schemaOf({
        'public.orders': tableOf('public', 'orders', [id, col('customer_id', 'integer')], {
          foreignKeys: [fk('orders_customer', ['customer_id'], 'public.customer', ['id'])],
        }),
        'public.customer': tableOf('public', 'customer', [id, col('country_id', 'integer')], {
          foreignKeys: [fk('customer_country', ['country_id'], 'public.country', ['id'])],
        }),
        'public.country': tableOf('public', 'country', [id]),
        'public.audit': tableOf('public', 'audit', [id]),
      }),
    );
    expect(graph.loadOrder).toEqual(['public.audit', 'public.country', 'public.customer', 'public.orders']);
    expect(graph.cycles).toEqual([]);
  });

  it('breaks a two-table cycle at the nullable edge', () => {
    const graph = buildFkGraph(
      schemaOf({
        'public.dept': tableOf('public', 'dept', [id, col('head_id', 'integer', { nullable: true })], {
          foreignKeys: [fk('dept_head', ['head_id'], 'public.emp', ['id'])],
        }),
        'public.emp': tableOf('public', 'emp', [id, col('dept_id', 'integer')], {
          foreignKeys: [fk('emp_dept', ['dept_id'], 'public.dept', ['id'])],
        }),
      }),
    );
    expect(graph.cycles).toHaveLength(1);
    expect(graph.cycles[0]!.tables).toEqual(['public.dept', 'public.emp']);
    expect(graph.cycles[0]!.broken.map((b) => [b.foreignKey, b.how])).toEqual([['dept_head', 'nullable']]);
    // With dept.head_id filled later, dept loads first.
    expect(graph.loadOrder).toEqual(['public.dept', 'public.emp']);
  });

  it('breaks a NOT NULL cycle at a deferrable edge', () => {
    const graph = buildFkGraph(
      schemaOf({
        'public.a': tableOf('public', 'a', [id, col('b_id', 'integer')], {
          foreignKeys: [fk('a_b', ['b_id'], 'public.b', ['id'], { deferrable: true, initiallyDeferred: true })],
        }),
        'public.b': tableOf('public', 'b', [id, col('a_id', 'integer')], {
          foreignKeys: [fk('b_a', ['a_id'], 'public.a', ['id'])],
        }),
      }),
    );
    expect(graph.cycles[0]!.broken.map((b) => [b.foreignKey, b.how])).toEqual([['a_b', 'deferrable']]);
    expect(graph.cycles[0]!.unbreakable).toBeUndefined();
    expect(graph.loadOrder).toEqual(['public.a', 'public.b']);
  });

  it('names the edges of a cycle that cannot be broken', () => {
    const graph = buildFkGraph(
      schemaOf({
        'public.a': tableOf('public', 'a', [id, col('b_id', 'integer')], { foreignKeys: [fk('a_b', ['b_id'], 'public.b', ['id'])] }),
        'public.b': tableOf('public', 'b', [id, col('a_id', 'integer')], { foreignKeys: [fk('b_a', ['a_id'], 'public.a', ['id'])] }),
      }),
    );
    expect(graph.cycles[0]!.unbreakable?.map((e) => e.foreignKey).sort()).toEqual(['a_b', 'b_a']);
    expect(graph.loadOrder).toHaveLength(2);
  });

  it('breaks a NOT NULL cycle by loading one table unchecked when the target can switch FK checks off', () => {
    const schema = schemaOf({
      'public.a': tableOf('public', 'a', [id, col('b_id', 'integer')], { foreignKeys: [fk('a_b', ['b_id'], 'public.b', ['id'])] }),
      'public.b': tableOf('public', 'b', [id, col('a_id', 'integer')], { foreignKeys: [fk('b_a', ['a_id'], 'public.a', ['id'])] }),
    });
    const graph = buildFkGraph(schema, { uncheckedLoad: true });
    expect(graph.cycles[0]!.unbreakable).toBeUndefined();
    const broken = graph.cycles[0]!.broken;
    expect(broken).toHaveLength(1);
    expect(broken[0]!.how).toBe('unchecked');
    // The child of the broken edge loads first (its parent comes after it).
    expect(graph.loadOrder.indexOf(broken[0]!.from)).toBeLessThan(graph.loadOrder.indexOf(broken[0]!.to));
    // A nullable edge is still preferred when there is one.
    const withNullable = schemaOf({
      ...schema.tables,
      'public.b': tableOf('public', 'b', [id, col('a_id', 'integer', { nullable: true })], { foreignKeys: [fk('b_a', ['a_id'], 'public.a', ['id'])] }),
    });
    expect(buildFkGraph(withNullable, { uncheckedLoad: true }).cycles[0]!.broken.map((b) => [b.foreignKey, b.how])).toEqual([['b_a', 'nullable']]);
  });

  it('breaks every cycle of a three-table component and keeps self-references apart', () => {
    const graph = buildFkGraph(
      schemaOf({
        'public.a': tableOf('public', 'a', [id, col('b_id', 'integer'), col('parent_id', 'integer', { nullable: true })], {
          foreignKeys: [fk('a_b', ['b_id'], 'public.b', ['id']), fk('a_parent', ['parent_id'], 'public.a', ['id'])],
        }),
        'public.b': tableOf('public', 'b', [id, col('c_id', 'integer')], { foreignKeys: [fk('b_c', ['c_id'], 'public.c', ['id'])] }),
        'public.c': tableOf('public', 'c', [id, col('a_id', 'integer', { nullable: true })], {
          foreignKeys: [fk('c_a', ['a_id'], 'public.a', ['id'])],
        }),
      }),
    );
    expect(graph.cycles[0]!.tables).toEqual(['public.a', 'public.b', 'public.c']);
    expect(graph.cycles[0]!.broken.map((b) => b.foreignKey)).toEqual(['c_a']);
    expect(graph.loadOrder).toEqual(['public.c', 'public.b', 'public.a']);
    expect(graph.selfReferences.map((e) => e.foreignKey)).toEqual(['a_parent']);
  });

  it('lists FKs to tables outside the schema and orders partitions through their parent', () => {
    const graph = buildFkGraph(
      schemaOf({
        'public.profile': tableOf('public', 'profile', [id, col('user_id', 'uuid')], {
          foreignKeys: [fk('profile_user', ['user_id'], 'auth.users', ['id'])],
        }),
        'public.payment': tableOf('public', 'payment', [id], { kind: 'partitioned' }),
        'public.payment_2024': tableOf('public', 'payment_2024', [id], { kind: 'partition', partitionOf: 'public.payment' }),
        'public.refund': tableOf('public', 'refund', [id, col('payment_id', 'integer')], {
          foreignKeys: [fk('refund_payment', ['payment_id'], 'public.payment_2024', ['id'])],
        }),
      }),
    );
    expect(graph.external.map((e) => e.to)).toEqual(['auth.users']);
    expect(graph.loadOrder).toEqual(['public.payment', 'public.profile', 'public.refund']);
  });

  it('counts FKs declared on a partition as edges of its parent (pagila declares them per partition)', () => {
    const graph = buildFkGraph(
      schemaOf({
        'public.payment': tableOf('public', 'payment', [id, col('customer_id', 'integer')], { kind: 'partitioned' }),
        'public.payment_p1': tableOf('public', 'payment_p1', [id, col('customer_id', 'integer')], {
          kind: 'partition',
          partitionOf: 'public.payment',
          foreignKeys: [fk('payment_p1_customer', ['customer_id'], 'public.customer', ['id'])],
        }),
        'public.customer': tableOf('public', 'customer', [id]),
      }),
    );
    expect(graph.loadOrder).toEqual(['public.customer', 'public.payment']);
    expect(graph.edges.map((e) => [e.from, e.to, e.foreignKey])).toEqual([['public.payment', 'public.customer', 'payment_p1_customer']]);
  });

  it('handles a chain of 5,000 tables without overflowing the stack', () => {
    const tables = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => {
        const key = `public.t${i}`;
        const fks = i === 0 ? [] : [fk(`t${i}_prev`, ['prev_id'], `public.t${i - 1}`, ['id'])];
        return [key, tableOf('public', `t${i}`, [id, col('prev_id', 'integer')], { foreignKeys: fks })];
      }),
    );
    const graph = buildFkGraph(schemaOf(tables));
    expect(graph.loadOrder[0]).toBe('public.t0');
    expect(graph.loadOrder[4999]).toBe('public.t4999');
  });
});

describe('prioritizedLoadOrder', () => {
  // country ← city ← address; language ← film ← film_actor → actor; category
  const schema = schemaOf({
    'public.country': tableOf('public', 'country', [id]),
    'public.city': tableOf('public', 'city', [id, col('country_id', 'integer')], { foreignKeys: [fk('city_country', ['country_id'], 'public.country', ['id'])] }),
    'public.address': tableOf('public', 'address', [id, col('city_id', 'integer')], { foreignKeys: [fk('address_city', ['city_id'], 'public.city', ['id'])] }),
    'public.language': tableOf('public', 'language', [id]),
    'public.film': tableOf('public', 'film', [id, col('language_id', 'integer')], { foreignKeys: [fk('film_language', ['language_id'], 'public.language', ['id'])] }),
    'public.actor': tableOf('public', 'actor', [id]),
    'public.film_actor': tableOf('public', 'film_actor', [col('film_id', 'integer'), col('actor_id', 'integer')], {
      foreignKeys: [fk('fa_film', ['film_id'], 'public.film', ['id']), fk('fa_actor', ['actor_id'], 'public.actor', ['id'])],
    }),
    'public.category': tableOf('public', 'category', [id]),
  });
  const graph = buildFkGraph(schema);
  const parentsFirst = (order: readonly string[]): void => {
    for (const t of order) for (const parent of graph.loadAfter[t] ?? []) expect(order.indexOf(parent), `${parent} before ${t}`).toBeLessThan(order.indexOf(t));
  };

  it('puts the heaviest table as early as its parents allow, and its light parent before unrelated tables', () => {
    const order = prioritizedLoadOrder(graph, (t) => (t === 'public.film' ? 100 : 1));
    expect(order.slice(0, 2)).toEqual(['public.language', 'public.film']);
    expect(order).toHaveLength(graph.loadOrder.length);
    parentsFirst(order);
  });

  it('keeps the name order when every table weighs the same, and keeps parents first for any weights', () => {
    expect(prioritizedLoadOrder(graph, () => 1)).toEqual(graph.loadOrder);
    for (let seed = 1; seed < 50; seed++) parentsFirst(prioritizedLoadOrder(graph, (t) => ((t.length * seed * 7919) % 97) + 1));
  });
});
