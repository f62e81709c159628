import { fileURLToPath } from 'node:url';
import { countSchema, isUnderstudyError, SchemaModel, UsageError, type Schema, type Table } from '@understudy/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { introspectDrizzle, loadDrizzleModule } from './index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/drizzle/${name}`, import.meta.url));

function table(schema: Schema, key: string): Table {
  const t = schema.tables[key];
  if (!t) throw new Error(`no table ${key} in ${Object.keys(schema.tables).join(', ')}`);
  return t;
}

function column(t: Table, name: string): Table['columns'][number] {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name} in ${t.name}`);
  return c;
}

describe('introspectDrizzle: PostgreSQL fixture', () => {
  let schema: Schema;
  beforeAll(async () => {
    schema = await introspectDrizzle(fixture('pg-schema.ts'));
  });

  it('is a valid postgres Schema with the expected counts', () => {
    expect(SchemaModel.parse(schema)).toEqual(schema);
    expect(schema.dialect).toBe('postgres');
    expect(schema.source).toBe(`drizzle:${fixture('pg-schema.ts')}`);
    expect(schema.namespaces).toEqual(['audit', 'public']);
    expect(Object.keys(schema.tables)).toEqual([
      'audit.events',
      'public.customers',
      'public.departments',
      'public.employees',
      'public.measurements',
      'public.order_lines',
      'public.orders',
      'public.shipments',
    ]);
    expect(countSchema(schema)).toMatchObject({
      tables: 8,
      partitions: 0,
      columns: 53,
      primaryKeys: 8,
      // 6 database FKs + orders.sales_rep_id → employees declared only in relations()
      foreignKeys: 7,
      // departments.code, employees (department_id, email), customers.email, measurements partial unique index
      uniques: 4,
      checks: 2,
      // 8 primary key indexes + 3 behind unique constraints + 3 declared
      indexes: 14,
      enums: 1,
      enumValues: 4,
      // serial: employees, shipments; identity: departments, orders, audit.events
      sequences: 5,
    });
    for (const t of Object.values(schema.tables)) expect(t.rowEstimate).toBeNull();
  });

  it('spells types as PostgreSQL prints them', () => {
    const employees = table(schema, 'public.employees');
    expect(column(employees, 'first_name')).toMatchObject({ rawType: 'character varying(50)', kind: 'varchar', length: 50 });
    expect(column(employees, 'salary')).toMatchObject({ rawType: 'numeric(10,2)', kind: 'decimal', precision: 10, scale: 2 });
    expect(column(employees, 'active')).toMatchObject({ rawType: 'boolean', kind: 'boolean', default: { kind: 'literal', value: 'true' } });
    expect(column(employees, 'hired_at')).toMatchObject({
      rawType: 'timestamp with time zone',
      kind: 'timestamptz',
      nullable: false,
      default: { kind: 'expression', expression: 'now()' },
    });
    expect(column(employees, 'updated_at')).toMatchObject({ rawType: 'timestamp(3) without time zone', kind: 'timestamp', fractionalSeconds: 3 });
    const m = table(schema, 'public.measurements');
    expect(column(m, 'sensor')).toMatchObject({ rawType: 'character(2)', kind: 'char', length: 2 });
    expect(column(m, 'label')).toMatchObject({ rawType: 'character varying', kind: 'varchar' });
    expect(column(m, 'tags')).toMatchObject({ rawType: 'text[]', kind: 'text', arrayDimensions: 1 });
    expect(column(m, 'taken_at')).toMatchObject({ rawType: 'time(3) without time zone', kind: 'time', fractionalSeconds: 3 });
    expect(column(m, 'doubled')).toMatchObject({ kind: 'double', generated: { expression: 'reading * 2', stored: true } });
    expect(column(table(schema, 'public.customers'), 'metadata')).toMatchObject({
      rawType: 'jsonb',
      kind: 'jsonb',
      default: { kind: 'literal', value: "'{}'::jsonb" },
    });
  });

  it('reads serial and identity keys with their sequences', () => {
    expect(column(table(schema, 'public.employees'), 'id')).toMatchObject({
      rawType: 'integer',
      kind: 'integer',
      nullable: false,
      default: { kind: 'sequence', sequence: 'public.employees_id_seq', expression: "nextval('public.employees_id_seq'::regclass)" },
    });
    expect(column(table(schema, 'public.departments'), 'id').default).toEqual({
      kind: 'identity',
      generation: 'always',
      sequence: 'public.departments_id_seq',
    });
    expect(column(table(schema, 'public.orders'), 'id').default).toMatchObject({ kind: 'identity', generation: 'by-default' });
    expect(schema.sequences['audit.events_id_seq']).toMatchObject({
      dataType: 'bigint',
      start: '1000',
      ownedBy: { table: 'audit.events', column: 'id' },
    });
  });

  it('reads the enum and the enum column', () => {
    expect(schema.enums['public.order_status']).toEqual({
      schema: 'public',
      name: 'order_status',
      values: ['pending', 'paid', 'shipped', 'cancelled'],
    });
    expect(column(table(schema, 'public.orders'), 'status')).toMatchObject({
      rawType: 'public.order_status',
      kind: 'enum',
      enum: 'public.order_status',
      default: { kind: 'literal', value: "'pending'::public.order_status" },
    });
  });

  it('reads primary keys, uniques, checks and indexes', () => {
    expect(table(schema, 'public.order_lines').primaryKey).toEqual({ name: 'order_lines_pkey', columns: ['order_id', 'line_no'] });
    expect(table(schema, 'public.employees').primaryKey).toEqual({ name: 'employees_pkey', columns: ['id'] });
    expect(table(schema, 'public.departments').uniques).toEqual([{ name: 'departments_code_unique', columns: ['code'], origin: 'constraint', deferrable: false }]);
    expect(table(schema, 'public.employees').uniques).toEqual([{ name: 'employees_department_email_key', columns: ['department_id', 'email'], origin: 'constraint', deferrable: false }]);
    expect(table(schema, 'public.measurements').uniques).toEqual([{ name: 'measurements_sensor_day_key', columns: ['sensor', 'taken_on'], origin: 'index', where: 'label IS NOT NULL' }]);
    expect(table(schema, 'public.employees').checks).toEqual([{ name: 'employees_salary_positive', expression: 'salary > 0', columns: ['salary'] }]);
    expect(table(schema, 'public.employees').indexes).toEqual([
      {
        name: 'employees_department_email_key',
        columns: ['department_id', 'email'],
        unique: true,
        primary: false,
        method: 'btree',
        definition: 'CREATE UNIQUE INDEX employees_department_email_key ON public.employees USING btree (department_id, email)',
      },
      {
        name: 'employees_last_name_idx',
        columns: ['last_name'],
        unique: false,
        primary: false,
        method: 'btree',
        definition: 'CREATE INDEX employees_last_name_idx ON public.employees USING btree (last_name)',
      },
      {
        name: 'employees_pkey',
        columns: ['id'],
        unique: true,
        primary: true,
        method: 'btree',
        definition: 'CREATE UNIQUE INDEX employees_pkey ON public.employees USING btree (id)',
      },
    ]);
  });

  it('reads foreign keys: self-reference, composite, cross-schema, and the relations()-only link as virtual', () => {
    const employees = table(schema, 'public.employees');
    expect(employees.foreignKeys.find((f) => f.name === 'employees_manager_id_employees_id_fk')).toMatchObject({
      columns: ['manager_id'],
      references: { table: 'public.employees', columns: ['id'] },
      onDelete: 'set null',
    });
    expect(table(schema, 'public.shipments').foreignKeys).toEqual([
      {
        name: 'shipments_order_line_fk',
        columns: ['order_id', 'line_no'],
        references: { table: 'public.order_lines', columns: ['order_id', 'line_no'] },
        onDelete: 'cascade',
        onUpdate: 'no action',
        match: 'simple',
        deferrable: false,
        initiallyDeferred: false,
      },
    ]);
    expect(table(schema, 'audit.events').foreignKeys[0]?.references).toEqual({ table: 'public.employees', columns: ['id'] });
    const orders = table(schema, 'public.orders');
    // customer has a database FK and a relations() one(): only the database FK is kept.
    expect(orders.foreignKeys.map((f) => [f.name, f.virtual ?? false])).toEqual([
      ['orders_customer_id_customers_id_fk', false],
      ['orders_salesRep_virtual', true],
    ]);
    expect(orders.foreignKeys[1]).toMatchObject({ columns: ['sales_rep_id'], references: { table: 'public.employees', columns: ['id'] } });
    const virtual = Object.values(schema.tables).flatMap((t) => t.foreignKeys.filter((f) => f.virtual));
    expect(virtual).toHaveLength(1);
  });
});

