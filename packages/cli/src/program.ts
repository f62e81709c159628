/**
 * The command table. Commands are thin: they parse flags, call the library and
 * print. Each command's module is imported only when that command runs.
 */
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import { UsageError } from '@understudy/core';
import { CONFIG_FLAGS, CONFIG_LIST_FLAGS } from './commands/config-flags.js';
import { setOutputLevel } from './output.js';
import { withTargetUrl } from './target-url.js';

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
    .addOption(new Option('--url <url>', 'database to read, e.g. postgres://user@host:5432/db'))
    .addOption(new Option('--from <file.sql>', 'a DDL file; loaded into an embedded PGlite (or, with --url, a throwaway database on that server)'))
    .addOption(new Option('--drizzle [path]', 'a drizzle schema: drizzle.config.ts (the default when no path is given), a module, a folder or a glob; relations become virtual foreign keys'))
    .addOption(new Option('--schemas <a,b>', 'only these schemas (PostgreSQL) or databases (MySQL)'))
    .addOption(new Option('--out <file>', 'write to this file instead of stdout'))
    .addOption(new Option('--summary', 'print a readable summary instead of JSON'))
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
    .action(async (options) => (await import('./commands/introspect.js')).introspectCommand(await withTargetUrl(options, 'source')));

  program
    .command('profile')
    .description('Read the statistics a database keeps (row counts, NULLs, distinct values, frequent values, histograms, FK fan-out) without copying personal data.')
    .addOption(new Option('--url <url>', 'database to profile (read-only access is enough)'))
    .addOption(new Option('--schemas <a,b>', 'only these schemas (PostgreSQL) or databases (MySQL)'))
    .addOption(new Option('--out <file>', 'write the profile JSON to this file instead of stdout'))
    .addOption(new Option('--analyze', 'run ANALYZE first, for tables never analysed (reads a sample of rows)'))
    .addOption(new Option('--no-scan', 'catalog statistics only: skip the count-only FK fan-out and text-length queries, read no table rows'))
    .addOption(new Option('--k <rows>', 'keep a frequent value only if at least this many rows have it (default 10)'))
    .addOption(new Option('--explain', 'print, per column, what was kept and why'))
    .addHelpText(
      'after',
      `
Examples:
  $ understudy profile --url postgres://readonly@db:5432/app --out profile.json
  $ understudy profile --url mysql://ro@db:3306/shop --no-scan --explain`,
    )
    .action(async (options) => (await import('./commands/profile.js')).profileCommand(await withTargetUrl(options, 'source')));

  program
    .command('scan')
    .description('Classify every column (name, type, comment and a read-only sample of its values) and propose a scrub policy: a transform per column, with the detectors that fired. Never prints a value.')
    .addOption(new Option('--url <url>', 'database to scan (read-only access is enough)'))
    .addOption(new Option('--schemas <a,b>', 'only these schemas (PostgreSQL) or databases (MySQL)'))
    .addOption(new Option('--sample <rows>', 'rows to sample per table (default 200; 0: names, types and comments only)'))
    .addOption(new Option('--out <file>', 'write the proposed policy (scrub.policy.json) to this file'))
    .addOption(new Option('--update <file>', 'bring a reviewed policy up to date: rules it has are kept, new columns get the proposed rule, vanished ones are dropped'))
    .addOption(new Option('--json', 'print the scan report as JSON instead of the listing'))
    .addHelpText(
      'after',
      `
Examples:
  $ understudy scan --url postgres://readonly@db:5432/app --out scrub.policy.json
  $ understudy scan --url mysql://ro@db:3306/shop --sample 1000 --json
  $ understudy scan --url postgres://readonly@db:5432/app --update scrub.policy.json

See docs/scan.md for the detectors, the verdicts and the policy file; docs/scrub.md for scrub and audit.`,
    )
    .action(async (options) => (await import('./commands/scan.js')).scanCommand(await withTargetUrl(options, 'source')));

  program
    .command('scrub')
    .description('Copy a database with its personal data replaced as a scrub policy says (keyed, deterministic, collision-free on keys, every join intact), all or nothing.')
    .addOption(new Option('--source <url>', 'database to copy (read-only access is enough; read in one REPEATABLE READ snapshot)'))
    .addOption(new Option('--url <url>', 'database to write the scrubbed copy into; it must have the tables, whose rows are replaced'))
    .addOption(new Option('--from <file.sql>', 'with no --url: create the tables from this DDL (e.g. pg_dump --schema-only) in an embedded PGlite and scrub into it'))
    .addOption(new Option('--pglite <dir>', 'with --from: keep the embedded PGlite in this folder'))
    .addOption(new Option('--policy <file>', 'the scrub policy (default scrub.policy.json, from `understudy scan --out`)'))
    .addOption(new Option('--key-file <file>', 'file holding the secret key (default: $UNDERSTUDY_SCRUB_KEY); never put it in the policy'))
    .addOption(new Option('--schemas <a,b>', 'only these schemas of the source'))
    .addOption(new Option('--allow-production', 'write into a target that looks like production'))
    .addOption(new Option('--json', 'print the result as JSON'))
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
    .action(async (options) => (await import('./commands/scrub.js')).scrubCommand(options));

  program
    .command('audit')
    .description('Prove that no original value of a column the scrub policy transforms is in a scrubbed copy (whole, or inside text and JSON), and re-check its joins, keys and NOT NULLs. Prints counts and row keys, never values; exit 1 on a leak.')
    .addOption(new Option('--source <url>', 'the database that was scrubbed (read-only access is enough)'))
    .addOption(new Option('--url <url>', 'the scrubbed copy to check'))
    .addOption(new Option('--policy <file>', 'the scrub policy (default scrub.policy.json)'))
    .addOption(new Option('--key-file <file>', 'file holding the secret key (default: $UNDERSTUDY_SCRUB_KEY)'))
    .addOption(new Option('--schemas <a,b>', 'only these schemas of the source'))
    .addOption(new Option('--json', 'print the AuditReport as JSON'))
    .action(async (options) => (await import('./commands/audit.js')).auditCommand(options));

  program
    .command('fidelity')
    .description('Score how closely a target database (a synthetic copy) follows a source profile, per column, table and overall (0…1).')
    .addOption(new Option('--profile <file>', 'the source profile (from `understudy profile --out`)'))
    .addOption(new Option('--url <url>', 'target database to profile and score; runs ANALYZE there (it is the copy, not production)'))
    .addOption(new Option('--target-profile <file>', 'instead of --url: a saved profile of the target'))
    .addOption(new Option('--schemas <a,b>', 'with --url: only these schemas (PostgreSQL) or databases (MySQL)'))
    .addOption(new Option('--scale <x>', 'the target should hold x × the source rows (as seeded with --scale; default 1)'))
    .addOption(new Option('--html <file>', 'also write a self-contained HTML report (charts, worst columns first)'))
    .addOption(new Option('--json', 'print the FidelityReport JSON instead of the summary'))
    .addOption(new Option('--min-score <s>', 'exit 1 when the overall score is below s (0…1), e.g. 0.9'))
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
    .action(async (options) => (await import('./commands/fidelity.js')).fidelityCommand(await withTargetUrl(options, 'source')));

  addGenerationCommands(program);
  addRehearseCommand(program);
  for (const command of program.commands) configAndOutputOptions(command);
  program.hook('preAction', (_program, action) => {
    const { quiet, verbose } = action.opts<{ quiet?: boolean; verbose?: boolean }>();
    if (quiet && verbose) throw new UsageError('give --quiet or --verbose, not both');
    setOutputLevel(quiet ? 'quiet' : verbose ? 'verbose' : 'normal');
  });
  return program;
}

