/**
 * The snapshot reader's row estimates (a server), and `wholeTuples`: where a binary COPY stream cut anywhere stops holding whole tuples, and
 * whether its trailer follows; the binary reader yields exactly those bytes, so a tuple is
 * never split between two chunks whatever the socket's pieces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, type PostgresServerConnection } from './postgres-connection.js';
import { postgresDialect } from './postgres-dialect.js';
import { wholeTuples } from './postgres-reader.js';
import { createScratchDatabase, dropScratchDatabase, urlForDatabase } from './postgres-scratch-database.js';
import { TEST_PG_URL } from './test-load-targets.js';

/** A tuple of the given fields (null: NULL), as binary COPY writes it. */
function tuple(fields: readonly (Uint8Array | null)[]): number[] {
  const out = [fields.length >> 8, fields.length & 0xff];
  for (const f of fields) {
    const n = f === null ? -1 : f.length;
    out.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...(f ?? []));
  }
  return out;
}

describe('wholeTuples', () => {
  const a = tuple([Uint8Array.of(1, 2, 3, 4), null, new Uint8Array(0)]);
  const b = tuple([new TextEncoder().encode('Zebulon'), Uint8Array.of(9)]);
  const stream = Uint8Array.from([...a, ...b, 0xff, 0xff]);

  it('stops after the last whole tuple at every cut, and sees the trailer only when it is there', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const { end, trailer } = wholeTuples(stream.subarray(0, cut), 0);
      const expected = cut >= a.length + b.length ? a.length + b.length : cut >= a.length ? a.length : 0;
      expect([cut, end, trailer]).toEqual([cut, expected, cut === stream.length]);
    }
  });

  it('starts where it is told (after a header)', () => {
    const withHeader = Uint8Array.from([7, 7, 7, ...a, ...b]);
    expect(wholeTuples(withHeader, 3)).toEqual({ end: 3 + a.length + b.length, trailer: false });
  });
});

describe.skipIf(!TEST_PG_URL)('the snapshot reader on a server: row estimates', () => {
  let name: string;
  let conn: PostgresServerConnection;
  beforeAll(async () => {
    name = await createScratchDatabase(TEST_PG_URL!, 'understudy_estimate_test');
    conn = await connectPostgres(urlForDatabase(TEST_PG_URL!, name), postgresDialect);
  });
  afterAll(async () => {
    await conn?.close();
    if (name) await dropScratchDatabase(TEST_PG_URL!, name);
  });

  it("reads the statistics' density times the pages there are now, sums partitions, and gives none for a table never analyzed", async () => {
    await conn.pool.query(`
      CREATE TABLE grown (id int, pad text);
      INSERT INTO grown SELECT g, repeat('x', 40) FROM generate_series(1, 5000) g;
      ANALYZE grown;
      INSERT INTO grown SELECT g, repeat('x', 40) FROM generate_series(5001, 15000) g;
      CREATE TABLE parted (id int, at date) PARTITION BY RANGE (at);
      CREATE TABLE parted_a PARTITION OF parted FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');
      CREATE TABLE parted_b PARTITION OF parted FOR VALUES FROM ('2021-01-01') TO ('2022-01-01');
      INSERT INTO parted SELECT g, DATE '2020-01-01' + (g % 700) FROM generate_series(1, 7000) g;
      ANALYZE parted_a; ANALYZE parted_b;
      CREATE TABLE "Odd ""name""" (id int) WITH (autovacuum_enabled = false);
      INSERT INTO "Odd ""name""" SELECT generate_series(1, 300);
      CREATE TABLE never (id int) WITH (autovacuum_enabled = false);`);
    const schema = await conn.introspect({ schemas: ['public'] });
    const tables = ['public.grown', 'public.parted', 'public.Odd "name"', 'public.never'].map((k) => schema.tables[k]!);
    const reader = await conn.openSnapshot();
    try {
      const estimates = await reader.estimate!(tables);
      const counts: number[] = [];
      for (const t of tables) counts.push(await reader.count(t));
      expect(counts).toEqual([15000, 7000, 300, 0]);
      // the density of the analyzed 5,000 rows over the pages of all 15,000 (the planner's own estimate)
      expect(Math.abs(estimates[0]! - 15000)).toBeLessThan(15000 * 0.05);
      expect(estimates[1]).toBe(7000);
      // never analyzed (no vacuum ran yet): no estimate, whether it holds rows or none
      expect(estimates.slice(2)).toEqual([undefined, undefined]);
    } finally {
      await reader.close();
    }
  });
});
