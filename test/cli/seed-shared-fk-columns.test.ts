/**
 * Foreign keys that share a column (chef-erchef's `policy_revisions_policy_groups_association`):
 * a multi-tenant child with `(org_id, team_name) → teams(org_id, name)` and
 * `(org_id, revision_name, revision_id) → revisions(org_id, name, revision_id)`, both parents
 * spread over several tenants. Seeded through the built CLI into PGlite, PostgreSQL
 * (UNDERSTUDY_TEST_PG_URL) and MariaDB (UNDERSTUDY_TEST_MYSQL_URL); then SQL written here checks
 * that every child row joins both parents, that the rows spread over the tenants, and that a key
 * over both foreign keys is distinct. A blanket row count above the pairs of parent rows that
 * agree is capped at exactly their count (counted here by a join); parents that share no tenant
 * are refused (exit 2) with the table, the foreign keys and the column named.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createScratchDatabase, dropScratchDatabase, openPglite, urlForDatabase } from '@understudy/postgres';
import { runCli } from '../run-cli.js';

const ROWS = 300;
const TENANTS = 5;

const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping shared foreign key columns on a PostgreSQL server');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping shared foreign key columns on MariaDB');

/** The same DDL on both engines (`serial` is BIGINT UNSIGNED AUTO_INCREMENT on MySQL). */
const DDL = `
CREATE TABLE orgs (id char(32) PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE teams (id serial PRIMARY KEY, org_id char(32) NOT NULL REFERENCES orgs(id), name varchar(100) NOT NULL, UNIQUE (org_id, name));
CREATE TABLE revisions (
  id serial PRIMARY KEY,
  org_id char(32) NOT NULL REFERENCES orgs(id),
  name varchar(100) NOT NULL,
  revision_id varchar(100) NOT NULL,
  UNIQUE (org_id, name, revision_id)
);
CREATE TABLE assignments (
  id serial PRIMARY KEY,
  org_id char(32) NOT NULL REFERENCES orgs(id),
  team_name varchar(100) NOT NULL,
  revision_name varchar(100) NOT NULL,
  revision_id varchar(100) NOT NULL,
  CONSTRAINT assignments_team_fkey FOREIGN KEY (org_id, team_name) REFERENCES teams(org_id, name),
  CONSTRAINT assignments_revision_fkey FOREIGN KEY (org_id, revision_name, revision_id) REFERENCES revisions(org_id, name, revision_id)
);
CREATE TABLE memberships (
  org_id char(32) NOT NULL,
  team_name varchar(100) NOT NULL,
  revision_name varchar(100) NOT NULL,
  revision_id varchar(100) NOT NULL,
  PRIMARY KEY (org_id, team_name, revision_name, revision_id),
  CONSTRAINT memberships_team_fkey FOREIGN KEY (org_id, team_name) REFERENCES teams(org_id, name),
  CONSTRAINT memberships_revision_fkey FOREIGN KEY (org_id, revision_name, revision_id) REFERENCES revisions(org_id, name, revision_id)
);
`;

/** Parents whose tenants never meet: teams in tenants 1–3, revisions in 4–6. */
const DISJOINT = `
CREATE TABLE teams (tenant integer NOT NULL CHECK (tenant BETWEEN 1 AND 3), name varchar(100) NOT NULL, PRIMARY KEY (tenant, name));
CREATE TABLE revisions (tenant integer NOT NULL CHECK (tenant BETWEEN 4 AND 6), name varchar(100) NOT NULL, PRIMARY KEY (tenant, name));
CREATE TABLE links (
  id integer PRIMARY KEY,
  tenant integer NOT NULL,
  team varchar(100) NOT NULL,
  revision varchar(100) NOT NULL,
  CONSTRAINT links_team_fkey FOREIGN KEY (tenant, team) REFERENCES teams(tenant, name),
  CONSTRAINT links_revision_fkey FOREIGN KEY (tenant, revision) REFERENCES revisions(tenant, name)
);
`;

type Query = (sql: string) => Promise<Array<Record<string, unknown>>>;

