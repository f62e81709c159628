/**
 * Test helpers shared by every package's tests: hand-built Schemas and the
 * planted-PII profile fixtures. A private workspace package, never published:
 * nothing here reaches any package's `dist/`.
 */
export { col, fk, tableOf, schemaOf } from './test-schema.js';
export { PLANTED, PLANTED_FRAGMENTS, plantedTableSql, FANOUT_SQL, FANOUT_EXPECTED, wideSchemaSql } from './test-profile-fixtures.js';
