/**
 * `rehearse --command CMD --since REF`: a pull request whose migrations a tool of
 * its own applies (here a small shell script over psql, and over the mysql client),
 * in a git repository made in the test. The baseline is the command run in a git
 * worktree at the merge-base, the baseline is seeded, then the command runs in the
 * current tree while another session samples its locks; the report has what it ran,
 * its locks, the storage it rewrote, the schema diff and its output, and no report
 * carries the URL's password although the command prints DATABASE_URL and PGPASSWORD.
 * A failing branch is explained with the rows behind it, counted again in SQL.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL --command rehearsal');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB --command rehearsal');

/** A password with characters URLs encode; the test servers trust the connection and ignore it. */
const PASSWORD = 's3cr@t!x9';
const withPassword = (url: string): string => {
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(PASSWORD);
  return parsed.toString();
};

let work: string;
const keptPostgres: string[] = [];
const keptMysql: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-command-'));
});
afterAll(async () => {
  if (PG_URL && keptPostgres.length > 0) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    for (const name of keptPostgres) await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  }
  if (MYSQL_URL && keptMysql.length > 0) {
    const conn = await mysql.createConnection(MYSQL_URL);
    for (const name of keptMysql) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.end();
  }
});

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

/**
 * A repository with `db/migrate.sh` (the project's migration tool) and `db/migrations/001_users.sql` on
 * `main`, and a branch `feature` that adds `branch`'s files. The tool logs each run's step and commit.
 */
async function repository(name: string, tool: string, base: Record<string, string>, branch: Record<string, string>): Promise<{ dir: string; log: string; mergeBase: string; head: string }> {
  const root = join(work, name);
  await mkdir(join(root, 'db', 'migrations'), { recursive: true });
  git(work, 'init', '-q', '-b', 'main', root);
  git(root, 'config', 'user.email', 'test@example.com');
  git(root, 'config', 'user.name', 'test');
  await writeFile(join(root, 'db', 'migrate.sh'), tool);
  for (const [file, text] of Object.entries(base)) await writeFile(join(root, 'db', 'migrations', file), text);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  const mergeBase = git(root, 'rev-parse', 'HEAD');
  git(root, 'checkout', '-q', '-b', 'feature');
  for (const [file, text] of Object.entries(branch)) await writeFile(join(root, 'db', 'migrations', file), text);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '--allow-empty', '-m', 'feature');
  return { dir: join(root, 'db'), log: join(work, `${name}.log`), mergeBase, head: git(root, 'rev-parse', 'HEAD') };
}

/** Runs the rehearsal with every report written; returns them all as text too. */
async function rehearse(name: string, dir: string, args: readonly string[], env: Record<string, string>) {
  const [json, junit, markdown] = ['json', 'xml', 'md'].map((ext) => join(work, `${name}.${ext}`));
  const result = await runCli(['rehearse', dir, '--since', 'main', '--rows', '200', '--keep', '--json', json!, '--junit', junit!, '--markdown', markdown!, ...args], { env });
  const texts = { stdout: result.stdout, stderr: result.stderr, json: await readFile(json!, 'utf8'), junit: await readFile(junit!, 'utf8'), markdown: await readFile(markdown!, 'utf8') };
  return { code: result.code, texts, report: RehearsalReportModel.parse(JSON.parse(texts.json)) };
}

function expectNoPassword(texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD)]) expect(text.includes(secret), `${where} holds the password`).toBe(false);
  }
}

const PSQL_TOOL = `#!/bin/sh
# The project's migration tool: applies migrations/*.sql not yet in schema_migrations, each in one transaction.
set -e
echo "$UNDERSTUDY_REHEARSAL_STEP $(git rev-parse HEAD) $PGDATABASE" >> "$REHEARSE_LOG"
echo "migrating $DATABASE_URL (password $PGPASSWORD)"
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -c "create table if not exists schema_migrations (version text primary key)"
for f in migrations/*.sql; do
  v=$(basename "$f" .sql)
  if [ -z "$(psql "$DATABASE_URL" -tA -c "select 1 from schema_migrations where version = '$v'")" ]; then
    echo "applying $v"
    psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -q -1 -f "$f" -c "insert into schema_migrations values ('$v')"
  fi
done
`;