/** Counted in SQL: rows, rows that join both parents, tenants used; and duplicate membership keys. */
async function expectRowsJoinBothParents(query: Query): Promise<void> {
  for (const child of ['assignments', 'memberships']) {
    const [row] = await query(`
      SELECT count(*) AS total,
             sum(CASE WHEN EXISTS (SELECT 1 FROM teams t WHERE t.org_id = c.org_id AND t.name = c.team_name)
                       AND EXISTS (SELECT 1 FROM revisions r WHERE r.org_id = c.org_id AND r.name = c.revision_name AND r.revision_id = c.revision_id)
                      THEN 1 ELSE 0 END) AS joined,
             count(DISTINCT c.org_id) AS tenants
      FROM ${child} c`);
    expect(Number(row!['total']), child).toBe(ROWS);
    expect(Number(row!['joined']), `${child}: rows that join both parents`).toBe(ROWS);
    expect(Number(row!['tenants']), `${child}: tenants used`).toBeGreaterThan(1);
  }
  const [parents] = await query('SELECT (SELECT count(DISTINCT org_id) FROM teams) AS teams, (SELECT count(DISTINCT org_id) FROM revisions) AS revisions');
  expect(Number(parents!['teams'])).toBeGreaterThan(1);
  expect(Number(parents!['revisions'])).toBeGreaterThan(1);
  const [dup] = await query(
    'SELECT count(*) AS n FROM (SELECT org_id, team_name, revision_name, revision_id FROM memberships GROUP BY org_id, team_name, revision_name, revision_id HAVING count(*) > 1) d',
  );
  expect(Number(dup!['n'])).toBe(0);
}

