/**
 * `planRehearsal`: what a rehearsal will do, decided before anything is opened or connected. Pure:
 * from the migration set, the pending selection (see `selectPending`) and the options, it returns
 * a plain, JSON-serializable `RehearsalPlan`: the baseline and pending migrations, the seed sizes
 * (first run, and the estimate run), the production rows an estimate extrapolates to, the hazard
 * thresholds, whether the downs and which user checks run, and the notes known in advance.
 * `understudy rehearse --dry-run` prints it; `runRehearsal` carries it out and `judgeRehearsal`
 * turns what the run observed into the report (see rehearse.ts).
 *
 * @example
 * ```ts
 * const set = await readMigrations('db/migrations');
 * const plan = planRehearsal({ set, selection: await selectPending(set, { pending: 2 }), rows: 5000 });
 * plan.pending.map((m) => m.id); // the last two
 * plan.seed.rows; // 5000
 * ```
 */
import { UsageError, type DialectName, type Profile } from '@understudy/core';
import type { GenerateConfigInput } from '@understudy/generate';
import { isMigrationScript, type Migration, type MigrationSet } from '../migration-model.js';
import type { PendingSelection } from '../pending.js';
import { DEFAULT_LOCK_THRESHOLD_MS } from './hazards.js';
import { DEFAULT_LOCK_THRESHOLD_ROWS, type RehearseCheck } from './rehearse-config.js';

/** Rows per table when neither `rows` nor the config says. */
export const DEFAULT_REHEARSAL_ROWS = 1000;

/**
 * The estimate run's default size: 4 × the first, and at least this many rows, so that the
 * per-row cost stands out of a statement's fixed cost and the timer's noise.
 */
export const MIN_ESTIMATE_ROWS = 10_000;

/** The current version of the plan's JSON form. */
export const REHEARSAL_PLAN_VERSION = 1;

/** How big a seed is: rows per table (absent: the generation config's), or a profile's shape at a scale. */
export type PlannedSeedSize = { readonly rows?: number } | { readonly profileScale: number };

export interface RehearsalPlan {
  readonly version: typeof REHEARSAL_PLAN_VERSION;
  readonly migrationsDir: string;
  /** The migration tool the folder was read as. */
  readonly format: string;
  /** The SQL the migrations are written in. */
  readonly dialect: DialectName;
  /** Where it runs, in words (`PGlite (in memory)`, a URL without password, a container image). */
  readonly environment: string;
  readonly baseline: ReadonlyArray<{ readonly id: string; readonly name: string }>;
  /** `traced`: run statement by statement (a `--command` migration is run as a whole). */
  readonly pending: ReadonlyArray<{ readonly id: string; readonly name: string; readonly traced: boolean }>;
  /** How the pending migrations were chosen: `the last migration (the default; …)`. */
  readonly pendingReason: string;
  readonly seed: {
    /** The generation seed. */
    readonly seed: string | number;
    /** Rows per table (with a profile: rows of its biggest table). */
    readonly rows: number;
    readonly size: PlannedSeedSize;
    /** With a profile: where it came from. */
    readonly profile?: string;
  };
  /** Estimates at production size: the second seed, and the rows statements are extrapolated to. */
  readonly estimate?: {
    readonly targetRows: number | Readonly<Record<string, number>>;
    readonly source: string;
    readonly ignoreUnknown: boolean;
    /** Rows per table of the second run (with a profile: of the biggest table). */
    readonly rows: number;
    readonly size: PlannedSeedSize;
  };
  /** Whether the downs run after the ups (and the schema is compared with the one before). */
  readonly down: boolean;
  /** The user checks (`rehearse.checks` of the config), by name. */
  readonly checks: readonly RehearseCheck[];
  readonly lockThresholdRows: number;
  readonly lockThresholdMs: number;
  /** What a user should know before it runs (order problems, how pending was chosen, why no estimate). */
  readonly notes: readonly string[];
}

