#!/usr/bin/env node
/**
 * MariaDB/MySQL → MariaDB/MySQL scrub: `understudy scrub` of a generated shop (customers,
 * orders, order lines: about --rows rows in all) from one database into an empty copy of
 * its schema, with each `--workers` count in turn, in interleaved rounds. For every run it
 * prints the wall seconds, the CPU seconds of the CLI's main thread and of its other threads
 * (from /proc/<pid>/task/<tid>/stat, sampled until the process ends), the server's CPU
 * seconds over the run (/proc of mariadbd or mysqld: other clients of the server count too)
 * and the load average; and checks by SQL that every run made the same target (MD5 per table).
 *
 * The source is made with MariaDB's sequence engine (`seq_1_to_N`); the policy is what
 * `understudy scan` proposes. With --baseline CLI, that CLI (another build, e.g. /work/main's)
 * runs too, as `base`.
 *
 * Usage: node bench/scrub-mysql.mjs --url mysql://root@127.0.0.1:3306/test
 *          [--rows 800000] [--repeat 2] [--workers 0,2] [--baseline ../main/bin/understudy]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.UNDERSTUDY_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test' },
    rows: { type: 'string', default: '800000' },
    repeat: { type: 'string', default: '2' },
    workers: { type: 'string', default: '0,2' },
    baseline: { type: 'string' },
  },
});
const CLI = resolve('bin/understudy');
const TICK = 100; // USER_HZ
const admin = new URL(args.url);
const client = ['-h', admin.hostname, '-P', admin.port || '3306', '-u', decodeURIComponent(admin.username), ...(admin.password ? [`-p${decodeURIComponent(admin.password)}`] : [])];
const urlOf = (db) => Object.assign(new URL(args.url), { pathname: `/${db}` }).toString();
const sql = (db, text) => execFileSync('mariadb', [...client, '--batch', '--skip-column-names', ...(db ? [db] : [])], { input: text, encoding: 'utf8', maxBuffer: 1 << 26 });

const rows = Number(args.rows);
const nCustomers = Math.round(rows * 0.25);
const nOrders = Math.round(rows * 0.375);
const nLines = rows - nCustomers - nOrders;
const tag = `${process.pid}`;
const SRC = `understudy_bench_scrub_src_${tag}`;
const TGT = `understudy_bench_scrub_tgt_${tag}`;

const pick = (list, expr) => `ELT(1 + (${expr}) % ${list.length}, ${list.map((s) => `'${s}'`).join(', ')})`;
const FIRST = ['John', 'Maria', 'Pierre', 'Aiko', 'Lucas', 'Fatima', 'Olga', 'Chen', 'Amara', 'Diego', 'Hannah', 'Ravi'];
const LAST = ['Smith', 'Martin', 'Meyer', 'Rossi', 'Garcia', 'Kowalski', 'Tanaka', 'Okafor', 'Nguyen', 'Dubois', 'Novak'];
const CITY = ['London', 'Paris', 'Berlin', 'Madrid', 'Lisbon', 'Warsaw', 'Osaka', 'Lagos', 'Hanoi', 'Lyon', 'Prague', 'Turin', 'Leeds'];
const NOTE = ['Happy with the last delivery.', 'Asked us to call back after six.', 'Prefers e-mail.', 'Gift wrap, please.', 'Left at the door.'];

function seed() {
  sql(null, `DROP DATABASE IF EXISTS ${SRC}; DROP DATABASE IF EXISTS ${TGT}; CREATE DATABASE ${SRC} CHARACTER SET utf8mb4; CREATE DATABASE ${TGT} CHARACTER SET utf8mb4;`);
  sql(
    SRC,
    `CREATE TABLE customers (id int PRIMARY KEY, first_name varchar(40) NOT NULL, last_name varchar(40) NOT NULL, email varchar(120) NOT NULL UNIQUE,
       phone varchar(30), city varchar(60), date_of_birth date, notes text, created_at datetime NOT NULL);
     CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, placed_at datetime NOT NULL, amount decimal(10,2) NOT NULL,
       ship_name varchar(80), ship_city varchar(60), status varchar(20) NOT NULL, CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id));
     CREATE TABLE order_lines (id int PRIMARY KEY, order_id int NOT NULL, sku varchar(20) NOT NULL, qty int NOT NULL, price decimal(10,2) NOT NULL,
       CONSTRAINT lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id));
     INSERT INTO customers SELECT seq, ${pick(FIRST, 'seq')}, ${pick(LAST, 'seq DIV 7')}, CONCAT('customer', seq, '@example.org'),
       CONCAT('+44 20 7946 ', LPAD(seq % 10000, 4, '0')), ${pick(CITY, 'seq DIV 3')}, DATE('1950-01-01') + INTERVAL (seq % 18000) DAY,
       ${pick(NOTE, 'seq DIV 11')}, TIMESTAMP('2020-01-01') + INTERVAL seq MINUTE FROM seq_1_to_${nCustomers};
     INSERT INTO orders SELECT seq, 1 + seq % ${nCustomers}, TIMESTAMP('2021-01-01') + INTERVAL seq MINUTE, (seq % 9973) / 100,
       CONCAT(${pick(FIRST, 'seq DIV 5')}, ' ', ${pick(LAST, 'seq')}), ${pick(CITY, 'seq')}, ${pick(['new', 'paid', 'shipped', 'returned'], 'seq')} FROM seq_1_to_${nOrders};
     INSERT INTO order_lines SELECT seq, 1 + seq % ${nOrders}, CONCAT('SKU-', seq % 5000), 1 + seq % 5, (seq % 4999) / 100 FROM seq_1_to_${nLines};`,
  );
  execFileSync('sh', ['-c', `mariadb-dump ${client.join(' ')} --no-data ${SRC} | mariadb ${client.join(' ')} ${TGT}`]);
}

/** Every thread's utime+stime (ticks) of a process, by tid, as last seen. */
function threadTicks(pid, into) {
  let tids;
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      into.set(tid, Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended
    }
  }
}
/** The pid of the local mariadbd or mysqld (from /proc), if any. */
const serverPid = () => {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (['mariadbd', 'mysqld'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) return pid;
    } catch {
      // gone
    }
  }
  return undefined;
};
const processTicks = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};

