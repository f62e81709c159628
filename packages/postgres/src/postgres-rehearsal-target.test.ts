/**
 * The PostgreSQL RehearsalTarget on PGlite (always) and a PostgreSQL server
 * (UNDERSTUDY_TEST_PG_URL): traces (locks held, rewrites, rows affected), a
 * failing statement leaves the transaction usable for diagnosis, the diagnosis
 * of each known failure shape, statements outside a transaction, snapshots, and
 * the throwaway database being dropped (or kept) on close.
 */
import type { RehearsalTarget } from '@understudy/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postgresDialect } from './postgres-dialect.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL server rehearsal target tests (PGlite still runs)');

const environments: Array<{ name: string; url?: string }> = [{ name: 'pglite' }, ...(PG_URL ? [{ name: 'postgres', url: PG_URL }] : [])];

async function failure(target: RehearsalTarget, statement: string): Promise<unknown> {
  try {
    await target.execute(statement);
  } catch (error) {
    return error;
  }
  throw new Error(`expected to fail: ${statement}`);
}

describe.each(environments)('postgres rehearsal target on $name', ({ url }) => {
  let target: RehearsalTarget;

  beforeAll(async () => {
    target = await postgresDialect.openRehearsalTarget!(url ? { url } : {});
    for (const statement of [
      'create table account (id int primary key, tenant int, email text, code text, balance int)',
      `insert into account select i, i % 3, case when i % 4 = 0 then null else 'u' || (i % 5) end, case when i % 6 = 0 then 'x' || i else i::text end, i * 10 from generate_series(1, 40) i`,
    ]) {
      await target.execute(statement);
    }
  });
  afterAll(async () => {
    await target?.close();
  });
  afterEach(async () => {
    // A failed assertion must not leave the next test inside an open transaction.
    await target.rollback().catch(() => undefined);
  });

  it('traces locks, rewrites and rows affected inside a transaction', async () => {
    await target.begin();
    const update = await target.execute('update account set balance = balance + 1 where tenant = 1');
    expect(update.rowsAffected).toBe(14);
    expect(update.locks).toEqual([{ relation: 'public.account', mode: 'RowExclusiveLock' }, { relation: 'public.account_pkey', mode: 'RowExclusiveLock' }]);
    expect(update.rewrites).toEqual([]);
    const alter = await target.execute('alter table account alter column balance type bigint');
    expect(alter.locks).toContainEqual({ relation: 'public.account', mode: 'AccessExclusiveLock' });
    // The table and its primary key index are rebuilt.
    expect(alter.rewrites).toEqual([{ relation: 'public.account', kind: 'table' }, { relation: 'public.account_pkey', kind: 'index' }]);
    const added = await target.execute('alter table account add column note text');
    expect(added.rewrites).toEqual([]);
    await target.rollback();
    // Rolled back: the column type is as before.
    expect((await target.introspect()).tables['public.account']!.columns.find((c) => c.name === 'balance')!.rawType).toBe('integer');
  });

  it('keeps the transaction usable after a failure and finds the offending rows of each shape', async () => {
    const schema = await target.introspect();
    await target.begin();
    const nulls = await target.diagnose('alter table account alter column email set not null', await failure(target, 'alter table account alter column email set not null'), schema);
    expect(nulls).toMatchObject({ total: 10, description: 'rows of public.account where email IS NULL' });
    expect(nulls!.rows.map((r) => r['id'])).toEqual(['4', '8', '12', '16', '20', '24', '28', '32', '36', '40']);

    const pairs = 'alter table account add constraint account_tenant_email_key unique (tenant, email)';
    const dupes = await target.diagnose(pairs, await failure(target, pairs), schema);
    const groups = await target.query!('select tenant, email, count(*)::int as n from account where email is not null group by 1, 2 having count(*) > 1 order by 3 desc, 1, 2');
    expect(dupes!.total).toBe(groups.length);
    expect(dupes!.total).toBeGreaterThan(0);
    expect(dupes!.rows.map((r) => [r['tenant'], r['email'], r['count']])).toEqual(groups.slice(0, 10).map((g) => [String(g['tenant']), g['email'], String(g['n'])]));

    const cast = 'alter table account alter column code type integer using code::integer';
    const bad = await target.diagnose(cast, await failure(target, cast), schema);
    expect(bad!.total).toBe(6);
    expect(bad!.rows.map((r) => r['code'])).toEqual(['x6', 'x12', 'x18', 'x24', 'x30', 'x36']);

    const expression = 'create unique index account_lower_email on account (lower(email))';
    const byExpression = await target.diagnose(expression, await failure(target, expression), schema);
    expect(byExpression!.rows.map((r) => [r['key1'], r['count']])).toEqual(['u0', 'u1', 'u2', 'u3', 'u4'].map((e) => [e, '6']));

    const check = 'alter table account add constraint small check (balance < 300 or tenant = 0)';
    const violating = await target.diagnose(check, await failure(target, check), schema);
    expect(violating!.total).toBe((await target.query!('select count(*)::int as n from account where not (balance < 300 or tenant = 0)'))[0]!['n']);
    expect(violating!.rows.every((r) => Number(r['balance']) >= 300 && r['tenant'] !== '0')).toBe(true);

    // Something still runs in the transaction after four failures.
    expect((await target.execute('update account set balance = 0 where id = 1')).rowsAffected).toBe(1);
    await target.rollback();
  });

  it('runs a statement that cannot be in a transaction outside one and still sees its effects', async () => {
    const trace = await target.execute('create index concurrently account_tenant_idx on account (tenant)');
    expect(trace.locks).toEqual([]);
    expect((await target.introspect()).tables['public.account']!.indexes.map((i) => i.name)).toContain('account_tenant_idx');
  });

  it('snapshots counts, NULLs, distinct values, ranges and per-row hashes', async () => {
    const schema = await target.introspect();
    const snapshot = await target.snapshot(schema);
    const account = snapshot.tables['public.account']!;
    expect(account.rows).toBe(40);
    expect(account.columns['email']).toMatchObject({ nulls: 10, distinct: 5, min: 'u0', max: 'u4', maxLength: 2 });
    expect(account.columns['balance']).toMatchObject({ nulls: 0, distinct: 40, min: '10', max: '400' });
    expect(Object.keys(account.rowChecksums!)).toHaveLength(40);
    expect(Object.keys(account.columnValueHashes!['code']!)).toHaveLength(40);
  });
});

describe.skipIf(!PG_URL)('postgres rehearsal target: the throwaway database', () => {
  async function exists(name: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const { rows } = await client.query('select 1 from pg_database where datname = $1', [name]);
      return rows.length === 1;
    } finally {
      await client.end();
    }
  }

  it('is dropped on close, and kept with keep', async () => {
    for (const keep of [false, true]) {
      const target = await postgresDialect.openRehearsalTarget!({ url: PG_URL!, keep });
      const name = new URL(target.url!).pathname.slice(1);
      expect(name).toMatch(keep ? /^understudy_rehearse_kept_\d{8}t\d{6}_[0-9a-f]{8}$/ : /^understudy_rehearse_\d{8}t\d{6}_[0-9a-f]{8}$/);
      expect(await exists(name)).toBe(true);
      await target.close();
      expect(await exists(name)).toBe(keep);
      if (keep) {
        const client = new pg.Client({ connectionString: PG_URL });
        await client.connect();
        await client.query(`drop database ${name} with (force)`);
        await client.end();
      }
    }
  });
});
