/**
 * The baseline runs untraced (`RehearsalTarget.run`): a long history reaches its pending
 * migrations without reading the catalog around each of its statements, and the pending ones
 * are traced exactly as when the baseline was traced too. A Prisma folder of 90 migrations
 * written here (tables, indexes, foreign keys, renames, an enum) is rehearsed twice on the same
 * engine, once through the target as it is and once with its `run` hidden (every baseline
 * statement traced, as before): the statement counts say which path ran, and the reports
 * agree on everything but timings. On PostgreSQL 15 (UNDERSTUDY_TEST_PG_URL) a baseline whose
 * `CREATE ROLE` is not run and whose next statement grants to that role carries on inside the
 * file's transaction; a failing baseline statement is still named by file and line.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SqlFileError, type RehearsalTarget } from '@understudy/core';
import { postgresDialect } from '@understudy/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import type { RehearsalReport } from '../report/rehearsal-report.js';
import { tempFolder } from '../test-folders.js';
import { rehearse } from './rehearse.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL server baseline checks (PGlite still runs)');

const environments: Array<{ name: string; url?: string }> = [{ name: 'pglite' }, ...(PG_URL ? [{ name: 'postgres 15', url: PG_URL }] : [])];

/** A Prisma folder: `migration_lock.toml` and one `<ts>_<name>/migration.sql` per entry. */
async function prismaFolder(migrations: ReadonlyArray<readonly [string, string]>): Promise<string> {
  const dir = await tempFolder('understudy-untraced-');
  await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [i, [name, sql]] of migrations.entries()) {
    const folder = join(dir, `${String(20240101000000 + i * 100)}_${name}`);
    await mkdir(folder);
    await writeFile(join(folder, 'migration.sql'), sql);
  }
  return dir;
}

/** 90 migrations in the shapes Prisma writes, then one pending that rewrites a baseline table. */
function history(): Array<[string, string]> {
  const out: Array<[string, string]> = [['init', "CREATE TYPE \"Plan\" AS ENUM ('FREE', 'PRO');\n"]];
  for (let i = 1; i < 90; i++) {
    if (i % 3 === 1)
      out.push([
        `create_t${i}`,
        `-- CreateTable\nCREATE TABLE "T${i}" (\n    "id" SERIAL NOT NULL,\n    "name" TEXT NOT NULL,\n    "plan" "Plan" NOT NULL DEFAULT 'FREE',\n    CONSTRAINT "T${i}_pkey" PRIMARY KEY ("id")\n);\n\n-- CreateIndex\nCREATE INDEX "T${i}_name_idx" ON "T${i}"("name");\n`,
      ]);
    else if (i % 3 === 2)
      out.push([
        `add_ref_t${i - 1}`,
        `-- AlterTable\nALTER TABLE "T${i - 1}" ADD COLUMN "parentId" INTEGER;\n\n-- AddForeignKey\nALTER TABLE "T${i - 1}" ADD CONSTRAINT "T${i - 1}_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "T1"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n`,
      ]);
    else
      out.push([`rename_t${i - 2}`, `-- AlterTable\nALTER TABLE "T${i - 2}" RENAME COLUMN "name" TO "title";\n\n-- RenameIndex\nALTER INDEX "T${i - 2}_name_idx" RENAME TO "T${i - 2}_title_idx";\n`]);
  }
  out.push(['bigint_t4', '-- AlterTable\nALTER TABLE "T4" ALTER COLUMN "id" SET DATA TYPE BIGINT;\nALTER TABLE "T7" ADD COLUMN "note" TEXT;\n']);
  return out;
}

/** The target with its `run` hidden: every statement goes through `execute`, traced. Counts the calls. */
function counted(target: RehearsalTarget, withRun: boolean): { target: RehearsalTarget; calls: { execute: number; run: number } } {
  const calls = { execute: 0, run: 0 };
  const proxy = new Proxy(target, {
    get(real, key) {
      if (key === 'run' && !withRun) return undefined;
      const value = Reflect.get(real, key, real) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'execute') calls.execute++;
        if (key === 'run') calls.run++;
        return (value as (...a: unknown[]) => unknown).apply(real, args);
      };
    },
  });
  return { target: proxy, calls };
}

/** What a report says, without the timings. */
function observed(report: RehearsalReport) {
  return {
    migrations: report.migrations.map((m) => ({
      id: m.id,
      status: m.status,
      statements: m.statements.map((s) => ({ sql: s.sql, line: s.line, locks: s.locks, rewrites: s.rewrites, rowsAffected: s.rowsAffected })),
    })),
    schemaChanges: report.schemaChanges,
    dataChanges: report.dataChanges,
    hazards: report.hazards,
    seed: report.seed.rows,
  };
}

