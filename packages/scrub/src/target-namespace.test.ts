import { col, fk, schemaOf, tableOf } from '@understudy/test-helpers';
import { describe, expect, it } from 'vitest';
import { targetKeyedAsSource, targetKeyOf } from './target-namespace.js';

/** The same two tables in database `db` of a MySQL server. */
const shopIn = (db: string) =>
  schemaOf(
    {
      [`${db}.customers`]: tableOf(db, 'customers', [col('id', 'integer')], { primaryKey: ['id'] }),
      [`${db}.orders`]: tableOf(db, 'orders', [col('id', 'integer'), col('customer_id', 'integer')], { primaryKey: ['id'], foreignKeys: [fk('o_c', ['customer_id'], `${db}.customers`, ['id'])] }),
    },
    { dialect: 'mysql', namespaces: [db] },
  );

describe('targetKeyedAsSource', () => {
  it("keys a MySQL target's tables as the source's, each still addressed in its own database", () => {
    const keyed = targetKeyedAsSource(shopIn('shop'), shopIn('shop_staging'));
    expect(Object.keys(keyed.tables).sort()).toEqual(['shop.customers', 'shop.orders']);
    expect(keyed.tables['shop.orders']!.schema).toBe('shop_staging');
    expect(keyed.tables['shop.orders']!.foreignKeys[0]!.references.table).toBe('shop.customers');
    expect(targetKeyOf(shopIn('shop'), shopIn('shop_staging'))('shop.orders')).toBe('shop_staging.orders');
  });

  it('leaves a target alone where namespaces live inside a database, or the database is the same', () => {
    const pg = schemaOf({ 'public.t': tableOf('public', 't', [col('id', 'integer')]) });
    expect(targetKeyedAsSource(pg, pg)).toBe(pg);
    const same = shopIn('shop');
    expect(targetKeyedAsSource(shopIn('shop'), same)).toBe(same);
    expect(targetKeyOf(shopIn('shop'), same)('shop.orders')).toBe('shop.orders');
  });
});
