/**
 * Shapes of production PostgreSQL schemas that failed `seed` on real projects (hatchet's
 * `sql/schema/*.sql`, lago's `structure.sql`; see docs/corpus.md), each reduced to a small DDL
 * written here: partitioned tables whose partitions the application creates at run time, a
 * statement trigger over a transition table that upserts into another table, an exclusion
 * constraint over a range of a user's range type, and tables with two "creation" columns or an
 * `updatedAt` of lower precision than `createdAt`. Each is seeded through the built CLI into PGlite
 * and PostgreSQL (UNDERSTUDY_TEST_PG_URL), then counted again in SQL written here.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, queryKeptPglite, shapeFiles } from '../seed-shapes.js';

const ROWS = 300;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the runtime shapes on a PostgreSQL server');

const DDL = `
CREATE TABLE tenant (id uuid PRIMARY KEY, name text NOT NULL);

-- Partitions made at run time (hatchet's create_v1_range_partition): none in the schema.
CREATE TABLE task (
  id bigint GENERATED ALWAYS AS IDENTITY,
  inserted_at timestamptz NOT NULL DEFAULT now(),
  tenant_id uuid NOT NULL REFERENCES tenant (id),
  PRIMARY KEY (id, inserted_at)
) PARTITION BY RANGE (inserted_at);
CREATE TABLE task_event (id bigserial PRIMARY KEY, task_id bigint NOT NULL, task_inserted_at timestamptz NOT NULL,
  FOREIGN KEY (task_id, task_inserted_at) REFERENCES task (id, inserted_at));
CREATE TABLE event_log (id bigserial PRIMARY KEY, task_id bigint, task_inserted_at timestamptz,
  FOREIGN KEY (task_id, task_inserted_at) REFERENCES task (id, inserted_at));
CREATE TABLE hashed (id bigint NOT NULL, tenant_id uuid NOT NULL) PARTITION BY HASH (tenant_id);

-- A statement trigger over a transition table, upserting into a table with a unique key.
CREATE TABLE slot_summary (key text NOT NULL, n integer NOT NULL);
CREATE UNIQUE INDEX slot_summary_key ON slot_summary (key);
CREATE TABLE slot (id bigserial PRIMARY KEY, key text NOT NULL);
CREATE FUNCTION slot_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO slot_summary (key, n) SELECT key, count(*) FROM new_rows GROUP BY key
  ON CONFLICT (key) DO UPDATE SET n = slot_summary.n + excluded.n;
  RETURN NULL;
END $$;
CREATE TRIGGER slot_counted AFTER INSERT ON slot REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION slot_count();

-- No two rows of a day hold overlapping ranges: a range type of the user's over uuid, and a tstzrange.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TYPE uuidrange AS RANGE (SUBTYPE = uuid);
CREATE TABLE block_index (
  day date NOT NULL,
  ids uuidrange NOT NULL,
  file_key text NOT NULL UNIQUE,
  EXCLUDE USING gist (day WITH =, ids WITH &&)
);
CREATE TABLE booking (id serial PRIMARY KEY, room integer NOT NULL, during tstzrange NOT NULL,
  EXCLUDE USING gist (room WITH =, during WITH &&));

-- Two columns named for creation: the one named created is the row's creation.
CREATE TABLE quantified_event (id uuid PRIMARY KEY, added_at timestamp NOT NULL, removed_at timestamp,
  created_at timestamp NOT NULL, updated_at timestamp NOT NULL, deleted_at timestamp);
CREATE TABLE runtime_slot (task_id bigint NOT NULL, task_inserted_at timestamptz NOT NULL, slot_type text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, task_inserted_at, slot_type));
-- updatedAt keeps milliseconds, createdAt microseconds (Prisma's TIMESTAMP(3) beside a TIMESTAMP(6)).
CREATE TABLE "Event" (id uuid PRIMARY KEY, "createdAt" timestamp(6) NOT NULL DEFAULT clock_timestamp(),
  "updatedAt" timestamp(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "deletedAt" timestamp(3), key text NOT NULL);
`;

const scratch = scratchEngines('understudy_runtime');
const scratchPostgres = scratch.engines.find((e) => e.name === 'postgres')!;

const files = shapeFiles('understudy-runtime-shapes-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

/** Every expectation, in SQL. */
async function expectShapes(query: Query): Promise<void> {
  // No partition: no row fits, so none is written, nor rows that must reference one; the rest are.
  expect(await count(query, 'SELECT count(*) FROM task')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM hashed')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM task_event')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM event_log')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM event_log WHERE task_id IS NOT NULL OR task_inserted_at IS NOT NULL')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM tenant')).toBe(ROWS);

  // The statement trigger did not run during the load (its upsert would meet the key set aside), and runs again after it.
  expect(await count(query, 'SELECT count(*) FROM slot')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM slot_summary')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM (SELECT key FROM slot_summary GROUP BY key HAVING count(*) > 1) d')).toBe(0);
  expect(await count(query, "SELECT count(*) FROM pg_trigger WHERE tgname = 'slot_counted' AND tgenabled = 'O'")).toBe(1);

  // Exclusion constraints hold: no two rows with the same day (room) overlap.
  expect(await count(query, 'SELECT count(*) FROM block_index')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM block_index a JOIN block_index b ON a.ctid <> b.ctid AND a.day = b.day AND a.ids && b.ids')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM booking')).toBe(ROWS);
  expect(await count(query, 'SELECT count(*) FROM booking a JOIN booking b ON a.id <> b.id AND a.room = b.room AND a.during && b.during')).toBe(0);

  // The row's creation comes before its update and deletion in every row.
  expect(await count(query, 'SELECT count(*) FROM quantified_event WHERE created_at > updated_at OR created_at > deleted_at')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM quantified_event WHERE deleted_at IS NOT NULL')).toBeGreaterThan(0);
  expect(await count(query, 'SELECT count(*) FROM runtime_slot WHERE created_at > updated_at')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM "Event" WHERE "createdAt" > "updatedAt" OR "createdAt" > "deletedAt"')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM "Event" WHERE "updatedAt" - "createdAt" < interval \'1 millisecond\'')).toBeGreaterThan(0);
}

describe('production shapes of run-time partitions, statement triggers, exclusion constraints and creation columns', () => {
  it('seeds them into PGlite from the file, and the rows hold in SQL', async () => {
    const file = await files.ddlFile(DDL);
    const data = join(file, '..', 'db');
    const result = await runCli(['seed', '--from', file, '--pglite', data, '--rows', String(ROWS)]);
    expect(result.code, result.stderr).toBe(0);
    await queryKeptPglite(data, ['btree_gist'], expectShapes);
    // The plan says why the partitioned tables and their required children get no rows.
    const plan = await runCli(['plan', '--from', file, '--rows', String(ROWS)]);
    expect(plan.code, plan.stderr).toBe(0);
    const notes = JSON.parse(plan.stdout) as { tables: Record<string, { notes: string[] }> };
    expect(notes.tables['public.task']!.notes.join('\n')).toMatch(/PARTITION BY RANGE \(inserted_at\) with no partition yet/);
    expect(notes.tables['public.task_event']!.notes.join('\n')).toMatch(/every row must reference public\.task, which gets none/);
  }, 120_000);

  it.skipIf(!pgUrl)(
    'seeds them into PostgreSQL, and the rows hold in SQL',
    async () => {
      const db = await scratchPostgres.create();
      await db.query(DDL);
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      await expectShapes(db.query);
    },
    120_000,
  );
});
