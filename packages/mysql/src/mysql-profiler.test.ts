/**
 * profileMysql on MariaDB (UNDERSTUDY_TEST_MYSQL_URL): planted personal values never
 * reach the profile, useful statistics do, fan-out buckets are exact; plus the
 * MySQL 8 / MariaDB histogram readers on documented JSON and binary shapes.
 */
import { formatProfileExplain, ProfileModel, profileToJson, type Profile } from '@understudy/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FANOUT_EXPECTED, FANOUT_SQL, PLANTED, PLANTED_FRAGMENTS, plantedTableSql, wideSchemaSql } from '@understudy/test-helpers';
import { introspectMysql } from './mysql-introspector.js';
import { mariadbColumnStats, mysqlHistogramStats } from './mysql-histogram.js';
import { openMysql, type MysqlKysely, type MysqlServerVersion } from './mysql-pool.js';
import { profileMysql } from './mysql-profiler.js';
import { parseMysqlUrl } from './mysql-url.js';
import { dropDatabase, TEST_MYSQL_URL, uniqueName, urlWith, withAdmin } from './test-mysql-server.js';

describe('MySQL 8 and MariaDB histogram readers', () => {
  it('reads a MySQL 8 singleton histogram as frequent values (base64 strings, fractions of all rows)', () => {
    const stats = mysqlHistogramStats(
      {
        'histogram-type': 'singleton',
        'null-values': 0.1,
        'data-type': 'string',
        buckets: [
          [`base64:type254:${Buffer.from('active').toString('base64')}`, 0.6],
          [`base64:type254:${Buffer.from('closed').toString('base64')}`, 0.9],
        ],
      },
      {},
    );
    expect(stats.mostCommon).toEqual({ values: ['active', 'closed'], frequencies: [0.6, 0.3] });
    expect(stats.distinctCount).toBe(2);
    expect(stats.nullFraction).toBe(0.1);
    const enumStats = mysqlHistogramStats({ 'histogram-type': 'singleton', 'data-type': 'enum', buckets: [[2, 1]] }, { values: ['a', 'b'] });
    expect(enumStats.mostCommon?.values).toEqual(['b']);
  });

  it('reads a MySQL 8 equi-height histogram as bounds', () => {
    const stats = mysqlHistogramStats(
      {
        'histogram-type': 'equi-height',
        'null-values': 0,
        buckets: [
          [1, 10, 0.5, 10],
          [11, 40, 1, 30],
        ],
      },
      {},
    );
    expect(stats.histogramBounds).toEqual([1, 10, 40]);
    expect(stats.distinctCount).toBe(40);
  });

  it('interpolates MariaDB positional histograms between min and max', () => {
    const histogram = Buffer.alloc(4);
    histogram.writeUInt16LE(0x7fff, 0);
    histogram.writeUInt16LE(0xffff, 2);
    const row = { min_value: Buffer.from('0'), max_value: Buffer.from('100'), nulls_ratio: '0.2500', avg_length: '4.0000', avg_frequency: '2.0000', hist_type: 'DOUBLE_PREC_HB', histogram };
    const stats = mariadbColumnStats(row, { kind: 'integer' }, 1000);
    expect(stats.histogramBounds).toEqual([0, 50, 100]);
    expect(stats.distinctCount).toBe(375);
    expect(mariadbColumnStats(row, { kind: 'varchar' }, 1000).histogramBounds).toBeUndefined();
    const dates = mariadbColumnStats({ ...row, min_value: '2024-01-01', max_value: '2024-01-03', histogram: Buffer.alloc(0) }, { kind: 'date' }, 10);
    expect(dates.histogramBounds).toEqual(['2024-01-01', '2024-01-03']);
  });
});

