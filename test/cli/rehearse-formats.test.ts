/**
 * `understudy rehearse` on trimmed real histories of every migration tool it reads beyond
 * the first six (goose, sqlx, diesel, gobuffalo/popx, Sqitch, Liquibase formatted SQL,
 * Atlas, temporal-sql-tool), through the built CLI: the folder is detected, its files run
 * the way the tool runs them, and what the pending migrations built is checked afterwards
 * with the test's own SQL on the rehearsal database (a PGlite kept in a folder, or with
 * UNDERSTUDY_TEST_PG_URL a database kept on the server with --keep, then dropped).
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '@understudy/postgres';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: the rehearse-formats runs use PGlite only');

const F = 'fixtures/migrations';
const work = await mkdtemp(join(tmpdir(), 'understudy-formats-'));
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

interface Rehearsed {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: RehearsalReport;
  /** Runs SQL on the database the rehearsal left (after the ups: --no-down). */
  readonly inspect: <T>(check: (query: Query) => Promise<T>) => Promise<T>;
}

let runs = 0;

/** Rehearses `args` on `environment`, keeping the database for the test's own queries. */
async function rehearse(environment: 'pglite' | 'postgres', args: readonly string[]): Promise<Rehearsed> {
  const json = join(work, `report-${++runs}.json`);
  const where = environment === 'pglite' ? ['--url', `pglite://${join(work, `db-${runs}`)}`] : ['--url', PG_URL!, '--keep'];
  const result = await runCli(['rehearse', ...args, '--no-down', '--rows', '200', ...where, '--json', json]);
  if (![0, 1].includes(result.code)) throw new Error(`rehearse exited ${result.code}: ${result.stderr}`);
  const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
  const inspect = async <T>(check: (query: Query) => Promise<T>): Promise<T> => {
    if (environment === 'pglite') {
      const conn = await openPglite({ dataDir: join(work, `db-${runs}`), extensions: ['uuid-ossp', 'btree_gin', 'pg_trgm'] });
      try {
        return await check(async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows);
      } finally {
        await conn.close();
      }
    }
    const kept = /\/(understudy_rehearse_\w+)/.exec(report.environment)![1]!;
    const url = new URL(PG_URL!);
    url.pathname = `/${kept}`;
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      return await check(async (sql) => (await client.query<Record<string, unknown>>(sql)).rows);
    } finally {
      await client.end();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${kept}"`);
      await admin.end();
    }
  };
  return { ...result, report, inspect };
}

const validIndex = (name: string) => `SELECT count(*)::int AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '${name}' AND i.indisvalid`;
const columns = (table: string) => `SELECT column_name AS c FROM information_schema.columns WHERE table_name = '${table}' ORDER BY 1`;
const statuses = (report: RehearsalReport) => [...new Set(report.migrations.map((m) => m.status))];

const environments: Array<'pglite' | 'postgres'> = ['pglite', ...(PG_URL ? (['postgres'] as const) : [])];

