/**
 * Bad input to `seed`, `plan`, `generate` and `introspect`, through the built CLI:
 * each is a usage error (exit 2) that names the flag or the place and says what to
 * do, never an internal error with a stack, never raw bytes, never a hang. Also the
 * production guard from the command line: every way past it of issue 15 is closed.
 */
import { availableParallelism, tmpdir } from 'node:os';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, dropScratchDatabase, readSqlFile, runSqlStatements, connectPostgres, postgresDialect, urlForDatabase } from '@understudy/postgres';
import { repoRoot, runCli, type CliResult } from '../run-cli.js';

const PAGILA = 'fixtures/schemas/pagila/schema.sql';
let work: string;
let garbage: string;

/** Control characters or U+FFFD: what a terminal must never get from us. */
const RAW_BYTES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;

function expectUsageError(result: CliResult, message: RegExp | string): void {
  expect(result.code, result.stderr).toBe(2);
  if (typeof message === 'string') expect(result.stderr).toContain(message);
  else expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toContain('internal error');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toMatch(RAW_BYTES);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-bad-input-'));
  garbage = join(work, 'garbage.sql');
  // Bytes of every value, control characters and invalid UTF-8 among them.
  await writeFile(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
});

describe('files that are not what the flag needs', () => {
  it('a folder as --from is a usage error for every command (it was an internal error with a stack)', async () => {
    for (const argv of [
      ['plan', '--from', 'fixtures/schemas'],
      ['generate', '--from', 'fixtures/schemas', '--out', join(work, 'x')],
      ['introspect', '--from', 'fixtures/schemas'],
      ['seed', '--from', 'fixtures/schemas'],
    ]) {
      expectUsageError(await runCli(argv), /--from fixtures\/schemas: is a folder, not a file|SQL file fixtures\/schemas: is a folder, not a file/);
    }
  });

  it('binary garbage as .sql, plan or config never prints its bytes', async () => {
    for (const argv of [
      ['seed', '--from', garbage],
      ['plan', '--from', garbage],
      ['introspect', '--from', garbage],
    ]) {
      expectUsageError(await runCli(argv), /is not a text file: it holds binary data/);
    }
    const asJson = join(work, 'garbage.json');
    await writeFile(asJson, await readFile(garbage));
    expectUsageError(await runCli(['generate', '--plan', asJson, '--out', join(work, 'y')]), `--plan ${asJson} is not a text file`);
    expectUsageError(await runCli(['plan', '--from', PAGILA, '--config', asJson]), `--config ${asJson} is not a text file`);
    // Text that is not JSON, with control characters in it: JSON.parse quotes it; we escape them.
    const controls = join(work, 'controls.json');
    await writeFile(controls, '{"seed": 1, \u0007\u001b[2J oops}');
    expectUsageError(await runCli(['plan', '--from', PAGILA, '--config', controls]), /cannot be read/);
  });
});

