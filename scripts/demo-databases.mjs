#!/usr/bin/env node
// Builds the PostgreSQL databases the README's and docs' examples run on, without the CLI:
// plain SQL through `pg`, data made by the server itself (generate_series, setseed), then ANALYZE.
//
//   node scripts/demo-databases.mjs [--url postgres://postgres@localhost:5432/postgres] [--prefix P] [--replace] [NAME…]
//   node scripts/demo-databases.mjs --drop [--url URL] [--prefix P] [NAME…]
//
// --url      the server (any database on it; default $UNDERSTUDY_TEST_PG_URL, else postgres://postgres@localhost:5432/postgres)
// --prefix   prepended to every database name (the README test uses a unique one)
// --replace  drop a database of the same name first (without it, an existing one is an error: nothing is dropped)
// --drop     drop the databases instead
// NAME       build only these (default: all of them, listed by --list)
//
// The databases (names as the README uses them):
//   shop            the chinook schema, empty                 (introspect --url … --out schema.json)
//   app             the pagila schema, empty                  (seed --url … --json)
//   demo_shop       customers 5,000 and orders 50,000 rows    (profile, then plan/seed --profile)
//   demo_staging    the same schema, empty                    (seeded from demo_shop's profile)
//   demo_prof       customers 5,000 rows with an e-mail       (profile --explain)
//   fid_src         a skewed 50,000 + 250,000-row shop        (fidelity: the source)
//   fid_seed        its schema, empty                         (seeded from fid_src's profile)
//   fid_uni         its schema, empty                         (seeded without a profile)
//   scrub_demo      fixtures/scan/shop.sql                    (scrub, audit: the source)
//   scrub_demo_copy its schema, empty                         (scrub, audit: the target)
import { readFileSync } from 'node:fs';

import pg from 'pg';

const file = (path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'IN', 'BR', 'JP', 'CA', 'ES', 'IT', 'NL', 'SE', 'PL', 'MX', 'AU', 'KR', 'CH', 'BE', 'AT', 'NO', 'DK', 'FI', 'IE', 'PT', 'CZ', 'NZ', 'SG', 'ZA', 'AR', 'CL'];
const STATUSES = ['delivered', 'shipped', 'pending', 'cancelled', 'returned', 'lost'];
const COUPONS = ['WELCOME10', 'SPRING5', 'VIP20', 'FREESHIP', 'BLACKFRI', 'LOYAL15', 'XMAS25', 'SUMMER8'];
const list = (values) => values.map((v) => `'${v}'`).join(', ');
/** A Zipf-like index in 1..n: P(i) ∝ ln((i + 1) / i) ≈ 1/i. */
const zipf = (n) => `LEAST(${n}, FLOOR(EXP(random() * LN(${n + 1}))))::int`;
const pick = (values) => `(ARRAY[${list(values)}])[${zipf(values.length)}]`;

const SKEWED_DDL = `
CREATE TABLE customers (
  id integer PRIMARY KEY,
  country char(2) NOT NULL,
  tier varchar(16) NOT NULL,
  created_at timestamp NOT NULL,
  referrer varchar(24)
);
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL,
  amount numeric(12,2) NOT NULL,
  status varchar(16) NOT NULL,
  coupon varchar(16),
  CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id)
);`;

/** The skewed shop of the fidelity tests (test/cli/fidelity-skewed-data.ts): long-tail fan-out, log-normal amounts, Zipf-like categories. */
function skewedData(customers, orders) {
  return `
SELECT setseed(0.42);
INSERT INTO customers (id, country, tier, created_at, referrer)
SELECT g, ${pick(COUNTRIES)},
  CASE WHEN random() < 0.9 THEN 'basic' WHEN random() < 0.7 THEN 'gold' ELSE 'platinum' END,
  timestamp '2021-01-01 00:00:00' + (sqrt(random()) * 1460 * 86400) * interval '1 second',
  CASE WHEN random() < 0.3 THEN NULL ELSE 'ref-' || substr(md5(g::text), 1, 4 + g % 12) END
FROM generate_series(1, ${customers}) AS g;
INSERT INTO orders (id, customer_id, amount, status, coupon)
SELECT g, LEAST(${customers}, FLOOR(POWER(${customers}, random()))),
  ROUND(CAST(EXP(3 + 1.1 * SQRT(-2 * LN(1 - random())) * COS(2 * PI() * random())) AS numeric), 2),
  ${pick(STATUSES)},
  CASE WHEN random() < 0.3 THEN NULL ELSE ${pick(COUPONS)} END
FROM generate_series(1, ${orders}) AS g;`;
}

const DEMO_SHOP_DDL = `
CREATE TABLE customers (
  id integer PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  country char(2) NOT NULL
);
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id),
  status text NOT NULL,
  amount numeric(10,2),
  placed_at timestamp NOT NULL,
  note text
);`;

