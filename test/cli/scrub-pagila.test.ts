/**
 * `understudy scrub` of pagila (PostgreSQL → PostgreSQL): a partitioned table whose FKs are
 * declared on its partitions (payment_p2022_0N → customer), a text[] column, bytea, a
 * permuted integer primary key (customer_id) and every FK to it. Checked by independent
 * SQL: every join returns as many rows as in the source, the keys changed, the arrays came
 * through, and the copy made with a worker thread over COPY text is byte-identical to the one
 * made in the main thread over binary COPY.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

const adminUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
if (!adminUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the pagila scrub tests');

const KEY = 'scrub-pagila-key-0123456789abcdef';
const PAGILA = join(repoRoot, 'fixtures/schemas/pagila/schema.sql');

async function query<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const dataDump = (url: string): string => execFileSync('pg_dump', ['--data-only', '--no-owner', '--restrict-key=understudytest', url], { encoding: 'utf8', maxBuffer: 1 << 28 });

/** Joins along pagila's FKs, counted by plain SQL. */
const JOINS = {
  'payment → customer': 'select count(*)::int as n from payment p join customer c on c.customer_id = p.customer_id',
  'rental → customer': 'select count(*)::int as n from rental r join customer c on c.customer_id = r.customer_id',
  'rental → inventory': 'select count(*)::int as n from rental r join inventory i on i.inventory_id = r.inventory_id',
  'payment → rental': 'select count(*)::int as n from payment p join rental r on r.rental_id = p.rental_id',
  'customer → address': 'select count(*)::int as n from customer c join address a on a.address_id = c.address_id',
  'customer → store': 'select count(*)::int as n from customer c join store s on s.store_id = c.store_id',
  'inventory → film': 'select count(*)::int as n from inventory i join film f on f.film_id = i.film_id',
  'film_actor → actor': 'select count(*)::int as n from film_actor fa join actor a on a.actor_id = fa.actor_id',
};

