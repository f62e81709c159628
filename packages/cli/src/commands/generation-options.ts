/**
 * The flags `plan`, `seed` and `generate` share: where the schema comes from,
 * how many rows, the seed, the config file, workers and shard. Parsed here into
 * a Schema and a Plan; the flags that mirror config fields are typed against
 * `GenerateConfig`, so flags and config cannot drift apart.
 */
import { availableParallelism } from 'node:os';
import { parseSchema, readTextFile, UsageError, type Schema, type Sink } from '@understudy/core';
import { buildPlan, checkPlanAgainstSchema, loadFakerLocale, parseSavedPlan, planForSink, planInDatabaseOf, writableTables, type GenerateConfigInput, type Plan } from '@understudy/generate';
import { generationConfig, loadUserConfig } from '../config-file.js';
import { dialectNamed } from '../dialects.js';
import { note } from '../output.js';
import { drizzleOnDatabase, readDrizzleForGeneration, withDrizzleHints, type DrizzleHints, type GenerationSource } from './drizzle-source.js';
import { readSchema } from './introspect.js';
import { parseScale, readJsonFile, readProfileFile } from './input-files.js';

export interface SourceOptions {
  readonly url?: string;
  readonly from?: string;
  readonly schema?: string;
  /** A path, or `true` for `--drizzle` alone (the working directory's drizzle config). */
  readonly drizzle?: string | boolean;
}

export interface GenerationOptions extends SourceOptions {
  readonly rows?: string;
  readonly scale?: string;
  readonly seed?: string;
  /** `--config FILE`; `false` with `--no-config` (no config file is looked for). */
  readonly config?: string | boolean;
  /** `--env NAME`: the config's environment to apply. */
  readonly env?: string;
  readonly workers?: string;
  readonly shard?: string;
  readonly chunkRows?: string;
  readonly profile?: string;
  /** A plan saved with `understudy plan --out` (instead of planning from the flags). */
  readonly plan?: string;
  /** Table patterns (comma-separated, repeatable): load only these / not these. */
  readonly only?: readonly string[];
  readonly exclude?: readonly string[];
}

/** The generation part of the config (`--config`, or the one found; `--env` applied), if any. */
export async function readConfig(options: Pick<GenerationOptions, 'config' | 'env'>): Promise<GenerateConfigInput | undefined> {
  const loaded = await loadUserConfig(options);
  return loaded ? generationConfig(loaded.config) : undefined;
}

/**
 * The tables a seed may write (and `--truncate` empty): every table but migration tools'
 * bookkeeping and what `--only` / `--exclude` (and the config's `only` / `exclude`) leave out.
 */
export function writableTablesOf(schema: Schema, options: GenerationOptions, config: GenerateConfigInput | undefined): string[] {
  return writableTables(schema, { ...(config ? { config } : {}), ...(options.only ? { only: options.only } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) });
}

/**
 * The schema to plan and, with --drizzle, the generator hints the module carries: with --url too,
 * the target's own tables with the module's links and hints (and a warning per difference).
 */
export async function readGenerationSource(options: SourceOptions): Promise<GenerationSource> {
  if (options.drizzle !== undefined && options.from === undefined && options.schema === undefined) {
    if (options.url !== undefined) return drizzleOnDatabase(options.drizzle, await readSource({ url: options.url }));
    return readDrizzleForGeneration(options.drizzle);
  }
  return { schema: await readSource(options) };
}

/** The Schema from --schema FILE.json, --from, --drizzle, or --url itself. */
export async function readSource(options: SourceOptions): Promise<Schema> {
  const given = (['from', 'schema', 'drizzle'] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) throw new UsageError(`give one schema source, not ${given.map((k) => `--${k}`).join(' and ')}`);
  if (options.schema !== undefined) {
    const text = await readTextFile(options.schema, `--schema ${options.schema}`, 'Make one with: understudy introspect --url URL --out schema.json');
    return parseSchema(text, options.schema);
  }
  return readSchema({
    ...(options.url !== undefined ? { url: options.url } : {}),
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.drizzle !== undefined ? { drizzle: options.drizzle } : {}),
  });
}

/** A non-negative integer flag. */
export function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} must be a non-negative integer, got "${value}"`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} is too large: ${value}`);
  return n;
}

/** `--shard i/n` (1-based) → 0-based index and count. */
export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || n < 1 || i < 1 || i > n) {
    throw new UsageError(`--shard ${value} is not valid: use i/n with 1 ≤ i ≤ n, e.g. --shard 2/3`, {
      hint: 'Run the n shards --shard 1/n … n/n (e.g. as a CI matrix); together they make the same rows as one run.',
    });
  }
  return { index: i - 1, count: n };
}

/**
 * The most worker threads a run starts: more than twice the cores only adds memory (each worker
 * holds its own V8 heap and compiled plan) and start-up time, and a thousand exhaust V8.
 */
export function maxWorkers(): number {
  return Math.max(4, 2 * availableParallelism());
}

/** `--workers N` (default: cores), capped at `maxWorkers()` with a note. */
export function parseWorkers(value: string | undefined): number | undefined {
  const workers = parseCount('--workers', value);
  const max = maxWorkers();
  if (workers === undefined || workers <= max) return workers;
  note(`--workers ${workers} is more than this machine can use: using ${max} (twice its ${availableParallelism()} cores; more threads only add memory)`);
  return max;
}

