/**
 * A load leaves a MariaDB target as it was when it fails or is interrupted, also where ROLLBACK
 * does not reach: MyISAM and Aria tables (loaded into staging copies and swapped in),
 * AUTO_INCREMENT counters (set back), rows of other databases that point at tables
 * `--truncate` would empty (refused). Every state is read back in SQL: CHECKSUM TABLE, row
 * counts, engines and information_schema.TABLES.AUTO_INCREMENT.
 */
import { ConnectionError, UsageError, type Schema } from '@understudy/core';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from './mysql-dialect.js';
import { openMysqlSink, type MysqlLoadMethod } from './mysql-load-data-sink.js';
import { dropDatabase, run, TEST_MYSQL_URL, uniqueName, urlWith, withAdmin } from './test-mysql-server.js';
import { databaseWith, load, select, targetOf } from './test-mysql-sink.js';

const created: string[] = [];
const users: string[] = [];
afterAll(async () => {
  // Last made first: a database another one points into is dropped after it.
  for (const name of [...created].reverse()) await dropDatabase(name);
  for (const user of users) await withAdmin((db) => run(db, `DROP USER IF EXISTS '${user}'@'%'`));
});

/** Two InnoDB tables (one with a SMALLINT key), one MyISAM, one Aria, each holding rows; counters past deleted rows. */
const MIXED_DDL = `
  CREATE TABLE customer (id SMALLINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, UNIQUE KEY (name)) ENGINE=InnoDB;
  CREATE TABLE log_entry (id INT AUTO_INCREMENT PRIMARY KEY, customer_id SMALLINT UNSIGNED NOT NULL, msg VARCHAR(100), KEY (customer_id), FULLTEXT KEY (msg)) ENGINE=MyISAM;
  CREATE TABLE counter (id SMALLINT AUTO_INCREMENT PRIMARY KEY, label VARCHAR(20) NOT NULL, UNIQUE KEY (label)) ENGINE=Aria;
  CREATE TABLE orders (id INT PRIMARY KEY, customer_id SMALLINT UNSIGNED NOT NULL, FOREIGN KEY (customer_id) REFERENCES customer (id)) ENGINE=InnoDB;
  INSERT INTO customer (name) VALUES ('a'), ('b'), ('gone');
  DELETE FROM customer WHERE name = 'gone';
  INSERT INTO log_entry (customer_id, msg) VALUES (1, 'x'), (2, 'y'), (1, 'z');
  DELETE FROM log_entry WHERE id = 3;
  INSERT INTO counter (label) VALUES ('home');
  INSERT INTO orders VALUES (1, 1)`;

const database = (ddl: string, prefix?: string): ReturnType<typeof databaseWith> => databaseWith(created, ddl, prefix);

/** Every table of database `name`: engine, AUTO_INCREMENT, rows and CHECKSUM TABLE (the list shows leftover tables too). */
async function state(url: string, name: string): Promise<Record<string, string>> {
  const tables = await select(url, `SELECT TABLE_NAME AS t, ENGINE AS e, AUTO_INCREMENT AS ai FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}' ORDER BY 1`);
  const out: Record<string, string> = {};
  for (const { t, e, ai } of tables) {
    const [sum] = await select(url, `CHECKSUM TABLE \`${String(t)}\``);
    const [count] = await select(url, `SELECT COUNT(*) AS n FROM \`${String(t)}\``);
    out[String(t)] = `${String(e)} auto_increment=${String(ai)} rows=${String(count!['n'])} checksum=${String(sum!['Checksum'])}`;
  }
  return out;
}

async function introspect(url: string): Promise<Schema> {
  const conn = await mysqlDialect.connect(url);
  try {
    return await conn.introspect();
  } finally {
    await conn.close();
  }
}

const failureOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );
const stagingTables = (url: string, name: string): Promise<Array<Record<string, unknown>>> =>
  select(url, `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}' AND TABLE_NAME LIKE 'understudy\\_stage\\_%'`);