describe.each(environments)('rehearse real histories on %s', (environment) => {
  it('goose (openfga): NO TRANSACTION builds the index CONCURRENTLY outside a transaction', async () => {
    const run = await rehearse(environment, [`${F}/goose-openfga/postgres`, '--pending', '5']);
    expect(run.report.format).toBe('goose');
    expect(run.report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['002', 'passed'],
      ['003', 'passed'],
      ['004', 'passed'],
      ['005', 'passed'],
      ['006', 'passed'],
    ]);
    await run.inspect(async (q) => {
      expect(await q(validIndex('idx_user_lookup'))).toEqual([{ n: 1 }]);
      expect(await q("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'idx_reverse_lookup_user'")).toEqual([{ n: 0 }]);
      expect((await q(columns('tuple'))).map((r) => r['c'])).toContain('condition_context');
    });
  });

  it('goose: the same CONCURRENTLY without NO TRANSACTION fails as PostgreSQL fails it, saying what to add', async () => {
    const dir = await mkdtemp(join(work, 'goose-'));
    const openfga = join(repoRoot, F, 'goose-openfga', 'postgres');
    for (const file of (await readdir(openfga)).filter((f) => f < '006')) await copyFile(join(openfga, file), join(dir, file));
    await writeFile(
      join(dir, '006_concurrently_in_a_transaction.sql'),
      '-- +goose Up\nCREATE INDEX CONCURRENTLY idx_user_lookup ON tuple (store, _user);\n\n-- +goose Down\nDROP INDEX idx_user_lookup;\n',
    );
    const run = await rehearse(environment, [dir]);
    expect(run.code).toBe(1);
    expect(run.report.migrations[0]!.failure).toMatchObject({
      file: '006_concurrently_in_a_transaction.sql',
      line: 2,
      error: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block (goose runs each migration in a transaction: add "-- +goose NO TRANSACTION" to the file)',
    });
    await run.inspect(async (q) => expect(await q("SELECT count(*)::int AS n FROM pg_class WHERE relname = 'idx_user_lookup'")).toEqual([{ n: 0 }]));
  });

  it('Sqitch (chef-erchef): the baseline project first, each script with its own BEGIN/COMMIT, a reworked change at both places', async () => {
    const run = await rehearse(environment, [`${F}/sqitch-chef-erchef`, '--pending', '30']);
    expect(run.report.format).toBe('sqitch');
    expect(run.report.baseline.slice(0, 2).map((m) => m.id)).toEqual(['oss_chef:osc_users', 'oss_chef:nodes']);
    expect(statuses(run.report)).toEqual(['passed']);
    const ids = run.report.migrations.map((m) => m.id);
    expect(ids.indexOf('keys_update_trigger@users_email_functional_index')).toBeLessThan(ids.indexOf('keys_update_trigger'));
    await run.inspect(async (q) => {
      // CREATE INDEX CONCURRENTLY in a script without BEGIN: built outside any transaction.
      expect(await q(validIndex('users_lower_email_idx'))).toEqual([{ n: 1 }]);
      // The reworked trigger function is the later one.
      expect(String((await q("SELECT prosrc FROM pg_proc WHERE proname = 'add_key'"))[0]!['prosrc'])).toContain('this_is_not_a_key');
    });
  });

  it('temporal-sql-tool (visibility): version folders in numeric order, manifest files in order, CONCURRENTLY outside a transaction', async () => {
    const run = await rehearse(environment, [`${F}/temporal-sql-tool/visibility/versioned`, '--pending', '5']);
    expect(run.report.format).toBe('temporal-sql-tool');
    expect(run.report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['1.10', 'passed'],
      ['1.11', 'passed'],
      ['1.12', 'passed'],
      ['1.13', 'passed'],
      ['1.14', 'passed'],
    ]);
    await run.inspect(async (q) => {
      const concurrently = await q('SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid');
      expect(concurrently).toEqual([]);
      expect((await q(columns('executions_visibility'))).map((r) => r['c'])).toContain('temporalexternalpayloadsizebytes');
    });
  });

  it('diesel (crates.io): <version>_<name>/up.sql in version order, each in a transaction', async () => {
    const run = await rehearse(environment, [`${F}/diesel-crates-io`, '--pending', '7']);
    expect(run.report.format).toBe('diesel');
    expect(run.report.migrations.map((m) => m.name)).toEqual([
      'dumped_migration_13',
      'dumped_migration_14',
      'dumped_migration_15',
      'dumped_migration_16',
      'dumped_migration_17',
      'dumped_migration_18',
      'dumped_migration_19',
    ]);
    expect(statuses(run.report)).toEqual(['passed']);
    await run.inspect(async (q) => {
      expect(await q('SELECT total_downloads::int AS n FROM metadata')).toEqual([{ n: 0 }]);
      expect((await q(columns('packages'))).map((r) => r['c'])).toContain('downloads');
    });
  });

  it('sqlx (atuin): <timestamp>_<name>.sql in version order, each in a transaction', async () => {
    const run = await rehearse(environment, [`${F}/sqlx-atuin`, '--pending', '5']);
    expect(run.report.format).toBe('sqlx');
    expect(run.report.notes[0]).toMatch(/^read as sqlx: .*--tool plain/);
    expect(statuses(run.report)).toEqual(['passed']);
    await run.inspect(async (q) => {
      expect(await q(validIndex('store_idx_cache_uniq'))).toEqual([{ n: 1 }]);
      expect((await q(columns('users'))).map((r) => r['c'])).not.toContain('verified_at');
    });
  });

  it('popx (kratos): the PostgreSQL files, not the MySQL, SQLite or CockroachDB ones', async () => {
    const run = await rehearse(environment, [`${F}/popx-kratos`, '--pending', '5']);
    expect(run.report.format).toBe('popx');
    expect(statuses(run.report)).toEqual(['passed']);
    await run.inspect(async (q) => {
      // The PostgreSQL file of 20191100000006000000 makes courier_messages.body text; the MySQL one makes it TEXT too, but only PostgreSQL has jsonb.
      expect(await q("SELECT data_type AS t FROM information_schema.columns WHERE table_name = 'selfservice_profile_management_requests' AND column_name = 'form'")).toEqual([{ t: 'jsonb' }]);
      expect(await q("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'courier_messages'")).toEqual([{ n: 1 }]);
    });
  });

  it('pop with fizz templates (supabase auth): --define fills {{ index .Options "Namespace" }}', async () => {
    const missing = await runCli(['rehearse', `${F}/popx-supabase-auth`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`{{ index .Options "Namespace" }} at ${F}/popx-supabase-auth/00_init_auth_schema.up.sql:3`);
    expect(missing.stderr).toContain('--define Namespace=VALUE');
    const malformed = await runCli(['rehearse', `${F}/popx-supabase-auth`, '--define', 'Namespace']);
    expect([malformed.code, malformed.stderr.split('\n')[0]]).toEqual([2, 'understudy: --define Namespace is not NAME=VALUE']);
    const run = await rehearse(environment, [`${F}/popx-supabase-auth`, '--define', 'Namespace=public', '--pending', '5']);
    expect(statuses(run.report)).toEqual(['passed']);
    await run.inspect(async (q) => expect((await q(columns('sessions'))).map((r) => r['c'])).toEqual(['created_at', 'id', 'updated_at', 'user_id']));
  });

  it('Liquibase formatted SQL (edp-ddm): every changeset, ${parameters} from --define', async () => {
    const run = await rehearse(environment, [
      `${F}/liquibase-edp-notifications`,
      '--define',
      'notificationTemplatePublisherName=CURRENT_USER',
      '--define',
      'notificationServiceName=CURRENT_USER',
      '--pending',
      '3',
    ]);
    expect(run.report.format).toBe('liquibase');
    expect(run.report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['platform:create-tables', 'passed'],
      ['platform:create-notification-attrs', 'passed'],
      ['platform:create-inbox-notification', 'passed'],
    ]);
    await run.inspect(async (q) => {
      expect((await q(columns('notification_template'))).map((r) => r['c'])).toContain('ext_template_id');
      expect(await q("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'inbox_notification'")).toEqual([{ n: 1 }]);
    });
  });

  it('Atlas (hatchet): the whole directory, -- atlas:txmode none files outside a transaction', async () => {
    const run = await rehearse(environment, [`${F}/atlas-hatchet`, '--pending', '82']);
    expect(run.report.format).toBe('atlas');
    expect(statuses(run.report)).toEqual(['passed']);
    await run.inspect(async (q) => {
      expect(await q(validIndex('Event_createdAt_idx'))).toEqual([{ n: 1 }]);
      expect(await q('SELECT count(*)::int AS n FROM pg_index i WHERE NOT i.indisvalid')).toEqual([{ n: 0 }]);
    });
  });
});