/** The flags every command has: which config (found on its own by default), which environment of it, how much to say. */
function configAndOutputOptions(command: Command): Command {
  return command
    .addOption(new Option('--config <file>', 'understudy.config.ts, .mts, .js, .mjs or .json (default: the first understudy.config.* in this folder or above, up to the repository root)'))
    .addOption(new Option('--no-config', 'use no config file, not even one found in this folder or above'))
    .addOption(new Option('--env <name>', "apply the config's environment NAME (environments: { dev: {…}, qa: {…}, perf: {…} }) over its top level"))
    .addOption(new Option('--quiet', 'print only the result, warnings and errors on stderr (no progress, no notes)'))
    .addOption(new Option('--verbose', 'also say where settings came from: the config file, the environment, the database URL and why'));
}

/** The flags `plan`, `seed` and `generate` share (those mirroring config fields come from CONFIG_FLAGS). */
function sourceAndRowOptions(command: Command, withUrl: boolean): Command {
  if (withUrl) command.addOption(new Option('--url <url>', 'database to read the schema from (seed: and to load into)'));
  command
    .addOption(new Option('--from <file.sql>', 'a DDL file with the CREATE statements'))
    .addOption(new Option('--schema <schema.json>', 'Schema JSON saved by `understudy introspect --out`'))
    .addOption(new Option('--drizzle [path]', 'a drizzle schema: drizzle.config.ts (the default when no path is given), a module, a folder or a glob'));
  for (const [flag, description] of Object.values(CONFIG_FLAGS)) command.addOption(new Option(flag, description));
  for (const [flag, description] of Object.values(CONFIG_LIST_FLAGS)) {
    command.addOption(new Option(flag, description).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]));
  }
  command.addOption(new Option('--profile <profile.json>', 'generate to the shape of a production profile (`understudy profile --out`): its row counts × --scale, NULL rates, frequent values, histograms, distinct counts, FK fan-out'));
  return command;
}

