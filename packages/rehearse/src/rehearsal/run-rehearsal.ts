/**
 * `runRehearsal`: the I/O of a rehearsal, as a `RehearsalPlan` says (see plan-rehearsal.ts). It
 * records what happened and judges nothing; `judgeRehearsal` turns that into the report. The steps:
 *
 * 1. open the environment (the dialect's `RehearsalTarget`: PGlite, or a throwaway
 *    database on `url`);
 * 2. apply the baseline migrations, untraced (a failure there is a `SqlFileError`
 *    naming file:line: the rehearsal cannot start);
 * 3. introspect, plan data with the generation engine and seed it;
 * 4. snapshot A (schema + data), run the user checks;
 * 5. apply each pending migration, traced (time, locks, rewrites), stopping at the
 *    first failure, whose offending rows are looked up; later ones are `skipped`; a data
 *    fingerprint before and after each one (where the target can);
 * 6. snapshot B, user checks;
 * 7. unless the plan says no or an up failed: the downs in reverse order, schema C, user checks;
 * 8. with an estimate: the baseline again (on the reset target, or a second throwaway
 *    database), seeded at the plan's second size, the pending migrations again, traced; then
 *    the first size twice more, warm.
 *
 * The target is closed (the throwaway database dropped unless `keep`) whatever happens.
 */
import { join } from 'node:path';
import { jsonReadColumns, jsonReadKeys, type JsonReadColumn, type JsonReadKey } from './json-read-columns.js';
import { ConnectionError, SqlFileError, UsageError, type DataFingerprint, type DataSnapshot, type Dialect, type Profile, type RehearsalTarget, type Schema } from '@understudy/core';
import { planForSink, seed, type GenerateConfigInput, type Plan } from '@understudy/generate';
import { isMigrationScript, SESSION_SETTINGS_FILE, type Migration, type MigrationSet } from '../migration-model.js';
import type { PendingSelection } from '../pending.js';
import type { DownReport, MigrationReport, RehearsalReport } from '../report/rehearsal-report.js';
import type { FingerprintStep } from './data-loss.js';
import { targetRowsFor, type EstimateRun } from './estimate.js';
import { cleanLeftovers } from './leftover-cleanup.js';
import type { PlannedSeedSize, RehearsalPlan } from './plan-rehearsal.js';
import { serverLevelLog, skippedNote, type ServerLevelLog } from './server-level.js';
import { runStep } from './run-step.js';
import { runChecks, type CheckResult } from './user-checks.js';

