/**
 * A saved plan fed back: `understudy plan --out plan.json`, then `generate --plan`
 * and `seed --plan` make the same data as the flags did, follow edits to the
 * file, and refuse, naming the file, a plan that would not give the same data
 * or does not fit the target.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

const PAGILA = 'fixtures/schemas/pagila/schema.sql';
let work: string;
let planFile: string;

async function filesOf(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) out.set(name, await readFile(join(dir, name), 'utf8'));
  return out;
}

async function editedPlan(edit: (plan: Record<string, any>) => void): Promise<string> {
  const plan = JSON.parse(await readFile(planFile, 'utf8'));
  edit(plan);
  const file = join(work, `edited-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(plan, null, 2));
  return file;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-plan-file-'));
  planFile = join(work, 'plan.json');
  const made = await runCli(['plan', '--from', PAGILA, '--rows', '300', '--seed', '11', '--out', planFile]);
  expect(made.code).toBe(0);
});

describe('generate --plan', () => {
  it('makes byte-identical files to the flags the plan was made from', async () => {
    const fromPlan = join(work, 'from-plan');
    const fromFlags = join(work, 'from-flags');
    expect((await runCli(['generate', '--plan', planFile, '--out', fromPlan, '--format', 'csv', '--json'])).code).toBe(0);
    expect((await runCli(['generate', '--from', PAGILA, '--rows', '300', '--seed', '11', '--out', fromFlags, '--format', 'csv', '--json'])).code).toBe(0);
    const a = await filesOf(fromPlan);
    const b = await filesOf(fromFlags);
    expect(a.size).toBeGreaterThanOrEqual(15);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, text] of a) expect(text, name).toBe(b.get(name));
  });

  it('follows an edited plan: another row count for one table, another generator for one column', async () => {
    const file = await editedPlan((plan) => {
      plan.tables['public.actor'].rows = 42;
      // film_actor's key draws its actor component among actor's rows: 42 of them now.
      plan.tables['public.film_actor'].picks['unique:film_actor_pkey'].sizes[0] = 42;
      const first = plan.tables['public.actor'].columns.find((c: { name: string }) => c.name === 'first_name');
      first.generator = { name: 'values', params: { values: ['Ada', 'Grace'] } };
      first.nullRate = 0;
    });
    const out = join(work, 'edited-out');
    const result = await runCli(['generate', '--plan', file, '--out', out, '--format', 'csv', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = (await readFile(join(out, 'public.actor.csv'), 'utf8')).trim().split('\r\n');
    expect(lines).toHaveLength(43);
    const header = lines[0]!.split(',');
    const at = header.indexOf('first_name');
    expect(new Set(lines.slice(1).map((l) => l.split(',')[at]))).toEqual(new Set(['Ada', 'Grace']));
  });
});

describe('seed --plan', () => {
  it('loads the planned rows into an embedded PGlite', async () => {
    const result = await runCli(['seed', '--from', PAGILA, '--plan', planFile, '--json']);
    // Nothing on stderr but the in-memory target said out loud.
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^target: an in-memory PGlite \(nothing is kept/)]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { rows: number; tables: Array<{ table: string; rows: number }> };
    const plan = JSON.parse(await readFile(planFile, 'utf8'));
    // PGlite's sink sets foreign keys aside for the load, so the tables go heaviest first (the plan's costOrder).
    expect(summary.tables.map((t) => [t.table, t.rows])).toEqual(plan.costOrder.map((k: string) => [k, plan.tables[k].rows]));
  });
});

describe('--plan: what it refuses, naming the file (exit 2)', () => {
  const refuses = async (args: string[], message: RegExp): Promise<void> => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack
  };

  it('a flag the plan already fixes', async () => {
    await refuses(['generate', '--plan', planFile, '--rows', '5', '--out', join(work, 'x')], /already fixes rows.*drop --rows/);
  });

  it('a plan of another generator version, or not a plan at all', async () => {
    await refuses(['generate', '--plan', await editedPlan((p) => (p.generatorVersion = '1')), '--out', join(work, 'x')], /generator version "1".*would not give the same values/);
    await refuses(['generate', '--plan', await editedPlan((p) => (p.tables['public.film'].rows = -3)), '--out', join(work, 'x')], /not a valid plan at tables\.public\.film\.rows/);
    await refuses(
      ['generate', '--plan', await editedPlan((p) => (p.loadOrder = p.loadOrder.filter((t: string) => t !== 'public.actor'))), '--out', join(work, 'x')],
      /not a valid plan at costOrder: must list the same tables as loadOrder/,
    );
    const notJson = join(work, 'not.json');
    await writeFile(notJson, '{ "version": 1,');
    await refuses(['generate', '--plan', notJson, '--out', join(work, 'x')], /not valid JSON/);
    await refuses(['generate', '--plan', join(work, 'missing.json'), '--out', join(work, 'x')], /missing\.json: no such file/);
  });

  it('row counts edited apart: a parent with fewer rows than its children pick from', async () => {
    await refuses(
      ['generate', '--plan', await editedPlan((p) => (p.tables['public.language'].rows = 3)), '--out', join(work, 'x')],
      /public\.film picks parents among 300 rows of public\.language .* gives public\.language 3 rows/,
    );
    await refuses(
      ['generate', '--plan', await editedPlan((p) => (p.tables['public.actor'].rows = 42)), '--out', join(work, 'x')],
      /public\.film_actor\.actor_id draws among 300 rows of public\.actor, but the plan gives public\.actor 42 rows/,
    );
  });

  it('a plan that does not fit the target: another schema, a column it does not have', async () => {
    await refuses(['seed', '--from', 'fixtures/schemas/northwind/schema.sql', '--plan', planFile], /fills table public\.\w+, which .* does not have/);
    const extra = await editedPlan((p) => {
      p.tables['public.actor'].columns.push({ ...p.tables['public.actor'].columns[1], name: 'nickname' });
    });
    await refuses(['seed', '--from', PAGILA, '--plan', extra], /fills public\.actor\.nickname, which the target's public\.actor does not have/);
  });
});
