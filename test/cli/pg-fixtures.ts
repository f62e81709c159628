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
