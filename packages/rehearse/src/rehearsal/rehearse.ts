/**
 * `rehearse`: runs a migration set's pending migrations on representative data
 * and reports what happened. The steps:
 *
 * 1. open the environment (the dialect's `RehearsalTarget`: PGlite, or a throwaway
 *    database on `url`);
 * 2. apply the baseline migrations, untraced (a failure there is a `SqlFileError`
 *    naming file:line: the rehearsal cannot start);
 * 3. introspect, plan data with the generation engine and seed it;
 * 4. snapshot A (schema + data), run the user checks;
 * 5. apply each pending migration, traced (time, locks, rewrites), stopping at the
 *    first failure, whose offending rows are looked up; later ones are `skipped`; a data
 *    fingerprint before and after each one (where the target can), so that a loss is
 *    blamed on the migration that caused it (see data-loss.ts);
 * 6. snapshot B, user checks; diff A→B (schema and data);
 * 7. unless `down: false` or an up failed: the downs in reverse order, snapshot C,
 *    user checks, schema diff C vs A;
 * 8. with `estimate`: the baseline again (on the reset target, or a second throwaway
 *    database), seeded bigger (`estimate.rows`, default 4 × the first size, at least 10,000), the pending
 *    migrations again, traced; each statement's duration fitted over the two sizes and
 *    extrapolated to the production rows (see estimate.ts);
 * 9. hazards (see hazards.ts), the report.
 *
 * The target is closed (the throwaway database dropped unless `keep`) whatever happens.
 *
 * @example
 * ```ts
 * const set = await readMigrations('fixtures/migrations/rehearse/not-null');
 * const report = await rehearse({ set, dialect: postgresDialect, rows: 1000, seed: 1 });
 * process.exitCode = rehearsalExitCode(report);
 * ```
 */
import { jsonReadColumns, type JsonReadColumn } from './json-read-columns.js';
import { ConnectionError, SqlFileError, UsageError, type DataFingerprint, type DataSnapshot, type Dialect, type Profile, type RehearsalTarget, type Schema } from '@understudy/core';
import { planForSink, seed, type GenerateConfigInput, type Plan } from '@understudy/generate';
import { isMigrationScript, type Migration, type MigrationSet } from '../migration-model.js';
import { selectPending, type PendingOptions } from '../pending.js';
import { REHEARSAL_REPORT_VERSION, RehearsalReportModel, type DownReport, type MigrationReport, type RehearsalReport } from '../report/rehearsal-report.js';
import { diffData } from './data-diff.js';
import { findDataLoss, withMoves, type FingerprintStep } from './data-loss.js';
import { estimateStatements, fasterOf, targetRowsFor, type EstimateRun } from './estimate.js';
import { findHazards } from './hazards.js';
import { cleanLeftovers } from './leftover-cleanup.js';
import { serverLevelHazards, serverLevelLog, skippedNote, type ServerLevelLog } from './server-level.js';
import { DEFAULT_LOCK_THRESHOLD_ROWS, type RehearseCheck } from './rehearse-config.js';
import { runStep } from './run-step.js';
import { diffSchemas } from './schema-diff.js';
import { checkReports, runChecks, type CheckResult } from './user-checks.js';

/** Rows per table when neither `rows` nor the config says. */
export const DEFAULT_REHEARSAL_ROWS = 1000;

/**
 * The estimate run's default size: 4 × the first, and at least this many rows, so that the
 * per-row cost stands out of a statement's fixed cost and the timer's noise.
 */
export const MIN_ESTIMATE_ROWS = 10_000;