describe('introspectDrizzle: MySQL fixture', () => {
  let schema: Schema;
  beforeAll(async () => {
    schema = await introspectDrizzle(fixture('mysql-schema.ts'), { database: 'shop' });
  });

  it('is a valid mysql Schema with the expected counts', () => {
    expect(SchemaModel.parse(schema)).toEqual(schema);
    expect(schema.dialect).toBe('mysql');
    expect(schema.namespaces).toEqual(['shop']);
    expect(Object.keys(schema.tables)).toEqual(['shop.customers', 'shop.departments', 'shop.employees', 'shop.measurements', 'shop.order_lines', 'shop.orders', 'shop.shipments']);
    expect(countSchema(schema)).toMatchObject({
      tables: 7,
      columns: 49,
      primaryKeys: 7,
      // 5 database FKs + orders.sales_rep_id → employees declared only in relations()
      foreignKeys: 6,
      // departments.code, employees (department_id, email), customers.email, measurements (sensor, taken_on)
      uniques: 4,
      // employees salary > 0, order_lines quantity > 0, MariaDB's json_valid(metadata)
      checks: 3,
      // 7 PRIMARY + 4 unique + 1 declared + 3 that InnoDB adds for uncovered FKs
      indexes: 15,
      enums: 0,
      sequences: 0,
    });
  });

  it('spells types as MariaDB prints them', () => {
    const employees = table(schema, 'shop.employees');
    expect(column(employees, 'id')).toMatchObject({ rawType: 'int(11)', kind: 'integer', unsigned: false, default: { kind: 'sequence' } });
    expect(column(employees, 'first_name')).toMatchObject({ rawType: 'varchar(50)', kind: 'varchar', length: 50 });
    expect(column(employees, 'salary')).toMatchObject({ rawType: 'decimal(10,2)', precision: 10, scale: 2 });
    expect(column(employees, 'active')).toMatchObject({ rawType: 'tinyint(1)', kind: 'boolean', default: { kind: 'literal', value: '1' } });
    expect(column(employees, 'hired_at')).toMatchObject({
      rawType: 'timestamp',
      kind: 'timestamptz',
      default: { kind: 'expression', expression: 'CURRENT_TIMESTAMP' },
    });
    expect(column(employees, 'updated_at')).toMatchObject({ rawType: 'timestamp(3)', fractionalSeconds: 3, onUpdate: 'CURRENT_TIMESTAMP(3)' });
    expect(column(table(schema, 'shop.orders'), 'id')).toMatchObject({ rawType: 'bigint(20) unsigned', unsigned: true });
    expect(column(table(schema, 'shop.orders'), 'status')).toMatchObject({
      rawType: "enum('pending','paid','shipped','cancelled')",
      kind: 'enum',
      values: ['pending', 'paid', 'shipped', 'cancelled'],
      default: { kind: 'literal', value: 'pending' },
    });
    expect(column(table(schema, 'shop.customers'), 'metadata')).toMatchObject({ rawType: 'longtext', kind: 'json' });
    const m = table(schema, 'shop.measurements');
    expect(column(m, 'level')).toMatchObject({ rawType: 'tinyint(3) unsigned', kind: 'tinyint', unsigned: true });
    expect(column(m, 'season')).toMatchObject({ rawType: 'year(4)', kind: 'year' });
    expect(column(m, 'recorded_at')).toMatchObject({ rawType: 'datetime(3)', kind: 'timestamp', fractionalSeconds: 3 });
    expect(column(m, 'note')).toMatchObject({ default: { kind: 'literal', value: "it's fine" } });
    expect(column(m, 'sensor_lower')).toMatchObject({ generated: { expression: 'lower(sensor)', stored: false } });
  });

  it('reads keys, checks and foreign keys, with the relations()-only link as virtual', () => {
    expect(table(schema, 'shop.order_lines').primaryKey).toEqual({ name: 'PRIMARY', columns: ['order_id', 'line_no'] });
    expect(table(schema, 'shop.employees').checks).toEqual([{ name: 'employees_salary_positive', expression: '`salary` > 0', columns: ['salary'] }]);
    expect(table(schema, 'shop.shipments').foreignKeys[0]).toMatchObject({
      columns: ['order_id', 'line_no'],
      references: { table: 'shop.order_lines', columns: ['order_id', 'line_no'] },
    });
    expect(table(schema, 'shop.employees').foreignKeys.map((f) => f.references.table)).toContain('shop.employees');
    expect(table(schema, 'shop.orders').foreignKeys.find((f) => f.virtual)).toMatchObject({
      name: 'orders_salesRep_virtual',
      columns: ['sales_rep_id'],
      references: { table: 'shop.employees', columns: ['id'] },
    });
  });

  it('keys tables under "default" when no database is given', async () => {
    const again = await introspectDrizzle(fixture('mysql-schema.ts'));
    expect(Object.keys(again.tables)[0]).toBe('default.customers');
  });
});

