/**
 * Interrupts at several points of a seed and of `generate`: SIGTERM while the
 * target is opened and emptied, SIGINT while a table's keys and indexes are put
 * back (a slow index: the statement must be cancelled, not waited for), Ctrl-C
 * into a kept PGlite, SIGTERM during `generate`. Each time the process says what
 * was interrupted and what became of the target, and the target is as it was,
 * checked in SQL (or no file, no temporary file, in the output folder).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPostgres, createScratchDatabase, dropScratchDatabase, openPglite, postgresDialect, readSqlFile, runSqlStatements, urlForDatabase } from '@understudy/postgres';
import { repoRoot, runCli, startCli, waitFor } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the interrupt tests against PostgreSQL');

let work: string;
const created: string[] = [];
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-interrupts-'));
});
afterAll(async () => {
  if (pgUrl) for (const name of created) await dropScratchDatabase(pgUrl, name).catch(() => undefined);
});

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function pgDatabase(ddl: { fixture?: string; sql?: string }): Promise<string> {
  const name = await createScratchDatabase(pgUrl!, 'understudy_interrupts');
  created.push(name);
  const url = urlForDatabase(pgUrl!, name);
  if (ddl.fixture) {
    const conn = await connectPostgres(url, postgresDialect);
    try {
      await runSqlStatements(conn.db, ddl.fixture, (await readSqlFile(join(repoRoot, ddl.fixture))).statements);
    } finally {
      await conn.close();
    }
  }
  if (ddl.sql) await withClient(url, (c) => c.query(ddl.sql!));
  return url;
}

/** Row count and content hash of every table, and the indexes and constraints there are. */
async function state(url: string): Promise<unknown> {
  return withClient(url, async (c) => {
    const tables: Record<string, string> = {};
    for (const { t } of (await c.query<{ t: string }>(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows) {
      tables[t] = (await c.query(`SELECT count(*) || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') AS h FROM ${t} x`)).rows[0].h;
    }
    const indexes = (await c.query(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`)).rows;
    const constraints = (await c.query(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1`)).rows;
    return { tables, indexes, constraints };
  });
}

async function understudySessions(url: string, where = 'true'): Promise<number> {
  return withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'understudy' AND ${where}`)).rows[0].n));
}

describe.skipIf(!pgUrl)('interrupting a seed into PostgreSQL', () => {
  it('SIGTERM while the tables are emptied (a TRUNCATE waiting for a lock): cancelled at once, rolled back, said so', async () => {
    const url = await pgDatabase({ fixture: 'fixtures/schemas/chinook/postgresql/schema.sql' });
    expect((await runCli(['seed', '--url', url, '--rows', '20'])).code).toBe(0);
    const before = await state(url);
    const blocker = new pg.Client({ connectionString: url, application_name: 'report-job' });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE public.invoice IN ACCESS SHARE MODE');
    try {
      // No lock timeout: only the signal can end the wait.
      const seed = startCli(['seed', '--url', url, '--rows', '30', '--truncate', '--lock-timeout', '0']);
      await waitFor('the TRUNCATE to wait for the lock', async () => (await understudySessions(url, `wait_event_type = 'Lock'`)) > 0);
      const signalled = Date.now();
      seed.child.kill('SIGTERM');
      const { code } = await seed.exited;
      expect(Date.now() - signalled).toBeLessThan(15_000);
      expect(code).toBe(3);
      expect(seed.stderr()).toContain('understudy: SIGTERM received: stopping the seed and rolling back');
      expect(seed.stderr()).toContain('seed interrupted by SIGTERM while opening the target (checking or emptying its tables): everything written was rolled back, the target is as it was');
      await waitFor('no session of the seed left', async () => (await understudySessions(url)) === 0, 10_000);
    } finally {
      await blocker.query('COMMIT');
      await blocker.end();
    }
    expect(await state(url)).toEqual(before);
  }, 300_000);

  it('SIGINT while an index is rebuilt after the load: the statement is cancelled, not waited for; the index is back', async () => {
    // An index whose every entry takes 10 ms: rebuilding it for 3,000 rows takes 30 s or more.
    const url = await pgDatabase({
      sql: `CREATE TABLE item (id int PRIMARY KEY, n int NOT NULL);
            CREATE FUNCTION slow_key(v int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(0.01); RETURN v; END $$;
            CREATE INDEX item_slow ON item (slow_key(n));`,
    });
    const before = await state(url);
    const seed = startCli(['seed', '--url', url, '--rows', '3000']);
    await waitFor('the index rebuild', async () => (await understudySessions(url, `state = 'active' AND query LIKE '%CREATE INDEX item_slow%'`)) > 0);
    const signalled = Date.now();
    seed.child.kill('SIGINT');
    const { code } = await seed.exited;
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(code).toBe(3);
    expect(seed.stderr()).toContain('seed interrupted by SIGINT while loading public.item: everything written was rolled back, the target is as it was');
    await waitFor('no session of the seed left', async () => (await understudySessions(url)) === 0, 10_000);
    expect(await state(url)).toEqual(before);
  }, 300_000);
});

describe('interrupting a seed into a kept PGlite', () => {
  it('Ctrl-C rolls back: the tables hold what they held', async () => {
    const dir = join(work, 'pglite');
    expect((await runCli(['seed', '--from', 'fixtures/schemas/chinook/postgresql/schema.sql', '--pglite', dir, '--rows', '25'])).code).toBe(0);
    const countAll = async (): Promise<Record<string, number>> => {
      const conn = await openPglite({ dataDir: dir });
      try {
        const out: Record<string, number> = {};
        for (const { t } of (await conn.pglite.query<{ t: string }>(`SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows) {
          out[t] = Number((await conn.pglite.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
        }
        return out;
      } finally {
        await conn.close();
      }
    };
    const before = await countAll();
    expect(Object.values(before).every((n) => n === 25)).toBe(true);
    const seed = startCli(['seed', '--url', `pglite://${dir}`, '--rows', '400000', '--truncate']);
    // Wherever it is by then (opening the PGlite, emptying, loading), it must roll back.
    await new Promise((r) => setTimeout(r, 8000));
    seed.child.kill('SIGINT');
    const { code } = await seed.exited;
    expect(code).toBe(3);
    expect(seed.stderr()).toMatch(/seed interrupted by SIGINT while [^:]+: (everything written was rolled back, the target is as it was|nothing was written)/);
    expect(await countAll()).toEqual(before);
  }, 300_000);
});

