/**
 * `buildPlan`: from a Schema (and options, and a config) to a Plan. Pure: the
 * same inputs always give the same plan, and nothing here touches a database.
 * Every problem (an unsupported NOT NULL column, an impossible unique key, an
 * unbreakable FK cycle, a config naming a missing table) is collected and
 * thrown at once as a `PlanError`.
 *
 * @example
 * ```ts
 * const plan = buildPlan(schema, { seed: 42, rows: 1000, tableRows: { 'public.film': 200 } });
 * const rows = generateRows(plan, 'public.film', 0, 200);
 * ```
 */
import { settleChildSums } from './profile-lines.js';
import { buildFkGraph, UsageError, type ExistingRows, type FkGraph, type Profile, type Schema, type Table } from '@understudy/core';
import { FAKER_VERSION, GENERATOR_VERSION } from '../version.js';
import { fakerLocale } from '../random/faker-randomizer.js';
import { GenerateConfig, type GenerateConfigInput, type TableConfig } from './generate-config.js';
import { planCostOrder, planLoadOrder } from './load-order.js';
import { PlanError, type PlanProblem } from './plan-errors.js';
import { PLAN_VERSION, PlanModel, type Plan, type PlanKeptTable, type PlanTable } from './plan-model.js';
import { columnShape } from './column-shape.js';
import { sequenceRowLimit } from './key-planner.js';
import { withPartitionForeignKeys } from '@understudy/core';
import { matchProfileTables, profileRowCounts, type MatchedProfileTable } from './profile-planner.js';
import { planTable, type TablePlanContext } from './table-planner.js';
import { planRowCounts } from './table-rows.js';
import { withImplicitReferences } from './implicit-references.js';
import { compilePlan } from '../row/compiled-plan.js';
import { agreeingShortfalls } from './agreeing-capacity.js';
import { createRowGenerator } from '../row/row-generator.js';
import { selectTables } from './table-selection.js';

export interface PlanOptions {
  readonly seed: string | number;
  /** Rows per table (default: config `rows`, else 1000). */
  readonly rows?: number;
  /** Rows = scale × each table's row estimate. */
  readonly scale?: number;
  /** Rows of particular tables, keyed `schema.table` (or `table` when unambiguous). */
  readonly tableRows?: Readonly<Record<string, number>>;
  readonly config?: GenerateConfigInput;
  /** faker locale (default: config `locale`, else `en`). */
  readonly locale?: string;
  /** "Now" for the data (default: config `referenceTime`, else 2025-01-01T00:00:00Z). */
  readonly referenceTime?: string | Date;
  /** NULL rate for nullable columns with no other rule (default: config `nullRate`, else 0.1). */
  readonly nullRate?: number;
  /**
   * A production profile to generate to: rows = scale × its row estimates (scale default 1;
   * `rows`, `tableRows` and config rows still win), and free columns and FK fan-outs follow its statistics.
   */
  readonly profile?: Profile;
  /**
   * The target can load a table with FK checks off and validate afterwards (the dialect's
   * `uncheckedForeignKeyLoad` capability): a cycle of NOT NULL foreign keys is then loadable.
   */
  readonly uncheckedForeignKeyLoad?: boolean;
  /** Table patterns: load only these (config `only` otherwise); the others are kept as they are. */
  readonly only?: readonly string[];
  /** Table patterns not to load (added to config `exclude`). */
  readonly exclude?: readonly string[];
  /**
   * Rows already in the target (`Sink.existingRows`): a table that has some is kept as it is, not
   * loaded, and the tables that reference it pick their parents among its rows.
   */
  readonly existing?: readonly ExistingRows[];
  /**
   * The target can disable triggers for a load (the dialect's `disableTriggers` capability): user
   * triggers are then disabled unless config `triggers` is `run`.
   */
  readonly canDisableTriggers?: boolean;
}

export const DEFAULT_REFERENCE_TIME = '2025-01-01T00:00:00.000Z';
export const DEFAULT_NULL_RATE = 0.1;

/**
 * A table key as the user wrote it → the Schema's key (`customer` → `public.customer`).
 *
 * @example
 * ```ts
 * resolveTableKey(schema, 'customer'); // 'public.customer'
 * ```
 */
