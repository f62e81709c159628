/**
 * @understudy/rehearse: rehearsing schema migrations. This part reads migration
 * folders (plain numbered SQL, golang-migrate, Flyway, dbmate, Prisma,
 * drizzle-kit, goose, sqlx, diesel, gobuffalo/popx, Sqitch, Liquibase formatted
 * SQL, Atlas, temporal-sql-tool, or a `--command`) into a plain-data
 * `MigrationSet`, and chooses which migrations are pending.
 *
 * @example
 * ```ts
 * import { readMigrations, selectPending } from '@understudy/rehearse';
 * const set = await readMigrations('db/migrations');
 * const { baseline, pending } = await selectPending(set, { since: 'origin/main' });
 * ```
 */
export * from './migration-model.js';
export { readMigrations, detectMigrationFormat } from './read-migrations.js';
export type { ReadMigrationsOptions } from './read-migrations.js';
export type { DetectedFormat, FolderFormat } from './sources/detect-format.js';
export { FOLDER_FORMATS } from './sources/detect-format.js';
export { selectPending } from './pending.js';
export type { PendingOptions, PendingSelection } from './pending.js';
export { parseMigrationFormat } from './migration-format.js';
export { parseMigrationDialect } from './migration-dialect.js';
export { classifyStatement } from './statement-classifier.js';
export type { StatementClass } from './statement-classifier.js';
export { compareVersions } from './version-order.js';

// Rehearsal
export * from './report/rehearsal-report.js';
export { rehearse, DEFAULT_REHEARSAL_ROWS, type RehearseOptions } from './rehearsal/rehearse.js';
export { planRehearsal, formatRehearsalPlan, seedSizes, MIN_ESTIMATE_ROWS, REHEARSAL_PLAN_VERSION, type RehearsalPlan, type PlanRehearsalInput, type PlannedSeedSize } from './rehearsal/plan-rehearsal.js';
export { runRehearsal, type RehearsalRun, type RunRehearsalOptions } from './rehearsal/run-rehearsal.js';
export { judgeRehearsal } from './rehearsal/judge-rehearsal.js';
export { RehearseConfig, RehearseCheck, DEFAULT_LOCK_THRESHOLD_ROWS, type RehearseConfigInput } from './rehearsal/rehearse-config.js';
export { diffSchemas } from './rehearsal/schema-diff.js';
export { diffData } from './rehearsal/data-diff.js';
export { cleanLeftovers, describeCleanup } from './rehearsal/leftover-cleanup.js';
export { findHazards, DEFAULT_LOCK_THRESHOLD_MS, type HazardInput } from './rehearsal/hazards.js';
export { estimateStatements, fitLinear, extrapolate, targetRowsFor, type EstimateInput, type EstimateRun, type LinearFit } from './rehearsal/estimate.js';
export { statementTable, resolveStatementTable, tableOfStatement, type StatementTableName } from './rehearsal/statement-table.js';
export { oneLine } from './rehearsal/statement-text.js';
export { formatRehearsalSummary, strongestLock } from './rehearsal/rehearsal-summary.js';
export { renderJunit } from './report/junit-report.js';
export { renderMarkdown } from './report/markdown-report.js';
