/**
 * The MySQL/MariaDB rehearsal target against the test server (UNDERSTUDY_TEST_MYSQL_URL):
 * the ALGORITHM/LOCK the server really accepts for each kind of ALTER, table rebuilds,
 * snapshots that see changed rows, the offending rows of each failure shape, and a
 * throwaway database that is gone after close(), also after a failed statement.
 */
import { ConnectionError, UsageError, type DataSnapshot, type RehearsalTarget, type Schema } from '@understudy/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALTER_ATTEMPTS, isAlterTable, withAlterClause, writtenAlter } from './mysql-alter-probe.js';
import { parseFailedStatement } from './mysql-failure-diagnosis.js';
import { createEncoder } from './mysql-load-data-encoder.js';
import { mysqlDialect } from './mysql-dialect.js';
import { openMysqlRehearsalTarget, REHEARSAL_DATABASE_PREFIX } from './mysql-rehearsal-target.js';
import { databasesLike, dropDatabase, run, TEST_MYSQL_URL, testUrl, uniqueName, urlWith, withAdmin } from './test-mysql-server.js';

describe('the ALTER clause the probe appends', () => {
  it('goes after the last token, before a trailing semicolon or comment, and not into a statement that names its own', () => {
    expect(withAlterClause('ALTER TABLE t ADD c int, ADD d int; -- two', 'ALGORITHM=INSTANT')).toBe('ALTER TABLE t ADD c int, ADD d int, ALGORITHM=INSTANT');
    expect(withAlterClause("alter table t add c varchar(5) default 'a;b' /* x */", 'ALGORITHM=COPY, LOCK=SHARED')).toBe("alter table t add c varchar(5) default 'a;b', ALGORITHM=COPY, LOCK=SHARED");
    expect(withAlterClause('ALTER TABLE t ADD INDEX i (c), ALGORITHM=INPLACE', 'ALGORITHM=INSTANT')).toBeUndefined();
    expect(withAlterClause('ALTER TABLE t ADD INDEX i (c), LOCK = NONE', 'ALGORITHM=INSTANT')).toBeUndefined();
    expect(withAlterClause('CREATE UNIQUE INDEX ix ON `t` (c);', 'ALGORITHM=INPLACE, LOCK=NONE')).toBe('CREATE UNIQUE INDEX ix ON `t` (c) ALGORITHM=INPLACE LOCK=NONE');
    expect(withAlterClause('DROP INDEX ix ON t', 'ALGORITHM=COPY, LOCK=SHARED')).toBe('DROP INDEX ix ON t ALGORITHM=COPY LOCK=SHARED');
    expect(withAlterClause('CREATE TABLE t (id int)', 'ALGORITHM=INSTANT')).toBeUndefined();
    expect(isAlterTable('ALTER ONLINE IGNORE TABLE t ADD c int')).toBe(true);
    expect(isAlterTable('ALTER VIEW v AS SELECT 1')).toBe(false);
    expect(ALTER_ATTEMPTS.map((a) => `${a.algorithm}/${a.lock}`)).toEqual(['INSTANT/NONE', 'INPLACE/NONE', 'INPLACE/SHARED', 'INPLACE/EXCLUSIVE', 'COPY/SHARED', 'COPY/EXCLUSIVE']);
  });

  it('reads how a statement it does not probe runs from its own text: the named ALGORITHM and LOCK, a repartitioning as a copy', () => {
    expect(writtenAlter('ALTER TABLE t MODIFY c bigint, ALGORITHM=COPY')).toEqual({ algorithm: 'COPY', lock: 'SHARED' });
    expect(writtenAlter('ALTER TABLE t ADD INDEX i (c), ALGORITHM = INPLACE, LOCK = EXCLUSIVE;')).toEqual({ algorithm: 'INPLACE', lock: 'EXCLUSIVE' });
    expect(writtenAlter('ALTER TABLE t ADD c int, ALGORITHM=INSTANT')).toEqual({ algorithm: 'INSTANT', lock: 'NONE' });
    expect(writtenAlter('alter table t add index i (c), lock=shared')).toEqual({ algorithm: 'INPLACE', lock: 'SHARED' });
    expect(writtenAlter('CREATE INDEX i ON t (c) ALGORITHM=NOCOPY LOCK=NONE')).toEqual({ algorithm: 'INPLACE', lock: 'NONE' });
    expect(writtenAlter('ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 4')).toEqual({ algorithm: 'COPY', lock: 'SHARED' });
    expect(writtenAlter('ALTER TABLE t REMOVE PARTITIONING')).toEqual({ algorithm: 'COPY', lock: 'SHARED' });
    // Left to the server: nothing is claimed.
    expect(writtenAlter('ALTER TABLE t ADD c int, ALGORITHM=DEFAULT, LOCK=DEFAULT')).toBeUndefined();
    expect(writtenAlter('ALTER TABLE t ADD c int')).toBeUndefined();
    expect(writtenAlter('CREATE TABLE t (id int) PARTITION BY HASH (id)')).toBeUndefined();
  });

  it('reads what a failed statement asked of existing rows, clause by clause', () => {
    expect(parseFailedStatement('ALTER TABLE `shop`.`users` MODIFY COLUMN email varchar(80) NOT NULL, ADD CONSTRAINT uq UNIQUE KEY uq (code(4), region)')).toEqual({
      table: 'users',
      clauses: [
        { kind: 'column', column: 'email', type: 'varchar', args: [80], unsigned: false, notNull: true },
        { kind: 'unique', columns: ['code', 'region'], prefixes: [4, undefined] },
      ],
    });
    expect(parseFailedStatement('alter table t change qty quantity int unsigned, add check (quantity > 0 and (price >= 0))')?.clauses).toEqual([
      { kind: 'column', column: 'qty', type: 'int', args: [], unsigned: true, notNull: false },
      { kind: 'check', expression: 'quantity > 0 and (price >= 0)' },
    ]);
    expect(parseFailedStatement('CREATE UNIQUE INDEX ix ON t (a, b)')).toEqual({ table: 't', clauses: [{ kind: 'unique', columns: ['a', 'b'], prefixes: [undefined, undefined] }] });
    expect(parseFailedStatement('UPDATE t SET a = 1')).toBeUndefined();
  });
});

