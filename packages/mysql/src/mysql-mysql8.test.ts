/**
 * MySQL 8 through testcontainers: the catalog paths MariaDB does not have
 * (CHECK_CONSTRAINTS without TABLE_NAME, TABLE_CONSTRAINTS.ENFORCED, functional key
 * parts in STATISTICS.EXPRESSION, a real JSON type, raw string defaults with
 * DEFAULT_GENERATED). Needs a container runtime (Docker); skipped, with a message,
 * where there is none.
 */
import { fileURLToPath } from 'node:url';
import { MySqlContainer, type StartedMySqlContainer } from '@testcontainers/mysql';
import { countSchema, type Schema } from '@understudy/core';
import { getContainerRuntimeClient } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from './mysql-dialect.js';
import { openMysql } from './mysql-pool.js';
import { parseMysqlUrl } from './mysql-url.js';
import { run } from './test-mysql-server.js';

async function containerRuntime(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch (error) {
    console.warn(`no container runtime (${(error as Error).message}): skipping the MySQL 8 tests`);
    return false;
  }
}

const hasDocker = await containerRuntime();
const fixture = (path: string): string => fileURLToPath(new URL(`../../../fixtures/schemas/${path}`, import.meta.url));

describe.skipIf(!hasDocker)('MySQL 8 (testcontainers)', () => {
  let container: StartedMySqlContainer;
  let url: string;

  beforeAll(async () => {
    container = await new MySqlContainer('mysql:8.0').withRootPassword('understudy-root').start();
    url = container.getConnectionUri(true);
  }, 600_000);
  afterAll(async () => {
    await container?.stop();
  });

  it('reads the hard cases: real JSON, CHECK constraints joined through TABLE_CONSTRAINTS', async () => {
    const schema = await mysqlDialect.introspectSqlFile(fixture('hard-cases/mysql.sql'), { url });
    expect(schema.serverVersion).toMatch(/^MySQL 8\.\d+\.\d+$/);
    const c = countSchema(schema);
    // As on MariaDB, less the automatic json_valid check: MySQL has a JSON type.
    expect([c.tables, c.columns, c.foreignKeys, c.uniques, c.checks, c.views]).toEqual([7, 45, 6, 2, 3, 1]);
    const order = schema.tables['test.order']!;
    const col = (name: string) => order.columns.find((x) => x.name === name)!;
    expect(col('attributes')).toMatchObject({ kind: 'json', rawType: 'json' });
    expect(col('status')).toMatchObject({ values: ['new', "it's shipped", 'paid, in full'], default: { kind: 'literal', value: 'new' } });
    expect(col('placed_at')).toMatchObject({ fractionalSeconds: 3, default: { kind: 'expression', expression: 'CURRENT_TIMESTAMP(3)' } });
    expect(col('updated_at')).toMatchObject({ kind: 'timestamptz', onUpdate: 'CURRENT_TIMESTAMP' });
    expect(col('total').generated).toEqual({ expression: '`quantity` * `unit_price`', stored: true });
    expect(col('label').generated?.stored).toBe(false);
    expect(col('id')).toMatchObject({ kind: 'integer', unsigned: true });
    // MySQL names a column-level check itself (order_chk_1) and parenthesises sub-expressions.
    expect(order.checks.find((k) => k.name === 'chk_order_price')?.expression).toMatch(/^\(?`unit_price` >= 0\)? and \(?`unit_price` < 100000\)?$/);
    expect(order.checks.find((k) => k.name !== 'chk_order_price')).toMatchObject({ expression: '`quantity` > 0', columns: ['quantity'] });
    // An FK without ON DELETE / ON UPDATE: MySQL 8 says NO ACTION (5.7 said RESTRICT).
    expect(['no action', 'restrict']).toContain(order.foreignKeys[0]?.onDelete);
    expect(schema.tables['test.event_log']?.partitioning).toMatch(/^RANGE COLUMNS\(logged_at\) \(PARTITION p2023 /);
  });

  it('runs sakila with its MySQL 5.7+ versioned parts (GEOMETRY column, SPATIAL index)', async () => {
    const schema = await mysqlDialect.introspectSqlFile(fixture('sakila-mysql/schema.sql'), { url });
    const c = countSchema(schema);
    expect([c.tables, c.columns, c.foreignKeys, c.uniques, c.views]).toEqual([16, 90, 22, 2, 7]);
    const address = schema.tables['sakila.address']!;
    expect(address.columns.find((x) => x.name === 'location')).toMatchObject({ kind: 'spatial', unsupported: 'spatial types are not generated yet' });
    expect(address.indexes.find((i) => i.name === 'idx_location')?.method).toBe('spatial');
  });

  it('reads functional indexes and leaves NOT ENFORCED checks out', async () => {
    const target = parseMysqlUrl(url);
    const { db } = await openMysql(target, url);
    try {
      await run(db, 'DROP TABLE IF EXISTS person');
      await run(
        db,
        `CREATE TABLE person (
           id INT PRIMARY KEY,
           email VARCHAR(100) NOT NULL,
           token CHAR(36) NOT NULL DEFAULT (uuid()),
           age INT NULL,
           CONSTRAINT chk_age CHECK (age >= 0),
           CONSTRAINT chk_soft CHECK (age < 200) NOT ENFORCED
         )`,
      );
      await run(db, 'CREATE UNIQUE INDEX uq_person_email_lower ON person ((lower(email)))');
      await run(db, 'CREATE INDEX idx_person_age_twice ON person ((age * 2), id)');
    } finally {
      await db.destroy();
    }
    const connection = await mysqlDialect.connect(url);
    let schema: Schema;
    try {
      schema = await connection.introspect();
    } finally {
      await connection.close();
    }
    const person = schema.tables['test.person']!;
    expect(person.checks).toEqual([{ name: 'chk_age', expression: '`age` >= 0', columns: ['age'] }]);
    expect(schema.notes).toContain('test.person: CHECK chk_soft is NOT ENFORCED and was left out');
    const unique = person.uniques.find((u) => u.name === 'uq_person_email_lower')!;
    expect(unique.columns).toEqual([null]);
    expect(unique.expressions?.[0]).toMatch(/lower\(`email`\)/);
    const index = person.indexes.find((i) => i.name === 'idx_person_age_twice')!;
    expect(index.columns).toEqual([null, 'id']);
    expect(index.expressions?.[0]).toMatch(/`age` \* 2/);
    expect(person.columns.find((x) => x.name === 'token')?.default).toEqual({ kind: 'expression', expression: 'uuid()' });
  });
});
