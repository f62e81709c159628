/**
 * `understudy seed --url` into PostgreSQL (UNDERSTUDY_TEST_PG_URL): each
 * fixture is loaded into a fresh database first, then seeded through the built
 * CLI and checked independently in SQL. Also: all-or-nothing, a refused
 * non-empty target, a refused production-looking target, an unreachable server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { postgresDialect, connectPostgres, createScratchDatabase, dropScratchDatabase, readSqlFile, runSqlStatements, urlForDatabase } from '@understudy/postgres';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { join } from 'node:path';
import { repoRoot, runCli } from '../run-cli.js';
import { PG_FIXTURES, rowsLabel, SEED_SIZES } from './pg-fixtures.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the seed tests against a PostgreSQL server');

const created: string[] = [];

/** A fresh database with `fixture` loaded; returns its URL. */
async function databaseWith(fixture: string): Promise<string> {
  const name = await createScratchDatabase(pgUrl!, 'understudy_seed_e2e');
  created.push(name);
  const url = urlForDatabase(pgUrl!, name);
  const conn = await connectPostgres(url, postgresDialect);
  try {
    const file = await readSqlFile(join(repoRoot, fixture));
    await runSqlStatements(conn.db, fixture, file.statements);
  } finally {
    await conn.close();
  }
  return url;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function check(url: string, stdout: string): Promise<void> {
  const conn = await connectPostgres(url, postgresDialect);
  const schema = await conn.introspect().finally(() => conn.close());
  await withClient(url, async (client) => {
    const target: CheckTarget = { dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query: async (sql) => (await client.query(sql)).rows };
    const report = await checkSeededDatabase(target, schema, reportedRows(stdout));
    expect(report.problems).toEqual([]);
    expect(report.foreignKeys + report.uniqueKeys).toBeGreaterThan(0);
    const declaresChecks = Object.values(schema.tables).some((t) => t.checks.length > 0) || Object.values(schema.domains).some((d) => d.checks.length > 0);
    if (declaresChecks) expect(report.checks).toBeGreaterThan(0);
  });
}

/** Every table's row count, to compare a database before and after a failed seed. */
async function snapshot(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const tables = (await client.query<{ t: string }>(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`))
      .rows;
    const out: Record<string, number> = {};
    for (const { t } of tables) out[t] = Number((await client.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    return out;
  });
}

afterAll(async () => {
  if (pgUrl) for (const name of created) await dropScratchDatabase(pgUrl, name).catch(() => undefined);
});

describe.skipIf(!pgUrl)('understudy seed --url postgres://', () => {
  for (const rows of SEED_SIZES) {
    for (const fixture of PG_FIXTURES) {
      it(`seeds ${fixture} at ${rowsLabel(rows)} rows per table with every constraint satisfied`, async () => {
        const url = await databaseWith(fixture);
        const result = await runCli(['seed', '--url', url, '--rows', String(rows), '--workers', '2', '--json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        await check(url, result.stdout);
      }, 600_000);
    }
  }

  it('is all-or-nothing: a seed that fails in a late table leaves the target as it was', async () => {
    const url = await databaseWith('fixtures/schemas/chinook/postgresql/schema.sql');
    const first = await runCli(['seed', '--url', url, '--rows', '50']);
    expect(first.code).toBe(0);
    const before = await snapshot(url);
    // A config that points a foreign key of a late table at a track that does not exist: the load fails there.
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const config = join(await mkdtemp(join(tmpdir(), 'understudy-cfg-')), 'orphan.config.json');
    await writeFile(config, JSON.stringify({ tables: { playlist_track: { columns: { track_id: { values: [999999] } } } } }));
    const failed = await runCli(['seed', '--url', url, '--rows', '500', '--truncate', '--config', config]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/playlist_track/);
    expect(await snapshot(url)).toEqual(before);
  });

  it('is all-or-nothing when the process is killed mid-load', async () => {
    const url = await databaseWith('fixtures/schemas/pagila/schema.sql');
    const before = await snapshot(url);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['bin/understudy', 'seed', '--url', url, '--rows', '200000', '--workers', '2'], { cwd: repoRoot, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 6000));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    // The server notices the dead connection and aborts its transaction.
    await new Promise((r) => setTimeout(r, 500));
    expect(await snapshot(url)).toEqual(before);
  });

  it('rolls back and says so on Ctrl-C (SIGINT), exit code 3', async () => {
    const url = await databaseWith('fixtures/schemas/chinook/postgresql/schema.sql');
    const before = await snapshot(url);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['bin/understudy', 'seed', '--url', url, '--rows', '300000', '--workers', '2'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 5000));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(3);
    expect(stderr).toMatch(/seed interrupted by SIGINT while loading public\.\w+: everything written was rolled back, the target is as it was/);
    expect(await snapshot(url)).toEqual(before);
  });

  it('keeps the rows of a seeded target without --truncate (replaces them with it), and refuses a production-looking one', async () => {
    const url = await databaseWith('fixtures/schemas/chinook/postgresql/schema.sql');
    expect((await runCli(['seed', '--url', url, '--rows', '20'])).code).toBe(0);
    const before = await snapshot(url);
    const again = await runCli(['seed', '--url', url, '--rows', '20']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/kept public\.album: already has 20 rows: kept as it is \(--truncate replaces them\)/);
    expect(await snapshot(url)).toEqual(before);
    const replaced = await runCli(['seed', '--url', url, '--rows', '30', '--truncate']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(Object.values(await snapshot(url))).toEqual(Object.values(before).map(() => 30));
    const prod = await runCli(['seed', '--url', 'postgres://app@db.example.com:5432/app_production', '--rows', '20']);
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('looks like production');
    expect(prod.stderr).toContain('--allow-production');
  });

  it('loads the same rows with two workers (chunk memory passed round) as in one thread', async () => {
    // 40,000 rows a table: chunks of 1,000, 3,000, 10,000 ... so buffers of written chunks are
    // filled again by the workers; a buffer refilled while the socket still held it would show here.
    const fixture = 'fixtures/schemas/pagila/schema.sql';
    const [threaded, inline] = [await databaseWith(fixture), await databaseWith(fixture)];
    for (const [url, workers] of [
      [threaded, '2'],
      [inline, '0'],
    ] as const) {
      const result = await runCli(['seed', '--url', url, '--rows', '40000', '--workers', workers, '--json']);
      expect(result.code, result.stderr).toBe(0);
      // Foreign keys are set aside for the load, so film (a trigger and a GiST index) goes first, before its parent language.
      const order: string[] = JSON.parse(result.stdout).tables.map((t: { table: string }) => t.table);
      expect(order[0]).toBe('public.film');
      expect(order.indexOf('public.language')).toBeGreaterThan(0);
    }
    const digest = (url: string) =>
      withClient(url, async (client) => {
        const tables = (await client.query<{ t: string }>(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows;
        const out: Record<string, string> = {};
        for (const { t } of tables) out[t] = (await client.query(`SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, E'\\n' ORDER BY x::text)), '') AS d FROM ${t} x`)).rows[0].d;
        return out;
      });
    const [a, b] = [await digest(threaded), await digest(inline)];
    expect(Object.keys(a).length).toBeGreaterThan(10);
    expect(Object.values(a).every((d) => !d.startsWith('0:'))).toBe(true);
    expect(a).toEqual(b);
  });

  it('writes --format sql files that psql loads into the DDL, in plan order', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { execFileSync } = await import('node:child_process');
    const url = await databaseWith('fixtures/schemas/chinook/postgresql/schema.sql');
    const out = await mkdtemp(join(tmpdir(), 'understudy-sql-'));
    const generated = await runCli(['generate', '--url', url, '--rows', '300', '--format', 'sql', '--out', out, '--json']);
    expect(generated.code).toBe(0);
    const tables: string[] = JSON.parse(generated.stdout).tables.map((t: { table: string }) => t.table);
    for (const table of tables) execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', join(out, `${table}.sql`), url], { stdio: ['ignore', 'ignore', 'pipe'] });
    await check(url, generated.stdout);
  });

  it('exits 2 naming the database when it has no tables (wrong database, or migrations not run)', async () => {
    const name = await createScratchDatabase(pgUrl!, 'understudy_seed_e2e');
    created.push(name);
    const result = await runCli(['seed', '--url', urlForDatabase(pgUrl!, name), '--rows', '10']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${name} has no tables to fill`);
    expect(result.stderr).toContain('run your migrations');
    // With a saved plan too: the target is what is wrong, not the plan.
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const planFile = join(await mkdtemp(join(tmpdir(), 'understudy-plan-')), 'plan.json');
    expect((await runCli(['plan', '--from', 'fixtures/schemas/chinook/postgresql/schema.sql', '--rows', '10', '--out', planFile])).code).toBe(0);
    const planned = await runCli(['seed', '--url', urlForDatabase(pgUrl!, name), '--plan', planFile]);
    expect(planned.code).toBe(2);
    expect(planned.stderr).toContain(`${name} has no tables to fill`);
  });

  it('exits 3 with a clear message for an unreachable server', async () => {
    const result = await runCli(['seed', '--url', 'postgres://postgres@127.0.0.1:1/nowhere', '--rows', '10']);
    expect(result.code).toBe(3);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
