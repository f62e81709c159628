/**
 * Data loss judged per migration, through the built CLI, on PGlite and PostgreSQL 15
 * (UNDERSTUDY_TEST_PG_URL):
 * - `rehearse/data-moves`: seven pending migrations that rename a column and a table, move a
 *   column into a new table, swap a serial key for a uuid key, detach a partition, rewrite
 *   text with an UPDATE (none of it a loss), drop a column with values and, last, delete
 *   rows and drop a table (the three real losses), each blamed on its own migration; the
 *   data is counted again with SQL on the kept database;
 * - `rehearse/drop-add-column`: a column dropped and added again under its name (a constant
 *   default, so no row is rewritten) is a loss, on PGlite and PostgreSQL 15;
 * - `rehearse/expand-contract`: a column added and backfilled by one migration, the old one
 *   dropped by the next (a move), beside a column copied nowhere (a loss);
 * - `rehearse-mysql/data-moves` on MariaDB (UNDERSTUDY_TEST_MYSQL_URL): a renamed column and
 *   table and a column moved to a new table, no loss; a dropped column, blamed on 003;
 * - the real coder history (golang-migrate, fixtures/migrations/golang-migrate-coder) at --pending 30 on PGlite and
 *   PostgreSQL 15:
 *   no data-lost hazard (000316's UPDATE is no truncation, 000299's move of theme_preference
 *   into user_configs no loss), and the figure of its duration.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@understudy/postgres';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: the data-loss rehearsals run on PGlite only');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB data-loss rehearsal');
/** coder's real golang-migrate history (fixtures/migrations/README.md). */
const CODER = join(repoRoot, 'fixtures', 'migrations', 'golang-migrate-coder');

let work: string;
const keptOnPostgres: string[] = [];
const keptOnMysql: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-data-loss-'));
});
afterAll(async () => {
  if (PG_URL && keptOnPostgres.length > 0) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    for (const name of keptOnPostgres) await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  }
  if (MYSQL_URL && keptOnMysql.length > 0) {
    const conn = await mysql.createConnection(MYSQL_URL);
    for (const name of keptOnMysql) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  }
});

