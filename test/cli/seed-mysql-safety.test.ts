/**
 * `understudy seed --url mysql://` leaves a MariaDB target as it was when the seed fails, is
 * interrupted (Ctrl-C) or killed, with MyISAM and Aria tables among InnoDB ones; sets
 * AUTO_INCREMENT counters back; refuses `--truncate` when another database points at the
 * tables; and never says "rolled back" when it could not undo everything. Every state is read
 * back in SQL (CHECKSUM TABLE, engines, information_schema.TABLES.AUTO_INCREMENT).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { mysqlDialect } from '@understudy/mysql';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { repoRoot, runCli } from '../run-cli.js';

const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the MariaDB seed safety tests');

const created: string[] = [];
const users: string[] = [];

function urlFor(database: string, user?: { name: string; password: string }): string {
  const url = new URL(mysqlUrl!);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user.name;
    url.password = user.password;
  }
  return url.toString();
}

async function admin(): Promise<mysql.Connection> {
  const url = new URL(mysqlUrl!);
  return mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), multipleStatements: true });
}

async function sql(text: string): Promise<Array<Record<string, unknown>>> {
  const conn = await admin();
  try {
    return (await conn.query(text))[0] as Array<Record<string, unknown>>;
  } finally {
    await conn.end();
  }
}

/** A fresh database with `ddl` run in it (statements separated by `;`, no DELIMITER blocks). */
async function databaseWith(ddl: string): Promise<string> {
  const name = `understudy_safety_e2e_${randomBytes(4).toString('hex')}`;
  created.push(name);
  await sql(`CREATE DATABASE \`${name}\`; USE \`${name}\`; ${ddl}`);
  return name;
}

/** Every table of `name`: engine, AUTO_INCREMENT, rows and CHECKSUM TABLE. */
async function state(name: string): Promise<Record<string, string>> {
  const conn = await admin();
  try {
    const [tables] = (await conn.query(`SELECT TABLE_NAME AS t, ENGINE AS e, AUTO_INCREMENT AS ai FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1`, [name])) as unknown as [
      Array<{ t: string; e: string; ai: unknown }>,
    ];
    const out: Record<string, string> = {};
    for (const { t, e, ai } of tables) {
      const [[sum]] = (await conn.query(`CHECKSUM TABLE \`${name}\`.\`${t}\``)) as unknown as [Array<{ Checksum: unknown }>];
      const [[count]] = (await conn.query(`SELECT COUNT(*) AS n FROM \`${name}\`.\`${t}\``)) as unknown as [Array<{ n: unknown }>];
      out[t] = `${e} auto_increment=${String(ai)} rows=${String(count!.n)} checksum=${String(sum!.Checksum)}`;
    }
    return out;
  } finally {
    await conn.end();
  }
}

/** Starts `understudy seed` as a user would, returning the child and what it printed so far. */
function startSeed(args: readonly string[]): { child: ReturnType<typeof spawn>; output: () => string; exit: Promise<number | string | null> } {
  const child = spawn(process.execPath, ['bin/understudy', 'seed', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | string | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => output, exit };
}

/** Waits until `probe` is true (polling), at most `ms`. */
async function until(probe: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting for the seed to reach the point under test');
}

/** True once the seed is writing rows into a staging copy of a MyISAM or Aria table of `name`. */
const writingACopy = (name: string) => async (): Promise<boolean> =>
  (await sql(`SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = '${name}' AND (INFO LIKE 'LOAD DATA%' OR INFO LIKE 'INSERT%') AND INFO LIKE '%\`${name}\`.\`understudy\\_stage\\_%'`)).length > 0;

/** Runs `test` on a started seed, killing it if the test fails before it ended. */
async function withSeed(args: readonly string[], test: (seed: ReturnType<typeof startSeed>) => Promise<void>): Promise<void> {
  const seed = startSeed(args);
  try {
    await test(seed);
  } finally {
    if (seed.child.exitCode === null) seed.child.kill('SIGKILL');
  }
}

afterAll(async () => {
  if (!mysqlUrl) return;
  const conn = await admin();
  for (const name of [...created].reverse()) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``).catch(() => undefined);
  for (const user of users) await conn.query(`DROP USER IF EXISTS '${user}'@'%'`).catch(() => undefined);
  await conn.end();
});