function parallelOptions(command: Command): Command {
  return command
    .addOption(new Option('--plan <plan.json>', 'a plan saved with `understudy plan --out` (maybe edited): the same plan makes the same data'))
    .addOption(new Option('--workers <n>', 'worker threads (default: one less than the cores, at least 1, or this thread for 100,000 rows or fewer; 0: in this thread)'))
    .addOption(new Option('--shard <i/n>', 'make only shard i of n of every table (n runs together make one run)'))
    .addOption(new Option('--chunk-rows <n>', 'rows per worker task (default 10000)'));
}

function addGenerationCommands(program: Command): void {
  sourceAndRowOptions(
    program.command('plan').description('Show what would be generated: per table and column, the generator, NULL rate and why (Plan JSON).'),
    true,
  )
    .addOption(new Option('--out <file>', 'write the plan to this file instead of stdout'))
    .addOption(new Option('--summary', 'print a readable summary instead of JSON'))
    .addHelpText('after', `
Examples:
  $ understudy plan --from fixtures/schemas/pagila/schema.sql --rows 1000 --summary
  $ understudy plan --schema schema.json --config understudy.config.ts --out plan.json`)
    .action(async (options) => (await import('./commands/plan.js')).planCommand(await withTargetUrl(options, 'target')));

  parallelOptions(
    sourceAndRowOptions(
      program.command('seed').description('Fill a database with generated data that satisfies every constraint, all or nothing.'),
      true,
    ),
  )
    .addOption(new Option('--truncate', 'empty the tables first (in the same transaction)'))
    .addOption(new Option('--pglite <dir>', 'with no --url: keep the embedded PGlite in this folder (made from --from or --drizzle)'))
    .addOption(new Option('--dry-run', 'plan only: print the plan summary, write nothing'))
    .addOption(new Option('--json', 'print one JSON document at the end, no progress'))
    .addOption(new Option('--allow-production', 'seed a target even if it looks like production (a host that is not local, or a database or host named prod, production, prd or live)'))
    .addOption(new Option('--lock-timeout <duration>', 'how long a statement may wait for a lock another session holds, e.g. 30s, 500ms, 2min; 0: no limit (default 10s, or the config\'s target.lockTimeout)'))
    .addHelpText('after', `
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
host named prod, production, prd or live.`)
    .action(async (options) => (await import('./commands/seed.js')).seedCommand(await withTargetUrl(options, 'target')));

  parallelOptions(
    sourceAndRowOptions(
      program.command('generate').description('Write generated data as files, one per table (CSV, JSON Lines or SQL).'),
      true,
    ),
  )
    .addOption(new Option('--out <dir>', 'the folder to write <schema>.<table>.<ext> files into'))
    .addOption(new Option('--format <format>', "csv (RFC 4180, header row), jsonl, or sql (the dialect's own script: COPY for PostgreSQL, INSERT for MySQL)").default('csv'))
    .addOption(new Option('--json', 'print one JSON document at the end, no progress'))
    .addHelpText('after', `
Examples:
  $ understudy generate --from fixtures/schemas/pagila/schema.sql --rows 1000 --out data --format csv
  $ understudy generate --schema schema.json --rows 1000000 --shard 2/4 --out data --format jsonl
  $ understudy generate --plan plan.json --out data --format csv`)
    .action(async (options) => (await import('./commands/generate.js')).generateCommand(await withTargetUrl(options, 'source')));
}

