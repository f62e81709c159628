/**
 * fixtures/schemas/hard-cases/mysql.sql in detail on MariaDB, and the same model whether
 * the DDL is read through introspectSqlFile or loaded directly and introspected live.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildFkGraph, type Column, type Schema, type Table } from '@understudy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from './mysql-dialect.js';
import { dropDatabase, loadDirectly, TEST_MYSQL_URL, uniqueName, urlWith } from './test-mysql-server.js';

const file = fileURLToPath(new URL('../../../fixtures/schemas/hard-cases/mysql.sql', import.meta.url));

describe.skipIf(!TEST_MYSQL_URL)('hard cases on MariaDB', () => {
  const database = uniqueName('understudy_it_hard_');
  let fromFile: Schema;
  let live: Schema;

  beforeAll(async () => {
    // Named like the live database, so that both models use the same namespace.
    await loadDirectly(database, await readFile(file, 'utf8'));
    fromFile = await mysqlDialect.introspectSqlFile(file, { url: urlWith({ database }) });
    const connection = await mysqlDialect.connect(urlWith({ database }));
    try {
      live = await connection.introspect();
    } finally {
      await connection.close();
    }
  });
  afterAll(async () => {
    await dropDatabase(database);
  });

  const table = (name: string): Table => {
    const t = fromFile.tables[`${database}.${name}`];
    if (!t) throw new Error(`no table ${name}`);
    return t;
  };
  const column = (tableName: string, name: string): Column => {
    const c = table(tableName).columns.find((col) => col.name === name);
    if (!c) throw new Error(`no column ${tableName}.${name}`);
    return c;
  };

  it('gives the same model as loading the DDL directly', () => {
    expect({ ...fromFile, source: undefined }).toEqual({ ...live, source: undefined });
    expect(fromFile.source).toBe(`file:${file}`);
    expect(live.source).toBe(urlWith({ database }));
  });

  it('keeps columns in order with their unsigned flags', () => {
    expect(table('stock').columns.map((c) => c.name)).toEqual(['id', 'region', 'warehouse_code', 'shelf', 'quantity', 'flags']);
    expect(column('stock', 'id')).toMatchObject({ kind: 'bigint', unsigned: true, rawType: 'bigint(20) unsigned' });
    expect(column('stock', 'shelf')).toMatchObject({ kind: 'tinyint', unsigned: true, default: { kind: 'literal', value: '1' } });
    expect(column('stock', 'quantity')).toMatchObject({ kind: 'mediumint', unsigned: true });
    expect(column('order_line', 'line_no')).toMatchObject({ kind: 'smallint', unsigned: true });
    expect(column('order', 'unit_price')).toMatchObject({ kind: 'decimal', precision: 10, scale: 2, unsigned: false });
  });

  it('reads bit, year, time and timestamp types', () => {
    expect(column('stock', 'flags')).toMatchObject({ kind: 'bit', length: 3, default: { kind: 'literal', value: "b'101'" } });
    expect(column('order', 'made_in')).toMatchObject({ kind: 'year', nullable: true });
    expect(column('order', 'placed_at')).toMatchObject({
      kind: 'timestamp',
      rawType: 'datetime(3)',
      fractionalSeconds: 3,
      default: { kind: 'expression', expression: 'CURRENT_TIMESTAMP(3)' },
    });
    expect(column('order', 'updated_at')).toMatchObject({
      kind: 'timestamptz',
      rawType: 'timestamp',
      default: { kind: 'expression', expression: 'CURRENT_TIMESTAMP' },
      onUpdate: 'CURRENT_TIMESTAMP',
    });
    expect(column('order', 'updated_at').fractionalSeconds).toBeUndefined();
    expect(column('order_line', 'packing_time')).toMatchObject({ kind: 'time', fractionalSeconds: 2 });
    expect(column('order_line', 'shipped_on').kind).toBe('date');
  });

  it('parses ENUM and SET values with commas and quotes', () => {
    expect(column('order', 'status')).toMatchObject({
      kind: 'enum',
      values: ['new', "it's shipped", 'paid, in full'],
      default: { kind: 'literal', value: 'new' },
      nullable: false,
    });
    expect(column('order', 'tags')).toMatchObject({ kind: 'set', values: ['gift', 'fragile', "o'clock"], nullable: true });
    expect(column('order', 'tags').default).toBeUndefined();
  });

  it('reads generated columns, stored and virtual', () => {
    expect(column('order', 'total').generated).toEqual({ expression: '`quantity` * `unit_price`', stored: true });
    expect(column('order', 'label').generated).toEqual({ expression: "concat(`select`,'#',`status`)", stored: false });
    expect(column('order', 'total').default).toBeUndefined();
  });

  it('reports MariaDB JSON (LONGTEXT + json_valid) as kind json and keeps its check', () => {
    expect(column('order', 'attributes')).toMatchObject({ kind: 'json', rawType: 'longtext', collation: 'utf8mb4_bin' });
    expect(table('order').checks).toEqual([
      { name: 'attributes', expression: 'json_valid(`attributes`)', columns: ['attributes'] },
      { name: 'chk_order_price', expression: '`unit_price` >= 0 and `unit_price` < 100000', columns: ['unit_price'] },
      { name: 'quantity', expression: '`quantity` > 0', columns: ['quantity'] },
    ]);
    expect(table('order_line').checks).toEqual([{ name: 'chk_order_line_weight', expression: '`weight_kg` is null or `weight_kg` > 0', columns: ['weight_kg'] }]);
  });

  it('records charset and collation of text columns (case-insensitive vs binary uniques)', () => {
    expect(column('customer', 'email')).toMatchObject({ charset: 'utf8mb4', collation: 'utf8mb4_unicode_ci', length: 100 });
    expect(column('customer', 'code')).toMatchObject({ charset: 'utf8mb4', collation: 'utf8mb4_bin' });
    expect(column('category', 'name').collation).toBe('utf8mb4_unicode_ci');
    expect(column('order', 'status').charset).toBe('utf8mb4');
    expect(column('customer', 'id').collation).toBeUndefined();
    expect(table('customer').uniques).toEqual([
      { name: 'uq_customer_code', columns: ['code'], origin: 'constraint' },
      { name: 'uq_customer_email', columns: ['email'], origin: 'constraint' },
    ]);
  });

  it('reads composite keys, a self-reference and a breakable cycle', () => {
    expect(table('warehouse').primaryKey).toEqual({ name: 'PRIMARY', columns: ['region', 'code'] });
    expect(table('stock').foreignKeys).toEqual([
      {
        name: 'fk_stock_warehouse',
        columns: ['region', 'warehouse_code'],
        references: { table: `${database}.warehouse`, columns: ['region', 'code'] },
        onDelete: 'cascade',
        onUpdate: 'restrict',
        deferrable: false,
        initiallyDeferred: false,
      },
    ]);
    expect(table('order_line').primaryKey?.columns).toEqual(['order_id', 'line_no']);
    expect(table('category').foreignKeys[0]).toMatchObject({
      columns: ['parent_id'],
      references: { table: `${database}.category`, columns: ['id'] },
      onDelete: 'set null',
    });
    const graph = buildFkGraph(fromFile);
    expect(graph.selfReferences.map((e) => e.foreignKey)).toEqual(['fk_category_parent']);
    expect(graph.cycles).toHaveLength(1);
    expect([...(graph.cycles[0]?.tables ?? [])].sort()).toEqual([`${database}.customer`, `${database}.order`]);
    expect(graph.cycles[0]?.unbreakable).toBeUndefined();
  });

  it('reads reserved-word names, spatial columns, comments, partitions and views', () => {
    expect(column('order', 'select')).toMatchObject({ kind: 'varchar', length: 20 });
    expect(column('warehouse', 'location')).toMatchObject({
      kind: 'spatial',
      rawType: 'point',
      unsupported: 'spatial types are not generated yet',
    });
    expect(table('category').comment).toBe('product categories, a tree');
    expect(table('event_log')).toMatchObject({
      kind: 'partitioned',
      partitioning: "RANGE COLUMNS(logged_at) (PARTITION p2023 VALUES LESS THAN ('2024-01-01'), " + "PARTITION p2024 VALUES LESS THAN ('2025-01-01'), PARTITION pmax VALUES LESS THAN (MAXVALUE))",
    });
    expect(Object.keys(fromFile.tables)).not.toContain(`${database}.order_summary`);
    expect(fromFile.views[`${database}.order_summary`]?.definition).toContain(`\`${database}\`.\`order\``);
    expect(table('order_line').columns.map((c) => [c.name, c.kind])).toEqual([
      ['order_id', 'integer'],
      ['line_no', 'smallint'],
      ['region', 'char'],
      ['warehouse_code', 'smallint'],
      ['weight_kg', 'real'],
      ['ratio', 'double'],
      ['packing_time', 'time'],
      ['shipped_on', 'date'],
      ['checksum', 'binary'],
      ['token', 'varbinary'],
      ['note', 'text'],
      ['photo', 'blob'],
    ]);
    expect(column('order_line', 'checksum').length).toBe(16);
  });

  it('reads indexes with their columns in order', () => {
    expect(table('order_line').indexes.map((i) => [i.name, i.columns, i.unique, i.primary, i.method])).toEqual([
      ['PRIMARY', ['order_id', 'line_no'], true, true, 'btree'],
      ['idx_order_line_warehouse', ['region', 'warehouse_code'], false, false, 'btree'],
    ]);
  });
});