function runScrub(cli, workers, key, policy) {
  return new Promise((resolveRun, reject) => {
    const server = serverPid();
    const serverBefore = server ? processTicks(server) : 0;
    const started = performance.now();
    const child = spawn(process.execPath, [cli, 'scrub', '--source', urlOf(SRC), '--url', urlOf(TGT), '--policy', policy, '--workers', String(workers)], {
      env: { ...process.env, UNDERSTUDY_SCRUB_KEY: key },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ticks = new Map();
    const timer = setInterval(() => threadTicks(child.pid, ticks), 50);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) return reject(new Error(`scrub exited ${code}`));
      const wall = (performance.now() - started) / 1000;
      const main = (ticks.get(String(child.pid)) ?? 0) / TICK;
      const others = [...ticks].filter(([t]) => t !== String(child.pid)).map(([, v]) => v / TICK);
      resolveRun({
        wall,
        main,
        others: others.reduce((a, b) => a + b, 0),
        busiestOther: Math.max(0, ...others),
        server: server ? (processTicks(server) - serverBefore) / TICK : NaN,
        load: loadavg()[0],
        summary: out.split('\n')[0],
      });
    });
  });
}

const digest = () =>
  ['customers', 'orders', 'order_lines']
    .map((t) =>
      sql(
        TGT,
        `SET SESSION group_concat_max_len = 1073741824; SELECT MD5(GROUP_CONCAT(MD5(CONCAT_WS('|', ${t === 'customers' ? 'id, first_name, last_name, email, phone, city, date_of_birth, notes, created_at' : t === 'orders' ? 'id, customer_id, placed_at, amount, ship_name, ship_city, status' : 'id, order_id, sku, qty, price'})) ORDER BY id SEPARATOR '')) FROM ${t};`,
      ).trim(),
    )
    .join(' ');

const dir = mkdtempSync(join(tmpdir(), 'understudy-bench-scrub-mysql-'));
try {
  console.log(`seeding ${SRC}: ${nCustomers} customers, ${nOrders} orders, ${nLines} order lines`);
  seed();
  const policy = join(dir, 'scrub.policy.json');
  execFileSync(process.execPath, [CLI, 'scan', '--url', urlOf(SRC), '--out', policy], { stdio: ['ignore', 'ignore', 'inherit'] });
  const key = randomBytes(32).toString('hex');
  const contenders = [
    ...(args.baseline ? [{ name: 'base', cli: resolve(args.baseline), workers: 0 }] : []),
    ...args.workers.split(',').map((w) => ({ name: `workers ${w}`, cli: CLI, workers: Number(w) })),
  ];
  const digests = new Set();
  console.log('| run | wall s | main thread CPU s | other threads CPU s (busiest) | server CPU s | load |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (let round = 1; round <= Number(args.repeat); round++) {
    for (const c of contenders) {
      const r = await runScrub(c.cli, c.workers, key, policy);
      digests.add(digest());
      console.log(
        `| ${c.name} (round ${round}) | ${r.wall.toFixed(1)} | ${r.main.toFixed(1)} | ${r.others.toFixed(1)} (${r.busiestOther.toFixed(1)}) | ${r.server.toFixed(1)} | ${r.load.toFixed(1)} |`,
      );
      console.error(`  ${r.summary}`);
    }
  }
  console.log(digests.size === 1 ? 'every run made the same target (MD5 of every table equal)' : `TARGETS DIFFER: ${[...digests].join(' / ')}`);
  if (digests.size !== 1) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
  sql(null, `DROP DATABASE IF EXISTS ${SRC}; DROP DATABASE IF EXISTS ${TGT};`);
}