/** What `runRehearsal` needs besides the plan: the migrations themselves, and where and how to run. */
export interface RunRehearsalOptions {
  readonly set: MigrationSet;
  /** The selection the plan was made from (its migrations, in the plan's order). */
  readonly selection: PendingSelection;
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
  /** The generation config (per-table rows, generators, NULL rates). */
  readonly generateConfig?: GenerateConfigInput;
  /** The profile the plan seeds to the shape of (`plan.seed.size.profileScale`). */
  readonly profile?: Profile;
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

/** What a rehearsal observed: plain data, judged by `judgeRehearsal`. */
export interface RehearsalRun {
  /** Where it ran, in words (the target's description). */
  readonly environment: string;
  readonly dialect: RehearsalReport['dialect'];
  readonly seeded: RehearsalReport['seed'];
  /** Schema and data after the baseline and the seed (A), and after the pending migrations (B). */
  readonly schemaBefore: Schema;
  readonly dataBefore: DataSnapshot;
  readonly schemaAfter: Schema;
  readonly dataAfter: DataSnapshot;
  /** The pending migrations as run (their `hazards` still empty). */
  readonly migrations: MigrationReport[];
  /** Fingerprints before and after each pending migration that passed, where the target can take them. */
  readonly fingerprints?: FingerprintStep[];
  /** The downs as run, and the schema after them (absent when not run). */
  readonly down?: { readonly steps: DownReport[]; readonly schemaAfterDown: Schema };
  /** The user checks' results before, after the ups, and after the downs. */
  readonly checks: { readonly before: CheckResult[]; readonly after: CheckResult[]; readonly afterDown?: CheckResult[] };
  /** The estimate runs: the second size, the first size twice more (warm), and the production rows per table. */
  readonly estimate?: { readonly large: EstimateRun; readonly again: EstimateRun; readonly third: EstimateRun; readonly targetRows: Record<string, number> };
  /** The target's lock modes, ranked, with what each blocks. */
  readonly lockModes?: RehearsalTarget['lockModes'];
  /** The plan's notes and what the run added (leftovers dropped, statements not run, …), in order. */
  readonly notes: string[];
  readonly durationMs: number;
}

function describe(m: Pick<Migration, 'id' | 'name'>): string {
  return m.name && m.name !== m.id ? `${m.id}_${m.name}` : m.id;
}

/**
 * The migrations the rehearsal left out (code, `MigrationSet.leftOut`) that the tool applies before
 * `migration`, said in a clause: a failure of `migration` may come from what they do. Undefined when none.
 */
export function leftOutBefore(set: Pick<MigrationSet, 'migrations' | 'leftOut'>, migration: Pick<Migration, 'id' | 'name'>): string | undefined {
  const index = set.migrations.findIndex((m) => m.id === migration.id && m.name === migration.name);
  const before = (set.leftOut ?? []).filter((l) => index >= 0 && l.before <= index);
  if (before.length === 0) return undefined;
  const last = before.slice(-3).map((l) => l.file);
  const more = before.length > 3 ? ` and ${before.length - 3} earlier` : '';
  const kinds = [...new Set(before.map((l) => l.kind))].join(' or ');
  const one = before.length === 1;
  return `${one ? `a migration in ${kinds} comes` : `${before.length} migrations in ${kinds} come`} before it that the rehearsal did not run (${last.join(', ')}${more}): if it needs what ${one ? 'that one does' : 'they do'} (a backfill, a data fix), the failure is the rehearsal's, not the history's; rehearse the project's own runner with --command to include ${one ? 'it' : 'them'}`;
}

/** A note when a pending migration failed after migrations the rehearsal left out (see `leftOutBefore`). */
function failedAfterLeftOut(set: MigrationSet, migrations: readonly MigrationReport[]): string[] {
  const failedAt = migrations.find((m) => m.status === 'failed');
  const code = failedAt ? leftOutBefore(set, failedAt) : undefined;
  return failedAt && code ? [`${failedAt.id} ${failedAt.name} failed, and ${code}`] : [];
}

async function applyBaseline(target: RehearsalTarget, set: MigrationSet, baseline: readonly Migration[], schema: Schema, log: ServerLevelLog, signal?: AbortSignal): Promise<void> {
  // What the tool creates before its first migration (golang-migrate's schema_migrations), then the baseline.
  const steps = [...(set.toolSetup ? [{ id: 'tool setup', name: set.toolSetup.file, up: set.toolSetup }] : []), ...baseline];
  for (const migration of steps) {
    const outcome = await runStep(target, migration.up, { dir: set.dir, schema, diagnose: false, traced: false, skippedRoles: log.roles, ...(signal ? { signal } : {}) });
    log.notes.push(...outcome.skipped.map((s) => skippedNote(`baseline ${describe(migration)}`, s)));
    if (outcome.failure && !isMigrationScript(migration.up)) {
      throw new ConnectionError(`the baseline command failed (${migration.name}): ${outcome.failure.error}`, {
        hint: "The command must apply the base branch's migrations to an empty database: run it there by hand, or rehearse without --since.",
      });
    }
    if (outcome.failure?.file === SESSION_SETTINGS_FILE) {
      // A setting of --set, not a migration: named by the flag and the setting's name (its value may be a secret).
      const name = /^SET (\S+) = /.exec(set.toolSetup?.statements[(outcome.failure.line ?? 1) - 1]?.text ?? '')?.[1] ?? '';
      throw new UsageError(`--set ${name}=… failed: ${outcome.failure.error}`, {
        hint: "It runs as SET NAME = VALUE in the session that runs the migrations: check the setting's name and value on this engine.",
      });
    }
    if (outcome.failure?.file !== undefined && set.setupFiles?.includes(outcome.failure.file)) {
      const { file, line, error } = outcome.failure;
      throw new SqlFileError(join(set.dir, file), line ?? 1, `--setup ${file} failed: ${error}`, {
        hint: 'It runs before the first migration, statement by statement, as your environment runs it: fix the file, or leave it out.',
      });
    }
    if (outcome.failure) {
      const { file, line, error } = outcome.failure;
      const code = leftOutBefore(set, migration);
      throw new SqlFileError(file !== undefined ? join(set.dir, file) : `${set.dir}/${describe(migration)}`, line ?? 1, `baseline migration ${describe(migration)} failed: ${error}`, {
        hint: code
          ? `${code[0]!.toUpperCase()}${code.slice(1)}. Or choose the pending ones with --pending N / --pending-from NAME.`
          : 'The migrations before the pending ones must apply to an empty database. Fix that migration, or choose the pending ones with --pending N / --pending-from NAME.',
      });
    }
  }
}

/** How big a seed is: rows per table, or a profile's shape at a scale. */
type SeedSize = { readonly rows?: number } | { readonly profile: Profile; readonly scale: number };

/** The plan's size with the profile it refers to. */
function sizeOf(size: PlannedSeedSize, profile: Profile | undefined): SeedSize {
  if (!('profileScale' in size)) return size;
  if (!profile) throw new Error('the rehearsal plan seeds to a profile, but runRehearsal was given none');
  return { profile, scale: size.profileScale };
}

interface Seeded {
  readonly report: RehearsalReport['seed'];
  /** Rows planned per table. */
  readonly tableRows: Record<string, number>;
  /** Tables the plan gave no rows, and why (`rows capped at 0 …`: no parent a NOT NULL foreign key can point to). */
  readonly emptied?: readonly string[];
}

/**
 * The config with a JSON generator for each text column the pending migrations read as JSON, whose
 * documents hold the keys they read (`jsonReadKeys`), unless the config gives the column one.
 */
function withJsonColumns(config: GenerateConfigInput | undefined, columns: readonly JsonReadColumn[], keys: readonly JsonReadKey[] = []): GenerateConfigInput | undefined {
  if (columns.length === 0 && keys.length === 0) return config;
  const tables: Record<string, NonNullable<GenerateConfigInput['tables']>[string]> = { ...(config?.tables ?? {}) };
  const targets = new Map<string, { table: string; column: string }>();
  for (const c of [...columns, ...keys]) targets.set(`${c.table}\u0000${c.column}`, { table: c.table, column: c.column });
  for (const c of targets.values()) {
    const bareName = c.table.slice(c.table.indexOf('.') + 1);
    const key = tables[c.table] !== undefined ? c.table : tables[bareName] !== undefined ? bareName : c.table;
    const table = tables[key] ?? {};
    if (table.columns?.[c.column] !== undefined) continue;
    const fields = keys.filter((k) => k.table === c.table && k.column === c.column).map((k) => ({ path: [...k.path], type: k.type ?? 'text', ...(k.from ? { from: { ...k.from } } : {}) }));
    tables[key] = { ...table, columns: { ...(table.columns ?? {}), [c.column]: { generator: 'json', ...(fields.length > 0 ? { params: { fields } } : {}) } } };
  }
  return { ...(config ?? {}), tables };
}

/** What the pending migrations read as JSON: text columns, and keys of JSON documents. */
interface JsonReads {
  readonly columns: readonly JsonReadColumn[];
  readonly keys: readonly JsonReadKey[];
}
const NO_JSON_READS: JsonReads = { columns: [], keys: [] };

/** What `pending` reads as JSON from the baseline's tables, with a note for each (when `notes` is given). */
function jsonReadsOf(pending: readonly Migration[], schema: Schema, notes?: string[]): JsonReads {
  const json: JsonReads = { columns: jsonReadColumns(pending, schema), keys: jsonReadKeys(pending, schema) };
  for (const c of json.columns) notes?.push(`seed: ${c.table}.${c.column} holds JSON documents, as ${c.at} reads it as json`);
  for (const k of json.keys) {
    const key = k.path.map((p) => `'${p}'`).join(' → ');
    notes?.push(`seed: ${k.table}.${k.column} holds the key ${key}, as ${k.at} reads it${k.from ? `, with values of ${k.from.table}.${k.from.column}, which the SQL matches it with` : ''}`);
  }
  return json;
}

/** The most tables a seed leaves empty (with the tables that must reference them), one retry each, before its failure stops the rehearsal. */
const MAX_EMPTIED_TABLES = 5;

/**
 * The table whose generated rows broke one of its constraints (a CHECK, an exclusion constraint, a
 * unique key the generator could not keep), from the sink's error (`loading public.Booking failed on
 * …`, `putting back the keys … of public.AutomationJob after the load failed on …`, with the driver's
 * error as its cause: SQLSTATE class 23, or MySQL's errors of the same kind).
 */
function refusedTable(error: unknown): { table: string; why: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  // Rows refused as they load, or by a key or index rebuilt after the load; the place (a URL) ends at the first ': '.
  const loading = /^(?:loading (\S+)|putting back the keys, indexes and foreign keys of (\S+) after the load) failed on .*?: (.*)$/s.exec(error.message);
  if (!loading) return undefined;
  const cause = (error as { cause?: { code?: unknown; errno?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  // PostgreSQL: integrity constraint violations; MySQL/MariaDB: CHECK (3819, 4025), duplicate key (1062), NULL (1048).
  const integrity = code !== undefined ? code.startsWith('23') || ['ER_CHECK_CONSTRAINT_VIOLATED', 'ER_CONSTRAINT_FAILED', 'ER_DUP_ENTRY', 'ER_BAD_NULL_ERROR'].includes(code) : false;
  if (!integrity) return undefined;
  return { table: (loading[1] ?? loading[2])!, why: loading[3]!.split(' — ')[0]!.trim() };
}

/**
 * Seeds as `seedOnce` does; when a table's generated rows break one of its constraints that the
 * generator does not understand, that table is left empty (a note says why) and the seed runs
 * again, up to MAX_EMPTIED_TABLES tables: the pending migrations still run, on fewer rows, instead
 * of the rehearsal stopping before its first migration.
 */
async function seedData(
  target: RehearsalTarget,
  schema: Schema,
  plan: RehearsalPlan,
  options: RunRehearsalOptions,
  size: SeedSize,
  json: JsonReads = NO_JSON_READS,
  notes?: string[],
): Promise<Seeded> {
  const emptied: string[] = [];
  let refusals = 0;
  for (;;) {
    const config = emptied.length === 0 ? options.generateConfig : withEmptyTables(options.generateConfig, emptied);
    try {
      const seeded = await seedOnce(target, schema, plan, { ...options, ...(config ? { generateConfig: config } : {}) }, size, json);
      notes?.push(...(seeded.emptied ?? []));
      return seeded;
    } catch (error) {
      const refused = refusedTable(error);
      if (!refused || refusals >= MAX_EMPTIED_TABLES || emptied.includes(refused.table) || schema.tables[refused.table] === undefined) throw error;
      refusals++;
      const dependents = mustReference(schema, refused.table).filter((t) => !emptied.includes(t));
      emptied.push(refused.table, ...dependents);
      notes?.push(
        `seed: ${refused.table} is left empty: its generated rows broke a constraint the generator does not follow (${refused.why}); the pending migrations run on it without rows${dependents.length > 0 ? `, and on ${dependents.join(', ')} (every row must reference it)` : ''} (give its columns generators in the config to seed it)`,
      );
    }
  }
}

/** The tables whose every row must reference `table`, directly or through another such table (a foreign key of NOT NULL columns). */
function mustReference(schema: Schema, table: string): string[] {
  const out: string[] = [];
  const queue = [table];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [key, t] of Object.entries(schema.tables)) {
      if (key === table || out.includes(key)) continue;
      const bound = t.foreignKeys.some((fk) => fk.references.table === parent && !fk.virtual && fk.columns.every((c) => t.columns.find((col) => col.name === c)?.nullable === false));
      if (bound) {
        out.push(key);
        queue.push(key);
      }
    }
  }
  return out;
}

/** The config with `rows: 0` for each of `tables`. */
function withEmptyTables(config: GenerateConfigInput | undefined, tables: readonly string[]): GenerateConfigInput {
  const out: Record<string, NonNullable<GenerateConfigInput['tables']>[string]> = { ...(config?.tables ?? {}) };
  for (const table of tables) {
    const bareName = table.slice(table.indexOf('.') + 1);
    const key = out[table] !== undefined ? table : out[bareName] !== undefined ? bareName : table;
    out[key] = { ...(out[key] ?? {}), rows: 0 };
  }
  return { ...(config ?? {}), tables: out };
}

async function seedOnce(target: RehearsalTarget, schema: Schema, plan: RehearsalPlan, options: RunRehearsalOptions, size: SeedSize, json: JsonReads = NO_JSON_READS): Promise<Seeded> {
  const started = performance.now();
  const tables = Object.keys(schema.tables).length;
  if (tables === 0) return { report: { rows: 0, tables: 0, durationMs: 0 }, tableRows: {} };
  // Rows the baseline inserted (reference data, service accounts, the tool's bookkeeping) are kept and used as parents.
  const sink = await target.openSink(schema);
  let generation: Plan;
  try {
    generation = await planForSink(schema, sink, {
      seed: plan.seed.seed,
      canDisableTriggers: options.dialect.capabilities.disableTriggers,
      uncheckedForeignKeyLoad: options.dialect.capabilities.uncheckedForeignKeyLoad,
      ...('profile' in size ? { profile: size.profile, scale: size.scale } : size.rows !== undefined ? { rows: size.rows } : {}),
      ...(options.generateConfig || json.columns.length > 0 || json.keys.length > 0 ? { config: withJsonColumns(options.generateConfig, json.columns, json.keys)! } : {}),
    });
  } catch (error) {
    await sink.rollback();
    throw error;
  }
  const result = await seed({ plan: generation, sink, ...(options.workers !== undefined ? { workers: options.workers } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  return {
    report: { rows: result.rows, tables, durationMs: performance.now() - started },
    tableRows: Object.fromEntries([...Object.entries(generation.kept), ...Object.entries(generation.tables)].map(([k, t]) => [k, t.rows])),
    emptied: Object.entries(generation.tables).flatMap(([k, t]) => (t.rows === 0 ? t.notes.filter((n) => n.startsWith('rows capped at 0')).map((n) => `seed: ${k} is left empty: ${n}`) : [])),
  };
}

/** Fingerprints taken around each pending migration that passed (see data-loss.ts), when the target can. */
interface FingerprintLog {
  readonly take: (previous?: DataFingerprint) => Promise<DataFingerprint>;
  readonly steps: FingerprintStep[];
}

async function applyPending(
  target: RehearsalTarget,
  set: MigrationSet,
  pending: readonly Migration[],
  schema: Schema,
  log: ServerLevelLog,
  onProgress?: (step: string) => void,
  signal?: AbortSignal,
  fingerprints?: FingerprintLog,
): Promise<MigrationReport[]> {
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
      // The statements that wrote rows, with their text: a column converted into another before its drop is not lost.
      const texts = isMigrationScript(migration.up) ? migration.up.statements : [];
      const writes = outcome.statements.flatMap((s) => {
        const text = s.rowsAffected === null ? undefined : texts.find((t) => t.file === s.file && t.line === s.line)?.text;
        return text === undefined ? [] : [{ text, file: s.file, line: s.line, rowsAffected: s.rowsAffected }];
      });
      fingerprints.steps.push({ migration: migration.id, before: last, after: now, ...(writes.length > 0 ? { writes } : {}) });
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
  plan: RehearsalPlan,
  options: RunRehearsalOptions,
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
    const seeded = await seedData(target, schema, plan, options, size, jsonReadsOf(pending, schema));
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

/**
 * See the module comment: carries out `plan`, records what happened.
 * @throws SqlFileError for a failing baseline, ConnectionError for an unreachable server,
 * UsageError when the plan's production rows name a table the baseline does not create.
 */
export async function runRehearsal(plan: RehearsalPlan, options: RunRehearsalOptions): Promise<RehearsalRun> {
  const started = performance.now();
  const { set, selection } = options;
  const planned = [...plan.baseline, ...plan.pending].map((m) => m.id).join('\n');
  if (planned !== [...selection.baseline, ...selection.pending].map((m) => m.id).join('\n')) {
    throw new Error('runRehearsal: the selection is not the one the plan was made from');
  }
  // Each step first checks the signal (Ctrl-C): the rehearsal stops there and the target is still closed.
  const onProgress = (step: string): void => {
    options.signal?.throwIfAborted();
    options.onProgress?.(step);
  };
  const notes = [...plan.notes];
  if (options.url !== undefined && !options.target) {
    onProgress('dropping leftover rehearsal databases');
    notes.push(...(await cleanLeftovers(options.dialect, options.url)));
  }
  onProgress('opening the rehearsal database');
  if (options.target) await options.target.reset?.();
  const target =
    options.target ??
    (await options.dialect.openRehearsalTarget({
      ...(options.url !== undefined ? { url: options.url } : {}),
      ...(options.keep ? { keep: true } : {}),
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      extensions: extensionsOf(options.dialect, set),
    }));
  // Interrupted: stop the statement running now, so the rehearsal ends without waiting for it.
  const cancel = (): void => void target.cancel?.().catch(() => undefined);
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const empty = await target.introspect();
    onProgress(`applying ${selection.baseline.length} baseline migration${selection.baseline.length === 1 ? '' : 's'}`);
    const log = serverLevelLog();
    await applyBaseline(target, set, selection.baseline, empty, log, options.signal);
    const schemaBaseline = await target.introspect();
    const targetRows = plan.estimate ? targetRowsFor(plan.estimate.targetRows, Object.keys(schemaBaseline.tables)) : undefined;
    if (targetRows && targetRows.unknown.length > 0 && !plan.estimate!.ignoreUnknown) {
      throw new UsageError(
        `${plan.estimate!.source} names ${targetRows.unknown.map((t) => `"${t}"`).join(', ')}, not a table after the baseline migrations (tables: ${Object.keys(schemaBaseline.tables).join(', ') || 'none'})`,
        {
          hint: 'Name the tables as the baseline creates them (orders or public.orders), or give one number for every table: --target-rows 2000000.',
        },
      );
    }
    onProgress('seeding');
    const json = jsonReadsOf(selection.pending, schemaBaseline, notes);
    const seeded = (await seedData(target, schemaBaseline, plan, options, sizeOf(plan.seed.size, options.profile), json, notes)).report;
    // Read again after the seed: a seed that drops indexes and makes them again from their text leaves some in
    // another form of the same expression (convoy's `WHERE status IN ('pending', 'claimed')` on a varchar, as
    // PostgreSQL parses `pg_get_indexdef` back), which compared with the schema before it was a change and a down mismatch.
    const schemaA = seeded.tables > 0 ? await target.introspect() : schemaBaseline;
    onProgress('snapshot before');
    const dataA = await target.snapshot(schemaA);
    const checksA = await runChecks(target, plan.checks);

    // A fingerprint before and after each pending migration: a loss is blamed on the one that caused it.
    const fingerprints: FingerprintLog | undefined = target.fingerprint ? { take: (previous) => target.fingerprint!(previous), steps: [] } : undefined;
    const migrations = await applyPending(target, set, selection.pending, schemaA, log, onProgress, options.signal, fingerprints);
    notes.push(...failedAfterLeftOut(set, migrations));
    onProgress('snapshot after');
    const schemaB = await target.introspect();
    const dataB = await target.snapshot(schemaB);
    const checksB = await runChecks(target, plan.checks);

    let down: RehearsalRun['down'];
    let checksC: CheckResult[] | undefined;
    const upFailed = migrations.some((m) => m.status === 'failed');
    if (set.format === 'command') {
      notes.push('down check not run: a --command has no down step to rehearse');
    } else if (plan.down && !upFailed) {
      onProgress('applying the downs');
      const steps = await applyDowns(target, set, selection.pending, schemaB, log);
      const schemaC = await target.introspect();
      checksC = await runChecks(target, plan.checks);
      down = { steps, schemaAfterDown: schemaC };
      const missing = steps.filter((s) => s.status === 'missing');
      if (missing.length > 0) notes.push(`down check incomplete: ${missing.map((s) => `${s.id} ${s.name}`).join(', ')} has no down migration`);
    } else if (upFailed && plan.down) {
      notes.push('downs not run: a pending migration failed (its transaction was rolled back where the engine allows)');
    }

    let estimate: RehearsalRun['estimate'];
    if (plan.estimate && targetRows) {
      const perTable = 'profileScale' in plan.estimate.size ? ' in the biggest table' : ' per table';
      if (upFailed) notes.push('no estimates at production size: a pending migration failed');
      else if (!migrations.some((m) => m.statements.length > 0)) notes.push('no estimates at production size: no statement was traced');
      else {
        const rows = plan.estimate.rows.toLocaleString('en-US');
        onProgress(`estimate run: seeding ${rows} rows${perTable}`);
        const large = await estimateRun(target, plan, options, set, selection.baseline, selection.pending, sizeOf(plan.estimate.size, options.profile), onProgress);
        if (large.failure) notes.push(`estimate run at ${rows} rows: ${large.failure}; the statements after it have no estimate`);
        // The first run was on a cold database: the small size again, warm, and the faster of the two kept.
        onProgress(`estimate run: the first size again`);
        const again = await estimateRun(target, plan, options, set, selection.baseline, selection.pending, sizeOf(plan.seed.size, options.profile), onProgress);
        // And once more: the spread of the two warm runs is the timer's noise, which growth must exceed (the cold run differs by more than noise).
        onProgress(`estimate run: the first size a third time`);
        const third = await estimateRun(target, plan, options, set, selection.baseline, selection.pending, sizeOf(plan.seed.size, options.profile), onProgress);
        estimate = { large, again, third, targetRows: targetRows.rows };
        notes.push(
          `estimates: each statement timed at two seed sizes (${plan.seed.rows.toLocaleString('en-US')} rows${perTable}, three times, the fastest kept and the spread of the two warm runs taken as noise; and ${rows}) and extrapolated to the production rows of ${plan.estimate.source}; timings of small tables are noisy: read them as orders of magnitude`,
        );
      }
    }
    notes.push(...log.notes);
    return {
      environment: target.description,
      dialect: target.dialect,
      seeded,
      schemaBefore: schemaA,
      dataBefore: dataA,
      schemaAfter: schemaB,
      dataAfter: dataB,
      migrations,
      ...(fingerprints ? { fingerprints: fingerprints.steps } : {}),
      ...(down ? { down } : {}),
      checks: { before: checksA, after: checksB, ...(checksC ? { afterDown: checksC } : {}) },
      ...(estimate ? { estimate } : {}),
      ...(target.lockModes ? { lockModes: target.lockModes } : {}),
      notes,
      durationMs: performance.now() - started,
    };
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    if (!options.target) {
      await target.close();
      if (target.keptAs !== undefined) options.onKept?.(target.keptAs);
    }
  }
}
