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
 * With --snaplet, Snaplet's `snapshot capture` + `snapshot restore` (@snaplet/snapshot from npm,
 * installed on demand into --snaplet-dir, never a dependency of this repository) runs once beside
 * them, offline, with a snaplet.config.ts made from the same policy (snapletConfig below).
 *
 * Usage: node bench/scrub.mjs --url postgres://postgres@127.0.0.1:5432/postgres
 *          [--rows 1000000] [--repeat 3] [--memory-rows 1000000,3000000] [--workers N] [--text-copy]
 *          [--snaplet] [--snaplet-dir DIR] [--snaplet-version 0.93.2]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
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
    'text-copy': { type: 'boolean', default: false },
    snaplet: { type: 'boolean', default: false },
    'snaplet-dir': { type: 'string', default: join(tmpdir(), 'understudy-bench-snaplet') },
    'snaplet-version': { type: 'string', default: '0.93.2' },
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
  // scan keeps integer keys named after what they point at (address_id, city_id): permuted here, as before
  'public.address': { address_id: 'hash', district: 'fake:city' },
  'public.city': { city_id: 'hash' },
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
  if (args['text-copy']) argv.push('--text-copy');
  const r = timed(process.execPath, argv);
  const result = JSON.parse(r.stdout);
  return { ...r, rows: result.rows };
}

function dumpRestore(source, target, rows) {
  // The same tables, data only, into the same schema: what a DBA would run to copy production's rows.
  const r = timed('bash', ['-o', 'pipefail', '-c', `pg_dump -Fc --data-only '${source.url}' | pg_restore --single-transaction --disable-triggers -d '${target.url}'`]);
  return { ...r, rows };
}

/** @snaplet/snapshot installed into --snaplet-dir on first use (kept for later runs), never into this repository: its CLI. */
function snapletCli() {
  const dir = resolve(args['snaplet-dir']);
  const pkg = join(dir, 'node_modules', '@snaplet', 'snapshot', 'package.json');
  if (!existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).version !== args['snaplet-version']) {
    mkdirSync(dir, { recursive: true });
    console.log(`installing @snaplet/snapshot@${args['snaplet-version']} into ${dir} (npm; not a dependency of this repository)`);
    execFileSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', `@snaplet/snapshot@${args['snaplet-version']}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return { dir, cli: join(dir, 'node_modules', '@snaplet', 'snapshot', 'bin', 'snaplet.js') };
}

/**
 * A snaplet.config.ts transforming what the policy transforms, with copycat (Snaplet's own faker):
 * a key the scrub permutes gets a bijection (an odd multiplier modulo the type's range) applied to
 * it and to every FK column that follows it, as the scrub does; fakes get copycat's fake of the
 * same kind, hashes and free text copycat's scramble, dates a keyed shift of ±30 days, numbers
 * ±10% noise, nulls null. Every other column is copied (`$mode: 'unsafe'`), as `keep` is.
 */
