#!/usr/bin/env node
/**
 * Seeding throughput: `understudy seed` of ~1,000,000 rows of pagila into
 * PostgreSQL (2 workers), beside
 *   (a) raw COPY of the same rows, already encoded in CSV files (`understudy
 *       generate --format csv`), loaded with psql `\copy` in one transaction,
 *       into the schema as it is, and into bare tables with the keys, indexes
 *       and FKs added after; and the same rows in COPY's binary format (exported
 *       from a seeded database) into bare tables (the most a hand-written load
 *       script gets out of the database: its own limit);
 *   (b) drizzle-seed on the same tables (if installed), the same rows per table;
 * and peak RSS of seeds of growing size (flat memory).
 *
 * Usage: node bench/seed.mjs --url postgres://postgres@127.0.0.1:5432/postgres [--rows 1000000] [--workers 2]
 *          [--drizzle-rows N (default: the same rows per table as understudy)] [--repeat 3]
 *          [--memory-rows 100000,1000000,3000000,10000000]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.UNDERSTUDY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    rows: { type: 'string', default: '1000000' },
    workers: { type: 'string', default: '2' },
    'drizzle-rows': { type: 'string' },
    'memory-rows': { type: 'string', default: '100000,1000000,3000000,10000000' },
    repeat: { type: 'string', default: '3' },
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
  settle(url);
  return { name, url, drop: () => pg.dropScratchDatabase(args.url, name) };
}

/**
 * Before each timed run: the previous run's writes flushed (a checkpoint, then the kernel's dirty
 * pages), so no contender pays for the write-back of the one before it.
 */
function settle(url) {
  spawnSync('psql', ['-X', '-q', '-c', 'CHECKPOINT', url], { stdio: 'ignore' }); // needs a superuser; skipped quietly otherwise
  spawnSync('sync', [], { stdio: 'ignore' });
  spawnSync('sleep', ['1'], { stdio: 'ignore' });
}

/** In a child process (so maxRSS is this seed's alone): seed through the library and report. */
async function childSeed(spec) {
  const { url, rowsPerTable, workers, onlyDrizzleTables } = JSON.parse(spec);
  const { buildPlan, seed } = await import('@understudy/generate');
  const conn = await pg.connectPostgres(url, pg.postgresDialect);
  const schema = await conn.introspect();
  await conn.close();
  // onlyDrizzleTables: the tables drizzle-seed fills get the rows, the others (composite keys) none: the same work.
  const fills = new Set(onlyDrizzleTables ? (await import('./drizzle-pagila.mjs')).drizzleSeedableTables(schema) : Object.keys(schema.tables));
  const tableRows = Object.fromEntries(
    Object.keys(schema.tables)
      .filter((k) => schema.tables[k].kind !== 'partition' && !fills.has(k))
      .map((k) => [k, 0]),
  );
  const plan = buildPlan(schema, { seed: 1, rows: rowsPerTable, tableRows });
  const sink = await pg.postgresDialect.openSink(url, { schema, truncate: true });
  const t0 = performance.now();
  const result = await seed({ plan, sink, workers });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ rows: result.rows, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
}