describe.skipIf(!adminUrl)('understudy scrub of pagila (PostgreSQL → PostgreSQL)', () => {
  const names: string[] = [];
  const urlOf = (name: string): string => {
    const u = new URL(adminUrl!);
    u.pathname = `/${name}`;
    return u.toString();
  };
  let source: string;
  let policy: string;

  beforeAll(async () => {
    for (const suffix of ['src', 'a', 'b', 'c', 'd']) {
      const name = `understudy_test_scrub_pagila_${process.pid}_${suffix}`;
      await query(adminUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await query(adminUrl!, `CREATE DATABASE ${name}`);
      names.push(name);
    }
    source = urlOf(names[0]!);
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', PAGILA, source], { stdio: 'ignore' });
    const seed = await runCli(['seed', '--url', source, '--rows', '400', '--json']);
    expect(seed.code, seed.stderr).toBe(0);
    for (const name of names.slice(1)) execSync(`pg_dump --schema-only --no-owner "${source}" | psql -q "${urlOf(name)}"`, { stdio: 'ignore' });
    const dir = await mkdtemp(join(tmpdir(), 'understudy-scrub-pagila-'));
    policy = join(dir, 'scrub.policy.json');
    const scan = await runCli(['scan', '--url', source, '--out', policy]);
    expect(scan.code, scan.stderr).toBe(0);
    const p = JSON.parse(await readFile(policy, 'utf8')) as { tables: Record<string, { columns: Record<string, { transform: string }> }> };
    // bytea: scan proposes null when its sample finds something inside (nothing reads inside bytes); by chance it may find nothing.
    expect(['null', 'keep']).toContain(p.tables['public.staff']!.columns['picture']!.transform);
    p.tables['public.staff']!.columns['picture']!.transform = 'null';
    p.tables['public.customer']!.columns['customer_id']!.transform = 'hash'; // a key: permuted, and payment's and rental's FKs follow
    p.tables['public.payment']!.columns['amount']!.transform = 'noise';
    await writeFile(policy, JSON.stringify(p));
  }, 300_000);

  afterAll(async () => {
    for (const name of names) await query(adminUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  });

  it('keeps every join through the partitions, permutes the key, and copies arrays', async () => {
    const target = urlOf(names[1]!);
    const run = await runCli(['scrub', '--source', source, '--url', target, '--policy', policy, '--workers', '0'], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const [what, sql] of Object.entries(JOINS)) {
      const [src] = await query<{ n: number }>(source, sql);
      const [tgt] = await query<{ n: number }>(target, sql);
      expect(tgt!.n, what).toBe(src!.n);
      expect(src!.n, what).toBeGreaterThan(0);
    }
    for (const table of ['payment', 'rental', 'customer', 'film', 'staff']) {
      const [src] = await query<{ n: number }>(source, `select count(*)::int as n from ${table}`);
      const [tgt] = await query<{ n: number }>(target, `select count(*)::int as n from ${table}`);
      expect(tgt!.n, table).toBe(src!.n);
    }
    // The key changed for (almost) every customer, and stayed unique (the PK is back in place).
    const srcIds = new Set((await query<{ id: number }>(source, 'select customer_id as id from customer')).map((r) => r.id));
    const tgtIds = (await query<{ id: number }>(target, 'select customer_id as id from customer')).map((r) => r.id);
    expect(new Set(tgtIds).size).toBe(tgtIds.length);
    expect(tgtIds.filter((id) => srcIds.has(id)).length).toBeLessThan(tgtIds.length * 0.05);
    // Every payment row landed in a partition with its customer.
    const [orphans] = await query<{ n: number }>(target, 'select count(*)::int as n from payment p where not exists (select 1 from customer c where c.customer_id = p.customer_id)');
    expect(orphans!.n).toBe(0);
    // Kept columns, arrays included, are as in the source (compared by film_id, which the policy keeps).
    const arrays = 'select film_id, special_features::text as f from film order by film_id';
    expect(await query(target, arrays)).toEqual(await query(source, arrays));
    // The full-text vector is film_fulltext_trigger's, made from the copy's own (scrubbed) title and description.
    const stale = `select count(*)::int as n from film where fulltext is distinct from to_tsvector('pg_catalog.english', coalesce(title, '') || ' ' || coalesce(description, ''))`;
    expect((await query<{ n: number }>(target, stale))[0]!.n).toBe(0);
    const [changed] = await query<{ n: number }>(target, `select count(*)::int as n from film`);
    expect(changed!.n).toBeGreaterThan(0);
    // bytea: nulled.
    const [pictures] = await query<{ n: number }>(target, 'select count(picture)::int as n from staff');
    expect(pictures!.n).toBe(0);
  }, 300_000);

  it('makes the same bytes with a worker thread and COPY text as in the main thread with binary COPY', async () => {
    const target = urlOf(names[2]!);
    const run = await runCli(['scrub', '--source', source, '--url', target, '--policy', policy, '--workers', '1', '--text-copy'], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(dataDump(target)).toBe(dataDump(urlOf(names[1]!)));
  }, 300_000);

  it('writes the same rows into files: CSV and SQL load back into the same copy, JSONL has every row', async () => {
    const dbCopy = urlOf(names[1]!);
    const ids = 'select customer_id from customer order by customer_id';
    const replica = { ...process.env, PGOPTIONS: '-c session_replication_role=replica' }; // files come in any table order: FK triggers off
    for (const [format, name] of [
      ['csv', names[3]!],
      ['sql', names[4]!],
    ] as const) {
      const out = await mkdtemp(join(tmpdir(), `understudy-scrub-out-${format}-`));
      const run = await runCli(['scrub', '--source', source, '--out', out, '--format', format, '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`into ${format.toUpperCase()} files in ${out}`);
      const files = (await readdir(out)).sort();
      expect(files).toContain(`public.customer.${format}`);
      const target = urlOf(name);
      for (const file of files) {
        const table = file.slice(0, -(format.length + 1));
        const load = format === 'csv' ? ['-c', `\\copy ${table} FROM '${join(out, file)}' CSV HEADER`] : ['-f', join(out, file)];
        execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...load, target], { env: replica, stdio: ['ignore', 'ignore', 'inherit'] });
      }
      for (const [what, sql] of Object.entries(JOINS)) expect((await query(target, sql))[0], `${format}: ${what}`).toEqual((await query(source, sql))[0]);
      expect(await query(target, ids), format).toEqual(await query(dbCopy, ids));
      const film = 'select film_id, title, special_features::text as f from film order by film_id';
      expect(await query(target, film), format).toEqual(await query(dbCopy, film));
    }
    const out = await mkdtemp(join(tmpdir(), 'understudy-scrub-out-jsonl-'));
    const run = await runCli(['scrub', '--source', source, '--out', out, '--format', 'jsonl', '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.code, run.stderr).toBe(0);
    const lines = (await readFile(join(out, 'public.customer.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(lines.map((r) => Number(r['customer_id'])).sort((a, b) => a - b)).toEqual((await query<{ customer_id: number }>(dbCopy, ids)).map((r) => r.customer_id));
  }, 300_000);

  it('refuses --out with --url, and a --format it does not know, before reading anything', async () => {
    const both = await runCli(['scrub', '--source', source, '--url', urlOf(names[2]!), '--out', tmpdir(), '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --out (files) or a database');
    const bad = await runCli(['scrub', '--source', source, '--out', tmpdir(), '--format', 'xml', '--policy', policy], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format xml is not supported');
  });

  it('copies a 5% keyed subset with every parent it needs, no orphan, the same twice', async () => {
    const rules = ['--subset', 'public.customer: 5%', '--subset', 'public.film: film_id <= 10'];
    const runs = [];
    for (const name of [names[3]!, names[4]!]) {
      const run = await runCli(['scrub', '--source', source, '--url', urlOf(name), '--policy', policy, ...rules, '--json'], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      runs.push(JSON.parse(run.stdout) as { subset: { tables: { table: string; kept: number; seeds: number; parents: number; children: number; sourceRows: number }[] } });
    }
    const target = urlOf(names[3]!);
    // The same subset twice, byte for byte.
    expect(dataDump(urlOf(names[4]!))).toBe(dataDump(target));
    // No orphan along any FK of the target (every FK constraint of pg_constraint, partitions included), by plain SQL.
    const fks = await query<{ child: string; parent: string; ccols: string[]; pcols: string[] }>(
      target,
      `
      select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
             array(select quote_ident(a.attname) from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as ccols,
             array(select quote_ident(a.attname) from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as pcols
      from pg_constraint c where c.contype = 'f'`,
    );
    expect(fks.length).toBeGreaterThan(15);
    for (const fk of fks) {
      const notNull = fk.ccols.map((c) => `x.${c} is not null`).join(' and ');
      const match = fk.ccols.map((c, i) => `p.${fk.pcols[i]} = x.${c}`).join(' and ');
      const [row] = await query<{ n: number }>(target, `select count(*)::int as n from ${fk.child} x where ${notNull} and not exists (select 1 from ${fk.parent} p where ${match})`);
      expect(row!.n, `${fk.child} → ${fk.parent}`).toBe(0);
    }
    // The report's counts are the target's rows; the keyed sample is about 5% of the customers.
    const report = new Map(runs[0]!.subset.tables.map((t) => [t.table, t]));
    for (const table of ['customer', 'rental', 'payment', 'film', 'inventory', 'store', 'staff', 'address']) {
      const [row] = await query<{ n: number }>(target, `select count(*)::int as n from ${table}`);
      expect(row!.n, table).toBe(report.get(`public.${table}`)!.kept);
    }
    const customers = report.get('public.customer')!;
    expect(customers.seeds).toBeGreaterThanOrEqual(5);
    expect(customers.seeds).toBeLessThanOrEqual(45); // 5% of 400, with the spread of a sample
    expect(customers.kept).toBeLessThan(customers.sourceRows);
    const [films] = await query<{ n: number }>(source, 'select count(*)::int as n from film where film_id <= 10');
    expect(report.get('public.film')!.seeds).toBe(films!.n);
    // Children of the seeds came along (depth 1): every rental of a seeded customer is there.
    expect(report.get('public.rental')!.children).toBeGreaterThan(0);
    // Joins still join: each kept payment has its customer and its rental.
    const [joined] = await query<{ n: number }>(target, 'select count(*)::int as n from payment p join customer c using (customer_id) join rental r using (rental_id)');
    const [payments] = await query<{ n: number }>(target, 'select count(*)::int as n from payment where rental_id is not null');
    expect(joined!.n).toBe(payments!.n);
  }, 300_000);

  it('refuses a bad --workers', async () => {
    const run = await runCli(['scrub', '--source', source, '--url', urlOf(names[2]!), '--policy', policy, '--workers', 'two'], { env: { UNDERSTUDY_SCRUB_KEY: KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--workers must be a non-negative integer, got two');
  });
});
