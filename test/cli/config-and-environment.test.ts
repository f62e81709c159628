/**
 * The config as a pipeline meets it, through the built CLI: found on its own from a subfolder,
 * a `.ts` config outside a `"type": "module"` package, `$schema` in JSON, `--env NAME` picking
 * an environment (rows checked with SQL in the seeded database), and which database a seed
 * writes: `--url` > the environment's / config's `url` > `DATABASE_URL`, said with --verbose,
 * with an in-memory target said out loud.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const PAGILA = join(repoRoot, 'fixtures/schemas/pagila/schema.sql');
const EXAMPLE = join(repoRoot, 'examples/understudy.config.ts');
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the DATABASE_URL tests against a PostgreSQL server');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-config-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Rows of each table, counted in a kept PGlite folder. */
async function pgliteCounts(dir: string, tables: readonly string[]): Promise<Record<string, number>> {
  const db = new PGlite(dir);
  try {
    const out: Record<string, number> = {};
    for (const t of tables) out[t] = Number((await db.query<{ n: string }>(`select count(*)::text as n from ${t}`)).rows[0]!.n);
    return out;
  } finally {
    await db.close();
  }
}

describe('the config file is found on its own', () => {
  it('from a subfolder, up to the repository root; a .ts config loads in a package without "type": "module"', async () => {
    const project = join(work, 'cjs-project');
    await mkdir(join(project, '.git'), { recursive: true });
    await mkdir(join(project, 'db', 'seeds'), { recursive: true });
    await writeFile(join(project, 'package.json'), '{ "name": "app", "version": "1.0.0" }\n');
    await writeFile(join(project, 'understudy.config.ts'), 'const rows: number = 7;\nexport default { seed: 3, rows, environments: { dev: { rows: 2 } } };\n');
    const result = await runCli(['plan', '--from', PAGILA, '--verbose'], { cwd: join(project, 'db', 'seeds') });
    expect(result.stderr).toContain(`config: ${join('..', '..', 'understudy.config.ts')} (found from the working directory)`);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { seed: string; tables: Record<string, { rows: number }> };
    expect(plan.seed).toBe('3');
    expect(plan.tables['public.actor']!.rows).toBe(7);

    const none = await runCli(['plan', '--from', PAGILA, '--no-config', '--summary'], { cwd: project });
    expect(none.stdout).toContain('public.actor  1,000 rows');
  });

  it('does not look above the repository root (the folder with .git)', async () => {
    const outer = join(work, 'outer');
    await mkdir(join(outer, 'repo', '.git'), { recursive: true });
    await writeFile(join(outer, 'understudy.config.json'), '{ "rows": 3 }\n');
    const result = await runCli(['plan', '--from', PAGILA, '--summary'], { cwd: join(outer, 'repo') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('public.actor  1,000 rows');
  });

  it('accepts "$schema" in a JSON config, and names the file and key of a mistake', async () => {
    const dir = join(work, 'json');
    await mkdir(dir);
    await writeFile(join(dir, 'understudy.config.json'), JSON.stringify({ $schema: './node_modules/understudy-cli/dist/understudy.config.schema.json', rows: 4 }));
    const ok = await runCli(['plan', '--from', PAGILA, '--summary'], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('public.actor  4 rows');

    await writeFile(join(dir, 'understudy.config.json'), JSON.stringify({ rows: 4, environments: { dev: { rowz: 1 } } }));
    const bad = await runCli(['plan', '--from', PAGILA, '--summary'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('understudy.config.json: invalid config at environments.dev: Unrecognized key: "rowz"');
  });
});

describe('--env NAME', () => {
  it('seeds the light environment of the shipped example: its rows, only its tables', async () => {
    const dir = join(work, 'dev-db');
    const result = await runCli(['seed', '--config', EXAMPLE, '--env', 'dev', '--from', PAGILA, '--pglite', dir]);
    expect(result.stderr).not.toContain('understudy:');
    expect(result.code).toBe(0);
    // dev: rows 100, only film, language, actor, film_actor, category, film_category; the rest stay empty.
    expect(await pgliteCounts(dir, ['public.film', 'public.actor', 'public.language', 'public.customer', 'public.rental'])).toEqual({
      'public.film': 100,
      'public.actor': 100,
      'public.language': 100,
      'public.customer': 0,
      'public.rental': 0,
    });
  });

  it('an unknown name is a usage error listing the environments; --env with no config says so', async () => {
    const unknown = await runCli(['plan', '--config', EXAMPLE, '--env', 'staging', '--from', PAGILA]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--env staging: ');
    expect(unknown.stderr).toContain('has no environment "staging" (it has: dev, qa, perf)');

    const dir = join(work, 'no-config');
    await mkdir(join(dir, '.git'), { recursive: true });
    const none = await runCli(['plan', '--env', 'dev', '--from', PAGILA], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--env dev: there is no config file to take the environment from');
  });
});

describe('which database a seed writes', () => {
  it('says out loud that an in-memory PGlite is the target, even with --json and --quiet', async () => {
    const result = await runCli(['seed', '--from', PAGILA, '--rows', '5', '--json', '--quiet', '--no-config']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('target: an in-memory PGlite (nothing is kept');
  });

  it('refuses, under --json, a DATABASE_URL it cannot open rather than seed an in-memory PGlite in its place', async () => {
    const env = { DATABASE_URL: 'sqlite:///tmp/app.db' };
    const json = await runCli(['seed', '--from', PAGILA, '--rows', '5', '--json', '--no-config'], { env });
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('DATABASE_URL (sqlite:///tmp/app.db) is not a database understudy opens');
    const text = await runCli(['seed', '--from', PAGILA, '--rows', '5', '--no-config'], { env });
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('is not a database understudy opens, so it is not used');
    expect(text.stderr).toContain('target: an in-memory PGlite');
  });

  describe.skipIf(!pgUrl)('on a PostgreSQL server', () => {
    const names = [`us_cfg_env_${process.pid}`, `us_cfg_conf_${process.pid}`];
    const urlOf = (name: string, password = ''): string => {
      const url = new URL(pgUrl!);
      url.pathname = `/${name}`;
      if (password) url.password = password;
      return url.toString();
    };
    const admin = async <T>(fn: (client: pg.Client) => Promise<T>, url = pgUrl!): Promise<T> => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await fn(client);
      } finally {
        await client.end();
      }
    };
    const actors = (name: string): Promise<number> => admin(async (c) => Number((await c.query('select count(*)::int as n from public.actor')).rows[0].n), urlOf(name));

    beforeAll(async () => {
      for (const name of names) {
        await admin((c) => c.query(`drop database if exists ${name}`));
        await admin((c) => c.query(`create database ${name}`));
        await admin((c) => c.query('create table public.actor (actor_id serial primary key, first_name text not null, last_name text not null)'), urlOf(name));
      }
    });
    afterAll(async () => {
      for (const name of names) await admin((c) => c.query(`drop database if exists ${name} with (force)`));
    });

    it('seeds DATABASE_URL when nothing else names a database, and --verbose says so without the password', async () => {
      const result = await runCli(['seed', '--rows', '25', '--json', '--verbose', '--no-config'], { env: { DATABASE_URL: urlOf(names[0]!, 's3cret-pw') } });
      expect(result.stderr).not.toContain('s3cret-pw');
      expect(result.stderr).toContain(`database: ${urlOf(names[0]!, '***')} (from DATABASE_URL)`);
      expect(result.code).toBe(0);
      expect(await actors(names[0]!)).toBe(25);
    });

    it("a config's url wins over DATABASE_URL, an environment's over the config's, and --url over both", async () => {
      const dir = join(work, 'url-precedence');
      await mkdir(join(dir, '.git'), { recursive: true });
      await writeFile(join(dir, 'understudy.config.json'), JSON.stringify({ url: urlOf(names[1]!), environments: { ci: { url: urlOf(names[0]!) } } }));
      const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

      const config = await runCli(['seed', '--rows', '3', '--truncate', '--verbose'], { cwd: dir, env });
      expect(config.stderr).toContain(`(from the url of understudy.config.json)`);
      expect(config.code).toBe(0);
      expect(await actors(names[1]!)).toBe(3);

      const environment = await runCli(['seed', '--rows', '4', '--truncate', '--env', 'ci', '--verbose'], { cwd: dir, env });
      expect(environment.stderr).toContain('(from the url of understudy.config.json, environment ci)');
      expect(environment.code).toBe(0);
      expect(await actors(names[0]!)).toBe(4);

      const flag = await runCli(['seed', '--rows', '6', '--truncate', '--env', 'ci', '--url', urlOf(names[1]!)], { cwd: dir, env });
      expect(flag.code).toBe(0);
      expect(await actors(names[1]!)).toBe(6);
      expect(await actors(names[0]!)).toBe(4);
    });
  });
});
