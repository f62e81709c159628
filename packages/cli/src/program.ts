/**
 * The command table. Commands are thin: they parse flags, call the library and
 * print. Each command's module is imported only when that command runs.
 */
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';

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
    .addOption(new Option('--drizzle <file>', 'a drizzle schema module (.ts or .js); relations() links become virtual foreign keys'))
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
  $ understudy introspect --drizzle src/db/schema.ts --out schema.json`,
    )
    .action(async (options) => (await import('./commands/introspect.js')).introspectCommand(options));

  return program;
}
