import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '@understudy/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seededDatabase, type SeededDatabase } from './vitest.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

const SCHEMA_SQL = `
create table customer (id serial primary key, email text not null unique, name text not null);
create table orders (
  id serial primary key,
  customer_id integer not null references customer (id),
  total numeric(10, 2) not null check (total >= 0),
  note text
);
`;

let dir: string;
let schemaFile: string;
const opened: SeededDatabase[] = [];
const open = async (...args: Parameters<typeof seededDatabase>): Promise<SeededDatabase> => {
  const db = await seededDatabase(...args);
  opened.push(db);
  return db;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'understudy-vitest-helper-'));
  schemaFile = join(dir, 'schema.sql');
  await writeFile(schemaFile, SCHEMA_SQL);
});

afterAll(async () => {
  for (const db of opened) await db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('seededDatabase', () => {
  test('from a DDL file: every table filled, rows by table and column name, as SQL on its PGlite says', async () => {
    const db = await open({ schema: schemaFile, rows: 30, tableRows: { customer: 6 }, seed: 5 });
    expect(db.tables).toEqual(['public.customer', 'public.orders']);
    const counts = await db.pglite.query<{ customers: number; orders: number; orphans: number }>(
      `select (select count(*)::int from customer) as customers, (select count(*)::int from orders) as orders,
              (select count(*)::int from orders o where not exists (select 1 from customer c where c.id = o.customer_id)) as orphans`,
    );
    expect(counts.rows[0]).toEqual({ customers: 6, orders: 30, orphans: 0 });
    expect(db.rows('customer')).toHaveLength(6);
    expect(db.rows('public.orders')).toHaveLength(30);
    const fromSql = await db.pglite.query<{ email: string }>('select email from customer order by id');
    expect(db.column<string>('customer', 'email')).toEqual(fromSql.rows.map((r) => r.email));
    const orders = db.rows<{ id: number; customer_id: number; total: string }>('orders');
    expect(orders.map((o) => o.id)).toEqual([...orders.map((o) => o.id)].sort((a, b) => a - b));
  });

  test('the same seed gives the same rows; another seed, others', async () => {
    const a = await open({ schema: schemaFile, rows: 8, seed: 1 });
    const b = await open({ schema: schemaFile, rows: 8, seed: 1 });
    const c = await open({ schema: schemaFile, rows: 8, seed: 2 });
    expect(b.rows('customer')).toEqual(a.rows('customer'));
    expect(b.rows('orders')).toEqual(a.rows('orders'));
    expect(c.column('customer', 'email')).not.toEqual(a.column('customer', 'email'));
  });

  test('an unknown table or column is a UsageError naming what there is', async () => {
    const db = await open({ schema: schemaFile, rows: 2 });
    expect(() => db.rows('users')).toThrow(UsageError);
    expect(() => db.rows('users')).toThrow(/no table users .*public\.customer, public\.orders/);
    expect(() => db.column('customer', 'mail')).toThrow(/no column mail in public\.customer \(columns: id, email, name\)/);
  });

  test('a missing schema file is a UsageError naming it', async () => {
    await expect(seededDatabase({ schema: join(dir, 'nope.sql') })).rejects.toThrow(/nope\.sql/);
  });

  test('from a drizzle schema module: its tables, foreign keys kept', async () => {
    const db = await open({ schema: join(repoRoot, 'fixtures/drizzle/pg-schema.ts'), rows: 5, seed: 1 });
    expect(db.rows('customers')).toHaveLength(5);
    const orphans = await db.pglite.query<{ n: number }>('select count(*)::int as n from orders o where not exists (select 1 from customers c where c.id = o.customer_id)');
    expect(orphans.rows[0]?.n).toBe(0);
    expect(db.column('orders', 'customer_id').every((id) => typeof id === 'string')).toBe(true);
  });
});