describe.skipIf(!TEST_MYSQL_URL)('MySQL/MariaDB sink: the target is as it was', () => {
  const methods: MysqlLoadMethod[] = ['load-data', 'insert'];

  it.each(methods)('loads MyISAM and Aria tables through staging copies, swapped in at commit: rows, engines and indexes kept (%s)', async (method) => {
    const { url, schema, name } = await database(MIXED_DDL);
    const sink = await openMysqlSink(url, { schema, truncate: true, loadMethod: method });
    await load(sink, targetOf(schema, `${name}.customer`, 3), [
      [1, 'c1'],
      [2, 'c2'],
      [3, 'c3'],
    ]);
    await load(sink, targetOf(schema, `${name}.log_entry`, 2), [
      [1, 1, 'hello'],
      [2, 3, 'world'],
    ]);
    await load(sink, targetOf(schema, `${name}.counter`, 2), [
      [1, 'k1'],
      [2, 'k2'],
    ]);
    await load(sink, targetOf(schema, `${name}.orders`, 1), [[1, 3]]);
    // Until the commit, other sessions see the MyISAM and Aria tables as they were.
    expect(await select(url, 'SELECT id, msg FROM log_entry ORDER BY id')).toEqual([
      { id: 1, msg: 'x' },
      { id: 2, msg: 'y' },
    ]);
    expect(await select(url, 'SELECT label FROM counter')).toEqual([{ label: 'home' }]);
    await sink.commit({ advanceSequences: true });
    expect(sink.notes).toEqual([`${name}.counter (Aria), ${name}.log_entry (MyISAM): loaded into a copy swapped in after the commit, since their engines cannot roll back`]);

    expect(await select(url, 'SELECT id, customer_id, msg FROM log_entry ORDER BY id')).toEqual([
      { id: 1, customer_id: 1, msg: 'hello' },
      { id: 2, customer_id: 3, msg: 'world' },
    ]);
    expect(await select(url, 'SELECT id, label FROM counter ORDER BY id')).toEqual([
      { id: 1, label: 'k1' },
      { id: 2, label: 'k2' },
    ]);
    expect(await select(url, `SELECT TABLE_NAME AS t, ENGINE AS e, AUTO_INCREMENT AS ai FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}' ORDER BY 1`)).toEqual([
      { t: 'counter', e: 'Aria', ai: '3' },
      { t: 'customer', e: 'InnoDB', ai: '4' },
      { t: 'log_entry', e: 'MyISAM', ai: '3' },
      { t: 'orders', e: 'InnoDB', ai: null },
    ]);
    // The swapped-in table has the original's indexes (FULLTEXT included), and the application's next insert gets the next key.
    expect(await select(url, `SELECT INDEX_NAME AS i, INDEX_TYPE AS k FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '${name}' AND TABLE_NAME = 'log_entry' ORDER BY 1`)).toEqual([
      { i: 'customer_id', k: 'BTREE' },
      { i: 'msg', k: 'FULLTEXT' },
      { i: 'PRIMARY', k: 'BTREE' },
    ]);
    await select(url, "INSERT INTO log_entry (customer_id, msg) VALUES (2, 'next')");
    expect(await select(url, "SELECT id FROM log_entry WHERE msg = 'next'")).toEqual([{ id: 3 }]);
    expect(await stagingTables(url, name)).toEqual([]);
  });

  it('without --truncate, a MyISAM table that has rows is kept as it is and an empty one is loaded through its copy', async () => {
    const { url, schema, name } = await database(`CREATE TABLE kept_log (id INT PRIMARY KEY, msg VARCHAR(20)) ENGINE=MyISAM;
      CREATE TABLE new_log (id INT PRIMARY KEY, msg VARCHAR(20)) ENGINE=MyISAM; INSERT INTO kept_log VALUES (1, 'mine')`);
    const sink = await openMysqlSink(url, { schema, truncate: false });
    expect(
      await sink.existingRows([
        { table: `${name}.kept_log`, columns: ['id'], limit: 10 },
        { table: `${name}.new_log`, columns: ['id'], limit: 10 },
      ]),
    ).toEqual([{ table: `${name}.kept_log`, rows: 1, more: false, values: { id: [1] } }]);
    await load(sink, targetOf(schema, `${name}.new_log`, 2), [
      [1, 'a'],
      [2, 'b'],
    ]);
    await sink.commit({ advanceSequences: true });
    expect(await select(url, 'SELECT id, msg FROM kept_log')).toEqual([{ id: 1, msg: 'mine' }]);
    expect(await select(url, 'SELECT id, msg FROM new_log ORDER BY id')).toEqual([
      { id: 1, msg: 'a' },
      { id: 2, msg: 'b' },
    ]);
    expect(await stagingTables(url, name)).toEqual([]);
  });

  it('with --truncate, a MyISAM table reads as empty to the seed (its rows are replaced by the swap)', async () => {
    const { url, schema, name } = await database('CREATE TABLE log (id INT PRIMARY KEY) ENGINE=MyISAM; INSERT INTO log VALUES (1)');
    const sink = await openMysqlSink(url, { schema, truncate: true });
    expect(await sink.existingRows([{ table: `${name}.log`, columns: ['id'], limit: 10 }])).toEqual([]);
    await load(sink, targetOf(schema, `${name}.log`, 1), [[1]]);
    await sink.commit({ advanceSequences: true });
    expect(await select(url, 'SELECT id FROM log')).toEqual([{ id: 1 }]);
  });

  it.each(methods)('a load that fails after its MyISAM and Aria copies are filled leaves every table as it was, AUTO_INCREMENT included (%s)', async (method) => {
    const { url, schema, name } = await database(MIXED_DDL);
    const before = await state(url, name);
    const sink = await openMysqlSink(url, { schema, truncate: true, loadMethod: method });
    // 65,535 is the largest SMALLINT UNSIGNED key: InnoDB moves the counter there and never rolls it back.
    await load(sink, targetOf(schema, `${name}.customer`, 2), [
      [1, 'c1'],
      [65535, 'last'],
    ]);
    await load(sink, targetOf(schema, `${name}.log_entry`, 2), [
      [1, 1, 'hello'],
      [500, 65535, 'world'],
    ]);
    await load(sink, targetOf(schema, `${name}.counter`, 2), [
      [1, 'k1'],
      [30000, 'k2'],
    ]);
    const failure = await failureOf(
      load(
        sink,
        targetOf(schema, `${name}.orders`, 2),
        [
          [1, 1],
          [1, 1],
        ],
        5,
      ),
    );
    expect(failure).toBeInstanceOf(ConnectionError);
    expect((failure as ConnectionError).message).toMatch(new RegExp(`loading ${name}\\.orders failed.*[Dd]uplicate`));
    expect((failure as ConnectionError).hint).toBe('Nothing was loaded: the whole load was rolled back.');
    await sink.rollback();
    expect(await state(url, name)).toEqual(before);
    // The application's next INSERT gets the key it would have had without the seed.
    await select(url, "INSERT INTO customer (name) VALUES ('app')");
    expect(await select(url, "SELECT id FROM customer WHERE name = 'app'")).toEqual([{ id: 4 }]);
  });

  it('an interrupt while LOAD DATA streams into a MyISAM copy (Ctrl-C) leaves the target as it was, AUTO_INCREMENT included', async () => {
    const { url, schema, name } = await database(MIXED_DDL);
    const before = await state(url, name);
    const sink = await openMysqlSink(url, { schema, truncate: true, loadMethod: 'load-data' });
    await load(sink, targetOf(schema, `${name}.customer`, 2), [
      [1, 'c1'],
      [65535, 'last'],
    ]);
    const writer = await sink.beginTable(targetOf(schema, `${name}.log_entry`, 3));
    await writer.write(Buffer.from('1\t1\thello\n2\t3\tworld\n'));
    await sink.rollback();
    await sink.rollback();
    expect(await state(url, name)).toEqual(before);
  });

  it('a rolled-back load into an InnoDB table sets its AUTO_INCREMENT back, and the next INSERT gets the id it would have had', async () => {
    const { url, schema, name } = await database(`CREATE TABLE item (id SMALLINT AUTO_INCREMENT PRIMARY KEY, v INT);
      INSERT INTO item (v) VALUES (1), (2), (3), (4), (5); DELETE FROM item WHERE id > 2`);
    const ai = async (): Promise<unknown> => (await select(url, `SELECT AUTO_INCREMENT AS ai FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}'`))[0]!['ai'];
    expect(await ai()).toBe('6');
    for (const method of methods) {
      const sink = await openMysqlSink(url, { schema, truncate: true, loadMethod: method });
      await load(sink, targetOf(schema, `${name}.item`, 2), [
        [1, 10],
        [32767, 20],
      ]);
      await sink.rollback();
      expect(await ai()).toBe('6');
    }
    await select(url, 'INSERT INTO item (v) VALUES (99)');
    expect(await select(url, 'SELECT id FROM item WHERE v = 99')).toEqual([{ id: 6 }]);
  });

  it('says what it could not undo, with the statement that would, instead of claiming a rollback', async () => {
    const { schema, name } = await database('CREATE TABLE item (id SMALLINT AUTO_INCREMENT PRIMARY KEY, v INT)');
    // A user who may write rows but not ALTER tables cannot set the counter back.
    const user = uniqueName('us_noalter_');
    users.push(user);
    await withAdmin(async (db) => {
      await run(db, `CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
      await run(db, `GRANT SELECT, INSERT, UPDATE, DELETE ON \`${name}\`.* TO '${user}'@'%'`);
    });
    const url = urlWith({ user, password: 'pw', database: name });
    const sink = await openMysqlSink(url, { schema, truncate: false, loadMethod: 'insert' });
    const failure = await failureOf(
      load(
        sink,
        targetOf(schema, `${name}.item`, 2),
        [
          [30000, 1],
          [30000, 1],
        ],
        1,
      ),
    );
    expect(failure).toBeInstanceOf(ConnectionError);
    const { message, hint } = failure as ConnectionError;
    expect(message).toMatch(/[Dd]uplicate.*the load was rolled back, but not all of it could be undone/);
    expect(message).toContain(`the AUTO_INCREMENT of ${name}.item is 30001, was 1`);
    expect(message).toContain(`ALTER TABLE \`${name}\`.\`item\` AUTO_INCREMENT = 1`);
    expect(hint).toMatch(/Run the statements named above/);
    expect(await select(urlWith({ database: name }), 'SELECT COUNT(*) AS n FROM item')).toEqual([{ n: '0' }]);
  });

  it('refuses tables that cannot roll back and cannot be staged, naming each and what to do, and changes nothing', async () => {
    const { url, schema, name } = await database(`
      CREATE TABLE film (film_id INT PRIMARY KEY, title VARCHAR(100) NOT NULL) ENGINE=InnoDB;
      CREATE TABLE film_text (film_id INT PRIMARY KEY, title VARCHAR(100) NOT NULL) ENGINE=MyISAM;
      CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME) ENGINE=MyISAM;
      CREATE TABLE part_a (id INT PRIMARY KEY) ENGINE=MyISAM;
      CREATE TABLE parts (id INT PRIMARY KEY) ENGINE=MRG_MyISAM UNION=(part_a) INSERT_METHOD=LAST;
      CREATE TRIGGER ins_film AFTER INSERT ON film FOR EACH ROW INSERT INTO film_text (film_id, title) VALUES (NEW.film_id, NEW.title);
      CREATE TRIGGER stamp BEFORE INSERT ON audit FOR EACH ROW SET NEW.at = NOW();
      INSERT INTO film VALUES (1, 'one')`);
    const before = await state(url, name);
    const error = await failureOf(openMysqlSink(url, { schema, truncate: true }));
    expect(error).toBeInstanceOf(UsageError);
    const { message, hint } = error as UsageError;
    expect(message).toContain(`${name}.film_text (MyISAM) is written by trigger ins_film on ${name}.film, outside the transaction`);
    expect(message).toContain(`${name}.audit (MyISAM) has trigger stamp, which would not run on a staging copy`);
    expect(message).toContain(`${name}.parts uses the MRG_MyISAM engine`);
    expect(hint).toContain(`ALTER TABLE \`${name}\`.\`film_text\` ENGINE=InnoDB;`);
    expect(await state(url, name)).toEqual(before);
  });

  it('drops the copies a killed load left (not introspected meanwhile), and leaves those of a running load alone', async () => {
    const { url, schema, name } = await database('CREATE TABLE m (id INT PRIMARY KEY) ENGINE=MyISAM; INSERT INTO m VALUES (1)');
    // A killed load leaves its copy and releases its lock (its session is gone).
    await select(url, 'CREATE TABLE understudy_stage_0badc0de_1 LIKE m');
    const seen = await introspect(url);
    expect(Object.keys(seen.tables)).toEqual([`${name}.m`]);
    expect(seen.notes.join('\n')).toContain(`${name}.understudy_stage_0badc0de_1: a staging copy left by a seed that was killed`);

    const running = await openMysqlSink(url, { schema, truncate: true });
    const mine = (await stagingTables(url, name)).map((r) => r['t']);
    expect(mine).toHaveLength(1);
    expect(mine[0]).not.toBe('understudy_stage_0badc0de_1');
    const other = await openMysqlSink(url, { schema, truncate: true });
    const both = (await stagingTables(url, name)).map((r) => r['t']);
    expect(both).toHaveLength(2);
    expect(both).toContain(mine[0]);
    await other.rollback();
    await running.rollback();
    expect(await stagingTables(url, name)).toEqual([]);
    expect(await select(url, 'SELECT id FROM m')).toEqual([{ id: 1 }]);
  });

  it('refuses --truncate when rows of another database point at a table it would empty, and deletes nothing', async () => {
    const { url, schema, name } = await database(`CREATE TABLE customer (id INT PRIMARY KEY) ENGINE=InnoDB;
      CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, FOREIGN KEY (customer_id) REFERENCES customer (id)) ENGINE=InnoDB;
      INSERT INTO customer VALUES (1), (2); INSERT INTO orders VALUES (1, 1)`);
    const other = uniqueName('understudy_billing_');
    created.push(other);
    await withAdmin(async (db) => {
      await run(db, `CREATE DATABASE \`${other}\``);
      await run(db, `CREATE TABLE \`${other}\`.invoice (id INT PRIMARY KEY, customer_id INT, FOREIGN KEY (customer_id) REFERENCES \`${name}\`.customer (id)) ENGINE=InnoDB`);
      await run(db, `INSERT INTO \`${other}\`.invoice VALUES (1, 2), (2, NULL), (3, 2)`);
    });
    const before = await state(url, name);
    const error = await failureOf(openMysqlSink(url, { schema, truncate: true }));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe(
      `--truncate would leave rows of tables outside this seed without their parents: ${other}.invoice (2 rows, foreign key invoice_ibfk_1 → ${name}.customer)`,
    );
    expect((error as UsageError).hint).toMatch(/Empty the referencing tables first \(or drop their foreign keys\), or seed without --truncate/);
    expect(await state(url, name)).toEqual(before);

    // A table of this database the seed does not fill counts as outside too.
    const { [`${name}.orders`]: _orders, ...withoutOrders } = schema.tables;
    const partial = await failureOf(openMysqlSink(url, { schema: { ...schema, tables: withoutOrders }, truncate: true }));
    expect((partial as UsageError).message).toContain(`${name}.orders (1 row, foreign key orders_ibfk_1 → ${name}.customer)`);

    // Rows whose key is NULL point at nothing: then --truncate may go ahead.
    await withAdmin((db) => run(db, `UPDATE \`${other}\`.invoice SET customer_id = NULL`));
    const sink = await openMysqlSink(url, { schema, truncate: true });
    await sink.rollback();
    expect(await state(url, name)).toEqual(before);
  });

  it('names the tables the target does not have', async () => {
    const { url, schema, name } = await database('CREATE TABLE a (id INT PRIMARY KEY)');
    const table = schema.tables[`${name}.a`]!;
    const wider = { ...schema, tables: { ...schema.tables, [`${name}.b`]: { ...table, name: 'b' }, [`${name}.c`]: { ...table, name: 'c' } } };
    const error = await failureOf(openMysqlSink(url, { schema: wider, truncate: false }));
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(new RegExp(`^the schema names tables ${name}\\.b, ${name}\\.c, which mysql://\\S+/${name} does not have$`));
    expect((error as UsageError).hint).toMatch(/run your migrations/);
  });
});
