/**
 * Every command's flags, in one table per command, typed against core's config model (as vitest
 * types its CLIOptions against its Config): a flag that mirrors a config key names it in
 * `config`, checked by the compiler against `UnderstudyConfig`, so a flag cannot drift from its
 * key. When the flag is absent, the config's value (after `--env`) is used: copied into the
 * options here (`fill`, the default), or read by the library itself (`fill: false`: the plan
 * reads `rows`, `seed`, `only`… from the config; `url` goes through DATABASE_URL's precedence).
 * Type-only imports: building the program loads no command code.
 *
 * @example
 * ```ts
 * addOptionTable(program.command('profile'), PROFILE_OPTIONS);
 * const options = applyConfig(parsed, PROFILE_OPTIONS, config); // --k absent: profiling.k of the config
 * ```
 */
import { UsageError, type UnderstudyConfig } from '@understudy/core';

/** The sections of the config whose keys a flag may name as `section.key`. */
type Section = 'profiling' | 'fidelity' | 'rehearse' | 'scrub' | 'target';
type SectionKey = { [S in Section]: `${S}.${Extract<keyof NonNullable<UnderstudyConfig[S]>, string>}` }[Section];
/** A config key a flag can mirror: a top-level key (not a section) or `section.key`. */
export type ConfigKey = Exclude<keyof UnderstudyConfig, Section | 'environments' | '$schema'> | SectionKey;

export interface OptionSpec {
  /** Commander's flags: `--rows <n>`, `--json [file]`, `--no-down`. */
  readonly flags: string;
  readonly description: string;
  /** The config key this flag overrides. */
  readonly config?: ConfigKey;
  /** Whether the config's value is copied into the options when the flag is absent (default true). */
  readonly fill?: boolean;
  /** Repeatable, comma-separated values collected into a list. */
  readonly list?: boolean;
  readonly defaultValue?: unknown;
  /** An old spelling kept working: hidden from --help, and a note says the new one. */
  readonly deprecatedFor?: string;
  readonly parse?: (value: string, previous: never) => unknown;
}

export type OptionTable = readonly OptionSpec[];

/** `--define NAME=VALUE`, repeatable: collected into one record (a bad form is a usage error naming the flag). */
export function collectDefine(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([^=\s]+)=(.*)$/s.exec(value);
  if (!m) throw new UsageError(`--define ${value} is not NAME=VALUE`, { hint: 'e.g. --define Namespace=auth (repeat --define for each placeholder).' });
  return { ...previous, [m[1]!]: m[2]! };
}

/** `--set NAME=VALUE`, repeatable: session settings, in the order given (a bad form is a usage error naming the flag). */
export function collectSetting(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([A-Za-z_][\w.]*)=(.+)$/s.exec(value);
  if (!m) throw new UsageError(`--set ${value} is not NAME=VALUE`, { hint: 'e.g. --set search_path=storage,public or --set FOREIGN_KEY_CHECKS=0 (repeat --set for each setting).' });
  return { ...previous, [m[1]!]: m[2]! };
}

/** The flags every command has (config, environment, how much to say). */
export const COMMON_OPTIONS: OptionTable = [
  { flags: '--config <file>', description: 'understudy.config.ts, .mts, .js, .mjs or .json (default: the first understudy.config.* in this folder or above, up to the repository root)' },
  { flags: '--no-config', description: 'use no config file, not even one found in this folder or above' },
  { flags: '--env <name>', description: "apply the config's environment NAME (environments: { dev: {…}, qa: {…}, perf: {…} }) over its top level" },
  { flags: '--quiet', description: 'print only the result, warnings and errors (no progress, no notes)' },
  { flags: '--verbose', description: 'also say where settings came from: the config file, the environment, the database URL and why' },
];

const JSON_OUTPUT = (what: string): OptionSpec => ({
  flags: '--json [file]',
  description: `${what} as JSON: on stdout instead of the readable output, or into FILE (the readable output still printed)`,
});

const SCHEMAS: OptionSpec = { flags: '--schemas <a,b>', description: 'only these schemas (PostgreSQL) or databases (MySQL)' };

