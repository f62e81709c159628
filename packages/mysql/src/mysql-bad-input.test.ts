/**
 * What a user can get wrong, against the real MariaDB: unreachable server, wrong
 * password, unknown database, a dump the server rejects, a user without the CREATE
 * privilege, a dump that names a database which exists on the server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionError, SqlFileError, UsageError } from '@understudy/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from './mysql-dialect.js';
import { TEMP_DATABASE_PREFIX } from './mysql-sql-file.js';
import { databasesLike, dropDatabase, run, TEST_MYSQL_URL, testUrl, uniqueName, urlWith, withAdmin } from './test-mysql-server.js';

/** The rejected promise's error (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'understudy-mysql-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sqlFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('bad input without a server', () => {
  it('refuses to read a SQL file without --url', async () => {
    const error = await failure(mysqlDialect.introspectSqlFile(await sqlFile('a.sql', 'CREATE TABLE a (id int);')));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('no embedded MySQL');
    expect((error as UsageError).hint).toContain('--url mysql://user@host/anydb');
  });

  it('refuses a URL without a database name', async () => {
    const error = await failure(mysqlDialect.connect('mysql://root@127.0.0.1:3306'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('names no database');
  });

  it('reports an unreachable server as a ConnectionError naming host:port', async () => {
    const error = await failure(mysqlDialect.connect('mysql://root:pw-not-shown@127.0.0.1:1/x'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('127.0.0.1:1');
    expect(error.message).toContain('connection refused');
    expect(`${error.message} ${(error as ConnectionError).hint}`).not.toContain('pw-not-shown');
  });
});

describe.skipIf(!TEST_MYSQL_URL)('bad input on MariaDB', () => {
  afterAll(async () => {
    expect(await databasesLike(TEMP_DATABASE_PREFIX)).toEqual([]);
  });

  it('reports a wrong password as "authentication failed" without the password', async () => {
    const user = uniqueName('understudy_pw_test_');
    const wrong = `wrong-${uniqueName('')}`;
    await withAdmin(async (db) => {
      await run(db, `CREATE USER '${user}'@'%' IDENTIFIED BY 'right'`);
      await run(db, `CREATE USER '${user}'@'localhost' IDENTIFIED BY 'right'`);
    });
    try {
      const error = await failure(mysqlDialect.connect(urlWith({ user, password: wrong })));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toContain(`authentication failed for user "${user}"`);
      const hint = (error as ConnectionError).hint ?? '';
      expect(hint).toContain(':***@');
      expect(`${error.message} ${hint}`).not.toContain(wrong);
    } finally {
      await withAdmin(async (db) => {
        await run(db, `DROP USER IF EXISTS '${user}'@'%'`);
        await run(db, `DROP USER IF EXISTS '${user}'@'localhost'`);
      });
    }
  });

  it('reports an unknown database by name', async () => {
    const database = uniqueName('understudy_missing_');
    const error = await failure(mysqlDialect.connect(urlWith({ database })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain(`database "${database}" does not exist`);
  });

  it('reports a rejected statement with file and line, and drops the throwaway databases', async () => {
    const file = await sqlFile(
      'rejected.sql',
      [
        'CREATE SCHEMA shop;', // 1
        'USE shop;', // 2
        'CREATE TABLE a (id int PRIMARY KEY);', // 3
        '', // 4
        '-- a comment before the statement', // 5
        'CREATE TABLE b (', // 6
        '  id int PRIMARY KEY,', // 7
        '  a_id int REFERENCES missing_table (id),', // 8
        '  FOREIGN KEY (a_id) REFERENCES missing_table (id)', // 9
        ');', // 10
      ].join('\n'),
    );
    const error = await failure(mysqlDialect.introspectSqlFile(file, { url: testUrl() }));
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).line).toBe(6);
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6: `));
    expect(await databasesLike(TEMP_DATABASE_PREFIX)).toEqual([]);
  });

  it('points a syntax error at the line inside the statement', async () => {
    const file = await sqlFile('syntax.sql', ['CREATE TABLE ok (id int);', '', 'CREATE TABLE broken (', '  id int,', "  name varchar(10) DEFALT 'x',", '  note text', ');'].join('\n'));
    const error = await failure(mysqlDialect.introspectSqlFile(file, { url: testUrl() }));
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).line).toBe(5);
    expect(error.message).toContain('error in your SQL syntax');
    // The server counts lines from the start of the statement; the message counts them in the file.
    expect(error.message).toMatch(/at line 5$/);
    expect(await databasesLike(TEMP_DATABASE_PREFIX)).toEqual([]);
  });

  it('explains that a user without CREATE privilege cannot load a file', async () => {
    const user = uniqueName('understudy_nocreate_');
    await withAdmin(async (db) => {
      await run(db, `CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
      await run(db, `CREATE USER '${user}'@'localhost' IDENTIFIED BY 'pw'`);
    });
    try {
      const file = await sqlFile('nocreate.sql', 'CREATE TABLE a (id int);');
      const error = await failure(mysqlDialect.introspectSqlFile(file, { url: urlWith({ user, password: 'pw', database: '' }) }));
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error.message).toContain(`user "${user}" may not create databases`);
      expect((error as ConnectionError).hint).toContain('CREATE privilege');
    } finally {
      await withAdmin(async (db) => {
        await run(db, `DROP USER IF EXISTS '${user}'@'%'`);
        await run(db, `DROP USER IF EXISTS '${user}'@'localhost'`);
      });
    }
  });

  it('never touches a real database that the file drops, creates, uses or writes to', async () => {
    const victim = uniqueName('understudy_victim_');
    await withAdmin(async (db) => {
      await run(db, `CREATE DATABASE ${victim}`);
      await run(db, `CREATE TABLE ${victim}.sentinel (id int)`);
      await run(db, `INSERT INTO ${victim}.sentinel VALUES (42)`);
    });
    const user = uniqueName('understudy_skip_');
    try {
      const file = await sqlFile(
        'victim.sql',
        [
          `CREATE TABLE ${victim}.written_from_outside (id int);`,
          `DROP SCHEMA IF EXISTS ${victim};`,
          `CREATE SCHEMA ${victim};`,
          `USE ${victim};`,
          'CREATE TABLE t (id int PRIMARY KEY);',
          `CREATE DEFINER=\`nobody\`@\`%\` SQL SECURITY INVOKER VIEW v AS SELECT id FROM ${victim}.t;`,
          `CREATE USER '${user}'@'%';`,
          `GRANT SELECT ON *.* TO '${user}'@'%';`,
        ].join('\n'),
      );
      const schema = await mysqlDialect.introspectSqlFile(file, { url: testUrl() });
      expect(schema.namespaces).toEqual([victim]);
      expect(Object.keys(schema.tables)).toEqual([`${victim}.t`]);
      expect(Object.keys(schema.views)).toEqual([`${victim}.v`]);
      expect(schema.notes).toEqual([
        `${file}:7: not run on the throwaway server (account management): CREATE USER '${user}'@'%'`,
        `${file}:8: not run on the throwaway server (privileges): GRANT SELECT ON *.* TO '${user}'@'%'`,
      ]);
      await withAdmin(async (db) => {
        const tables = await sql<{ name: string }>`
          SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${victim}`.execute(db);
        expect(tables.rows.map((r) => r.name)).toEqual(['sentinel']);
        const users = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM mysql.user WHERE User = ${user}`.execute(db);
        expect(Number(users.rows[0]?.n)).toBe(0);
      });
    } finally {
      await dropDatabase(victim);
      await withAdmin((db) => run(db, `DROP USER IF EXISTS '${user}'@'%'`));
    }
  });

  it('names the database the file lacks when --schema asks for it', async () => {
    const file = await sqlFile('one.sql', 'CREATE SCHEMA one; USE one; CREATE TABLE t (id int);');
    const error = await failure(mysqlDialect.introspectSqlFile(file, { url: testUrl(), schemas: ['two'] }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('creates no database named "two"');
  });
});