const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!MYSQL_URL) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB runs of rehearse-formats');

describe.runIf(MYSQL_URL)('rehearse real MySQL histories on MariaDB', () => {
  async function rehearseMysql(args: readonly string[]): Promise<{ code: number; report: RehearsalReport; database: string }> {
    const json = join(work, `report-${++runs}.json`);
    const result = await runCli(['rehearse', ...args, '--no-down', '--rows', '200', '--url', MYSQL_URL!, '--keep', '--json', json]);
    if (![0, 1].includes(result.code)) throw new Error(`rehearse exited ${result.code}: ${result.stderr}`);
    const report = RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
    return { code: result.code, report, database: /\/(understudy_rehearse_\w+)/.exec(report.environment)![1]! };
  }
  async function inMysql<T>(database: string, check: (query: (sql: string) => Promise<Array<Record<string, unknown>>>) => Promise<T>): Promise<T> {
    const mysql = await import('mysql2/promise');
    const conn = await mysql.createConnection(MYSQL_URL!);
    try {
      return await check(async (sql) => (await conn.query(sql.replaceAll('$db', database)))[0] as Array<Record<string, unknown>>);
    } finally {
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.end();
    }
  }

  it('temporal-sql-tool (temporal, MySQL): the whole history, statement by statement', async () => {
    const run = await rehearseMysql([`${F}/temporal-sql-tool-mysql/temporal/versioned`, '--pending', '20']);
    expect([run.report.format, run.report.dialect]).toEqual(['temporal-sql-tool', 'mysql']);
    expect(statuses(run.report)).toEqual(['passed']);
    await inMysql(run.database, async (q) => {
      expect(await q("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = '$db' AND table_name = 'current_chasm_executions'")).toEqual([{ n: 1 }]);
    });
  });

  it('goose (openfga, MySQL): 007 fails with the error MariaDB gives for MySQL 8 syntax', async () => {
    const run = await rehearseMysql([`${F}/goose-openfga/mysql`, '--pending', '4']);
    expect(run.code).toBe(1);
    expect(run.report.migrations.map((m) => [m.id, m.status])).toEqual([
      ['005', 'passed'],
      ['006', 'passed'],
      ['007', 'failed'],
      ['008', 'skipped'],
    ]);
    expect(run.report.migrations[2]!.failure!.error).toMatch(/near 'LOCK = NONE'/);
    await inMysql(run.database, async (q) => {
      expect(await q("SELECT COLUMN_NAME AS c FROM information_schema.columns WHERE table_schema = '$db' AND table_name = 'tuple' AND column_name = 'condition_name'")).toEqual([
        { c: 'condition_name' },
      ]);
    });
  });
});
