/**
 * A store schema exercising what generation must get right: serial, identity
 * and text/uuid keys, composite keys, FKs to PKs and to non-PK unique keys,
 * composite FKs, a self-reference, junction tables, CHECKs of many shapes, an
 * at-least-one-not-null group, arrays, JSON. Tests only.
 *
 * @example
 * ```ts
 * const plan = buildPlan(storeSchema(), { seed: 1, rows: 100 });
 * ```
 */
import type { Schema } from '@understudy/core';
import { check, col, fk, schemaOf, tableOf, uniqueKey } from './schema-builders.js';

export function storeSchema(): Schema {
  return schemaOf([
    tableOf(
      'public',
      'country',
      [
        col('country_id', 'integer', { default: { kind: 'sequence', expression: "nextval('country_country_id_seq'::regclass)" } }),
        col('country', 'varchar', { length: 50 }),
        col('iso', 'char', { length: 3 }),
      ],
      {
        primaryKey: ['country_id'],
        uniques: [uniqueKey('country_iso_key', ['iso'])],
      },
    ),
    tableOf('public', 'city', [col('city_id', 'integer', { default: { kind: 'identity', generation: 'always' } }), col('city', 'varchar', { length: 50 }), col('country_id', 'integer')], {
      primaryKey: ['city_id'],
      foreignKeys: [fk('city_country_fk', ['country_id'], 'public.country', ['country_id'])],
    }),
    tableOf(
      'public',
      'customer',
      [
        col('customer_id', 'integer'),
        col('first_name', 'varchar', { length: 45 }),
        col('last_name', 'varchar', { length: 45 }),
        col('email', 'varchar', { length: 50, nullable: true }),
        col('city_id', 'integer', { nullable: true }),
        col('referred_by', 'integer', { nullable: true }),
        col('created_at', 'timestamptz', { fractionalSeconds: 6 }),
        col('updated_at', 'timestamptz', { fractionalSeconds: 6, nullable: true }),
        col('active', 'boolean'),
        col('rating', 'smallint'),
        col('status', 'text'),
        col('birth_date', 'date', { nullable: true }),
        col('code', 'varchar', { length: 8 }),
        col('phone', 'varchar', { length: 20, nullable: true }),
        col('score', 'decimal', { precision: 5, scale: 2 }),
      ],
      {
        primaryKey: ['customer_id'],
        uniques: [uniqueKey('customer_email_key', ['email']), uniqueKey('customer_code_key', ['code'])],
        foreignKeys: [fk('customer_city_fk', ['city_id'], 'public.city', ['city_id']), fk('customer_referrer_fk', ['referred_by'], 'public.customer', ['customer_id'])],
        checks: [
          check('rating_range', '((rating >= 0) AND (rating <= 5))'),
          check('status_check', "(status = ANY (ARRAY['active'::text, 'blocked'::text, 'closed'::text]))"),
          check('birth_date_check', "(birth_date > '1900-01-01'::date)"),
          check('code_format', "((code)::text ~ '^[A-Z]{3}[0-9]{2}$'::text)"),
          check('score_range', '((score >= (0)::numeric) AND (score <= (100)::numeric))'),
          check('email_at', "((email)::text ~~ '%@%'::text)"),
          check('updated_after_created', '(updated_at >= created_at)'),
        ],
      },
    ),
    tableOf(
      'public',
      'product',
      [
        col('sku', 'varchar', { length: 12 }),
        col('name', 'varchar', { length: 80 }),
        col('price', 'decimal', { precision: 8, scale: 2 }),
        col('starts_at', 'timestamp'),
        col('ends_at', 'timestamp'),
        col('weight', 'real', { nullable: true }),
        col('doc', 'jsonb', { nullable: true }),
        col('tags', 'text', { arrayDimensions: 1, rawType: 'text[]', nullable: true }),
        col('discontinued', 'boolean'),
      ],
      {
        primaryKey: ['sku'],
        checks: [check('price_positive', '(price > (0)::numeric)'), check('ends_after_starts', '((ends_at > starts_at))'), check('sku_len', '(length((sku)::text) >= 6)')],
      },
    ),
    tableOf(
      'public',
      'orders',
      [
        col('order_id', 'uuid'),
        col('customer_id', 'integer'),
        col('ordered_at', 'timestamp'),
        col('shipped_at', 'timestamp', { nullable: true }),
        col('total', 'decimal', { precision: 10, scale: 2 }),
        col('contact_email', 'varchar', { length: 60, nullable: true }),
        col('contact_phone', 'varchar', { length: 20, nullable: true }),
      ],
      {
        primaryKey: ['order_id'],
        foreignKeys: [fk('orders_customer_fk', ['customer_id'], 'public.customer', ['customer_id'])],
        checks: [
          check('shipped_after_ordered', '(shipped_at >= ordered_at)'),
          check('some_contact', '((contact_email IS NOT NULL) OR (contact_phone IS NOT NULL))'),
          check('total_nonneg', '(total >= 0::numeric)'),
        ],
      },
    ),
    tableOf('public', 'order_line', [col('order_id', 'uuid'), col('line_no', 'smallint'), col('sku', 'varchar', { length: 12 }), col('quantity', 'integer')], {
      primaryKey: ['order_id', 'line_no'],
      foreignKeys: [fk('line_order_fk', ['order_id'], 'public.orders', ['order_id']), fk('line_product_fk', ['sku'], 'public.product', ['sku'])],
      checks: [check('quantity_positive', '(quantity > 0)'), check('line_no_range', '((line_no >= 1) AND (line_no <= 50))')],
    }),
    tableOf('public', 'warehouse', [col('region', 'char', { length: 2 }), col('wh_no', 'smallint'), col('name', 'varchar', { length: 40 })], {
      primaryKey: ['region', 'wh_no'],
      checks: [check('region_check', "(region = ANY (ARRAY['EU'::bpchar, 'US'::bpchar, 'AS'::bpchar]))")],
    }),
    tableOf('public', 'stock', [col('id', 'bigint'), col('region', 'char', { length: 2 }), col('wh_no', 'smallint'), col('sku', 'varchar', { length: 12 }), col('quantity', 'integer')], {
      primaryKey: ['id'],
      uniques: [uniqueKey('stock_place_sku_key', ['region', 'wh_no', 'sku'])],
      foreignKeys: [fk('stock_wh_fk', ['region', 'wh_no'], 'public.warehouse', ['region', 'wh_no']), fk('stock_product_fk', ['sku'], 'public.product', ['sku'])],
      checks: [check('stock_quantity', '(quantity >= 0)')],
    }),
    tableOf('public', 'tag', [col('tag_id', 'integer'), col('label', 'varchar', { length: 30 })], { primaryKey: ['tag_id'], uniques: [uniqueKey('tag_label_key', ['label'])] }),
    tableOf('public', 'product_tag', [col('sku', 'varchar', { length: 12 }), col('tag_label', 'varchar', { length: 30 })], {
      primaryKey: ['sku', 'tag_label'],
      foreignKeys: [fk('pt_product_fk', ['sku'], 'public.product', ['sku']), fk('pt_tag_fk', ['tag_label'], 'public.tag', ['label'])],
    }),
  ]);
}

/** Row counts that keep the junction tables feasible. */
export const STORE_ROWS = {
  country: 30,
  city: 200,
  customer: 1500,
  product: 300,
  orders: 3000,
  order_line: 6000,
  warehouse: 9,
  stock: 1500,
  tag: 40,
  product_tag: 2000,
} as const;
