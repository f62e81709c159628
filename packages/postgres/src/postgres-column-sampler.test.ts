/**
 * samplePostgresColumns on PGlite (always) and a PostgreSQL server (UNDERSTUDY_TEST_PG_URL):
 * every column as text, NULLs kept, long values cut, a random sample of a small table, block
 * sampling of a big one, partitions read through their parent, and a read-only transaction.
 */
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePostgresColumns } from './postgres-column-sampler.js';
import { connectPostgres, type PostgresConnection } from './postgres-connection.js';
import { openPglite, postgresDialect } from './postgres-dialect.js';
import { createScratchDatabase, dropScratchDatabase, urlForDatabase } from './postgres-scratch-database.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL server sampler test (PGlite still runs)');

const targets: Array<{ name: string; open: () => Promise<{ conn: PostgresConnection; drop(): Promise<void> }> }> = [
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
      const name = await createScratchDatabase(PG_URL, 'understudy_sampler_test');
      const conn = await connectPostgres(urlForDatabase(PG_URL, name), postgresDialect);
      return {
        conn,
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

for (const target of targets) {
  describe(`samplePostgresColumns (${target.name})`, () => {
    let conn: PostgresConnection;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      ({ conn, drop } = await target.open());
      await exec(conn.db, [
        `CREATE TABLE people (id int PRIMARY KEY, email text, tags text[], doc jsonb, born date, note text)`,
        `INSERT INTO people SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE 'p' || g || '@example.org' END, ARRAY['a', 'b'], jsonb_build_object('n', g),
           date '1980-01-01' + g, repeat('x', 5000) FROM generate_series(1, 50) g`,
        `CREATE TABLE big (id int PRIMARY KEY, v text)`,
        `INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 60000) g`,
        `CREATE TABLE parts (id int, at date NOT NULL) PARTITION BY RANGE (at)`,
        `CREATE TABLE parts_2024 PARTITION OF parts FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
        `CREATE TABLE parts_2025 PARTITION OF parts FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')`,
        `INSERT INTO parts SELECT g, date '2024-06-01' + (g * 2) FROM generate_series(1, 200) g`,
        `ANALYZE`,
      ]);
    }, 60_000);

    afterAll(async () => {
      await drop?.();
    });

    it('reads every column as text, keeps NULLs and cuts long values', async () => {
      const schema = await conn.introspect({ schemas: ['public'] });
      const sample = await samplePostgresColumns(conn.db, schema.tables['public.people']!, { limit: 20, maxValueLength: 100 });
      expect(sample.rows).toBe(20);
      expect(sample.method).toBe('ORDER BY random() LIMIT 20');
      const ids = sample.values.get('id')!.map(Number);
      expect(new Set(ids).size).toBe(20);
      const { rows } = await sql<{ id: number; email: string | null }>`select id, email from people`.execute(conn.db);
      const byId = new Map(rows.map((r) => [Number(r.id), r.email]));
      sample.values.get('email')!.forEach((email, i) => expect(email).toBe(byId.get(ids[i]!)));
      expect(sample.values.get('tags')![0]).toBe('{a,b}');
      expect(JSON.parse(sample.values.get('doc')![0]!)).toEqual({ n: ids[0] });
      expect(sample.values.get('note')![0]).toHaveLength(100);
    });

    it('samples a big table by blocks, and a partitioned one through its parent, read-only', async () => {
      const schema = await conn.introspect({ schemas: ['public'] });
      const big = await samplePostgresColumns(conn.db, schema.tables['public.big']!, { limit: 100 });
      expect(big.rows).toBe(100);
      expect(big.method).toMatch(/^(TABLESAMPLE SYSTEM \([\d.]+%\), ORDER BY random\(\) LIMIT 100|ORDER BY random\(\) LIMIT 100 \(block sample too small\))$/);
      const parts = await samplePostgresColumns(conn.db, schema.tables['public.parts']!, { limit: 300 });
      expect(parts.rows).toBe(200);
      expect(new Set(parts.values.get('at')!.map((d) => d!.slice(0, 4)))).toEqual(new Set(['2024', '2025']));
      // the sampler reads in a READ ONLY transaction: a view reports the mode its rows are read in
      await exec(conn.db, [`CREATE VIEW probe_view AS SELECT current_setting('transaction_read_only') AS ro`]);
      const view = { ...schema.tables['public.people']!, name: 'probe_view', columns: [{ name: 'ro', rawType: 'text', kind: 'text' as const, nullable: true, arrayDimensions: 0 }] };
      const probe = await samplePostgresColumns(conn.db, view, { limit: 1 });
      expect(probe.values.get('ro')).toEqual(['on']);
    });
  });
}