export function resolveTableKey(schema: Schema, key: string, candidates: readonly string[] = Object.keys(schema.tables)): string | undefined {
  if (candidates.includes(key)) return key;
  const byName = candidates.filter((k) => schema.tables[k]!.name === key);
  if (byName.length === 1) return byName[0];
  const lower = key.toLowerCase();
  const ci = candidates.filter((k) => k.toLowerCase() === lower || schema.tables[k]!.name.toLowerCase() === lower);
  return ci.length === 1 ? ci[0] : undefined;
}

function parseConfig(config: GenerateConfigInput | undefined): GenerateConfig {
  const parsed = GenerateConfig.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`config is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}`, {
      hint: 'See defineConfig() for the shape of a config.',
    });
  }
  return parsed.data;
}

/**
 * The most rows `tableKey` can get: none for a partitioned table without a partition; else what
 * its own sequence key can number, and what the keys of the tables its INSERT triggers fill (one
 * row each per row of it) can number.
 */
function rowCap(schema: Schema, tableKey: string, filled: readonly string[], configured: ReadonlySet<string>): { rows: number; why: string } | undefined {
  const limitOf = (key: string, own: ReadonlySet<string>): ReturnType<typeof sequenceRowLimit> => {
    const table = withPartitionForeignKeys(schema, key);
    return sequenceRowLimit(schema, table, new Map(table.columns.map((c) => [c.name, columnShape(schema, c)])), own);
  };
  const table = schema.tables[tableKey]!;
  // Partitions made at run time (hatchet's `create_v1_range_partition`): none yet, so no row fits.
  if (table.kind === 'partitioned' && !Object.values(schema.tables).some((t) => t.kind === 'partition' && t.partitionOf === tableKey)) {
    return { rows: 0, why: `${table.partitioning ?? 'partitioned'} with no partition yet: a row can only go into a partition (create one to seed it)` };
  }
  // A table of no columns (PostgREST's `create table ov_json ()`, a row type for an aggregate): nothing to write.
  if (table.columns.length === 0) return { rows: 0, why: 'the table has no columns: nothing to generate' };
  let cap: { rows: number; why: string } | undefined;
  const own = limitOf(tableKey, configured);
  if (own) cap = { rows: own.rows, why: `key ${own.column} (${own.rawType}) cannot number more` };
  for (const target of filled) {
    const limit = limitOf(target, new Set());
    if (limit && (cap === undefined || limit.rows < cap.rows)) {
      cap = { rows: limit.rows, why: `its trigger copies each row into ${target}, whose key ${limit.column} (${limit.rawType}) cannot number more` };
    }
  }
  return cap;
}

/** Seed, locale and reference time of the plan; the numeric options checked. */
function planSettings(config: GenerateConfig, options: PlanOptions): { seed: string; locale: string; referenceMs: number } {
  const seedValue = options.seed ?? config.seed;
  if (seedValue === undefined || seedValue === '') throw new UsageError('a seed is required to plan data', { hint: 'Pass --seed, or set seed in the config.' });
  const seed = String(seedValue);
  const locale = options.locale ?? config.locale ?? 'en';
  fakerLocale(locale);
  const referenceText = options.referenceTime instanceof Date ? options.referenceTime.toISOString() : (options.referenceTime ?? config.referenceTime ?? DEFAULT_REFERENCE_TIME);
  const referenceMs = Date.parse(referenceText);
  if (Number.isNaN(referenceMs)) throw new UsageError(`reference time "${referenceText}" is not a date`, { hint: 'Use an ISO date such as 2025-01-01T00:00:00Z.' });
  for (const [name, value] of [
    ['rows', options.rows],
    ['scale', options.scale],
    ['nullRate', options.nullRate],
  ] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0 || (name === 'rows' && !Number.isInteger(value)) || (name === 'nullRate' && value > 1))) {
      throw new UsageError(`${name} must be ${name === 'rows' ? 'a non-negative integer' : name === 'nullRate' ? 'between 0 and 1' : 'a positive number'}, got ${value}`);
    }
  }
  return { seed, locale, referenceMs };
}

type TriggerFilled = Map<string, { by: string; trigger: string }>;