/** InnoDB, MyISAM and Aria tables, each holding rows, counters past deleted rows. */
const MIXED_DDL = `
  CREATE TABLE customer (id SMALLINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, UNIQUE KEY (name)) ENGINE=InnoDB;
  CREATE TABLE page_view (id INT AUTO_INCREMENT PRIMARY KEY, customer_id SMALLINT UNSIGNED NOT NULL, path VARCHAR(200) NOT NULL, KEY (customer_id)) ENGINE=MyISAM;
  CREATE TABLE word_count (id INT AUTO_INCREMENT PRIMARY KEY, word VARCHAR(30) NOT NULL, hits INT NOT NULL) ENGINE=Aria;
  CREATE TABLE purchase (id INT AUTO_INCREMENT PRIMARY KEY, customer_id SMALLINT UNSIGNED NOT NULL, status ENUM('new', 'paid', 'sent') NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES customer (id)) ENGINE=InnoDB;
  INSERT INTO customer (name) VALUES ('a'), ('b'), ('gone'); DELETE FROM customer WHERE name = 'gone';
  INSERT INTO page_view (customer_id, path) VALUES (1, '/'), (2, '/about'), (1, '/x'); DELETE FROM page_view WHERE id = 3;
  INSERT INTO word_count (word, hits) VALUES ('hello', 3);
  INSERT INTO purchase (customer_id, status) VALUES (1, 'paid')`;

