export * from './schema-model.js';
export * from './schema-file.js';
export * from './errors.js';
export * from './dialect.js';
export * from './fk-graph.js';
export * from './sql-splitter.js';
export * from './redact-url.js';
export * from './schema-summary.js';