/** What `seed()` takes from the flags (and the config's `workers`): workers, shard, chunk size. */
export function seedTuning(options: GenerationOptions, config?: { readonly workers?: number }): { workers?: number; shard?: { index: number; count: number }; chunkRows?: number } {
  const workers = parseWorkers(options.workers ?? (config?.workers !== undefined ? String(config.workers) : undefined));
  const shard = parseShard(options.shard);
  const chunkRows = parseCount('--chunk-rows', options.chunkRows);
  if (chunkRows === 0) throw new UsageError('--chunk-rows must be at least 1');
  return { ...(workers !== undefined ? { workers } : {}), ...(shard ? { shard } : {}), ...(chunkRows !== undefined ? { chunkRows } : {}) };
}

/** The flags a saved plan already fixes: they cannot be given with --plan. */
const FIXED_BY_PLAN = ['rows', 'scale', 'seed', 'profile'] as const;
/** Config keys that are not about the data, so a config with only these goes with --plan. */
const NOT_FIXED_BY_PLAN: ReadonlySet<string> = new Set(['target']);

/**
 * The plan of `--plan FILE`, validated (versions, model) and, when `schema` is given, checked against it.
 * A `--config` beside it (`config`, read by `readConfig`) may only carry `target`: the plan fixes everything else.
 * @throws UsageError naming the file: missing, not JSON, another version, not a plan, or not fitting the schema.
 */
export async function readPlanFile(file: string, schema: Schema | undefined, options: GenerationOptions, config?: GenerateConfigInput): Promise<Plan> {
  const given: string[] = FIXED_BY_PLAN.filter((k) => options[k] !== undefined).map((k) => `--${k}`);
  // A config found on its own (not named by --config or chosen by --env) gives a plan only its target.
  const explicit = typeof options.config === 'string' || options.env !== undefined;
  const configKeys = config && explicit ? Object.keys(config).filter((k) => !NOT_FIXED_BY_PLAN.has(k)) : [];
  if (configKeys.length > 0) given.push(`--config (its ${configKeys.join(', ')}: only target goes with --plan)`);
  if (given.length > 0) {
    throw new UsageError(`--plan ${file} already fixes rows, seed and generators: drop ${given.join(', ')}`, {
      hint: 'Edit the plan file, or make a new one with: understudy plan … --out plan.json',
    });
  }
  const saved = parseSavedPlan(await readJsonFile('--plan', file, 'plan'), file);
  await loadFakerLocale(saved.locale);
  if (!schema) return saved;
  const { plan, from } = planInDatabaseOf(saved, schema);
  if (from !== undefined) note(`--plan ${file} was made in database ${from}: loading its tables into ${schema.namespaces[0]} (the same rows)`);
  for (const warning of checkPlanAgainstSchema(plan, schema, file).warnings) note(`warning: ${warning}`);
  return plan;
}

/**
 * Builds the Plan the flags and config describe, or reads the one `--plan` names. With a `sink`
 * (a target), the tables that already have rows are read first and kept; `hints` (from a drizzle
 * module) go under the config. `config`: the `--config` file when the caller has read it already
 * (else it is read here).
 */
export async function planFromOptions(
  schema: Schema,
  options: GenerationOptions,
  context: { sink?: Pick<Sink, 'existingRows'>; config?: GenerateConfigInput; hints?: DrizzleHints } = {},
): Promise<Plan> {
  const { sink, hints } = context;
  // An empty schema is almost always the wrong database or migrations not yet run: say so rather than
  // "seed" nothing, or blame a --plan for tables the target does not have yet.
  if (!Object.values(schema.tables).some((t) => t.kind !== 'partition')) {
    throw new UsageError(`${schema.source ?? 'the schema'} has no tables to fill (namespaces read: ${schema.namespaces.join(', ') || 'none'})`, {
      hint: 'Create the tables first (run your migrations, or give --from schema.sql), or check the database in the URL and --schemas.',
    });
  }
  const userConfig = context.config ?? (await readConfig(options));
  if (options.plan !== undefined) return readPlanFile(options.plan, schema, options, userConfig);
  // A drizzle module's hints are settings under the user's config.
  const config = withDrizzleHints(userConfig, hints);
  // Loaded here with import(): the plan would otherwise require() it (see loadFakerLocale).
  if (config?.locale !== undefined) await loadFakerLocale(config.locale);
  const rows = parseCount('--rows', options.rows);
  const scale = parseScale(options.scale);
  if (rows !== undefined && scale !== undefined) throw new UsageError('give --rows or --scale, not both');
  const profileFile = options.profile ?? (await loadUserConfig(options))?.config.profile;
  const profile = profileFile !== undefined ? await readProfileFile(profileFile, { dialect: schema.dialect }) : undefined;
  const { capabilities } = await dialectNamed(schema.dialect);
  const planOptions = {
    seed: options.seed ?? config?.seed ?? 1,
    uncheckedForeignKeyLoad: capabilities.uncheckedForeignKeyLoad,
    // Files have no triggers to disable; a target does when its engine can.
    canDisableTriggers: sink !== undefined && capabilities.disableTriggers,
    ...(options.only ? { only: options.only } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(rows !== undefined ? { rows } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(config ? { config } : {}),
    ...(profile ? { profile } : {}),
  };
  return sink ? planForSink(schema, sink, planOptions) : buildPlan(schema, planOptions);
}