describe.skipIf(!TEST_MYSQL_URL)('profileMysql on MariaDB', () => {
  const name = uniqueName('understudy_profile_');
  let db: MysqlKysely;
  let version: MysqlServerVersion;
  let profile: Profile;
  let json: string;

  const run = async (statements: readonly string[]): Promise<void> => {
    for (const statement of statements) await sql.raw(statement).execute(db);
  };

  beforeAll(async () => {
    await withAdmin((admin) => sql.raw(`CREATE DATABASE \`${name}\``).execute(admin));
    const url = urlWith({ database: name });
    ({ db, version } = await openMysql(parseMysqlUrl(url), url, { connectionLimit: 2 }));
    await run([...plantedTableSql('mariadb'), ...FANOUT_SQL, 'create table never_analysed (id integer primary key, v integer)']);
    // JSON_HB (MariaDB 10.8+) keeps actual values as bucket starts, frequent ones in buckets of their own:
    // the more dangerous format, so the planted table is analysed with it.
    await db.connection().execute(async (conn) => {
      await sql.raw("SET SESSION histogram_type = 'JSON_HB'").execute(conn);
      await sql.raw('ANALYZE TABLE customers PERSISTENT FOR ALL').execute(conn);
    });
    await run(['ANALYZE TABLE parent PERSISTENT FOR ALL', 'ANALYZE TABLE child PERSISTENT FOR ALL']);
    const schema = await introspectMysql(db, { schemas: [name], version, source: 'mysql://root@127.0.0.1/test' });
    profile = await profileMysql(db, schema, { scan: true, k: 10 });
    json = profileToJson(profile);
  });
  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(name);
  });

  it('exercised the dangerous case: the server keeps a planted e-mail as the column minimum', async () => {
    const { rows } = await sql<{ v: Buffer }>`
      SELECT min_value AS v FROM mysql.column_stats WHERE db_name = ${name} AND table_name = 'customers' AND column_name = 'email'`.execute(db);
    expect(String(rows[0]?.v)).toBe('planted.alice.7781@example.net');
    const hb = await sql<{ h: Buffer }>`
      SELECT histogram AS h FROM mysql.column_stats WHERE db_name = ${name} AND table_name = 'customers' AND column_name = 'ref_code'`.execute(db);
    expect(String(hb.rows[0]?.h)).toContain('PLANTED-REF-8842');
  });

  it('carries no planted personal value, nor any fragment of one', () => {
    const lower = json.toLowerCase();
    for (const value of PLANTED) expect(json, value).not.toContain(value);
    for (const fragment of PLANTED_FRAGMENTS) expect(lower, fragment).not.toContain(fragment.toLowerCase());
  });

  it('keeps the statistics that are safe to keep', () => {
    const table = profile.tables[`${name}.customers`]!;
    expect(table.rowEstimate).toBe(20_000);
    expect(table.analysed).toBe(true);
    const columns = table.columns;
    expect(columns['coupon']!.nullFraction).toBeCloseTo(0.3, 2);
    expect(columns['status']!.distinctCount).toBe(5);
    expect([...columns['status']!.mostCommon!.values].sort()).toEqual(['active', 'banned', 'closed', 'pending', 'suspended']);
    expect(columns['status']!.mostCommon!.frequencies[0]).toBeCloseTo(0.5, 2);
    expect(columns['email']!.dropped).toContain('mostCommon');
    expect(columns['ref_code']!.mostCommon).toBeUndefined();
    expect(columns['amount']!.histogram?.bounds.length).toBeGreaterThan(10);
    expect(columns['created_at']!.histogram?.bounds[0]).toMatch(/^2024-01-01T/);
    expect(columns['birth_date']!.histogram).toBeUndefined();
    expect(columns['email']!.personal).toBe(true);
    expect(columns['email']!.lengths?.reduce((n, b) => n + b.rows, 0)).toBe(20_000);
    // ref_code's values are codes: identifiers, so the detectors keep only its shape whatever its cardinality
    expect(columns['ref_code']!.personal).toBe(true);
    expect(columns['ref_code']!.reason).toMatch(/personal by content: values look like identifier/);
    expect(ProfileModel.parse(JSON.parse(json))).toEqual(JSON.parse(json));
  });

  it('gives exact fan-out buckets, zero-child parents included', () => {
    expect(profile.tables[`${name}.child`]!.foreignKeys['child_parent_fk']?.fanout).toEqual(FANOUT_EXPECTED);
  });

  it('says which tables have no statistics, and builds them with --analyze', async () => {
    const t = profile.tables[`${name}.never_analysed`]!;
    expect(t.analysed).toBe(false);
    expect(t.note).toMatch(/PERSISTENT FOR ALL/);
    expect(formatProfileExplain(profile)).toMatch(/never_analysed .*NOT analysed/);
    const schema = await introspectMysql(db, { schemas: [name], version });
    const analysed = await profileMysql(db, schema, { scan: false, analyze: true });
    expect(analysed.tables[`${name}.never_analysed`]!.analysed).toBe(true);
    expect(analysed.tables[`${name}.child`]!.foreignKeys['child_parent_fk']?.fanout).toBeUndefined();
  });

  it('profiles 150 tables and 750 indexes without scanning in seconds', async () => {
    const wide = uniqueName('understudy_profile_wide_');
    await withAdmin((admin) => sql.raw(`CREATE DATABASE \`${wide}\``).execute(admin));
    try {
      const url = urlWith({ database: wide });
      const { db: wdb } = await openMysql(parseMysqlUrl(url), url, { connectionLimit: 1 });
      try {
        for (const statement of wideSchemaSql(150)) await sql.raw(statement).execute(wdb);
        const t0 = performance.now();
        const schema = await introspectMysql(wdb, { schemas: [wide], version });
        const t1 = performance.now();
        const wideProfile = await profileMysql(wdb, schema, { scan: false });
        const t2 = performance.now();
        console.log(`150-table profile (MariaDB): introspect ${Math.round(t1 - t0)} ms, profile ${Math.round(t2 - t1)} ms`);
        expect(Object.keys(wideProfile.tables)).toHaveLength(150);
        expect(t2 - t1).toBeLessThan(30_000);
      } finally {
        await wdb.destroy();
      }
    } finally {
      await dropDatabase(wide);
    }
  }, 240_000);
});
