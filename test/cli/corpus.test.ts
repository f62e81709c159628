/**
 * The real-world corpus (fixtures/corpus/: production schemas of open-source
 * applications, with their licences): every schema seeds with no config and no
 * edits at 1,000 rows per table, on each engine it fits — an embedded PGlite
 * (`seed --from FILE --pglite DIR`), PostgreSQL 15 and MariaDB (`seed --url`
 * into a database the project's own DDL built) — then an independent check in
 * SQL finds no violation, and every table that held rows before the seed (rows
 * the DDL inserted: migration versions, settings, an admin user) holds exactly
 * the same rows after it, and the seeded rows read as the column names say (status
 * codes small, boolean-like integers 0/1, dates in name order, text in text-named byte
 * columns: test/realism-checks.ts). See docs/corpus.md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from '@understudy/mysql';
import { assertPgliteCanLoad, openPglite, postgresDialect, readSqlFile } from '@understudy/postgres';
import type { Schema } from '@understudy/core';
import { checkSeededDatabase, reportedRows, type CheckTarget } from '../db-checks.js';
import { checkRealism } from '../realism-checks.js';
import { repoRoot, runCli } from '../run-cli.js';

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the corpus on PostgreSQL 15 (PGlite still runs)');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the corpus on MariaDB');

type Engine = 'pglite' | 'postgres' | 'mariadb';

interface CorpusItem {
  readonly name: string;
  /** The DDL file, relative to the repository. */
  readonly file: string;
  readonly engines: readonly Engine[];
  /** Rewrites a file needs before a server's client loads it (its own CREATE DATABASE / \connect). */
  readonly ownDatabase?: boolean;
}

/** Every item of fixtures/corpus that a schema seed applies to (see docs/corpus.md for the others). */
const ITEMS: readonly CorpusItem[] = [
  { name: 'coder', file: 'fixtures/corpus/coder/dump.sql', engines: ['pglite', 'postgres'] },
  { name: 'danbooru', file: 'fixtures/corpus/danbooru/structure.sql', engines: ['postgres'] },
  { name: 'kanboard-postgres', file: 'fixtures/corpus/kanboard-postgres/postgres.sql', engines: ['pglite', 'postgres'] },
  { name: 'kenchi', file: 'fixtures/corpus/kenchi/test_template.sql', engines: ['pglite', 'postgres'], ownDatabase: true },
  { name: 'listmonk', file: 'fixtures/corpus/listmonk/schema.sql', engines: ['pglite', 'postgres'] },
  { name: 'temporal-postgres (temporal)', file: 'fixtures/corpus/temporal-postgres/temporal/schema.sql', engines: ['pglite', 'postgres'] },
  { name: 'temporal-postgres (visibility)', file: 'fixtures/corpus/temporal-postgres/visibility/schema.sql', engines: ['pglite', 'postgres'] },
  { name: 'kanboard-mysql', file: 'fixtures/corpus/kanboard-mysql/mysql.sql', engines: ['mariadb'] },
  { name: 'phpipam', file: 'fixtures/corpus/phpipam/SCHEMA.sql', engines: ['mariadb'] },
  { name: 'temporal-mysql (temporal)', file: 'fixtures/corpus/temporal-mysql/temporal/schema.sql', engines: ['mariadb'] },
];

const ROWS = 1000;
const cleanups: Array<() => Promise<void>> = [];
/** What each seed wrote and how long the command took, printed at the end (the table of docs/corpus.md). */
const timings: Array<{ item: string; engine: Engine; rows: number; seconds: number }> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  if (timings.length > 0) {
    console.log(
      ['| item | engine | rows | seconds |', '|---|---|---:|---:|', ...timings.map((t) => `| ${t.item} | ${t.engine} | ${t.rows.toLocaleString('en-US')} | ${t.seconds.toFixed(1)} |`)].join('\n'),
    );
  }
});

/** Runs `seed` through the CLI and records its time. */
async function timedSeed(item: CorpusItem, engine: Engine, args: readonly string[]): Promise<Awaited<ReturnType<typeof runCli>>> {
  const started = performance.now();
  const result = await runCli(args);
  if (result.code === 0) timings.push({ item: item.name, engine, rows: (JSON.parse(result.stdout) as { rows: number }).rows, seconds: (performance.now() - started) / 1000 });
  return result;
}

/** A fingerprint of every table's rows (order-independent), for the tables that have any. */
type Fingerprints = Record<string, string>;

