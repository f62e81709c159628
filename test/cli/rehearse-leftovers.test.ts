/**
 * What a rehearsal leaves on a server, through the built CLI:
 * - `--keep` prints the kept database's name however the rehearsal ends (a failed
 *   baseline, a report), on PostgreSQL 15 and MariaDB, and the database is there;
 * - a real `kill -9` of the CLI in the middle of a long statement leaves no backend
 *   running it (checked in pg_stat_activity), and a second Ctrl-C does the same;
 *   one Ctrl-C cancels the statement and drops the database;
 * - `rehearse --clean --url` drops throwaway databases older than an hour that no
 *   session uses, and leaves the ones in use, recent, kept or of an older Understudy
 *   (PostgreSQL: the killed run's own database, aged by renaming it; MariaDB:
 *   databases made with such names); a rehearsal does the same before it starts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RehearsalReportModel } from '@understudy/rehearse';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the PostgreSQL leftover tests');
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB leftover tests');

const bin = fileURLToPath(new URL('../../bin/understudy', import.meta.url));
const HOUR = 60 * 60 * 1000;

let work: string;
/** Databases this file made or kept, dropped at the end whatever happens. */
const made = { postgres: new Set<string>(), mysql: new Set<string>() };

/** A throwaway rehearsal name created at `ago` ms before now, as a rehearsal names it. */
function throwawayName(ago: number, kept = false): string {
  const stamp = new Date(Date.now() - ago)
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .toLowerCase();
  return `understudy_rehearse_${kept ? 'kept_' : ''}${stamp}_${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}`;
}

async function pgQuery<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
const pgExists = async (name: string): Promise<boolean> => (await pgQuery('select 1 from pg_database where datname = $1', [name])).length === 1;

async function mysqlQuery(text: string): Promise<unknown[]> {
  const conn = await mysql.createConnection(MYSQL_URL!);
  try {
    return (await conn.query(text))[0] as unknown[];
  } finally {
    await conn.end();
  }
}
const mysqlExists = async (name: string): Promise<boolean> => (await mysqlQuery(`SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '${name}'`)).length === 1;

/** A migration folder: a baseline `001` and the given pending `002`. */
async function folder(name: string, baseline: string, pending: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '001_baseline.up.sql'), baseline);
  await writeFile(join(dir, '002_pending.up.sql'), pending);
  return dir;
}

/** Starts the CLI without waiting for it. */
function start(args: readonly string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The rehearsal database whose backend runs `pg_sleep(<seconds>)`, once it does. */
function sleepingDatabase(seconds: number): Promise<string> {
  return waitFor(`a backend running pg_sleep(${seconds})`, async () => {
    const rows = await pgQuery<{ datname: string }>(`select datname from pg_stat_activity where datname like 'understudy\\_rehearse\\_%' and query ilike $1 and state = 'active'`, [
      `%pg_sleep(${seconds})%`,
    ]);
    return rows[0]?.datname;
  });
}

const sessionsIn = async (name: string): Promise<number> => Number((await pgQuery<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]))[0]!.n);

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-leftovers-'));
});

afterAll(async () => {
  if (PG_URL) for (const name of made.postgres) await pgQuery(`drop database if exists "${name}" with (force)`);
  if (MYSQL_URL) for (const name of made.mysql) await mysqlQuery(`DROP DATABASE IF EXISTS \`${name}\``);
});

const BASELINE = 'CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n';