describe('bad input', () => {
  async function usageError(run: () => Promise<unknown>): Promise<UsageError> {
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isUnderstudyError(error)).toBe(true);
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }

  it('a module that throws on import names the file and the thrown message', async () => {
    const error = await usageError(() => introspectDrizzle(fixture('invalid/throws-on-import.ts')));
    expect(error.message).toContain('throws-on-import.ts');
    expect(error.message).toContain('DATABASE_URL is not set');
    expect(error.hint).toBeTruthy();
    expect(error.exitCode).toBe(2);
  });

  it('a missing file', async () => {
    const error = await usageError(() => introspectDrizzle('src/db/no-such-schema.ts'));
    expect(error.message).toContain('src/db/no-such-schema.ts does not exist');
  });

  it('a module with no drizzle tables', async () => {
    const error = await usageError(() => loadDrizzleModule(fixture('invalid/no-tables.ts')));
    expect(error.message).toContain('exports no drizzle tables');
  });

  it('a SQLite schema is not supported yet', async () => {
    const error = await usageError(() => introspectDrizzle(fixture('invalid/sqlite-schema.ts')));
    expect(error.message).toMatch(/SQLite .*not supported yet/);
  });

  it('a schema drizzle-kit refuses does not end the process', async () => {
    const error = await usageError(() => introspectDrizzle(fixture('invalid/duplicate-unique.ts')));
    expect(error.message).toContain('duplicated unique constraint names');
  });
});

