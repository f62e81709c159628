/**
 * A row and the row it references belong to one tenant, though no constraint says so: a task's
 * `workspace_id` is its project's, a comment's its task's, a job's `namespace` (plain text) its
 * queue's. Seeded apart, a migration that joins on it failed on seeded rows where production's
 * pass (hatchet's `v1_0_69`, openmeter's backfill, sim's `0272`: docs/corpus.md, "Real histories
 * tried as a new user (2026-12-07, evening)"). A DDL written here is seeded through the built
 * CLI into PGlite, PostgreSQL (UNDERSTUDY_TEST_PG_URL) and MariaDB (UNDERSTUDY_TEST_MYSQL_URL),
 * then checked in SQL written here: every child row agrees with its parent on the tenant, and a
 * column that is not a tenant (a favourite's `account_id` is who favourited, not the status's
 * author) is still drawn on its own.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';
import { scratchEngines, type Query } from '../scratch-databases.js';
import { count, queryKeptPglite, shapeFiles } from '../seed-shapes.js';

const ROWS = 300;
const pgUrl = process.env['UNDERSTUDY_TEST_PG_URL'];
const mysqlUrl = process.env['UNDERSTUDY_TEST_MYSQL_URL'];
if (!pgUrl) console.warn('UNDERSTUDY_TEST_PG_URL not set: skipping the tenant agreement on a PostgreSQL server');
if (!mysqlUrl) console.warn('UNDERSTUDY_TEST_MYSQL_URL not set: skipping the tenant agreement on MariaDB');

const DDL = `
CREATE TABLE workspaces (id integer PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE projects (id integer PRIMARY KEY, workspace_id integer NOT NULL REFERENCES workspaces (id), name varchar(100) NOT NULL);
CREATE TABLE tasks (id integer PRIMARY KEY, project_id integer NOT NULL REFERENCES projects (id),
  workspace_id integer NOT NULL REFERENCES workspaces (id), title varchar(200) NOT NULL);
-- Two levels down, and through a nullable reference.
CREATE TABLE task_comments (id integer PRIMARY KEY, task_id integer REFERENCES tasks (id),
  workspace_id integer NOT NULL REFERENCES workspaces (id), body text);
-- A tree of folders, each in its parent's workspace (sim's workflow_folder).
CREATE TABLE folders (id integer PRIMARY KEY, parent_id integer REFERENCES folders (id), workspace_id integer NOT NULL REFERENCES workspaces (id), name varchar(100));
-- A tenant held as plain text on both sides (no table of namespaces).
CREATE TABLE queues (id integer PRIMARY KEY, namespace varchar(64) NOT NULL, name varchar(64) NOT NULL);
CREATE TABLE jobs (id integer PRIMARY KEY, queue_id integer NOT NULL REFERENCES queues (id), namespace varchar(64) NOT NULL);
-- A tenant column in a unique key (one default provider per workspace) keeps its own values: copied, they would repeat.
CREATE TABLE providers (id integer PRIMARY KEY, workspace_id integer NOT NULL REFERENCES workspaces (id), kind varchar(20) NOT NULL);
CREATE TABLE default_providers (workspace_id integer NOT NULL UNIQUE REFERENCES workspaces (id), provider_id integer NOT NULL REFERENCES providers (id));
-- Not tenants: who favourited is not the status's author.
CREATE TABLE accounts (id integer PRIMARY KEY, username varchar(30) NOT NULL);
CREATE TABLE statuses (id integer PRIMARY KEY, account_id integer NOT NULL REFERENCES accounts (id), text text);
CREATE TABLE favourites (id integer PRIMARY KEY, status_id integer NOT NULL REFERENCES statuses (id), account_id integer NOT NULL REFERENCES accounts (id));
`;

const scratch = scratchEngines('understudy_tenant_agree');
const files = shapeFiles('understudy-tenant-agreement-');
afterAll(async () => {
  await files.remove();
  await scratch.dropAll();
});

async function expectAgreement(query: Query): Promise<void> {
  for (const table of ['tasks', 'task_comments', 'folders', 'jobs', 'favourites']) expect(await count(query, `SELECT count(*) FROM ${table}`), table).toBe(ROWS);
  // Each child agrees with the row it references (and is not trivially one workspace: several are used).
  expect(await count(query, 'SELECT count(*) FROM tasks t JOIN projects p ON p.id = t.project_id WHERE t.workspace_id <> p.workspace_id')).toBe(0);
  expect(await count(query, 'SELECT count(DISTINCT workspace_id) FROM tasks')).toBeGreaterThan(10);
  expect(await count(query, 'SELECT count(*) FROM task_comments c JOIN tasks t ON t.id = c.task_id WHERE c.workspace_id <> t.workspace_id')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM task_comments WHERE task_id IS NOT NULL')).toBeGreaterThan(ROWS / 2);
  expect(await count(query, 'SELECT count(*) FROM folders f JOIN folders p ON p.id = f.parent_id WHERE f.workspace_id <> p.workspace_id')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM folders WHERE parent_id IS NOT NULL')).toBeGreaterThan(ROWS / 2);
  expect(await count(query, 'SELECT count(DISTINCT workspace_id) FROM folders')).toBeGreaterThan(1);
  expect(await count(query, 'SELECT count(*) FROM jobs j JOIN queues q ON q.id = j.queue_id WHERE j.namespace <> q.namespace')).toBe(0);
  expect(await count(query, 'SELECT count(*) FROM default_providers')).toBeGreaterThan(0);
  expect(await count(query, 'SELECT count(*) - count(DISTINCT workspace_id) FROM default_providers')).toBe(0);
  // A favourite's account is its own: most differ from the status's author.
  expect(await count(query, 'SELECT count(*) FROM favourites f JOIN statuses s ON s.id = f.status_id WHERE f.account_id <> s.account_id')).toBeGreaterThan(ROWS / 2);
}

describe('a row and the row it references belong to one tenant', () => {
  it('PGlite: children agree with their parents on the tenant, in SQL', async () => {
    const file = await files.ddlFile(DDL);
    const data = join(file, '..', 'db');
    const result = await runCli(['seed', '--from', file, '--pglite', data, '--rows', String(ROWS)]);
    expect(result.code, result.stderr).toBe(0);
    await queryKeptPglite(data, [], expectAgreement);
  }, 120_000);

  for (const engine of scratch.engines) {
    it.skipIf(!engine.enabled)(
      `${engine.name}: children agree with their parents on the tenant, in SQL`,
      async () => {
        const db = await engine.create();
        for (const statement of DDL.split(';').filter((s) => s.replace(/--.*$/gm, '').trim() !== '')) await db.query(statement);
        const result = await runCli(['seed', '--url', db.url, '--rows', String(ROWS)]);
        expect(result.code, result.stderr).toBe(0);
        await expectAgreement(db.query);
      },
      120_000,
    );
  }
});