const pgFingerprintSql = (schema: Schema, key: string): string => {
  const t = schema.tables[key]!;
  const ref = `"${t.schema.replace(/"/g, '""')}"."${t.name.replace(/"/g, '""')}"`;
  return `SELECT count(*)::text || ':' || coalesce(md5(string_agg(r::text, E'\\n' ORDER BY r::text)), '') AS f FROM ${ref} r`;
};

async function pgFingerprints(query: (sql: string) => Promise<Array<Record<string, unknown>>>, schema: Schema): Promise<Fingerprints> {
  const out: Fingerprints = {};
  for (const [key, t] of Object.entries(schema.tables)) {
    if (t.kind === 'partition') continue;
    const [row] = await query(pgFingerprintSql(schema, key));
    const f = String(row?.['f'] ?? '');
    if (!f.startsWith('0:')) out[key] = f;
  }
  return out;
}

/**
 * The tables the plan for `url` leaves to the database's triggers (coder's `user_deleted`, filled
 * only when an UPDATE marks a user deleted): they may stay empty.
 */
async function triggerFilled(url: string): Promise<Set<string>> {
  const plan = await runCli(['plan', '--url', url, '--rows', String(ROWS)]);
  expect(plan.code, plan.stderr).toBe(0);
  const skipped = (JSON.parse(plan.stdout) as { skipped: Array<{ table: string; reason: string }> }).skipped;
  return new Set(skipped.filter((s) => s.reason.startsWith('filled by trigger')).map((s) => s.table));
}

/** Checks a seeded database: the independent checker, and the rows that were there before, unchanged. */
async function expectSeeded(target: CheckTarget, schema: Schema, stdout: string, before: Fingerprints, after: () => Promise<Fingerprints>, mayBeEmpty: ReadonlySet<string>): Promise<void> {
  const result = JSON.parse(stdout) as { tables: Array<{ table: string; rows: number }>; kept?: Array<{ table: string; reason: string }> };
  const expected = reportedRows(stdout);
  const kept = new Set((result.kept ?? []).map((k) => k.table));
  // A kept table holds what it held: its rows before (possibly none).
  for (const key of kept) expected[key] = Number((before[key] ?? '0:').split(':')[0]);
  const report = await checkSeededDatabase(target, schema, expected);
  expect(report.problems.filter((p) => !mayBeEmpty.has(p.replace(/ is empty$/, '')))).toEqual([]);
  const now = await after();
  for (const [key, fingerprint] of Object.entries(before)) expect(now[key], `${key}: the rows it held before the seed`).toBe(fingerprint);
  // Every table that was empty and is not kept got rows.
  for (const t of result.tables) expect(t.rows, t.table).toBeGreaterThan(0);
  // And its rows read as a user expects from the names (test/realism-checks.ts).
  expect(
    await checkRealism(
      target,
      schema,
      result.tables.map((t) => t.table),
    ),
  ).toEqual([]);
}

async function seedOnPglite(item: CorpusItem): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'understudy-corpus-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const data = join(dir, 'db');
  // The DDL into a kept PGlite (a dry run writes no rows), then what it left in the tables (its INSERTs).
  const made = await runCli(['seed', '--from', item.file, '--pglite', data, '--dry-run']);
  expect(made.code, made.stderr).toBe(0);
  const extensions = assertPgliteCanLoad(await readSqlFile(join(repoRoot, item.file)));
  const open = async <T>(use: (schema: Schema, query: (sql: string) => Promise<Array<Record<string, unknown>>>) => Promise<T>): Promise<T> => {
    const conn = await openPglite({ dataDir: data, extensions });
    try {
      return await use(await conn.introspect(), async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows);
    } finally {
      await conn.close();
    }
  };
  const before = await open((schema, query) => pgFingerprints(query, schema));
  const mayBeEmpty = await triggerFilled(`pglite://${data}`);
  const result = await timedSeed(item, 'pglite', ['seed', '--url', `pglite://${data}`, '--rows', String(ROWS), '--json']);
  expect(result.code, result.stderr).toBe(0);
  await open((schema, query) =>
    expectSeeded({ dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query }, schema, result.stdout, before, () => pgFingerprints(query, schema), mayBeEmpty),
  );
}

/** The file as a server's client can run it: a file that creates and connects to its own database is pointed at ours. */
async function ddlFor(item: CorpusItem): Promise<string> {
  const sql = await readFile(join(repoRoot, item.file), 'utf8');
  if (!item.ownDatabase) return sql;
  return sql
    .replace(/^\s*(DROP|CREATE) DATABASE\b[^;]*;/gim, '')
    .replace(/^\\connect\b.*$/gim, '')
    .replace(/^\s*ALTER DATABASE\b[^;]*;/gim, '');
}

