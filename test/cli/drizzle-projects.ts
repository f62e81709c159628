/**
 * The real drizzle projects of `fixtures/drizzle-projects/` (see its README), how
 * each is installed for a test, and how its own migration folder builds its
 * database: the journal's migrations in order, each split at drizzle-kit's
 * `--> statement-breakpoint`, as `drizzle-kit migrate` runs them. Written here,
 * independently of Understudy's migration reader.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CopyOptions } from '../../packages/drizzle/src/test-support/project-copy.js';

export interface DrizzleProjectCase {
  /** A label for the test. */
  readonly label: string;
  readonly fixture: string;
  readonly dialect: 'postgres' | 'mysql';
  readonly install: CopyOptions;
  /** The package folder inside the project (where its drizzle.config.ts is). */
  readonly packageDir: string;
  /** What follows `--drizzle` (nothing: the package's drizzle.config.ts). */
  readonly drizzleArgs: readonly string[];
  /** The migration folder, inside the package folder. */
  readonly migrations: string;
  /** Migration text as it must run (the evorto baseline is commented out by drizzle-kit pull). */
  readonly migrationText?: (sql: string) => string;
  readonly tables: number;
  /** Its key in INHERENT_DIFFERENCES (drizzle-project-differences.ts). */
  readonly differences: string;
  /** Bookkeeping tables of migration tools in the schema: never seeded, so left empty. */
  readonly bookkeeping?: readonly string[];
  /** When the module cannot create its own tables (`drizzle-kit push` fails too): what `seed --drizzle` without --url says. */
  readonly pgliteRefused?: RegExp;
}

/**
 * drizzle-kit pull writes its baseline inside `/* … *\/` with a note to uncomment it before
 * running it; its enum arrays come out as `"MembershipStatus""[]`, which PostgreSQL cannot parse
 * (a drizzle-kit bug, fixed here as the owner would before running it).
 */
const uncomment = (sql: string): string =>
  sql
    .replace(/^[\s\S]*?\/\*/, '')
    .replace(/\*\/\s*$/, '')
    .replace(/"([A-Za-z_][A-Za-z0-9_]*)""\[\]/g, '"$1"[]');

export const DRIZZLE_PROJECTS: readonly DrizzleProjectCase[] = [
  {
    label: 'ai-chatbot (PostgreSQL, drizzle-orm 0.34 and drizzle-kit 0.25 as it declares, Next.js package)',
    fixture: 'ai-chatbot',
    dialect: 'postgres',
    install: { drizzle: '0.34' },
    packageDir: '.',
    drizzleArgs: [],
    migrations: 'lib/db/migrations',
    tables: 9,
    differences: 'ai-chatbot',
  },
  {
    label: 'ai-chatbot read with drizzle-orm and drizzle-kit 1.0 rc',
    fixture: 'ai-chatbot',
    dialect: 'postgres',
    install: { drizzle: '1.x' },
    packageDir: '.',
    drizzleArgs: ['lib/db/schema.ts'],
    migrations: 'lib/db/migrations',
    tables: 9,
    differences: 'ai-chatbot@1.x',
  },
  {
    label: 'dittofeed (PostgreSQL, drizzle-orm 0.38, CommonJS package, schema and relations apart)',
    fixture: 'dittofeed',
    dialect: 'postgres',
    install: { drizzle: '0.x' },
    packageDir: '.',
    drizzleArgs: ['src/db/*.ts'],
    migrations: 'drizzle',
    tables: 31,
    differences: 'dittofeed',
  },
  {
    label: 'kan (PostgreSQL, drizzle-orm 0.42, ES module package, config schema is a folder)',
    fixture: 'kan',
    dialect: 'postgres',
    install: { drizzle: '0.x' },
    packageDir: '.',
    drizzleArgs: [],
    migrations: 'migrations',
    tables: 31,
    differences: 'kan',
  },
  {
    label: 'unkey (MySQL, drizzle-orm 0.44, CommonJS package, re-exporting schema/index.ts)',
    fixture: 'unkey',
    dialect: 'mysql',
    install: { drizzle: '0.x', packages: ['base-x'], workspaces: { '@unkey/id': 'internal/id' } },
    packageDir: 'internal/db',
    drizzleArgs: ['drizzle.config.ts'],
    migrations: 'drizzle',
    tables: 28,
    differences: 'unkey',
  },
  {
    label: 'evorto (PostgreSQL, drizzle-orm 1.0 rc, defineRelations, config with a glob)',
    fixture: 'evorto',
    dialect: 'postgres',
    install: { drizzle: '1.x' },
    packageDir: '.',
    drizzleArgs: ['drizzle.config.old.ts'],
    migrations: 'old/drizzle',
    migrationText: uncomment,
    tables: 26,
    differences: 'evorto',
    // The pulled schema includes Prisma's migration table (the app came from Prisma).
    bookkeeping: ['public._prisma_migrations'],
    // Its primary keys were lost by drizzle-kit pull, so its foreign keys reference columns that are no key.
    pgliteRefused:
      /PGlite refused the DDL drizzle-kit makes from drizzle\.config\.old\.ts, at statement \d+ \(ALTER TABLE .*\): there is no unique constraint matching given keys for referenced table/,
  },
];

/**
 * The statements of a drizzle-kit migration folder, in journal order.
 *
 * @example
 * ```ts
 * for (const sql of await migrationStatements(dir)) await client.query(sql);
 * ```
 */
export async function migrationStatements(dir: string, transform: (sql: string) => string = (s) => s): Promise<string[]> {
  const journal = JSON.parse(await readFile(join(dir, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const out: string[] = [];
  for (const entry of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
    const text = transform(await readFile(join(dir, `${entry.tag}.sql`), 'utf8'));
    for (const chunk of text.split('--> statement-breakpoint')) {
      const statement = chunk.trim();
      if (statement.length > 0 && !/^(--[^\n]*\n?\s*)+$/.test(statement)) out.push(statement);
    }
  }
  return out;
}