export interface PlanRehearsalInput {
  readonly set: MigrationSet;
  /** The baseline and pending migrations (`selectPending`, which may read git). */
  readonly selection: PendingSelection;
  /** Where it runs, in words (default: the set's embedded engine, `in memory`). */
  readonly environment?: string;
  /** Rows per table (default: config `rows`, else 1000). */
  readonly rows?: number;
  readonly seed?: string | number;
  readonly generateConfig?: GenerateConfigInput;
  /** Seed to a profile's shape; `profileSource` names it in the plan. */
  readonly profile?: Profile;
  readonly profileSource?: string;
  /** With `profile`: rows = scale × row estimate (default: `rows` ÷ the largest row estimate). */
  readonly scale?: number;
  readonly estimate?: {
    readonly targetRows: number | Readonly<Record<string, number>>;
    readonly source: string;
    readonly ignoreUnknown?: boolean;
    readonly rows?: number;
  };
  readonly down?: boolean;
  readonly checks?: readonly RehearseCheck[];
  readonly lockThresholdRows?: number;
  readonly lockThresholdMs?: number;
}

function describe(m: Pick<Migration, 'id' | 'name'>): { id: string; name: string } {
  return { id: m.id, name: m.name };
}

/** The first seed's size and the estimate run's (see `PlanRehearsalInput.scale` and `estimate.rows`). */
export function seedSizes(input: Pick<PlanRehearsalInput, 'rows' | 'generateConfig' | 'profile' | 'scale' | 'estimate'>): {
  first: PlannedSeedSize;
  second: PlannedSeedSize;
  firstRows: number;
  secondRows: number;
} {
  const rows = input.rows ?? (input.generateConfig?.rows === undefined ? DEFAULT_REHEARSAL_ROWS : undefined);
  const secondFor = (first: number): number => input.estimate?.rows ?? Math.max(first * 4, MIN_ESTIMATE_ROWS);
  if (input.profile) {
    const largest = Math.max(0, ...Object.values(input.profile.tables).map((t) => t.rowEstimate ?? 0));
    if (largest === 0) {
      const scale = input.scale ?? 1;
      return { first: { profileScale: scale }, second: { profileScale: scale * 4 }, firstRows: rows ?? DEFAULT_REHEARSAL_ROWS, secondRows: 4 * (rows ?? DEFAULT_REHEARSAL_ROWS) };
    }
    const scale = input.scale ?? (rows ?? DEFAULT_REHEARSAL_ROWS) / largest;
    const firstRows = Math.round(scale * largest);
    const secondRows = secondFor(firstRows);
    return { first: { profileScale: scale }, second: { profileScale: secondRows / largest }, firstRows, secondRows };
  }
  const firstRows = rows ?? input.generateConfig?.rows ?? DEFAULT_REHEARSAL_ROWS;
  return { first: rows !== undefined ? { rows } : {}, second: { rows: secondFor(firstRows) }, firstRows, secondRows: secondFor(firstRows) };
}

/**
 * See the module comment. Pure: reads no file, opens no database.
 * @throws UsageError when the estimate's second seed is not bigger than the first.
 */
