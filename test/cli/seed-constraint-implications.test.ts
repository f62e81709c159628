/**
 * Three classes of constraints from real Prisma histories that the seed used to break (rehearse then
 * left the table empty, docs/corpus.md): an exclusion constraint over a range built from two columns
 * (inbox-zero's `EXCLUDE USING gist ("emailAccountId" WITH =, tsrange("startTime", "endTime") WITH
 * &&)`), CHECKs that tie a boolean to NULLs or values (rallly's `NOT all_day OR time_zone IS NULL`
 * and its family, ente's `(is_deleted IS TRUE AND encrypted_data IS NULL) OR (is_deleted IS FALSE AND
 * encrypted_data IS NOT NULL)` over a nullable flag), and a unique key over part of a composite foreign key (inbox-zero's
 * `"emailAccountId"` unique inside `("messagingChannelId", "emailAccountId") →
 * "MessagingChannel"(id, "emailAccountId")`). Each is reduced to a small DDL written here, seeded
 * through the built CLI into PGlite and PostgreSQL (UNDERSTUDY_TEST_PG_URL), and checked in SQL
 * written here: every constraint holds and no table is empty.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, queryKeptPglite, shapeFiles } from '../seed-shapes.js';

const ROWS = 200;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the constraint classes on a PostgreSQL server');

const DDL = `
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE "EmailAccount" ("id" TEXT PRIMARY KEY, "email" TEXT NOT NULL UNIQUE);

-- No two events of an account overlap; no two shifts overlap at all, closed bounds; seats per room.
CREATE TABLE "CalendarEvent" ("id" TEXT PRIMARY KEY, "emailAccountId" TEXT NOT NULL REFERENCES "EmailAccount"("id"),
  "startTime" TIMESTAMP(3) NOT NULL, "endTime" TIMESTAMP(3) NOT NULL, "title" TEXT,
  CONSTRAINT "CalendarEvent_no_overlap" EXCLUDE USING gist ("emailAccountId" WITH =, tsrange("startTime", "endTime") WITH &&));
CREATE TABLE shift (id serial PRIMARY KEY, starts_on date, ends_on date NOT NULL,
  EXCLUDE USING gist (daterange(starts_on, ends_on, '[]') WITH &&));
CREATE TABLE seat (id serial PRIMARY KEY, room int NOT NULL, lo int NOT NULL, hi int NOT NULL,
  EXCLUDE USING gist (room WITH =, int4range(lo, hi) WITH &&));

-- rallly's all-day events, both CHECKs; a zone NULL exactly when all-day; the family of implications.
CREATE TABLE scheduled_events (id TEXT PRIMARY KEY, title TEXT NOT NULL, time_zone TEXT,
  start TIMESTAMP(3) NOT NULL, "end" TIMESTAMP(3) NOT NULL, all_day BOOLEAN NOT NULL DEFAULT false,
  CONSTRAINT all_day_is_floating CHECK (NOT all_day OR time_zone IS NULL),
  CONSTRAINT all_day_is_utc_midnight CHECK (NOT all_day OR (date_trunc('day', start) = start AND date_trunc('day', "end") = "end" AND "end" > start)));
CREATE TABLE event_slot (id serial PRIMARY KEY, all_day boolean NOT NULL DEFAULT false, time_zone text,
  CONSTRAINT floating CHECK (NOT all_day OR time_zone IS NULL),
  CONSTRAINT zoned CHECK (all_day OR time_zone IS NOT NULL));
CREATE TABLE implications (id serial PRIMARY KEY, a boolean NOT NULL, b text, c text, d text, e boolean, n integer,
  CONSTRAINT needs_b CHECK (NOT a OR b IS NOT NULL),
  CONSTRAINT one_of CHECK (c IS NULL OR d IS NULL),
  CONSTRAINT positive CHECK ((NOT e) OR (n > 0)),
  CONSTRAINT paid CHECK (e OR n IS NULL));
-- ente's soft-deleted entities: a nullable flag tested with IS TRUE / IS FALSE, which a NULL flag fails.
CREATE TABLE entity_data (id uuid PRIMARY KEY, encrypted_data text, is_deleted boolean DEFAULT false,
  CONSTRAINT entity_data_state_constraint CHECK ((is_deleted IS TRUE AND encrypted_data IS NULL) OR (is_deleted IS FALSE AND encrypted_data IS NOT NULL)));

-- A unique key over part of a composite foreign key.
CREATE TABLE "MessagingChannel" ("id" TEXT PRIMARY KEY, "emailAccountId" TEXT NOT NULL REFERENCES "EmailAccount"("id"), "name" TEXT NOT NULL,
  UNIQUE ("id", "emailAccountId"));
CREATE TABLE "ChannelSetting" ("id" TEXT PRIMARY KEY, "messagingChannelId" TEXT NOT NULL, "emailAccountId" TEXT NOT NULL UNIQUE,
  FOREIGN KEY ("messagingChannelId", "emailAccountId") REFERENCES "MessagingChannel"("id", "emailAccountId"));
`;

const scratch = scratchEngines('understudy_implications');
const scratchPostgres = scratch.engines.find((e) => e.name === 'postgres')!;
const files = shapeFiles('understudy-implications-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

const overlaps = (table: string, range: string, same = 'true'): string =>
  `SELECT count(*) FROM ${table} a JOIN ${table} b ON a.ctid <> b.ctid AND ${same} AND ${range.replace(/\$/g, 'a')} && ${range.replace(/\$/g, 'b')}`;

/** Every expectation, in SQL. */
async function expectClasses(query: Query): Promise<void> {
  // 1. Exclusion over a range of two columns: full tables, no overlap, no NULL bound, upper after lower.
  for (const table of ['"CalendarEvent"', 'shift', 'seat']) expect(await count(query, `SELECT count(*) FROM ${table}`), table).toBe(ROWS);
  expect(await count(query, overlaps('"CalendarEvent"', 'tsrange($."startTime", $."endTime")', 'a."emailAccountId" = b."emailAccountId"'))).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM "CalendarEvent" WHERE "endTime" < "startTime"')).toBe(0);
  expect(await count(query, overlaps('shift', "daterange($.starts_on, $.ends_on, '[]')"))).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM shift WHERE starts_on IS NULL OR ends_on < starts_on')).toBe(0);
  expect(await count(query, overlaps('seat', 'int4range($.lo, $.hi)', 'a.room = b.room'))).toBe(0);

  // 2. Booleans tied to NULLs and values: full tables, each CHECK true in every row, both values of the boolean where allowed.
  for (const table of ['scheduled_events', 'event_slot', 'implications', 'entity_data']) expect(await count(query, `SELECT count(*) FROM ${table}`), table).toBe(ROWS);
  expect(await count(query, "SELECT count(*) FROM scheduled_events WHERE all_day AND (time_zone IS NOT NULL OR date_trunc('day', start) <> start)")).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM scheduled_events WHERE time_zone IS NOT NULL')).toBeGreaterThan(0);
  expect(await count(query, 'SELECT count(*) FROM event_slot WHERE all_day <> (time_zone IS NULL)')).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT all_day) FROM event_slot')).toBe(2);
  expect(await count(query, 'SELECT count(*) FROM implications WHERE (a AND b IS NULL) OR (c IS NOT NULL AND d IS NOT NULL) OR (e AND n <= 0) OR (NOT e AND n IS NOT NULL)')).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT a) + count(DISTINCT e) FROM implications')).toBe(4);
  expect(await count(query, 'SELECT count(*) FROM entity_data WHERE is_deleted IS NULL OR is_deleted <> (encrypted_data IS NULL)')).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT is_deleted) FROM entity_data')).toBe(2);

  // 3. A unique key over part of a composite foreign key: rows, each account once, each pair a channel's.
  const settings = await count(query, 'SELECT count(*) FROM "ChannelSetting"');
  expect(settings).toBeGreaterThan(0);
  expect(await count(query, 'SELECT count(DISTINCT "emailAccountId") FROM "ChannelSetting"')).toBe(settings);
  expect(
    await count(query, 'SELECT count(*) FROM "ChannelSetting" s LEFT JOIN "MessagingChannel" m ON m.id = s."messagingChannelId" AND m."emailAccountId" = s."emailAccountId" WHERE m.id IS NULL'),
  ).toBe(0);
  // As many as the channels' accounts allow.
  expect(await count(query, 'SELECT count(DISTINCT "emailAccountId") FROM "MessagingChannel"')).toBe(settings);
}

