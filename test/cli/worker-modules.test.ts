/**
 * The worker pools load no ES module with `require()`. On Node 20, a `require()` of an ES module
 * that meets an `import()` still in flight in the same thread aborts the process (FATAL
 * "v8::Module::IsGraphAsync must be used on an instantiated module"): it killed a `generate`
 * worker once in CI. piscina `require()`s its worker file, so the workers' entry files are
 * CommonJS, and faker's locales are loaded with `import()`. Node's `--trace-require-module=all`
 * prints every `require()` of an ES module; these runs must print none.
 */
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const TRACE = { NODE_OPTIONS: '--trace-require-module=all' };
const REQUIRED_ESM = /is loading ES Module .* using require\(\)/;
const SCHEMA = join(repoRoot, 'fixtures/schemas/pagila/schema.sql');

describe('worker pools and require(esm)', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'understudy-worker-modules-'));
  });

  it('the trace is on: a require() of an ES module is reported', async () => {
    // The same flag, on a script that does require() faker (an ES module): the check below can fail.
    const script = join(work, 'requires-faker.cjs');
    await writeFile(script, `require(${JSON.stringify(join(repoRoot, 'node_modules/@faker-js/faker/dist/locale/en.js'))});\n`);
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, [script], { env: { ...process.env, ...TRACE }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(REQUIRED_ESM);
  });

  for (const locale of ['en', 'de']) {
    it(`generate --workers 2 (locale ${locale}) requires no ES module`, async () => {
      const dir = join(work, `generate-${locale}`);
      const config = join(work, `understudy.config.${locale}.json`);
      await writeFile(config, JSON.stringify({ locale }));
      const r = await runCli(['generate', '--from', SCHEMA, '--rows', '20000', '--workers', '2', '--config', config, '--out', dir], { env: TRACE });
      expect(r.stderr).not.toMatch(REQUIRED_ESM);
      expect(r.code, r.stderr).toBe(0);
      // The workers made the rows: every table's file is there, with its header and 20,000 rows.
      const files = (await readdir(dir)).filter((f) => f.endsWith('.csv'));
      expect(files).toContain('public.customer.csv');
      const customers = (await readFile(join(dir, 'public.customer.csv'), 'utf8')).trimEnd().split('\n');
      expect(customers.length).toBe(20_001);
    });
  }
});

const adminUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!adminUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the scrub --workers case of worker-modules');

describe.skipIf(!adminUrl)('scrub --workers 2 and require(esm)', () => {
  const name = `understudy_worker_modules_${process.pid}`;
  let url: string;
  let work: string;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'understudy-worker-modules-scrub-'));
    await admin(`drop database if exists ${name}`);
    await admin(`create database ${name}`);
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    url = u.toString();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create table person (id int primary key, email text unique not null, full_name text);
      insert into person select g, 'person' || g || '@example.com', 'Name ' || g from generate_series(1, 20000) g`);
    await client.end();
  });
  afterAll(async () => {
    if (url) await admin(`drop database if exists ${name}`);
  });

  it('requires no ES module, and the emails are replaced', async () => {
    const policy = join(work, 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', url, '--out', policy, '--no-config'], { env: TRACE });
    expect(scan.code, scan.stderr).toBe(0);
    const out = join(work, 'out');
    const r = await runCli(['scrub', '--source', url, '--policy', policy, '--out', out, '--workers', '2', '--no-config'], {
      env: { ...TRACE, UNDERSTUDY_SCRUB_KEY: 'worker-modules-test-key-0123456789' },
    });
    expect(r.stderr).not.toMatch(REQUIRED_ESM);
    expect(r.code, r.stderr).toBe(0);
    const rows = (await readFile(join(out, 'public.person.csv'), 'utf8')).trimEnd().split('\n').slice(1);
    expect(rows.length).toBe(20_000);
    expect(rows.filter((line) => line.includes('@example.com') && /person\d+@/.test(line))).toEqual([]);
  });
});