describe('introspectDrizzle: casing', () => {
  it("applies drizzle's snake_case casing to unnamed columns, in keys and in relations() links", async () => {
    const schema = await introspectDrizzle(fixture('pg-casing-schema.ts'), { casing: 'snake_case' });
    const posts = table(schema, 'public.posts');
    expect(posts.columns.map((c) => c.name)).toEqual(['id', 'author_id', 'editor_id', 'published_at']);
    expect(posts.foreignKeys.map((f) => [f.name, f.columns, f.virtual ?? false])).toEqual([
      ['posts_author_id_authors_id_fk', ['author_id'], false],
      ['posts_editor_virtual', ['editor_id'], true],
    ]);
    expect(column(table(schema, 'public.authors'), 'display_name').kind).toBe('text');
  });

  it('without casing, unnamed columns keep their keys', async () => {
    const schema = await introspectDrizzle(fixture('pg-casing-schema.ts'));
    expect(table(schema, 'public.posts').columns.map((c) => c.name)).toEqual(['id', 'authorId', 'editorId', 'publishedAt']);
  });
});

describe('introspectDrizzle: a one-to-one relation between two unique keys, declared from both sides', () => {
  it('holds the reference on the side whose column names the other table, whichever side is read first', async () => {
    const schema = await introspectDrizzle(fixture('mysql-one-to-one-schema.ts'));
    const virtual = Object.values(schema.tables).flatMap((t) =>
      t.foreignKeys.filter((fk) => fk.virtual).map((fk) => `${t.name}(${fk.columns.join(',')}) → ${fk.references.table}(${fk.references.columns.join(',')})`),
    );
    // Before: accounts(id) → quotas(account_id), a parent referencing its child (and with the mirror, a cycle).
    expect(virtual).toHaveLength(1);
    expect(virtual[0]).toMatch(/^quotas\(account_id\) → [\w.]*accounts\(id\)$/);
  });
});