/** A table an INSERT trigger of another loaded table fills (sakila's film_text) gets its rows from the trigger. */
function triggerFilledTables(schema: Schema, graph: FkGraph): TriggerFilled {
  const triggerFilled: TriggerFilled = new Map();
  for (const key of graph.loadOrder) {
    for (const trigger of schema.tables[key]!.triggers ?? []) {
      // A statement trigger writes once per statement (a summary, an outbox), not a row per row.
      if (!trigger.events.includes('insert') || trigger.forEach === 'statement') continue;
      for (const target of trigger.inserts) if (target !== key && !triggerFilled.has(target)) triggerFilled.set(target, { by: key, trigger: trigger.name });
    }
  }
  return triggerFilled;
}

/** Tables not to write: bookkeeping of migration tools, --only/--exclude, and those that already have rows. */
function keptTables(graph: FkGraph, untouched: ReadonlyMap<string, string>, existingRows: readonly ExistingRows[]): Map<string, PlanKeptTable> {
  const existing = new Map(existingRows.map((e) => [e.table, e]));
  const kept = new Map<string, PlanKeptTable>();
  for (const key of graph.loadOrder) {
    const why = untouched.get(key);
    const rows = existing.get(key);
    if (why === undefined && rows === undefined) continue;
    const count = rows ? `${rows.more ? 'more than ' : ''}${rows.rows.toLocaleString('en-US')} row${rows.rows === 1 && !rows.more ? '' : 's'}` : 'no rows';
    const reason = why !== undefined ? `${why} (${count})` : `already has ${count}: kept as it is (--truncate replaces them)`;
    kept.set(key, { reason, rows: rows?.rows ?? 0, more: rows?.more ?? false, ...(rows ? { values: Object.fromEntries(Object.entries(rows.values).map(([c, v]) => [c, [...v]])) } : {}) });
  }
  return kept;
}

function unbreakableCycles(graph: FkGraph): PlanProblem[] {
  const problems: PlanProblem[] = [];
  for (const cycle of graph.cycles) {
    if (!cycle.unbreakable) continue;
    const edges = cycle.unbreakable.map((e) => `${e.from}(${e.columns.join(', ')}) → ${e.to}`).join(', ');
    problems.push({
      code: 'unbreakable-cycle',
      table: cycle.tables.join(', '),
      message: `foreign keys form a cycle that no row order can satisfy: ${edges} (every edge NOT NULL and not DEFERRABLE)`,
      hint: 'make one of these foreign keys nullable or DEFERRABLE, load into an engine that can switch FK checks off for a load (MySQL/MariaDB), or give one FK column a generator in the config',
    });
  }
  return problems;
}

/** The config's tables by the loadable table each names; a kept or unknown one is a problem. */
function tableConfigsOf(
  schema: Schema,
  config: GenerateConfig,
  kept: ReadonlyMap<string, PlanKeptTable>,
  untouched: ReadonlyMap<string, string>,
  loadable: readonly string[],
  triggerFilled: TriggerFilled,
): { tableConfigs: Map<string, TableConfig>; problems: PlanProblem[] } {
  const tableConfigs = new Map<string, TableConfig>();
  const problems: PlanProblem[] = [];
  for (const [key, value] of Object.entries(config.tables ?? {})) {
    // A table a trigger fills is not loaded: `rows: 0` asks for nothing the seed would do (a rehearsal that
    // empties its parent empties it too); rows or generators for it cannot be honoured, and say why.
    const filledKey = resolveTableKey(schema, key, [...triggerFilled.keys()]);
    if (filledKey !== undefined) {
      if (value.rows === 0 && Object.keys(value.columns ?? {}).length === 0) continue;
      const { by, trigger } = triggerFilled.get(filledKey)!;
      problems.push({
        code: 'config',
        table: filledKey,
        message: `config tables.${key}: ${filledKey} is not loaded: trigger ${trigger} on ${by} fills it, a row for each row of ${by}`,
        hint: `remove tables.${key} from the config, or set the rows of ${by}`,
      });
      continue;
    }
    const keptKey = resolveTableKey(schema, key, [...kept.keys()]);
    if (keptKey !== undefined) {
      if (value.rows !== undefined && value.rows > 0) {
        problems.push({
          code: 'config',
          table: keptKey,
          message: `config tables.${key}.rows: ${keptKey} is not loaded: ${kept.get(keptKey)!.reason}`,
          hint: untouched.has(keptKey) ? 'remove its rows from the config' : 'pass --truncate to replace its rows, or remove its rows from the config',
        });
      }
      continue;
    }
    const resolved = resolveTableKey(schema, key, loadable);
    if (resolved === undefined) {
      problems.push({
        code: 'config',
        table: key,
        message: `config tables.${key}: no loadable table "${key}" in the schema`,
        hint: `tables: ${loadable.slice(0, 12).join(', ')}${loadable.length > 12 ? ', …' : ''}`,
      });
      continue;
    }
    tableConfigs.set(resolved, value);
  }
  return { tableConfigs, problems };
}