export const INTROSPECT_OPTIONS: OptionTable = [
  { flags: '--url <url>', description: 'database to read, e.g. postgres://user@host:5432/db (default: the config url, else DATABASE_URL, when no other source is given)', config: 'url', fill: false },
  { flags: '--from <file.sql>', description: 'a DDL file; loaded into an embedded PGlite (or, with --url, a throwaway database on that server)' },
  { flags: '--drizzle [path]', description: 'a drizzle schema: drizzle.config.ts (the default when no path is given), a module, a folder or a glob; relations become virtual foreign keys' },
  SCHEMAS,
  { flags: '--out <file>', description: 'write to this file instead of stdout' },
  { flags: '--summary', description: 'print a readable summary instead of JSON' },
];

export const PROFILE_OPTIONS: OptionTable = [
  { flags: '--url <url>', description: 'database to profile, read-only access is enough (default: the config url, else DATABASE_URL)', config: 'url', fill: false },
  SCHEMAS,
  { flags: '--out <file>', description: 'write the profile JSON to this file instead of stdout' },
  { flags: '--analyze', description: 'run ANALYZE first, for tables never analysed (reads a sample of rows)', config: 'profiling.analyze' },
  { flags: '--no-scan', description: 'catalog statistics only: skip the count-only FK fan-out and text-length queries, read no table rows', config: 'profiling.scan' },
  { flags: '--k <rows>', description: 'keep a frequent value only if at least this many rows have it (default 10)', config: 'profiling.k' },
  { flags: '--explain', description: 'print, per column, what was kept and why' },
];

export const SCAN_OPTIONS: OptionTable = [
  { flags: '--url <url>', description: 'database to scan, read-only access is enough (default: the config url, else DATABASE_URL)', config: 'url', fill: false },
  SCHEMAS,
  { flags: '--sample <rows>', description: 'rows to sample per table (default 200; 0: names, types and comments only)' },
  { flags: '--out <file>', description: 'write the proposed policy (scrub.policy.json) to this file' },
  { flags: '--update <file>', description: 'bring a reviewed policy up to date: rules it has are kept, new columns get the proposed rule, vanished ones are dropped' },
  JSON_OUTPUT('the scan report'),
];