describe.each(environments)('an untraced baseline on $name', ({ url }) => {
  let target: RehearsalTarget;
  beforeAll(async () => {
    target = await postgresDialect.openRehearsalTarget!(url ? { url } : {});
  });
  afterAll(async () => {
    await target?.close();
  });

  it('runs the 90 baseline migrations without tracing them, and traces the pending one as before', async () => {
    const migrations = history();
    const set = await readMigrations(await prismaFolder(migrations));
    const baselineStatements = set.migrations.slice(0, -1).reduce((n, m) => n + ('statements' in m.up ? m.up.statements.length : 0), 0);
    expect(baselineStatements).toBe(179);

    const fast = counted(target, true);
    const untraced = await rehearse({ set, dialect: postgresDialect, rows: 50, seed: 3, target: fast.target, down: false });
    const slow = counted(target, false);
    const traced = await rehearse({ set, dialect: postgresDialect, rows: 50, seed: 3, target: slow.target, down: false });

    // Untraced: only the pending migration's two statements went through execute.
    expect(fast.calls).toEqual({ execute: 2, run: baselineStatements });
    expect(slow.calls).toEqual({ execute: baselineStatements + 2, run: 0 });
    expect(observed(untraced)).toEqual(observed(traced));

    // The trace after an untraced baseline is right: T4 (created, referenced, renamed in the baseline) is rewritten under an ACCESS EXCLUSIVE lock.
    const [bigint, note] = untraced.migrations[0]!.statements;
    expect(bigint!.locks).toContainEqual(expect.objectContaining({ relation: 'public.T4', mode: 'AccessExclusiveLock' }));
    expect(bigint!.rewrites.map((r) => r.relation)).toEqual(expect.arrayContaining(['public.T4', 'public.T4_pkey', 'public.T4_title_idx']));
    expect(note!.rewrites).toEqual([]);
    expect(untraced.schemaChanges).toContainEqual({ change: 'added', object: 'column', name: 'public.T7.note' });
  });

  it('names the file and line of a failing baseline statement', async () => {
    const set = await readMigrations(
      await prismaFolder([
        ['init', 'CREATE TABLE "A" ("id" SERIAL PRIMARY KEY);\n'],
        ['broken', '-- AlterTable\nALTER TABLE "A" ADD COLUMN "x" INTEGER;\n\nALTER TABLE "Missing" ADD COLUMN "y" INTEGER;\n'],
        ['pending', 'ALTER TABLE "A" ADD COLUMN "z" INTEGER;\n'],
      ]),
    );
    const error = await rehearse({ set, dialect: postgresDialect, rows: 10, target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).message).toMatch(/20240101000100_broken\/migration\.sql:4\b.*relation "Missing" does not exist/s);
  });
});

describe.skipIf(!PG_URL)('an untraced baseline on a shared PostgreSQL 15 server', () => {
  const role = `understudy_untraced_${Math.random().toString(16).slice(2, 10)}`;
  /** Another session on the same server, to look at its roles. */
  let other: RehearsalTarget;
  beforeAll(async () => {
    other = await postgresDialect.openRehearsalTarget!({ url: PG_URL! });
  });
  afterAll(async () => {
    await other?.close();
  });

  it('skips a GRANT to a role it did not create and carries on in the same transaction', async () => {
    const set = await readMigrations(
      await prismaFolder([
        [
          'init',
          `CREATE TABLE "A" ("id" SERIAL PRIMARY KEY);\nCREATE ROLE ${role};\nGRANT SELECT ON "A" TO ${role};\nCREATE TABLE "B" ("id" SERIAL PRIMARY KEY, "aId" INTEGER REFERENCES "A"("id"));\n`,
        ],
        ['pending', 'ALTER TABLE "B" ADD COLUMN "z" INTEGER;\n'],
      ]),
    );
    const report = await rehearse({ set, dialect: postgresDialect, rows: 10, url: PG_URL! });
    expect(report.migrations.map((m) => m.status)).toEqual(['passed']);
    expect(report.seed.tables).toBe(2);
    expect(report.notes.join('\n')).toContain(`needs role ${role}`);
    // No role was created on the server.
    expect(await other.query!(`select 1 from pg_roles where rolname = '${role}'`)).toEqual([]);
  });
});
