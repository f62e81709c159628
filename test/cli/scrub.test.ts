/**
 * `understudy scan → scrub → audit` on the planted-PII database (planted-pii.ts) on
 * PostgreSQL and MariaDB: the audit finds no leak, an independent grep of a pg_dump (mariadb-dump) of the target
 * finds no planted value, every FK join and unique key holds, the same key gives a
 * byte-identical copy and another key other values; schema drift, a missing key and
 * bad policies stop the run with the target unchanged.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { en } from '@faker-js/faker';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, waitFor } from '../run-cli.js';
import { createPlantedDatabase, type PlantedServerDatabase } from './planted-pii.js';

const adminUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!adminUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the scrub tests');

const KEY_A = 'scrub-test-key-a-0123456789abcdef';
const KEY_B = 'scrub-test-key-b-fedcba9876543210';

async function query<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

// stderr kept from the output: pg_dump warns that a data-only dump of the FK cycle (departments ↔ employees) may not restore
const dataDump = (url: string): string =>
  execFileSync('pg_dump', ['--data-only', '--no-owner', '--restrict-key=understudytest', url], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Words and phrases a fake can be by chance (faker's own name and city lists hold real
 * ones, such as "Jordan" or "La Crosse"): a planted value made only of such words, or a
 * date (a shifted date can land on another person's), is compared row by row instead.
 */
const fakerWords = new Set<string>();
for (const list of [en.person?.first_name, en.person?.last_name, en.location?.city_name, en.location?.street_suffix]) {
  const flat = Array.isArray(list) ? list : Object.values(list ?? {}).flat();
  for (const w of flat as string[]) fakerWords.add(w.toLowerCase());
}