/** `--define NAME=VALUE`, repeatable: collected into one record (a bad form is a usage error naming the flag). */
function collectDefine(value: string, previous: Record<string, string>): Record<string, string> {
  const m = /^([^=\s]+)=(.*)$/s.exec(value);
  if (!m) throw new UsageError(`--define ${value} is not NAME=VALUE`, { hint: 'e.g. --define Namespace=auth (repeat --define for each placeholder).' });
  return { ...previous, [m[1]!]: m[2]! };
}

function addRehearseCommand(program: Command): void {
  program
    .command('rehearse')
    .description('Run pending migrations on a throwaway database seeded with generated data: trace time, locks and rewrites, find the rows that break them, diff schema and data, check the downs.')
    .argument('[dir]', 'the migrations folder (numbered SQL, golang-migrate, Flyway, dbmate, Prisma, drizzle-kit, goose, sqlx, diesel, popx, Sqitch, Liquibase, Atlas, temporal-sql-tool), or the working directory of --command')
    .addOption(new Option('--format <format>', 'the migration tool, when the folder fits several: plain, golang-migrate, sqlx, popx, goose, diesel, flyway, dbmate, prisma, drizzle-kit, sqitch, liquibase, atlas, temporal-sql-tool'))
    .addOption(new Option('--define <name=value>', 'a value for a template placeholder in the files ({{ index .Options "Namespace" }}, ${schema}, %TABLE_PREFIX%); repeatable').argParser(collectDefine).default({}))
    .addOption(new Option('--dialect <dialect>', 'the SQL the migrations are written in: postgres or mysql (default: from --url, the folder, or postgres)'))
    .addOption(new Option('--command <cmd>', 'run your own migration tool instead of reading files (gets DATABASE_URL and the engine\'s client variables; needs --url or --container); with --since REF the baseline is the command at the merge-base'))
    .addOption(new Option('--pending <n>', 'the last n migrations are pending (default: the last one)'))
    .addOption(new Option('--from <name>', 'this migration and every later one are pending'))
    .addOption(new Option('--since <ref>', 'migrations added since this git ref are pending, e.g. origin/main (with --command: what the branch adds)'))
    .addOption(new Option('--url <url>', 'a server to create the throwaway database on (default: an embedded PGlite)'))
    .addOption(new Option('--container <image>', 'start this PostgreSQL image with Docker (testcontainers) and rehearse there'))
    .addOption(new Option('--keep', 'keep the throwaway database afterwards (its name is printed, and in the report)'))
    .addOption(new Option('--clean', 'only drop the rehearsal databases killed rehearsals left on --url (older than an hour, unused), then exit'))
    .addOption(new Option('--rows <n>', 'rows per table to seed (default 1000, or the config; with --profile: rows of its biggest table)'))
    .addOption(new Option('--seed <seed>', 'seed for the generated data (default: config, else 1)'))
    .addOption(new Option('--no-down', 'do not run the down migrations'))
    .addOption(new Option('--lock-threshold-rows <n>', 'an ACCESS EXCLUSIVE lock on a table with more rows than this is a hazard (default 10000)'))
    .addOption(new Option('--target-rows <n|t=n,…>', 'production rows (every table, or per table): estimate each statement\'s time and lock time at that size'))
    .addOption(new Option('--profile <file>', 'a profile (understudy profile --out): seed to its shape, and estimate at its row counts'))
    .addOption(new Option('--scale <x>', 'with --profile: rows = x × each row estimate (default: the biggest table gets --rows)'))
    .addOption(new Option('--estimate-rows <n>', 'rows per table of the second, bigger run of an estimate (default 4 × --rows, at least 10000)'))
    .addOption(new Option('--lock-threshold-ms <n>', 'with estimates: a blocking lock estimated longer than this is a hazard (default 1000)'))
    .addOption(new Option('--json <file>', 'write the report as JSON'))
    .addOption(new Option('--junit <file>', 'write the report as JUnit XML (one test case per migration)'))
    .addOption(new Option('--markdown <file>', 'write the report as Markdown (for a pull-request comment)'))
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
    .action(async (dir: string | undefined, options) => (await import('./commands/rehearse.js')).rehearseCommand(dir, options));
}
