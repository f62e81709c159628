/**
 * Classes found rehearsing large real Prisma histories as a new user (docs/corpus.md,
 * 2026-12-08), each reproduced with a small Prisma folder written for this project and run
 * through the built CLI, the rehearsal's database kept (a PGlite folder) so that the test's
 * own SQL can check what the report says:
 *
 * - a Prisma-shaped folder whose runner also applies migrations in code (formbricks:
 *   `<ts>_backfill_workspace_id/migration.ts` between SQL folders): the SQL migration after
 *   the backfill fails for want of it, and the report says which code migrations came before
 *   the failure and were not run, instead of "Prisma would fail on it, so it is ignored".
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@understudy/postgres';
import { RehearsalReportModel } from '@understudy/rehearse';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: the refused-rows rehearsal runs on PGlite only');

const work = await mkdtemp(join(tmpdir(), 'understudy-real-prisma-'));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A Prisma folder: `migration_lock.toml` and, per entry, `<folder>/<file>` with its text. */
async function prismaFolder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path.split('/')[0]!), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/** Runs SQL on a PGlite folder the rehearsal kept. */
async function onKept<T>(dataDir: string, check: (query: (sql: string) => Promise<Array<Record<string, unknown>>>) => Promise<T>): Promise<T> {
  const conn = await openPglite({ dataDir });
  try {
    return await check(async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await conn.close();
  }
}

describe('a Prisma-shaped folder with migrations in code', () => {
  it('names the code migrations before a failure, which the rehearsal did not run', async () => {
    const dir = await prismaFolder('code-migrations', {
      '20260101000000_init/migration.sql':
        'CREATE TABLE "Workspace" ("id" TEXT NOT NULL, CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id"));\n' +
        'CREATE TABLE "Survey" ("id" TEXT NOT NULL, "environmentId" TEXT NOT NULL, CONSTRAINT "Survey_pkey" PRIMARY KEY ("id"));\n',
      '20260102000000_add_workspace_id/migration.sql': 'ALTER TABLE "Survey" ADD COLUMN "workspaceId" TEXT;\n',
      '20260103000000_backfill_workspace_id/migration.ts':
        'export const run = async ({ tx }) => {\n  await tx.$executeRawUnsafe(`UPDATE "Survey" SET "workspaceId" = (SELECT "id" FROM "Workspace" LIMIT 1)`);\n};\n',
      '20260104000000_make_workspace_id_not_null/migration.sql': '-- AlterTable\nALTER TABLE "Survey" ALTER COLUMN "workspaceId" SET NOT NULL;\n',
    });
    const json = join(work, 'code.json');
    const kept = join(work, 'code-db');
    const result = await runCli(['rehearse', dir, '--pending', '2', '--rows', '50', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['20260102000000', 'passed'],
      ['20260104000000', 'failed'],
    ]);
    expect(report.migrations[1]!.failure!.error).toMatch(/column "workspaceId" of relation "Survey" contains null values/);
    // What was read, and why the failure may be the rehearsal's.
    expect(report.notes).toContain(
      "20260103000000_backfill_workspace_id/ holds migration.ts, not migration.sql: a migration in code, applied by the project's own runner (Prisma Migrate would fail on the folder); the rehearsal cannot run it, so the migrations after it run without what it does (rehearse the runner with --command to include it)",
    );
    expect(report.notes).toContain(
      "20260104000000 make_workspace_id_not_null failed, and a migration in code comes before it that the rehearsal did not run (20260103000000_backfill_workspace_id/migration.ts): if it needs what that one does (a backfill, a data fix), the failure is the rehearsal's, not the history's; rehearse the project's own runner with --command to include it",
    );
    expect(result.stdout).toContain('note: 20260104000000 make_workspace_id_not_null failed, and a migration in code comes before it');

    // The failure is true of the SQL alone: the column the backfill would fill is all NULL (the rehearsal rolled the failed migration back).
    const found = await onKept(kept, (q) => q('SELECT count(*)::int AS n, count("workspaceId")::int AS filled FROM "Survey"'));
    expect(found).toEqual([{ n: 50, filled: 0 }]);
  });
});

describe('INSERT … SELECT into a NOT NULL column', () => {
  it('shows the rows the query would insert with that column NULL, and the query that finds them', async () => {
    const dir = await prismaFolder('insert-select', {
      '20260101000000_init/migration.sql':
        "CREATE TYPE \"SigningOrder\" AS ENUM ('PARALLEL', 'SEQUENTIAL');\n" +
        'CREATE TABLE "Template" ("id" SERIAL NOT NULL, CONSTRAINT "Template_pkey" PRIMARY KEY ("id"));\n' +
        'CREATE TABLE "TemplateMeta" ("id" TEXT NOT NULL, "subject" TEXT, "signingOrder" "SigningOrder" DEFAULT \'PARALLEL\', "templateId" INTEGER NOT NULL, CONSTRAINT "TemplateMeta_pkey" PRIMARY KEY ("id"));\n' +
        'CREATE UNIQUE INDEX "TemplateMeta_templateId_key" ON "TemplateMeta"("templateId");\n' +
        'ALTER TABLE "TemplateMeta" ADD CONSTRAINT "TemplateMeta_templateId_fkey" FOREIGN KEY ("templateId") REFERENCES "Template"("id");\n' +
        'CREATE TABLE "DocumentMeta" ("id" TEXT NOT NULL, "subject" TEXT, "signingOrder" "SigningOrder" NOT NULL DEFAULT \'PARALLEL\', CONSTRAINT "DocumentMeta_pkey" PRIMARY KEY ("id"));\n',
      '20260102000000_remove_template_metadata/migration.sql':
        '-- AlterTable\nALTER TABLE "DocumentMeta" ADD COLUMN "templateId" INTEGER;\n\n' +
        '-- [CUSTOM_CHANGE] Migrate existing TemplateMeta to DocumentMeta\n' +
        'INSERT INTO "DocumentMeta" (\n  "id",\n  "subject",\n  "signingOrder",\n  "templateId"\n)\nSELECT\n  gen_random_uuid()::text, -- new ids\n  "subject",\n  "signingOrder",\n  "templateId"\nFROM "TemplateMeta";\n\n' +
        '-- DropTable\nDROP TABLE "TemplateMeta";\n',
    });
    const json = join(work, 'insert-select.json');
    const kept = join(work, 'insert-select-db');
    const result = await runCli(['rehearse', dir, '--rows', '200', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const failure = report.migrations[0]!.failure!;
    expect(failure.line).toBe(5);
    expect(failure.error).toBe('null value in column "signingOrder" of relation "DocumentMeta" violates not-null constraint');
    const found = failure.offendingRows!;
    expect(found.description).toBe('rows the INSERT … SELECT would put into public.DocumentMeta with signingOrder NULL');
    // The made-up id (gen_random_uuid()) is not shown; the copied templateId says which rows.
    expect(Object.keys(found.rows[0]!)).toEqual(['templateId', 'signingOrder']);
    expect(result.stdout).toContain(`rows the INSERT … SELECT would put into public.DocumentMeta with signingOrder NULL: ${found.total} rows`);

    // Checked on the kept database (the failed migration was rolled back): TemplateMeta's NULLs are those rows.
    await onKept(kept, async (q) => {
      const nulls = await q('SELECT "templateId"::text AS t FROM "TemplateMeta" WHERE "signingOrder" IS NULL ORDER BY 1');
      expect(nulls.length).toBeGreaterThan(0);
      expect(found.total).toBe(nulls.length);
      const shown = found.rows.map((r) => r['templateId']);
      expect(shown.every((t) => nulls.some((n) => n['t'] === t))).toBe(true);
      expect(found.rows.every((r) => r['signingOrder'] === null)).toBe(true);
      // The query the report gives finds them too.
      expect((await q(found.query)).length).toBe(nulls.length);
    });
  });
});

describe.each(['pglite', ...(PG_URL ? ['postgres'] : [])])('rows refused by a constraint the generator does not follow, on %s', (engine) => {
  it('leaves that table and those that must reference it empty, says so, and runs the pending migrations', async () => {
    const dir = await prismaFolder(`refused-${engine}`, {
      '20260101000000_init/migration.sql':
        'CREATE TABLE "EmailAccount" ("id" TEXT NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "EmailAccount_pkey" PRIMARY KEY ("id"));\n' +
        'CREATE TABLE "Booking" ("id" TEXT NOT NULL, "emailAccountId" TEXT NOT NULL, "startTime" TIMESTAMP(3) NOT NULL, "endTime" TIMESTAMP(3) NOT NULL, CONSTRAINT "Booking_pkey" PRIMARY KEY ("id"));\n' +
        'ALTER TABLE "Booking" ADD CONSTRAINT "Booking_emailAccountId_fkey" FOREIGN KEY ("emailAccountId") REFERENCES "EmailAccount"("id");\n' +
        'CREATE TABLE "BookingNote" ("id" TEXT NOT NULL, "bookingId" TEXT NOT NULL, "body" TEXT, CONSTRAINT "BookingNote_pkey" PRIMARY KEY ("id"));\n' +
        'ALTER TABLE "BookingNote" ADD CONSTRAINT "BookingNote_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id");\n',
      // A CHECK the generator cannot read (an exclusion over tsrange("startTime", "endTime") was one, and is followed now).
      '20260102000000_booking_on_the_hour/migration.sql': 'ALTER TABLE "Booking" ADD CONSTRAINT "Booking_on_the_hour" CHECK (date_trunc(\'hour\', "startTime") = "startTime");\n',
      '20260103000000_add_booking_title/migration.sql': '-- AlterTable\nALTER TABLE "Booking" ADD COLUMN "title" TEXT;\nALTER TABLE "EmailAccount" ADD COLUMN "timeZone" TEXT;\n',
    });
    const json = join(work, `refused-${engine}.json`);
    const kept = join(work, `refused-${engine}-db`);
    const where = engine === 'pglite' ? ['--url', `pglite://${kept}`] : ['--url', PG_URL!, '--keep'];
    const result = await runCli(['rehearse', dir, '--rows', '300', '--no-down', ...where, '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => m.status)).toEqual(['passed']);
    expect(report.notes).toContainEqual(
      expect.stringMatching(
        /^seed: public\.Booking is left empty: its generated rows broke a constraint the generator does not follow \(new row for relation "Booking" violates check constraint "Booking_on_the_hour"\); the pending migrations run on it without rows, and on public\.BookingNote \(every row must reference it\)/,
      ),
    );
    expect(report.seed.rows).toBe(300);

    // Checked on the database the rehearsal kept: the accounts were seeded, the bookings and their notes not; the pending columns are there.
    const check = async (q: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<void> => {
      expect(await q('SELECT (SELECT count(*) FROM "EmailAccount")::int AS a, (SELECT count(*) FROM "Booking")::int AS b, (SELECT count(*) FROM "BookingNote")::int AS n')).toEqual([
        { a: 300, b: 0, n: 0 },
      ]);
      expect(await q(`SELECT column_name AS c FROM information_schema.columns WHERE table_name IN ('Booking', 'EmailAccount') AND column_name IN ('title', 'timeZone') ORDER BY 1`)).toEqual([
        { c: 'timeZone' },
        { c: 'title' },
      ]);
    };
    if (engine === 'pglite') return onKept(kept, check);
    const database = /\/(understudy_rehearse_\w+)/.exec(report.environment)![1]!;
    const url = new URL(PG_URL!);
    url.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await check(async (sql) => (await client.query<Record<string, unknown>>(sql)).rows);
    } finally {
      await client.end();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.end();
    }
  });
});

describe('a column rebuilt from its own values under another type', () => {
  it('is converted, not lost; a part of a JSON document kept is still a loss', async () => {
    const dir = await prismaFolder('converted', {
      '20260101000000_init/migration.sql': 'CREATE TABLE "scheduled_events" ("id" TEXT NOT NULL, "location" TEXT, "billing" JSONB, CONSTRAINT "scheduled_events_pkey" PRIMARY KEY ("id"));\n',
      '20260102000000_structured_location/migration.sql':
        'ALTER TABLE "scheduled_events" ADD COLUMN "location_json" JSONB;\n\n' +
        '-- Backfill location_json from any existing non-empty free-text location.\n' +
        'UPDATE "scheduled_events"\nSET "location_json" = jsonb_build_object(\'provider\', \'custom\', \'address\', "location")\nWHERE "location" IS NOT NULL;\n\n' +
        'ALTER TABLE "scheduled_events" DROP COLUMN "location";\nALTER TABLE "scheduled_events" RENAME COLUMN "location_json" TO "location";\n\n' +
        'ALTER TABLE "scheduled_events" ADD COLUMN "plan" TEXT;\nUPDATE "scheduled_events" SET "plan" = "billing"->>\'plan\' WHERE "billing" IS NOT NULL;\nALTER TABLE "scheduled_events" DROP COLUMN "billing";\n',
    });
    const json = join(work, 'converted.json');
    const kept = join(work, 'converted-db');
    const result = await runCli(['rehearse', dir, '--rows', '200', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(1);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    const billing = report.dataChanges[0]!.columns.find((c) => c.column === 'billing')!;
    // Only the part of billing is gone: one hazard, and none about location.
    expect(report.hazards.map((h) => [h.kind, h.message])).toEqual([['data-lost', `column public.scheduled_events.billing was dropped with ${200 - billing.nullsBefore} non-NULL values`]]);
    expect(result.stdout).not.toMatch(/location was dropped/);

    // Checked on the kept database: every row that had a location has it, whole, as the JSON's address.
    await onKept(kept, async (q) => {
      const [row] = await q(
        `SELECT count(*)::int AS rows, count("location")::int AS converted, count(*) FILTER (WHERE "location"->>'address' IS NOT NULL AND "location"->>'provider' = 'custom')::int AS whole FROM "scheduled_events"`,
      );
      expect(row).toEqual({ rows: 200, converted: row!['whole'], whole: row!['converted'] });
      expect(Number(row!['converted'])).toBeGreaterThan(100);
      const update = report.migrations[0]!.statements.find((s) => s.sql.startsWith('UPDATE "scheduled_events" SET "location_json"'))!;
      expect(update.rowsAffected).toBe(row!['converted']);
    });
  });
});

describe('a table renamed, then a column of it renamed and rewritten', () => {
  it('is moved to its new name, not dropped with its rows', async () => {
    const dir = await prismaFolder('renamed-table', {
      '20260101000000_init/migration.sql':
        'CREATE TABLE "BookingLink" ("id" TEXT NOT NULL, "scheduleId" TEXT NOT NULL, CONSTRAINT "BookingLink_pkey" PRIMARY KEY ("id"));\n' +
        'CREATE TABLE "BookingWindow" ("id" TEXT NOT NULL, "dayOfWeek" INTEGER NOT NULL, "bookingLinkId" TEXT NOT NULL, CONSTRAINT "BookingWindow_pkey" PRIMARY KEY ("id"));\n' +
        'ALTER TABLE "BookingWindow" ADD CONSTRAINT "BookingWindow_bookingLinkId_fkey" FOREIGN KEY ("bookingLinkId") REFERENCES "BookingLink"("id");\n',
      '20260102000000_availability_schedules/migration.sql':
        'ALTER TABLE "BookingWindow" RENAME TO "AvailabilityWindow";\n' +
        'ALTER TABLE "AvailabilityWindow" DROP CONSTRAINT "BookingWindow_bookingLinkId_fkey";\n' +
        'ALTER TABLE "AvailabilityWindow" RENAME COLUMN "bookingLinkId" TO "availabilityScheduleId";\n' +
        'UPDATE "AvailabilityWindow" w SET "availabilityScheduleId" = bl."scheduleId" FROM "BookingLink" bl WHERE w."availabilityScheduleId" = bl.id;\n',
    });
    const json = join(work, 'renamed-table.json');
    const kept = join(work, 'renamed-table-db');
    const result = await runCli(['rehearse', dir, '--rows', '100', '--no-down', '--url', `pglite://${kept}`, '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.hazards).toEqual([]);
    expect(report.dataChanges.find((t) => t.table === 'public.BookingWindow')?.movedTo).toBe('public.AvailabilityWindow (20260102000000)');
    // Checked on the kept database: every window is there under the new name, pointing at its link's schedule.
    await onKept(kept, async (q) => {
      expect(await q('SELECT count(*)::int AS n, count(*) FILTER (WHERE "availabilityScheduleId" IN (SELECT "scheduleId" FROM "BookingLink"))::int AS linked FROM "AvailabilityWindow"')).toEqual([
        { n: 100, linked: 100 },
      ]);
    });
  });
});
