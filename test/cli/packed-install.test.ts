/**
 * The packages as a user gets them: `npm pack` of every published workspace package, installed
 * from the tarballs into a fresh project in the system's temporary directory (outside the
 * repository, so nothing resolves through the workspace), then used there as a user would:
 * the CLI through npx, `defineConfig` type-checked with and without `"type": "module"`, and the
 * vitest helper in a test of the project's own. Third-party dependencies come from the npm
 * cache (`--prefer-offline`), or from the registry when the cache lacks one.
 *
 * Checked independently: rows by SQL through PGlite in this process, the tarballs' file lists,
 * and tsc's and vitest's own exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../run-cli.js';

const exec = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** This process's environment without npm's own variables (vitest may run under `npm test`) or a DATABASE_URL. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'DATABASE_URL'));
const run = (file: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; maxBuffer?: number }) =>
  exec(file, args, { maxBuffer: 16 * 1024 * 1024, ...options, env: { ...cleanEnv, ...options.env } });

const SCHEMA_SQL = `
create table customer (
  id serial primary key,
  email text not null unique,
  name text not null
);
create table orders (
  id serial primary key,
  customer_id integer not null references customer (id),
  total numeric(10, 2) not null check (total >= 0)
);
`;

const CONFIG_TS = `import { defineConfig } from 'understudy-cli';

export default defineConfig({
  seed: 7,
  rows: 20,
  tables: { customer: { rows: 5 } },
  environments: { dev: { rows: 10 }, perf: { scale: 2 } },
});
`;

const BAD_CONFIG_TS = `import { defineConfig } from 'understudy-cli';

export default defineConfig({ rows: 'many' });
`;

const HELPER_TEST = `import { afterAll, expect, test } from 'vitest';
import { seededDatabase } from 'understudy-cli/vitest';

const db = await seededDatabase({ schema: 'db/schema.sql', rows: 12, tableRows: { customer: 4 }, seed: 3 });
afterAll(() => db.close());

test('rows by table and column name', async () => {
  expect(db.rows('customer')).toHaveLength(4);
  const orders = db.rows<{ id: number; customer_id: number; total: string }>('orders');
  expect(orders).toHaveLength(12);
  const ids = new Set(db.column<number>('customer', 'id'));
  for (const order of orders) expect(ids.has(order.customer_id)).toBe(true);
  const { rows } = await db.pglite.query<{ n: number }>('select count(*)::int as n from orders o join customer c on c.id = o.customer_id');
  expect(rows[0]?.n).toBe(12);
});
`;

const PUBLISHED = ['core', 'postgres', 'mysql', 'drizzle', 'generate', 'rehearse', 'scrub', 'cli'];

let work: string;
let project: string;
let packed: { name: string; filename: string; files: { path: string }[] }[];

const tsc = (cwd: string) =>
  run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd }).then(
    () => ({ code: 0, output: '' }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, output: error.stdout ?? '' }),
  );

async function typecheckProject(dir: string, packageType: 'module' | undefined, config: string): Promise<{ code: number; output: string }> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'config-check', private: true, ...(packageType ? { type: packageType } : {}) }));
  await writeFile(join(dir, 'understudy.config.ts'), config);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: [] },
      files: ['understudy.config.ts'],
    }),
  );
  return tsc(dir);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'understudy-packed-'));
  const tarballs = join(work, 'tarballs');
  await mkdir(tarballs);
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', tarballs, ...PUBLISHED.flatMap((p) => ['--workspace', `packages/${p}`])], {
    cwd: repoRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  packed = JSON.parse(stdout);
  project = join(work, 'app');
  await mkdir(join(project, 'db'), { recursive: true });
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  await writeFile(join(project, 'db/schema.sql'), SCHEMA_SQL);
  const vitestVersion = JSON.parse(await readFile(join(repoRoot, 'node_modules/vitest/package.json'), 'utf8')).version as string;
  await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', `vitest@${vitestVersion}`, ...packed.map((p) => join(tarballs, p.filename))], {
    cwd: project,
    maxBuffer: 64 * 1024 * 1024,
  });
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed packages', () => {
  test('are the published names, and ship built code only: no tests, no test helpers, no planted-PII fixtures', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(['understudy-cli', ...PUBLISHED.filter((p) => p !== 'cli').map((p) => `@understudy/${p}`)].sort());
    for (const p of packed) {
      for (const { path } of p.files) {
        expect(path, `${p.name}: ${path}`).toMatch(/^(dist\/|package\.json$|README\.md$|LICENSE$)/);
        expect(path, `${p.name}: ${path}`).not.toMatch(/\.test\.|(^|\/)test-|test-support|testing\.|planted|fixture/);
      }
    }
  });

  test('nothing installed carries a planted value of the test fixtures', async () => {
    const planted = ['planted.alice.7781@example.net', 'plantina', 'zyxwell'];
    const hits: string[] = [];
    const scan = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await scan(path);
        else if (/\.(js|d\.ts|json)$/.test(entry.name)) {
          const text = await readFile(path, 'utf8');
          for (const value of planted) if (text.includes(value)) hits.push(`${path}: ${value}`);
        }
      }
    };
    await scan(join(project, 'node_modules/@understudy'));
    await scan(join(project, 'node_modules/understudy-cli'));
    expect(hits).toEqual([]);
  });

  test('npx understudy-cli --help runs the CLI from the installed tarball', async () => {
    const { stdout } = await run(npm, ['exec', '--no', '--', 'understudy-cli', '--help'], { cwd: project });
    expect(stdout).toMatch(/Usage: understudy/);
    expect(stdout).toMatch(/\bseed\b/);
    const short = await run(npm, ['exec', '--no', '--', 'understudy', '--version'], { cwd: project });
    expect(short.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('seed --from schema.sql --rows 10 fills a kept PGlite, as SQL counts', async () => {
    await run(npm, ['exec', '--no', '--', 'understudy', 'seed', '--from', 'db/schema.sql', '--rows', '10', '--pglite', 'dev-db', '--no-config'], { cwd: project });
    const db = new PGlite(join(project, 'dev-db'));
    try {
      const counts = await db.query<{ customers: number; orders: number; orphans: number; negative: number }>(
        `select (select count(*)::int from customer) as customers, (select count(*)::int from orders) as orders,
                (select count(*)::int from orders o left join customer c on c.id = o.customer_id where c.id is null) as orphans,
                (select count(*)::int from orders where total < 0) as negative`,
      );
      expect(counts.rows[0]).toEqual({ customers: 10, orders: 10, orphans: 0, negative: 0 });
    } finally {
      await db.close();
    }
  });

  test('understudy.config.ts with defineConfig type-checks with and without "type": "module", and a wrong field does not', async () => {
    // The config projects sit inside the installed project, so they resolve its node_modules.
    const [esm, cjs, bad] = await Promise.all([
      typecheckProject(join(project, 'cfg-esm'), 'module', CONFIG_TS),
      typecheckProject(join(project, 'cfg-cjs'), undefined, CONFIG_TS),
      typecheckProject(join(project, 'cfg-bad'), 'module', BAD_CONFIG_TS),
    ]);
    expect(esm).toEqual({ code: 0, output: '' });
    expect(cjs).toEqual({ code: 0, output: '' });
    // `rows: 'many'` is refused, at its line.
    expect(bad.code).not.toBe(0);
    expect(bad.output).toMatch(/understudy\.config\.ts\(3,\d+\): error TS2322/);
  });

  test("the vitest helper seeds a PGlite in the project's own vitest test", async () => {
    await mkdir(join(project, 'tests'), { recursive: true });
    await writeFile(join(project, 'tests/seeded.test.ts'), HELPER_TEST);
    const result = await run(npm, ['exec', '--no', '--', 'vitest', 'run', '--root', '.', 'tests/seeded.test.ts'], { cwd: project, env: { CI: '1' } }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(result.stdout).toMatch(/1 passed/);
    expect(result.code).toBe(0);
  });
});
