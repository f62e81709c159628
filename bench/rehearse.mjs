/**
 * Times `understudy rehearse` on the embedded PGlite: a generated folder of N
 * migrations (the first creates three tables, the other N-1 are pending:
 * added columns, backfills, indexes, a type change that rewrites a table,
 * constraints, each with a down), seeded with R rows per table.
 *
 *   node bench/rehearse.mjs [migrations=100] [rows=10000]
 *
 * The target: 100 migrations × 10,000 rows well under a minute.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const migrations = Number(process.argv[2] ?? 100);
const rows = Number(process.argv[3] ?? 10_000);
const bin = fileURLToPath(new URL('../bin/understudy', import.meta.url));

const BASELINE = `CREATE TABLE customers (id serial PRIMARY KEY, email varchar(120) NOT NULL UNIQUE, name text, created_at timestamptz NOT NULL);
CREATE TABLE products (id serial PRIMARY KEY, title text NOT NULL, price numeric(10, 2) NOT NULL);
CREATE TABLE orders (id serial PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), product_id integer NOT NULL REFERENCES products (id), quantity integer NOT NULL, note text);
`;

/** Migration i (from 2): one of a few realistic shapes, with its down. */
function migration(i) {
  const table = ['customers', 'products', 'orders'][i % 3];
  switch (i % 5) {
    case 0:
      return [`ALTER TABLE ${table} ADD COLUMN c${i} integer;\nUPDATE ${table} SET c${i} = id % 7;`, `ALTER TABLE ${table} DROP COLUMN c${i};`];
    case 1:
      return [`ALTER TABLE ${table} ADD COLUMN c${i} text NOT NULL DEFAULT 'x';`, `ALTER TABLE ${table} DROP COLUMN c${i};`];
    case 2:
      return [`ALTER TABLE ${table} ADD COLUMN c${i} bigint;\nCREATE INDEX ${table}_c${i}_idx ON ${table} (c${i});`, `DROP INDEX ${table}_c${i}_idx;\nALTER TABLE ${table} DROP COLUMN c${i};`];
    case 3:
      return [`ALTER TABLE ${table} ADD COLUMN c${i} smallint;\nALTER TABLE ${table} ALTER COLUMN c${i} TYPE integer;`, `ALTER TABLE ${table} DROP COLUMN c${i};`];
    default:
      return [`ALTER TABLE ${table} ADD COLUMN c${i} integer CHECK (c${i} >= 0);`, `ALTER TABLE ${table} DROP COLUMN c${i};`];
  }
}

const dir = await mkdtemp(join(tmpdir(), 'understudy-rehearse-bench-'));
try {
  const pad = (n) => String(n).padStart(4, '0');
  await writeFile(join(dir, `${pad(1)}_baseline.up.sql`), BASELINE);
  await writeFile(join(dir, `${pad(1)}_baseline.down.sql`), 'DROP TABLE orders; DROP TABLE products; DROP TABLE customers;\n');
  for (let i = 2; i <= migrations; i++) {
    const [up, down] = migration(i);
    await writeFile(join(dir, `${pad(i)}_step.up.sql`), `${up}\n`);
    await writeFile(join(dir, `${pad(i)}_step.down.sql`), `${down}\n`);
  }
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [bin, 'rehearse', dir, '--pending', String(migrations - 1), '--rows', String(rows), '--lock-threshold-rows', String(rows * 10), '--json', join(dir, 'report.json')],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  const lastLines = result.stdout.trim().split('\n').slice(-1).join('\n');
  if (result.status !== 0) {
    process.stderr.write(result.stdout.slice(-3000) + result.stderr);
    process.exitCode = 1;
  }
  console.log(`rehearse: ${migrations} migrations (${migrations - 1} pending, with downs) × ${rows} rows per table on PGlite: ${seconds.toFixed(1)} s (exit ${result.status}; ${lastLines})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
