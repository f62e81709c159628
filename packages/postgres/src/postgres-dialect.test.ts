/**
 * Bad input and connection failures: each must be a typed error that names the
 * file, line, host or database, and never shows a password.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ConnectionError, dialectForUrl, dialectInfo, SqlFileError, UsageError, type UnderstudyError } from '@understudy/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectionError } from './postgres-connection-errors.js';
import { postgresDialect } from './postgres-dialect.js';
import { urlForDatabase } from './postgres-scratch-database.js';

const PG_URL = process.env['UNDERSTUDY_TEST_PG_URL'];

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'understudy-pg-dialect-'));
});

async function sqlFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function failure(promise: Promise<unknown>): Promise<UnderstudyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected a failure');
  return error as UnderstudyError;
}

describe('postgresDialect', () => {
  it('is the registry entry for postgres, with what it says', () => {
    expect(dialectForUrl([postgresDialect], 'postgresql://x@h/db')).toBe(postgresDialect);
    const { name, displayName, aliases, urlSchemes, exampleUrl, embeddedEngine, sessionReset, capabilities, syntax } = postgresDialect;
    expect({ name, displayName, aliases, urlSchemes, exampleUrl, embeddedEngine, sessionReset, capabilities, syntax }).toEqual(dialectInfo('postgres'));
    expect(capabilities).toMatchObject({ uncheckedForeignKeyLoad: false, disableTriggers: true, namespaces: true });
    expect(embeddedEngine).toBe('PGlite');
  });

  it('reads the extensions migrations create, quoted or not, once each', () => {
    expect(postgresDialect.extensionsUsedBy(['CREATE EXTENSION citext;', 'create extension if not exists "uuid-ossp"', 'CREATE EXTENSION citext'])).toEqual(['citext', 'uuid-ossp']);
  });

  it('opens its embedded engine with DDL statements and the extensions they need', async () => {
    const db = await postgresDialect.openEmbedded({ ddl: { label: 'schema.ts', statements: ['CREATE TABLE t (id int PRIMARY KEY, name citext)'], extensions: ['citext'] } });
    try {
      expect(db.created).toBe(true);
      const schema = await db.introspect();
      expect(Object.keys(schema.tables)).toEqual(['public.t']);
      expect(schema.tables['public.t']!.columns.map((c) => c.rawType)).toEqual(['integer', 'public.citext']);
    } finally {
      await db.close();
    }
  });

  it('names the statement number of the DDL its embedded engine refuses', async () => {
    const error = await failure(postgresDialect.openEmbedded({ ddl: { label: 'schema.ts', statements: ['CREATE TABLE a (id int)', 'CREATE TABLE b (id nope)'], extensions: [] } }));
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).line).toBe(2);
  });
});

describe('introspectSqlFile: bad files', () => {
  it('a missing file is a UsageError naming the path', async () => {
    const missing = join(dir, 'nope.sql');
    const error = await failure(postgresDialect.introspectSqlFile(missing));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`SQL file ${missing}: no such file`);
    expect(error.exitCode).toBe(2);
  });

  it('loads an extension a DO block creates when missing (temporal), and names one PGlite lacks there too', async () => {
    const guarded = (name: string): string => `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = '${name}') THEN CREATE EXTENSION ${name}; END IF; END $$;\n`;
    const ok = await sqlFile('guarded.sql', `${guarded('btree_gin')}CREATE TABLE v (id int, tags text);\nCREATE INDEX v_tags ON v USING gin (id, tags);\n`);
    expect(Object.keys((await postgresDialect.introspectSqlFile(ok)).tables)).toEqual(['public.v']);
    const missing = await sqlFile('guarded-postgis.sql', `CREATE TABLE a (id int);\n${guarded('postgis')}`);
    const error = await failure(postgresDialect.introspectSqlFile(missing));
    expect(error.message).toBe(`${missing}:2: extension "postgis" is not available in the embedded PGlite engine`);
  });

  it('a folder, or a file that is not text, is a UsageError that never echoes its bytes', async () => {
    const folder = await failure(postgresDialect.introspectSqlFile(dir));
    expect(folder).toBeInstanceOf(UsageError);
    expect(folder.message).toBe(`SQL file ${dir}: is a folder, not a file`);
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    const garbage = join(dir, 'garbage.sql');
    await writeFile(garbage, bytes);
    const binary = await failure(postgresDialect.introspectSqlFile(garbage));
    expect(binary).toBeInstanceOf(UsageError);
    expect(binary.message).toMatch(/^SQL file .*garbage\.sql is not a text file: it holds binary data/);
    expect(binary.message).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]/);
    const gz = join(dir, 'dump.sql.gz');
    await writeFile(gz, gzipSync('CREATE TABLE t (id int);'));
    const compressed = await failure(postgresDialect.introspectSqlFile(gz));
    expect(compressed.message).toContain('is not a text file: it is gzip-compressed');
    expect(compressed.hint).toContain('gunzip -k');
  });

  it('an extension PGlite lacks is a SqlFileError naming it and its line', async () => {
    const file = await sqlFile('postgis.sql', '-- needs PostGIS\n\nCREATE TABLE a (id int);\nCREATE EXTENSION IF NOT EXISTS postgis;\n');
    const error = await failure(postgresDialect.introspectSqlFile(file));
    expect(error).toBeInstanceOf(SqlFileError);
    expect(error.message).toBe(`${file}:4: extension "postgis" is not available in the embedded PGlite engine`);
    expect((error as SqlFileError).line).toBe(4);
    expect(error.hint).toContain('--url');
  });

  it('skips an operational extension PGlite lacks (pg_partman), says so, and names it when a statement needs it', async () => {
    const ddl =
      "CREATE SCHEMA partman;\nCREATE EXTENSION IF NOT EXISTS pg_partman WITH SCHEMA partman;\nCOMMENT ON EXTENSION pg_partman IS 'partitions';\nCREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);\nCREATE TABLE partman.template_events (id bigint);\n";
    const schema = await postgresDialect.introspectSqlFile(await sqlFile('partman.sql', ddl));
    expect(Object.keys(schema.tables).sort()).toEqual(['partman.template_events', 'public.events']);
    expect(schema.notes).toContain('skipped CREATE EXTENSION pg_partman (line 2): PGlite does not ship it, and tables do not need it');
    const needs = await sqlFile('partman-call.sql', `${ddl}SELECT partman.create_parent('public.events', 'at', '1 month');\n`);
    const error = await failure(postgresDialect.introspectSqlFile(needs));
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).line).toBe(6);
    expect(error.hint).toContain('PGlite does not ship pg_partman (line 2), skipped');
  });

  it('invalid SQL is a SqlFileError with the line of the error and the database message', async () => {
    const file = await sqlFile(
      'broken.sql',
      [
        'CREATE TABLE ok (id integer PRIMARY KEY);',
        '',
        '-- the next statement spans lines 4-7; the mistake is on line 6',
        'CREATE TABLE broken (',
        '  id integer PRIMARY KEY,',
        '  name txet NOT NULL',
        ');',
      ].join('\n'),
    );
    const error = await failure(postgresDialect.introspectSqlFile(file));
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).line).toBe(6);
    expect(error.message).toBe(`${file}:6: type "txet" does not exist`);
    expect(error.hint).toContain('line 4');
    expect(error.exitCode).toBe(3);
  });
});

describe('connect: connection errors', () => {
  it('an unreachable server is a ConnectionError naming host:port', async () => {
    const error = await failure(postgresDialect.connect('postgres://postgres@127.0.0.1:1/x'));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe('cannot reach PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)');
    expect(error.hint).toContain('server is running');
    expect(error.exitCode).toBe(3);
  });

  it('never shows the password', async () => {
    const url = 'postgres://postgres:hunter2@127.0.0.1:1/x';
    const error = await failure(postgresDialect.connect(url));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
    const fromSqlFile = await failure(postgresDialect.introspectSqlFile(join(dir, 'missing.sql'), { url }));
    expect(`${fromSqlFile.message} ${fromSqlFile.hint}`).not.toContain('hunter2');
  });

  it('maps authentication failures and unknown databases by SQLSTATE, without the password', () => {
    const url = 'postgres://alice:s3cr3t@db.example:6543/shop';
    const auth = connectionError(Object.assign(new Error('password authentication failed for user "alice"'), { code: '28P01' }), url);
    expect(auth.message).toBe('authentication failed for user "alice" at db.example:6543');
    const noDb = connectionError(Object.assign(new Error('database "shop" does not exist'), { code: '3D000' }), url);
    expect(noDb.message).toBe('database "shop" does not exist on db.example:6543');
    const other = connectionError(new Error(`weird failure for ${url}`), url);
    for (const e of [auth, noDb, other]) expect(`${e.message} ${e.hint}`).not.toContain('s3cr3t');
  });

  it('an invalid URL, or one for another engine, is a UsageError', async () => {
    const error = await failure(postgresDialect.connect('postgres://user:pw@[bad'));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).not.toContain('pw@');
    const mysql = await failure(postgresDialect.connect('mysql://root:pw@localhost/shop'));
    expect(mysql).toBeInstanceOf(UsageError);
    expect(mysql.message).toBe('"mysql://root:***@localhost/shop" is not a PostgreSQL URL');
  });

  it.skipIf(!PG_URL)('a role the server refuses is a ConnectionError saying authentication failed, without the password', async () => {
    const url = new URL(PG_URL!);
    url.username = 'understudy_no_such_role';
    url.password = 'hunter2';
    const error = await failure(postgresDialect.connect(url.toString()));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toBe(`authentication failed for user "understudy_no_such_role" at ${url.hostname}:${url.port || 5432}`);
    expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
  });

  it.skipIf(!PG_URL)('a database that does not exist is a ConnectionError naming it', async () => {
    const error = await failure(postgresDialect.connect(urlForDatabase(PG_URL!, 'understudy_no_such_db')));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/^database "understudy_no_such_db" does not exist on [^ ]+:\d+$/);
  });
});
