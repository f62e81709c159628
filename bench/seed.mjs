#!/usr/bin/env node
/**
 * Seeding throughput: `understudy seed` of ~1,000,000 rows of pagila into
 * PostgreSQL (2 workers), beside
 *   (a) raw COPY of the same rows, already encoded in CSV files (`understudy
 *       generate --format csv`), loaded with psql `\copy` in one transaction:
 *       the database's own limit;
 *   (b) drizzle-seed on the same tables (if installed), at a smaller count;
 * and peak RSS of a seed at ~100k vs ~1M rows (flat memory).
 *
 * Usage: node bench/seed.mjs --url postgres://postgres@127.0.0.1:5432/postgres [--rows 1000000] [--workers 2] [--drizzle-rows 20000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.UNDERSTUDY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    rows: { type: 'string', default: '1000000' },
    workers: { type: 'string', default: '2' },
    'drizzle-rows': { type: 'string', default: '20000' },
    child: { type: 'string' },
  },
});
const FIXTURE = 'fixtures/schemas/pagila/schema.sql';
const TABLES = 15; // pagila's loadable tables

const pg = await import('@understudy/postgres');

async function freshDatabase() {
  const name = await pg.createScratchDatabase(args.url, 'understudy_bench');
  const url = pg.urlForDatabase(args.url, name);
  const conn = await pg.connectPostgres(url, pg.postgresDialect);
  try {
    await pg.runSqlStatements(conn.db, FIXTURE, (await pg.readSqlFile(FIXTURE)).statements);
  } finally {
    await conn.close();
  }
  return { name, url, drop: () => pg.dropScratchDatabase(args.url, name) };
}

/** In a child process (so maxRSS is this seed's alone): seed through the library and report. */
async function childSeed(spec) {
  const { url, rowsPerTable, workers } = JSON.parse(spec);
  const { buildPlan, seed } = await import('@understudy/generate');
  const conn = await pg.connectPostgres(url, pg.postgresDialect);
  const schema = await conn.introspect();
  await conn.close();
  const plan = buildPlan(schema, { seed: 1, rows: rowsPerTable });
  const sink = await pg.postgresDialect.openSink(url, { schema, truncate: true });
  const t0 = performance.now();
  const result = await seed({ plan, sink, workers });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ rows: result.rows, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

function runChild(url, rowsPerTable, workers) {
  const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child', JSON.stringify({ url, rowsPerTable, workers })], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child seed failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function rawCopy(rowsPerTable) {
  const dir = mkdtempSync(join(tmpdir(), 'understudy-bench-'));
  try {
    execFileSync(process.execPath, ['bin/understudy', 'generate', '--from', FIXTURE, '--rows', String(rowsPerTable), '--seed', '1', '--format', 'csv', '--out', dir, '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const db = await freshDatabase();
    try {
      const conn = await pg.connectPostgres(db.url, pg.postgresDialect);
      const plan = (await import('@understudy/generate')).buildPlan(await conn.introspect(), { seed: 1, rows: rowsPerTable });
      await conn.close();
      const script = ['BEGIN;'];
      let rows = 0;
      for (const key of plan.loadOrder) {
        const table = plan.tables[key];
        const cols = table.columns.filter((c) => c.load).map((c) => `"${c.name}"`).join(', ');
        const [schema, name] = key.split('.');
        script.push(`\\copy "${schema}"."${name}" (${cols}) from '${join(dir, `${key}.csv`)}' with (format csv, header true)`);
        rows += table.rows;
      }
      script.push('COMMIT;');
      const t0 = performance.now();
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db.url], { input: script.join('\n'), stdio: ['pipe', 'ignore', 'inherit'] });
      return { rows, seconds: (performance.now() - t0) / 1000 };
    } finally {
      await db.drop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function drizzleSeed(rowsPerTable) {
  let seedLib;
  try {
    seedLib = await import('drizzle-seed');
  } catch {
    return { skipped: 'drizzle-seed is not installed (npm i -D drizzle-seed)' };
  }
  const { drizzlePagilaFrom } = await import('./drizzle-pagila.mjs');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const db = await freshDatabase();
  const client = new (await import('pg')).default.Pool({ connectionString: db.url, max: 2 });
  try {
    const orm = drizzle(client);
    const conn = await pg.connectPostgres(db.url, pg.postgresDialect);
    const schema = await conn.introspect();
    await conn.close();
    const all = await drizzlePagilaFrom(schema);
    const tables = Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('enum_')));
    const seedSchema = all;
    const t0 = performance.now();
    await seedLib.seed(orm, seedSchema, { count: rowsPerTable, seed: 1 }).refine((f) => {
      // What drizzle-seed cannot generate (tsvector, bytea, …): a constant; pagila's `year` domain CHECK (1901–2155).
      const supported = new Set(['smallint', 'integer', 'bigint', 'decimal', 'money', 'boolean', 'varchar', 'char', 'text', 'citext', 'date', 'timestamp', 'timestamptz', 'enum']);
      const out = {};
      for (const t of Object.values(schema.tables)) {
        if (t.kind === 'partition' || t.primaryKey?.columns.length > 1) continue;
        const columns = {};
        for (const c of t.columns) {
          if (c.generated || supported.has(c.kind)) continue;
          columns[c.name] = f.default({ defaultValue: c.nullable ? null : c.kind === 'tsvector' ? 'a b' : '' });
        }
        if (t.name === 'film') columns.release_year = f.int({ minValue: 1901, maxValue: 2155 });
        // payment is partitioned by month (2022-01 … 2022-07): its dates must fall in a partition.
        if (t.name === 'payment') columns.payment_date = f.valuesFromArray({ values: Array.from({ length: 180 }, (_, d) => new Date(Date.UTC(2022, 0, 1 + d, 12))) });
        if (Object.keys(columns).length > 0) out[t.name] = { columns };
      }
      return out;
    });
    const seconds = (performance.now() - t0) / 1000;
    const rows = rowsPerTable * Object.keys(tables).length;
    return { rows, seconds, tables: Object.keys(tables).length };
  } catch (error) {
    return { skipped: `drizzle-seed failed: ${String(error?.cause?.message ?? error?.message ?? error).split('\n')[0].slice(0, 300)}` };
  } finally {
    await client.end();
    await db.drop();
  }
}

if (args.child) {
  await childSeed(args.child);
} else {
  const total = Number(args.rows);
  const workers = Number(args.workers);
  const perTable = Math.ceil(total / TABLES);
  const pgVersion = execFileSync('psql', ['-X', '-Atc', 'show server_version', args.url], { encoding: 'utf8' }).trim();
  console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, PostgreSQL ${pgVersion}`);
  console.log(`pagila, ${perTable.toLocaleString('en-US')} rows per table × ${TABLES} tables`);

  const db = await freshDatabase();
  let ours;
  let small;
  try {
    small = runChild(db.url, Math.ceil(100_000 / TABLES), workers);
    ours = runChild(db.url, perTable, workers);
  } finally {
    await db.drop();
  }
  const copy = await rawCopy(perTable);
  const drizzleRows = Number(args['drizzle-rows']);
  const drizzle = await drizzleSeed(Math.ceil(drizzleRows / 1));

  const rate = (r) => Math.round(r.rows / r.seconds);
  const fmt = (n) => n.toLocaleString('en-US');
  console.log('');
  console.log('| what | rows | seconds | rows/s | vs understudy |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| understudy seed, ${workers} workers | ${fmt(ours.rows)} | ${ours.seconds.toFixed(1)} | ${fmt(rate(ours))} | 1.00 |`);
  console.log(`| raw COPY of the same rows (psql \\copy csv, one transaction) | ${fmt(copy.rows)} | ${copy.seconds.toFixed(1)} | ${fmt(rate(copy))} | understudy = ${(rate(ours) / rate(copy)).toFixed(2)} × COPY |`);
  if (drizzle.skipped) console.log(`| drizzle-seed | — | — | — | ${drizzle.skipped} |`);
  else console.log(`| drizzle-seed (${drizzle.tables} tables) | ${fmt(drizzle.rows)} | ${drizzle.seconds.toFixed(1)} | ${fmt(rate(drizzle))} | understudy = ${(rate(ours) / rate(drizzle)).toFixed(1)} × drizzle-seed |`);
  console.log('');
  console.log(`peak RSS: ${fmt(small.rows)} rows → ${small.maxRssMB.toFixed(0)} MB; ${fmt(ours.rows)} rows → ${ours.maxRssMB.toFixed(0)} MB`);
}
