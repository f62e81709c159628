/**
 * The MySQL/MariaDB sink against the test server (UNDERSTUDY_TEST_MYSQL_URL):
 * exact round-trips through LOAD DATA and through the INSERT fallback, all-or-nothing
 * loads, truncate/refuse, AUTO_INCREMENT and deferred updates.
 */
import { ConnectionError, UsageError, type EncoderColumn } from '@understudy/core';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { openMysqlSink, stagedCopyNote, type MysqlLoadMethod } from './mysql-load-data-sink.js';
import { openMysql } from './mysql-pool.js';
import { parseMysqlUrl } from './mysql-url.js';
import { mysqlSqlFile } from './mysql-sql-file-format.js';
import { dropDatabase, run, TEST_MYSQL_URL, withAdmin } from './test-mysql-server.js';
import { columnsOf, databaseWith, load, select } from './test-mysql-sink.js';

const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropDatabase(name);
});

const database = (ddl: string): ReturnType<typeof databaseWith> => databaseWith(created, ddl);

const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const tricky = ['tab\there', 'new\nline\r\ncrlf', 'back\\slash \\N', `quotes ' " ,`, 'nul\0byte', 'unicode: żółć 漢字 🎉', '', 'NULL'];
const TRICKY_DDL = `CREATE TABLE v (id INT AUTO_INCREMENT PRIMARY KEY, t TEXT, n DECIMAL(38,0), b BLOB, j JSON,
  ts DATETIME(6), tz TIMESTAMP(6) NULL, bits BIT(4), e ENUM('ok', 'it''s "fine"'), s SET('a','b','c'), flag BOOLEAN, d DOUBLE)`;
const trickyRows = (): unknown[][] => [
  ...tricky.map((t, i) => [
    i + 1,
    t,
    '12345678901234567890123456789012345678',
    i === 0 ? allBytes : Buffer.from(t),
    JSON.stringify({ t, i }),
    '2024-02-29 23:59:59.123456',
    '1999-12-31 00:00:00.500000+00',
    '0101',
    i % 2 ? 'ok' : `it's "fine"`,
    i % 2 ? 'a,c' : ['b', 'c'],
    i % 2 === 0,
    0.1 + 0.2,
  ]),
  [99, null, null, null, null, null, null, null, null, null, null, null],
];
const TRICKY_SELECT = `SELECT id, t, n, HEX(b) AS b, CONCAT(j) AS j, ts, tz, LPAD(BIN(bits), 4, '0') AS bits, e, s, flag, d FROM v ORDER BY id`;

