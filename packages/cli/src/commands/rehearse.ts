/**
 * `understudy rehearse <dir>`: runs the pending migrations of a folder on a
 * throwaway database seeded with generated data (an embedded PGlite by default,
 * a fresh database on --url, or a --container), prints what happened, writes
 * the report (--json, --junit, --markdown), and exits 1 when it found hazards.
 * With --target-rows or --profile it also estimates each statement's time and
 * lock time at production size (see docs/rehearse.md#time-at-production-size);
 * --profile also seeds to the profile's shape.
 */
import {
  ConnectionError,
  UnderstudyError,
  UsageError,
  dialectInfo,
  embeddedDialectInfo,
  parseDialectName,
  redactUrl,
  type Dialect,
  type DialectName,
  type GenerateConfig,
  type Profile,
} from '@understudy/core';
import {
  describeCleanup,
  formatRehearsalPlan,
  formatRehearsalSummary,
  judgeRehearsal,
  planRehearsal,
  readBaselineSchema,
  readMigrations,
  RehearseConfig,
  RehearsalReportModel,
  rehearsalExitCode,
  renderJunit,
  renderMarkdown,
  runRehearsal,
  selectPending,
  withBaselineSchema,
  type MigrationSet,
  type PendingSelection,
} from '@understudy/rehearse';
import { generationConfig, loadUserConfig } from '../config-file.js';
import { dialectFor, dialectNamed } from '../dialects.js';
import { colourRehearsalSummary, painter } from '../colour.js';
import { drawing, note, statusLine, writeOutput, writeResult } from '../output.js';
import { parseCount } from './generation-options.js';
import { parseScale, readProfileFile } from './input-files.js';

export interface RehearseCommandOptions {
  /** `--tool` (old name `--format`): the migration tool. */
  readonly tool?: string;
  readonly dialect?: string;
  /** `--define NAME=VALUE`, repeatable: template placeholder values. */
  readonly define?: Readonly<Record<string, string>>;
  /** `--set NAME=VALUE`, repeatable: session settings the migration tool makes first. */
  readonly set?: Readonly<Record<string, string>>;
  /** `--setup FILE`, repeatable: SQL the environment runs before the first migration. */
  readonly setup?: readonly string[];
  /** `--also DIR`, repeatable: more folders of the same history, merged by version. */
  readonly also?: readonly string[];
  readonly command?: string;
  readonly pending?: string;
  /** `--pending-from` (old name `--from`): this migration and every later one are pending. */
  readonly pendingFrom?: string;
  readonly since?: string;
  /** `--baseline-schema FILE`: the schema the pending migrations start from, in place of the migrations before them. */
  readonly baselineSchema?: string;
  readonly url?: string;
  readonly keep?: boolean;
  readonly clean?: boolean;
  readonly container?: string;
  readonly rows?: string;
  readonly seed?: string;
  readonly config?: string | boolean;
  readonly env?: string;
  readonly down?: boolean;
  /** `--json [file]`: see writeResult. */
  readonly json?: boolean | string;
  readonly junit?: string;
  readonly markdown?: string;
  readonly lockThresholdRows?: string;
  readonly lockThresholdMs?: string;
  readonly targetRows?: string;
  readonly profile?: string;
  readonly scale?: string;
  readonly estimateRows?: string;
  /** `--dry-run`: print the plan, create nothing. */
  readonly dryRun?: boolean;
}

/**
 * `--target-rows 2000000` (every table) or `--target-rows orders=2400000,users=90000`.
 * @throws UsageError naming the flag and the part that is not a count.
 */
export function parseTargetRows(value: string | undefined): number | Record<string, number> | undefined {
  if (value === undefined) return undefined;
  if (/^\s*[\d_,]+\s*$/.test(value) && !value.includes('=')) return parseCount('--target-rows', value.replace(/[_,]/g, ''));
  const rows: Record<string, number> = {};
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*([\d_]+)$/.exec(part);
    if (!m) {
      throw new UsageError(`--target-rows: "${part}" is not table=N`, {
        hint: 'Give the production rows of every table (--target-rows 2000000) or per table (--target-rows orders=2400000,users=90000).',
      });
    }
    rows[m[1]!] = parseCount('--target-rows', m[2]!.replace(/_/g, ''))!;
  }
  if (Object.keys(rows).length === 0) throw new UsageError('--target-rows is empty', { hint: 'e.g. --target-rows 2000000 or --target-rows orders=2400000' });
  return rows;
}

/** The production rows a profile knows (its tables' row estimates). */
function profileRows(profile: Profile): Record<string, number> {
  return Object.fromEntries(Object.entries(profile.tables).flatMap(([key, t]) => (t.rowEstimate !== null && t.rowEstimate >= 0 ? [[key, Math.round(t.rowEstimate)]] : [])));
}