let dir: string;
let config: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'understudy-shared-fk-'));
  config = join(dir, 'understudy.config.json');
  await writeFile(config, JSON.stringify({ tables: { orgs: { rows: TENANTS } } }));
  await writeFile(join(dir, 'schema.sql'), DDL);
  await writeFile(join(dir, 'disjoint.sql'), DISJOINT);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('two composite foreign keys sharing a tenant column', () => {
  it('seed into PGlite: every child row joins both parents', async () => {
    const data = join(dir, 'pglite');
    const result = await runCli(['seed', '--from', join(dir, 'schema.sql'), '--rows', String(ROWS), '--config', config, '--pglite', data, '--workers', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const conn = await openPglite({ dataDir: data });
    try {
      await expectRowsJoinBothParents(async (sql) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows);
    } finally {
      await conn.close();
    }
  }, 120_000);

  it.skipIf(!pgUrl)(
    'seed --url postgres://: every child row joins both parents',
    async () => {
      const name = await createScratchDatabase(pgUrl!, 'understudy_shared_fk');
      const client = new pg.Client({ connectionString: urlForDatabase(pgUrl!, name) });
      try {
        await client.connect();
        await client.query(DDL);
        const result = await runCli(['seed', '--url', urlForDatabase(pgUrl!, name), '--rows', String(ROWS), '--config', config, '--workers', '2', '--json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        await expectRowsJoinBothParents(async (sql) => (await client.query(sql)).rows);
      } finally {
        await client.end();
        await dropScratchDatabase(pgUrl!, name);
      }
    },
    120_000,
  );

  it.skipIf(!mysqlUrl)(
    'seed --url mysql:// (MariaDB): every child row joins both parents',
    async () => {
      const url = new URL(mysqlUrl!);
      const name = `understudy_shared_fk_${randomBytes(4).toString('hex')}`;
      const options = { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
      const admin = await mysql.createConnection(options);
      await admin.query(`CREATE DATABASE \`${name}\``);
      const conn = await mysql.createConnection({ ...options, database: name, multipleStatements: true });
      try {
        await conn.query(DDL);
        url.pathname = `/${name}`;
        const result = await runCli(['seed', '--url', url.toString(), '--rows', String(ROWS), '--config', config, '--workers', '2', '--json']);
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        await expectRowsJoinBothParents(async (sql) => (await conn.query(sql))[0] as Array<Record<string, unknown>>);
      } finally {
        await conn.end();
        await admin.query(`DROP DATABASE \`${name}\``);
        await admin.end();
      }
    },
    120_000,
  );

  it('a blanket row count above the pairs of parent rows that agree is capped at exactly those pairs, with a note', async () => {
    // No tenant count in the config: as many orgs as rows, so teams and revisions meet in few of them.
    const data = join(dir, 'pglite-capped');
    const result = await runCli(['seed', '--from', join(dir, 'schema.sql'), '--rows', String(ROWS), '--pglite', data, '--workers', '0', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const plan = await runCli(['plan', '--from', join(dir, 'schema.sql'), '--rows', String(ROWS)]);
    const memberships = (JSON.parse(plan.stdout) as { tables: Record<string, { rows: number; notes: string[] }> }).tables['public.memberships']!;
    expect(memberships.notes[0]).toMatch(
      new RegExp(
        `^rows capped at ${memberships.rows} \\(asked ${ROWS}\\): public\\.memberships: unique key memberships_pkey needs a different pair of rows of public\\.revisions and public\\.teams per row`,
      ),
    );
    const conn = await openPglite({ dataDir: data });
    try {
      // Each (team, revision) pair of one org is one membership key at most: the cap is their count.
      const [pairs] = (await conn.pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM teams t JOIN revisions r ON r.org_id = t.org_id')).rows;
      const [loaded] = (await conn.pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM memberships')).rows;
      expect(pairs!.n).toBeLessThan(ROWS);
      expect(loaded!.n).toBe(pairs!.n);
      expect(memberships.rows).toBe(pairs!.n);
    } finally {
      await conn.close();
    }
  }, 120_000);

  it('parents that share no tenant: exit 2, naming the table, the foreign keys and the column', async () => {
    const result = await runCli(['seed', '--from', join(dir, 'disjoint.sql'), '--rows', '20', '--pglite', join(dir, 'disjoint'), '--workers', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /public\.links: foreign keys links_\w+_fkey and links_\w+_fkey share tenant, so each row needs a row of public\.\w+ and a row of public\.\w+ with the same tenant, but no two rows agree/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

/**
 * A tree kept inside its tenant (sim's `folder`, comments under one post): a self-referencing composite
 * foreign key `(parent_id, workspace_id) → folders (id, workspace_id)` beside `workspace_id → workspaces`.
 * The root of the tree referenced itself and copied its own `workspace_id` for ever: "internal error:
 * Maximum call stack size exceeded". Now a row copies its parent's workspace, and a root keeps its own.
 */
const TREES = `
CREATE TABLE workspaces (id text PRIMARY KEY);
CREATE TABLE folders (
  id text PRIMARY KEY,
  workspace_id text NOT NULL REFERENCES workspaces (id),
  parent_id text,
  name text NOT NULL,
  UNIQUE (id, workspace_id),
  FOREIGN KEY (parent_id, workspace_id) REFERENCES folders (id, workspace_id)
);
CREATE TABLE comments (
  id integer PRIMARY KEY,
  post_id integer NOT NULL,
  parent_id integer NOT NULL,
  UNIQUE (id, post_id),
  FOREIGN KEY (parent_id, post_id) REFERENCES comments (id, post_id)
);
`;

describe('a self-referencing tree kept inside its tenant', () => {
  it('seed into PGlite: every row in its parent’s workspace, the roots spread over several', async () => {
    await writeFile(join(dir, 'trees.sql'), TREES);
    const data = join(dir, 'trees');
    const result = await runCli(['seed', '--from', join(dir, 'trees.sql'), '--rows', String(ROWS), '--pglite', data, '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const conn = await openPglite({ dataDir: data });
    try {
      const q = async (sql: string) => (await conn.pglite.query<Record<string, unknown>>(sql)).rows;
      expect(
        await q(`SELECT count(*)::int AS n, count(c.parent_id)::int AS children, count(DISTINCT c.workspace_id)::int AS workspaces,
                        count(*) FILTER (WHERE p.workspace_id <> c.workspace_id)::int AS crossing
                 FROM folders c LEFT JOIN folders p ON p.id = c.parent_id`),
      ).toEqual([{ n: ROWS, children: expect.any(Number), workspaces: expect.any(Number), crossing: 0 }]);
      const [folders] = await q(`SELECT count(parent_id)::int AS children, count(DISTINCT workspace_id)::int AS workspaces FROM folders`);
      expect(folders!['children']).toBeGreaterThan(ROWS / 2);
      expect(folders!['workspaces']).toBeGreaterThan(1);
      // NOT NULL parent: the first comment is its own parent; every other one under a comment of its post.
      expect(
        await q(`SELECT count(*)::int AS n, count(*) FILTER (WHERE p.post_id = c.post_id)::int AS same_post, count(*) FILTER (WHERE c.parent_id = c.id)::int AS own_parent
                 FROM comments c JOIN comments p ON p.id = c.parent_id`),
      ).toEqual([{ n: ROWS, same_post: ROWS, own_parent: 1 }]);
    } finally {
      await conn.close();
    }
  }, 120_000);
});
