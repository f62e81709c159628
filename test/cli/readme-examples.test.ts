/**
 * The README is true: every shell example in README.md (and in docs/*.md) is run, as written, on
 * the files of the repository, and what it prints must have the shape the README shows (the same lines in the
 * same order, numbers and timings aside; see readme-examples.ts).
 *
 * Examples run in one temporary working directory (with `bin/`, `fixtures/`, `examples/`,
 * `scripts/` and `node_modules/` linked in, as in a clone), in README order, so a file one example writes (plan.json,
 * profile.json, scrub.policy.json) is there for the next. Examples that name a PostgreSQL or
 * MySQL server run when UNDERSTUDY_TEST_PG_URL / UNDERSTUDY_TEST_MYSQL_URL are set: the URL's
 * server replaces `localhost`, each database name gets a unique prefix, and the databases the
 * README's examples read are built first by `scripts/demo-databases.mjs`, the script the
 * README points users to. Otherwise those examples are reported skipped. Examples that cannot
 * run here are listed in CANNOT_RUN with the reason.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareShape, examplesOf, type Example, type ExampleStep } from './readme-examples.js';
import { repoRoot } from '../run-cli.js';

/** UNDERSTUDY_README_OUTPUT=FILE: every example's output, as the README would show it, appended to FILE (to update the README). */
const OUTPUT_LOG = process.env['UNDERSTUDY_README_OUTPUT'];
const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];
const MYSQL_URL = process.env['UNDERSTUDY_TEST_MYSQL_URL'];

/** Commands that are not run, and why (matched against the command as written: the whole command, or its start up to `…`). */
const CANNOT_RUN: Record<string, string> = {
  'DATABASE_URL=postgres://app:s3cret@db:5432/app understudy seed --verbose --json': "a pipeline's database host (db) that exists only in the CI job it illustrates",
  'cd my-app && …': "a user's project (my-app), not a folder of this repository",
  'understudy rehearse db/migrations …': "a user's migrations folder (db/migrations), not a folder of this repository",
  'understudy rehearse db --command …': "a user's folder and migration script, not files of this repository",
  'bin/understudy rehearse db/migrations …': "a user's migrations folder (db/migrations), not a folder of this repository",
  'understudy rehearse --clean --url postgres://postgres@localhost:5432/postgres': 'drops the leftover rehearsal databases of everyone using the test server',
  'understudy seed --env "$CI_ENVIRONMENT_NAME" --truncate --json': "a pipeline step: the project's config and the CI job's variables",
  'understudy plan --schema schema.json --config understudy.config.ts --out plan.json': "a project's own schema.json and config",
  'npm run build': 'rebuilds the checkout the tests are running from',
  'cd packages/postgres && …': "runs a package's whole test suite",
  'createdb scrub_demo && …': 'scrub_demo is built by scripts/demo-databases.mjs before the examples',
  'createdb scrub_demo_copy && …': 'scrub_demo_copy is built by scripts/demo-databases.mjs before the examples',
  'npm ci && npm start': 'reinstalls node_modules of the checkout the tests are running from',
  'npm ci && npm run build': 'reinstalls and rebuilds the checkout the tests are running from',
  'mkdir -p /tmp/understudy-packages': 'installing the packed packages into a project: test/cli/packed-install.test.ts does it, in a fresh project',
  'for p in core postgres mysql drizzle generate rehearse scrub cli; do …': 'installing the packed packages into a project: test/cli/packed-install.test.ts does it, in a fresh project',
  'npm install --save-dev /tmp/understudy-packages/*.tgz': 'installing the packed packages into a project: test/cli/packed-install.test.ts does it, in a fresh project',
  'npx understudy-cli seed --from db/schema.sql --rows 100 --pglite ./dev-db': "a user's project (db/schema.sql): test/cli/packed-install.test.ts runs it in a fresh project",
  'npm test': 'runs the whole test suite, this test included',
  'node scripts/demo-databases.mjs --url postgres://postgres@localhost:5432/postgres': 'builds the demo databases under their own names; this test runs it before the examples, with a unique --prefix',
};

/** Commands whose output lines may come in any order (scores computed from ANALYZE samples, ranked worst first). */
const UNORDERED = [/^bin\/understudy fidelity /];