describe('exclusion ranges of two columns, booleans tied by CHECKs, a unique key inside a composite foreign key', () => {
  it('seeds them into PGlite from the file; every constraint holds and no table is empty', async () => {
    const file = await files.ddlFile(DDL);
    const data = join(file, '..', 'db');
    const result = await runCli(['seed', '--from', file, '--pglite', data, '--rows', String(ROWS)]);
    expect(result.code, result.stderr).toBe(0);
    await queryKeptPglite(data, ['btree_gist'], expectClasses);
    // The plan says why the settings table has fewer rows than asked.
    const plan = await runCli(['plan', '--from', file, '--rows', String(ROWS)]);
    expect(plan.code, plan.stderr).toBe(0);
    const notes = (JSON.parse(plan.stdout) as { tables: Record<string, { notes: string[] }> }).tables['public.ChannelSetting']!.notes.join('\n');
    expect(notes).toMatch(/^rows capped at \d+ \(asked 200\): .*"?ChannelSetting_emailAccountId_key"? needs a row of public\.MessagingChannel with its own emailAccountId per row/m);
  }, 60_000);

  it.skipIf(!pgUrl)(
    'seeds them into PostgreSQL 15; every constraint holds and no table is empty',
    async () => {
      const db = await scratchPostgres.create();
      await db.query(DDL);
      const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
      expect(result.code, result.stderr).toBe(0);
      await expectClasses(db.query);
    },
    60_000,
  );
});
