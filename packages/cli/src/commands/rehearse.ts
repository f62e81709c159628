/**
 * `understudy rehearse <dir>`: runs the pending migrations of a folder on a
 * throwaway database seeded with generated data (an embedded PGlite by default,
 * a fresh database on --url, or a --container), prints what happened, writes
 * the report (--json, --junit, --markdown), and exits 1 when it found hazards.
 */
import { ConnectionError, UnderstudyError, UsageError, redactUrl, type Dialect } from '@understudy/core';
import { formatRehearsalSummary, readMigrations, rehearse, RehearseConfig, RehearsalReportModel, rehearsalExitCode, renderJunit, renderMarkdown } from '@understudy/rehearse';
import { loadConfigSections } from '../config-file.js';
import { dialectFor, embeddedDialect } from '../dialects.js';
import { note, writeOutput } from '../output.js';
import { parseCount } from './generation-options.js';

export interface RehearseCommandOptions {
  readonly format?: string;
  readonly dialect?: string;
  readonly command?: string;
  readonly pending?: string;
  readonly from?: string;
  readonly since?: string;
  readonly url?: string;
  readonly keep?: boolean;
  readonly container?: string;
  readonly rows?: string;
  readonly seed?: string;
  readonly config?: string;
  readonly down?: boolean;
  readonly json?: string;
  readonly junit?: string;
  readonly markdown?: string;
  readonly lockThresholdRows?: string;
}

async function readRehearseConfig(file: string | undefined): Promise<{ generate?: Awaited<ReturnType<typeof loadConfigSections>>['generate']; rehearse: RehearseConfig }> {
  if (file === undefined) return { rehearse: RehearseConfig.parse({}) };
  const sections = await loadConfigSections(file);
  const parsed = RehearseConfig.safeParse(sections.rehearse ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `rehearse.${issue.path.join('.')}: ${issue.message}`);
    throw new UsageError(`${file}: invalid config at ${problems.join('; ')}`, {
      hint: 'rehearse: { checks: [{ name, query, expectChange? }], lockThresholdRows? } (see docs/rehearse.md).',
    });
  }
  return { generate: sections.generate, rehearse: parsed.data };
}

interface Environment {
  readonly dialect: Dialect;
  readonly url?: string;
  /** Starts what the rehearsal needs (a container) and returns its URL; absent when there is nothing to start. */
  readonly start?: () => Promise<{ url: string; stop(): Promise<void> }>;
}

/** Where to rehearse, from the flags; nothing is started or connected yet. */
async function chooseEnvironment(options: RehearseCommandOptions): Promise<Environment> {
  if (options.container !== undefined && options.url !== undefined) throw new UsageError('--container and --url cannot be used together', { hint: 'Rehearse on a container you start (--container IMAGE) or on a server you have (--url URL).' });
  if (options.command !== undefined && options.url === undefined && options.container === undefined) {
    throw new UsageError('--command needs --url (or --container): the command gets the throwaway database as DATABASE_URL, and the embedded PGlite has no URL', {
      hint: 'Add --url postgres://user@host:5432/postgres (a server to create the throwaway database on).',
    });
  }
  if (options.url !== undefined) return { dialect: await dialectFor(options.url), url: options.url };
  if (options.container !== undefined) {
    const wanted = options.dialect ?? 'postgres';
    if (!/^postgres(ql)?$/i.test(wanted)) {
      throw new UsageError(`--container supports PostgreSQL images only so far, not --dialect ${wanted}`, { hint: 'Start the server yourself and pass --url mysql://root@host:3306/test.' });
    }
    const pg = await import('@understudy/postgres');
    const image = options.container;
    return {
      dialect: pg.postgresDialect,
      start: async () => {
        note(`starting container ${image}…`);
        return pg.startPostgresContainer(image);
      },
    };
  }
  if (options.dialect !== undefined && !/^(postgres(ql)?|pglite)$/i.test(options.dialect)) {
    throw new UsageError(`--dialect ${options.dialect} has no embedded engine to rehearse on`, {
      hint: 'Add --url mysql://root@localhost:3306/test (a server to create the throwaway database on), or --container IMAGE.',
    });
  }
  if (options.keep) note('--keep: the embedded PGlite is in memory and is gone when the rehearsal ends');
  return { dialect: await embeddedDialect() };
}

export async function rehearseCommand(dir: string, options: RehearseCommandOptions): Promise<void> {
  const rows = parseCount('--rows', options.rows);
  const pending = parseCount('--pending', options.pending);
  const lockThresholdRows = parseCount('--lock-threshold-rows', options.lockThresholdRows);
  const config = await readRehearseConfig(options.config);

  const environment = await chooseEnvironment(options);
  const set = await readMigrations(dir, {
    ...(options.format !== undefined ? { format: options.format } : {}),
    dialect: options.dialect ?? (environment.url !== undefined || environment.start ? environment.dialect.name : undefined),
    ...(options.command !== undefined ? { command: options.command } : {}),
  });
  if (set.dialect !== environment.dialect.name) {
    throw new UsageError(`${dir} holds ${set.dialect} migrations, but the rehearsal database is ${environment.dialect.name}${environment.url ? ` (${redactUrl(environment.url)})` : ' (the embedded PGlite)'}`, {
      hint: set.dialect === 'mysql' ? 'Add --url mysql://root@localhost:3306/test to rehearse on a MySQL or MariaDB server.' : 'Pass --dialect to say which SQL the files are written in, or a --url of that engine.',
    });
  }
  const started = environment.start ? await environment.start() : undefined;
  const url = started?.url ?? environment.url;
  try {
    const progress = process.stderr.isTTY ? (step: string): void => note(`… ${step}`) : undefined;
    const controller = new AbortController();
    const onSignal = (): void => {
      note('interrupted: stopping after the current step and dropping the throwaway database…');
      controller.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const report = await rehearse({
      signal: controller.signal,
      set,
      pending: { ...(pending !== undefined ? { pending } : {}), ...(options.from !== undefined ? { from: options.from } : {}), ...(options.since !== undefined ? { since: options.since } : {}) },
      dialect: environment.dialect,
      ...(url !== undefined ? { url } : {}),
      ...(options.keep ? { keep: true } : {}),
      ...(rows !== undefined ? { rows } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(config.generate ? { generateConfig: config.generate } : {}),
      checks: config.rehearse.checks,
      down: options.down !== false,
      ...((lockThresholdRows ?? config.rehearse.lockThresholdRows) !== undefined ? { lockThresholdRows: (lockThresholdRows ?? config.rehearse.lockThresholdRows)! } : {}),
      ...(progress ? { onProgress: progress } : {}),
    })
      .catch((error: unknown) => {
        if (controller.signal.aborted && !(error instanceof UnderstudyError)) throw new ConnectionError('rehearsal interrupted: nothing was reported, and the throwaway database was dropped', { cause: error });
        throw error;
      })
      .finally(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
    process.stdout.write(formatRehearsalSummary(report));
    const written: Array<[string, string]> = [];
    if (options.json !== undefined) written.push([options.json, `${JSON.stringify(RehearsalReportModel.parse(report), null, 2)}\n`]);
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