describe.skipIf(!PG_URL)('rehearse --command --since on PostgreSQL 15', () => {
  const count = async (report: RehearsalReport, query: string): Promise<unknown[]> => {
    const database = new URL(report.environment.replace(/ \(kept\)$/, '')).pathname.slice(1);
    keptPostgres.push(database);
    const client = new pg.Client({ connectionString: PG_URL!.replace(/\/[^/]*$/, `/${database}`) });
    await client.connect();
    try {
      return (await client.query(query)).rows;
    } finally {
      await client.end();
    }
  };

  it("builds the baseline at the merge-base, seeds it, and traces the branch's command from outside", async () => {
    const repo = await repository(
      'pg-pass',
      PSQL_TOOL,
      { '001_users.sql': 'create table users (id serial primary key, email text not null, nickname text);\n' },
      // The ALTER rewrites users under ACCESS EXCLUSIVE; the sleep holds that lock long enough to be sampled.
      { '002_bigint.sql': 'alter table users alter column id type bigint;\nselect pg_sleep(0.5);\n' },
    );
    const { code, texts, report } = await rehearse('pg-pass', repo.dir, ['--command', 'sh migrate.sh', '--url', withPassword(PG_URL!), '--lock-threshold-rows', '100'], { REHEARSE_LOG: repo.log });
    expect(code, texts.stderr).toBe(1); // the lock on 200 rows, over the threshold of 100
    expectNoPassword(texts);

    // The baseline ran in a worktree at the merge-base, the pending step in the current tree.
    const runs = (await readFile(repo.log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    expect(runs.map(([step, commit]) => [step, commit])).toEqual([
      ['baseline', repo.mergeBase],
      ['pending', repo.head],
    ]);
    expect(runs[0]![2]).toMatch(/^understudy_rehearse_kept_/);
    expect(report.baseline).toEqual([{ id: 'baseline', name: `sh migrate.sh at ${repo.mergeBase.slice(0, 12)}, the merge-base with main` }]);

    // Seeded between the two: 200 users, and the tool's bookkeeping as the baseline left it, then the branch's row.
    expect(await count(report, 'select count(*)::int as n from users')).toEqual([{ n: 200 }]);
    expect(await count(report, 'select version from schema_migrations order by 1')).toEqual([{ version: '001_users' }, { version: '002_bigint' }]);
    expect(await count(report, "select data_type from information_schema.columns where table_name = 'users' and column_name = 'id'")).toEqual([{ data_type: 'bigint' }]);

    const migration = report.migrations[0]!;
    expect(migration.status).toBe('passed');
    expect(migration.command).toMatchObject({ command: 'sh migrate.sh', exitCode: 0 });
    expect(migration.command!.samples).toBeGreaterThan(5);
    expect(migration.command!.rewrites).toEqual([
      { relation: 'public.users', kind: 'table' },
      { relation: 'public.users_pkey', kind: 'index' },
    ]);
    const sleeping = migration.statements.find((s) => s.sql === 'select pg_sleep(0.5)')!;
    expect(sleeping.locks).toContainEqual(expect.objectContaining({ relation: 'public.users', mode: 'AccessExclusiveLock' }));
    expect(sleeping.durationMs).toBeGreaterThan(300);
    expect(report.schemaChanges).toContainEqual({ change: 'changed', object: 'column', name: 'public.users.id', detail: 'type integer → bigint' });
    expect(report.hazards.map((h) => h.kind)).toEqual(['long-lock']);
    expect(report.hazards[0]!.message).toMatch(/^command:\d+ takes ACCESS EXCLUSIVE on public\.users \(200 rows, more than 100\)/);

    // The output, password removed, in every report.
    expect(migration.command!.output).toMatch(/^migrating postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/understudy_rehearse_kept_\w+ \(password \*\*\*\)/);
    expect(texts.stdout).toContain('    | applying 002_bigint');
    expect(texts.junit).toContain('$ sh migrate.sh (exit status 0)');
    expect(texts.markdown).toContain('<details><summary>Output of sh migrate.sh</summary>');
  }, 180_000);

  it('a branch whose migration fails on the seeded rows fails, with those rows, counted again in SQL', async () => {
    // The application reads users while the tool runs: the ALTER waits for that reader's lock, long enough to be seen.
    const tool = PSQL_TOOL.replace(
      'for f in migrations/*.sql; do',
      'if [ "$UNDERSTUDY_REHEARSAL_STEP" = pending ]; then\n  psql "$DATABASE_URL" -q -c "begin; lock table users in access share mode; select pg_sleep(0.8); commit" > /dev/null &\n  sleep 0.3\nfi\nfor f in migrations/*.sql; do',
    );
    const repo = await repository(
      'pg-fail',
      tool,
      { '001_users.sql': 'create table users (id serial primary key, email text not null, nickname text);\n' },
      { '002_nickname.sql': 'alter table users alter column nickname set not null;\n' },
    );
    const { code, texts, report } = await rehearse('pg-fail', repo.dir, ['--command', 'sh migrate.sh', '--url', withPassword(PG_URL!)], { REHEARSE_LOG: repo.log });
    expect(code, texts.stderr).toBe(1);
    expectNoPassword(texts);
    const migration = report.migrations[0]!;
    expect(migration.status).toBe('failed');
    expect(migration.command!.exitCode).not.toBe(0);
    expect(migration.command!.output).toContain('ERROR:  column "nickname" of relation "users" contains null values');
    const nulls = (await count(report, 'select count(*)::int as n from users where nickname is null'))[0] as { n: number };
    expect(nulls.n).toBeGreaterThan(0);
    // The ALTER was seen waiting; run again, it fails the same way, and the rows behind it are the NULLs.
    expect(migration.failure!.sql).toBe('alter table users alter column nickname set not null');
    expect(migration.failure!.error).toBe(
      'command exited with status 3: psql:migrations/002_nickname.sql:1: ERROR:  column "nickname" of relation "users" contains null values; the last changing statement it was seen running, run again: column "nickname" of relation "users" contains null values',
    );
    expect(migration.failure!.offendingRows!.total).toBe(nulls.n);
    expect(texts.stdout).toMatch(/rows of public\.users where nickname IS NULL: \d+ rows/);
  }, 180_000);

  it('without --since, says that the command ran on an empty database', async () => {
    const repo = await repository('pg-empty', PSQL_TOOL, { '001_users.sql': 'create table users (id serial primary key);\n' }, {});
    const json = join(work, 'pg-empty.json');
    const result = await runCli(['rehearse', repo.dir, '--command', 'sh migrate.sh', '--url', PG_URL!, '--json', json], { env: { REHEARSE_LOG: repo.log } });
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.baseline).toEqual([]);
    expect(report.notes.join('\n')).toContain('no baseline: the command ran on an empty database, with no data to meet; give --since REF');
  }, 120_000);
});

const MYSQL_TOOL = `#!/bin/sh
# The project's migration tool, over the mysql client (MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_PWD come from the rehearsal).
set -e
echo "$UNDERSTUDY_REHEARSAL_STEP $(git rev-parse HEAD) $MYSQL_DATABASE" >> "$REHEARSE_LOG"
echo "migrating $DATABASE_URL"
run() { mysql -u "$MYSQL_USER" "$MYSQL_DATABASE" "$@"; }
run -e "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(100) PRIMARY KEY)"
for f in migrations/*.sql; do
  v=$(basename "$f" .sql)
  if [ -z "$(run -N -e "SELECT 1 FROM schema_migrations WHERE version = '$v'")" ]; then
    echo "applying $v"
    run < "$f"
    run -e "INSERT INTO schema_migrations VALUES ('$v')"
  fi
done
`;

describe.skipIf(!MYSQL_URL)('rehearse --command --since on MariaDB', () => {
  it("builds the baseline at the merge-base, seeds it, and sees the branch's ALTER and the table it rebuilt", async () => {
    const repo = await repository(
      'mysql-pass',
      MYSQL_TOOL,
      { '001_users.sql': 'CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY, email varchar(80) NOT NULL);\n' },
      { '002_bigint.sql': 'ALTER TABLE users MODIFY id bigint AUTO_INCREMENT;\nSELECT SLEEP(0.4);\n' },
    );
    const { code, texts, report } = await rehearse('mysql-pass', repo.dir, ['--command', 'sh migrate.sh', '--url', MYSQL_URL!, '--dialect', 'mysql'], { REHEARSE_LOG: repo.log });
    expect(code, texts.stdout + texts.stderr).toBe(0);
    const runs = (await readFile(repo.log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' '));
    expect(runs.map(([step, commit]) => [step, commit])).toEqual([
      ['baseline', repo.mergeBase],
      ['pending', repo.head],
    ]);
    const database = runs[0]![2]!;
    keptMysql.push(database);
    const conn = await mysql.createConnection(MYSQL_URL!.replace(/\/[^/]*$/, `/${database}`));
    try {
      expect(((await conn.query('SELECT COUNT(*) AS n FROM users'))[0] as Array<{ n: number }>)[0]!.n).toBe(200);
      expect(((await conn.query('SELECT version FROM schema_migrations ORDER BY 1'))[0] as Array<{ version: string }>).map((r) => r.version)).toEqual(['001_users', '002_bigint']);
    } finally {
      await conn.end();
    }
    const migration = report.migrations[0]!;
    expect(migration.command).toMatchObject({ exitCode: 0 });
    expect(migration.command!.rewrites).toEqual([{ relation: 'test.users', kind: 'table' }]);
    expect(migration.statements.map((s) => s.sql)).toContain('SELECT SLEEP(0.4)');
    expect(report.schemaChanges).toContainEqual(expect.objectContaining({ change: 'changed', object: 'column', name: 'test.users.id' }));
  }, 180_000);
});
