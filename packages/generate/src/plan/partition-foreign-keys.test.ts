import { describe, expect, it } from 'vitest';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { generateRows } from '../row/row-generator.js';

describe('foreign keys declared only on partitions (pagila payment_p2022_01 …)', () => {
  it('bind the partitioned parent: its rows reference existing parent rows', () => {
    const partition = (suffix: string) =>
      tableOf('public', `payment_${suffix}`, [col('id', 'integer'), col('customer_id', 'integer')], {
        kind: 'partition',
        partitionOf: 'public.payment',
        foreignKeys: [fk(`payment_${suffix}_customer_fkey`, ['customer_id'], 'public.customer', ['id'])],
      });
    const schema = schemaOf([
      tableOf('public', 'customer', [col('id', 'integer')], { primaryKey: ['id'] }),
      tableOf('public', 'payment', [col('id', 'integer'), col('customer_id', 'integer')], { kind: 'partitioned', primaryKey: ['id'] }),
      partition('a'),
      partition('b'),
    ]);
    const plan = buildPlan(schema, { seed: 1, rows: 50 });
    const column = plan.tables['public.payment']!.columns.find((c) => c.name === 'customer_id')!;
    expect(column.reason).toContain('foreign key → public.customer(id)');
    for (const row of generateRows(plan, 'public.payment', 0, 50)) {
      expect(row[1]).toBeGreaterThanOrEqual(1);
      expect(row[1]).toBeLessThanOrEqual(50);
    }
  });
});