function explicitTableRows(schema: Schema, asked: Readonly<Record<string, number>>, loadable: readonly string[]): Map<string, number> {
  const tableRows = new Map<string, number>();
  for (const [key, value] of Object.entries(asked)) {
    const resolved = resolveTableKey(schema, key, loadable);
    if (resolved === undefined) throw new UsageError(`rows for "${key}": no loadable table of that name`, { hint: `tables: ${loadable.join(', ')}` });
    if (!Number.isInteger(value) || value < 0) throw new UsageError(`rows for "${key}" must be a non-negative integer, got ${value}`);
    tableRows.set(resolved, value);
  }
  return tableRows;
}

/** With a profile: its row estimates × scale, below explicit per-table rows and a blanket --rows. */
function profileSizedRows(
  schema: Schema,
  options: PlanOptions,
  config: GenerateConfig,
  profiles: ReadonlyMap<string, MatchedProfileTable>,
  loadable: readonly string[],
  tableRows: ReadonlyMap<string, number>,
  tableConfigs: ReadonlyMap<string, TableConfig>,
): { sizedRows: Map<string, number>; profileNotes: Map<string, string> } {
  const sizedRows = new Map(tableRows);
  const profileNotes = new Map<string, string>();
  if (!options.profile) return { sizedRows, profileNotes };
  const scale = options.scale ?? config.scale ?? 1;
  const scaled = options.rows === undefined ? profileRowCounts(schema, profiles, scale) : undefined;
  const fromProfile = scaled?.rows ?? new Map<string, number>();
  for (const key of loadable) {
    const match = profiles.get(key);
    if (!match) profileNotes.set(key, 'not in the profile: rows and values as without one');
    else if (options.rows === undefined && !fromProfile.has(key)) profileNotes.set(key, `the profile has no row estimate for ${match.key} (never analysed?): rows as without one`);
    else if (fromProfile.has(key) && !sizedRows.has(key) && tableConfigs.get(key)?.rows === undefined) {
      sizedRows.set(key, fromProfile.get(key)!);
      const why = scaled?.notes.get(key);
      profileNotes.set(key, why ?? `profile: rows = ${scale} × ${match.table.rowEstimate!.toLocaleString('en-US')} (row estimate of ${match.key})`);
    }
  }
  return { sizedRows, profileNotes };
}

/**
 * A blanket row count (--rows, --scale) that a small sequence key cannot number (MySQL TINYINT
 * AUTO_INCREMENT holds 255) is capped with a note; a count asked for that table stays an error.
 * Lowers `rows` in place; returns the notes.
 */