describe('interrupting generate', () => {
  it('SIGTERM removes the partial files, says so, and a later run removes temporary files abandoned by a killed one', async () => {
    const out = join(work, 'generated');
    const run = startCli(['generate', '--from', 'fixtures/schemas/pagila/schema.sql', '--rows', '400000', '--out', out]);
    await waitFor('a file being written', async () => (await readdir(out).catch(() => [] as string[])).some((n) => n.endsWith('.tmp')), 120_000);
    run.child.kill('SIGTERM');
    const { code } = await run.exited;
    expect(code).toBe(3);
    expect(run.stderr()).toMatch(new RegExp(`generate interrupted by SIGTERM while writing public\\.\\w+: no file was written in ${out.replace(/[/.]/g, '\\$&')} \\(the partial ones were removed\\)`));
    expect(await readdir(out)).toEqual([]);

    // A run killed outright (SIGKILL) leaves its temporary files; the next run in the folder removes them.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const abandoned = `.public.actor.csv.${gone}-0badf00d.tmp`;
    await writeFile(join(out, abandoned), 'half a file');
    expect((await runCli(['generate', '--from', 'fixtures/schemas/pagila/schema.sql', '--rows', '10', '--out', out])).code).toBe(0);
    const names = await readdir(out);
    expect(names).not.toContain(abandoned);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(names).toContain('public.actor.csv');
  }, 300_000);
});
