/**
 * `understudy rehearse --baseline-schema FILE`, through the built CLI: a history whose early
 * migrations no longer run (squashed, or written for an extension PGlite and the server here
 * lack), with the schema the application installs kept in one file that each change updates
 * (roundcube's `SQL/postgres.initial.sql`, a Rails `structure.sql`). In a git repository:
 * `main` holds two old migrations and the schema file; the branch adds a migration and
 * updates the schema file with it. With `--since main` the file is read as it was at the
 * merge-base, only the branch's migration is pending, and its effect is checked with SQL on
 * the kept database. A `pg_dump -s` (which empties `search_path`) as the file. Bad input: a
 * missing file, a file not at the merge-base.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel } from '@understudy/rehearse';
import { openPglite } from '@understudy/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const SCHEMA_ON_MAIN = `-- The schema as the application installs it (what 001 and 002 made, then squashed).
CREATE TABLE users (
  id bigint PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL UNIQUE
);
CREATE TABLE session (
  sess_id varchar(128) PRIMARY KEY,
  user_id bigint REFERENCES users (id),
  changed timestamp NOT NULL DEFAULT now()
);
CREATE INDEX session_changed_idx ON session (changed);
`;

let work: string;
let repo: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-baseline-schema-'));
  repo = join(work, 'app');
  await mkdir(join(repo, 'SQL', 'postgres'), { recursive: true });
  git(work, 'init', '-q', '-b', 'main', repo);
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  // The old migrations cannot run any more: the first needs PostGIS.
  await writeFile(join(repo, 'SQL', 'postgres', '2008030300.sql'), 'CREATE EXTENSION postgis;\nCREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL);\n');
  await writeFile(join(repo, 'SQL', 'postgres', '2010042300.sql'), 'ALTER TABLE users ADD email text NOT NULL UNIQUE;\n');
  await writeFile(join(repo, 'SQL', 'postgres.initial.sql'), SCHEMA_ON_MAIN);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'installed schema and old upgrades');
  git(repo, 'checkout', '-q', '-b', 'expires-at');
  // The branch: a migration, and the schema file updated with it (as roundcube's 2025092300 did).
  await writeFile(
    join(repo, 'SQL', 'postgres', '2025092300.sql'),
    'ALTER TABLE "session" RENAME COLUMN changed TO expires_at;\nALTER INDEX "session_changed_idx" RENAME TO "session_expires_at_idx";\nUPDATE "session" SET expires_at = expires_at + INTERVAL \'10 minutes\';\n',
  );
  await writeFile(join(repo, 'SQL', 'postgres.initial.sql'), SCHEMA_ON_MAIN.replace(/changed/g, 'expires_at'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'expires_at');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('understudy rehearse --baseline-schema', () => {
  it('starts from the schema file as it was at the merge-base, and rehearses only what the branch adds', async () => {
    const json = join(work, 'report.json');
    const data = join(work, 'kept');
    const result = await runCli(
      ['rehearse', 'SQL/postgres', '--baseline-schema', 'SQL/postgres.initial.sql', '--since', 'main', '--rows', '120', '--url', `pglite://${data}`, '--keep', '--json', json],
      { cwd: repo },
    );
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stderr).toMatch(/baseline: the schema in SQL\/postgres\.initial\.sql at [0-9a-f]{12} \(the merge-base of main\), in place of the 2 migrations before the pending ones/);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status])).toEqual([['2025092300', 'passed']]);
    expect(report.hazards).toEqual([]);
    // The migration ran on the seeded schema of main: every session moved by ten minutes, under its new name.
    const conn = await openPglite({ dataDir: data });
    try {
      const [row] = (
        await conn.pglite.query<{ sessions: number; columns: string }>(
          `SELECT (SELECT count(*)::int FROM session WHERE expires_at IS NOT NULL) AS sessions,
                  (SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'session') AS columns`,
        )
      ).rows;
      expect(row).toEqual({ sessions: 120, columns: 'sess_id,user_id,expires_at' });
    } finally {
      await conn.close();
    }
  });

  it('runs a pg_dump -s file in a session of its own: the dump empties search_path, the migrations still find their tables', async () => {
    const folder = join(work, 'dumped');
    await mkdir(join(folder, 'migrations'), { recursive: true });
    await writeFile(
      join(folder, 'schema.sql'),
      `\\restrict abc\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE public.track (id integer NOT NULL, name text NOT NULL);\nALTER TABLE ONLY public.track ADD CONSTRAINT track_pkey PRIMARY KEY (id);\n\\unrestrict abc\n`,
    );
    await writeFile(join(folder, 'migrations', '001_old.up.sql'), 'CREATE TABLE gone (id int);\n');
    await writeFile(join(folder, 'migrations', '002_rating.up.sql'), 'ALTER TABLE track ADD COLUMN rating int;\nUPDATE track SET rating = 3;\n');
    const json = join(work, 'dumped.json');
    const result = await runCli(['rehearse', join(folder, 'migrations'), '--baseline-schema', join(folder, 'schema.sql'), '--rows', '30', '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.migrations.map((m) => [m.id, m.status, m.statements[1]?.rowsAffected])).toEqual([['002', 'passed', 30]]);
  });

  it('without it, the old migrations are the baseline, and the first one fails', async () => {
    const result = await runCli(['rehearse', 'SQL/postgres', '--since', 'main', '--rows', '20'], { cwd: repo });
    // 3: a SQL file failed (before anything was rehearsed).
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('2008030300.sql');
    expect(result.stderr).toMatch(/postgis/i);
  });

  it('says which file is missing, or not at the merge-base, and creates nothing', async () => {
    const missing = await runCli(['rehearse', 'SQL/postgres', '--baseline-schema', 'SQL/nope.sql', '--pending', '1'], { cwd: repo });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--baseline-schema SQL/nope.sql: no such file');
    await writeFile(join(repo, 'SQL', 'new-schema.sql'), SCHEMA_ON_MAIN);
    const notThere = await runCli(['rehearse', 'SQL/postgres', '--baseline-schema', 'SQL/new-schema.sql', '--since', 'main'], { cwd: repo });
    expect(notThere.code).toBe(2);
    expect(notThere.stderr).toMatch(/--baseline-schema SQL\/new-schema\.sql: the file is not in commit [0-9a-f]{12}, the merge-base of main and HEAD/);
  });
});
