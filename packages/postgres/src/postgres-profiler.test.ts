/**
 * profilePostgres on PGlite (always) and on a PostgreSQL server (UNDERSTUDY_TEST_PG_URL):
 * planted personal values never reach the profile, useful statistics do, fan-out
 * buckets are exact, and `scan: false` reads no table rows.
 */
import { bucketLabel, formatProfileExplain, ProfileModel, profileToJson, type Profile } from '@understudy/core';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FANOUT_EXPECTED, FANOUT_SQL, PLANTED, PLANTED_FRAGMENTS, plantedTableSql, wideSchemaSql } from '@understudy/test-helpers';
import { connectPostgres, type PostgresConnection } from './postgres-connection.js';
import { openPglite, postgresDialect } from './postgres-dialect.js';
import { profilePostgres } from './postgres-profiler.js';
import { createScratchDatabase, dropScratchDatabase, urlForDatabase } from './postgres-scratch-database.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping PostgreSQL server profiler tests (PGlite still runs)');

interface Target {
  readonly name: string;
  open(): Promise<{ conn: PostgresConnection; url?: string; drop(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'pglite',
    open: async () => {
      const conn = await openPglite();
      return { conn, drop: () => conn.close() };
    },
  },
];
if (PG_URL) {
  targets.push({
    name: 'postgres',
    open: async () => {
      const name = await createScratchDatabase(PG_URL, 'understudy_profile_test');
      const url = urlForDatabase(PG_URL, name);
      const conn = await connectPostgres(url, postgresDialect);
      return {
        conn,
        url,
        drop: async () => {
          await conn.close().catch(() => undefined);
          await dropScratchDatabase(PG_URL, name);
        },
      };
    },
  });
}

async function exec(db: Kysely<any>, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

describe.each(targets)('profilePostgres on $name', (target) => {
  let opened: Awaited<ReturnType<Target['open']>>;
  let profile: Profile;
  let json: string;

  beforeAll(async () => {
    opened = await target.open();
    const db = opened.conn.db;
    await exec(db, [...plantedTableSql('postgres'), ...FANOUT_SQL, 'create table never_analysed (id integer primary key, v integer)']);
    await exec(db, [
      'create table events (id integer, kind varchar(10), at date) partition by range (at)',
      "create table events_2024 partition of events for values from ('2024-01-01') to ('2025-01-01')",
      "create table events_2025 partition of events for values from ('2025-01-01') to ('2026-01-01')",
      "insert into events select g, case when g % 2 = 0 then 'click' else 'view' end, date '2024-06-01' + g from generate_series(1, 300) g",
    ]);
    // FKs declared only on the partitions (pagila's payment): fan-out is over the whole table.
    await exec(db, [
      'create table hosts (id integer primary key)',
      'insert into hosts select g from generate_series(1, 40) g',
      'create table visits (id integer, host_id integer, at date) partition by range (at)',
      "create table visits_a partition of visits for values from ('2024-01-01') to ('2025-01-01')",
      "create table visits_b partition of visits for values from ('2025-01-01') to ('2026-01-01')",
      'alter table visits_a add constraint visits_a_host_fk foreign key (host_id) references hosts (id)',
      'alter table visits_b add constraint visits_b_host_fk foreign key (host_id) references hosts (id)',
      // host h has h % 7 visits, alternately in 2024 and 2025
      "insert into visits select row_number() over (), h, case when v % 2 = 0 then date '2024-03-01' else date '2025-03-01' end from generate_series(1, 40) h, generate_series(1, 6) v where v <= h % 7",
    ]);
    await exec(db, ['analyze customers', 'analyze parent', 'analyze child', 'analyze events', 'analyze hosts', 'analyze visits']);
    const schema = await opened.conn.introspect({ schemas: ['public'] });
    profile = await profilePostgres(db, schema, { scan: true, k: 10 });
    json = profileToJson(profile);
  });
  afterAll(async () => {
    await opened?.drop();
  });

  it('exercised the dangerous case: the engine itself lists planted values as most common', async () => {
    const { rows } = await sql<{ mcv: string }>`
      select array_to_json(most_common_vals)::text as mcv from pg_stats where tablename = 'customers' and attname = 'email'`.execute(opened.conn.db);
    expect(rows[0]?.mcv).toContain('planted.alice.7781@example.net');
  });

  it('carries no planted personal value, nor any fragment of one', () => {
    const lower = json.toLowerCase();
    for (const value of PLANTED) expect(json, value).not.toContain(value);
    for (const fragment of PLANTED_FRAGMENTS) expect(lower, fragment).not.toContain(fragment.toLowerCase());
  });

  it('keeps the statistics that are safe to keep', () => {
    const columns = profile.tables['public.customers']!.columns;
    expect(profile.tables['public.customers']!.rowEstimate).toBe(20_000);
    const status = columns['status']!;
    expect(status.mostCommon?.values.slice(0, 3)).toEqual(['active', 'pending', 'suspended']);
    expect([...status.mostCommon!.values].sort()).toEqual(['active', 'banned', 'closed', 'pending', 'suspended']);
    expect(status.mostCommon?.frequencies[0]).toBeCloseTo(0.5, 2);
    expect(columns['amount']!.histogram?.bounds.length).toBeGreaterThan(10);
    expect(typeof columns['amount']!.histogram?.bounds[0]).toBe('number');
    expect(columns['created_at']!.histogram?.bounds[0]).toMatch(/^2024-01-01T/);
    expect(columns['coupon']!.nullFraction).toBeCloseTo(0.3, 1);
    expect(columns['coupon']!.mostCommon?.values.sort()).toEqual(['FALL', 'SPRING']);
    const email = columns['email']!;
    expect(email.personal).toBe(true);
    expect(email.mostCommon).toBeUndefined();
    expect(email.dropped).toContain('mostCommon');
    expect(email.distinctRatio).toBeGreaterThan(0.9);
    expect(email.lengths?.reduce((n, b) => n + b.rows, 0)).toBe(20_000);
    // innocuous names: high-cardinality → values dropped even though 'PLANTED-REF-8842' repeats 200 times
    // …and its values are codes: identifiers, so the detectors keep only its shape whatever its cardinality
    expect(columns['ref_code']!.personal).toBe(true);
    expect(columns['ref_code']!.reason).toMatch(/personal by content: values look like identifier/);
    expect(columns['ref_code']!.mostCommon).toBeUndefined();
    expect(columns['contact']!.mostCommon).toBeUndefined();
    expect(columns['birth_date']!.histogram).toBeUndefined();
    expect(ProfileModel.parse(JSON.parse(json))).toEqual(JSON.parse(json));
  });

  it('profiles a partitioned table from its inherited statistics', () => {
    const events = profile.tables['public.events']!;
    expect(events.rowEstimate).toBe(300);
    expect(events.analysed).toBe(true);
    expect(events.columns['kind']!.mostCommon?.values.sort()).toEqual(['click', 'view']);
    expect(events.columns['kind']!.lengths).toEqual([{ length: '4-7', rows: 300 }]);
    expect(profile.tables['public.events_2025']!.rowEstimate).toBeGreaterThan(0);
  });

  it("gives a partitioned table the fan-out of its partitions' FKs over all its rows", async () => {
    const { rows } = await sql<{ n: number; c: number }>`
      select n::int as n, count(*)::int as c from (
        select h.id, (select count(*) from visits v where v.host_id = h.id) as n from hosts h) s group by n order by n`.execute(opened.conn.db);
    const exact = new Map<string, number>();
    for (const r of rows) exact.set(bucketLabel(r.n), (exact.get(bucketLabel(r.n)) ?? 0) + r.c);
    const fks = Object.values(profile.tables['public.visits']!.foreignKeys);
    expect(fks.map((fk) => `${fk.columns.join(',')}→${fk.references.table}`)).toEqual(['host_id→public.hosts']);
    expect(new Map(fks[0]!.fanout!.map((b) => [b.children, b.parents]))).toEqual(exact);
    // one partition alone sees about half of each host's visits: a different shape
    const a = Object.values(profile.tables['public.visits_a']!.foreignKeys)[0]!.fanout!;
    expect(new Map(a.map((b) => [b.children, b.parents]))).not.toEqual(exact);
  });

  it('gives exact fan-out buckets, zero-child parents included', () => {
    expect(profile.tables['public.child']!.foreignKeys['child_parent_fk']?.fanout).toEqual(FANOUT_EXPECTED);
  });

  it('says which tables were never analysed', () => {
    const t = profile.tables['public.never_analysed']!;
    expect(t.analysed).toBe(false);
    expect(t.rowEstimate).toBeNull();
    expect(t.note).toMatch(/--analyze/);
    expect(profile.notes.join('\n')).toMatch(/public\.never_analysed/);
    expect(formatProfileExplain(profile)).toMatch(/public\.never_analysed {2}no row estimate, NOT analysed/);
  });

  it('profiles 150 tables and 750 indexes without scanning in seconds', async () => {
    await opened.conn.db.connection().execute((c) => exec(c, ['create schema wide', 'set search_path = wide', ...wideSchemaSql(150), 'analyze', 'reset search_path']));
    const t0 = performance.now();
    const schema = await opened.conn.introspect({ schemas: ['wide'] });
    const t1 = performance.now();
    const wide = await profilePostgres(opened.conn.db, schema, { scan: false });
    const t2 = performance.now();
    console.log(`150-table profile (${target.name}): introspect ${Math.round(t1 - t0)} ms, profile ${Math.round(t2 - t1)} ms`);
    expect(Object.keys(wide.tables)).toHaveLength(150);
    expect(Object.values(schema.tables).reduce((n, t) => n + t.indexes.length, 0)).toBeGreaterThanOrEqual(700);
    expect(t2 - t1).toBeLessThan(30_000);
  }, 120_000);

  it('runs ANALYZE only when asked', async () => {
    const schema = await opened.conn.introspect({ schemas: ['public'] });
    const withAnalyze = await profilePostgres(opened.conn.db, schema, { scan: false, analyze: true });
    expect(withAnalyze.tables['public.never_analysed']!.analysed).toBe(true);
    expect(withAnalyze.tables['public.child']!.foreignKeys['child_parent_fk']?.fanout).toBeUndefined();
  });
});

async function scanCounters(url: string): Promise<number> {
  const conn = await connectPostgres(url, postgresDialect);
  try {
    const { rows } = await sql<{ n: string }>`
      select coalesce(sum(coalesce(seq_scan, 0) + coalesce(idx_scan, 0) + coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)), 0)::text as n
      from pg_stat_user_tables`.execute(conn.db);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await conn.close();
  }
}

/** Runs `fn` on its own connection, closed afterwards so its backend flushes its statistics on exit. */
async function onOwnConnection(url: string, fn: (conn: PostgresConnection) => Promise<void>): Promise<void> {
  const conn = await connectPostgres(url, postgresDialect);
  try {
    await fn(conn);
  } finally {
    await conn.close();
  }
  await new Promise((r) => setTimeout(r, 700));
}

describe.skipIf(!PG_URL)('profilePostgres on a server: reading counters', () => {
  let name: string;
  let url: string;
  beforeAll(async () => {
    name = await createScratchDatabase(PG_URL!, 'understudy_profile_test');
    url = urlForDatabase(PG_URL!, name);
    await onOwnConnection(url, async (conn) => {
      await exec(conn.db, [...plantedTableSql('postgres', 2_000), ...FANOUT_SQL, 'analyze']);
    });
  });
  afterAll(async () => {
    if (name) await dropScratchDatabase(PG_URL!, name);
  });

  it('scan: false reads no table rows (pg_stat_user_tables does not move), scan: true does', async () => {
    const before = await scanCounters(url);
    await onOwnConnection(url, async (conn) => {
      await profilePostgres(conn.db, await conn.introspect({ schemas: ['public'] }), { scan: false });
    });
    const afterCatalogOnly = await scanCounters(url);
    expect(afterCatalogOnly).toBe(before);
    // control: the counters do move when the profile scans
    await onOwnConnection(url, async (conn) => {
      await profilePostgres(conn.db, await conn.introspect({ schemas: ['public'] }), { scan: true });
    });
    expect(await scanCounters(url)).toBeGreaterThan(afterCatalogOnly);
  });
});