const prefix = `readme_${process.pid}_${Date.now().toString(36)}_`;
const cwd = mkdtempSync(join(tmpdir(), 'understudy-readme-'));
for (const dir of ['bin', 'fixtures', 'examples', 'scripts', 'node_modules']) symlinkSync(join(repoRoot, dir), join(cwd, dir));
// `understudy` on the PATH, as an installed CLI is (the docs write it so).
mkdirSync(join(cwd, '.path'));
symlinkSync(join(repoRoot, 'bin', 'understudy'), join(cwd, '.path', 'understudy'));

const pgServer = PG_URL ? new URL(PG_URL) : undefined;
const pgBase = pgServer ? `${pgServer.protocol}//${pgServer.username ? `${pgServer.username}${pgServer.password ? `:${pgServer.password}` : ''}@` : ''}${pgServer.host}` : '';
const mysqlBase = MYSQL_URL ? MYSQL_URL.replace(/\/[^/]*$/, '') : '';

const README_PG = /postgres:\/\/postgres@(?:localhost|127\.0\.0\.1):5432\/(\w+)/g;
const README_MYSQL = /mysql:\/\/root@(?:localhost|127\.0\.0\.1):3306\/test\b/g;

function needs(command: string): { pg: boolean; mysql: boolean } {
  return {
    pg: new RegExp(README_PG.source).test(command) || /^(createdb|psql) /.test(command),
    mysql: new RegExp(README_MYSQL.source).test(command),
  };
}

