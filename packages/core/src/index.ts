export * from './schema-model.js';
export * from './schema-file.js';
export * from './errors.js';
export * from './dialect.js';
export * from './dialect-registry.js';
export * from './fk-graph.js';
export * from './sql-splitter.js';
export * from './redact-url.js';
export * from './schema-summary.js';
export * from './sql-flavor.js';
export * from './sink.js';
export * from './snapshot-reader.js';
export * from './target-config.js';
export * from './text-file.js';
export * from './output-files.js';
export * from './profile.js';
export * from './pii/index.js';
export * from './scrub-policy.js';
export * from './scan/index.js';
export * from './rehearsal-target.js';
export * from './rehearsal-database-name.js';
export * from './trigger-inserts.js';
export * from './fidelity/fidelity.js';
export * from './database-container.js';
export { migrationBookkeeping } from './migration-bookkeeping.js';
export { tablePattern, matchesTablePattern } from './table-patterns.js';
export { referencesFromKept, keptReferenceError, type KeptReference } from './truncate-guard.js';
export { GenerateConfig, GENERATE_CONFIG_KEYS, ColumnConfig, TableConfig, CheckConfig, type GenerateConfigInput } from './config/generate-config.js';
export { RehearseConfig, RehearseCheck, DEFAULT_LOCK_THRESHOLD_ROWS, type RehearseConfigInput } from './config/rehearse-config.js';
export {
  UnderstudyConfig,
  EnvironmentConfig,
  ProfilingConfig,
  FidelityConfig,
  ScrubConfig,
  defineConfig,
  configJsonSchema,
  type UnderstudyConfigInput,
} from './config/understudy-config.js';
export { withEnvironment } from './config/environments.js';
export { withPartitionForeignKeys } from './partition-foreign-keys.js';