export const SCRUB_OPTIONS: OptionTable = [
  { flags: '--source <url>', description: 'database to copy (read-only access is enough; read in one REPEATABLE READ snapshot)' },
  { flags: '--url <url>', description: 'database to write the scrubbed copy into; it must have the tables, whose rows are replaced' },
  { flags: '--from <file.sql>', description: 'with no --url: create the tables from this DDL (e.g. pg_dump --schema-only) in an embedded PGlite and scrub into it' },
  { flags: '--pglite <dir>', description: 'with --from: keep the embedded PGlite in this folder' },
  { flags: '--out <dir>', description: 'instead of a database: write <schema>.<table>.<ext> files into this folder (all or none)' },
  { flags: '--format <format>', description: "with --out: csv (RFC 4180, header row), jsonl, or sql (the source dialect's own script: COPY for PostgreSQL); default csv" },
  { flags: '--policy <file>', description: 'the scrub policy (default: the config scrub.policy, else scrub.policy.json, from `understudy scan --out`)', config: 'scrub.policy' },
  { flags: '--key-file <file>', description: 'file holding the secret key (default: $UNDERSTUDY_SCRUB_KEY); never put it in the policy' },
  { flags: '--schemas <a,b>', description: 'only these schemas of the source' },
  {
    flags: '--subset <rule>',
    description: "copy a subset: 'schema.table: SQL condition' or 'schema.table: N%' (a keyed sample; 'N% max M' caps it); repeatable. Every parent of a kept row is kept too",
    parse: (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  },
  { flags: '--subset-depth <n>', description: 'with --subset: levels of children pulled below the rows the rules keep (default 1; 0: parents only)' },
  { flags: '--allow-production', description: 'write into a target that looks like production' },
  {
    flags: '--workers <n>',
    description: 'worker threads that transform rows when the source streams its own row format (default 0: this thread; the output is the same)',
  },
  {
    flags: '--text-copy',
    description: 'move every row as COPY text, even PostgreSQL → PostgreSQL, where binary COPY (only the transformed columns printed and parsed) is the default; the same copy, slower',
  },
  JSON_OUTPUT('the result'),
];

export const AUDIT_OPTIONS: OptionTable = [
  { flags: '--source <url>', description: 'the database that was scrubbed (read-only access is enough)' },
  { flags: '--url <url>', description: 'the scrubbed copy to check' },
  { flags: '--policy <file>', description: 'the scrub policy (default: the config scrub.policy, else scrub.policy.json)', config: 'scrub.policy' },
  { flags: '--key-file <file>', description: 'file holding the secret key (default: $UNDERSTUDY_SCRUB_KEY)' },
  { flags: '--schemas <a,b>', description: 'only these schemas of the source' },
  JSON_OUTPUT('the AuditReport'),
];

export const FIDELITY_OPTIONS: OptionTable = [
  { flags: '--profile <profile.json>', description: 'the source profile (from `understudy profile --out`; default: the config profile)', config: 'profile' },
  {
    flags: '--url <url>',
    description: 'target database to profile and score; runs ANALYZE there (it is the copy, not production; default: the config url, else DATABASE_URL)',
    config: 'url',
    fill: false,
  },
  { flags: '--target-profile <file>', description: 'instead of --url: a saved profile of the target' },
  { flags: '--schemas <a,b>', description: 'with --url: only these schemas (PostgreSQL) or databases (MySQL)' },
  { flags: '--scale <x>', description: 'the target should hold x × the source rows (as seeded with --scale; default: the config scale, else 1)', config: 'scale' },
  { flags: '--html <file>', description: 'also write a self-contained HTML report (charts, worst columns first)' },
  JSON_OUTPUT('the FidelityReport'),
  { flags: '--min-score <s>', description: 'exit 1 when the overall score is below s (0…1), e.g. 0.9', config: 'fidelity.minScore' },
];

/** Where the schema of plan, seed and generate comes from, and the rows to make (the plan reads the config's keys itself). */
const SOURCE_AND_ROWS: OptionTable = [
  { flags: '--url <url>', description: 'database to read the schema from (seed: and to load into; default: the config url, else DATABASE_URL)', config: 'url', fill: false },
  { flags: '--from <file.sql>', description: 'a DDL file with the CREATE statements' },
  { flags: '--schema <schema.json>', description: 'Schema JSON saved by `understudy introspect --out`' },
  { flags: '--drizzle [path]', description: 'a drizzle schema: drizzle.config.ts (the default when no path is given), a module, a folder or a glob' },
  { flags: '--seed <seed>', description: 'random seed: the same seed gives the same data (default: config seed, else 1)', config: 'seed', fill: false },
  { flags: '--rows <n>', description: 'rows per table (default: config rows, else 1000)', config: 'rows', fill: false },
  { flags: '--scale <x>', description: "rows = x × each table's current row estimate (with --profile: the profile's row estimates)", config: 'scale', fill: false },
  {
    flags: '--only <tables>',
    description: 'load only these tables (patterns: users, public.users, audit.*, *_log; comma-separated, repeatable); the others keep their rows',
    config: 'only',
    fill: false,
    list: true,
  },
  { flags: '--exclude <tables>', description: 'do not load these tables (patterns as --only); they keep their rows', config: 'exclude', fill: false, list: true },
  {
    flags: '--profile <profile.json>',
    description: 'generate to the shape of a production profile (`understudy profile --out`): its row counts × --scale, NULL rates, frequent values, histograms, distinct counts, FK fan-out',
    config: 'profile',
    fill: false,
  },
];

const PARALLEL: OptionTable = [
  { flags: '--plan <plan.json>', description: 'a plan saved with `understudy plan --out` (maybe edited): the same plan makes the same data' },
  {
    flags: '--workers <n>',
    description: 'worker threads (default: the config workers, else one less than the cores, at least 1, or this thread for 100,000 rows or fewer; 0: in this thread)',
    config: 'workers',
  },
  { flags: '--shard <i/n>', description: 'make only shard i of n of every table (n runs together make one run)' },
  { flags: '--chunk-rows <n>', description: 'rows per worker task (default 10000)' },
];

export const PLAN_OPTIONS: OptionTable = [
  ...SOURCE_AND_ROWS,
  { flags: '--out <file>', description: 'write the plan to this file instead of stdout' },
  { flags: '--summary', description: 'print a readable summary instead of JSON' },
];

export const SEED_OPTIONS: OptionTable = [
  ...SOURCE_AND_ROWS,
  ...PARALLEL,
  { flags: '--truncate', description: 'empty the tables first (in the same transaction)' },
  { flags: '--pglite <dir>', description: 'with no --url: keep the embedded PGlite in this folder (made from --from or --drizzle)' },
  { flags: '--dry-run', description: 'plan only: print the plan summary, write nothing' },
  JSON_OUTPUT('the result (rows, times, kept tables; with --dry-run the plan)'),
  {
    flags: '--allow-production',
    description: 'seed a target even if it looks like production (a host that is not local, or a database or host named prod, production, prd or live)',
  },
  {
    flags: '--lock-timeout <duration>',
    description: "how long a statement may wait for a lock another session holds, e.g. 30s, 500ms, 2min; 0: no limit (default 10s, or the config's target.lockTimeout)",
    config: 'target.lockTimeout',
    fill: false,
  },
];

export const GENERATE_OPTIONS: OptionTable = [
  ...SOURCE_AND_ROWS,
  ...PARALLEL,
  { flags: '--out <dir>', description: 'the folder to write <schema>.<table>.<ext> files into' },
  { flags: '--format <format>', description: "csv (RFC 4180, header row), jsonl, or sql (the dialect's own script: COPY for PostgreSQL, INSERT for MySQL)", defaultValue: 'csv' },
  JSON_OUTPUT('the result (rows and times per table)'),
];

export const REHEARSE_OPTIONS: OptionTable = [
  {
    flags: '--tool <name>',
    description: 'the migration tool, when the folder fits several: plain, golang-migrate, sqlx, popx, goose, diesel, flyway, dbmate, prisma, drizzle-kit, sqitch, liquibase, atlas, temporal-sql-tool',
  },
  { flags: '--format <name>', description: 'old name of --tool', deprecatedFor: '--tool' },
  {
    flags: '--define <name=value>',
    description: 'a value for a template placeholder in the files ({{ index .Options "Namespace" }}, ${schema}, %TABLE_PREFIX%); repeatable',
    parse: collectDefine as OptionSpec['parse'],
    defaultValue: {},
  },
  { flags: '--dialect <dialect>', description: 'the SQL the migrations are written in: postgres or mysql (default: from --url, the folder, or postgres)' },
  {
    flags: '--set <name=value>',
    description: 'a session setting your migration tool makes before the first migration (search_path=storage,public, FOREIGN_KEY_CHECKS=0), set in the session that runs the migrations; repeatable',
    parse: collectSetting as OptionSpec['parse'],
  },
  {
    flags: '--setup <file>',
    description:
      'an SQL file your environment runs before the first migration (a Docker init script that creates a schema, an extension, a role), run statement by statement before the baseline; repeatable',
    parse: (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  },
  {
    flags: '--also <dir>',
    description: "another folder of the same history, its migrations merged with the folder's by version (Flyway's second location, a data-migrations folder); repeatable",
    parse: (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
  },
  {
    flags: '--command <cmd>',
    description:
      "run your own migration tool instead of reading files (gets DATABASE_URL and the engine's client variables; needs --url or --container); with --since REF the baseline is the command at the merge-base",
  },
  { flags: '--pending <n>', description: 'the last n migrations are pending (default: the last one)' },
  { flags: '--pending-from <name>', description: 'this migration and every later one are pending' },
  { flags: '--from <name>', description: 'old name of --pending-from', deprecatedFor: '--pending-from' },
  { flags: '--since <ref>', description: 'migrations added since this git ref are pending, e.g. origin/main (with --command: what the branch adds)' },
  {
    flags: '--baseline-schema <file>',
    description: 'start from this schema (structure.sql, pg_dump -s, an install script) instead of running the migrations before the pending ones; with --since, the file as it was at the merge-base',
  },
  { flags: '--url <url>', description: 'a server to create the throwaway database on (default: an embedded PGlite; DATABASE_URL is not used)' },
  { flags: '--container <image>', description: 'start this PostgreSQL image with Docker (testcontainers) and rehearse there' },
  { flags: '--keep', description: 'keep the throwaway database afterwards (its name is printed, and in the report)' },
  { flags: '--clean', description: 'only drop the rehearsal databases killed rehearsals left on --url (older than an hour, unused), then exit' },
  { flags: '--rows <n>', description: 'rows per table to seed (default 1000, or the config; with --profile: rows of its biggest table)', config: 'rows', fill: false },
  { flags: '--seed <seed>', description: 'seed for the generated data (default: config, else 1)', config: 'seed', fill: false },
  { flags: '--no-down', description: 'do not run the down migrations' },
  {
    flags: '--lock-threshold-rows <n>',
    description: 'without estimates: a lock that blocks writes on a table with more rows than this is a hazard (default: rehearse.lockThresholdRows, else 10000)',
    config: 'rehearse.lockThresholdRows',
    fill: false,
  },
  { flags: '--target-rows <n|t=n,…>', description: "production rows (every table, or per table): estimate each statement's time and lock time at that size" },
  { flags: '--profile <profile.json>', description: 'a profile (understudy profile --out): seed to its shape, and estimate at its row counts (default: the config profile)', config: 'profile' },
  { flags: '--scale <x>', description: 'with --profile: rows = x × each row estimate (default: the config scale, else the biggest table gets --rows)', config: 'scale', fill: false },
  { flags: '--estimate-rows <n>', description: 'rows per table of the second, bigger run of an estimate (default 4 × --rows, at least 10000)' },
  {
    flags: '--lock-threshold-ms <n>',
    description: 'with estimates: a blocking lock estimated longer than this is a hazard (default: rehearse.lockThresholdMs, else 1000)',
    config: 'rehearse.lockThresholdMs',
    fill: false,
  },
  { flags: '--dry-run', description: 'print the rehearsal plan (baseline, pending, seed sizes, estimates, thresholds) and stop: no database is created' },
  JSON_OUTPUT('the report (with --dry-run, the plan)'),
  { flags: '--junit <file>', description: 'write the report as JUnit XML (one test case per migration)' },
  { flags: '--markdown <file>', description: 'write the report as Markdown (for a pull-request comment)' },
];

/** Every command's table (the common flags apart), by command name. */
export const OPTION_TABLES: Readonly<Record<string, OptionTable>> = {
  introspect: INTROSPECT_OPTIONS,
  profile: PROFILE_OPTIONS,
  scan: SCAN_OPTIONS,
  scrub: SCRUB_OPTIONS,
  audit: AUDIT_OPTIONS,
  fidelity: FIDELITY_OPTIONS,
  plan: PLAN_OPTIONS,
  seed: SEED_OPTIONS,
  generate: GENERATE_OPTIONS,
  rehearse: REHEARSE_OPTIONS,
};

/**
 * Config keys no flag mirrors, and why: the walk over the option tables (option-tables.test.ts)
 * requires every key of the model to be either a flag's `config` or listed here.
 */
export const CONFIG_ONLY_KEYS: Readonly<Record<string, string>> = {
  locale: 'faker locale of the whole plan',
  referenceTime: '"now" of generated dates',
  nullRate: 'default NULL rate of nullable columns',
  tables: 'per-table rows, column generators and CHECK generators',
  triggers: 'user triggers during a load',
  'target.localHosts': 'hosts the production guard treats as scratch (UNDERSTUDY_LOCAL_HOSTS is its flag-free twin)',
  'rehearse.checks': 'named SQL checks, too long for a flag',
};

/** The option's attribute name as commander stores it: `--lock-timeout` → `lockTimeout`, `--no-down` → `down`. */
export function attributeName(flags: string): string {
  const long = /--(?:no-)?([\w-]+)/.exec(flags)![1]!;
  return long.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** The value of `key` (`rows`, `profiling.k`) in `config`. */
export function configValue(config: UnderstudyConfig, key: ConfigKey): unknown {
  const [first, second] = key.split('.') as [string, string | undefined];
  const value = (config as Record<string, unknown>)[first];
  if (second === undefined) return value;
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[second] : undefined;
}

/**
 * `options` with the config's value of every `fill` flag that was not given (as the flag's string
 * form, so each command parses it once, with the flag's name in its errors).
 */
export function applyConfig<T extends object>(options: T, table: OptionTable, config: UnderstudyConfig | undefined, given: (name: string) => boolean): T {
  if (!config) return options;
  const out = { ...options } as Record<string, unknown>;
  for (const spec of table) {
    if (spec.config === undefined || spec.fill === false) continue;
    const name = attributeName(spec.flags);
    const value = configValue(config, spec.config);
    if (value === undefined || given(name)) continue;
    out[name] = typeof value === 'number' ? String(value) : value;
  }
  return out as T;
}