function capAtSequences(
  schema: Schema,
  loadable: readonly string[],
  rows: Map<string, number>,
  isExplicit: (key: string) => boolean,
  tableConfigs: ReadonlyMap<string, TableConfig>,
  triggerFilled: TriggerFilled,
  kept: ReadonlyMap<string, PlanKeptTable> = new Map(),
): Map<string, string> {
  const capNotes = new Map<string, string>();
  for (const key of loadable) {
    const wanted = rows.get(key) ?? 0;
    if (isExplicit(key)) continue;
    const filled = [...triggerFilled].filter(([, f]) => f.by === key).map(([target]) => target);
    const cap = rowCap(schema, key, filled, new Set(Object.keys(tableConfigs.get(key)?.columns ?? {})));
    if (cap === undefined || wanted <= cap.rows) continue;
    rows.set(key, cap.rows);
    capNotes.set(key, `rows capped at ${cap.rows.toLocaleString('en-US')} (asked ${wanted.toLocaleString('en-US')}): ${cap.why}`);
  }
  // A table whose every row must reference one capped at none gets none either (loadable is in load order).
  for (const key of loadable) {
    const wanted = rows.get(key) ?? 0;
    if (isExplicit(key) || wanted === 0) continue;
    const table = schema.tables[key]!;
    const notNull = (fk: Table['foreignKeys'][number]): boolean => fk.columns.every((c) => table.columns.find((col) => col.name === c)?.nullable === false);
    const required = table.foreignKeys.find((fk) => {
      const parent = fk.references.table;
      return !fk.virtual && parent !== key && capNotes.has(parent) && rows.get(parent) === 0 && notNull(fk);
    });
    // A foreign key to a table its own schema does not have (MySQL keeps one whose table was dropped
    // with FOREIGN_KEY_CHECKS = 0, as a Laravel `schema:dump` shows it): no row can satisfy it.
    const dangling = required ? undefined : table.foreignKeys.find((fk) => !fk.virtual && notNull(fk) && danglingParent(schema, table, fk.references.table));
    // A key of kept rows that none of them holds (rauthy's `passkeys.passkey_user_id NOT NULL REFERENCES users
    // (webauthn_user_id)`, where `users` has only the rows the baseline inserted, none with one).
    const unheld = required || dangling ? undefined : table.foreignKeys.find((fk) => !fk.virtual && notNull(fk) && noKeptParent(kept.get(fk.references.table), fk.references.columns));
    if (!required && !dangling && !unheld) continue;
    rows.set(key, 0);
    const asked = `rows capped at 0 (asked ${wanted.toLocaleString('en-US')})`;
    capNotes.set(
      key,
      required
        ? `${asked}: every row must reference ${required.references.table}, which gets none`
        : dangling
          ? `${asked}: every row must reference ${dangling.references.table}, which does not exist in ${table.schema} (a foreign key left behind when that table was dropped)`
          : `${asked}: every row must reference ${unheld!.references.columns.map((c) => `${unheld!.references.table}.${c}`).join(', ')}, and none of its ${kept.get(unheld!.references.table)!.rows} rows kept as they are holds a value there`,
    );
  }
  return capNotes;
}

/** No kept row (of those children pick from) holds a value in every one of `columns`; undefined values: not read, so not known. */
function noKeptParent(kept: PlanKeptTable | undefined, columns: readonly string[]): boolean {
  const values = kept?.values;
  if (kept === undefined || values === undefined || columns.some((c) => values[c] === undefined)) return false;
  for (let row = 0; row < kept.rows; row++) if (columns.every((c) => values[c]![row] !== null && values[c]![row] !== undefined)) return false;
  return true;
}

/** A referenced table absent from the schema although it would be in the referencing table's own (introspected) schema. */
function danglingParent(schema: Schema, table: Table, parent: string): boolean {
  if (resolveTableKey(schema, parent) !== undefined) return false;
  const dot = parent.lastIndexOf('.');
  const parentSchema = dot < 0 ? table.schema : parent.slice(0, dot);
  return parentSchema.toLowerCase() === table.schema.toLowerCase();
}