const DEMO_SHOP_DATA = `
SELECT setseed(0.17);
INSERT INTO customers
SELECT g, 'Customer ' || g, 'customer' || g || '@example.org', ${pick(COUNTRIES)}
FROM generate_series(1, 5000) AS g;
INSERT INTO orders
SELECT g, LEAST(5000, FLOOR(POWER(5000, random())))::int, ${pick(STATUSES)},
  CASE WHEN random() < 0.3 THEN NULL ELSE ROUND(CAST(EXP(3 + random() * 3) AS numeric), 2) END,
  timestamp '2023-01-01' + g * interval '10 minutes',
  CASE WHEN random() < 0.5 THEN NULL ELSE (ARRAY['leave at the door', 'call first', 'gift wrap please', 'fragile'])[1 + g % 4] || ' #' || (g % 40) END
FROM generate_series(1, 50000) AS g;`;

const DEMO_PROF = `
CREATE TABLE customers (
  id integer PRIMARY KEY,
  email text NOT NULL,
  status text NOT NULL,
  amount integer NOT NULL
);
INSERT INTO customers
SELECT g, 'customer' || g || '@example.org', (ARRAY['active', 'paused', 'closed'])[1 + g % 3], g % 1000
FROM generate_series(1, 5000) AS g;`;

/** name → the SQL that fills it (run in the new database), and what it is for. */
const DATABASES = {
  shop: () => file('fixtures/schemas/chinook/postgresql/schema.sql'),
  app: () => file('fixtures/schemas/pagila/schema.sql'),
  demo_shop: () => DEMO_SHOP_DDL + DEMO_SHOP_DATA,
  demo_staging: () => DEMO_SHOP_DDL,
  demo_prof: () => DEMO_PROF,
  fid_src: () => SKEWED_DDL + skewedData(50_000, 250_000),
  fid_seed: () => SKEWED_DDL,
  fid_uni: () => SKEWED_DDL,
  scrub_demo: () => file('fixtures/scan/shop.sql'),
  scrub_demo_copy: () => `${file('fixtures/scan/shop.sql')}\nTRUNCATE orders, customers;`,
};

function parseArgs(argv) {
  const options = { url: process.env.UNDERSTUDY_TEST_PG_URL ?? 'postgres://postgres@localhost:5432/postgres', prefix: '', replace: false, drop: false, names: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--url' || arg === '--prefix') {
      const value = argv[++i];
      if (value === undefined) usage(`${arg} needs a value`);
      options[arg.slice(2)] = value;
    } else if (arg === '--replace') options.replace = true;
    else if (arg === '--drop') options.drop = true;
    else if (arg === '--list') {
      process.stdout.write(`${Object.keys(DATABASES).join('\n')}\n`);
      process.exit(0);
    } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else if (!(arg in DATABASES)) usage(`unknown database ${arg} (one of: ${Object.keys(DATABASES).join(', ')})`);
    else options.names.push(arg);
  }
  if (!/^[a-z0-9_]*$/.test(options.prefix)) usage('--prefix may hold lower-case letters, digits and _ only');
  if (options.names.length === 0) options.names = Object.keys(DATABASES);
  return options;
}

function usage(message) {
  process.stderr.write(`demo-databases: ${message}\n  usage: node scripts/demo-databases.mjs [--url URL] [--prefix P] [--replace | --drop] [NAME…]\n`);
  process.exit(2);
}

/** The URL with its database replaced, and the same URL with its password hidden (for messages). */
function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  const shown = new URL(u.href);
  if (shown.password) shown.password = '***';
  return { href: u.href, shown: shown.href };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const admin = new pg.Client({ connectionString: options.url });
  await admin.connect();
  try {
    for (const name of options.names) {
      const database = options.prefix + name;
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount > 0;
      if (options.drop || (exists && options.replace)) {
        if (exists) await admin.query(`DROP DATABASE "${database}" WITH (FORCE)`);
        if (options.drop) {
          process.stdout.write(`${exists ? 'dropped' : 'not there'}: ${database}\n`);
          continue;
        }
      } else if (exists) {
        throw new Error(`database ${database} exists already: pass --replace to rebuild it (its data is lost), or --prefix to build beside it`);
      }
      const started = Date.now();
      await admin.query(`CREATE DATABASE "${database}"`);
      const target = withDatabase(options.url, database);
      const client = new pg.Client({ connectionString: target.href });
      await client.connect();
      try {
        await client.query(DATABASES[name]());
        await client.query('ANALYZE');
      } finally {
        await client.end();
      }
      process.stdout.write(`built ${target.shown} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    }
  } finally {
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(`demo-databases: ${error.message}\n`);
  process.exit(error.code === 'ECONNREFUSED' ? 3 : 1);
});