function fakeable(value: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return true;
  const words = fakerWords;
  return /^[A-Za-z' -]+$/.test(value) && (!value.includes(' ') || words.has(value.toLowerCase()));
}

/** The planted database's FKs, as the catalog must list them (the checks themselves run over whatever it lists). */
const FKS = [
  'departments(head_emp_no)→employees',
  'employees(department)→departments',
  'employees(manager_emp_no)→employees',
  'mailings(customer_code,email)→customers',
  'orders(customer_code)→customers',
  'payments(customer_id)→customers',
];

/** How deep the chain of managers goes (the self-reference followed from the top). */
const MANAGER_DEPTH =
  'with recursive up as (select emp_no, 0 as depth from employees where manager_emp_no is null union all select e.emp_no, up.depth + 1 from employees e join up on e.manager_emp_no = up.emp_no) select max(depth) as n from up';

/** A foreign key or a unique key, read from the catalog (not a list kept in the test). */
interface Key {
  readonly name: string;
  readonly table: string;
  readonly columns: string[];
  /** For a foreign key: the referenced table and columns, in the order of `columns`. */
  readonly refTable?: string;
  readonly refColumns?: string[];
}

/**
 * Every FK and every PRIMARY KEY / UNIQUE of the current database, from the catalog
 * (composite keys with their columns in order; on PostgreSQL, a partitioned parent's, not
 * the copies on its partitions).
 */
async function catalogKeys(run: (sql: string) => Promise<Array<Record<string, unknown>>>, engine: 'postgres' | 'mysql'): Promise<{ fks: Key[]; uniques: Key[] }> {
  // PostgreSQL's information_schema repeats a partitioned table's constraint names on its partitions (and
  // joins them to one another by name): its own catalog, where a constraint is one row, is unambiguous.
  const rows = await run(
    engine === 'postgres'
      ? `select c.conname as name, t.relname as tbl, case c.contype when 'f' then 'FOREIGN KEY' when 'p' then 'PRIMARY KEY' else 'UNIQUE' end as kind,
           a.attname as col, rt.relname as ref_tbl, ra.attname as ref_col
         from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace s on s.oid = t.relnamespace
         cross join lateral unnest(c.conkey) with ordinality k(attnum, ord)
         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
         left join pg_class rt on rt.oid = c.confrelid
         left join pg_attribute ra on ra.attrelid = c.confrelid and ra.attnum = c.confkey[k.ord]
         where s.nspname = 'public' and c.contype in ('f', 'p', 'u') and not t.relispartition
         order by t.relname, c.conname, k.ord`
      : `select tc.constraint_name as name, tc.table_name as tbl, tc.constraint_type as kind, k.column_name as col,
           k.referenced_table_name as ref_tbl, k.referenced_column_name as ref_col
         from information_schema.table_constraints tc
         join information_schema.key_column_usage k on k.constraint_schema = tc.constraint_schema and k.constraint_name = tc.constraint_name and k.table_name = tc.table_name
         where tc.table_schema = database() and tc.constraint_type in ('FOREIGN KEY', 'PRIMARY KEY', 'UNIQUE')
         order by tc.table_name, tc.constraint_name, k.ordinal_position`,
  );
  const byName = new Map<string, { name: string; table: string; kind: string; columns: string[]; refTable?: string; refColumns: string[] }>();
  for (const r of rows) {
    const id = `${String(r['tbl'])}.${String(r['name'])}`;
    let key = byName.get(id);
    if (!key) byName.set(id, (key = { name: String(r['name']), table: String(r['tbl']), kind: String(r['kind']), columns: [], refColumns: [] }));
    key.columns.push(String(r['col']));
    if (r['ref_tbl'] != null) {
      key.refTable = String(r['ref_tbl']);
      key.refColumns.push(String(r['ref_col']));
    }
  }
  const all = [...byName.values()];
  return {
    fks: all.filter((k) => k.kind === 'FOREIGN KEY').map(({ name, table, columns, refTable, refColumns }) => ({ name, table, columns, refTable: refTable!, refColumns })),
    uniques: all.filter((k) => k.kind !== 'FOREIGN KEY').map(({ name, table, columns }) => ({ name, table, columns })),
  };
}

/** The row count of the FK's join, and the count of tuples that appear more than once in a unique key (over rows with no NULL in it). */
const joinCount = (fk: Key): string => `select count(*) as n from ${fk.table} c join ${fk.refTable} p on ${fk.columns.map((col, i) => `c.${col} = p.${fk.refColumns![i]}`).join(' and ')}`;
const duplicates = (key: Key): string =>
  `select count(*) as n from (select 1 as x from ${key.table} where ${key.columns.map((c) => `${c} is not null`).join(' and ')} group by ${key.columns.join(', ')} having count(*) > 1) d`;

/**
 * Checks, by SQL written here, that every FK of the source joins as many rows in the target as in the source, every
 * primary and unique key holds in the target, and each partition of `partitioned` holds as many rows as in the source.
 */
async function expectKeysHold(
  engine: 'postgres' | 'mysql',
  source: (sql: string) => Promise<Array<Record<string, unknown>>>,
  target: (sql: string) => Promise<Array<Record<string, unknown>>>,
  partitioned: string,
): Promise<{ fks: Key[]; uniques: Key[] }> {
  const keys = await catalogKeys(source, engine);
  const n = async (run: typeof source, sql: string): Promise<number> => Number((await run(sql))[0]!['n']);
  for (const fk of keys.fks) {
    const joined = await n(source, joinCount(fk));
    expect(joined, `${fk.table} ${fk.name} joins rows in the source`).toBeGreaterThan(0);
    expect(await n(target, joinCount(fk)), `${fk.table} ${fk.name} (${fk.columns.join(', ')}) → ${fk.refTable}: joined rows`).toBe(joined);
  }
  for (const key of keys.uniques) expect(await n(target, duplicates(key)), `${key.table} ${key.name} (${key.columns.join(', ')}): duplicate keys`).toBe(0);
  const perPartition =
    engine === 'postgres'
      ? `select tableoid::regclass::text as p, count(*)::int as n from ${partitioned} group by 1 order by 1`
      : `select partition_name as p, table_rows as n from information_schema.partitions where table_schema = database() and table_name = '${partitioned}' order by 1`;
  if (engine === 'postgres') {
    const src = await source(perPartition);
    expect(src.length, `${partitioned} partitions holding rows`).toBeGreaterThanOrEqual(3);
    expect(await target(perPartition)).toEqual(src);
  } else {
    // table_rows is an estimate there: count each partition exactly
    const names = (await source(perPartition)).map((r) => String(r['p']));
    expect(names.length, `${partitioned} partitions`).toBeGreaterThanOrEqual(3);
    for (const p of names) {
      const sql = `select count(*) as n from ${partitioned} partition (${p})`;
      const src = await n(source, sql);
      expect(src, `${partitioned} partition ${p} holds rows`).toBeGreaterThan(0);
      expect(await n(target, sql), `${partitioned} partition ${p}`).toBe(src);
    }
  }
  return keys;
}

describe.skipIf(!adminUrl)('understudy scrub and audit on the planted-PII database (PostgreSQL)', () => {
  let db: PlantedServerDatabase;
  let dir: string;
  let policy: string;
  const targets: string[] = [];
  const targetUrl = (name: string): string => {
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  let targetA: string;
  let targetB: string;

  beforeAll(async () => {
    db = await createPlantedDatabase('postgres', adminUrl!);
    // A short column for the "does not fit" case.
    await query(db.url, "CREATE TABLE codes (id integer PRIMARY KEY, short varchar(5)); INSERT INTO codes VALUES (1, 'ab'), (2, 'cd')");
    dir = await mkdtemp(join(tmpdir(), 'understudy-scrub-'));
    policy = join(dir, 'scrub.policy.json');
    for (const suffix of ['a', 'b']) {
      const name = `understudy_test_scrub_${process.pid}_${suffix}`;
      await query(adminUrl!, `DROP DATABASE IF EXISTS ${name}`);
      await query(adminUrl!, `CREATE DATABASE ${name}`);
      targets.push(name);
      execSync(`pg_dump --schema-only --no-owner "${db.url}" | psql -q -v ON_ERROR_STOP=1 "${targetUrl(name)}"`, { stdio: 'ignore' });
    }
    [targetA, targetB] = targets.map(targetUrl) as [string, string];
    const scan = await runCli(['scan', '--url', db.url, '--out', policy]);
    expect(scan.code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    for (const name of targets) await query(adminUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await db?.drop();
  });

  it('refuses to run without a key, naming how to give one', async () => {
    const run = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('scrub needs a secret key: set UNDERSTUDY_SCRUB_KEY or give --key-file FILE');
    expect((await query(targetA, 'select count(*)::int as n from customers'))[0]!.n).toBe(0);
  });

  it('scrubs with 0 leaks by audit and by an independent grep, every join and unique key intact', async () => {
    const scrub = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(scrub.stderr).toBe('');
    expect(scrub.code).toBe(0);
    expect(scrub.stdout).toMatch(/scrubbed 2,306 rows in 10 tables/);
    console.log(scrub.stdout);

    const audit = await runCli(['audit', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    console.log(audit.stdout);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('leaks: 0');

    // Independent: every planted value that a fake cannot be by chance is absent from a dump of the target.
    const dump = dataDump(targetA);
    const strict = [...db.planted.plantedValues].filter((v) => v.length >= 6 && !fakeable(v));
    expect(strict.length).toBeGreaterThan(2000);
    expect(strict.filter((v) => dump.includes(v))).toEqual([]);
    // The fakeable ones (names, cities, dates) changed in their own row.
    for (const [table, column] of [
      ['customers', 'first_name'],
      ['customers', 'last_name'],
      ['customers', 'city'],
      ['customers', 'date_of_birth'],
      ['employees', 'birth_date'],
    ] as const) {
      const id = table === 'employees' ? 'emp_no' : 'id';
      const src = new Map((await query(db.url, `select ${id}::text as k, ${column}::text as v from ${table}`)).map((r) => [r['k'], r['v']]));
      const tgt = await query(targetA, `select ${id}::text as k, ${column}::text as v from ${table}`);
      const same = tgt.filter((r) => r['v'] !== null && src.get(r['k']) === r['v']).length;
      expect(same, `${table}.${column} rows that kept their value`).toBeLessThanOrEqual(tgt.length * 0.01);
    }

    // Joins, keys and partitions, by SQL written here: every FK and unique key the catalog lists.
    const keys = await expectKeysHold(
      'postgres',
      (sql) => query(db.url, sql),
      (sql) => query(targetA, sql),
      'payments',
    );
    // composite (customer_code, email), self-referencing, the departments ↔ employees cycle, and the partitioned table's
    expect(keys.fks.map((k) => `${k.table}(${k.columns.join(',')})→${k.refTable}`).sort()).toEqual(FKS);
    expect(keys.uniques.length).toBeGreaterThanOrEqual(12);
    const depth = (await query(db.url, MANAGER_DEPTH))[0]!['n'];
    expect(depth).toBeGreaterThanOrEqual(4);
    expect((await query(targetA, MANAGER_DEPTH))[0]!['n']).toBe(depth);
    for (const table of db.planted.rows.keys()) expect((await query(targetA, `select count(*)::int as n from ${table}`))[0]!['n'], table).toBe(db.planted.rows.get(table)!.values.length);
    const codes = await query(targetA, 'select customer_code as c from customers');
    expect(codes.every((r) => /^[A-Z]{5}$/.test(String(r['c'])))).toBe(true);
  }, 120_000);

  it('makes a byte-identical copy with the same key, and other values with another key', async () => {
    const first = dataDump(targetA);
    const again = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(again.code).toBe(0);
    expect(dataDump(targetA) === first, 'a byte-identical dump').toBe(true);

    const other = await runCli(['scrub', '--source', db.url, '--url', targetB, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_B } });
    expect(other.code).toBe(0);
    const a = await query(targetA, 'select id, email, customer_code from customers order by id');
    const b = await query(targetB, 'select id, email, customer_code from customers order by id');
    expect(b.length).toBe(a.length);
    expect(b.filter((r, i) => r['email'] !== null && r['email'] === a[i]!['email']).length).toBeLessThanOrEqual(3);
    expect(b.filter((r, i) => r['customer_code'] === a[i]!['customer_code']).length).toBeLessThanOrEqual(3);
    // the composite FK's e-mail and the partitioned table's people too
    const shapes = 'select m.id, m.email, p.payer_name from mailings m join payments p on p.id = m.id order by m.id';
    const [oa, ob] = [await query(targetA, shapes), await query(targetB, shapes)];
    expect(ob.length).toBe(oa.length);
    expect(ob.filter((r, i) => r['email'] === oa[i]!['email'] || r['payer_name'] === oa[i]!['payer_name']).length).toBeLessThanOrEqual(5);
  }, 120_000);

  it("scrubs into an embedded PGlite made from the source's schema, and audit passes there", async () => {
    const ddl = join(dir, 'schema.sql');
    await writeFile(ddl, execFileSync('pg_dump', ['--schema-only', '--no-owner', '--restrict-key=understudytest', db.url], { encoding: 'utf8' }));
    const kept = join(dir, 'scrubbed-pglite');
    const scrub = await runCli(['scrub', '--source', db.url, '--from', ddl, '--pglite', kept, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(scrub.code).toBe(0);
    expect(scrub.stdout).toContain(`scrubbed 2,306 rows in 10 tables into PGlite at ${kept}`);
    const audit = await runCli(['audit', '--source', db.url, '--url', `pglite://${kept}`, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('leaks: 0');
    expect(audit.stdout).toContain('public.orders orders_customer_fk: 600 joined rows in the source, 600 in the target');
  }, 120_000);

  it('audit finds a planted leak, naming the table, column and row key but not the value', async () => {
    const [source] = await query(db.url, 'select email from customers where id = 5');
    const email = String(source!['email']);
    await query(targetB, `update customers set notes = notes || ' cc ${email.replace(/'/g, "''")}' where id = 7`);
    const audit = await runCli(['audit', '--source', db.url, '--url', targetB, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_B } });
    expect(audit.code).toBe(1);
    expect(audit.stdout).toMatch(/leaks: 1\n\s+public\.customers\.notes\s+id=7/);
    expect(audit.stdout + audit.stderr).not.toContain(email);
  }, 120_000);

  it('refuses a policy naming a missing column, and fake:email into varchar(5), with the target unchanged', async () => {
    const before = dataDump(targetA);
    const doc = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    const missing = structuredClone(doc);
    missing.tables['public.orders']!.columns['shoe_size'] = { transform: 'keep' };
    await writeFile(join(dir, 'missing.json'), JSON.stringify(missing));
    const m = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', join(dir, 'missing.json')], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('names a column the source does not have: public.orders.shoe_size');

    const short = structuredClone(doc);
    short.tables['public.codes']!.columns['short'] = { transform: 'fake:email' };
    await writeFile(join(dir, 'short.json'), JSON.stringify(short));
    const s = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', join(dir, 'short.json')], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('public.codes.short: fake:email cannot fit character varying(5): a realistic email needs at least 10 characters');
    expect(dataDump(targetA) === before, 'the target is unchanged').toBe(true);
  }, 120_000);

  it('stops on schema drift (exit 1, naming the column and scan --update), and scan --update adds it', async () => {
    await query(db.url, "ALTER TABLE customers ADD COLUMN nickname text DEFAULT 'ace'");
    await query(targetA, 'ALTER TABLE customers ADD COLUMN nickname text');
    const before = dataDump(targetA);
    const drift = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('does not name: public.customers.nickname');
    expect(drift.stderr).toContain(`understudy scan --url SRC --update ${policy}`);
    expect(dataDump(targetA) === before, 'the target is unchanged').toBe(true);

    const update = await runCli(['scan', '--url', db.url, '--update', policy]);
    expect(update.code).toBe(0);
    expect(update.stderr).toContain('1 column added (public.customers.nickname →');
    const again = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(again.code).toBe(0);
  }, 120_000);
});

describe('understudy scrub: bad input with no database to read', () => {
  it('an unreachable source is exit 3 without its password; a target like production is refused', async () => {
    const policy = join(await mkdtemp(join(tmpdir(), 'understudy-scrub-bad-')), 'p.json');
    await writeFile(policy, '{"version":1,"tables":{}}');
    const down = await runCli(['scrub', '--source', 'postgres://u:hunter2@127.0.0.1:1/app', '--url', 'postgres://postgres@127.0.0.1:1/copy', '--policy', policy], {
      env: { UNDERSTUDY_SCRUB_KEY: KEY_A },
    });
    expect(down.code).toBe(3);
    expect(down.stderr).not.toContain('hunter2');
    const prod = await runCli(['scrub', '--source', 'postgres://u@127.0.0.1:1/app', '--url', 'postgres://u@db.internal:5432/shop_production'], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('looks like production');
  });
});

describe.skipIf(!adminUrl)('understudy scrub interrupted (PostgreSQL)', () => {
  const names = [`understudy_test_scrubint_${process.pid}_src`, `understudy_test_scrubint_${process.pid}_tgt`];
  const url = (name: string): string => {
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };

  beforeAll(async () => {
    for (const name of names) {
      await query(adminUrl!, `DROP DATABASE IF EXISTS ${name}`);
      await query(adminUrl!, `CREATE DATABASE ${name}`);
      await query(url(name), 'CREATE TABLE people (id integer PRIMARY KEY, email text NOT NULL UNIQUE, full_name text)');
    }
    await query(url(names[0]!), "INSERT INTO people SELECT i, 'person' || i || '@corp.example', 'Name' || i || ' Surname' FROM generate_series(1, 300000) i");
    await query(url(names[1]!), "INSERT INTO people VALUES (1, 'kept@example.org', 'Kept Row')");
  }, 120_000);

  afterAll(async () => {
    for (const name of names) await query(adminUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  });

  it('Ctrl-C mid-scrub rolls back: exit 3, the target as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-scrubint-'));
    const policy = join(dir, 'p.json');
    await writeFile(
      policy,
      JSON.stringify({ version: 1, tables: { 'public.people': { columns: { id: { transform: 'hash' }, email: { transform: 'fake:email' }, full_name: { transform: 'fake:person-name' } } } } }),
    );
    const run = startCli(['scrub', '--source', url(names[0]!), '--url', url(names[1]!), '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    await waitFor(
      'the scrub copying',
      async () => (await query<{ n: number }>(adminUrl!, `select count(*)::int as n from pg_stat_activity where datname = '${names[1]}' and query ilike 'copy%'`))[0]!.n > 0,
      60_000,
    );
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(run.stderr()).toContain('scrub interrupted by SIGINT while copying: everything written was rolled back, the target is as it was');
    expect(code).toBe(3);
    expect(await query(url(names[1]!), 'select id, email from people')).toEqual([{ id: 1, email: 'kept@example.org' }]);
  }, 120_000);
});

// ---- MariaDB / MySQL: the same checks, by SQL and a mariadb-dump written here ----

const mysqlAdminUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!mysqlAdminUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the scrub tests on MariaDB/MySQL');

async function myQuery<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const conn = await mysql.createConnection({ uri: url, dateStrings: true, multipleStatements: true });
  try {
    const [result] = await conn.query(text);
    // Several statements: the last one's rows.
    return (Array.isArray(result) && result.some(Array.isArray) ? result.filter(Array.isArray).at(-1) : result) as T[];
  } finally {
    await conn.end();
  }
}

/** The mysql client's connection flags for a URL, and its database. */
function mysqlArgs(url: string): { args: string[]; database: string } {
  const u = new URL(url);
  const args = ['-h', u.hostname, '-P', u.port || '3306', '-u', decodeURIComponent(u.username), ...(u.password ? [`-p${decodeURIComponent(u.password)}`] : [])];
  return { args, database: u.pathname.slice(1) };
}

const mysqlDump = (url: string, ...flags: string[]): string => {
  const { args, database } = mysqlArgs(url);
  return execFileSync('mariadb-dump', [...args, '--skip-dump-date', '--skip-comments', ...flags, database], { encoding: 'utf8', maxBuffer: 1 << 28 });
};
const mysqlDataDump = (url: string): string => mysqlDump(url, '--no-create-info');

/** A value as mariadb-dump writes it inside a string literal. */
const dumpEscaped = (v: string): string => v.replace(/[\\'"\n\r]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '"': '\\"', '\n': '\\n', '\r': '\\r' })[c]!);

describe.skipIf(!mysqlAdminUrl)('understudy scrub and audit on the planted-PII database (MariaDB)', () => {
  let db: PlantedServerDatabase;
  let source: string;
  let dir: string;
  let policy: string;
  const names = [`understudy_test_scrub_${process.pid}_my_a`, `understudy_test_scrub_${process.pid}_my_b`];
  const urlOf = (name: string): string => {
    const u = new URL(mysqlAdminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  let targetA: string;
  let targetB: string;

  beforeAll(async () => {
    [targetA, targetB] = names.map(urlOf) as [string, string];
    db = await createPlantedDatabase('mysql', mysqlAdminUrl!);
    source = mysqlArgs(db.url).database;
    // A short column for the "does not fit" case; bytes, bits and a TIMESTAMP (read in UTC) that must come back as they were.
    await myQuery(
      db.url,
      'CREATE TABLE codes (id integer PRIMARY KEY, short varchar(5), tag varbinary(8), flags bit(4), seen timestamp NULL); ' +
        "SET time_zone = '+05:30'; INSERT INTO codes VALUES (1, 'ab', X'00ff0a5c09', b'1010', '2024-03-01 00:15:00'), (2, 'cd', NULL, b'0001', NULL)",
    );
    const schemaOnly = mysqlDump(db.url, '--no-data');
    for (const name of names) {
      await myQuery(mysqlAdminUrl!, `DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
      const { args } = mysqlArgs(mysqlAdminUrl!);
      execFileSync('mariadb', [...args, name], { input: schemaOnly, stdio: ['pipe', 'ignore', 'inherit'] });
    }
    dir = await mkdtemp(join(tmpdir(), 'understudy-scrub-my-'));
    policy = join(dir, 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', db.url, '--out', policy]);
    expect(scan.code).toBe(0);
  }, 180_000);

  afterAll(async () => {
    for (const name of names) await myQuery(mysqlAdminUrl!, `DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
    await db?.drop();
  });

  const scrub = (target: string, key: string, policyFile = policy) => runCli(['scrub', '--source', db.url, '--url', target, '--policy', policyFile], { env: { UNDERSTUDY_SCRUB_KEY: key } });
  const count = async (url: string, text: string): Promise<number> => Number((await myQuery(url, text))[0]!['n']);

  it('refuses to run without a key, the target unchanged', async () => {
    const run = await runCli(['scrub', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('scrub needs a secret key: set UNDERSTUDY_SCRUB_KEY or give --key-file FILE');
    expect(await count(targetA, 'select count(*) as n from customers')).toBe(0);
  });

  it('scrubs into another database with 0 leaks by audit and by a grep of mariadb-dump, every join and unique key intact', async () => {
    const run = await scrub(targetA, KEY_A);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/scrubbed 2,306 rows in 10 tables into mysql:\/\/root@127\.0\.0\.1:3306\/understudy_test_scrub_\d+_my_a/);
    console.log(run.stdout);

    const audit = await runCli(['audit', '--source', db.url, '--url', targetA, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    console.log(audit.stdout);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toContain('leaks: 0');
    expect(audit.stdout).toMatch(/orders orders_customer_fk: 600 joined rows in the source, 600 in the target/);

    // Independent: no planted value that a fake cannot be by chance is in a dump of the target, raw or as the dump escapes it.
    const dump = mysqlDataDump(targetA);
    expect(dump).toContain('INSERT INTO `customers`');
    const strict = [...db.planted.plantedValues].filter((v) => v.length >= 6 && !fakeable(v));
    expect(strict.length).toBeGreaterThan(2000);
    expect(strict.filter((v) => dump.includes(v) || dump.includes(dumpEscaped(v)))).toEqual([]);
    for (const [table, column] of [
      ['customers', 'first_name'],
      ['customers', 'last_name'],
      ['customers', 'city'],
      ['customers', 'date_of_birth'],
      ['employees', 'birth_date'],
    ] as const) {
      const id = table === 'employees' ? 'emp_no' : 'id';
      const read = `select ${id} as k, cast(${column} as char) as v from ${table}`;
      const src = new Map((await myQuery(db.url, read)).map((r) => [String(r['k']), r['v']]));
      const tgt = await myQuery(targetA, read);
      expect(tgt.length).toBe(src.size);
      const same = tgt.filter((r) => r['v'] !== null && src.get(String(r['k'])) === r['v']).length;
      expect(same, `${table}.${column} rows that kept their value`).toBeLessThanOrEqual(tgt.length * 0.01);
    }

    // Joins, keys, partitions and row counts, by SQL written here: every FK and unique key the catalog lists.
    const keys = await expectKeysHold(
      'mysql',
      (sql) => myQuery(db.url, sql),
      (sql) => myQuery(targetA, sql),
      'payments',
    );
    // MariaDB's partitioned tables take no FK: the rest as on PostgreSQL
    expect(keys.fks.map((k) => `${k.table}(${k.columns.join(',')})→${k.refTable}`).sort()).toEqual(FKS.filter((f) => !f.startsWith('payments')));
    expect(keys.uniques.length).toBeGreaterThanOrEqual(12);
    const depth = await count(db.url, MANAGER_DEPTH);
    expect(depth).toBeGreaterThanOrEqual(4);
    expect(await count(targetA, MANAGER_DEPTH)).toBe(depth);
    for (const table of db.planted.rows.keys()) expect(await count(targetA, `select count(*) as n from ${table}`), table).toBe(db.planted.rows.get(table)!.values.length);
    const codes = await myQuery(targetA, 'select customer_code as c from customers');
    expect(codes.every((r) => /^[A-Z]{5}$/.test(String(r['c'])))).toBe(true);
    const bytes = 'select id, hex(tag) as tag, bin(flags) as flags, cast(seen as char) as seen from codes order by id';
    expect(await myQuery(targetA, `SET time_zone = '+00:00'; ${bytes}`)).toEqual(await myQuery(db.url, `SET time_zone = '+00:00'; ${bytes}`));
    // JSON stays JSON.
    expect(await count(targetA, 'select count(*) as n from events where json_valid(payload) = 0')).toBe(0);
  }, 180_000);

  it('makes a byte-identical copy with the same key, and other values with another key', async () => {
    const first = mysqlDataDump(targetA);
    expect((await scrub(targetA, KEY_A)).code).toBe(0);
    expect(mysqlDataDump(targetA) === first, 'a byte-identical dump').toBe(true);

    expect((await scrub(targetB, KEY_B)).code).toBe(0);
    const a = await myQuery(targetA, 'select id, email, customer_code from customers order by id');
    const b = await myQuery(targetB, 'select id, email, customer_code from customers order by id');
    expect(b.length).toBe(a.length);
    expect(b.filter((r, i) => r['email'] !== null && r['email'] === a[i]!['email']).length).toBeLessThanOrEqual(3);
    expect(b.filter((r, i) => r['customer_code'] === a[i]!['customer_code']).length).toBeLessThanOrEqual(3);
    // the composite FK's e-mail and the partitioned table's people too
    const shapes = 'select m.id, m.email, p.payer_name from mailings m join payments p on p.id = m.id order by m.id';
    const [oa, ob] = [await myQuery(targetA, shapes), await myQuery(targetB, shapes)];
    expect(ob.length).toBe(oa.length);
    expect(ob.filter((r, i) => r['email'] === oa[i]!['email'] || r['payer_name'] === oa[i]!['payer_name']).length).toBeLessThanOrEqual(5);
  }, 180_000);

  it("with --workers 2, rows rewritten in worker threads, a copy byte-identical to the main thread's", async () => {
    const run = await runCli(['scrub', '--source', db.url, '--url', targetB, '--policy', policy, '--workers', '2'], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/rows\/s, 2 workers\)/);
    // Per table, by SQL: every row's MD5, in key order, equals the copy made with --workers 0 (targetA, the same key).
    const digest = async (url: string): Promise<string[]> => {
      const out: string[] = [];
      for (const table of [...db.planted.rows.keys(), 'codes']) {
        const cols = await myQuery(url, `select column_name as c from information_schema.columns where table_schema = database() and table_name = '${table}' order by ordinal_position`);
        const row = `concat_ws('|', ${cols.map((c) => `quote(\`${String(c['c'])}\`)`).join(', ')})`;
        const [r] = await myQuery(url, `SET SESSION group_concat_max_len = 1073741824; select count(*) as n, md5(group_concat(md5(${row}) order by md5(${row}) separator '')) as h from \`${table}\``);
        out.push(`${table} ${String(r!['n'])} ${String(r!['h'])}`);
      }
      return out;
    };
    expect(await digest(targetB)).toEqual(await digest(targetA));
    expect(mysqlDataDump(targetB) === mysqlDataDump(targetA), 'a byte-identical dump').toBe(true);
  }, 180_000);

  it('refuses a policy naming a missing column, and fake:email into varchar(5), with the target unchanged', async () => {
    const before = mysqlDataDump(targetA);
    const doc = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    const missing = structuredClone(doc);
    missing.tables[`${source}.orders`]!.columns['shoe_size'] = { transform: 'keep' };
    await writeFile(join(dir, 'missing.json'), JSON.stringify(missing));
    const m = await scrub(targetA, KEY_A, join(dir, 'missing.json'));
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`names a column the source does not have: ${source}.orders.shoe_size`);

    const short = structuredClone(doc);
    short.tables[`${source}.codes`]!.columns['short'] = { transform: 'fake:email' };
    await writeFile(join(dir, 'short.json'), JSON.stringify(short));
    const s = await scrub(targetA, KEY_A, join(dir, 'short.json'));
    expect(s.code).toBe(2);
    expect(s.stderr).toContain(`${source}.codes.short: fake:email cannot fit varchar(5): a realistic email needs at least 10 characters`);
    expect(mysqlDataDump(targetA) === before, 'the target is unchanged').toBe(true);
  }, 120_000);

  it('stops on schema drift (exit 1, naming the column), the target unchanged', async () => {
    await myQuery(db.url, "ALTER TABLE customers ADD COLUMN nickname text DEFAULT 'ace'");
    await myQuery(targetA, 'ALTER TABLE customers ADD COLUMN nickname text');
    const before = mysqlDataDump(targetA);
    const drift = await scrub(targetA, KEY_A);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain(`does not name: ${source}.customers.nickname`);
    expect(drift.stderr).toContain(`understudy scan --url SRC --update ${policy}`);
    expect(mysqlDataDump(targetA) === before, 'the target is unchanged').toBe(true);
  }, 120_000);
});

describe('understudy scrub on MariaDB/MySQL: bad input with no database to read', () => {
  it('an unreachable source is exit 3 without its password; a target like production is refused', async () => {
    const policy = join(await mkdtemp(join(tmpdir(), 'understudy-scrub-my-bad-')), 'p.json');
    await writeFile(policy, '{"version":1,"tables":{}}');
    const down = await runCli(['scrub', '--source', 'mysql://u:hunter2@127.0.0.1:1/app', '--url', 'mysql://root@127.0.0.1:1/copy', '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain('127.0.0.1:1');
    expect(down.stderr).not.toContain('hunter2');
    const prod = await runCli(['scrub', '--source', 'mysql://u@127.0.0.1:1/app', '--url', 'mysql://u@db.internal:3306/shop_production'], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('looks like production');
  });
});

describe.skipIf(!mysqlAdminUrl)('understudy scrub interrupted (MariaDB)', () => {
  const names = [`understudy_test_scrubint_${process.pid}_my_src`, `understudy_test_scrubint_${process.pid}_my_tgt`];
  const url = (name: string): string => {
    const u = new URL(mysqlAdminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };

  beforeAll(async () => {
    for (const name of names) {
      await myQuery(mysqlAdminUrl!, `DROP DATABASE IF EXISTS ${name}; CREATE DATABASE ${name} CHARACTER SET utf8mb4`);
      await myQuery(url(name), 'CREATE TABLE people (id integer PRIMARY KEY, email varchar(80) NOT NULL UNIQUE, full_name varchar(80))');
    }
    await myQuery(url(names[0]!), "INSERT INTO people SELECT seq, CONCAT('person', seq, '@corp.example'), CONCAT('Name', seq, ' Surname') FROM seq_1_to_150000");
    await myQuery(url(names[1]!), "INSERT INTO people VALUES (1, 'kept@example.org', 'Kept Row')");
  }, 120_000);

  afterAll(async () => {
    for (const name of names) await myQuery(mysqlAdminUrl!, `DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
  });

  it('Ctrl-C mid-scrub rolls back: exit 3, the target as it was', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-scrubint-my-'));
    const policy = join(dir, 'p.json');
    const table = `${names[0]}.people`;
    await writeFile(
      policy,
      JSON.stringify({ version: 1, tables: { [table]: { columns: { id: { transform: 'hash' }, email: { transform: 'fake:email' }, full_name: { transform: 'fake:person-name' } } } } }),
    );
    const run = startCli(['scrub', '--source', url(names[0]!), '--url', url(names[1]!), '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY_A } });
    await waitFor(
      'the scrub loading',
      async () => (await myQuery<{ n: number }>(mysqlAdminUrl!, `select count(*) as n from information_schema.PROCESSLIST where DB = '${names[1]}' and INFO like 'LOAD DATA%'`))[0]!.n > 0,
      60_000,
    );
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(run.stderr()).toContain('scrub interrupted by SIGINT while copying: everything written was rolled back, the target is as it was');
    expect(code).toBe(3);
    expect(await myQuery(url(names[1]!), 'select id, email from people')).toEqual([{ id: 1, email: 'kept@example.org' }]);
  }, 120_000);
});
