/**
 * `rehearse --dry-run`: the plan (baseline, pending, seed sizes, estimate targets, thresholds),
 * printed for people or as JSON, and nothing created. The plan's migrations are checked against
 * the folder's files; on a PostgreSQL server, that nothing was created is checked by the
 * databases a role of the test's own owns (none after a dry run; one after a real `--keep` run
 * as that role, so the check can see one).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the --dry-run on a PostgreSQL server');

const REWRITE = 'fixtures/migrations/rehearse/rewrite';

/** The migrations of a golang-migrate folder, from its file names: `002_orders_id_bigint.up.sql` → 002. */
function upFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir))
    .filter((f) => f.endsWith('.up.sql'))
    .sort();
}

describe('rehearse --dry-run on the embedded engine', () => {
  it('prints the plan: baseline, pending, seed sizes, estimates, thresholds', async () => {
    const { code, stdout, stderr } = await runCli([
      'rehearse',
      REWRITE,
      '--target-rows',
      'orders=2400000,users=90000',
      '--rows',
      '500',
      '--estimate-rows',
      '8000',
      '--lock-threshold-ms',
      '250',
      '--dry-run',
    ]);
    expect(code, stderr).toBe(0);
    const files = upFiles(REWRITE);
    expect(files).toHaveLength(2);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Rehearsal plan for ${REWRITE} (golang-migrate, postgres) on PGlite (in memory)`);
    expect(lines).toContain('Baseline: 1 migration (001 create_users_and_orders)');
    expect(lines).toContain('Pending: 1 migration (002 orders_id_bigint)');
    expect(lines).toContain('Seed: 500 rows per table, seed 1');
    expect(lines).toContain('Estimates: a second seed of 8,000 rows, extrapolated to orders=2,400,000, users=90,000 (from --target-rows); a blocking lock held longer than 250 ms is a hazard');
    expect(lines).toContain('Down check: the downs run after the ups, and must restore the schema');
    expect(stdout).toContain('Dry run: nothing was created or run.');
    // Nothing ran: no seed, no migration, no report.
    expect(stdout).not.toMatch(/seeded|PASSED|FAILED|Hazards/);
  });

  it("--json prints the plan as one JSON object whose migrations are the folder's", async () => {
    const { code, stdout, stderr } = await runCli(['rehearse', REWRITE, '--pending', '2', '--no-down', '--seed', '7', '--dry-run', '--json']);
    expect(code, stderr).toBe(0);
    const plan = JSON.parse(stdout) as Record<string, unknown> & {
      baseline: unknown[];
      pending: Array<{ id: string; name: string; traced: boolean }>;
      seed: { seed: unknown; rows: number };
      down: boolean;
    };
    expect(plan['version']).toBe(1);
    expect(plan['format']).toBe('golang-migrate');
    expect(plan.baseline).toEqual([]);
    // Every up file of the folder, in order, by its number and name.
    expect(plan.pending.map((m) => `${m.id}_${m.name}.up.sql`)).toEqual(upFiles(REWRITE));
    expect(plan.pending.every((m) => m.traced)).toBe(true);
    expect(plan.seed).toMatchObject({ seed: '7', rows: 1000 });
    expect(plan.down).toBe(false);
    expect(plan['lockThresholdRows']).toBe(10_000);
    expect(plan['estimate']).toBeUndefined();
  });

  it('bad flags are still refused (exit 2)', async () => {
    const { code, stderr } = await runCli(['rehearse', REWRITE, '--scale', '0.5', '--dry-run']);
    expect(code).toBe(2);
    expect(stderr).toContain('--scale');
  });
});

describe.skipIf(!PG_URL)('rehearse --dry-run on a PostgreSQL server', () => {
  const role = `understudy_dry_${process.pid}_${Date.now().toString(36)}`;
  const asRole = (): string => {
    const url = new URL(PG_URL!);
    url.username = role;
    url.password = '';
    return url.toString();
  };
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const ownedDatabases = (): Promise<string[]> =>
    admin(async (c) => (await c.query<{ datname: string }>('SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = $1', [role])).rows.map((r) => r.datname));

  afterAll(async () => {
    await admin(async (c) => {
      for (const name of await ownedDatabases()) await c.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
    });
  });

  it('creates no database', async () => {
    await admin((c) => c.query(`CREATE ROLE "${role}" LOGIN CREATEDB`));
    const { code, stdout, stderr } = await runCli(['rehearse', REWRITE, '--url', asRole(), '--dry-run']);
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')[0]).toContain(`on a throwaway database on postgres://${role}@`);
    expect(await ownedDatabases()).toEqual([]);
    // No session of the role is left open either.
    const seen = await admin(async (c) => (await c.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1', [role])).rows[0].n as number);
    expect(seen).toBe(0);

    // The same rehearsal run for real, kept, as that role: the check above would have seen its database.
    const real = await runCli(['rehearse', REWRITE, '--url', asRole(), '--keep', '--rows', '50', '--no-down']);
    expect(real.code, real.stderr).toBe(0);
    expect(await ownedDatabases()).toHaveLength(1);
  });
});
