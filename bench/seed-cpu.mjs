#!/usr/bin/env node
/**
 * Where a seed's CPU goes: seeds pagila (66,667 rows per table by default) into a
 * fresh PostgreSQL database, in a child process, while sampling from /proc the
 * CPU time of the child's threads (main thread and workers) and of the
 * PostgreSQL backend serving the load, and at the end the backend's schedstat
 * (time on a CPU, time waiting for one). Rounds interleave the COPY formats
 * asked for, so a slower spell of the machine falls on all of them.
 *
 * Usage: node bench/seed-cpu.mjs --url postgres://postgres@127.0.0.1:5432/postgres
 *          [--formats binary,text] [--workers 1] [--rows 66667] [--rounds 3]
 * Linux only (/proc); the server must be on this machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.UNDERSTUDY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    formats: { type: 'string', default: 'binary,text' },
    workers: { type: 'string', default: '1' },
    rows: { type: 'string', default: '66667' },
    rounds: { type: 'string', default: '3' },
    child: { type: 'string' },
  },
});
const FIXTURE = 'fixtures/schemas/pagila/schema.sql';
const pg = await import('@understudy/postgres');

if (args.child) {
  // The seed itself: only seed() is timed, as in seed.mjs.
  const { url, format } = JSON.parse(args.child);
  const { buildPlan, seed } = await import('@understudy/generate');
  const conn = await pg.connectPostgres(url, pg.postgresDialect);
  const schema = await conn.introspect();
  await conn.close();
  const plan = buildPlan(schema, { seed: 1, rows: Number(args.rows) });
  const sink = await pg.openPostgresSink(url, { schema, truncate: true, copyFormat: format });
  const t0 = performance.now();
  await seed({ plan, sink, workers: Number(args.workers) });
  process.stdout.write(JSON.stringify({ seconds: (performance.now() - t0) / 1000 }));
  process.exit(0);
}

const TICK = 100; // clock ticks per second of /proc/<pid>/stat (USER_HZ)
const cpuTicks = (stat) => {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};

async function run(format) {
  const name = await pg.createScratchDatabase(args.url, 'understudy_bench_cpu');
  const url = pg.urlForDatabase(args.url, name);
  try {
    const conn = await pg.connectPostgres(url, pg.postgresDialect);
    await pg.runSqlStatements(conn.db, FIXTURE, (await pg.readSqlFile(FIXTURE)).statements);
    await conn.close();
    execFileSync('psql', ['-X', '-q', '-c', 'CHECKPOINT', args.url], { stdio: 'ignore' });
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, ...process.argv.slice(2), '--child', JSON.stringify({ url, format })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const threads = new Map();
    let backend = { cpu: 0, run: 0, wait: 0 };
    const sample = () => {
      try {
        for (const tid of readdirSync(`/proc/${child.pid}/task`)) threads.set(tid, cpuTicks(readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8')));
      } catch {
        // the child is gone
      }
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          if (!cmd.startsWith('postgres:') || !cmd.includes(name)) continue;
          const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
          backend = { cpu: cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / TICK, run: run / 1e9, wait: wait / 1e9 };
        } catch {
          // a process that ended between readdir and read
        }
      }
    };
    const timer = setInterval(sample, 50);
    await new Promise((resolve) => child.on('exit', resolve));
    clearInterval(timer);
    const [main, ...others] = [...threads.entries()].sort(([a], [b]) => Number(a) - Number(b)).map(([, t]) => t / TICK);
    const busiest = others.sort((a, b) => b - a).slice(0, Number(args.workers));
    return { format, seconds: JSON.parse(out).seconds, backend, main, workers: busiest };
  } finally {
    await pg.dropScratchDatabase(args.url, name);
  }
}

const pgVersion = execFileSync('psql', ['-X', '-Atc', 'show server_version', args.url], { encoding: 'utf8' }).trim();
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, PostgreSQL ${pgVersion}; pagila, ${Number(args.rows).toLocaleString('en-US')} rows per table, ${args.workers} worker(s)`,
);
console.log('| format | seconds | backend CPU s | backend waiting for a CPU s | main thread CPU s | worker CPU s |');
console.log('|---|---:|---:|---:|---:|---:|');
for (let round = 0; round < Number(args.rounds); round++) {
  for (const format of args.formats.split(',')) {
    const r = await run(format);
    console.log(`| ${r.format} | ${r.seconds.toFixed(2)} | ${r.backend.cpu.toFixed(2)} | ${r.backend.wait.toFixed(2)} | ${r.main.toFixed(2)} | ${r.workers.map((w) => w.toFixed(2)).join(' + ')} |`);
  }
}