/** The command as run here: this server, prefixed database names, this temporary directory for /tmp. */
function substitute(command: string): string {
  const server = pgServer ? `-h ${pgServer.hostname} -p ${pgServer.port || '5432'} -U ${pgServer.username || 'postgres'}` : '';
  return command
    .replace(README_PG, (_, db: string) => `${pgBase}/${db === 'postgres' ? db : prefix + db}`)
    .replace(README_MYSQL, MYSQL_URL ?? '')
    .replace(/-h localhost -U postgres/g, server)
    .replace(/^(createdb(?: -\w \S+)*) (\w+)$/, (_, head: string, db: string) => `${head} ${prefix}${db}`)
    .replace(/ -d (\w+)/g, (_, db: string) => ` -d ${prefix}${db}`)
    .replace(/(^|[\s'"=])\/tmp\//g, `$1${cwd}/tmp/`);
}

/** The output as the README would show it: its URLs, names and /tmp. */
function unsubstitute(output: string): string {
  let text = output;
  if (pgBase) text = text.split(`${pgBase}/${prefix}`).join('postgres://postgres@localhost:5432/').split(`${pgBase}/`).join('postgres://postgres@localhost:5432/');
  if (mysqlBase) text = text.split(mysqlBase).join('mysql://root@localhost:3306');
  return text
    .split(prefix)
    .join('')
    .split(`${cwd}/tmp/`)
    .join('/tmp/')
    .split(cwd)
    .join('.')
    .replace(/127\.0\.0\.1/g, 'localhost');
}

function run(command: string): Promise<{ code: number; output: string }> {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `exec 2>&1\n${command}`], { cwd, env: { ...env, PATH: `${join(cwd, '.path')}:${env['PATH'] ?? ''}` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** Why a command is not run (CANNOT_RUN, or a URL elided with `…` in the text), or undefined. */
function cannotRun(command: string): string | undefined {
  const listed = Object.entries(CANNOT_RUN).find(([c]) => command === c || (c.endsWith(' …') && command.startsWith(c.slice(0, -1))))?.[1];
  return listed ?? (/:\/\/…/.test(command) ? 'the URL is elided in the text' : undefined);
}

function skipReason(example: Example): string | undefined {
  const need = example.steps
    .filter((s) => cannotRun(s.command) === undefined)
    .map((s) => needs(s.command))
    .reduce((a, b) => ({ pg: a.pg || b.pg, mysql: a.mysql || b.mysql }), { pg: false, mysql: false });
  if (need.pg && !PG_URL) return 'needs a PostgreSQL server: set UNDERSTUDY_TEST_PG_URL';
  if (need.mysql && !MYSQL_URL) return 'needs a MySQL/MariaDB server: set UNDERSTUDY_TEST_MYSQL_URL';
  return undefined;
}

async function check(example: Example): Promise<void> {
  let previous: { step: ExampleStep; code: number } | undefined;
  for (const [k, step] of example.steps.entries()) {
    const where = `${example.file}:${step.line}: $ ${step.command}`;
    const reason = cannotRun(step.command);
    if (reason !== undefined) {
      console.warn(`not run: ${where}: ${reason}`);
      continue;
    }
    if (step.command === 'echo $?') {
      expect(previous, `${where}: no command before it`).toBeDefined();
      expect(String(previous!.code), `${where}: the exit code of \`${previous!.step.command}\``).toBe(step.expected.join('').trim());
      continue;
    }
    const { code, output } = await run(substitute(step.command));
    const shown = unsubstitute(output);
    if (OUTPUT_LOG) appendFileSync(OUTPUT_LOG, `\n## ${where} (exit ${code})\n${shown}`);
    const expected = step.expected.map((l) => l.replace(/127\.0\.0\.1/g, 'localhost'));
    const mismatch = compareShape(expected, shown.split('\n'), { unordered: UNORDERED.some((re) => re.test(step.command)) });
    expect(mismatch, `${where}\nREADME line not in the output: ${mismatch?.missing}\n--- output (as the README would show it) ---\n${shown}`).toBeUndefined();
    if (example.steps[k + 1]?.command !== 'echo $?' && !/\becho\b/.test(step.command)) {
      expect(code, `${where} exited ${code}\n${shown}`).toBe(0);
    }
    previous = { step, code };
  }
}

async function dropPrefixed(): Promise<void> {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

beforeAll(async () => {
  if (!PG_URL) {
    console.warn('UNDERSTUDY_TEST_PG_URL not set: the README examples on a PostgreSQL server are skipped');
    return;
  }
  const built = await run(`node scripts/demo-databases.mjs --url '${PG_URL}' --prefix ${prefix}`);
  expect(built.code, built.output).toBe(0);
}, 300_000);

afterAll(async () => {
  if (PG_URL) await dropPrefixed();
  rmSync(cwd, { recursive: true, force: true });
});

/** The README, then every page of docs/ with a `$ ` example (in the order of their names). */
const FILES = [
  'README.md',
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

for (const file of FILES) {
  const examples = examplesOf(join(repoRoot, file));
  if (examples.length === 0) continue;
  describe(`${file} examples`, () => {
    if (file === 'README.md') {
      it('finds the examples', () => {
        expect(examples.length).toBeGreaterThan(15);
      });
    }
    for (const example of examples) {
      const reason = skipReason(example);
      const name = `${file}:${example.line} $ ${example.steps[0]!.command.slice(0, 90)}${reason ? ` (skipped: ${reason})` : ''}`;
      it.skipIf(reason !== undefined)(name, () => check({ ...example, file }), 600_000);
    }
  });
}

describe("the README's output shapes", () => {
  it('match random hex whatever digits and letters it drew, and nothing else in its place', () => {
    const line = ['Rehearsal of x on mysql://root@localhost:3306/understudy_rehearse_20250114t093000_d7ab95fb'];
    const of = (suffix: string): string[] => [`Rehearsal of x on mysql://root@localhost:3306/understudy_rehearse_20261207t121212_${suffix}`];
    for (const suffix of ['0a1b2c3d', '22231309', 'abcdefab']) expect(compareShape(line, of(suffix)), suffix).toBeUndefined();
    expect(compareShape(line, of('production'))).toBeDefined();
  });
});

describe('the hint a kept PGlite prints', () => {
  it('runs from any working directory (one without node_modules)', async () => {
    const dir = join(cwd, 'kept-pglite');
    const seeded = await run(`bin/understudy seed --from fixtures/schemas/chinook/postgresql/schema.sql --rows 25 --pglite ${dir}`);
    expect(seeded.code, seeded.output).toBe(0);
    const hint = seeded.output.split('\n').find((l) => l.trim().startsWith('node --input-type=module'));
    expect(hint, seeded.output).toBeDefined();
    const elsewhere = mkdtempSync(join(tmpdir(), 'understudy-elsewhere-'));
    try {
      const result = await new Promise<{ code: number; output: string }>((resolve, reject) => {
        const child = spawn('bash', ['-c', `exec 2>&1\n${hint!.trim()}`], { cwd: elsewhere, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code: code ?? -1, output }));
      });
      expect(result.code, result.output).toBe(0);
      // The first table of the schema holds the 25 rows seeded into it.
      expect(result.output).toMatch(/count: 25\b/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  }, 120_000);
});