export interface RehearseOptions {
  readonly set: MigrationSet;
  /** Which migrations are pending (default: the last one). */
  readonly pending?: PendingOptions;
  /** The dialect that opens the rehearsal database. */
  readonly dialect: Pick<Dialect, 'name' | 'capabilities' | 'openRehearsalTarget' | 'cleanRehearsalDatabases' | 'extensionsUsedBy'>;
  /** A server to create the throwaway database on; absent: the dialect's embedded engine. */
  readonly url?: string;
  /** Keep the throwaway database. */
  readonly keep?: boolean;
  /**
   * With `keep`: called once the rehearsal database is closed and kept, with where it is (a URL
   * without password, or a PGlite folder), however the rehearsal ended: a report, a failed
   * baseline, an interrupt or an error.
   */
  readonly onKept?: (where: string) => void;
  /** PGlite: keep the database in this folder. */
  readonly dataDir?: string;
  /** Rows per table (default: config `rows`, else 1000). */
  readonly rows?: number;
  readonly seed?: string | number;
  /** The generation config (per-table rows, generators, NULL rates). */
  readonly generateConfig?: GenerateConfigInput;
  readonly checks?: readonly RehearseCheck[];
  /** Run the downs and compare the schema (default true). */
  readonly down?: boolean;
  readonly lockThresholdRows?: number;
  /** With `estimate`: a blocking lock estimated to be held longer than this at production size is a hazard (default 1000). */
  readonly lockThresholdMs?: number;
  /**
   * Seed to a production profile's shape (`buildPlan(schema, { profile, scale })`): rows =
   * `scale` × each table's row estimate, values following its statistics.
   */
  readonly profile?: Profile;
  /** With `profile`: rows = scale × row estimate (default: `rows` (or 1000) ÷ the largest row estimate, so the biggest table gets `rows`). */
  readonly scale?: number;
  /**
   * Estimate each statement's duration and lock time at production size: the pending migrations
   * run a second time on a bigger seed, and each statement's time is fitted over the two sizes.
   */
  readonly estimate?: {
    /** Production rows: one number for every table, or per table (`orders` or `public.orders`). */
    readonly targetRows: number | Readonly<Record<string, number>>;
    /** Where they come from, for the basis text and errors: `--target-rows`, `profile.json`. */
    readonly source: string;
    /** Tables of `targetRows` missing from the schema are skipped instead of a UsageError (a profile's extra tables). */
    readonly ignoreUnknown?: boolean;
    /** Rows per table of the second run (default 4 × the first, at least `MIN_ESTIMATE_ROWS`; with a profile, of the biggest table). */
    readonly rows?: number;
  };
  /** Worker threads for the seed (default: as `seed`'s, this thread for 100,000 rows or fewer, else one less than the cores). */
  readonly workers?: number;
  /** Called before each step, for progress display. */
  readonly onProgress?: (step: string) => void;
  /**
   * An open target to rehearse on instead of opening one (tests share one PGlite this way). It is
   * emptied first (`reset`) and left open; `url`, `keep` and `dataDir` do not apply, and it has
   * only the extensions it was opened with.
   */
  readonly target?: RehearsalTarget;
  /** Stops the rehearsal between steps (and the seed) when aborted; the target is closed all the same. */
  readonly signal?: AbortSignal;
}

function describe(m: Pick<Migration, 'id' | 'name'>): string {
  return m.name && m.name !== m.id ? `${m.id}_${m.name}` : m.id;
}

async function applyBaseline(target: RehearsalTarget, set: MigrationSet, baseline: readonly Migration[], schema: Schema, log: ServerLevelLog, signal?: AbortSignal): Promise<void> {
  // What the tool creates before its first migration (golang-migrate's schema_migrations), then the baseline.
  const steps = [...(set.toolSetup ? [{ id: 'tool setup', name: set.toolSetup.file, up: set.toolSetup }] : []), ...baseline];
  for (const migration of steps) {
    const outcome = await runStep(target, migration.up, { dir: set.dir, schema, diagnose: false, skippedRoles: log.roles, ...(signal ? { signal } : {}) });
    log.notes.push(...outcome.skipped.map((s) => skippedNote(`baseline ${describe(migration)}`, s)));
    if (outcome.failure && !isMigrationScript(migration.up)) {
      throw new ConnectionError(`the baseline command failed (${migration.name}): ${outcome.failure.error}`, {
        hint: 'The command must apply the base branch\'s migrations to an empty database: run it there by hand, or rehearse without --since.',
      });
    }
    if (outcome.failure) {
      const { file, line, error } = outcome.failure;
      throw new SqlFileError(`${set.dir}/${file ?? describe(migration)}`, line ?? 1, `baseline migration ${describe(migration)} failed: ${error}`, {
        hint: 'The migrations before the pending ones must apply to an empty database. Fix that migration, or choose the pending ones with --pending N / --pending-from NAME.',
      });
    }
  }
}

/** How big a seed is: rows per table, or a profile's shape at a scale. */
type SeedSize = { readonly rows?: number } | { readonly profile: Profile; readonly scale: number };

interface Seeded {
  readonly report: RehearsalReport['seed'];
  /** Rows planned per table. */
  readonly tableRows: Record<string, number>;
}