function snapletConfig(source, policyFile) {
  const policy = JSON.parse(readFileSync(policyFile, 'utf8'));
  const q = (sql) => JSON.parse(execFileSync('psql', ['-X', '-At', '-c', sql, source.url], { encoding: 'utf8' }).trim());
  const qualify = (name) => (name.includes('.') ? name : `public.${name}`);
  const columns = q(
    `SELECT json_object_agg(table_schema || '.' || table_name || '.' || column_name, json_build_object('type', udt_name, 'length', character_maximum_length, 'precision', numeric_precision, 'scale', numeric_scale)) FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const constraints = q(
    `SELECT json_agg(json_build_object('table', coalesce((SELECT i.inhparent::regclass::text FROM pg_inherits i WHERE i.inhrelid = c.conrelid), c.conrelid::regclass::text), 'type', c.contype, 'columns', (SELECT json_agg(attname) FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = ANY (c.conkey)), 'ref', c.confrelid::regclass::text, 'refColumns', (SELECT json_agg(attname) FROM pg_attribute WHERE attrelid = c.confrelid AND attnum = ANY (c.confkey)))) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.contype IN ('p', 'u', 'f')`,
  );
  const keys = new Set();
  const parentOf = new Map();
  for (const c of constraints) {
    const table = qualify(c.table);
    if (c.type !== 'f') for (const col of c.columns) keys.add(`${table}.${col}`);
    else {
      c.refColumns.forEach((col) => keys.add(`${qualify(c.ref)}.${col}`));
      if (c.columns.length === 1) parentOf.set(`${table}.${c.columns[0]}`, `${qualify(c.ref)}.${c.refColumns[0]}`);
    }
  }
  const fakes = { 'first-name': 'firstName', 'last-name': 'lastName', email: 'email', address: 'streetAddress', city: 'city', phone: 'phoneNumber', username: 'username' };
  const bits = { int2: 15, int4: 31, int8: 63 };
  const transformOf = (qualified) => {
    const at = qualified.lastIndexOf('.');
    return policy.tables[qualified.slice(0, at)]?.columns[qualified.slice(at + 1)]?.transform ?? 'keep';
  };
  const expression = (qualified) => {
    const parent = parentOf.get(qualified);
    if (parent !== undefined) return expression(parent);
    const transform = transformOf(qualified);
    const { type, length, precision, scale } = columns[qualified];
    if (transform === 'keep') return undefined;
    if (transform === 'null') return 'null';
    if (keys.has(qualified)) return bits[type] ? `permute(v, ${bits[type]}n)` : 'scramble(v)';
    if (transform === 'shift-date') return 'shiftDate(v)';
    if (transform === 'noise') {
      // within the column's range, as the scrub's noise is
      const max = type === 'numeric' && precision ? 10 ** (precision - scale) - 10 ** -scale : ({ int2: 32767, int4: 2 ** 31 - 1 }[type] ?? Number.MAX_SAFE_INTEGER);
      return `noise(v, ${scale ?? 0}, ${max})`;
    }
    const fake = transform.startsWith('fake:') ? fakes[transform.slice(5)] : undefined;
    const made = fake ? `fake(v, copycat.${fake})` : 'scramble(v)';
    return length ? `fit(${made}, ${length})` : made;
  };
  const tables = new Map();
  for (const qualified of Object.keys(columns)) {
    const table = qualified.slice(0, qualified.lastIndexOf('.'));
    if (!policy.tables[table]) continue; // partitions: Snaplet captures the partitioned table
    const e = expression(qualified);
    if (e === undefined) continue;
    const column = qualified.slice(qualified.lastIndexOf('.') + 1);
    if (!tables.has(table)) tables.set(table, []);
    tables.get(table).push(`${column}: ((v) => ${e})(row.${column})`);
  }
  const body = [...tables].map(([table, list]) => `      ${table.split('.')[1]}: ({ row }: any) => ({\n        ${list.join(',\n        ')},\n      }),`).join('\n');
  const transformed = [...tables.values()].reduce((n, list) => n + list.length, 0);
  const text = `// Made by bench/scrub.mjs from the scrub's policy: the same columns transformed.
import { copycat } from '@snaplet/copycat';

const on = (v: any, f: (s: string) => any) => (v === null || v === undefined ? v : f(String(v)));
const permute = (v: any, bits: bigint) => on(v, (s) => String((BigInt(s) * 2654435761n + 40503n) % (1n << bits)));
const scramble = (v: any) => on(v, (s) => copycat.scramble(s));
const fake = (v: any, f: (s: string) => string) => on(v, (s) => f(s));
const fit = (v: any, n: number) => (typeof v === 'string' ? v.slice(0, n) : v);
const shiftDate = (v: any) =>
  on(v, (s) => {
    const m = /^(\\d{4})-(\\d{2})-(\\d{2})(.*)$/s.exec(s);
    if (!m) return s;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + copycat.int(s, { min: -30, max: 30 })));
    return d.toISOString().slice(0, 10) + m[4];
  });
const noise = (v: any, scale: number, max: number) => on(v, (s) => Math.max(-max, Math.min(max, Number(s) * (1 + copycat.float(s, { min: -0.1, max: 0.1 })))).toFixed(scale));

