#!/usr/bin/env node
/**
 * Scrub throughput: `understudy scrub` of ~1,000,000 pagila rows from one PostgreSQL
 * database into another, beside `pg_dump -Fc --data-only | pg_restore --single-transaction`
 * of the same tables between the same kind of databases, in interleaved rounds; and peak
 * RSS of the scrub at two row counts (flat memory).
 *
 * The source is pagila (fixtures/schemas/pagila/schema.sql) seeded by `understudy seed`.
 * The policy is what `understudy scan` proposes, plus enough rules to transform about a
 * third of the columns (BENCH_RULES): integer primary keys (customer, actor, inventory,
 * store, address, city) are permuted and every FK to them follows, dates are shifted,
 * amounts get noise, names, e-mails, phones and addresses are faked, free text is scrubbed.
 *
 * Usage: node bench/scrub.mjs --url postgres://postgres@127.0.0.1:5432/postgres
 *          [--rows 1000000] [--repeat 3] [--memory-rows 1000000,3000000] [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.UNDERSTUDY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    rows: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '3' },
    'memory-rows': { type: 'string', default: '1000000,3000000' },
    workers: { type: 'string' },
  },
});
const FIXTURE = 'fixtures/schemas/pagila/schema.sql';
const TABLES = 15; // pagila's loadable tables
const CLI = resolve('bin/understudy');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Rules on top of scan's proposal: about a third of the columns transformed, keys and FKs included. */
const BENCH_RULES = {
  'public.customer': { customer_id: 'hash', create_date: 'shift-date', last_update: 'shift-date' },
  'public.rental': { return_date: 'shift-date', last_update: 'shift-date' },
  'public.payment': { amount: 'noise' },
  'public.film': { title: 'text', rental_rate: 'noise', replacement_cost: 'noise', length: 'noise' },
  'public.actor': { actor_id: 'hash' },
  'public.inventory': { inventory_id: 'hash' },
  'public.store': { store_id: 'hash' },
  'public.address': { district: 'fake:city' },
  'public.country': { country: 'fake:city' },
  'public.category': { name: 'hash' },
  'public.language': { name: 'hash' },
  // bytea: scan's `text` proposal does not apply to it
  'public.staff': { picture: 'null' },
};

const pg = await import('@understudy/postgres');
const psql = (url, sql) => execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql, url], { stdio: ['ignore', 'ignore', 'inherit'] });

async function createDb(prefix) {
  const name = await pg.createScratchDatabase(args.url, prefix);
  return { name, url: pg.urlForDatabase(args.url, name), drop: () => pg.dropScratchDatabase(args.url, name) };
}

function settle(url) {
  spawnSync('psql', ['-X', '-q', '-c', 'CHECKPOINT', url], { stdio: 'ignore' });
  spawnSync('sync', [], { stdio: 'ignore' });
  spawnSync('sleep', ['1'], { stdio: 'ignore' });
}

/** A source with pagila's schema and `perTable` rows in each table. */
async function seededSource(perTable) {
  const db = await createDb('understudy_bench_scrub_src');
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', FIXTURE, db.url], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [CLI, 'seed', '--url', db.url, '--rows', String(perTable), '--json'], { stdio: ['ignore', 'ignore', 'inherit'] });
  psql(db.url, 'VACUUM ANALYZE');
  return db;
}

/** An empty copy of the source's schema. */
async function emptyTarget(source, prefix) {
  const db = await createDb(prefix);
  const ddl = execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', source.url], { encoding: 'utf8', maxBuffer: 1 << 26 });
  execFileSync('psql', ['-X', '-q', db.url], { input: ddl.replace(/^\\(un)?restrict .*$/gm, ''), stdio: ['pipe', 'ignore', 'ignore'] });
  return db;
}