async function seedOnPostgres(item: CorpusItem): Promise<void> {
  const name = `understudy_corpus_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  // The project's own DDL, as its users load it (psql; roles it names exist or are made first).
  const ddl = await ddlFor(item);
  const roles = [...new Set([...ddl.matchAll(/OWNER TO "?([a-z_][a-z0-9_]*)"?/gi)].map((m) => m[1]!))];
  const prelude = roles.map((r) => `DO $$ BEGIN CREATE ROLE "${r}"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`).join('\n');
  execFileSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', url.toString(), '-f', '-'], { input: `${prelude}\n${ddl}`, stdio: ['pipe', 'ignore', 'pipe'] });
  const db = await postgresDialect.connect(url.toString());
  const schema = await db.introspect();
  await db.close();
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  cleanups.push(() => client.end());
  const query = async (sql: string): Promise<Array<Record<string, unknown>>> => (await client.query(sql)).rows;
  const before = await pgFingerprints(query, schema);
  const mayBeEmpty = await triggerFilled(url.toString());
  const result = await timedSeed(item, 'postgres', ['seed', '--url', url.toString(), '--rows', String(ROWS), '--json']);
  expect(result.code, result.stderr).toBe(0);
  await expectSeeded({ dialect: 'postgres', quote: (n) => `"${n.replace(/"/g, '""')}"`, query }, schema, result.stdout, before, () => pgFingerprints(query, schema), mayBeEmpty);
}

async function mysqlFingerprints(conn: mysql.Connection, schema: Schema): Promise<Fingerprints> {
  const out: Fingerprints = {};
  for (const [key, t] of Object.entries(schema.tables)) {
    const ref = `\`${t.schema}\`.\`${t.name}\``;
    const [[count]] = (await conn.query(`SELECT COUNT(*) AS n FROM ${ref}`)) as unknown as [[{ n: number | string }]];
    if (Number(count.n) === 0) continue;
    const [[sum]] = (await conn.query(`CHECKSUM TABLE ${ref}`)) as unknown as [[{ Checksum: number | string }]];
    out[key] = `${Number(count.n)}:${sum.Checksum}`;
  }
  return out;
}

async function seedOnMariadb(item: CorpusItem): Promise<void> {
  const name = `understudy_corpus_${randomBytes(4).toString('hex')}`;
  const base = new URL(mysqlUrl!);
  const admin = await mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  cleanups.push(async () => {
    const c = await mysql.createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.end();
  });
  execFileSync('mariadb', ['-h', base.hostname, '-P', base.port || '3306', '-u', decodeURIComponent(base.username), ...(base.password ? [`-p${decodeURIComponent(base.password)}`] : []), name], {
    input: await readFile(join(repoRoot, item.file), 'utf8'),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const url = new URL(mysqlUrl!);
  url.pathname = `/${name}`;
  const db = await mysqlDialect.connect(url.toString());
  const schema = await db.introspect();
  await db.close();
  const conn = await mysql.createConnection({ uri: url.toString() });
  cleanups.push(() => conn.end());
  const before = await mysqlFingerprints(conn, schema);
  const mayBeEmpty = await triggerFilled(url.toString());
  const result = await timedSeed(item, 'mariadb', ['seed', '--url', url.toString(), '--rows', String(ROWS), '--json']);
  expect(result.code, result.stderr).toBe(0);
  const query = async (sql: string): Promise<Array<Record<string, unknown>>> => (await conn.query(sql))[0] as Array<Record<string, unknown>>;
  await expectSeeded({ dialect: 'mysql', quote: (n) => `\`${n.replace(/`/g, '``')}\``, query }, schema, result.stdout, before, () => mysqlFingerprints(conn, schema), mayBeEmpty);
}

const run: Record<Engine, { readonly enabled: boolean; readonly seed: (item: CorpusItem) => Promise<void> }> = {
  pglite: { enabled: true, seed: seedOnPglite },
  postgres: { enabled: pgUrl !== undefined, seed: seedOnPostgres },
  mariadb: { enabled: mysqlUrl !== undefined, seed: seedOnMariadb },
};

describe('the corpus: production schemas seed with no config and no edits', () => {
  for (const item of ITEMS) {
    for (const engine of item.engines) {
      it.skipIf(!run[engine].enabled)(`${item.name} on ${engine}: ${ROWS} rows per table, 0 violations, the rows the DDL inserted unchanged`, () => run[engine].seed(item), 600_000);
    }
  }
});