export default {
  transform: {
    $mode: 'unsafe',
    public: {
${body}
    },
  },
};
`;
  return { text, transformed };
}

/** Snaplet's capture of the source (transformed on the way) and its restore into `target`, each timed. */
function snapletRun(source, target, policyFile, rows) {
  const { dir, cli } = snapletCli();
  const project = mkdtempSync(join(dir, 'project-'));
  mkdirSync(join(project, '.snaplet'));
  const config = snapletConfig(source, policyFile);
  writeFileSync(join(project, 'snaplet.config.ts'), config.text);
  const snapshot = join(project, 'snapshot');
  // Offline: no access token, no Snaplet cloud; the system config stays in the project folder.
  const env = { ...process.env, SNAPLET_OS_HOMEDIR: project, SNAPLET_CWD: project, SNAPLET_SOURCE_DATABASE_URL: source.url, SNAPLET_TARGET_DATABASE_URL: target.url };
  delete env.SNAPLET_ACCESS_TOKEN;
  const cwd = process.cwd();
  process.chdir(project);
  try {
    const capture = timed(process.execPath, [cli, 'snapshot', 'capture', snapshot], env);
    const restore = timed(process.execPath, [cli, 'snapshot', 'restore', snapshot, '--yes', '--no-progress'], env);
    return { capture, restore, seconds: capture.seconds + restore.seconds, rssMb: Math.max(capture.rssMb ?? 0, restore.rssMb ?? 0) || undefined, rows, transformed: config.transformed, project };
  } finally {
    process.chdir(cwd);
  }
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
  let snaplet;
  if (args.snaplet) {
    const snapTarget = await createDb('understudy_bench_scrub_snap');
    dbs.push(snapTarget);
    settle(args.url);
    try {
      snaplet = snapletRun(source, snapTarget, policy.file, runs.scrub[0].rows);
      // The rows arrived, and what the policy transforms is not the source's.
      const count = (url, sql) => Number(execFileSync('psql', ['-X', '-At', '-c', sql, url], { encoding: 'utf8' }).trim());
      const tables = Object.keys(JSON.parse(readFileSync(policy.file, 'utf8')).tables);
      const rowsIn = (url) => count(url, `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')}`);
      const [restored, expected] = [rowsIn(snapTarget.url), rowsIn(source.url)];
      if (restored !== expected) throw new Error(`Snaplet restored ${restored} rows of ${expected}`);
      const same = count(
        snapTarget.url,
        `SELECT count(*) FROM public.customer WHERE email IN (${execFileSync('psql', ['-X', '-At', '-c', "SELECT string_agg(quote_literal(email), ',') FROM (SELECT email FROM public.customer LIMIT 1000) s", source.url], { encoding: 'utf8' }).trim()})`,
      );
      console.log(
        `snaplet: capture ${snaplet.capture.seconds.toFixed(1)} s + restore ${snaplet.restore.seconds.toFixed(1)} s, ${snaplet.transformed} columns transformed in snaplet.config.ts (${snaplet.project}); ${restored.toLocaleString('en-US')} rows restored; ${same} of 1,000 source e-mails found in the target`,
      );
    } catch (error) {
      snaplet = { error: String(error.message ?? error).slice(0, 2000) };
      console.log(`snaplet failed: ${snaplet.error}`);
    }
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
    console.log(`memory run: ${r.rows.toLocaleString('en-US')} rows, peak RSS ${r.rssMb} MB, ${r.seconds.toFixed(1)} s (load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})`);
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
  if (snaplet && !snaplet.error) {
    console.log(
      `| Snaplet ${args['snaplet-version']} snapshot capture + restore (1 run) | ${fmt(snaplet.rows)} | ${snaplet.seconds.toFixed(1)} (capture ${snaplet.capture.seconds.toFixed(1)}, restore ${snaplet.restore.seconds.toFixed(1)}) | ${fmt(rate(snaplet))} | ${snaplet.rssMb ?? '?'} MB |`,
    );
  }
  console.log('');
  if (snaplet && !snaplet.error) console.log(`scrub vs Snaplet: ${(rate(best(runs.scrub)) / rate(snaplet)).toFixed(1)} × (median scrub: ${(rate(median(runs.scrub)) / rate(snaplet)).toFixed(1)} ×)`);
  console.log(`scrub vs pg_dump | pg_restore: ${(rate(best(runs.scrub)) / rate(best(runs.restore))).toFixed(2)} × (median ${(rate(median(runs.scrub)) / rate(median(runs.restore))).toFixed(2)} ×)`);
  const growth =
    memory.length > 1 && memory[0].rssMb
      ? ` (largest / smallest row count: ${(Math.max(...memory.map((m) => m.rssMb ?? 0)) / Math.min(...memory.map((m) => m.rssMb ?? Infinity))).toFixed(2)} ×; flat means about 1)`
      : '';
  console.log(`peak RSS of the scrub: ${memory.map((m) => `${fmt(m.rows)} rows: ${m.rssMb} MB`).join(', ')}${growth}`);
} finally {
  for (const db of dbs.reverse()) await db.drop().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
