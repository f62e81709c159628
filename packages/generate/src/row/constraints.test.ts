import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { storeSchema, STORE_ROWS } from '../test-support/sample-schemas.js';
import { materialize, verifyPlanRows } from '../test-support/verify-rows.js';

describe('generated rows satisfy the schema (checked independently)', () => {
  const schema = storeSchema();
  const plan = buildPlan(schema, { seed: 'store', tableRows: STORE_ROWS });

  it('interprets every CHECK of the store schema', () => {
    for (const table of Object.values(plan.tables)) for (const c of table.checks) expect(c.status, `${table.table} ${c.name}: ${c.reason}`).toBe('interpreted');
  });

  it('has no NOT NULL, length, unique, FK or CHECK violation', () => {
    expect(verifyPlanRows(schema, plan, { caseInsensitiveUnique: true })).toEqual([]);
  });

  it('spreads children over parents with skew: some parents get many, some none', () => {
    const rows = materialize(plan);
    const counts = new Map<unknown, number>();
    for (const o of rows.get('public.orders')!) counts.set(o['customer_id'], (counts.get(o['customer_id']) ?? 0) + 1);
    const customers = STORE_ROWS.customer;
    const withOrders = counts.size;
    expect(withOrders).toBeLessThan(customers);
    expect(Math.max(...counts.values())).toBeGreaterThan(3 * (STORE_ROWS.orders / customers));
  });

  it('builds the self-reference as a tree: each referrer is an earlier row', () => {
    const customers = materialize(plan).get('public.customer')!;
    const roots = customers.filter((c) => c['referred_by'] === null).length;
    expect(roots).toBeGreaterThan(0);
    customers.forEach((c, i) => {
      if (c['referred_by'] !== null) expect(c['referred_by'] as number).toBeLessThan(i + 1);
    });
  });

  it('fills at least one contact per order', () => {
    for (const o of materialize(plan).get('public.orders')!) expect(o['contact_email'] !== null || o['contact_phone'] !== null).toBe(true);
  });

  it('gives realistic values by name', () => {
    const customers = materialize(plan).get('public.customer')!;
    expect(customers.filter((c) => c['email'] !== null).every((c) => /^[^@\s]+@example\.(com|net|org)$/.test(c['email'] as string))).toBe(true);
    expect(customers.every((c) => /^[A-Z][A-Za-z' -]*$/.test(c['first_name'] as string))).toBe(true);
  });
});