describe('limits', () => {
  it('--workers 1000 is capped with a note, and the run finishes', async () => {
    const max = Math.max(4, 2 * availableParallelism());
    const result = await runCli(['generate', '--from', PAGILA, '--rows', '200', '--workers', '1000', '--out', join(work, 'w'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`--workers 1000 is more than this machine can use: using ${max}`);
    expect(JSON.parse(result.stdout).workers).toBe(max);
  });

  it('--out under /proc fails at once (it spun forever)', async () => {
    const started = Date.now();
    expectUsageError(await runCli(['generate', '--from', PAGILA, '--rows', '5', '--out', '/proc/understudy-x']), 'cannot create --out /proc/understudy-x: ENOENT');
    expect(Date.now() - started).toBeLessThan(120_000);
  });

  it('--pglite under /proc, or a folder holding other files, is refused; the files are left alone', async () => {
    expectUsageError(await runCli(['seed', '--from', PAGILA, '--pglite', '/proc/understudy-x', '--rows', '5']), 'cannot create the PGlite folder /proc/understudy-x: ENOENT');
    const folder = join(work, 'my-project');
    await mkdir(folder);
    await writeFile(join(folder, 'notes.txt'), 'mine');
    expectUsageError(await runCli(['seed', '--from', PAGILA, '--pglite', folder, '--rows', '5']), `the PGlite folder ${folder} holds other files (notes.txt) but no database`);
    expect(await readdir(folder)).toEqual(['notes.txt']);
  });

  it('a --lock-timeout that is not a duration is a usage error', async () => {
    expectUsageError(await runCli(['seed', '--from', PAGILA, '--lock-timeout', 'soon']), '--lock-timeout must be a duration such as 10s, 500ms or 2min');
    const config = join(work, 'bad-timeout.json');
    await writeFile(config, JSON.stringify({ target: { lockTimeout: 'forever' } }));
    expectUsageError(await runCli(['seed', '--from', PAGILA, '--config', config]), /invalid config at target\.lockTimeout: a duration such as 10s/);
  });
});

describe('hand-edited plans', () => {
  let planFile: string;
  beforeAll(async () => {
    planFile = join(work, 'plan.json');
    expect((await runCli(['plan', '--from', PAGILA, '--rows', '50', '--out', planFile])).code).toBe(0);
  });
  async function edited(edit: (plan: any) => void): Promise<string> {
    const plan = JSON.parse(await readFile(planFile, 'utf8'));
    edit(plan);
    const file = join(work, `edited-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify(plan));
    return file;
  }

  it('NULLs in a NOT NULL column are refused, naming the place', async () => {
    let index = -1;
    const file = await edited((plan) => {
      index = plan.tables['public.actor'].columns.findIndex((c: { name: string }) => c.name === 'first_name');
      plan.tables['public.actor'].columns[index].nullRate = 0.25;
    });
    expectUsageError(
      await runCli(['seed', '--from', PAGILA, '--plan', file]),
      `--plan ${file}: tables["public.actor"].columns[${index}] (first_name) has nullRate 0.25, but public.actor.first_name is NOT NULL: its rows would be refused`,
    );
  });

  it('a loadOrder with a child before its parent is refused, naming both places', async () => {
    const file = await edited((plan) => plan.loadOrder.reverse());
    expectUsageError(
      await runCli(['generate', '--plan', file, '--out', join(work, 'rev')]),
      /loadOrder puts public\.\w+ \(loadOrder\[\d+\]\) before its parent public\.\w+ \(loadOrder\[\d+\], foreign key \w+\)/,
    );
  });

  it('goes with a config that only sets target, not with one that sets the data', async () => {
    const targetOnly = join(work, 'target.config.json');
    await writeFile(targetOnly, JSON.stringify({ target: { lockTimeout: '5s', localHosts: ['db'] } }));
    const ok = await runCli(['generate', '--plan', planFile, '--config', targetOnly, '--out', join(work, 'with-target')]);
    expect(ok.code, ok.stderr).toBe(0);
    const generation = join(work, 'rows.config.json');
    await writeFile(generation, JSON.stringify({ rows: 5, target: { lockTimeout: '5s' } }));
    expectUsageError(await runCli(['generate', '--plan', planFile, '--config', generation, '--out', join(work, 'z')]), 'drop --config (its rows: only target goes with --plan)');
  });
});

describe('the production guard, from the command line', () => {
  const refused = async (args: string[], env: NodeJS.ProcessEnv, reason: string | RegExp): Promise<void> => {
    const result = await runCli(['seed', ...args, '--rows', '1'], { env: { PGHOST: '', PGDATABASE: '', PGSERVICE: '', UNDERSTUDY_LOCAL_HOSTS: '', ...env } });
    expectUsageError(result, 'it looks like production');
    if (typeof reason === 'string') expect(result.stderr).toContain(reason);
    else expect(result.stderr).toMatch(reason);
    expect(result.stderr).toContain('--allow-production');
  };

  it('refuses what the driver would reach through PGHOST, PGDATABASE and ?host=', async () => {
    await refused(['--url', 'postgres://'], { PGHOST: 'db.example.com' }, 'host db.example.com (from PGHOST) is not local');
    await refused(['--url', 'postgres://'], { PGHOST: '127.0.0.1', PGDATABASE: 'shop_production' }, 'database "shop_production" (from PGDATABASE) is named like production');
    await refused(['--url', 'postgres://postgres@127.0.0.1:5432/test?host=db.example.com'], {}, 'host db.example.com (from ?host=) is not local');
    const service = await runCli(['seed', '--url', 'postgres://', '--rows', '1'], { env: { PGSERVICE: 'prod', PGHOST: '' } });
    expectUsageError(service, 'PGSERVICE=prod names a connection service');
  });

  it('calls private addresses and cluster services not local, with how to declare one', async () => {
    await refused(['--url', 'postgres://app@10.0.0.5/app'], {}, 'a private address');
    await refused(['--url', 'postgres://app@192.168.1.9/app'], {}, 'a private address');
    await refused(
      ['--url', 'postgres://app@pg.preview-42.svc.cluster.local/app'],
      {},
      /a cluster service name: production runs in clusters too[\s\S]*UNDERSTUDY_LOCAL_HOSTS=pg\.preview-42\.svc\.cluster\.local/,
    );
  });

  it('lets a declared host through (env or config): the seed then tries to connect', async () => {
    const viaEnv = await runCli(['seed', '--url', 'postgres://app@pg.preview-42.svc.cluster.local/app', '--rows', '1'], { env: { UNDERSTUDY_LOCAL_HOSTS: '*.svc.cluster.local' } });
    expect(viaEnv.stderr).not.toContain('looks like production');
    expect(viaEnv.code).toBe(3);
    expect(viaEnv.stderr).toContain('cannot reach PostgreSQL at pg.preview-42.svc.cluster.local:5432');
    const config = join(work, 'local.config.json');
    await writeFile(config, JSON.stringify({ target: { localHosts: ['10.0.0.0/8'] } }));
    const viaConfig = await runCli(['seed', '--url', 'postgres://app@10.255.255.1:1/app', '--rows', '1', '--config', config, '--lock-timeout', '1s']);
    expect(viaConfig.stderr).not.toContain('looks like production');
    expect(viaConfig.code).toBe(3);
  });
});

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the production-guard seed into a database named like products');

describe.skipIf(!pgUrl)('the production guard: words, not substrings', () => {
  it('seeds a database named ..._products on localhost (it was refused for containing "prod")', async () => {
    const name = await createScratchDatabase(pgUrl!, 'understudy_myapp_products');
    try {
      const url = urlForDatabase(pgUrl!, name);
      const conn = await connectPostgres(url, postgresDialect);
      try {
        const file = await readSqlFile(join(repoRoot, 'fixtures/schemas/chinook/postgresql/schema.sql'));
        await runSqlStatements(conn.db, 'chinook', file.statements);
      } finally {
        await conn.close();
      }
      const result = await runCli(['seed', '--url', url, '--rows', '10']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      await dropScratchDatabase(pgUrl!, name);
    }
  });
});
