/** The PostgreSQL fixture schemas every seed test covers. */
export const PG_FIXTURES = [
  'fixtures/schemas/pagila/schema.sql',
  'fixtures/schemas/chinook/postgresql/schema.sql',
  'fixtures/schemas/chinook/postgresql/schema-identity-pks.sql',
  'fixtures/schemas/northwind/schema.sql',
  'fixtures/schemas/hard-cases/postgres.sql',
];

/** The MySQL/MariaDB fixture schemas. */
export const MYSQL_FIXTURES = [
  'fixtures/schemas/sakila-mysql/schema.sql',
  'fixtures/schemas/employees/schema.sql',
  'fixtures/schemas/chinook/mysql/schema.sql',
  'fixtures/schemas/hard-cases/mysql.sql',
];

/**
 * Rows per table every fixture is seeded at. 100,000 rows per table of every fixture take
 * minutes per database, so they run when UNDERSTUDY_TEST_LARGE=1 (`.ci/run` sets it for
 * one of its two Node versions); otherwise they are reported as skipped.
 */
export const SEED_SIZES: readonly number[] = process.env['UNDERSTUDY_TEST_LARGE'] === '1' ? [1000, 100_000] : [1000];
if (SEED_SIZES.length === 1) console.warn('UNDERSTUDY_TEST_LARGE not set: skipping the 100,000-rows-per-table seeds of every fixture (1,000 rows still run)');

/** `100,000` */
export function rowsLabel(rows: number): string {
  return rows.toLocaleString('en-US');
}