async function readRehearseConfig(options: Pick<RehearseCommandOptions, 'config' | 'env'>): Promise<{ generate?: GenerateConfig; rehearse: RehearseConfig }> {
  const loaded = await loadUserConfig(options);
  if (!loaded) return { rehearse: RehearseConfig.parse({}) };
  return { generate: generationConfig(loaded.config), rehearse: RehearseConfig.parse(loaded.config.rehearse ?? {}) };
}

interface Environment {
  readonly dialect: Dialect;
  /** Where the rehearsal runs, in words, for the plan. */
  readonly description: string;
  readonly url?: string;
  /** Starts what the rehearsal needs (a container) and returns its URL; absent when there is nothing to start. */
  readonly start?: () => Promise<{ url: string; stop(): Promise<void> }>;
}

/** Where to rehearse, from the flags; nothing is started or connected yet. */
async function chooseEnvironment(options: RehearseCommandOptions): Promise<Environment> {
  if (options.container !== undefined && options.url !== undefined)
    throw new UsageError('--container and --url cannot be used together', { hint: 'Rehearse on a container you start (--container IMAGE) or on a server you have (--url URL).' });
  if (options.command !== undefined && options.url === undefined && options.container === undefined) {
    throw new UsageError('--command needs --url (or --container): the command gets the throwaway database as DATABASE_URL, and the embedded PGlite has no URL', {
      hint: 'Add --url postgres://user@host:5432/postgres (a server to create the throwaway database on).',
    });
  }
  if (options.url !== undefined) return { dialect: await dialectFor(options.url), url: options.url, description: `a throwaway database on ${redactUrl(options.url)}` };
  // `--dialect pg`, `postgresql`, `mariadb`, …: any name, alias or URL scheme the registry knows.
  const named: DialectName | undefined = options.dialect !== undefined ? parseDialectName(options.dialect) : undefined;
  if (options.container !== undefined) {
    const dialect = await dialectNamed(named ?? embeddedDialectInfo().name);
    const image = options.container;
    return {
      dialect,
      description: `a container of ${image}`,
      start: async () => {
        note(`starting container ${image}…`);
        return dialect.startContainer(image);
      },
    };
  }
  const embedded = embeddedDialectInfo();
  if (named !== undefined && dialectInfo(named).embeddedEngine === null) {
    const info = dialectInfo(named);
    throw new UsageError(`--dialect ${options.dialect}: ${info.displayName} has no embedded engine to rehearse on`, {
      hint: `Add --url ${info.exampleUrl} (a server to create the throwaway database on), or --container IMAGE.`,
    });
  }
  if (options.keep) note(`--keep: the embedded ${embedded.embeddedEngine} is in memory and is gone when the rehearsal ends`);
  if (process.env['DATABASE_URL'])
    note(
      `rehearsing on an in-memory ${embedded.embeddedEngine}: rehearse does not use DATABASE_URL (it creates throwaway databases, and hands one to --command as DATABASE_URL); give --url to rehearse on a server`,
    );
  return { dialect: await dialectNamed(named ?? embedded.name), description: `${embedded.embeddedEngine} (in memory)` };
}

