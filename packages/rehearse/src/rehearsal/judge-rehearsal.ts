/**
 * `judgeRehearsal`: what a rehearsal's observations mean. Pure: from the plan and the run
 * (`runRehearsal`), the schema and data diffs, the data lost and which migration lost it, whether
 * the downs restore the schema, the user checks, the estimates at production size, the hazards,
 * and the report they make (whose `hazards` decide the verdict: `rehearsalExitCode`).
 *
 * @example
 * ```ts
 * const report = judgeRehearsal(plan, await runRehearsal(plan, { set, selection, dialect }));
 * process.exitCode = rehearsalExitCode(report);
 * ```
 */
import type { DataSnapshot } from '@understudy/core';
import type { MigrationSet } from '../migration-model.js';
import type { PendingSelection } from '../pending.js';
import { REHEARSAL_REPORT_VERSION, RehearsalReportModel, type RehearsalReport } from '../report/rehearsal-report.js';
import { diffData } from './data-diff.js';
import { findDataLoss, withMoves } from './data-loss.js';
import { estimateStatements, fasterOf } from './estimate.js';
import { findHazards } from './hazards.js';
import type { RehearsalPlan } from './plan-rehearsal.js';
import type { RehearsalRun } from './run-rehearsal.js';
import { serverLevelHazards } from './server-level.js';
import { diffSchemas } from './schema-diff.js';
import { checkReports } from './user-checks.js';

function rowCounts(snapshot: DataSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot.tables).map(([k, t]) => [k, t.rows]));
}

/** See the module comment. `pending`: the selection's pending migrations (which tables each touched). */
export function judgeRehearsal(plan: RehearsalPlan, run: RehearsalRun, pending: Pick<PendingSelection, 'pending'>, set?: Pick<MigrationSet, 'dir' | 'format'>): RehearsalReport {
  const schemaChanges = diffSchemas(run.schemaBefore, run.schemaAfter);
  const found = run.fingerprints ? findDataLoss(run.fingerprints) : undefined;
  const dataChanges = withMoves(diffData(run.dataBefore, run.dataAfter, { before: run.schemaBefore, after: run.schemaAfter }), found?.moves ?? []);
  let down: RehearsalReport['down'];
  if (run.down) {
    const complete = run.down.steps.every((s) => s.status === 'passed');
    const differences = complete ? diffSchemas(run.schemaBefore, run.down.schemaAfterDown) : [];
    down = { steps: run.down.steps, restored: complete && differences.length === 0, differences };
  }
  const checks = checkReports(plan.checks, run.checks.before, run.checks.after, run.checks.afterDown);
  const tableRows = rowCounts(run.dataBefore);
  const estimates = run.estimate
    ? estimateStatements({
        small: {
          tableRows,
          migrations: fasterOf(fasterOf(run.migrations, run.estimate.again.migrations), run.estimate.third.migrations),
          runs: [run.estimate.again.migrations, run.estimate.third.migrations],
        },
        large: run.estimate.large,
        targetRows: run.estimate.targetRows,
        source: plan.estimate?.source ?? 'the plan',
      })
    : [];
  const hazards = serverLevelHazards(run.migrations).concat(
    findHazards({
      migrations: run.migrations,
      pending: pending.pending,
      dataChanges,
      ...(found ? { dataLoss: found.losses } : {}),
      ...(down ? { down } : {}),
      checks,
      tableRows,
      lockThresholdRows: plan.lockThresholdRows,
      ...(estimates.length > 0 ? { estimates } : {}),
      lockThresholdMs: plan.lockThresholdMs,
      ...(run.lockModes ? { lockModes: run.lockModes } : {}),
    }),
  );
  const migrations = run.migrations.map((m) => ({ ...m, hazards: hazards.filter((h) => h.migration === m.id).map((h) => h.message) }));
  return RehearsalReportModel.parse({
    version: REHEARSAL_REPORT_VERSION,
    environment: run.environment,
    dialect: run.dialect,
    migrationsDir: set?.dir ?? plan.migrationsDir,
    format: set?.format ?? plan.format,
    baseline: plan.baseline.map((m) => ({ id: m.id, name: m.name })),
    seed: run.seeded,
    migrations,
    schemaChanges,
    dataChanges,
    ...(down ? { down } : {}),
    checks,
    estimates,
    hazards,
    notes: run.notes,
    durationMs: run.durationMs,
  });
}