describe.skipIf(!TEST_MYSQL_URL)('MySQL/MariaDB sink', () => {
  const methods: MysqlLoadMethod[] = ['load-data', 'insert'];
  const results: Record<string, unknown> = {};

  it.each(methods)('round-trips tricky values exactly (%s)', async (method) => {
    const { url, schema, name } = await database(TRICKY_DDL);
    const sink = await openMysqlSink(url, { schema, truncate: false, loadMethod: method });
    expect(sink.loadMethod).toBe(method);
    const rows = trickyRows();
    await load(sink, { table: `${name}.v`, columns: columnsOf(schema, `${name}.v`), rows: rows.length }, rows, 3);
    await sink.commit({ advanceSequences: true });
    const got = await select(url, TRICKY_SELECT);
    results[method] = got;
    expect(got).toHaveLength(rows.length);
    for (const [i, row] of got.slice(0, tricky.length).entries()) {
      const want = rows[i]!;
      expect(row['t']).toBe(want[1]);
      expect(row['n']).toBe(want[2]);
      expect(row['b']).toBe((want[3] as Buffer).toString('hex').toUpperCase());
      expect(row['j']).toBe(want[4]);
      expect(row['ts']).toBe(want[5]);
      expect(row['tz']).toBe('1999-12-31 00:00:00.500000');
      expect(row['bits']).toBe('0101');
      expect(row['e']).toBe(want[8]);
      expect(row['s']).toBe(i % 2 ? 'a,c' : 'b,c');
      expect(Number(row['flag'])).toBe(i % 2 === 0 ? 1 : 0);
      expect(row['d']).toBe(0.1 + 0.2);
    }
    expect(got[tricky.length]).toEqual({ id: 99, t: null, n: null, b: null, j: null, ts: null, tz: null, bits: null, e: null, s: null, flag: null, d: null });
    await select(url, `INSERT INTO v (t) VALUES ('next')`);
    expect(await select(url, `SELECT id FROM v WHERE t = 'next'`)).toEqual([{ id: 100 }]);
  });

  it('gives the same table contents through the INSERT fallback as through LOAD DATA', () => {
    expect(results['insert']).toBeDefined();
    expect(results['insert']).toEqual(results['load-data']);
  });

  it.each(methods)('is all-or-nothing: a failure on the 3rd table leaves every table as it was (%s)', async (method) => {
    const { url, schema, name } = await database(`CREATE TABLE a (id INT PRIMARY KEY);
      CREATE TABLE b (id INT PRIMARY KEY, a_id INT, FOREIGN KEY (a_id) REFERENCES a (id));
      CREATE TABLE c (id INT PRIMARY KEY); INSERT INTO a VALUES (100); INSERT INTO c VALUES (7)`);
    const sink = await openMysqlSink(url, { schema, truncate: true, loadMethod: method });
    await load(sink, { table: `${name}.a`, columns: columnsOf(schema, `${name}.a`), rows: 3 }, [[1], [2], [3]]);
    await load(sink, { table: `${name}.b`, columns: columnsOf(schema, `${name}.b`), rows: 2 }, [
      [1, 1],
      [2, 3],
    ]);
    const failure = await load(sink, { table: `${name}.c`, columns: columnsOf(schema, `${name}.c`), rows: 3 }, [[1], [2], [1]], 5).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as Error).message).toMatch(new RegExp(`loading ${name}\\.c failed.*[Dd]uplicate`));
    await sink.rollback();
    expect(await select(url, 'SELECT id FROM a')).toEqual([{ id: 100 }]);
    expect(await select(url, 'SELECT id FROM b')).toEqual([]);
    expect(await select(url, 'SELECT id FROM c')).toEqual([{ id: 7 }]);
  });

  it('reports the rows a table already has, refuses to load into it, and empties it only when asked', async () => {
    const { url, schema, name } = await database(
      `CREATE TABLE full_one (id INT AUTO_INCREMENT PRIMARY KEY, x INT); INSERT INTO full_one (x) VALUES (1), (2), (3);
       CREATE TABLE other (id INT PRIMARY KEY, flag TINYINT(1)); INSERT INTO other VALUES (9, 1)`,
    );
    const kept = await openMysqlSink(url, { schema, truncate: false });
    expect(
      await kept.existingRows([
        { table: `${name}.full_one`, columns: ['id'], limit: 2 },
        { table: `${name}.other`, columns: ['id', 'flag'], limit: 10 },
      ]),
    ).toEqual([
      { table: `${name}.full_one`, rows: 2, more: true, values: { id: [1, 2] } },
      { table: `${name}.other`, rows: 1, more: false, values: { id: [9], flag: [true] } },
    ]);
    const error = await kept.beginTable({ table: `${name}.full_one`, columns: columnsOf(schema, `${name}.full_one`), rows: 1 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(`${name}.full_one`);
    expect((error as UsageError).hint).toContain('--truncate');
    expect(await select(url, 'SELECT id FROM full_one ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    // --truncate empties only the tables the load writes.
    const sink = await openMysqlSink(url, { schema, truncate: true, tables: [`${name}.full_one`] });
    await load(sink, { table: `${name}.full_one`, columns: columnsOf(schema, `${name}.full_one`), rows: 2 }, [
      [5, 50],
      [6, 60],
    ]);
    await sink.commit({ advanceSequences: true });
    expect(await select(url, 'SELECT id, x FROM full_one ORDER BY id')).toEqual([
      { id: 5, x: 50 },
      { id: 6, x: 60 },
    ]);
    expect(await select(url, 'SELECT id FROM other')).toEqual([{ id: 9 }]);
  });

  it.each(methods)("fills a cycle's nullable FK with deferred updates (%s)", async (method) => {
    const { url, schema, name } = await database(`CREATE TABLE dept (id INT PRIMARY KEY, head_id INT NULL);
      CREATE TABLE emp (id INT PRIMARY KEY, dept_id INT NOT NULL, FOREIGN KEY (dept_id) REFERENCES dept (id));
      ALTER TABLE dept ADD FOREIGN KEY (head_id) REFERENCES emp (id)`);
    const sink = await openMysqlSink(url, { schema, truncate: false, loadMethod: method });
    await load(sink, { table: `${name}.dept`, columns: columnsOf(schema, `${name}.dept`, ['id']), rows: 2 }, [[1], [2]]);
    await load(sink, { table: `${name}.emp`, columns: columnsOf(schema, `${name}.emp`), rows: 3 }, [
      [10, 1],
      [11, 2],
      [12, 2],
    ]);
    const keyColumns = columnsOf(schema, `${name}.dept`, ['id']);
    const setColumns = columnsOf(schema, `${name}.dept`, ['head_id']);
    const { createEncoder } = (await import(sink.updateEncoding.module)) as { createEncoder: (c: readonly EncoderColumn[], o: unknown) => (r: unknown[][]) => Uint8Array };
    const writer = await sink.beginUpdates({ table: `${name}.dept`, keyColumns, setColumns, rows: 2 });
    await writer.write(
      createEncoder(
        [...keyColumns, ...setColumns],
        sink.updateEncoding.options,
      )([
        [1, 10],
        [2, 12],
      ]),
    );
    await writer.end();
    await sink.commit({ advanceSequences: false });
    expect(await select(url, 'SELECT id, head_id FROM dept ORDER BY id')).toEqual([
      { id: 1, head_id: 10 },
      { id: 2, head_id: 12 },
    ]);
  });

  it.each(methods)('loads a NOT NULL FK cycle with checks off for the closing table, and validates it before COMMIT (%s)', async (method) => {
    const ddl = `CREATE TABLE store (id INT PRIMARY KEY, manager_id INT NOT NULL);
      CREATE TABLE staff (id INT PRIMARY KEY, store_id INT NOT NULL, FOREIGN KEY (store_id) REFERENCES store (id));
      ALTER TABLE store ADD FOREIGN KEY (manager_id) REFERENCES staff (id)`;
    const good = await database(ddl);
    let sink = await openMysqlSink(good.url, { schema: good.schema, truncate: false, loadMethod: method });
    // staff closes the cycle: it loads first, pointing at stores that do not exist yet.
    await load(sink, { table: `${good.name}.staff`, columns: columnsOf(good.schema, `${good.name}.staff`), rows: 2 }, [
      [10, 1],
      [11, 2],
    ]);
    await load(sink, { table: `${good.name}.store`, columns: columnsOf(good.schema, `${good.name}.store`), rows: 2 }, [
      [1, 10],
      [2, 11],
    ]);
    await sink.commit({ advanceSequences: false });
    expect(await select(good.url, 'SELECT id, store_id FROM staff ORDER BY id')).toEqual([
      { id: 10, store_id: 1 },
      { id: 11, store_id: 2 },
    ]);
    // FK checks are back on for what follows on that session, and the server still enforces the FK.
    const { db } = await openMysql(parseMysqlUrl(good.url), good.url, { connectionLimit: 1 });
    await expect(run(db, 'INSERT INTO staff VALUES (12, 99)')).rejects.toThrow(/foreign key constraint fails/i);
    await db.destroy();

    // An orphan among the unchecked rows is caught by the validation: nothing is committed.
    const bad = await database(ddl);
    sink = await openMysqlSink(bad.url, { schema: bad.schema, truncate: false, loadMethod: method });
    await load(sink, { table: `${bad.name}.staff`, columns: columnsOf(bad.schema, `${bad.name}.staff`), rows: 2 }, [
      [10, 1],
      [11, 7],
    ]);
    await load(sink, { table: `${bad.name}.store`, columns: columnsOf(bad.schema, `${bad.name}.store`), rows: 1 }, [[1, 10]]);
    const failure = await sink.commit({ advanceSequences: false }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(String((failure as Error).message)).toMatch(/1 row\(s\) of \S+\.staff loaded with FK checks off have no parent/);
    expect(await select(bad.url, 'SELECT COUNT(*) AS n FROM staff')).toEqual([{ n: '0' }]);
  });

  it.each(methods)('loads rows copied as they are (scrub) whose nullable cycle FK and self-reference point at rows loaded later, and validates them (%s)', async (method) => {
    const ddl = `CREATE TABLE dept (id INT PRIMARY KEY, head_id INT NULL);
      CREATE TABLE emp (id INT PRIMARY KEY, dept_id INT NOT NULL, manager_id INT NULL, FOREIGN KEY (dept_id) REFERENCES dept (id), FOREIGN KEY (manager_id) REFERENCES emp (id));
      ALTER TABLE dept ADD FOREIGN KEY (head_id) REFERENCES emp (id)`;
    // dept loads first with its heads as they are (no deferred update follows); emp 10's manager is emp 12, a later row.
    const good = await database(ddl);
    let sink = await openMysqlSink(good.url, { schema: good.schema, truncate: false, loadMethod: method });
    await load(sink, { table: `${good.name}.dept`, columns: columnsOf(good.schema, `${good.name}.dept`), rows: 2, textValues: true }, [
      ['1', '10'],
      ['2', '12'],
    ]);
    await load(sink, { table: `${good.name}.emp`, columns: columnsOf(good.schema, `${good.name}.emp`), rows: 3, textValues: true }, [
      ['10', '1', '12'],
      ['11', '2', '10'],
      ['12', '2', null],
    ]);
    await sink.commit({ advanceSequences: false });
    expect(await select(good.url, 'SELECT d.id, e.id AS head, e.manager_id FROM dept d JOIN emp e ON e.id = d.head_id ORDER BY d.id')).toEqual([
      { id: 1, head: 10, manager_id: 12 },
      { id: 2, head: 12, manager_id: null },
    ]);

    // A self-reference with no row to point at is caught before COMMIT: nothing is committed.
    const bad = await database(ddl);
    sink = await openMysqlSink(bad.url, { schema: bad.schema, truncate: false, loadMethod: method });
    await load(sink, { table: `${bad.name}.dept`, columns: columnsOf(bad.schema, `${bad.name}.dept`), rows: 1, textValues: true }, [['1', null]]);
    await load(sink, { table: `${bad.name}.emp`, columns: columnsOf(bad.schema, `${bad.name}.emp`), rows: 1, textValues: true }, [['10', '1', '99']]);
    const failure = await sink.commit({ advanceSequences: false }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectionError);
    expect(String((failure as Error).message)).toMatch(/1 row\(s\) of \S+\.emp loaded with FK checks off have no parent/);
    expect(await select(bad.url, 'SELECT COUNT(*) AS n FROM emp')).toEqual([{ n: '0' }]);
  });

  it('rolls back at once while a LOAD DATA is still reading (Ctrl-C)', async () => {
    const { url, schema, name } = await database(`CREATE TABLE busy (id INT PRIMARY KEY)`);
    const sink = await openMysqlSink(url, { schema, truncate: false, loadMethod: 'load-data' });
    const writer = await sink.beginTable({ table: `${name}.busy`, columns: columnsOf(schema, `${name}.busy`), rows: 2 });
    await writer.write(Buffer.from('1\n2\n'));
    await sink.rollback();
    await sink.rollback();
    expect(await select(url, 'SELECT COUNT(*) AS n FROM busy')).toEqual([{ n: '0' }]);
  });

  it('falls back to INSERT when the server has local_infile off', async () => {
    const { url, schema, name } = await database(TRICKY_DDL);
    let sink: Awaited<ReturnType<typeof openMysqlSink>>;
    await withAdmin((db) => run(db, 'SET GLOBAL local_infile = 0'));
    try {
      sink = await openMysqlSink(url, { schema, truncate: false });
    } finally {
      await withAdmin((db) => run(db, 'SET GLOBAL local_infile = 1'));
    }
    expect(sink.loadMethod).toBe('insert');
    expect(sink.encoding.module).toBe('@understudy/mysql/insert-encoder');
    const rows = trickyRows();
    await load(sink, { table: `${name}.v`, columns: columnsOf(schema, `${name}.v`), rows: rows.length }, rows, 4);
    await sink.commit({ advanceSequences: true });
    expect(await select(url, TRICKY_SELECT)).toEqual(results['load-data']);
  });

  it.skipIf(!hasMysqlClient())('writes an INSERT script the mysql client loads exactly', async () => {
    const { url, schema, name } = await database(TRICKY_DDL);
    const key = `${name}.v`;
    const target = { table: key, columns: columnsOf(schema, key), rows: 9 };
    const encoding = mysqlSqlFile.encoding(target, schema);
    const { createEncoder } = (await import(encoding.module)) as { createEncoder: (c: readonly EncoderColumn[], o: unknown) => (r: unknown[][]) => Uint8Array };
    const script = mysqlSqlFile.header(target, schema) + Buffer.from(createEncoder(target.columns, encoding.options)(trickyRows())).toString() + mysqlSqlFile.footer(target, schema);
    const server = new URL(url);
    execFileSync('mysql', ['-h', server.hostname, '-P', server.port || '3306', '-u', decodeURIComponent(server.username), name], {
      input: script,
      env: { ...process.env, MYSQL_PWD: decodeURIComponent(server.password) },
    });
    expect(await select(url, TRICKY_SELECT)).toEqual(results['load-data']);
  });
});

function hasMysqlClient(): boolean {
  try {
    execFileSync('mysql', ['--version']);
    return true;
  } catch {
    return false;
  }
}

describe('the note on tables loaded through staging copies', () => {
  it("names ten and counts the rest when a schema is MyISAM throughout (piwigo's 34 tables), so the note stays one readable line", () => {
    const tables = Array.from({ length: 34 }, (_, i) => `gallery.t${String(i).padStart(2, '0')} (MyISAM)`);
    const note = stagedCopyNote(tables);
    expect(note).toBe(`${tables.slice(0, 10).join(', ')} and 24 more: loaded into a copy swapped in after the commit, since their engines cannot roll back`);
    expect(stagedCopyNote(tables.slice(0, 10))).toBe(`${tables.slice(0, 10).join(', ')}: loaded into a copy swapped in after the commit, since their engines cannot roll back`);
    expect(stagedCopyNote(['gallery.log (Aria)'])).toBe('gallery.log (Aria): loaded into a copy swapped in after the commit, since its engine cannot roll back');
  });
});