function makePolicy(source, dir) {
  const file = join(dir, 'scrub.policy.json');
  execFileSync(process.execPath, [CLI, 'scan', '--url', source.url, '--out', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const policy = JSON.parse(readFileSync(file, 'utf8'));
  for (const [table, rules] of Object.entries(BENCH_RULES)) for (const [column, transform] of Object.entries(rules)) policy.tables[table].columns[column].transform = transform;
  writeFileSync(file, JSON.stringify(policy, null, 2));
  const columns = Object.values(policy.tables).flatMap((t) => Object.values(t.columns));
  return { file, columns: columns.length, transformed: columns.filter((c) => c.transform !== 'keep').length };
}

/** Runs a command under /usr/bin/time when there is one: seconds and peak RSS (MB). */
function timed(command, argv, env = process.env) {
  const t = performance.now();
  const r = TIME ? spawnSync(TIME, ['-f', 'maxrss_kb=%M', command, ...argv], { encoding: 'utf8', env, maxBuffer: 1 << 26 }) : spawnSync(command, argv, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${argv.join(' ')} failed: ${r.stderr}`);
  const rss = /maxrss_kb=(\d+)/.exec(r.stderr ?? '');
  return { seconds, rssMb: rss ? Math.round(Number(rss[1]) / 1024) : undefined, stdout: r.stdout };
}

function scrub(source, target, policy, keyFile) {
  const argv = [CLI, 'scrub', '--source', source.url, '--url', target.url, '--policy', policy.file, '--key-file', keyFile, '--json'];
  if (args.workers !== undefined) argv.push('--workers', args.workers);
  const r = timed(process.execPath, argv);
  const result = JSON.parse(r.stdout);
  return { ...r, rows: result.rows };
}

function dumpRestore(source, target, rows) {
  // The same tables, data only, into the same schema: what a DBA would run to copy production's rows.
  const r = timed('bash', ['-o', 'pipefail', '-c', `pg_dump -Fc --data-only '${source.url}' | pg_restore --single-transaction --disable-triggers -d '${target.url}'`]);
  return { ...r, rows };
}

function truncateAll(db) {
  psql(
    db.url,
    `SET client_min_messages = warning; DO $$ DECLARE r record; BEGIN FOR r IN SELECT format('%I.%I', schemaname, tablename) AS t FROM pg_tables WHERE schemaname = 'public' LOOP EXECUTE 'TRUNCATE ' || r.t || ' CASCADE'; END LOOP; END $$`,
  );
}

const total = Number(args.rows);
const perTable = Math.ceil(total / TABLES);
const repeat = Math.max(1, Number(args.repeat));
const pgVersion = execFileSync('psql', ['-X', '-Atc', 'show server_version', args.url], { encoding: 'utf8' }).trim();
const dumpVersion = execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }).trim();
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, PostgreSQL ${pgVersion}, ${dumpVersion}`);
console.log(`load average at start: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);

const dir = mkdtempSync(join(tmpdir(), 'understudy-bench-scrub-'));
const keyFile = join(dir, 'scrub.key');
writeFileSync(keyFile, randomBytes(32).toString('hex'));
const dbs = [];
try {
  const source = await seededSource(perTable);
  dbs.push(source);
  const policy = makePolicy(source, dir);
  console.log(`pagila, ${perTable.toLocaleString('en-US')} rows per table × ${TABLES} tables; policy: ${policy.transformed} of ${policy.columns} columns transformed`);
  const scrubTarget = await emptyTarget(source, 'understudy_bench_scrub_dst');
  dbs.push(scrubTarget);
  const restoreTarget = await emptyTarget(source, 'understudy_bench_scrub_pgr');
  dbs.push(restoreTarget);
  const runs = { scrub: [], restore: [] };
  for (let round = 0; round < repeat; round++) {
    settle(args.url);
    runs.scrub.push(scrub(source, scrubTarget, policy, keyFile));
    truncateAll(restoreTarget);
    settle(args.url);
    runs.restore.push(dumpRestore(source, restoreTarget, runs.scrub[0].rows));
    console.log(
      `round ${round + 1}: scrub ${runs.scrub.at(-1).seconds.toFixed(1)} s, pg_dump | pg_restore ${runs.restore.at(-1).seconds.toFixed(1)} s (load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`,
    );
  }
  const memory = [{ rows: runs.scrub[0].rows, rssMb: Math.max(...runs.scrub.map((r) => r.rssMb ?? 0)) }];
  for (const n of args['memory-rows'].split(',').filter(Boolean).map(Number)) {
    const per = Math.ceil(n / TABLES);
    if (per === perTable) continue;
    const src = await seededSource(per);
    dbs.push(src);
    const dst = await emptyTarget(src, 'understudy_bench_scrub_mem');
    dbs.push(dst);
    const r = scrub(src, dst, policy, keyFile); // the same policy: the same columns transformed
    memory.push({ rows: r.rows, rssMb: r.rssMb, seconds: r.seconds });
  }

  const sorted = (list) => [...list].sort((a, b) => a.seconds - b.seconds);
  const best = (list) => sorted(list)[0];
  const median = (list) => sorted(list)[Math.floor((list.length - 1) / 2)];
  const rate = (r) => Math.round(r.rows / r.seconds);
  const fmt = (n) => n.toLocaleString('en-US');
  console.log('');
  console.log(`best of ${repeat} interleaved rounds (median in brackets)`);
  console.log('');
  console.log('| what | rows | seconds | rows/s | peak RSS |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [what, list] of [
    ['understudy scrub', runs.scrub],
    ['pg_dump -Fc --data-only \\| pg_restore --single-transaction', runs.restore],
  ]) {
    console.log(`| ${what} | ${fmt(best(list).rows)} | ${best(list).seconds.toFixed(1)} (median ${median(list).seconds.toFixed(1)}) | ${fmt(rate(best(list)))} | ${best(list).rssMb ?? '?'} MB |`);
  }
  console.log('');
  console.log(`scrub vs pg_dump | pg_restore: ${(rate(best(runs.scrub)) / rate(best(runs.restore))).toFixed(2)} × (median ${(rate(median(runs.scrub)) / rate(median(runs.restore))).toFixed(2)} ×)`);
  console.log(`peak RSS of the scrub: ${memory.map((m) => `${fmt(m.rows)} rows: ${m.rssMb} MB`).join(', ')}`);
} finally {
  for (const db of dbs.reverse()) await db.drop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
