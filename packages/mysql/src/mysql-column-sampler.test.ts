/**
 * sampleMysqlColumns on MariaDB (UNDERSTUDY_TEST_MYSQL_URL): every column as text (JSON,
 * binary, spatial, BIT), NULLs kept, long values cut, a random sample of a small table, the
 * bounded read of a big one, inside a read-only transaction.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMysqlColumns } from './mysql-column-sampler.js';
import { mysqlDialect, type MysqlConnection } from './mysql-dialect.js';
import { dropDatabase, loadDirectly, TEST_MYSQL_URL, uniqueName, urlWith } from './test-mysql-server.js';

describe.skipIf(!TEST_MYSQL_URL)('sampleMysqlColumns (MariaDB)', () => {
  const name = uniqueName('understudy_sampler_');
  let conn: MysqlConnection;

  beforeAll(async () => {
    await loadDirectly(
      name,
      `
      CREATE TABLE people (id int PRIMARY KEY, email varchar(80), doc JSON, photo varbinary(20), flags BIT(3), spot POINT, note TEXT);
      INSERT INTO people SELECT seq, IF(seq % 5 = 0, NULL, CONCAT('p', seq, '@example.org')), JSON_OBJECT('n', seq), CAST('hello' AS BINARY), b'101',
        POINT(seq, 1), REPEAT('x', 5000) FROM seq_1_to_50;
      CREATE TABLE big (id int PRIMARY KEY, v varchar(20));
      INSERT INTO big SELECT seq, CONCAT('v', seq) FROM seq_1_to_60000;
      ANALYZE TABLE people, big;`,
    );
    conn = (await mysqlDialect.connect(urlWith({ database: name }))) as MysqlConnection;
  }, 60_000);

  afterAll(async () => {
    await conn?.close();
    await dropDatabase(name);
  });

  it('reads every column as text, keeps NULLs and cuts long values', async () => {
    const schema = await conn.introspect();
    const sample = await sampleMysqlColumns(conn.db, schema.tables[`${name}.people`]!, { limit: 20, maxValueLength: 100 });
    expect(sample.rows).toBe(20);
    expect(sample.method).toBe('ORDER BY RAND() LIMIT 20');
    const ids = sample.values.get('id')!.map(Number);
    expect(new Set(ids).size).toBe(20);
    sample.values.get('email')!.forEach((email, i) => expect(email).toBe(ids[i]! % 5 === 0 ? null : `p${ids[i]}@example.org`));
    expect(JSON.parse(sample.values.get('doc')![0]!)).toEqual({ n: ids[0] });
    expect(sample.values.get('photo')![0]).toBe('hello');
    expect(sample.values.get('flags')![0]).toBe('5');
    expect(sample.values.get('spot')![0]).toBe(`POINT(${ids[0]} 1)`);
    expect(sample.values.get('note')![0]).toHaveLength(100);
  });

  it('reads a big table with a bounded read, in a read-only transaction', async () => {
    const schema = await conn.introspect();
    const big = await sampleMysqlColumns(conn.db, schema.tables[`${name}.big`]!, { limit: 100 });
    expect(big.rows).toBe(100);
    expect(big.method).toMatch(/^WHERE RAND\(\) < [\d.]+ LIMIT 100 \(bounded read\)$/);
    // a view whose rows write: read through the sampler, the write is refused
    await sql.raw(`CREATE TABLE probe_log (x int)`).execute(conn.db);
    await sql.raw(`CREATE FUNCTION write_probe() RETURNS int NOT DETERMINISTIC MODIFIES SQL DATA BEGIN INSERT INTO probe_log VALUES (1); RETURN 1; END`).execute(conn.db);
    await sql.raw(`CREATE VIEW probe_view AS SELECT write_probe() AS w`).execute(conn.db);
    const view = { ...schema.tables[`${name}.big`]!, name: 'probe_view', columns: [{ name: 'w', rawType: 'int', kind: 'integer' as const, nullable: true, arrayDimensions: 0 }] };
    await expect(sampleMysqlColumns(conn.db, view, { limit: 1 })).rejects.toThrow(/READ ONLY/i);
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM probe_log`.execute(conn.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});