export function planRehearsal(input: PlanRehearsalInput): RehearsalPlan {
  const { set, selection } = input;
  const notes = [...set.problems, ...selection.problems, `pending: ${selection.reason}`];
  if (set.format === 'command' && selection.baseline.length === 0) {
    notes.push(
      'no baseline: the command ran on an empty database, with no data to meet; give --since REF (e.g. origin/main) to build the baseline with the command at the merge-base, seed it, and rehearse what the branch adds',
    );
  }
  const sizes = seedSizes(input);
  // A --command migration is not traced statement by statement: nothing to estimate.
  const traced = selection.pending.some((m) => isMigrationScript(m.up));
  if (input.estimate && !traced) notes.push('no estimates at production size: the pending migrations are commands, not traced statement by statement');
  if (input.estimate && traced && !input.profile && input.estimate.rows !== undefined && input.estimate.rows <= sizes.firstRows) {
    throw new UsageError(`the estimate run's ${input.estimate.rows} rows per table must be more than the first seed size (${sizes.firstRows} rows per table)`, {
      hint: 'e.g. --rows 1000 --estimate-rows 20000 (the default is 4 × --rows, at least 10,000).',
    });
  }
  const seed = input.seed ?? input.generateConfig?.seed ?? 1;
  return {
    version: REHEARSAL_PLAN_VERSION,
    migrationsDir: set.dir,
    format: set.format,
    dialect: set.dialect,
    environment: input.environment ?? 'the embedded engine (in memory)',
    baseline: selection.baseline.map(describe),
    pending: selection.pending.map((m) => ({ ...describe(m), traced: isMigrationScript(m.up) })),
    pendingReason: selection.reason,
    seed: { seed, rows: sizes.firstRows, size: sizes.first, ...(input.profile && input.profileSource !== undefined ? { profile: input.profileSource } : {}) },
    ...(input.estimate && traced
      ? { estimate: { targetRows: input.estimate.targetRows, source: input.estimate.source, ignoreUnknown: input.estimate.ignoreUnknown ?? false, rows: sizes.secondRows, size: sizes.second } }
      : {}),
    down: input.down !== false && set.format !== 'command',
    checks: input.checks ?? [],
    lockThresholdRows: input.lockThresholdRows ?? DEFAULT_LOCK_THRESHOLD_ROWS,
    lockThresholdMs: input.lockThresholdMs ?? DEFAULT_LOCK_THRESHOLD_MS,
    notes,
  };
}

/** The plan for people: what `rehearse --dry-run` prints. */
export function formatRehearsalPlan(plan: RehearsalPlan): string {
  const fmt = (n: number): string => n.toLocaleString('en-US');
  const list = (ms: RehearsalPlan['baseline']): string => ms.map((m) => (m.name && m.name !== m.id ? `${m.id} ${m.name}` : m.id)).join(', ');
  const lines = [
    `Rehearsal plan for ${plan.migrationsDir} (${plan.format}, ${plan.dialect}) on ${plan.environment}`,
    `Baseline: ${plan.baseline.length} migration${plan.baseline.length === 1 ? '' : 's'}${plan.baseline.length > 0 ? ` (${list(plan.baseline)})` : ''}`,
    `Pending: ${plan.pending.length} migration${plan.pending.length === 1 ? '' : 's'} (${list(plan.pending)})`,
    `Seed: ${fmt(plan.seed.rows)} rows ${'profileScale' in plan.seed.size ? `in the biggest table, to the shape of ${plan.seed.profile ?? 'the profile'} (scale ${plan.seed.size.profileScale.toPrecision(3)})` : 'per table'}, seed ${plan.seed.seed}`,
  ];
  if (plan.estimate) {
    const target =
      typeof plan.estimate.targetRows === 'number'
        ? `${fmt(plan.estimate.targetRows)} rows per table`
        : Object.entries(plan.estimate.targetRows)
            .map(([t, n]) => `${t}=${fmt(n)}`)
            .join(', ');
    lines.push(
      `Estimates: a second seed of ${fmt(plan.estimate.rows)} rows, extrapolated to ${target} (from ${plan.estimate.source}); a blocking lock held longer than ${fmt(plan.lockThresholdMs)} ms is a hazard`,
    );
  } else {
    lines.push(`Estimates: none (give --target-rows or --profile); a lock that blocks writes on a table above ${fmt(plan.lockThresholdRows)} rows is a hazard`);
  }
  lines.push(`Down check: ${plan.down ? 'the downs run after the ups, and must restore the schema' : 'not run'}`);
  lines.push(`User checks: ${plan.checks.length === 0 ? 'none' : plan.checks.map((c) => c.name).join(', ')}`);
  for (const n of plan.notes) lines.push(`note: ${n}`);
  lines.push('Dry run: nothing was created or run.');
  return `${lines.join('\n')}\n`;
}
