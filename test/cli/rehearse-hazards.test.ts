/**
 * The long-lock verdicts that rest on the rows a statement reads (issue 16), through the built
 * CLI on labelled cases (`fixtures/rehearse/labelled/`), on PGlite and on PostgreSQL 15, with
 * estimates at a million rows per table from small seeds (200 and 2,000 rows: the verdict must
 * not need the timings to stand out, and a threshold of an hour leaves the verdict to the rows):
 * - a scan under a lock that blocks writes (`ADD FOREIGN KEY`, `SET NOT NULL`) is a hazard, its
 *   rows read extrapolated to the million rows;
 * - its catalog-only twin (`… NOT VALID`) is none, and reads no row;
 * - an `UPDATE` of one row by its key under the lock `ADD COLUMN` took is none; a backfill of
 *   every row under it is one.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RehearsalReportModel, type RehearsalReport } from '@understudy/rehearse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!PG_URL) console.warn('UNDERSTUDY_TEST_PG_URL not set: the rows-read lock verdicts run on PGlite only');

const DIR = 'fixtures/rehearse/labelled';
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-rehearse-hazards-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function rehearse(name: string, env: string, args: readonly string[]): Promise<RehearsalReport> {
  const json = join(work, `${env}-${name}.json`);
  const result = await runCli([
    'rehearse',
    `${DIR}/${name}`,
    '--rows',
    '200',
    '--estimate-rows',
    '2000',
    '--target-rows',
    '1000000',
    '--no-down',
    '--lock-threshold-ms',
    '3600000',
    ...args,
    '--json',
    json,
  ]);
  expect(result.stderr, result.stdout).toContain(`wrote ${json}`);
  return RehearsalReportModel.parse(JSON.parse(await readFile(json, 'utf8')));
}

const locks = (r: RehearsalReport): string[] => r.hazards.filter((h) => h.kind === 'long-lock').map((h) => h.message);
const environments = [{ env: 'PGlite', args: [] as string[] }, ...(PG_URL ? [{ env: 'PostgreSQL 15', args: ['--url', PG_URL] }] : [])];

describe.each(environments)('long-lock by rows read on $env', ({ env, args }) => {
  it('ADD FOREIGN KEY validates every row under SHARE ROW EXCLUSIVE: a hazard on both tables; NOT VALID reads none: no hazard', async () => {
    const bad = await rehearse('add-foreign-key', env, args);
    const [first] = bad.migrations[0]!.statements;
    // The rehearsal read every one of the 200 rows of orders (and of users, the parent) at least once.
    expect(first!.reads!.map((r) => r.relation)).toEqual(['public.orders', 'public.users']);
    for (const r of first!.reads!) expect(r.rows).toBeGreaterThanOrEqual(200);
    expect(bad.estimates[0]!.rowsRead!['public.orders']).toBeGreaterThanOrEqual(1_000_000);
    expect(locks(bad)).toEqual([
      expect.stringMatching(/^002_change\.up\.sql:1 takes SHARE ROW EXCLUSIVE on public\.orders and reads an estimated [\d,]{9,} rows of it under that lock \(more than 10,000\)/),
      expect.stringMatching(/^002_change\.up\.sql:1 takes SHARE ROW EXCLUSIVE on public\.users and reads an estimated [\d,]{9,} rows of it under that lock/),
    ]);
    const good = await rehearse('add-foreign-key-not-valid', env, args);
    expect(good.migrations[0]!.statements[0]!.reads).toEqual([]);
    expect(good.estimates[0]!.basis).toMatch(/^constant: reads no rows of public\.orders \(a catalog change\)/);
    expect(locks(good)).toEqual([]);
  });

  it('SET NOT NULL scans the table under ACCESS EXCLUSIVE: a hazard; with a valid CHECK (col IS NOT NULL) it skips the scan: none', async () => {
    expect(locks(await rehearse('set-not-null', env, args))).toEqual([expect.stringMatching(/takes ACCESS EXCLUSIVE on public\.orders and reads an estimated [\d,]{9,} rows of it under that lock/)]);
    const good = await rehearse('set-not-null-with-valid-check', env, args);
    expect(good.migrations[0]!.statements.every((s) => s.reads?.length === 0)).toBe(true);
    expect(locks(good)).toEqual([]);
  });

  it('under the lock ADD COLUMN took, an UPDATE of one row by its key is no hazard; a backfill of every row is one', async () => {
    const one = await rehearse('add-column-then-small-update', env, args);
    expect(locks(one)).toEqual([]);
    const all = await rehearse('add-column-then-backfill', env, args);
    expect(locks(all)).toEqual([expect.stringMatching(/^002_change\.up\.sql:2 runs while the ACCESS EXCLUSIVE lock 002_change\.up\.sql:1 took on public\.orders is still held: /)]);
  });
});