/** Each loadable table planned (planTable), the profile's or scale's and the cap's notes first among its notes. */
function planTables(
  context: TablePlanContext & { rows: Map<string, number> },
  loadable: readonly string[],
  isExplicit: (key: string) => boolean,
  capNotes: Map<string, string>,
  leadNote: (key: string) => string | undefined,
): { tables: Record<string, PlanTable>; problems: PlanProblem[] } {
  const { rows } = context;
  const tables: Record<string, PlanTable> = {};
  const problems: PlanProblem[] = [];
  // A table reads the plans of the tables before it (its parents).
  const withPlanned: TablePlanContext = { ...context, planned: (key: string): PlanTable | undefined => tables[key] };
  for (const key of loadable) {
    let planned = planTable(withPlanned, key);
    // A blanket row count (--rows, --scale, config rows) that a unique key cannot hold is capped
    // at what the key can (a "lock" table keyed on a constant, a junction of small tables), as a
    // small sequence key is; a count asked for this table stays an error.
    const explicit = isExplicit(key);
    const asked = rows.get(key) ?? 0;
    for (let round = 0; round < 3 && !explicit && planned.problems.length > 0; round++) {
      const capacity = planned.problems.every((p) => p.code === 'unique-capacity' && p.limit !== undefined) ? Math.min(...planned.problems.map((p) => p.limit!)) : undefined;
      const wanted = rows.get(key) ?? 0;
      if (capacity === undefined || capacity >= wanted) break;
      rows.set(key, capacity);
      const why = planned.problems.map((p) => p.message.replace(/, but \d+ (rows )?were requested.*$/, '')).join('; ');
      capNotes.set(key, `rows capped at ${capacity.toLocaleString('en-US')} (asked ${asked.toLocaleString('en-US')}): ${why}`);
      planned = planTable(withPlanned, key);
    }
    const cap = capNotes.get(key);
    const profileNote = leadNote(key);
    const lead = [...(profileNote !== undefined ? [profileNote] : []), ...(cap !== undefined ? [cap] : [])];
    tables[key] = lead.length === 0 ? planned.table : { ...planned.table, notes: [...lead, ...planned.table.notes] };
    problems.push(...planned.problems);
  }
  settleChildSums(tables);
  return { tables, problems };
}

function skippedTables(schema: Schema, triggerFilled: TriggerFilled): Plan['skipped'] {
  return [
    ...Object.entries(schema.tables)
      .filter(([, t]) => t.kind === 'partition')
      .map(([key, t]) => ({ table: key, reason: `partition of ${t.partitionOf ?? 'its parent'}: rows load through the parent` })),
    ...[...triggerFilled].map(([table, { by, trigger }]) => ({ table, reason: `filled by trigger ${by}.${trigger}: its rows come from loading that table` })),
    ...Object.keys(schema.views).map((key) => ({ table: key, reason: `${schema.views[key]!.materialized ? 'materialized ' : ''}view: not loaded` })),
  ];
}

/**
 * Builds the Plan for every loadable table of `schema`.
 * @throws PlanError listing every problem; UsageError for an invalid config or options.
 *
 * @example
 * ```ts
 * const plan = buildPlan(schema, { seed: 42, rows: 1000, config: defineConfig({ tables: { film: { rows: 200 } } }) });
 * plan.tables['public.film']!.columns.map((c) => `${c.name}: ${c.reason}`);
 * ```
 */