/** The config with a JSON generator for each text column the pending migrations read as JSON (unless the config gives one). */
function withJsonColumns(config: RehearseOptions['generateConfig'], columns: readonly JsonReadColumn[]): RehearseOptions['generateConfig'] {
  if (columns.length === 0) return config;
  const tables: Record<string, NonNullable<NonNullable<RehearseOptions['generateConfig']>['tables']>[string]> = { ...(config?.tables ?? {}) };
  for (const c of columns) {
    const bareName = c.table.slice(c.table.indexOf('.') + 1);
    const key = tables[c.table] !== undefined ? c.table : tables[bareName] !== undefined ? bareName : c.table;
    const table = tables[key] ?? {};
    if (table.columns?.[c.column] !== undefined) continue;
    tables[key] = { ...table, columns: { ...(table.columns ?? {}), [c.column]: { generator: 'json' } } };
  }
  return { ...(config ?? {}), tables };
}

async function seedData(target: RehearsalTarget, schema: Schema, options: RehearseOptions, size: SeedSize, jsonColumns: readonly JsonReadColumn[] = []): Promise<Seeded> {
  const started = performance.now();
  const tables = Object.keys(schema.tables).length;
  if (tables === 0) return { report: { rows: 0, tables: 0, durationMs: 0 }, tableRows: {} };
  // Rows the baseline inserted (reference data, service accounts, the tool's bookkeeping) are kept and used as parents.
  const sink = await target.openSink(schema);
  let plan: Plan;
  try {
    plan = await planForSink(schema, sink, {
      seed: options.seed ?? options.generateConfig?.seed ?? 1,
      canDisableTriggers: options.dialect.capabilities.disableTriggers,
      uncheckedForeignKeyLoad: options.dialect.capabilities.uncheckedForeignKeyLoad,
      ...('profile' in size ? { profile: size.profile, scale: size.scale } : size.rows !== undefined ? { rows: size.rows } : {}),
      ...(options.generateConfig || jsonColumns.length > 0 ? { config: withJsonColumns(options.generateConfig, jsonColumns)! } : {}),
    });
  } catch (error) {
    await sink.rollback();
    throw error;
  }
  const result = await seed({ plan, sink, ...(options.workers !== undefined ? { workers: options.workers } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  return { report: { rows: result.rows, tables, durationMs: performance.now() - started }, tableRows: Object.fromEntries([...Object.entries(plan.kept), ...Object.entries(plan.tables)].map(([k, t]) => [k, t.rows])) };
}

/** The first seed's size and the estimate run's, from the options (see `RehearseOptions.scale` and `estimate.rows`). */
function seedSizes(options: RehearseOptions): { first: SeedSize; second: SeedSize; firstRows: number; secondRows: number } {
  const rows = options.rows ?? (options.generateConfig?.rows === undefined ? DEFAULT_REHEARSAL_ROWS : undefined);
  const secondFor = (first: number): number => options.estimate?.rows ?? Math.max(first * 4, MIN_ESTIMATE_ROWS);
  if (options.profile) {
    const largest = Math.max(0, ...Object.values(options.profile.tables).map((t) => t.rowEstimate ?? 0));
    if (largest === 0) {
      const scale = options.scale ?? 1;
      return { first: { profile: options.profile, scale }, second: { profile: options.profile, scale: scale * 4 }, firstRows: rows ?? DEFAULT_REHEARSAL_ROWS, secondRows: 4 * (rows ?? DEFAULT_REHEARSAL_ROWS) };
    }
    const scale = options.scale ?? (rows ?? DEFAULT_REHEARSAL_ROWS) / largest;
    const firstRows = Math.round(scale * largest);
    const secondRows = secondFor(firstRows);
    return { first: { profile: options.profile, scale }, second: { profile: options.profile, scale: secondRows / largest }, firstRows, secondRows };
  }
  const firstRows = rows ?? options.generateConfig?.rows ?? DEFAULT_REHEARSAL_ROWS;
  return { first: rows !== undefined ? { rows } : {}, second: { rows: secondFor(firstRows) }, firstRows, secondRows: secondFor(firstRows) };
}

/** Fingerprints taken around each pending migration that passed (see data-loss.ts), when the target can. */
interface FingerprintLog {
  readonly take: (previous?: DataFingerprint) => Promise<DataFingerprint>;
  readonly steps: FingerprintStep[];
}

async function applyPending(target: RehearsalTarget, set: MigrationSet, pending: readonly Migration[], schema: Schema, log: ServerLevelLog, onProgress?: (step: string) => void, signal?: AbortSignal, fingerprints?: FingerprintLog): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  let failed = false;
  let last = fingerprints ? await fingerprints.take() : undefined;
  for (const migration of pending) {
    if (failed) {
      reports.push({ id: migration.id, name: migration.name, status: 'skipped', durationMs: 0, statements: [], hazards: [] });
      continue;
    }
    onProgress?.(`applying ${describe(migration)}`);
    const outcome = await runStep(target, migration.up, { dir: set.dir, schema, skippedRoles: log.roles, ...(signal ? { signal } : {}) });
    failed = outcome.failure !== undefined;
    if (fingerprints && last && !failed) {
      const now = await fingerprints.take(last);
      fingerprints.steps.push({ migration: migration.id, before: last, after: now });
      last = now;
    }
    reports.push({
      id: migration.id,
      name: migration.name,
      status: failed ? 'failed' : 'passed',
      durationMs: outcome.durationMs,
      statements: outcome.statements,
      ...(outcome.failure ? { failure: outcome.failure } : {}),
      ...(outcome.skipped.length > 0 ? { skipped: outcome.skipped } : {}),
      ...(outcome.command ? { command: outcome.command } : {}),
      hazards: [],
    });
  }
  return reports;
}

async function applyDowns(target: RehearsalTarget, set: MigrationSet, pending: readonly Migration[], schema: Schema, log: ServerLevelLog): Promise<DownReport[]> {
  const steps: DownReport[] = [];
  let stopped = false;
  for (const migration of [...pending].reverse()) {
    if (stopped) {
      steps.push({ id: migration.id, name: migration.name, status: 'skipped', durationMs: 0 });
      continue;
    }
    if (!migration.down) {
      steps.push({ id: migration.id, name: migration.name, status: 'missing', durationMs: 0 });
      stopped = true;
      continue;
    }
    const outcome = await runStep(target, migration.down, { dir: set.dir, schema, skippedRoles: log.roles });
    log.notes.push(...outcome.skipped.map((s) => skippedNote(`down of ${describe(migration)}`, s)));
    if (outcome.failure) stopped = true;
    steps.push({ id: migration.id, name: migration.name, status: outcome.failure ? 'failed' : 'passed', durationMs: outcome.durationMs, ...(outcome.failure ? { failure: outcome.failure } : {}) });
  }
  return steps;
}

/**
 * The second run of an estimate: the baseline on an emptied target (`reset`) or a new throwaway
 * database, seeded at `size`, then the pending migrations, traced (no snapshots, no downs).
 */
async function estimateRun(
  main: RehearsalTarget,
  options: RehearseOptions,
  set: MigrationSet,
  baseline: readonly Migration[],
  pending: readonly Migration[],
  size: SeedSize,
  onProgress: (step: string) => void,
): Promise<EstimateRun & { failure?: string }> {
  const reuse = main.reset !== undefined;
  if (reuse) await main.reset!();
  const target = reuse ? main : await options.dialect.openRehearsalTarget({ ...(options.url !== undefined ? { url: options.url } : {}), extensions: extensionsOf(options.dialect, set) });
  try {
    const empty = await target.introspect();
    const log = serverLevelLog();
    await applyBaseline(target, set, baseline, empty, log);
    const schema = await target.introspect();
    const seeded = await seedData(target, schema, options, size, jsonReadColumns(pending, schema));
    const migrations = await applyPending(target, set, pending, schema, log, (step) => onProgress(`estimate run: ${step}`));
    const failed = migrations.find((m) => m.failure);
    const where = failed?.failure ? `${failed.id} ${failed.name} failed${failed.failure.file ? ` at ${failed.failure.file}:${failed.failure.line ?? 1}` : ''}: ${failed.failure.error}` : undefined;
    return { tableRows: seeded.tableRows, migrations, ...(where ? { failure: where } : {}) };
  } finally {
    if (!reuse) await target.close();
  }
}

/** Extensions any migration creates (`CREATE EXTENSION [IF NOT EXISTS] name`, also inside a DO block). */
/** The extensions the migrations create, as the dialect reads them (for an embedded engine to load first). */
function extensionsOf(dialect: Pick<Dialect, 'extensionsUsedBy'>, set: MigrationSet): string[] {
  const texts = set.migrations.flatMap((m) => [m.up, m.down].flatMap((step) => (step && isMigrationScript(step) ? step.statements.map((s) => s.text) : [])));
  return dialect.extensionsUsedBy(texts);
}

function rowCounts(snapshot: DataSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot.tables).map(([k, t]) => [k, t.rows]));
}