/** `--clean`: drops the leftovers of killed rehearsals on --url and says what it did. */
async function cleanCommand(dir: string | undefined, options: RehearseCommandOptions): Promise<void> {
  // Flags with a default (--no-down, --define's empty map) are there whether given or not.
  const given = (key: string, value: unknown): boolean => value !== undefined && !(key === 'define' && typeof value === 'object' && value !== null && Object.keys(value).length === 0);
  const others = Object.entries(options).filter(([key, value]) => !['clean', 'url', 'down', 'quiet', 'verbose', 'config', 'env'].includes(key) && given(key, value));
  if (dir !== undefined || others.length > 0) {
    const extra = dir !== undefined ? `the folder ${dir}` : `--${others[0]![0].replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`--clean only drops leftover rehearsal databases: ${extra} has no use with it`, { hint: 'Run understudy rehearse --clean --url URL on its own, then rehearse.' });
  }
  if (options.url === undefined) {
    process.stdout.write(`Nothing to clean: the embedded ${embeddedDialectInfo().embeddedEngine} keeps nothing after a rehearsal (give --url URL to clean a server)\n`);
    return;
  }
  const dialect = await dialectFor(options.url);
  const cleanup = await dialect.cleanRehearsalDatabases(options.url);
  const lines = describeCleanup(cleanup, { recent: true });
  process.stdout.write(`${[`Leftover rehearsal databases on ${redactUrl(options.url)}:`, ...(lines.length > 0 ? lines : ['none']).map((l) => `  ${l}`)].join('\n')}\n`);
  if (cleanup.failed.length > 0) {
    throw new ConnectionError(`--clean could not drop ${cleanup.failed.length} leftover rehearsal database${cleanup.failed.length === 1 ? '' : 's'} (see above)`, {
      hint: 'Drop them as a user that owns them, or with DROP DATABASE … WITH (FORCE) on PostgreSQL once you are sure no rehearsal runs.',
    });
  }
}

/** The numeric options, parsed and checked against each other. */
function rehearseNumbers(options: RehearseCommandOptions) {
  const rows = parseCount('--rows', options.rows);
  const pending = parseCount('--pending', options.pending);
  const lockThresholdRows = parseCount('--lock-threshold-rows', options.lockThresholdRows);
  const lockThresholdMs = parseCount('--lock-threshold-ms', options.lockThresholdMs);
  const targetRows = parseTargetRows(options.targetRows);
  const estimateRows = parseCount('--estimate-rows', options.estimateRows);
  const scale = parseScale(options.scale);
  if (scale !== undefined) {
    if (options.profile === undefined)
      throw new UsageError('--scale multiplies the row estimates of a profile: add --profile FILE', { hint: 'Without a profile, say the rows per table with --rows N.' });
    if (rows !== undefined)
      throw new UsageError('give --rows or --scale, not both', {
        hint: 'With --profile, --rows N seeds the biggest table with N rows and the others in proportion; --scale X seeds X × each row estimate.',
      });
  }
  if (estimateRows !== undefined && targetRows === undefined && options.profile === undefined) {
    throw new UsageError('--estimate-rows sets the second seed size of an estimate at production size: add --target-rows N or --profile FILE');
  }
  return { rows, pending, lockThresholdRows, lockThresholdMs, targetRows, estimateRows, scale };
}

/** The migrations must be in the SQL of the rehearsal database. */
function checkMigrationsDialect(dir: string, dialect: DialectName, environment: Awaited<ReturnType<typeof chooseEnvironment>>): void {
  if (dialect !== environment.dialect.name) {
    const wanted = dialectInfo(dialect);
    const where = environment.url ? ` (${redactUrl(environment.url)})` : environment.dialect.embeddedEngine !== null ? ` (the embedded ${environment.dialect.embeddedEngine})` : '';
    throw new UsageError(`${dir} holds ${dialect} migrations, but the rehearsal database is ${environment.dialect.name}${where}`, {
      hint:
        wanted.embeddedEngine === null
          ? `Add --url ${wanted.exampleUrl} to rehearse on a ${wanted.displayName} server.`
          : 'Pass --dialect to say which SQL the files are written in, or a --url of that engine.',
    });
  }
}

/** The baseline and pending migrations; with --baseline-schema the schema file is the whole baseline. */
async function chooseMigrations(set: MigrationSet, pending: number | undefined, options: RehearseCommandOptions): Promise<PendingSelection> {
  if (options.baselineSchema !== undefined && options.command !== undefined) {
    throw new UsageError('--baseline-schema and --command cannot be used together: the command builds its own baseline', {
      hint: 'With --command, give --since REF to build the baseline with the command at the merge-base; --baseline-schema goes with migration files.',
    });
  }
  const selection = await selectPending(set, {
    ...(pending !== undefined ? { pending } : {}),
    ...(options.pendingFrom !== undefined ? { from: options.pendingFrom } : {}),
    ...(options.since !== undefined ? { since: options.since } : {}),
  });
  if (options.baselineSchema === undefined) return selection;
  const schema = await readBaselineSchema(set, { file: options.baselineSchema, since: options.since });
  const replaced = selection.baseline.length;
  note(`baseline: the schema in ${schema.source}${replaced > 0 ? `, in place of the ${replaced} migration${replaced === 1 ? '' : 's'} before the pending ones` : ''}`);
  return withBaselineSchema(selection, schema.migration);
}

export async function rehearseCommand(dir: string | undefined, options: RehearseCommandOptions): Promise<void> {
  if (options.clean) return cleanCommand(dir, options);
  if (dir === undefined)
    throw new UsageError('rehearse needs the migrations folder (or, with --command, the working directory)', {
      hint: 'e.g. understudy rehearse db/migrations (or understudy rehearse --clean --url URL to drop leftovers).',
    });
  const { rows, pending, lockThresholdRows, lockThresholdMs, targetRows, estimateRows, scale } = rehearseNumbers(options);
  const config = await readRehearseConfig(options);
  const firstRows = rows ?? config.generate?.rows ?? 1000;
  if (estimateRows !== undefined && options.profile === undefined && estimateRows <= firstRows) {
    throw new UsageError(`--estimate-rows ${estimateRows} must be more than the first seed size (${firstRows} rows per table)`, {
      hint: 'e.g. --rows 1000 --estimate-rows 20000 (the default is 4 × --rows, at least 10,000).',
    });
  }

  const environment = await chooseEnvironment(options);
  const set = await readMigrations(dir, {
    ...(options.tool !== undefined ? { format: options.tool } : {}),
    ...(options.define !== undefined ? { defines: options.define } : {}),
    dialect: options.dialect ?? (environment.url !== undefined || environment.start ? environment.dialect.name : undefined),
    ...(options.command !== undefined ? { command: options.command } : {}),
    ...(options.also !== undefined ? { also: options.also } : {}),
    ...(options.set !== undefined ? { settings: options.set } : {}),
    ...(options.setup !== undefined ? { setup: options.setup } : {}),
  });
  checkMigrationsDialect(dir, set.dialect, environment);
  // The rehearsal schema is not read yet, but its dialect is known: the profile must be of the same engine.
  const profile = options.profile !== undefined ? await readProfileFile(options.profile, { dialect: environment.dialect.name }) : undefined;
  const estimate = targetRows !== undefined ? { targetRows, source: '--target-rows' } : profile ? { targetRows: profileRows(profile), source: options.profile!, ignoreUnknown: true } : undefined;
  const selection = await chooseMigrations(set, pending, options);
  const lockThresholdRowsUsed = lockThresholdRows ?? config.rehearse.lockThresholdRows;
  const lockThresholdMsUsed = lockThresholdMs ?? config.rehearse.lockThresholdMs;
  const plan = planRehearsal({
    set,
    selection,
    environment: environment.description,
    ...(rows !== undefined ? { rows } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(config.generate ? { generateConfig: config.generate } : {}),
    checks: config.rehearse.checks,
    down: options.down !== false,
    ...(lockThresholdRowsUsed !== undefined ? { lockThresholdRows: lockThresholdRowsUsed } : {}),
    ...(lockThresholdMsUsed !== undefined ? { lockThresholdMs: lockThresholdMsUsed } : {}),
    ...(profile ? { profile, profileSource: options.profile! } : {}),
    ...(scale !== undefined ? { scale } : {}),
    ...(estimate ? { estimate: { ...estimate, ...(estimateRows !== undefined ? { rows: estimateRows } : {}) } } : {}),
  });
  if (options.dryRun) {
    await writeResult(
      options.json,
      () => `${JSON.stringify(plan, null, 2)}\n`,
      () => formatRehearsalPlan(plan),
    );
    return;
  }
  const started = environment.start ? await environment.start() : undefined;
  if (options.keep && started) note('--keep: the container is removed when the rehearsal ends, and its database with it; rehearse on a server of yours (--url) to keep one');
  const url = started?.url ?? environment.url;
  try {
    // On a terminal, one status line that each step replaces (nothing with --quiet, or when piped).
    const progress = drawing() ? (step: string): void => statusLine(`rehearsing: ${step}`) : undefined;
    const controller = new AbortController();
    const onSignal = (): void => {
      note(`interrupted: stopping after the current step${options.keep ? '' : ' and dropping the throwaway database'}…`);
      controller.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const run = await runRehearsal(plan, {
      signal: controller.signal,
      set,
      selection,
      dialect: environment.dialect,
      ...(url !== undefined ? { url } : {}),
      ...(options.keep && !started ? { keep: true, onKept: (where: string) => note(`--keep: the rehearsal database is kept: ${where} (drop it when you are done)`) } : {}),
      ...(config.generate ? { generateConfig: config.generate } : {}),
      ...(profile ? { profile } : {}),
      ...(progress ? { onProgress: progress } : {}),
    })
      .catch((error: unknown) => {
        if (controller.signal.aborted && !(error instanceof UnderstudyError)) {
          throw new ConnectionError(`rehearsal interrupted: nothing was reported${options.keep ? '' : ', and the throwaway database was dropped'}`, { cause: error });
        }
        throw error;
      })
      .finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
    const report = judgeRehearsal(plan, run, selection, set);
    await writeResult(
      options.json,
      () => `${JSON.stringify(RehearsalReportModel.parse(report), null, 2)}\n`,
      () => colourRehearsalSummary(formatRehearsalSummary(report), painter(process.stdout)),
    );
    const written: Array<[string, string]> = [];
    if (options.junit !== undefined) written.push([options.junit, renderJunit(report)]);
    if (options.markdown !== undefined) written.push([options.markdown, renderMarkdown(report)]);
    for (const [file, text] of written) {
      await writeOutput(text, file);
      note(`wrote ${file}`);
    }
    if (rehearsalExitCode(report) !== 0) {
      throw new UnderstudyError(`rehearsal found ${report.hazards.length} hazard${report.hazards.length === 1 ? '' : 's'} (see above)`, { exitCode: 1 });
    }
  } finally {
    await started?.stop();
  }
}