async function rehearse(args: readonly string[], name: string): Promise<{ code: number; stdout: string; report: RehearsalReport }> {
  const json = join(work, `${name}.json`);
  const result = await runCli(['rehearse', ...args, '--json', json]);
  expect(result.stderr, result.stdout).toContain(`wrote ${json}`);
  return { code: result.code, stdout: result.stdout, report: RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8'))) };
}

interface Environment {
  readonly name: string;
  readonly args: string[];
  /** One number from a query on the kept database of `report`. */
  readonly count: (report: RehearsalReport, query: string) => Promise<number>;
}

const pgliteDir = (): string => join(work, 'pglite-data-moves');

const environments: Environment[] = [
  {
    name: 'PGlite',
    get args() {
      return ['--url', `pglite://${pgliteDir()}`, '--keep'];
    },
    count: async (_report, query) => {
      const conn = await openPglite({ dataDir: pgliteDir() });
      try {
        return Number((await conn.pglite.query<{ n: number }>(query)).rows[0]!.n);
      } finally {
        await conn.close();
      }
    },
  },
  ...(PG_URL
    ? [
        {
          name: 'PostgreSQL 15',
          args: ['--url', PG_URL, '--keep'],
          count: async (report: RehearsalReport, query: string) => {
            const database = new URL(report.environment.replace(/ \(kept\)$/, '')).pathname.slice(1);
            if (!keptOnPostgres.includes(database)) keptOnPostgres.push(database);
            const client = new pg.Client({ connectionString: PG_URL.replace(/\/[^/]*$/, `/${database}`) });
            await client.connect();
            try {
              return Number((await client.query<{ n: number }>(query)).rows[0]!.n);
            } finally {
              await client.end();
            }
          },
        },
      ]
    : []),
];

describe.each(environments)('data loss per migration on $name', (env) => {
  it('blames each real loss on its migration; renames, moves, a rekey, a detach and an UPDATE are no loss', async () => {
    const { code, stdout, report } = await rehearse(['fixtures/migrations/rehearse/data-moves', '--pending', '7', '--no-down', '--rows', '200', ...env.args], `data-moves-${env.name}`);
    const count = (query: string) => env.count(report, query);
    expect(code).toBe(1);
    expect(report.migrations.map((m) => m.status)).toEqual(Array(7).fill('passed'));
    const change = (table: string) => report.dataChanges.find((t) => t.table === table)!;
    const users = change('public.users');
    const legacy = users.columns.find((c) => c.column === 'legacy_code')!;
    const lost = report.hazards.filter((h) => h.kind === 'data-lost');
    const audit = await count('select count(*) as n from audit');
    expect(await count('select count(*) as n from audit where id % 2 = 0')).toBe(0);
    expect(lost).toEqual([
      // 003 dropped it; 007 names users again and is not blamed.
      { kind: 'data-lost', migration: '003', message: `column public.users.legacy_code was dropped with ${users.rowsBefore - legacy.nullsBefore} non-NULL values` },
      { kind: 'data-lost', migration: '008', message: `${200 - audit} rows of public.audit were deleted (200 → ${audit})` },
      { kind: 'data-lost', migration: '008', message: 'table public.scratch was dropped with its 200 rows' },
    ]);
    // The rename and the move: the data is where the diff says.
    const nickname = users.columns.find((c) => c.column === 'nickname')!;
    expect(nickname.movedTo).toBe('public.users.display_name (002)');
    expect(await count('select count(display_name) as n from users')).toBe(users.rowsBefore - nickname.nullsBefore);
    const theme = users.columns.find((c) => c.column === 'theme')!;
    expect(theme.movedTo).toBe('public.user_settings.theme (004)');
    expect(await count('select count(*) as n from user_settings')).toBe(users.rowsBefore - theme.nullsBefore);
    expect(change('public.notes')).toMatchObject({ dropped: true, movedTo: 'public.memos (002)' });
    expect(await count('select count(*) as n from memos')).toBe(change('public.notes').rowsBefore);
    // The rekey: every token is still there, under a uuid key; no row counted lost.
    expect(change('public.tokens')).toMatchObject({ rowsBefore: 200, rowsAfter: 200, rowsLost: null, rekeyed: true });
    expect(await count('select count(distinct id) as n from tokens')).toBe(200);
    // The detach: the parent has fewer rows, the detached partition has the others.
    const measurements = change('public.measurements');
    expect(measurements).toMatchObject({ partitioned: true, rowsLost: null, movedTo: 'public.measurements_old (detached)' });
    expect(measurements.rowsAfter).toBeLessThan(measurements.rowsBefore);
    expect(await count('select count(*) as n from measurements_old')).toBe(measurements.rowsBefore - measurements.rowsAfter);
    expect(await count('select count(*) as n from measurements')).toBe(measurements.rowsAfter);
    // The UPDATE made every template body shorter, and that is no truncation.
    const body = change('public.templates').columns.find((c) => c.column === 'body')!;
    expect(body).toMatchObject({ changedRows: 200, truncated: false });
    expect(await count("select count(*) as n from templates where body like 'v2:%' and length(body) = 35")).toBe(200);
    expect(stdout).toContain('theme: dropped (');
    expect(stdout).toContain('moved to public.user_settings.theme (004)');
    expect(stdout).toContain('legacy_code: dropped (');
    expect(stdout).toContain('non-NULL values lost)');
  });
});

describe.each(environments)('a column dropped and added again on $name', (env) => {
  it('is a loss, though a column of that name is still there', async () => {
    // The PGlite environment keeps its database in one folder: start from an empty one.
    await rm(pgliteDir(), { recursive: true, force: true });
    const { code, report } = await rehearse(['fixtures/migrations/rehearse/drop-add-column', '--no-down', '--rows', '150', ...env.args], `drop-add-column-${env.name}`);
    expect(code).toBe(1);
    expect(report.hazards.filter((h) => h.kind === 'data-lost')).toEqual([{ kind: 'data-lost', migration: '002', message: 'column public.users.name was dropped with 150 non-NULL values' }]);
    expect(await env.count(report, "select count(*) as n from users where name = ''")).toBe(150);
  });
});

describe.each(environments)('expand, then contract, on $name', (env) => {
  it('a column backfilled by one migration and the old one dropped by a later one is a move; a column copied nowhere is a loss', async () => {
    await rm(pgliteDir(), { recursive: true, force: true });
    const { report } = await rehearse(['fixtures/migrations/rehearse/expand-contract', '--pending', '2', '--no-down', '--rows', '150', ...env.args], `expand-contract-${env.name}`);
    expect(report.hazards.filter((h) => h.kind === 'data-lost')).toEqual([
      { kind: 'data-lost', migration: '003', message: expect.stringMatching(/^column public\.users\.legacy_note was dropped with \d+ non-NULL values$/) },
    ]);
    // The kept database, in SQL: display_name holds what nickname held (seeded with values), legacy_note is gone.
    expect(await env.count(report, 'select count(display_name) as n from users')).toBeGreaterThan(0);
    expect(await env.count(report, "select count(*) as n from information_schema.columns where table_name = 'users' and column_name in ('nickname', 'legacy_note')")).toBe(0);
  });
});

describe.skipIf(!MYSQL_URL)('data loss per migration on MariaDB', () => {
  it('a renamed column and table and a column moved to a new table are no loss; the dropped column is, blamed on its migration', async () => {
    const urlDatabase = decodeURIComponent(new URL(MYSQL_URL!).pathname.slice(1));
    const { code, report } = await rehearse(
      ['fixtures/migrations/rehearse-mysql/data-moves', '--pending', '4', '--no-down', '--rows', '200', '--url', MYSQL_URL!, '--dialect', 'mysql', '--keep'],
      'mysql-data-moves',
    );
    const database = decodeURIComponent(new URL(report.environment.replace(/ \(kept\)$/, '')).pathname.slice(1));
    keptOnMysql.push(database);
    const conn = await mysql.createConnection(MYSQL_URL!);
    const count = async (query: string): Promise<number> => Number(((await conn.query(query))[0] as Array<{ n: number }>)[0]!.n);
    try {
      await conn.query(`USE \`${database}\``);
      expect(code).toBe(1);
      const users = report.dataChanges.find((t) => t.table === `${urlDatabase}.users`)!;
      const column = (name: string) => users.columns.find((c) => c.column === name)!;
      expect(report.hazards).toEqual([
        { kind: 'data-lost', migration: '003', message: `column ${urlDatabase}.users.legacy_code was dropped with ${200 - column('legacy_code').nullsBefore} non-NULL values` },
      ]);
      expect(column('nickname').movedTo).toBe(`${urlDatabase}.users.display_name (002)`);
      expect(await count('SELECT COUNT(display_name) AS n FROM users')).toBe(200 - column('nickname').nullsBefore);
      expect(column('theme').movedTo).toBe(`${urlDatabase}.user_settings.theme (004)`);
      expect(await count('SELECT COUNT(*) AS n FROM user_settings')).toBe(200 - column('theme').nullsBefore);
      expect(report.dataChanges.find((t) => t.table === `${urlDatabase}.notes`)).toMatchObject({ dropped: true, movedTo: `${urlDatabase}.memos (002)` });
      expect(await count('SELECT COUNT(*) AS n FROM memos')).toBe(200);
    } finally {
      await conn.end();
    }
  });
});

const coderEnvironments = [{ name: 'PGlite', args: [] as string[] }, ...(PG_URL ? [{ name: 'PostgreSQL 15', args: ['--url', PG_URL] }] : [])];

describe.each(coderEnvironments)('the coder history on $name', ({ name, args }) => {
  it('rehearses 30 pending migrations with no data-lost hazard (000316 UPDATE, 000299 move)', async () => {
    const started = performance.now();
    const { report } = await rehearse([CODER, '--pending', '30', ...args], `coder-30-${name}`);
    const seconds = (performance.now() - started) / 1000;
    console.log(`coder --pending 30 on ${name}: ${seconds.toFixed(1)} s wall, ${(report.durationMs / 1000).toFixed(1)} s rehearsal`);
    expect(report.migrations).toHaveLength(30);
    expect(report.migrations.every((m) => m.status === 'passed')).toBe(true);
    expect(report.hazards.filter((h) => h.kind === 'data-lost')).toEqual([]);
    const users = report.dataChanges.find((t) => t.table === 'public.users')!;
    expect(users.columns.find((c) => c.column === 'theme_preference')).toMatchObject({ dropped: true, movedTo: 'public.user_configs.value (000299)' });
    const templates = report.dataChanges.find((t) => t.table === 'public.notification_templates')!;
    expect(templates.columns.filter((c) => c.truncated)).toEqual([]);
  }, 300_000);
});