/** See the module comment. @throws UsageError for a dialect without rehearsal, SqlFileError for a failing baseline, ConnectionError for an unreachable server. */
export async function rehearse(options: RehearseOptions): Promise<RehearsalReport> {
  const started = performance.now();
  const { set } = options;
  // Each step first checks the signal (Ctrl-C): the rehearsal stops there and the target is still closed.
  const onProgress = (step: string): void => {
    options.signal?.throwIfAborted();
    options.onProgress?.(step);
  };
  const checks = options.checks ?? [];
  const selection = await selectPending(set, options.pending ?? {});
  const notes = [...set.problems, ...selection.problems, `pending: ${selection.reason}`];
  if (set.format === 'command' && selection.baseline.length === 0) {
    notes.push('no baseline: the command ran on an empty database, with no data to meet; give --since REF (e.g. origin/main) to build the baseline with the command at the merge-base, seed it, and rehearse what the branch adds');
  }
  if (options.url !== undefined && !options.target) {
    onProgress('dropping leftover rehearsal databases');
    notes.push(...(await cleanLeftovers(options.dialect, options.url)));
  }
  onProgress('opening the rehearsal database');
  if (options.target) await options.target.reset?.();
  const target = options.target ?? await options.dialect.openRehearsalTarget({
    ...(options.url !== undefined ? { url: options.url } : {}),
    ...(options.keep ? { keep: true } : {}),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    extensions: extensionsOf(options.dialect, set),
  });
  // Interrupted: stop the statement running now, so the rehearsal ends without waiting for it.
  const cancel = (): void => void target.cancel?.().catch(() => undefined);
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const empty = await target.introspect();
    onProgress(`applying ${selection.baseline.length} baseline migration${selection.baseline.length === 1 ? '' : 's'}`);
    const log = serverLevelLog();
    await applyBaseline(target, set, selection.baseline, empty, log, options.signal);
    const schemaA = await target.introspect();
    const sizes = seedSizes(options);
    // A --command migration is not traced statement by statement: nothing to estimate.
    const traced = selection.pending.some((m) => isMigrationScript(m.up));
    if (options.estimate && !traced) notes.push('no estimates at production size: the pending migrations are commands, not traced statement by statement');
    const targetRows = options.estimate && traced ? targetRowsFor(options.estimate.targetRows, Object.keys(schemaA.tables)) : undefined;
    if (targetRows && targetRows.unknown.length > 0 && !options.estimate!.ignoreUnknown) {
      throw new UsageError(`${options.estimate!.source} names ${targetRows.unknown.map((t) => `"${t}"`).join(', ')}, not a table after the baseline migrations (tables: ${Object.keys(schemaA.tables).join(', ') || 'none'})`, {
        hint: 'Name the tables as the baseline creates them (orders or public.orders), or give one number for every table: --target-rows 2000000.',
      });
    }
    onProgress('seeding');
    const jsonColumns = jsonReadColumns(selection.pending, schemaA);
    for (const c of jsonColumns) notes.push(`seed: ${c.table}.${c.column} holds JSON documents, as ${c.at} reads it as json`);
    const seeded = (await seedData(target, schemaA, options, sizes.first, jsonColumns)).report;
    onProgress('snapshot before');
    const dataA = await target.snapshot(schemaA);
    const checksA = await runChecks(target, checks);

    // A fingerprint before and after each pending migration: a loss is blamed on the one that caused it.
    const fingerprints: FingerprintLog | undefined = target.fingerprint ? { take: (previous) => target.fingerprint!(previous), steps: [] } : undefined;
    const migrations = await applyPending(target, set, selection.pending, schemaA, log, onProgress, options.signal, fingerprints);
    onProgress('snapshot after');
    const schemaB = await target.introspect();
    const dataB = await target.snapshot(schemaB);
    const checksB = await runChecks(target, checks);
    const schemaChanges = diffSchemas(schemaA, schemaB);
    const found = fingerprints ? findDataLoss(fingerprints.steps) : undefined;
    const dataChanges = withMoves(diffData(dataA, dataB, { before: schemaA, after: schemaB }), found?.moves ?? []);

    let down: RehearsalReport['down'];
    let checksC: CheckResult[] | undefined;
    const upFailed = migrations.some((m) => m.status === 'failed');
    if (set.format === 'command') {
      notes.push('down check not run: a --command has no down step to rehearse');
    } else if (options.down !== false && !upFailed) {
      onProgress('applying the downs');
      const steps = await applyDowns(target, set, selection.pending, schemaB, log);
      const schemaC = await target.introspect();
      checksC = await runChecks(target, checks);
      const complete = steps.every((s) => s.status === 'passed');
      const differences = complete ? diffSchemas(schemaA, schemaC) : [];
      down = { steps, restored: complete && differences.length === 0, differences };
      const missing = steps.filter((s) => s.status === 'missing');
      if (missing.length > 0) notes.push(`down check incomplete: ${missing.map((s) => `${s.id} ${s.name}`).join(', ')} has no down migration`);
    } else if (upFailed && options.down !== false) {
      notes.push('downs not run: a pending migration failed (its transaction was rolled back where the engine allows)');
    }

    const checkResults = checkReports(checks, checksA, checksB, checksC);
    let estimates: RehearsalReport['estimates'] = [];
    if (options.estimate && targetRows) {
      if (upFailed) notes.push('no estimates at production size: a pending migration failed');
      else if (!migrations.some((m) => m.statements.length > 0)) notes.push('no estimates at production size: no statement was traced');
      else {
        onProgress(`estimate run: seeding ${sizes.secondRows.toLocaleString('en-US')} rows${options.profile ? ' in the biggest table' : ' per table'}`);
        const large = await estimateRun(target, options, set, selection.baseline, selection.pending, sizes.second, onProgress);
        if (large.failure) notes.push(`estimate run at ${sizes.secondRows.toLocaleString('en-US')} rows: ${large.failure}; the statements after it have no estimate`);
        // The first run was on a cold database: the small size again, warm, and the faster of the two kept.
        onProgress(`estimate run: the first size again`);
        const again = await estimateRun(target, options, set, selection.baseline, selection.pending, sizes.first, onProgress);
        // And once more: the spread of the two warm runs is the timer's noise, which growth must exceed (the cold run differs by more than noise).
        onProgress(`estimate run: the first size a third time`);
        const third = await estimateRun(target, options, set, selection.baseline, selection.pending, sizes.first, onProgress);
        const warm = [again.migrations, third.migrations];
        estimates = estimateStatements({ small: { tableRows: rowCounts(dataA), migrations: fasterOf(fasterOf(migrations, again.migrations), third.migrations), runs: warm }, large, targetRows: targetRows.rows, source: options.estimate.source });
        notes.push(`estimates: each statement timed at two seed sizes (${sizes.firstRows.toLocaleString('en-US')} rows${options.profile ? ' in the biggest table' : ' per table'}, three times, the fastest kept and the spread of the two warm runs taken as noise; and ${sizes.secondRows.toLocaleString('en-US')}) and extrapolated to the production rows of ${options.estimate.source}; timings of small tables are noisy: read them as orders of magnitude`);
      }
    }
    notes.push(...log.notes);
    const hazards = serverLevelHazards(migrations).concat(findHazards({
      migrations,
      pending: selection.pending,
      dataChanges,
      ...(found ? { dataLoss: found.losses } : {}),
      ...(down ? { down } : {}),
      checks: checkResults,
      tableRows: rowCounts(dataA),
      lockThresholdRows: options.lockThresholdRows ?? DEFAULT_LOCK_THRESHOLD_ROWS,
      ...(estimates.length > 0 ? { estimates } : {}),
      ...(options.lockThresholdMs !== undefined ? { lockThresholdMs: options.lockThresholdMs } : {}),
      ...(target.lockModes ? { lockModes: target.lockModes } : {}),
    }));
    const withHazards = migrations.map((m) => ({ ...m, hazards: hazards.filter((h) => h.migration === m.id).map((h) => h.message) }));
    return RehearsalReportModel.parse({
      version: REHEARSAL_REPORT_VERSION,
      environment: target.description,
      dialect: target.dialect,
      migrationsDir: set.dir,
      format: set.format,
      baseline: selection.baseline.map((m) => ({ id: m.id, name: m.name })),
      seed: seeded,
      migrations: withHazards,
      schemaChanges,
      dataChanges,
      ...(down ? { down } : {}),
      checks: checkResults,
      estimates,
      hazards,
      notes,
      durationMs: performance.now() - started,
    });
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    if (!options.target) {
      await target.close();
      if (target.keptAs !== undefined) options.onKept?.(target.keptAs);
    }
  }
}
