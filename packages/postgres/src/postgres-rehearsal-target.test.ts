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
import { postgresLock } from './postgres-lock-tracer.js';

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

  it('counts the rows each statement reads: every row for a scan under a lock, none for a catalog change, a few through the key', async () => {
    const n = Number((await target.query!('select count(*)::int as n from account'))[0]!['n']);
    expect(n).toBe(40);
    await target.begin();
    const orders = 'public.account';
    const read = (trace: { reads?: ReadonlyArray<{ relation: string; rows: number }> }): number | undefined =>
      trace.reads === undefined ? undefined : (trace.reads.find((r) => r.relation === orders)?.rows ?? 0);
    expect(read(await target.execute('alter table account add column flagged boolean'))).toBe(0);
    expect(read(await target.execute("alter table account alter column code set default 'x'"))).toBe(0);
    expect(read(await target.execute('alter table account add constraint balance_known check (balance is not null) not valid'))).toBe(0);
    // Validating a CHECK, SET NOT NULL's check and an index build each read every row.
    expect(read(await target.execute('alter table account add constraint balance_positive check (balance > 0)'))).toBe(n);
    expect(read(await target.execute('alter table account alter column balance set not null'))).toBe(n);
    expect(read(await target.execute('create index account_code on account (code)'))).toBeGreaterThanOrEqual(n);
    expect(read(await target.execute('reindex index account_pkey'))).toBe(n);
    // One row through the primary key (a 40-row table is scanned unless told otherwise): a fetch and an update.
    await target.execute('set local enable_seqscan = off');
    const one = read(await target.execute('update account set flagged = true where id = 7'));
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThan(n);
    await target.rollback();
    // Outside a transaction the statistics are not read: not counted.
    expect((await target.execute('vacuum account')).reads).toBeUndefined();
  });

  it('traces locks, rewrites and rows affected inside a transaction', async () => {
    await target.begin();
    const update = await target.execute('update account set balance = balance + 1 where tenant = 1');
    expect(update.rowsAffected).toBe(14);
    expect(update.locks).toEqual([postgresLock('public.account', 'RowExclusiveLock'), postgresLock('public.account_pkey', 'RowExclusiveLock')]);
    expect(update.rewrites).toEqual([]);
    const alter = await target.execute('alter table account alter column balance type bigint');
    expect(alter.locks).toContainEqual(postgresLock('public.account', 'AccessExclusiveLock'));
    // The table and its primary key index are rebuilt.
    expect(alter.rewrites).toEqual([
      { relation: 'public.account', kind: 'table' },
      { relation: 'public.account_pkey', kind: 'index' },
    ]);
    const added = await target.execute('alter table account add column note text');
    expect(added.rewrites).toEqual([]);
    await target.rollback();
    // Rolled back: the column type is as before.
    expect((await target.introspect()).tables['public.account']!.columns.find((c) => c.name === 'balance')!.rawType).toBe('integer');
  });

  it('reports no lock on what the transaction created, its SERIAL sequence included, and none on a sequence as a rewrite', async () => {
    await target.begin();
    // Prisma's CREATE TABLE with a BIGSERIAL key, then an index on it (trigger.dev's add_logs_search_projector_checkpoints).
    const created = await target.execute('create table checkpoint (id bigserial primary key, projector text not null)');
    expect(created.locks).toEqual([]);
    const indexed = await target.execute('create index checkpoint_projector on checkpoint (projector)');
    expect(indexed.locks).toEqual([]);
    // A sequence that existed before is locked like any relation; restarting it (a new relfilenode) is no rewrite.
    await target.commit();
    await target.begin();
    const restarted = await target.execute('alter sequence checkpoint_id_seq restart with 100');
    expect(restarted.locks).toContainEqual(postgresLock('public.checkpoint_id_seq', 'ShareRowExclusiveLock'));
    expect(restarted.rewrites).toEqual([]);
    await target.rollback();
    // Checked in the catalog: the sequence is there, and is the key's.
    const owned = await target.query!("select pg_get_serial_sequence('checkpoint', 'id') as s");
    expect(owned).toEqual([{ s: 'public.checkpoint_id_seq' }]);
    await target.execute('drop table checkpoint');
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

    // A comment where a runner fills in the schema (River's `ALTER TABLE /* TEMPLATE: schema */river_leader`), and a DROP before the ADD.
    const commented = 'alter table /* TEMPLATE: schema */account alter column tenant set default 0, drop constraint if exists small, add constraint small check (balance < 300 or tenant = 0)';
    const templated = await target.diagnose(commented, await failure(target, commented), schema);
    expect(templated!.total).toBe(violating!.total);

    // Something still runs in the transaction after five failures.
    expect((await target.execute('update account set balance = 0 where id = 1')).rowsAffected).toBe(1);
    await target.rollback();
  });

  it('finds the rows without a parent under a new or validated foreign key, and those a narrower type cannot hold', async () => {
    await target.execute('create table tenant (id int primary key)');
    await target.execute('insert into tenant values (0), (1)');
    const count = async (query: string): Promise<number> => Number((await target.query!(query))[0]!['n']);
    const schema = await target.introspect();
    await target.begin();
    const fk = 'alter table account add constraint account_tenant_fkey foreign key (tenant) references tenant (id)';
    const orphans = await target.diagnose(fk, await failure(target, fk), schema);
    expect(orphans!.description).toBe('rows of public.account whose (tenant) has no match in public.tenant (id)');
    expect(orphans!.total).toBe(await count('select count(*)::int as n from account a where a.tenant is not null and not exists (select 1 from tenant t where t.id = a.tenant)'));
    expect(orphans!.total).toBe(13);
    expect(orphans!.rows.every((r) => r['tenant'] === '2')).toBe(true);

    const narrow = 'alter table account alter column code type varchar(2)';
    const long = await target.diagnose(narrow, await failure(target, narrow), schema);
    expect(long!.total).toBe(await count("select count(*)::int as n from account where length(rtrim(code, ' ')) > 2"));
    expect(long!.total).toBeGreaterThan(0);
    expect(long!.rows.every((r) => r['code']!.length > 2)).toBe(true);

    const digits = 'alter table account alter column balance type numeric(4,2)';
    const overflow = await target.diagnose(digits, await failure(target, digits), schema);
    expect(overflow!.total).toBe(await count('select count(*)::int as n from account where abs(balance) >= 100'));
    expect(overflow!.total).toBe(31);
    await target.rollback();

    // A NOT VALID key, validated later: the same rows, found from the key in the schema.
    await target.execute('alter table account add constraint account_tenant_nv foreign key (tenant) references tenant (id) not valid');
    const withKey = await target.introspect();
    const validate = 'alter table account validate constraint account_tenant_nv';
    const unmatched = await target.diagnose(validate, await failure(target, validate), withKey);
    expect(unmatched!.total).toBe(13);
    expect(unmatched!.query).toContain('not exists (select 1 from "public"."tenant" p where p."id" = t."tenant")');
    await target.execute('alter table account drop constraint account_tenant_nv');
  });

  it('names the INVALID index a failed CREATE INDEX CONCURRENTLY leaves, after the duplicates that stopped it, or alone', async () => {
    const schema = await target.introspect();
    const invalid = async (): Promise<string[]> => (await target.query!('select indexrelid::regclass::text as i from pg_index where not indisvalid order by 1')).map((r) => String(r['i']));
    const unique = 'create unique index concurrently account_email_key on account (email)';
    const dupes = await target.diagnose(unique, await failure(target, unique), schema);
    expect(await invalid()).toEqual(['account_email_key']);
    expect(dupes!.description).toBe(
      'duplicate (email) groups in public.account; the failed build left the INVALID index account_email_key behind, which slows every write and which a retry with IF NOT EXISTS would keep: drop it first (DROP INDEX CONCURRENTLY account_email_key)',
    );
    expect(dupes!.total).toBe(Number((await target.query!('select count(*)::int as n from (select email from account where email is not null group by 1 having count(*) > 1) d'))[0]!['n']));
    await target.execute('drop index concurrently account_email_key');

    // Division by zero at balance = 10: no rows to blame in the diagnosis's terms, only the index left behind.
    const expression = 'create index concurrently account_ratio_idx on account ((100 / (balance - 10)))';
    const left = await target.diagnose(expression, await failure(target, expression), schema);
    expect(await invalid()).toEqual(['account_ratio_idx']);
    expect(left!.description).toMatch(/^the failed CREATE INDEX CONCURRENTLY left the INVALID index account_ratio_idx behind/);
    expect(left!.rows).toEqual([{ index: 'account_ratio_idx', table: 'account' }]);
    expect(left!.query).toBe('select i.indexrelid::regclass::text as index, i.indrelid::regclass::text as "table" from pg_catalog.pg_index i where not i.indisvalid');
    await target.execute('drop index concurrently account_ratio_idx');
  });

  it('runs a statement that cannot be in a transaction outside one and still sees its effects', async () => {
    const trace = await target.execute('create index concurrently account_tenant_idx on account (tenant)');
    // Its locks are gone when it returns: the documented one is reported (it does not block writes).
    expect(trace.locks).toEqual([postgresLock('public.account', 'ShareUpdateExclusiveLock')]);
    expect((await target.introspect()).tables['public.account']!.indexes.map((i) => i.name)).toContain('account_tenant_idx');
  });

  it('reports the documented lock of a statement run outside a transaction, and an index lock on its table', async () => {
    await target.execute('create index account_tenant on account (tenant)');
    const concurrently = await target.execute('create index concurrently account_email on account (email)');
    expect(concurrently.locks).toEqual([postgresLock('public.account', 'ShareUpdateExclusiveLock')]);
    // After a transaction that ended before the table existed, too.
    await target.begin();
    await target.rollback();
    await target.execute('create table account_copy (id int primary key)');
    expect((await target.execute('vacuum full account_copy')).locks).toEqual([postgresLock('public.account_copy', 'AccessExclusiveLock')]);
    await target.execute('drop table account_copy');
    const full = await target.execute('vacuum full account');
    expect(full.locks).toEqual([postgresLock('public.account', 'AccessExclusiveLock')]);
    const dropped = await target.execute('drop index concurrently account_email');
    expect(dropped.locks).toEqual([postgresLock('public.account', 'ShareUpdateExclusiveLock')]);
    // REINDEX INDEX: SHARE on the table, ACCESS EXCLUSIVE on the index, which every query on the table plans with.
    await target.begin();
    const reindex = await target.execute('reindex index account_tenant');
    await target.rollback();
    expect(reindex.locks).toContainEqual(postgresLock('public.account', 'AccessExclusiveLock'));
    expect(reindex.locks).toContainEqual(postgresLock('public.account_tenant', 'AccessExclusiveLock'));
    // A new index's own lock does not count on its table: a plain CREATE INDEX holds SHARE.
    await target.begin();
    const created = await target.execute('create index account_code on account (code)');
    await target.rollback();
    expect(created.locks).toEqual([postgresLock('public.account', 'ShareLock')]);
    await target.execute('drop index account_tenant');
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