describe.skipIf(!mysqlUrl)('understudy seed --url mysql:// leaves the target as it was', () => {
  it('MyISAM and Aria tables: a seed that fails in a late table changes nothing (rows, counters), and says it was rolled back', async () => {
    const name = await databaseWith(MIXED_DDL);
    // The schema given with --from has no unique key on purchase.status; the target does, so loading purchase fails.
    const ddl = join(await mkdtemp(join(tmpdir(), 'understudy-safety-')), 'schema.sql');
    await writeFile(ddl, MIXED_DDL.replace(/INSERT[^;]*;?|DELETE[^;]*;?/g, ''));
    await sql(`CREATE UNIQUE INDEX one_per_status ON \`${name}\`.purchase (status)`);
    const before = await state(name);
    const result = await runCli(['seed', '--from', ddl, '--url', urlFor(name), '--rows', '1000', '--truncate']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/loading \S+\.purchase failed.*[Dd]uplicate/);
    expect(result.stderr).toContain('Nothing was loaded: the whole load was rolled back.');
    expect(await state(name)).toEqual(before);
  });

  it('MyISAM and Aria tables: Ctrl-C mid-load rolls back, says so (exit 3), and the next INSERT gets the id it would have had', async () => {
    const name = await databaseWith(MIXED_DDL);
    const before = await state(name);
    // In this thread (--workers 0): no chunks made ahead for the interrupted seed to wait for.
    await withSeed(['--url', urlFor(name), '--rows', '2000000', '--truncate', '--workers', '0'], async (seed) => {
      await until(writingACopy(name));
      await new Promise((r) => setTimeout(r, 300));
      seed.child.kill('SIGINT');
      expect(await seed.exit).toBe(3);
      expect(seed.output()).toMatch(/seed interrupted by SIGINT while loading \S+: everything written was rolled back, the target is as it was/);
    });
    expect(await state(name)).toEqual(before);
    await sql(`INSERT INTO \`${name}\`.customer (name) VALUES ('app'); INSERT INTO \`${name}\`.page_view (customer_id, path) VALUES (1, '/app')`);
    expect(await sql(`SELECT id FROM \`${name}\`.customer WHERE name = 'app'`)).toEqual([{ id: 4 }]);
    expect(await sql(`SELECT id FROM \`${name}\`.page_view WHERE path = '/app'`)).toEqual([{ id: 4 }]);
  });

  it('MyISAM and Aria tables: a seed that completes replaces their rows, keeps their engines, and passes the independent check', async () => {
    const name = await databaseWith(MIXED_DDL);
    const result = await runCli(['seed', '--url', urlFor(name), '--rows', '1000', '--truncate', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const db = await mysqlDialect.connect(urlFor(name));
    const schema = await db.introspect().finally(() => db.close());
    const conn = await mysql.createConnection({ uri: urlFor(name) });
    try {
      const target: CheckTarget = { dialect: 'mysql', quote: (n) => `\`${n.replace(/`/g, '``')}\``, query: async (text) => (await conn.query(text))[0] as Record<string, unknown>[] };
      expect((await checkSeededDatabase(target, schema, reportedRows(result.stdout))).problems).toEqual([]);
    } finally {
      await conn.end();
    }
    expect(Object.fromEntries(Object.entries(await state(name)).map(([t, s]) => [t, s.split(' ')[0]]))).toEqual({ customer: 'InnoDB', page_view: 'MyISAM', purchase: 'InnoDB', word_count: 'Aria' });
  });

  it('a seed killed mid-load (kill -9) leaves the MyISAM and Aria rows as they were; its copies are not introspected and the next seed drops them', async () => {
    const name = await databaseWith(MIXED_DDL);
    const rowsOf = async (): Promise<Record<string, string>> => Object.fromEntries(Object.entries(await state(name)).map(([t, s]) => [t, s.replace(/auto_increment=\S+ /, '')]));
    const before = await rowsOf();
    await withSeed(['--url', urlFor(name), '--rows', '2000000', '--truncate', '--workers', '2'], async (seed) => {
      await until(writingACopy(name));
      await new Promise((r) => setTimeout(r, 300));
      seed.child.kill('SIGKILL');
      await seed.exit;
    });
    // The server aborts the dead session's transaction: give it a moment.
    await until(async () => (await sql(`SELECT 1 FROM information_schema.PROCESSLIST WHERE DB = '${name}'`)).length === 0);
    const after = await rowsOf();
    const copies = Object.keys(after).filter((t) => t.startsWith('understudy_stage_'));
    expect(copies.length).toBeGreaterThan(0);
    expect(Object.fromEntries(Object.entries(after).filter(([t]) => !copies.includes(t)))).toEqual(before);

    const introspected = await runCli(['introspect', '--url', urlFor(name)]);
    expect(introspected.code).toBe(0);
    expect(Object.keys(JSON.parse(introspected.stdout).tables).sort()).toEqual(['customer', 'page_view', 'purchase', 'word_count'].map((t) => `${name}.${t}`));
    const again = await runCli(['seed', '--url', urlFor(name), '--rows', '100', '--truncate']);
    expect(again.code, again.stderr).toBe(0);
    expect(Object.keys(await state(name)).sort()).toEqual(['customer', 'page_view', 'purchase', 'word_count']);
  });

  it('refuses --truncate (exit 2) when rows in another database point at a table it would empty, naming them', async () => {
    const name = await databaseWith(MIXED_DDL);
    const other = await databaseWith(`CREATE TABLE invoice (id INT PRIMARY KEY, customer_id SMALLINT UNSIGNED NOT NULL,
      CONSTRAINT invoice_customer FOREIGN KEY (customer_id) REFERENCES \`${name}\`.customer (id)) ENGINE=InnoDB; INSERT INTO invoice VALUES (1, 2)`);
    const before = await state(name);
    const result = await runCli(['seed', '--url', urlFor(name), '--rows', '100', '--truncate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--truncate would leave rows of tables outside this seed without their parents: ${other}.invoice (1 row, foreign key invoice_customer → ${name}.customer)`);
    expect(result.stderr).toContain('Empty the referencing tables first');
    expect(await state(name)).toEqual(before);
  });

  it('never prints "rolled back" when a counter could not be set back: names it and the statement to run (exit 3)', async () => {
    const name = await databaseWith('CREATE TABLE event (id INT AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(20) NOT NULL, at DATETIME NOT NULL)');
    // The user may write rows but not ALTER tables: the seed cannot set the AUTO_INCREMENT back.
    const user = { name: `us_e2e_${randomBytes(3).toString('hex')}`, password: 'pw' };
    users.push(user.name);
    await sql(`CREATE USER '${user.name}'@'%' IDENTIFIED BY '${user.password}'; GRANT SELECT, INSERT, UPDATE, DELETE ON \`${name}\`.* TO '${user.name}'@'%'`);
    let output = '';
    await withSeed(['--url', urlFor(name, user), '--rows', '3000000', '--workers', '0'], async (seed) => {
      await until(async () => Number((await sql(`SELECT AUTO_INCREMENT AS ai FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}'`))[0]!['ai']) > 1);
      seed.child.kill('SIGINT');
      expect(await seed.exit).toBe(3);
      output = seed.output();
    });
    expect(output).not.toContain('everything written was rolled back');
    expect(output).toMatch(new RegExp(`seed interrupted, and rolling it back did not leave the target as it was: .*the AUTO_INCREMENT of ${name}\\.event is \\d+, was 1`));
    expect(output).toContain(`ALTER TABLE \`${name}\`.\`event\` AUTO_INCREMENT = 1`);
    expect(await sql(`SELECT COUNT(*) AS n FROM \`${name}\`.event`)).toEqual([{ n: 0 }]);
  });
});
