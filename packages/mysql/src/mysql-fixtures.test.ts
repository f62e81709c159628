/**
 * The fixture schemas, loaded through introspectSqlFile into throwaway databases on
 * MariaDB, with counts checked against the DDL by hand (see the comment on each).
 */
import { countSchema, type Schema } from '@understudy/core';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mysqlDialect } from './mysql-dialect.js';
import { TEMP_DATABASE_PREFIX } from './mysql-sql-file.js';
import { databasesLike, TEST_MYSQL_URL, testUrl } from './test-mysql-server.js';

const fixture = (path: string): string => fileURLToPath(new URL(`../../../fixtures/schemas/${path}`, import.meta.url));

/** For MySQL, enum values are inline: the sum of `values` over ENUM and SET columns. */
function inlineEnumValues(schema: Schema): number {
  return Object.values(schema.tables)
    .flatMap((t) => t.columns)
    .filter((c) => c.kind === 'enum' || c.kind === 'set')
    .reduce((n, c) => n + (c.values?.length ?? 0), 0);
}

function counts(schema: Schema): Record<string, number> {
  const c = countSchema(schema);
  return {
    tables: c.tables,
    columns: c.columns,
    foreignKeys: c.foreignKeys,
    uniques: c.uniques,
    checks: c.checks,
    enumValues: inlineEnumValues(schema),
    views: c.views,
  };
}