describe.skipIf(!PG_URL)('leftovers on PostgreSQL 15', () => {
  it('--keep after a failed baseline prints the kept database, which is there', async () => {
    const dir = await folder('bad-baseline', `${BASELINE}CREATE TABLE orders (user_id int REFERENCES nowhere (id));\n`, 'ALTER TABLE users ADD COLUMN note text;\n');
    const result = await runCli(['rehearse', dir, '--url', PG_URL!, '--keep']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('baseline migration 001_baseline failed: relation "nowhere" does not exist');
    const kept = /--keep: the rehearsal database is kept: postgres:\/\/postgres@127\.0\.0\.1:5432\/(understudy_rehearse_kept_\d{8}t\d{6}_[0-9a-f]{8}) /.exec(result.stderr)?.[1];
    expect(kept, result.stderr).toBeDefined();
    made.postgres.add(kept!);
    expect(await pgExists(kept!)).toBe(true);
  });

  it('kill -9 in the middle of a long statement leaves no backend running it; --clean drops the database once it is old and unused', async () => {
    const dir = await folder('long', BASELINE, 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(41);\n');
    const run = start(['rehearse', dir, '--url', PG_URL!, '--rows', '50']);
    const database = await sleepingDatabase(41);
    made.postgres.add(database);
    expect(database).toMatch(/^understudy_rehearse_\d{8}t\d{6}_[0-9a-f]{8}$/);
    run.child.kill('SIGKILL');
    await run.exited;
    // The backend notices its client is gone within about a second and ends, releasing its locks.
    await waitFor("the killed rehearsal's backends to end", async () => ((await sessionsIn(database)) === 0 ? true : undefined), 10_000);
    expect(await pgQuery('select 1 from pg_locks l join pg_database d on d.oid = l.database where d.datname = $1', [database])).toEqual([]);
    expect(await pgExists(database)).toBe(true);

    // An hour later (the name carries the time: rename it two hours back) --clean drops it,
    // but not an old one still in use, a recent one, a kept one or an undated one.
    const aged = throwawayName(2 * HOUR);
    await pgQuery(`alter database "${database}" rename to "${aged}"`);
    made.postgres.add(aged);
    const busy = throwawayName(3 * HOUR);
    const recent = throwawayName(10 * 60 * 1000);
    const kept = throwawayName(5 * HOUR, true);
    const undated = `understudy_rehearse_${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
    for (const name of [busy, recent, kept, undated]) {
      await pgQuery(`create database "${name}"`);
      made.postgres.add(name);
    }
    const holder = new pg.Client({ connectionString: PG_URL!.replace(/\/[^/]*$/, `/${busy}`) });
    await holder.connect();
    try {
      const clean = await runCli(['rehearse', '--clean', '--url', PG_URL!]);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toContain('Leftover rehearsal databases on postgres://postgres@127.0.0.1:5432/postgres:');
      expect(clean.stdout).toMatch(new RegExp(`older than an hour that a session still uses: [^\\n]*${busy}`));
      expect(clean.stdout).toMatch(new RegExp(`younger than an hour \\(perhaps running\\): [^\\n]*${recent}`));
      expect(clean.stdout).toMatch(new RegExp(`of an older Understudy, whose age is unknown [^\\n]*${undated}`));
      expect(await pgExists(aged)).toBe(false);
      for (const name of [busy, recent, kept, undated]) expect(await pgExists(name), name).toBe(true);
    } finally {
      await holder.end();
    }
  }, 180_000);

  it('a second Ctrl-C ends the CLI at once and leaves no backend running; one Ctrl-C cancels the statement and drops the database', async () => {
    const dir = await folder('long-ctrl-c', BASELINE, 'LOCK TABLE users IN ACCESS EXCLUSIVE MODE;\nSELECT pg_sleep(42);\n');
    const twice = start(['rehearse', dir, '--url', PG_URL!, '--rows', '50']);
    const first = await sleepingDatabase(42);
    made.postgres.add(first);
    twice.child.kill('SIGINT');
    twice.child.kill('SIGINT');
    await twice.exited;
    await waitFor("the interrupted rehearsal's backends to end", async () => ((await sessionsIn(first)) === 0 ? true : undefined), 10_000);

    const once = start(['rehearse', dir, '--url', PG_URL!, '--rows', '50']);
    const second = await sleepingDatabase(42);
    made.postgres.add(second);
    const sent = Date.now();
    once.child.kill('SIGINT');
    const code = await once.exited;
    // Not the 42 s of the statement: it was cancelled, and the database dropped.
    expect(Date.now() - sent).toBeLessThan(15_000);
    expect(code).toBe(3);
    expect(once.output()).toContain('interrupted: stopping after the current step and dropping the throwaway database');
    expect(once.output()).toContain('rehearsal interrupted: nothing was reported, and the throwaway database was dropped');
    expect(await pgExists(second)).toBe(false);
  }, 180_000);

  it('a rehearsal drops the old, unused leftovers it finds before it starts, and says so', async () => {
    const old = throwawayName(2 * HOUR);
    await pgQuery(`create database "${old}"`);
    made.postgres.add(old);
    const dir = await folder('quick', BASELINE, 'ALTER TABLE users ADD COLUMN note text;\n');
    const json = join(work, 'quick.json');
    const result = await runCli(['rehearse', dir, '--url', PG_URL!, '--rows', '20', '--json', json]);
    expect(result.code, result.stderr).toBe(0);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    expect(report.notes.join('\n')).toMatch(new RegExp(`dropped \\d+ leftover rehearsal databases? older than an hour: [^\\n]*${old}`));
    expect(result.stdout).toContain(old);
    expect(await pgExists(old)).toBe(false);
  });
});

describe.skipIf(!MYSQL_URL)('leftovers on MariaDB', () => {
  it('--keep prints the kept database after a failed baseline and after a report', async () => {
    const dir = await folder(
      'mysql-bad-baseline',
      'CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE orders (user_id int, FOREIGN KEY (user_id) REFERENCES nowhere (id));\n',
      'ALTER TABLE users ADD COLUMN note text;\n',
    );
    const failed = await runCli(['rehearse', dir, '--url', MYSQL_URL!, '--dialect', 'mysql', '--keep']);
    expect(failed.code).toBe(3);
    const kept = /--keep: the rehearsal database is kept: mysql:\/\/root@127\.0\.0\.1:3306\/(understudy_rehearse_kept_\d{8}t\d{6}_[0-9a-f]{8}) /.exec(failed.stderr)?.[1];
    expect(kept, failed.stderr).toBeDefined();
    made.mysql.add(kept!);
    expect(await mysqlExists(kept!)).toBe(true);

    const good = await folder('mysql-good', 'CREATE TABLE users (id int PRIMARY KEY, email varchar(50));\n', 'ALTER TABLE users ADD COLUMN note text;\n');
    const passed = await runCli(['rehearse', good, '--url', MYSQL_URL!, '--dialect', 'mysql', '--keep', '--rows', '20']);
    expect(passed.code, passed.stderr).toBe(0);
    const alsoKept = /--keep: the rehearsal database is kept: mysql:\/\/\S+\/(understudy_rehearse_kept_\w+) /.exec(passed.stderr)?.[1];
    expect(alsoKept, passed.stderr).toBeDefined();
    made.mysql.add(alsoKept!);
    expect(passed.stdout).toContain(alsoKept);
    expect(Number(((await mysqlQuery(`SELECT COUNT(*) AS n FROM \`${alsoKept}\`.users`)) as Array<{ n: number }>)[0]!.n)).toBe(20);
  });

  it('--clean drops old unused throwaways and leaves the ones in use, recent, kept or undated', async () => {
    const [old, busy, recent, kept] = [throwawayName(2 * HOUR), throwawayName(3 * HOUR), throwawayName(60_000), throwawayName(4 * HOUR, true)];
    const undated = `understudy_rehearse_${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
    for (const name of [old, busy, recent, kept, undated]) {
      await mysqlQuery(`CREATE DATABASE \`${name}\``);
      made.mysql.add(name);
    }
    const holder = await mysql.createConnection(MYSQL_URL!.replace(/\/[^/]*$/, `/${busy}`));
    try {
      const clean = await runCli(['rehearse', '--clean', '--url', MYSQL_URL!]);
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toMatch(new RegExp(`older than an hour that a session still uses: [^\\n]*${busy}`));
      expect(clean.stdout).toMatch(new RegExp(`of an older Understudy, whose age is unknown [^\\n]*${undated}`));
      expect(await mysqlExists(old)).toBe(false);
      for (const name of [busy, recent, kept, undated]) expect(await mysqlExists(name), name).toBe(true);
    } finally {
      await holder.end();
    }
  });
});
