/**
 * The independent checker itself: it must find what a broken seed would leave.
 * The database here enforces nothing; the Schema handed to the checker
 * declares the constraints, so every violation reaches the checker's SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '@understudy/postgres';
import type { Schema } from '@understudy/core';
import { checkSeededDatabase, type CheckTarget } from './db-checks.js';

let conn: Awaited<ReturnType<typeof openPglite>>;
let target: CheckTarget;
let bare: Schema;

beforeAll(async () => {
  conn = await openPglite();
  await conn.pglite.exec(`
    CREATE DOMAIN positive AS integer;
    CREATE TABLE parent (id integer);
    CREATE TABLE item (id integer, parent_id integer, qty positive, email text, code text, starts_at date, ends_at date);
    INSERT INTO parent VALUES (1), (2);
    INSERT INTO item VALUES
      (1, 1, 5, 'A@x.org', 'abc', '2024-01-01', '2024-02-01'),
      (1, 3, 0, 'a@x.org', 'abcd', '2024-03-01', '2024-02-01'),
      (2, 2, NULL, 'b@x.org', 'abc', NULL, '2024-02-01');
  `);
  bare = await conn.introspect();
  target = { dialect: 'postgres', quote: (n) => `"${n}"`, query: async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows };
}, 120_000);

afterAll(async () => {
  await conn?.close();
});

/** The introspected schema with `item` declaring more than the database enforces. */
function declaring(item: Partial<Schema['tables'][string]>, domainChecks: Schema['domains'][string]['checks'] = []): Schema {
  const domains = Object.fromEntries(Object.entries(bare.domains).map(([k, d]) => [k, { ...d, checks: domainChecks }]));
  return { ...bare, domains, tables: { ...bare.tables, 'public.item': { ...bare.tables['public.item']!, ...item } } };
}

describe('checkSeededDatabase (the tests’ independent check)', () => {
  it('passes a table that keeps what its schema declares', async () => {
    const report = await checkSeededDatabase(target, declaring({ checks: [{ name: 'item_qty_ok', expression: 'qty >= 0' }] }), {});
    expect(report.problems).toEqual([]);
    expect(report.checks).toBe(1);
  });

  it('finds a row that fails a CHECK, column against column too, and lets NULL pass', async () => {
    const schema = declaring({
      checks: [
        { name: 'item_qty_positive', expression: 'qty > 0' },
        { name: 'item_dates', expression: 'ends_at > starts_at' },
      ],
    });
    const report = await checkSeededDatabase(target, schema, {});
    expect(report.problems).toEqual(['public.item: 1 rows fail CHECK item_qty_positive (qty > 0)', 'public.item: 1 rows fail CHECK item_dates (ends_at > starts_at)']);
  });

  it("finds a row that fails its column's domain CHECK", async () => {
    const report = await checkSeededDatabase(target, declaring({}, [{ name: 'positive_check', expression: 'VALUE > 0' }]), {});
    expect(report.problems).toEqual(['public.item: 1 rows fail CHECK positive_check ("qty" > 0)']);
  });

  it('finds duplicates in a primary key, an expression unique index and a partial one, not outside its WHERE', async () => {
    const schema = declaring({
      primaryKey: { columns: ['id'] },
      uniques: [
        { name: 'item_email_lower', columns: [null], expressions: ['lower(email)'], origin: 'index' },
        { name: 'item_code_if_stocked', columns: ['code'], origin: 'index', where: 'qty > 0' },
        { name: 'item_code_if_dated', columns: ['code'], origin: 'index', where: 'starts_at IS NULL OR qty > 0' },
      ],
    });
    const report = await checkSeededDatabase(target, schema, {});
    expect(report.problems).toEqual([
      'public.item: 1 duplicated values of ("id")',
      'public.item: 1 duplicated values of (lower(email))',
      'public.item: 1 duplicated values of ("code") where starts_at IS NULL OR qty > 0',
    ]);
  });

  it('finds orphans, over-long values, empty tables and row counts other than the seed reported', async () => {
    const columns = bare.tables['public.item']!.columns.map((c) => (c.name === 'code' ? { ...c, rawType: 'character varying(3)', kind: 'varchar' as const, length: 3 } : c));
    const schema = declaring({
      columns,
      foreignKeys: [
        {
          name: 'item_parent_fk',
          columns: ['parent_id'],
          references: { table: 'public.parent', columns: ['id'] },
          onDelete: 'no action',
          onUpdate: 'no action',
          deferrable: false,
          initiallyDeferred: false,
        },
      ],
    });
    const report = await checkSeededDatabase(target, schema, { 'public.item': 4 });
    expect(report.problems).toEqual([
      'public.item has 3 rows, the seed reported 4',
      'public.item: 1 orphan rows for foreign key item_parent_fk → public.parent',
      'public.item.code: 1 values longer than 3',
    ]);
  });
});