describe.skipIf(!TEST_MYSQL_URL)('fixture schemas through introspectSqlFile on MariaDB', () => {
  const load = (path: string): Promise<Schema> => mysqlDialect.introspectSqlFile(fixture(path), { url: testUrl() });

  afterAll(async () => {
    expect(await databasesLike(TEMP_DATABASE_PREFIX)).toEqual([]);
  });

  it('sakila-mysql/schema.sql', async () => {
    const schema = await load('sakila-mysql/schema.sql');
    // 16 tables. Columns: actor 4, address 8, category 3, city 4, country 3, customer 9, film 13,
    // film_actor 3, film_category 3, film_text 3, inventory 4, language 3, payment 7, rental 7,
    // staff 11, store 4 = 89. (address.location is inside /*!50705 … */, which MariaDB skips:
    // it runs versioned comments of MySQL 5.7+ only on MySQL, so MySQL 8 would report 90.)
    // FKs: address 1, city 1, customer 2, film 2, film_actor 2, film_category 2, inventory 2,
    // payment 3, rental 3, staff 2, store 2 = 22. Uniques: rental (rental_date, inventory_id,
    // customer_id) and store.idx_unique_manager. Enum values: film.rating 5 + special_features 4.
    expect(counts(schema)).toEqual({ tables: 16, columns: 89, foreignKeys: 22, uniques: 2, checks: 0, enumValues: 9, views: 7 });
    expect(schema.namespaces).toEqual(['sakila']);
    expect(schema.dialect).toBe('mysql');
    expect(schema.serverVersion).toMatch(/^MariaDB \d+\.\d+\.\d+$/);
    expect(schema.source).toBe(`file:${fixture('sakila-mysql/schema.sql')}`);
    expect(Object.keys(schema.views).sort()).toEqual([
      'sakila.actor_info',
      'sakila.customer_list',
      'sakila.film_list',
      'sakila.nicer_but_slower_film_list',
      'sakila.sales_by_film_category',
      'sakila.sales_by_store',
      'sakila.staff_list',
    ]);
    // The view's `sakila.film` references were redirected while loading and renamed back.
    expect(schema.views['sakila.actor_info']?.definition).toContain('`sakila`.`film`');
    expect(JSON.stringify(schema)).not.toContain(TEMP_DATABASE_PREFIX);
    const film = schema.tables['sakila.film']!;
    expect(film.columns.find((c) => c.name === 'rating')?.values).toEqual(['G', 'PG', 'PG-13', 'R', 'NC-17']);
    expect(film.columns.find((c) => c.name === 'special_features')?.kind).toBe('set');
    expect(film.columns.find((c) => c.name === 'release_year')?.kind).toBe('year');
    const rentalRate = film.columns.find((c) => c.name === 'rental_rate');
    expect(rentalRate).toMatchObject({ kind: 'decimal', precision: 4, scale: 2, default: { kind: 'literal', value: '4.99' } });
    expect(schema.tables['sakila.actor']?.columns[0]).toMatchObject({
      name: 'actor_id',
      kind: 'smallint',
      unsigned: true,
      default: { kind: 'sequence', expression: 'auto_increment' },
    });
    expect(schema.tables['sakila.customer']?.columns.find((c) => c.name === 'active')).toMatchObject({
      kind: 'boolean',
      rawType: 'tinyint(1)',
      default: { kind: 'literal', value: '1' },
    });
    expect(schema.tables['sakila.payment']?.foreignKeys.find((f) => f.name === 'fk_payment_rental')).toMatchObject({
      references: { table: 'sakila.rental', columns: ['rental_id'] },
      onDelete: 'set null',
      onUpdate: 'cascade',
    });
    expect(schema.tables['sakila.film_text']?.indexes.find((i) => i.name === 'idx_title_description')).toMatchObject({
      method: 'fulltext',
      columns: ['title', 'description'],
    });
    expect(schema.tables['sakila.staff']?.columns.find((c) => c.name === 'password')?.collation).toMatch(/_bin$/);
  });

  it('employees/schema.sql', async () => {
    const schema = await load('employees/schema.sql');
    // employees 6, departments 2, dept_manager 4, dept_emp 4, titles 4, salaries 4 columns;
    // FKs: dept_manager 2, dept_emp 2, titles 1, salaries 1; unique: departments.dept_name;
    // enum: employees.gender ('M','F'); views dept_emp_latest_date, current_dept_emp.
    expect(counts(schema)).toEqual({ tables: 6, columns: 24, foreignKeys: 6, uniques: 1, checks: 0, enumValues: 2, views: 2 });
    // No USE in the file: the namespace is the URL's database.
    expect(schema.namespaces).toEqual([new URL(testUrl()).pathname.slice(1)]);
    expect(Object.values(schema.tables).every((t) => t.kind === 'table')).toBe(true);
    const titles = Object.values(schema.tables).find((t) => t.name === 'titles')!;
    expect(titles.primaryKey?.columns).toEqual(['emp_no', 'title', 'from_date']);
    expect(titles.foreignKeys[0]).toMatchObject({ columns: ['emp_no'], onDelete: 'cascade' });
  });

  it('employees/schema-partitioned.sql', async () => {
    const schema = await load('employees/schema-partitioned.sql');
    // As schema.sql, but titles and salaries lose their FK and are partitioned by RANGE COLUMNS
    // into 19 partitions each; partitions are not tables in MySQL.
    expect(counts(schema)).toEqual({ tables: 6, columns: 24, foreignKeys: 4, uniques: 1, checks: 0, enumValues: 2, views: 2 });
    expect(countSchema(schema).partitions).toBe(0);
    const partitioned = Object.values(schema.tables).filter((t) => t.kind === 'partitioned');
    expect(partitioned.map((t) => t.name).sort()).toEqual(['salaries', 'titles']);
    for (const table of partitioned) {
      expect(table.partitioning).toMatch(/^RANGE COLUMNS\(from_date\) \(PARTITION p01 VALUES LESS THAN \('1985-12-31'\), /);
      expect(table.partitioning).toContain('PARTITION p19 VALUES LESS THAN (MAXVALUE))');
      expect(table.partitioning?.match(/PARTITION p\d\d/g)).toHaveLength(19);
    }
  });

  it('chinook/mysql/schema.sql', async () => {
    const schema = await load('chinook/mysql/schema.sql');
    // Album 3, Artist 2, Customer 13, Employee 15, Genre 2, Invoice 9, InvoiceLine 5, MediaType 2,
    // Playlist 2, PlaylistTrack 2, Track 9 columns; 11 FKs added by ALTER TABLE.
    expect(counts(schema)).toEqual({ tables: 11, columns: 64, foreignKeys: 11, uniques: 0, checks: 0, enumValues: 0, views: 0 });
    const db = schema.namespaces[0]!;
    const employee = schema.tables[`${db}.Employee`]!;
    expect(employee.foreignKeys).toMatchObject([{ name: 'FK_EmployeeReportsTo', columns: ['ReportsTo'], references: { table: `${db}.Employee`, columns: ['EmployeeId'] } }]);
    // NVARCHAR is VARCHAR in the national character set (utf8mb3).
    expect(employee.columns.find((c) => c.name === 'LastName')).toMatchObject({ kind: 'varchar', length: 20, charset: 'utf8mb3' });
    expect(employee.columns[0]?.default).toBeUndefined();
    expect(schema.tables[`${db}.PlaylistTrack`]?.primaryKey).toEqual({ name: 'PRIMARY', columns: ['PlaylistId', 'TrackId'] });
  });

  it('chinook/mysql/schema-autoincrement-pks.sql', async () => {
    const schema = await load('chinook/mysql/schema-autoincrement-pks.sql');
    expect(counts(schema)).toEqual({ tables: 11, columns: 64, foreignKeys: 11, uniques: 0, checks: 0, enumValues: 0, views: 0 });
    const keys = Object.values(schema.tables).map((t) => t.columns.find((c) => c.name === t.primaryKey?.columns[0]));
    const autoIncrement = keys.filter((c) => c?.default?.kind === 'sequence');
    // Every single-column key is AUTO_INCREMENT; PlaylistTrack's composite key is not.
    expect(autoIncrement).toHaveLength(10);
  });

  it('hard-cases/mysql.sql', async () => {
    const schema = await load('hard-cases/mysql.sql');
    // category 3, warehouse 4, stock 6, customer 4, order 13, order_line 12, event_log 3 columns;
    // FKs: category 1, stock 1, customer 1, order 1, order_line 2; uniques: customer email + code;
    // checks: order.quantity (column level), order.chk_order_price, order.attributes (MariaDB's
    // automatic json_valid of a JSON column), order_line.chk_order_line_weight; enum values:
    // order.status 3 + order.tags 3; view order_summary.
    expect(counts(schema)).toEqual({ tables: 7, columns: 45, foreignKeys: 6, uniques: 2, checks: 4, enumValues: 6, views: 1 });
  });
});