function runChild(url, rowsPerTable, workers, onlyDrizzleTables = false) {
  const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child', JSON.stringify({ url, rowsPerTable, workers, onlyDrizzleTables })], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`child seed failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * The statements that set a schema's keys, indexes and FKs aside for a load and put them back
 * (the best a hand-written load script can do: COPY into bare tables, one pass per key after).
 */
function bareLoadStatements(url) {
  const q = (sql) =>
    execFileSync('psql', ['-X', '-At', '-F', '\t', '-c', sql, url], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'));
  const fks = q(`select conrelid::regclass, quote_ident(conname), pg_get_constraintdef(oid) from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace and conparentid = 0`);
  const keys = q(
    `select c.conrelid::regclass, quote_ident(c.conname), pg_get_constraintdef(c.oid) from pg_constraint c where c.contype in ('p', 'u') and c.connamespace = 'public'::regnamespace and c.conparentid = 0`,
  );
  const indexes = q(
    `select i.indexrelid::regclass, pg_get_indexdef(i.indexrelid) from pg_index i join pg_class c on c.oid = i.indexrelid where c.relnamespace = 'public'::regnamespace and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid) and not exists (select 1 from pg_inherits h where h.inhrelid = i.indexrelid)`,
  );
  return {
    drop: [...fks.map(([t, n]) => `ALTER TABLE ${t} DROP CONSTRAINT ${n};`), ...keys.map(([t, n]) => `ALTER TABLE ${t} DROP CONSTRAINT ${n};`), ...indexes.map(([i]) => `DROP INDEX ${i};`)],
    add: [
      ...keys.map(([t, n, d]) => `ALTER TABLE ${t} ADD CONSTRAINT ${n} ${d};`),
      ...indexes.map(([, d]) => `${d.replace(' ON ONLY ', ' ON ')};`),
      ...fks.map(([t, n, d]) => `ALTER TABLE ${t} ADD CONSTRAINT ${n} ${d};`),
    ],
  };
}

/** CSV files of the same rows understudy seeds (`understudy generate --format csv`, same seed and plan). */
function generateCsv(rowsPerTable) {
  const dir = mkdtempSync(join(tmpdir(), 'understudy-bench-'));
  execFileSync(process.execPath, ['bin/understudy', 'generate', '--from', FIXTURE, '--rows', String(rowsPerTable), '--seed', '1', '--format', 'csv', '--out', dir, '--json'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return dir;
}

/**
 * The same rows in COPY's binary format, one file per table: seeded into a scratch database (untimed)
 * and exported with psql `\copy (SELECT …) TO … (FORMAT binary)`.
 */
async function exportBinary(rowsPerTable) {
  const dir = mkdtempSync(join(tmpdir(), 'understudy-bench-bin-'));
  const db = await freshDatabase();
  try {
    runChild(db.url, rowsPerTable, Number(args.workers));
    const conn = await pg.connectPostgres(db.url, pg.postgresDialect);
    const schema = await conn.introspect();
    await conn.close();
    const plan = (await import('@understudy/generate')).buildPlan(schema, { seed: 1, rows: rowsPerTable });
    const script = plan.loadOrder.map((key) => {
      const cols = plan.tables[key].columns
        .filter((c) => c.load)
        .map((c) => `"${c.name}"`)
        .join(', ');
      const [schemaName, name] = key.split('.');
      return `\\copy (SELECT ${cols} FROM "${schemaName}"."${name}") to '${join(dir, `${key}.bin`)}' with (format binary)`;
    });
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db.url], { input: script.join('\n'), stdio: ['pipe', 'ignore', 'inherit'] });
  } finally {
    await db.drop();
  }
  return dir;
}

/**
 * psql `\copy` of the files (`format`: the CSV files, or the binary ones) in one transaction;
 * `bare`: keys, indexes and FKs set aside first and added back after.
 */
async function rawCopy(dir, rowsPerTable, { bare, onlyDrizzleTables = false, format = 'csv' }) {
  const db = await freshDatabase();
  try {
    const conn = await pg.connectPostgres(db.url, pg.postgresDialect);
    const schema = await conn.introspect();
    const plan = (await import('@understudy/generate')).buildPlan(schema, { seed: 1, rows: rowsPerTable });
    await conn.close();
    const script = ['BEGIN;'];
    const aside = bare ? bareLoadStatements(db.url) : { drop: [], add: [] };
    script.push(...aside.drop);
    let rows = 0;
    // The drizzle-seed tables' rows are the same whether or not the other tables get rows (values are addressed).
    const only = onlyDrizzleTables ? new Set((await import('./drizzle-pagila.mjs')).drizzleSeedableTables(schema)) : undefined;
    for (const key of plan.loadOrder) {
      if (only && !only.has(key)) continue;
      const table = plan.tables[key];
      const cols = table.columns
        .filter((c) => c.load)
        .map((c) => `"${c.name}"`)
        .join(', ');
      const [schema, name] = key.split('.');
      const options = format === 'binary' ? 'format binary' : 'format csv, header true';
      script.push(`\\copy "${schema}"."${name}" (${cols}) from '${join(dir, `${key}.${format === 'binary' ? 'bin' : 'csv'}`)}' with (${options})`);
      rows += table.rows;
    }
    script.push(...aside.add, 'COMMIT;');
    const t0 = performance.now();
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db.url], { input: script.join('\n'), stdio: ['pipe', 'ignore', 'inherit'] });
    return { rows, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await db.drop();
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
    return {
      skipped: `drizzle-seed failed: ${String(error?.cause?.message ?? error?.message ?? error)
        .split('\n')[0]
        .slice(0, 300)}`,
    };
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

  // Each seed into a fresh database, in a child process of its own (so maxRSS is that seed's alone).
  const seedAt = async (rowsPerTable, onlyDrizzleTables = false) => {
    const db = await freshDatabase();
    try {
      return runChild(db.url, rowsPerTable, workers, onlyDrizzleTables);
    } finally {
      await db.drop();
    }
  };
  // Rounds interleave the contenders, so a slower spell of a shared machine falls on all of them.
  const repeat = Math.max(1, Number(args.repeat));
  const drizzleRows = args['drizzle-rows'] === undefined ? perTable : Number(args['drizzle-rows']);
  const runs = { ours: [], ours12: [], copy: [], bare: [], bareBinary: [], bare12: [], bareBinary12: [], drizzle: [] };
  const csv = generateCsv(perTable);
  const binary = await exportBinary(perTable);
  try {
    for (let round = 0; round < repeat; round++) {
      runs.ours.push(await seedAt(perTable));
      runs.copy.push(await rawCopy(csv, perTable, { bare: false }));
      runs.bare.push(await rawCopy(csv, perTable, { bare: true }));
      runs.bareBinary.push(await rawCopy(binary, perTable, { bare: true, format: 'binary' }));
      runs.ours12.push(await seedAt(drizzleRows, true));
      if (drizzleRows === perTable) {
        runs.bare12.push(await rawCopy(csv, perTable, { bare: true, onlyDrizzleTables: true }));
        runs.bareBinary12.push(await rawCopy(binary, perTable, { bare: true, onlyDrizzleTables: true, format: 'binary' }));
      }
      runs.drizzle.push(await drizzleSeed(drizzleRows));
    }
  } finally {
    rmSync(csv, { recursive: true, force: true });
    rmSync(binary, { recursive: true, force: true });
  }
  const memory = [];
  for (const n of args['memory-rows'].split(',').filter(Boolean).map(Number)) {
    const per = Math.ceil(n / TABLES);
    memory.push(per === perTable ? runs.ours[0] : await seedAt(per));
  }

  const rate = (r) => Math.round(r.rows / r.seconds);
  const fmt = (n) => n.toLocaleString('en-US');
  /** The fastest run and the median one of a contender (runs that were skipped say why). */
  const summary = (list) => {
    const done = list.filter((r) => !r.skipped).sort((x, y) => x.seconds - y.seconds);
    return done.length === 0 ? { skipped: list[0]?.skipped ?? 'not run' } : { best: done[0], median: done[Math.floor((done.length - 1) / 2)], n: done.length };
  };
  const ours = summary(runs.ours);
  const line = (what, list, base = ours) => {
    const s = summary(list);
    if (s.skipped) return `| ${what} | — | — | — | ${s.skipped} |`;
    const vs = list === runs.ours || list === runs.ours12 ? '1.00' : `${(rate(base.best) / rate(s.best)).toFixed(2)} × (median ${(rate(base.median) / rate(s.median)).toFixed(2)} ×)`;
    return `| ${what} | ${fmt(s.best.rows)} | ${s.best.seconds.toFixed(1)} (median ${s.median.seconds.toFixed(1)}) | ${fmt(rate(s.best))} | ${vs} |`;
  };
  console.log('');
  console.log(`best of ${repeat} interleaved rounds (median in brackets)`);
  console.log('');
  console.log('| what | rows | seconds | rows/s | understudy vs it |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(line(`understudy seed, ${workers} worker${workers === 1 ? '' : 's'}`, runs.ours));
  console.log(line('raw COPY of the same rows into the schema as it is (psql \\copy csv, one transaction)', runs.copy));
  console.log(line('raw COPY into bare tables, keys, indexes and FKs added after (same transaction)', runs.bare));
  console.log(line('raw COPY of the rows in binary format into bare tables, constraints after (same transaction)', runs.bareBinary));
  const tables = summary(runs.drizzle).best?.tables;
  console.log('');
  console.log(`The tables drizzle-seed can fill${tables ? ` (${tables} of ${TABLES})` : ''}, ${fmt(drizzleRows)} rows each: the same work for both`);
  console.log('');
  console.log('| what | rows | seconds | rows/s | understudy vs it |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(line(`understudy seed, ${workers} worker${workers === 1 ? '' : 's'}`, runs.ours12));
  if (runs.bare12.length > 0) console.log(line('raw COPY into bare tables, keys, indexes and FKs added after', runs.bare12, summary(runs.ours12)));
  if (runs.bareBinary12.length > 0) console.log(line('raw COPY in binary format into bare tables, constraints after', runs.bareBinary12, summary(runs.ours12)));
  console.log(line('drizzle-seed', runs.drizzle, summary(runs.ours12)));
  if (runs.bare12.length > 0 && !summary(runs.drizzle).skipped) {
    const d = summary(runs.drizzle);
    for (const [what, list] of [
      ['CSV', runs.bare12],
      ['binary', runs.bareBinary12],
    ]) {
      const b = summary(list);
      if (b.skipped) continue;
      console.log(
        `| (the database's own limit, ${what} into bare tables, against drizzle-seed) | | | | ${(rate(b.best) / rate(d.best)).toFixed(2)} × (median ${(rate(b.median) / rate(d.median)).toFixed(2)} ×) |`,
      );
    }
  }
  console.log(`| (understudy on all ${TABLES} tables, above) | | | | ${(rate(ours.best) / rate(summary(runs.drizzle).best ?? ours.best)).toFixed(2)} × |`);
  console.log('');
  console.log('| rows seeded | seconds | peak RSS (process, workers included) |');
  console.log('|---:|---:|---:|');
  for (const m of memory) console.log(`| ${fmt(m.rows)} | ${m.seconds.toFixed(1)} | ${m.maxRssMB.toFixed(0)} MB |`);
}
