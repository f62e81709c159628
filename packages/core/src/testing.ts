/** Test helpers shared by every package's tests: hand-built Schemas and the planted-PII profile fixtures. */
export * from './test-schema.js';
export * from './test-profile-fixtures.js';
