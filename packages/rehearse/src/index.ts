/**
 * @understudy/rehearse: rehearsing schema migrations. This part reads migration
 * folders (plain numbered SQL, golang-migrate, Flyway, dbmate, Prisma,
 * drizzle-kit, goose, sql-migrate, sqlx, diesel, gobuffalo/popx, Sqitch, Liquibase formatted
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

// The public API.
export { readMigrations, type ReadMigrationsOptions } from './read-migrations.js';
export { FOLDER_FORMATS } from './sources/detect-format.js';
export { selectPending, type PendingOptions, type PendingSelection } from './pending.js';
export { readBaselineSchema, withBaselineSchema, type BaselineSchema, type BaselineSchemaOptions } from './baseline-schema.js';
export { rehearse, type RehearseOptions } from './rehearsal/rehearse.js';
export { RehearseConfig, RehearseCheck, type RehearseConfigInput } from '@understudy/core';
export { diffSchemas } from './rehearsal/schema-diff.js';
export { findHazards } from './rehearsal/hazards.js';
export { formatRehearsalSummary } from './rehearsal/rehearsal-summary.js';
export { renderJunit } from './report/junit-report.js';
export { renderMarkdown } from './report/markdown-report.js';
export { MigrationFormat, MigrationDialect, MigrationStatement, MigrationScript, Migration, MigrationSet } from './migration-model.js';
export { rehearsalExitCode, REHEARSAL_REPORT_VERSION, Hazard, RehearsalReportModel, type RehearsalReport } from './report/rehearsal-report.js';
export { planRehearsal, REHEARSAL_PLAN_VERSION, type RehearsalPlan, type PlanRehearsalInput } from './rehearsal/plan-rehearsal.js';
export { runRehearsal, type RehearsalRun, type RunRehearsalOptions } from './rehearsal/run-rehearsal.js';
export { judgeRehearsal } from './rehearsal/judge-rehearsal.js';

// Exported for the other Understudy packages and their tests: not a stable API, may change in any release.
/** @internal */
export { detectMigrationFormat } from './read-migrations.js';
/** @internal */
export type { DetectedFormat, FolderFormat } from './sources/detect-format.js';
/** @internal */
export { parseMigrationFormat } from './migration-format.js';
/** @internal */
export { parseMigrationDialect } from './migration-dialect.js';
/** @internal */
export { classifyStatement, type StatementClass } from './statement-classifier.js';
/** @internal */
export { compareVersions } from './version-order.js';
/** @internal */
export { DEFAULT_REHEARSAL_ROWS } from './rehearsal/rehearse.js';
/** @internal */
export { DEFAULT_LOCK_THRESHOLD_ROWS } from '@understudy/core';
/** @internal */
export { diffData } from './rehearsal/data-diff.js';
/** @internal */
export { cleanLeftovers, describeCleanup } from './rehearsal/leftover-cleanup.js';
/** @internal */
export { DEFAULT_LOCK_THRESHOLD_MS, type HazardInput } from './rehearsal/hazards.js';
/** @internal */
export { estimateStatements, fitLinear, extrapolate, targetRowsFor, type EstimateInput, type EstimateRun, type LinearFit } from './rehearsal/estimate.js';
/** @internal */
export { statementTable, resolveStatementTable, tableOfStatement, type StatementTableName } from './rehearsal/statement-table.js';
/** @internal */
export { oneLine } from './rehearsal/statement-text.js';
/** @internal */
export { strongestLock } from './rehearsal/rehearsal-summary.js';
/** @internal */
export { isMigrationScript, MIGRATION_SET_VERSION, StatementKind, ScriptTransaction, MigrationCommand, MigrationStep } from './migration-model.js';
/** @internal */
export {
  ReportLock,
  ReportRewrite,
  StatementReport,
  OffendingRowsReport,
  FailureReport,
  SkippedStatementReport,
  CommandReport,
  MigrationReport,
  SchemaChange,
  ColumnDataChange,
  TableDataChange,
  DownReport,
  UserCheckReport,
  EstimateReport,
} from './report/rehearsal-report.js';
/** @internal */
export { formatRehearsalPlan, seedSizes, MIN_ESTIMATE_ROWS, type PlannedSeedSize } from './rehearsal/plan-rehearsal.js';
