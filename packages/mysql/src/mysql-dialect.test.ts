/**
 * The dialect object, and live introspection of MariaDB-specific shapes: several
 * databases at once, sequences, uuid/inet6 types, system-versioned tables, prefix and
 * hash unique keys, expression defaults, LIST and HASH partitioning.
 */
import { dialectForUrl, dialectInfo, SchemaModel, UsageError, type Schema } from '@understudy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from './mysql-dialect.js';
import { dropDatabase, run, TEST_MYSQL_URL, uniqueName, urlWith, withAdmin } from './test-mysql-server.js';

describe('mysqlDialect', () => {
  it('is the registry entry for mysql, with what it says', () => {
    const { name, displayName, aliases, urlSchemes, exampleUrl, embeddedEngine, sessionReset, capabilities, syntax } = mysqlDialect;
    expect({ name, displayName, aliases, urlSchemes, exampleUrl, embeddedEngine, sessionReset, capabilities, syntax }).toEqual(dialectInfo('mysql'));
    expect(urlSchemes).toEqual(['mysql', 'mariadb']);
    expect(capabilities).toMatchObject({ uncheckedForeignKeyLoad: true, disableTriggers: false, namespaces: false });
    expect(dialectForUrl([mysqlDialect], 'mariadb://u@h/db')).toBe(mysqlDialect);
  });

  it('has no embedded engine, and says which URL to give instead', async () => {
    expect(mysqlDialect.embeddedEngine).toBeNull();
    const error = await Promise.resolve()
      .then(() => mysqlDialect.openEmbedded({ ddl: { file: 'schema.sql' } }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('MySQL/MariaDB has no embedded engine: the tables need a server');
    expect((error as UsageError).hint).toContain('--url mysql://');
    expect(mysqlDialect.extensionsUsedBy(['CREATE TABLE t (id int)'])).toEqual([]);
  });
});

describe.skipIf(!TEST_MYSQL_URL)('live introspection on MariaDB', () => {
  const main = uniqueName('understudy_it_main_');
  const other = uniqueName('understudy_it_other_');
  let schema: Schema;

  beforeAll(async () => {
    await withAdmin(async (db) => {
      await run(db, `CREATE DATABASE ${main} CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
      await run(db, `CREATE DATABASE ${other}`);
      await run(db, `CREATE TABLE ${other}.account (id int PRIMARY KEY)`);
      await run(db, `CREATE SEQUENCE ${main}.invoice_seq START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 999999 CYCLE`);
      await run(
        db,
        `CREATE TABLE ${main}.invoice (
          id BIGINT NOT NULL DEFAULT NEXTVAL(${main}.invoice_seq) PRIMARY KEY,
          public_id UUID NOT NULL DEFAULT UUID(),
          client_ip INET6 NULL,
          account_id INT NOT NULL,
          title VARCHAR(200) NOT NULL,
          body LONGTEXT NOT NULL,
          amount FLOAT(7,2) NOT NULL DEFAULT 0,
          region VARCHAR(10) NOT NULL DEFAULT 'eu',
          created DATE NOT NULL DEFAULT (CURDATE()),
          UNIQUE KEY uq_title_prefix (title(20)),
          UNIQUE KEY uq_body (body),
          KEY idx_title_desc (title DESC),
          CONSTRAINT fk_invoice_account FOREIGN KEY (account_id) REFERENCES ${other}.account (id)
        )`,
      );
      await run(db, `CREATE TABLE ${main}.audit (id INT PRIMARY KEY, what VARCHAR(50)) WITH SYSTEM VERSIONING`);
      await run(
        db,
        `CREATE TABLE ${main}.by_region (id INT NOT NULL, region CHAR(2) NOT NULL, PRIMARY KEY (id, region))
         PARTITION BY LIST COLUMNS (region) (PARTITION p_eu VALUES IN ('de', 'fr'), PARTITION p_us VALUES IN ('us'))`,
      );
      await run(
        db,
        `CREATE TABLE ${main}.hashed (id INT NOT NULL, made DATE NOT NULL, PRIMARY KEY (id, made))
         PARTITION BY RANGE (YEAR(made)) SUBPARTITION BY HASH (id) SUBPARTITIONS 2
         (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN MAXVALUE)`,
      );
    });
    const connection = await mysqlDialect.connect(urlWith({ database: main }));
    try {
      schema = await connection.introspect({ schemas: [main, other] });
    } finally {
      await connection.close();
    }
  });
  afterAll(async () => {
    await dropDatabase(main);
    await dropDatabase(other);
  });

  it('reads several databases as namespaces, with FKs across them', () => {
    expect(schema.namespaces).toEqual([main, other].sort());
    expect(Object.keys(schema.tables).sort()).toEqual([`${main}.audit`, `${main}.by_region`, `${main}.hashed`, `${main}.invoice`, `${other}.account`].sort());
    expect(schema.tables[`${main}.invoice`]?.foreignKeys[0]?.references).toEqual({ table: `${other}.account`, columns: ['id'] });
    expect(SchemaModel.parse(schema)).toEqual(schema);
    expect(schema.serverVersion).toMatch(/^MariaDB /);
  });

  it('lists MariaDB sequences and the columns that draw from them', () => {
    expect(schema.sequences[`${main}.invoice_seq`]).toEqual({
      schema: main,
      name: 'invoice_seq',
      dataType: 'bigint',
      start: '1000',
      increment: '10',
      min: '1000',
      max: '999999',
      cycle: true,
    });
    const id = schema.tables[`${main}.invoice`]?.columns[0];
    expect(id?.default).toMatchObject({ kind: 'sequence', sequence: `${main}.invoice_seq` });
    expect(Object.keys(schema.tables)).not.toContain(`${main}.invoice_seq`);
  });

  it('maps uuid, inet6, float(m,d) and expression defaults', () => {
    const columns = schema.tables[`${main}.invoice`]!.columns;
    const col = (name: string) => columns.find((c) => c.name === name);
    expect(col('public_id')).toMatchObject({ kind: 'uuid', default: { kind: 'expression', expression: 'uuid()' } });
    expect(col('client_ip')).toMatchObject({ kind: 'inet', rawType: 'inet6' });
    expect(col('amount')).toMatchObject({ kind: 'real', precision: 7, scale: 2, default: { kind: 'literal', value: '0.00' } });
    expect(col('region')?.default).toEqual({ kind: 'literal', value: 'eu' });
    expect(col('created')?.default).toEqual({ kind: 'expression', expression: 'curdate()' });
    expect(col('body')).toMatchObject({ kind: 'text', length: 4294967295 });
  });

  it('models a prefix unique key as an expression and keeps hash unique keys', () => {
    const invoice = schema.tables[`${main}.invoice`]!;
    expect(invoice.uniques).toEqual([
      { name: 'uq_body', columns: ['body'], origin: 'constraint' },
      { name: 'uq_title_prefix', columns: [null], expressions: ['left(`title`, 20)'], origin: 'constraint' },
    ]);
    expect(invoice.indexes.find((i) => i.name === 'uq_body')?.method).toBe('hash');
    expect(invoice.indexes.find((i) => i.name === 'idx_title_desc')?.definition).toBe('CREATE INDEX `idx_title_desc` ON `invoice` (`title` DESC) USING BTREE');
  });

  it('reads system-versioned tables and LIST / RANGE+HASH partitioning', () => {
    expect(schema.tables[`${main}.audit`]?.columns.map((c) => c.name)).toEqual(['id', 'what']);
    expect(schema.notes).toContain(`${main}.audit: system-versioned table (history rows are not generated)`);
    expect(schema.tables[`${main}.by_region`]?.partitioning).toBe("LIST COLUMNS(region) (PARTITION p_eu VALUES IN ('de','fr'), PARTITION p_us VALUES IN ('us'))");
    expect(schema.tables[`${main}.hashed`]?.partitioning).toBe('RANGE(year(made)) SUBPARTITION BY HASH(id) (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN (MAXVALUE))');
  });

  it('introspects the URL database by default, and names databases that do not exist', async () => {
    const connection = await mysqlDialect.connect(urlWith({ database: other }));
    try {
      expect(connection.description).toBe(urlWith({ database: other }));
      expect((await connection.introspect()).namespaces).toEqual([other]);
      await expect(connection.introspect({ schemas: ['understudy_no_such_db'] })).rejects.toThrow('no database named "understudy_no_such_db"');
    } finally {
      await connection.close();
    }
  });

  it('gives byte-identical output on a second run', async () => {
    const connection = await mysqlDialect.connect(urlWith({ database: main }));
    try {
      expect(JSON.stringify(await connection.introspect({ schemas: [other, main] }))).toBe(JSON.stringify(schema));
    } finally {
      await connection.close();
    }
  });
});