export function buildPlan(declared: Schema, options: PlanOptions): Plan {
  const config = parseConfig(options.config);
  // Columns named after a table with no declared foreign key (user_id → users) pick its rows.
  const configured = new Set(
    Object.entries(config.tables ?? {}).flatMap(([key, t]) => {
      const resolved = resolveTableKey(declared, key);
      return resolved === undefined ? [] : Object.keys(t.columns ?? {}).map((c) => `${resolved}.${c}`);
    }),
  );
  const real = Object.keys(declared.tables).filter((k) => declared.tables[k]!.kind !== 'partition');
  const schema = withImplicitReferences(declared, real, configured).schema;
  const problems: PlanProblem[] = [];
  const { seed, locale, referenceMs } = planSettings(config, options);

  const graph = buildFkGraph(schema, { uncheckedLoad: options.uncheckedForeignKeyLoad === true });
  const triggerFilled = triggerFilledTables(schema, graph);
  const selection = selectTables(schema, { only: [...(config.only ?? []), ...(options.only ?? [])], exclude: [...(config.exclude ?? []), ...(options.exclude ?? [])] });
  const kept = keptTables(graph, selection.untouched, options.existing ?? []);
  const loadable = graph.loadOrder.filter((k) => !triggerFilled.has(k) && !kept.has(k));
  const resolveTable = (key: string): string => {
    const t = schema.tables[key];
    return t?.kind === 'partition' && t.partitionOf ? resolveTable(t.partitionOf) : key;
  };
  problems.push(...unbreakableCycles(graph));

  const configs = tableConfigsOf(schema, config, kept, selection.untouched, loadable, triggerFilled);
  const { tableConfigs } = configs;
  problems.push(...configs.problems);
  const tableRows = explicitTableRows(schema, options.tableRows ?? {}, loadable);
  const profiles = options.profile ? matchProfileTables(schema, options.profile, loadable) : new Map();
  const { sizedRows, profileNotes } = profileSizedRows(schema, options, config, profiles, loadable, tableRows, tableConfigs);
  const { rows, notes: scaleNotes } = planRowCounts(
    schema,
    loadable,
    {
      ...(options.rows !== undefined ? { rows: options.rows } : {}),
      ...(options.scale !== undefined || config.scale !== undefined ? { scale: options.scale ?? config.scale! } : {}),
      tableRows: sizedRows,
      ...(config.rows !== undefined ? { configRows: config.rows } : {}),
    },
    tableConfigs,
  );
  const isExplicit = (key: string): boolean => tableRows.has(key) || tableConfigs.get(key)?.rows !== undefined;
  const capNotes = capAtSequences(schema, loadable, rows, isExplicit, tableConfigs, triggerFilled, kept);

  // Kept tables' rows are what their children pick from.
  for (const [key, k] of kept) rows.set(key, k.rows);
  const context = {
    schema,
    graph,
    rows,
    disableTriggers: options.canDisableTriggers === true && (config.triggers ?? 'disable') === 'disable',
    config: tableConfigs,
    now: Math.floor(referenceMs / 1000),
    defaultNullRate: options.nullRate ?? config.nullRate ?? DEFAULT_NULL_RATE,
    resolveTable,
    profiles,
    generated: new Set(loadable),
  };
  const planned = planTables(context, loadable, isExplicit, capNotes, (key) => profileNotes.get(key) ?? scaleNotes.get(key));
  const { tables } = planned;
  problems.push(...planned.problems);
  if (problems.length > 0) throw new PlanError(problems);

  const skipped = skippedTables(schema, triggerFilled);
  const loadOrder = planLoadOrder(schema, graph, loadable, rows);
  const brokenAs = (how: 'deferrable' | 'unchecked'): Array<{ table: string; foreignKey: string }> =>
    graph.cycles.flatMap((c) => c.broken.filter((b) => b.how === how).map((b) => ({ table: b.from, foreignKey: b.foreignKey })));

  const plan = PlanModel.parse({
    version: PLAN_VERSION,
    generatorVersion: GENERATOR_VERSION,
    fakerVersion: FAKER_VERSION,
    seed,
    locale,
    referenceTime: new Date(referenceMs).toISOString(),
    dialect: schema.dialect,
    loadOrder,
    costOrder: planCostOrder(schema, loadOrder, rows),
    tables,
    kept: Object.fromEntries(kept),
    deferredConstraints: brokenAs('deferrable'),
    uncheckedForeignKeys: brokenAs('unchecked'),
    skipped,
  } satisfies Plan);
  // Every generator compiles now (a faker method that does not exist, bad params), so `plan` fails as `seed` would.
  const compiled = compilePlan(plan);
  for (const key of plan.loadOrder) createRowGenerator(compiled, key);
  const short = agreeingShortfalls(plan, compiled);
  if (short.length === 0) return plan;
  // Too few agreeing pairs for a blanket row count: planned again with those tables capped (as a small unique key is).
  if (short.some((p) => p.limit === undefined || p.limit === 0 || tableRows.has(p.table) || tableConfigs.get(p.table)?.rows !== undefined)) throw new PlanError(short);
  const capped = buildPlan(declared, { ...options, tableRows: { ...options.tableRows, ...Object.fromEntries(short.map((p) => [p.table, p.limit!])) } });
  const notes = new Map(
    short.map((p) => [
      p.table,
      `rows capped at ${p.limit!.toLocaleString('en-US')} (asked ${plan.tables[p.table]!.rows.toLocaleString('en-US')}): ${p.message.replace(/: at most \d+ rows, but \d+ were requested$/, '')}`,
    ]),
  );
  const noted = Object.fromEntries(Object.entries(capped.tables).map(([key, t]) => [key, notes.has(key) ? { ...t, notes: [notes.get(key)!, ...t.notes] } : t]));
  return { ...capped, tables: noted };
}
