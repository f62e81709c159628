/**
 * The command table. Commands are thin: they parse flags, call the library and
 * print. Each command's module is imported only when that command runs.
 */
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import { UsageError } from '@understudy/core';
import { loadUserConfig } from './config-file.js';
import { applyConfig, attributeName, COMMON_OPTIONS, OPTION_TABLES, type OptionTable } from './option-tables.js';
import { note, setOutputLevel } from './output.js';
import { withTargetUrl, type UrlRole } from './target-url.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('understudy')
    .description('Stands in for production data: introspect, generate, profile, scrub, rehearse migrations.')
    .version(version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortOptions: false });

  program
    .command('introspect')
    .description('Read a database schema (tables, columns, keys, constraints, enums, indexes) into Schema JSON.')
    .addHelpText(
      'after',
      `
Examples:
  $ understudy introspect --from fixtures/schemas/pagila/schema.sql --summary
  $ understudy introspect --url postgres://postgres@localhost:5432/app --schemas public --out schema.json
  $ understudy introspect --from dump.sql --url mysql://root@localhost:3306/scratch --summary
  $ understudy introspect --drizzle src/db/schema.ts --out schema.json
  $ understudy introspect --drizzle --summary            (reads ./drizzle.config.ts)`,
    )
    .action(async (options, command: Command) => (await import('./commands/introspect.js')).introspectCommand(await prepared(options, command, 'source')));

  program
    .command('profile')
    .description('Read the statistics a database keeps (row counts, NULLs, distinct values, frequent values, histograms, FK fan-out) without copying personal data.')
    .addHelpText(
      'after',
      `
Examples:
  $ understudy profile --url postgres://readonly@db:5432/app --out profile.json
  $ understudy profile --url mysql://ro@db:3306/shop --no-scan --explain`,
    )
    .action(async (options, command: Command) => (await import('./commands/profile.js')).profileCommand(await prepared(options, command, 'source')));

  program
    .command('scan')
    .description(
      'Classify every column (name, type, comment and a read-only sample of its values) and propose a scrub policy: a transform per column, with the detectors that fired. Never prints a value.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ understudy scan --url postgres://readonly@db:5432/app --out scrub.policy.json
  $ understudy scan --url mysql://ro@db:3306/shop --sample 1000 --json
  $ understudy scan --url postgres://readonly@db:5432/app --update scrub.policy.json

See docs/scan.md for the detectors, the verdicts and the policy file; docs/scrub.md for scrub and audit.`,
    )
    .action(async (options, command: Command) => (await import('./commands/scan.js')).scanCommand(await prepared(options, command, 'source')));

  program
    .command('scrub')
    .description('Copy a database with its personal data replaced as a scrub policy says (keyed, deterministic, collision-free on keys, every join intact), all or nothing.')
    .addHelpText(
      'after',
      `
Examples:
  $ export UNDERSTUDY_SCRUB_KEY=$(openssl rand -hex 32)
  $ understudy scan --url postgres://readonly@prod:5432/app --out scrub.policy.json
  $ understudy scrub --source postgres://readonly@prod:5432/app --url postgres://postgres@localhost:5432/staging
  $ understudy audit --source postgres://readonly@prod:5432/app --url postgres://postgres@localhost:5432/staging
  $ pg_dump --schema-only postgres://readonly@prod:5432/app > schema.sql
  $ understudy scrub --source postgres://readonly@prod:5432/app --from schema.sql --pglite ./scrubbed-db

See docs/scrub.md.`,
    )
    .action(async (options, command: Command) => (await import('./commands/scrub.js')).scrubCommand(await prepared(options, command)));

  program
    .command('audit')
    .description(
      'Prove that no original value of a column the scrub policy transforms is in a scrubbed copy (whole, or inside text and JSON), and re-check its joins, keys and NOT NULLs. Prints counts and row keys, never values; exit 1 on a leak.',
    )
    .action(async (options, command: Command) => (await import('./commands/audit.js')).auditCommand(await prepared(options, command)));

  program
    .command('fidelity')
    .description('Score how closely a target database (a synthetic copy) follows a source profile, per column, table and overall (0…1).')
    .addHelpText(
      'after',
      `
Scores: per column 1 − KS distance (numbers, dates), 1 − TVD (categories), NULL-fraction and
distinct-value errors, text lengths; per table row count against --scale and FK fan-out;
overall = mean of the table scores. See docs/fidelity.md.

Examples:
  $ understudy fidelity --profile prod-profile.json --url postgres://postgres@localhost:5432/staging --html fidelity.html
  $ understudy fidelity --profile prod-profile.json --url mysql://root@localhost:3306/ci --scale 0.1 --min-score 0.9
  $ understudy fidelity --profile prod-profile.json --target-profile staging-profile.json --json`,
    )
    .action(async (options, command: Command) => (await import('./commands/fidelity.js')).fidelityCommand(await prepared(options, command, 'source')));

  addGenerationCommands(program);
  addRehearseCommand(program);
  for (const command of program.commands) addOptionTable(command, [...(OPTION_TABLES[command.name()] ?? []), ...COMMON_OPTIONS]);
  program.hook('preAction', (_program, action) => {
    const { quiet, verbose } = action.opts<{ quiet?: boolean; verbose?: boolean }>();
    if (quiet && verbose) throw new UsageError('give --quiet or --verbose, not both');
    setOutputLevel(quiet ? 'quiet' : verbose ? 'verbose' : 'normal');
  });
  return program;
}

/** Declares a command's flags from its option table. */
function addOptionTable(command: Command, table: OptionTable): void {
  for (const spec of table) {
    const option = new Option(spec.flags, spec.description);
    if (spec.deprecatedFor !== undefined) option.hideHelp();
    if (spec.list) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    if (spec.parse) option.argParser(spec.parse as (value: string, previous: unknown) => unknown);
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
    command.addOption(option);
  }
}

/**
 * The options a command runs with: old flag spellings moved to their new names (with a note), the
 * config's values for flags not given (after --env), and, for `role`, the database URL (see target-url.ts).
 */
async function prepared<T extends object>(options: T, command: Command, role?: UrlRole): Promise<T> {
  const table = OPTION_TABLES[command.name()] ?? [];
  const out = { ...options } as Record<string, unknown>;
  for (const spec of table) {
    if (spec.deprecatedFor === undefined) continue;
    const old = attributeName(spec.flags);
    if (out[old] === undefined) continue;
    const oldFlag = spec.flags.split(' ')[0]!;
    if (out[attributeName(spec.deprecatedFor)] !== undefined) throw new UsageError(`give ${spec.deprecatedFor}, not both it and ${oldFlag} (its old name)`);
    note(`${oldFlag} is now ${spec.deprecatedFor}: the old name still works, for now`);
    out[attributeName(spec.deprecatedFor)] = out[old];
    delete out[old];
  }
  const given = (name: string): boolean => {
    const source = command.getOptionValueSource(name);
    return source !== undefined && source !== 'default';
  };
  const loaded = await loadUserConfig(out);
  const filled = applyConfig(out, table, loaded?.config, given) as T;
  return role ? withTargetUrl(filled, role) : filled;
}

function addGenerationCommands(program: Command): void {
  program
    .command('plan')
    .description('Show what would be generated: per table and column, the generator, NULL rate and why (Plan JSON).')
    .addHelpText(
      'after',
      `
Examples:
  $ understudy plan --from fixtures/schemas/pagila/schema.sql --rows 1000 --summary
  $ understudy plan --schema schema.json --config understudy.config.ts --out plan.json`,
    )
    .action(async (options, command: Command) => (await import('./commands/plan.js')).planCommand(await prepared(options, command, 'target')));

  program
    .command('seed')
    .description('Fill a database with generated data that satisfies every constraint, all or nothing.')
    .addHelpText(
      'after',
      `
Examples:
  $ understudy seed --from fixtures/schemas/pagila/schema.sql --pglite ./dev-db --rows 1000
  $ understudy seed --drizzle src/db/schema.ts --pglite .dev-db
  $ understudy seed --drizzle --url postgres://postgres@localhost:5432/app   (reads ./drizzle.config.ts)
  $ understudy seed --url postgres://postgres@localhost:5432/app --rows 100000 --workers 2
  $ understudy seed --url mysql://root@localhost:3306/shop --config understudy.config.ts --truncate
  $ understudy seed --url postgres://postgres@localhost:5432/staging --profile profile.json --scale 0.1
  $ understudy seed --url postgres://postgres@localhost:5432/ci --plan plan.json --truncate
  $ UNDERSTUDY_LOCAL_HOSTS='*.preview.svc.cluster.local' understudy seed --url postgres://app@pg.preview.svc.cluster.local/app --truncate

A target that looks like production is refused: a host that is not loopback, a Unix socket or
declared local (UNDERSTUDY_LOCAL_HOSTS, or target.localHosts in the config), or a database or
host named prod, production, prd or live.`,
    )
    .action(async (options, command: Command) => (await import('./commands/seed.js')).seedCommand(await prepared(options, command, 'target')));

  program
    .command('generate')
    .description('Write generated data as files, one per table (CSV, JSON Lines or SQL).')
    .addHelpText(
      'after',
      `
Examples:
  $ understudy generate --from fixtures/schemas/pagila/schema.sql --rows 1000 --out data --format csv
  $ understudy generate --schema schema.json --rows 1000000 --shard 2/4 --out data --format jsonl
  $ understudy generate --plan plan.json --out data --format csv`,
    )
    .action(async (options, command: Command) => (await import('./commands/generate.js')).generateCommand(await prepared(options, command, 'source')));
}

function addRehearseCommand(program: Command): void {
  program
    .command('rehearse')
    .description('Run pending migrations on a throwaway database seeded with generated data: trace time, locks and rewrites, find the rows that break them, diff schema and data, check the downs.')
    .argument(
      '[dir]',
      'the migrations folder (numbered SQL, golang-migrate, Flyway, dbmate, Prisma, drizzle-kit, goose, sql-migrate, sqlx, diesel, popx, Sqitch, Liquibase, Atlas, temporal-sql-tool), or the working directory of --command',
    )
    .addHelpText(
      'after',
      `
Exit codes: 0 no hazard, 1 hazards (a failed migration, data lost, a down that does not
restore the schema, a long lock on a big table, a failed check), 2 usage error, 3 connection error.

Examples:
  $ understudy rehearse fixtures/migrations/rehearse/not-null
  $ understudy rehearse db/migrations --since origin/main --rows 20000 --json rehearsal.json
  $ understudy rehearse db/migrations --pending 2 --url postgres://postgres@localhost:5432/postgres
  $ understudy rehearse prisma/migrations --config understudy.config.ts --markdown rehearsal.md
  $ understudy rehearse migrations --define Namespace=auth
  $ understudy rehearse db/migrations --target-rows orders=2400000,users=90000
  $ understudy rehearse db/migrations --profile profile.json --rows 2000
  $ understudy rehearse . --command "npx knex migrate:latest" --since origin/main --url postgres://postgres@localhost:5432/postgres
  $ understudy rehearse --clean --url postgres://postgres@localhost:5432/postgres`,
    )
    .action(async (dir: string | undefined, options, command: Command) => (await import('./commands/rehearse.js')).rehearseCommand(dir, await prepared(options, command)));
}