describe('openMysqlRehearsalTarget without a server', () => {
  it('says that MySQL rehearsals need --url or --container', async () => {
    const error = await openMysqlRehearsalTarget({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(String((error as UsageError).message)).toMatch(/MySQL\/MariaDB rehearsals need a server/);
    expect((error as UsageError).hint).toMatch(/--url mysql:\/\/.*--container/);
  });
});

const schemataHas = (name: string): Promise<boolean> => databasesLike(name).then((found) => found.includes(name));

describe.skipIf(!TEST_MYSQL_URL)('the MySQL/MariaDB rehearsal target on MariaDB', () => {
  let target: RehearsalTarget & { readonly database: string };
  const urlDatabase = TEST_MYSQL_URL ? decodeURIComponent(new URL(TEST_MYSQL_URL).pathname.slice(1)) || 'rehearsal' : 'rehearsal';
  const key = (table: string): string => `${urlDatabase}.${table}`;

  beforeAll(async () => {
    target = await openMysqlRehearsalTarget({ url: testUrl() });
    await target.execute('CREATE TABLE items (id int PRIMARY KEY, name varchar(50) NULL, code varchar(20), qty int, price decimal(8,2))');
    const insert = await target.execute(
      "INSERT INTO items VALUES (1, 'apple', '10', 5, 1.50), (2, 'pear', '20', 0, 2.00), (3, NULL, 'x12', -1, 3.25), (4, 'plum', '20', 7, NULL), (5, NULL, '30', 2, 0.99)",
    );
    expect(insert.rowsAffected).toBe(5);
  });

  afterAll(async () => {
    if (target) await target.close();
  });

  it('creates a throwaway database named understudy_rehearse_… and describes it without a password', async () => {
    expect(target.database.startsWith(REHEARSAL_DATABASE_PREFIX)).toBe(true);
    expect(await schemataHas(target.database)).toBe(true);
    expect(target.description).toContain(`/${target.database}`);
    expect(target.url).toContain(`/${target.database}`);
    expect(target.dialect).toBe('mysql');
    expect(target.transactionalDdl).toBe(false);
    expect(mysqlDialect.openRehearsalTarget).toBeTypeOf('function');
  });

  it('names the throwaway database like the URL database in its Schema, so reports are stable', async () => {
    const schema = await target.introspect();
    expect(Object.keys(schema.tables)).toContain(key('items'));
    expect(JSON.stringify({ ...schema, source: '' })).not.toContain(target.database);
    expect(schema.source).toBe(target.description); // where it really is
    expect(schema.tables[key('items')]!.primaryKey?.columns).toEqual(['id']);
  });

  it('probes ADD COLUMN (nullable) as INSTANT, without a rebuild', async () => {
    const trace = await target.execute('ALTER TABLE items ADD COLUMN note varchar(10) NULL');
    expect(trace.alter).toEqual({ algorithm: 'INSTANT', lock: 'NONE' });
    expect(trace.rewrites).toEqual([]);
    expect(trace.locks).toEqual([]);
    expect(trace.rowsAffected).toBeNull();
    expect(trace.durationMs).toBeGreaterThan(0);
  });

  it('probes ADD INDEX as INPLACE with LOCK=NONE, without a rebuild', async () => {
    const trace = await target.execute('ALTER TABLE items ADD INDEX ix_name (name);');
    expect(trace.alter).toEqual({ algorithm: 'INPLACE', lock: 'NONE' });
    expect(trace.rewrites).toEqual([]);
    const schema = await target.introspect();
    expect(schema.tables[key('items')]!.indexes.map((i) => i.name)).toContain('ix_name');
  });

  it('probes CREATE INDEX and DROP INDEX (ALTER TABLE by another name) too', async () => {
    const created = await target.execute('CREATE INDEX ix_code ON items (code)');
    expect(created.alter).toEqual({ algorithm: 'INPLACE', lock: 'NONE' });
    const dropped = await target.execute('DROP INDEX ix_code ON items');
    const [{ v }] = (await target.query!('SELECT VERSION() AS v')) as [{ v: string }];
    // MariaDB's DROP INDEX takes no ALGORITHM/LOCK option (a syntax error): it runs as written, unprobed.
    if (/mariadb/i.test(v)) expect(dropped.alter).toBeUndefined();
    else expect(dropped.alter?.lock).toBe('NONE');
    expect(dropped.rewrites).toEqual([]);
    expect((await target.introspect()).tables[key('items')]!.indexes.map((i) => i.name)).not.toContain('ix_code');
  });

  it('probes a column type change as COPY with LOCK=SHARED, and reports the table rewrite', async () => {
    const trace = await target.execute('ALTER TABLE items MODIFY qty bigint');
    expect(trace.alter).toEqual({ algorithm: 'COPY', lock: 'SHARED' });
    expect(trace.rewrites).toEqual([{ relation: key('items'), kind: 'table' }]);
    const schema = await target.introspect();
    expect(schema.tables[key('items')]!.columns.find((c) => c.name === 'qty')!.kind).toBe('bigint');
  });

  it('probes DROP PRIMARY KEY (with no new one) as COPY with LOCK=SHARED', async () => {
    await target.execute('CREATE TABLE tags (id int PRIMARY KEY, label varchar(20))');
    await target.execute("INSERT INTO tags VALUES (1, 'a'), (2, 'b')");
    const trace = await target.execute('ALTER TABLE tags DROP PRIMARY KEY');
    expect(trace.alter).toEqual({ algorithm: 'COPY', lock: 'SHARED' });
    expect(trace.rewrites).toEqual([{ relation: key('tags'), kind: 'table' }]);
    expect((await target.introspect()).tables[key('tags')]!.primaryKey).toBeUndefined();
  });

  it('runs an ALTER that rejects the clause (PARTITION BY) as written, and reports it as the copy a repartitioning is', async () => {
    await target.execute('CREATE TABLE events (id int PRIMARY KEY, at date)');
    const trace = await target.execute('ALTER TABLE events PARTITION BY HASH(id) PARTITIONS 2');
    expect(trace.alter).toEqual({ algorithm: 'COPY', lock: 'SHARED' });
    expect((await target.introspect()).tables[key('events')]!.kind).toBe('partitioned');
  });

  it('throws the engine error unchanged for an ALTER that fails on its own (no probe hides it)', async () => {
    await expect(target.execute('ALTER TABLE items DROP COLUMN no_such_column')).rejects.toMatchObject({ errno: 1091 });
  });

  it('snapshots counts, NULLs and per-row checksums, and sees exactly the changed row', async () => {
    const schema = await target.introspect();
    const before = await target.snapshot(schema);
    const items = before.tables[key('items')]!;
    expect(items.rows).toBe(5);
    expect(items.columns['name']).toEqual({ nulls: 2, distinct: 3, min: 'apple', max: 'plum', maxLength: 5 });
    expect(items.columns['qty']).toMatchObject({ nulls: 0, distinct: 5, min: '-1', max: '7' });
    expect(items.columns['price']).toMatchObject({ nulls: 1, min: '0.99', max: '3.25', maxLength: 4 });
    expect(Object.keys(items.rowChecksums!).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(before.tables[key('tags')]!.rowChecksums).toBeUndefined(); // no primary key any more
    expect(before.tables[key('tags')]!.rows).toBe(2);

    await target.begin();
    const update = await target.execute("-- a comment first\nUPDATE items SET name = 'quince' WHERE id = 2");
    await target.execute('DELETE FROM items WHERE id = 5');
    await target.commit();
    expect(update.rowsAffected).toBe(1);

    const after = await target.snapshot(schema);
    const changed = after.tables[key('items')]!;
    expect(changed.rows).toBe(4);
    expect(changed.columns['name']).toMatchObject({ nulls: 1, max: 'quince' });
    const differing = (a: DataSnapshot, b: DataSnapshot): string[] =>
      Object.keys(a.tables[key('items')]!.rowChecksums!).filter((k) => a.tables[key('items')]!.rowChecksums![k] !== b.tables[key('items')]!.rowChecksums![k]);
    expect(differing(before, after)).toEqual(['2', '5']);
    const nameHashes = (s: DataSnapshot): Record<string, string> => s.tables[key('items')]!.columnValueHashes!['name']!;
    expect(Object.keys(nameHashes(before)).filter((k) => nameHashes(before)[k] !== nameHashes(after)[k])).toEqual(['2', '5']);
    expect(changed.columnChecksums!['name']).not.toBe(items.columnChecksums!['name']);
    expect(changed.columnChecksums!['code']).not.toBe(items.columnChecksums!['code']); // row 5 is gone
    await target.execute("INSERT INTO items (id, name, code, qty, price) VALUES (5, NULL, '30', 2, 0.99)");
  });

  it('snapshots every kind of column (bytes, bits, JSON, geometry, enum, set, dates, floats)', async () => {
    await target.execute(
      "CREATE TABLE kinds (id int PRIMARY KEY, b blob, bt bit(3), j json, g point, e enum('a','b'), st set('x','y'), d date, f double, tm time, y year, u varchar(36) COLLATE utf8mb4_bin)",
    );
    await target.execute(
      "INSERT INTO kinds VALUES (1, x'00ff', b'101', '{\"k\": 1}', POINT(1, 2), 'a', 'x,y', '2024-02-29', 1.5, '10:00:00', 2024, 'Ab'), (2, NULL, b'001', NULL, NULL, 'b', '', NULL, -0.25, NULL, NULL, 'ab')",
    );
    const schema = await target.introspect();
    const before = (await target.snapshot(schema)).tables[key('kinds')]!;
    expect(before.rows).toBe(2);
    expect(before.columns['b']).toMatchObject({ nulls: 1, distinct: 1, min: null, max: null });
    expect(before.columns['bt']).toMatchObject({ nulls: 0, distinct: 2, min: '1', max: '5' });
    expect(before.columns['g']).toMatchObject({ nulls: 1, distinct: 1 });
    expect(before.columns['e']).toMatchObject({ min: 'a', max: 'b', maxLength: 1 });
    expect(before.columns['d']).toMatchObject({ nulls: 1, min: '2024-02-29', max: '2024-02-29' });
    expect(before.columns['f']).toMatchObject({ min: '-0.25', max: '1.5' });
    expect(before.columns['u']).toMatchObject({ distinct: 2 }); // a binary collation tells Ab from ab
    await target.execute("UPDATE kinds SET b = x'00fe' WHERE id = 1");
    const after = (await target.snapshot(schema)).tables[key('kinds')]!;
    expect(Object.keys(before.rowChecksums!).filter((k) => before.rowChecksums![k] !== after.rowChecksums![k])).toEqual(['1']);
    const changedColumns = Object.keys(before.columnValueHashes!).filter((c) => JSON.stringify(before.columnValueHashes![c]) !== JSON.stringify(after.columnValueHashes![c]));
    expect(changedColumns).toEqual(['b']);
    expect(Object.keys(before.columnChecksums!).filter((c) => before.columnChecksums![c] !== after.columnChecksums![c])).toEqual(['b']);
    await target.execute('DROP TABLE kinds');
  });

  it("keeps a value's hash when its type only widens the fraction (TIMESTAMP → TIMESTAMP(6), flipt's migration 11; DECIMAL scale), not when it rounds", async () => {
    await target.execute('CREATE TABLE stamps (id int PRIMARY KEY, at timestamp NULL, dt datetime NULL, tm time NULL, amount decimal(8,2) NULL, rounded decimal(8,2) NULL)');
    await target.execute(
      "INSERT INTO stamps VALUES (1, '2024-05-01 10:00:00', '2024-05-01 10:20:00', '10:00:00', 1.50, 1.25), (2, NULL, NULL, NULL, NULL, 2.00), (3, '2024-05-02 00:00:00', '2024-05-03 00:00:00', '00:00:00', 10.00, 3.10)",
    );
    const before = (await target.snapshot(await target.introspect())).tables[key('stamps')]!;
    await target.execute('ALTER TABLE stamps MODIFY at timestamp(6) NULL, MODIFY dt datetime(3) NULL, MODIFY tm time(6) NULL, MODIFY amount decimal(12,4) NULL, MODIFY rounded decimal(8,1) NULL');
    const after = (await target.snapshot(await target.introspect())).tables[key('stamps')]!;
    const changedRows = (column: string): string[] => Object.keys(before.columnValueHashes![column]!).filter((k) => before.columnValueHashes![column]![k] !== after.columnValueHashes![column]![k]);
    const [sample] = await target.query!('SELECT CAST(at AS char) AS at, CAST(amount AS char) AS amount FROM stamps WHERE id = 1');
    expect(sample).toEqual({ at: '2024-05-01 10:00:00.000000', amount: '1.5000' }); // the engine does print the new digits
    expect(['at', 'dt', 'tm', 'amount'].map(changedRows)).toEqual([[], [], [], []]);
    expect(changedRows('rounded')).toEqual(['1']); // 1.25 → 1.3; 2.00 → 2.0 and 3.10 → 3.1 are the same numbers
    await target.execute("UPDATE stamps SET at = '2024-05-01 10:00:00.5' WHERE id = 3");
    const moved = (await target.snapshot(await target.introspect())).tables[key('stamps')]!;
    expect(Object.keys(after.rowChecksums!).filter((k) => after.rowChecksums![k] !== moved.rowChecksums![k])).toEqual(['3']);
    await target.execute('DROP TABLE stamps');
  });

  it('rolls back DML in a transaction', async () => {
    await target.begin();
    await target.execute('DELETE FROM items');
    await target.rollback();
    const snapshot = await target.snapshot(await target.introspect());
    expect(snapshot.tables[key('items')]!.rows).toBe(5);
  });

  const failure = async (statement: string): Promise<unknown> => {
    const error = await target.execute(statement).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `${statement} should fail`).toBeDefined();
    return error;
  };

  it('diagnoses MODIFY … NOT NULL over NULLs with the NULL rows', async () => {
    const statement = 'ALTER TABLE items MODIFY name varchar(50) NOT NULL';
    const error = await failure(statement);
    const found = await target.diagnose(statement, error, await target.introspect());
    expect(found).toMatchObject({ description: `rows of ${key('items')} where name IS NULL`, total: 2 });
    expect(found!.rows).toEqual([
      { id: '3', name: null },
      { id: '5', name: null },
    ]);
    expect(found!.query).toBe('SELECT `id`, `name` FROM `items` WHERE `name` IS NULL');
  });

  it('diagnoses ADD UNIQUE over duplicates with the duplicate groups', async () => {
    const statement = 'ALTER TABLE items ADD CONSTRAINT uq_code UNIQUE (code)';
    const error = await failure(statement);
    const found = await target.diagnose(statement, error, await target.introspect());
    expect(found).toMatchObject({ description: `groups of rows of ${key('items')} with the same code`, total: 1 });
    expect(found!.rows).toEqual([{ code: '20', rows: '2' }]);
  });

  it('diagnoses MODIFY … INT over values that are not integers', async () => {
    const statement = 'ALTER TABLE items MODIFY code INT';
    const error = await failure(statement);
    const found = await target.diagnose(statement, error, await target.introspect());
    expect(found).toMatchObject({ total: 1 });
    expect(found!.description).toMatch(/whose code has values that are not int integers/);
    expect(found!.rows).toEqual([{ id: '3', code: 'x12' }]);
  });

  it('diagnoses an added CHECK that existing rows violate', async () => {
    const statement = 'ALTER TABLE items ADD CONSTRAINT qty_positive CHECK (qty > 0)';
    const error = await failure(statement);
    expect((error as { errno?: number }).errno).toBe(4025);
    const found = await target.diagnose(statement, error, await target.introspect());
    expect(found).toMatchObject({ description: `rows of ${key('items')} that violate CHECK (qty > 0)`, total: 2 });
    expect(found!.rows.map((r) => [r['id'], r['qty']])).toEqual([
      ['2', '0'],
      ['3', '-1'],
    ]);
  });

  it('diagnoses ADD FOREIGN KEY over rows without a parent, and narrowing types (ENUM, VARBINARY, TINYTEXT), counting as SQL does', async () => {
    await target.execute('CREATE TABLE shelves (id int PRIMARY KEY)');
    await target.execute('INSERT INTO shelves VALUES (0), (1)');
    await target.execute("CREATE TABLE books (id int PRIMARY KEY, shelf int, state enum('new','used','lost'), isbn varbinary(16), blurb text)");
    await target.execute(
      "INSERT INTO books VALUES (1, 0, 'new', x'0102', 'short'), (2, 1, 'lost', x'01020304', REPEAT('x', 300)), (3, 2, 'used', NULL, NULL), (4, NULL, 'lost', x'0a0b0c', REPEAT('é', 200)), (5, 7, 'new', x'01', 'y')",
    );
    const schema = await target.introspect();
    const count = async (query: string): Promise<number> => Number((await target.query!(query))[0]!['n']);

    const fk = 'ALTER TABLE books ADD CONSTRAINT books_shelf FOREIGN KEY (shelf) REFERENCES shelves (id)';
    const error = await failure(fk);
    expect((error as { errno?: number }).errno).toBe(1452);
    const orphans = await target.diagnose(fk, error, schema);
    expect(orphans).toMatchObject({ description: `rows of ${key('books')} whose (shelf) has no match in shelves (id)` });
    expect(orphans!.total).toBe(await count('SELECT COUNT(*) AS n FROM books b WHERE b.shelf IS NOT NULL AND b.shelf NOT IN (SELECT id FROM shelves)'));
    expect(orphans!.rows).toEqual([
      { id: '3', shelf: '2' },
      { id: '5', shelf: '7' },
    ]);

    const enumNarrowing = "ALTER TABLE books MODIFY state enum('new','used')";
    const lost = await target.diagnose(enumNarrowing, await failure(enumNarrowing), schema);
    expect(lost!.total).toBe(await count("SELECT COUNT(*) AS n FROM books WHERE state = 'lost'"));
    expect(lost!.rows.map((r) => r['id'])).toEqual(['2', '4']);

    const shorterBytes = 'ALTER TABLE books MODIFY isbn varbinary(2)';
    const long = await target.diagnose(shorterBytes, await failure(shorterBytes), schema);
    expect(long!.total).toBe(await count('SELECT COUNT(*) AS n FROM books WHERE LENGTH(isbn) > 2'));
    expect(long!.total).toBe(2);

    // 200 × 'é' is 200 characters but 400 bytes: TINYTEXT holds 255 bytes.
    const tiny = 'ALTER TABLE books MODIFY blurb tinytext';
    const tooLong = await target.diagnose(tiny, await failure(tiny), schema);
    expect(tooLong!.description).toContain('values longer than tinytext holds (255 bytes)');
    expect(tooLong!.total).toBe(await count('SELECT COUNT(*) AS n FROM books WHERE LENGTH(blurb) > 255'));
    expect(tooLong!.rows.map((r) => r['id'])).toEqual(['2', '4']);
    await target.execute('DROP TABLE books');
    await target.execute('DROP TABLE shelves');
  });

  it('says nothing for a failure of no known shape', async () => {
    const statement = 'ALTER TABLE items ADD COLUMN name int';
    const error = await failure(statement);
    expect(await target.diagnose(statement, error, await target.introspect())).toBeUndefined();
  });

  it('runs user-check queries with JSON-able values', async () => {
    expect(await target.query!('SELECT COUNT(*) AS n, SUM(price) AS total FROM items')).toEqual([{ n: '5', total: '7.74' }]); // BIGINT and DECIMAL as text: exact
  });

  it('loads through the LOAD DATA sink into the throwaway database, not the URL database', async () => {
    await target.execute('CREATE TABLE colours (id int PRIMARY KEY, label varchar(20) NOT NULL)');
    const schema = await target.introspect();
    const table = schema.tables[key('colours')]!;
    const columns = table.columns.map((c) => ({ name: c.name, kind: c.kind, arrayDimensions: c.arrayDimensions, rawType: c.rawType }));
    // The seed step loads the tables it is given; the others keep their rows.
    const sink = await target.openSink({ ...schema, tables: { [key('colours')]: table } });
    const writer = await sink.beginTable({ table: key('colours'), columns, rows: 2 });
    await writer.write(
      createEncoder(
        columns,
        {},
      )([
        [1, 'red'],
        [2, 'green'],
      ]),
    );
    await writer.end();
    await sink.commit({ advanceSequences: false });
    expect(await target.query!('SELECT id, label FROM colours ORDER BY id')).toEqual([
      { id: 1, label: 'red' },
      { id: 2, label: 'green' },
    ]);
    const inUrlDatabase = await withAdmin(
      async (db) => (await sql<{ n: unknown }>`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${urlDatabase} AND TABLE_NAME = 'colours'`.execute(db)).rows[0]?.n,
    );
    expect(Number(inUrlDatabase)).toBe(0);
  });
});

describe.skipIf(!TEST_MYSQL_URL)('closing a MySQL/MariaDB rehearsal target', () => {
  it('drops the throwaway database, also after a statement failed', async () => {
    const target = await openMysqlRehearsalTarget({ url: testUrl() });
    await target.execute('CREATE TABLE t (id int PRIMARY KEY, v int)');
    await target.execute('INSERT INTO t VALUES (1, NULL)');
    await expect(target.execute('ALTER TABLE t MODIFY v int NOT NULL')).rejects.toBeDefined();
    expect(await schemataHas(target.database)).toBe(true);
    await target.close();
    expect(await schemataHas(target.database)).toBe(false);
    await target.close(); // twice is harmless
  });

  it('drops it even while a load into it was left open (the open load is rolled back)', async () => {
    const target = await openMysqlRehearsalTarget({ url: testUrl() });
    await target.execute('CREATE TABLE t (id int PRIMARY KEY)');
    const schema = await target.introspect();
    const sink = await target.openSink(schema);
    await sink.beginTable({ table: Object.keys(schema.tables)[0]!, columns: [{ name: 'id', kind: 'integer', arrayDimensions: 0, rawType: 'int' }], rows: 1 });
    await target.close();
    expect(await schemataHas(target.database)).toBe(false);
  });

  it('explains that a user without CREATE privilege cannot rehearse, and how to grant just enough', async () => {
    const user = uniqueName('understudy_nocreate_');
    await withAdmin(async (db) => {
      await run(db, `CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
      await run(db, `CREATE USER '${user}'@'localhost' IDENTIFIED BY 'pw'`);
    });
    try {
      const error = await openMysqlRehearsalTarget({ url: urlWith({ user, password: 'pw' }) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).message).toContain(`user "${user}" may not create databases`);
      expect((error as ConnectionError).message).not.toContain(':pw@');
      expect((error as ConnectionError).hint).toContain('GRANT ALL ON `understudy\\_rehearse\\_%`.*');
    } finally {
      await withAdmin(async (db) => {
        await run(db, `DROP USER IF EXISTS '${user}'@'%'`);
        await run(db, `DROP USER IF EXISTS '${user}'@'localhost'`);
      });
    }
  });

  it('keeps it with keep: true', async () => {
    const target = await openMysqlRehearsalTarget({ url: testUrl(), keep: true });
    try {
      await target.close();
      expect(await schemataHas(target.database)).toBe(true);
    } finally {
      await dropDatabase(target.database);
    }
  });
});

/** Used by the type checker only: a Schema stays assignable to what snapshot() takes. */
export type { Schema };
