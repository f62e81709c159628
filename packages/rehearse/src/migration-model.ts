/**
 * The migration model: what Understudy read from a migration folder, as plain
 * JSON validated with zod. Every migration tool's folder (plain numbered SQL,
 * golang-migrate, Flyway, dbmate, Prisma, drizzle-kit, goose, sql-migrate, sqlx, diesel,
 * gobuffalo/popx, Sqitch, Liquibase formatted SQL, Atlas, temporal-sql-tool) and
 * a `--command` become this one shape; the rehearsal reads only this shape.
 *
 * File paths are relative to the folder (`MigrationSet.dir`), with `/` separators.
 *
 * @example
 * ```ts
 * const set = MigrationSetModel.parse(JSON.parse(text));
 * for (const m of set.migrations) console.log(m.id, m.name);
 * ```
 */
import { DIALECT_NAMES } from '@understudy/core';
import { z } from 'zod';

/** The current version of the saved MigrationSet format. */
export const MIGRATION_SET_VERSION = 1;

/**
 * Where migrations come from. `plain` and `golang-migrate` are read by one reader
 * (their semantics are the same); the name records which convention the folder follows.
 */
export const MigrationFormat = z.enum([
  'plain',
  'golang-migrate',
  'flyway',
  'dbmate',
  'prisma',
  'drizzle-kit',
  'goose',
  'sql-migrate',
  'sqlx',
  'diesel',
  'popx',
  'sqitch',
  'liquibase',
  'atlas',
  'temporal-sql-tool',
  'command',
]);
export type MigrationFormat = z.infer<typeof MigrationFormat>;

/** The SQL flavour statements were split with. */
export const MigrationDialect = z.enum(DIALECT_NAMES);
export type MigrationDialect = z.infer<typeof MigrationDialect>;

/**
 * `ddl`: changes the shape (CREATE, ALTER, DROP, COMMENT, GRANT, RENAME…);
 * `dml`: changes rows (INSERT, UPDATE, DELETE, MERGE, COPY, TRUNCATE, or a WITH that does);
 * `other`: everything else (SET, SELECT, DO blocks, BEGIN/COMMIT, CALL…).
 */
export const StatementKind = z.enum(['ddl', 'dml', 'other']);
export type StatementKind = z.infer<typeof StatementKind>;

export const MigrationStatement = z.object({
  /** The statement without its terminator. */
  text: z.string(),
  /** 1-based line in `file` where the statement starts. */
  line: z.number().int().positive(),
  /** The file it came from, relative to the folder. */
  file: z.string(),
  /**
   * `false` when the statement cannot run inside a transaction block
   * (PostgreSQL: CREATE/DROP INDEX CONCURRENTLY, REINDEX … CONCURRENTLY,
   * DETACH PARTITION … CONCURRENTLY, VACUUM, CREATE/DROP DATABASE,
   * CREATE/DROP TABLESPACE, ALTER SYSTEM).
   * MySQL statements never fail inside a transaction (DDL commits implicitly; ask
   * the dialect whether DDL is transactional), so they are all `true`.
   */
  transactional: z.boolean(),
  kind: StatementKind,
  /** The rows of a `COPY … FROM stdin` statement, as written after it in the file. */
  copyData: z.string().optional(),
});
export type MigrationStatement = z.infer<typeof MigrationStatement>;

/**
 * How the migration tool runs a script, and so how the rehearsal runs it:
 *
 * - `file`: inside one transaction the tool opens around the script (Flyway, goose,
 *   sqlx, dbmate, diesel, popx, Liquibase, Atlas, drizzle-kit). A statement that cannot
 *   run in a transaction fails there, as it does in production. A `COMMIT` written in
 *   the script ends the tool's transaction early; what follows runs in autocommit.
 * - `implicit`: sent as one multi-statement query (golang-migrate, Prisma, dbmate
 *   `transaction:false`, diesel `run_in_transaction = false`, sqlx `-- no-transaction`,
 *   popx `.autocommit`). PostgreSQL runs such a query as one implicit transaction when it
 *   holds more than one statement, and a lone statement outside any; `BEGIN`/`COMMIT`
 *   written in the script take over from there.
 * - `none`: statement by statement in autocommit (psql, Sqitch, temporal-sql-tool, goose
 *   `NO TRANSACTION`, Atlas `txmode none`, Liquibase `runInTransaction:false`), except
 *   between the script's own `BEGIN` and `COMMIT`.
 *
 * `BEGIN`, `COMMIT` and `ROLLBACK` written in a script are always honoured.
 */
export const ScriptTransaction = z.enum(['file', 'implicit', 'none']);
export type ScriptTransaction = z.infer<typeof ScriptTransaction>;

/** A step that runs SQL read from a file (or from several: a statement names its own file). */
export const MigrationScript = z.object({
  file: z.string(),
  statements: z.array(MigrationStatement),
  transaction: ScriptTransaction,
  /**
   * What to change so that the tool runs this script outside a transaction, in the tool's
   * words (`add "-- +goose NO TRANSACTION" to the file`): added to the error of a statement
   * that cannot run inside one.
   */
  transactionHint: z.string().optional(),
});
export type MigrationScript = z.infer<typeof MigrationScript>;

/** The file name of the `SET` statements `--set NAME=VALUE` adds to the tool setup (in messages: `--set:1`). */
export const SESSION_SETTINGS_FILE = '--set';

/** A step that runs a shell command with DATABASE_URL pointing at the rehearsal database. */
export const MigrationCommand = z.object({
  command: z.string().min(1),
  /**
   * Run it at this commit, in a temporary git worktree, not in the current tree: the baseline of a
   * `--command --since REF` rehearsal (`commit` is the merge-base of REF and HEAD).
   */
  at: z.object({ commit: z.string(), ref: z.string() }).optional(),
});
export type MigrationCommand = z.infer<typeof MigrationCommand>;

export const MigrationStep = z.union([MigrationScript, MigrationCommand]);
export type MigrationStep = z.infer<typeof MigrationStep>;

export const Migration = z.object({
  /** The version, as the tool sorts it: `001`, `20240101120000`, `1.1`, `0003`; a Flyway repeatable's is `R__<name>`. */
  id: z.string().min(1),
  name: z.string(),
  format: MigrationFormat,
  /** A Flyway repeatable migration (`R__name.sql`): applied after the versioned ones, again whenever it changes. */
  repeatable: z.boolean(),
  up: MigrationStep,
  down: MigrationStep.optional(),
});
export type Migration = z.infer<typeof Migration>;

export const MigrationSet = z.object({
  version: z.literal(MIGRATION_SET_VERSION),
  format: MigrationFormat,
  /** The folder, as given (or the working directory of a `--command`). */
  dir: z.string(),
  dialect: MigrationDialect,
  /** In the order the tool applies them. */
  migrations: z.array(Migration),
  /**
   * What the tool creates before it applies the first migration and some migrations use:
   * golang-migrate's `schema_migrations` table, which harbor's history alters. Run before
   * the baseline, untraced.
   */
  toolSetup: MigrationScript.optional(),
  /**
   * The files of `--setup FILE` (named relative to `dir`, as their statements name them), which open
   * the tool setup: what the environment makes before the tool's first migration.
   */
  setupFiles: z.array(z.string()).optional(),
  /** What is wrong with the folder but did not stop reading it, one sentence each, naming the file. */
  problems: z.array(z.string()),
  /**
   * Migrations the project applies that the rehearsal cannot run: code (a `migration.ts` data
   * migration in a Prisma-shaped folder, goose's `.go`, pop's `.fizz`), each with `before`, the
   * index in `migrations` of the first migration applied after it (`migrations.length` when none
   * is). A migration that fails after one of them may fail for want of what it does.
   */
  leftOut: z.array(z.object({ file: z.string(), kind: z.string(), before: z.number().int().nonnegative() })).optional(),
});
export type MigrationSet = z.infer<typeof MigrationSet>;

/**
 * Whether a step runs SQL from a file (as opposed to a command).
 *
 * @example
 * ```ts
 * if (isMigrationScript(migration.up)) console.log(migration.up.statements.length);
 * ```
 */
export function isMigrationScript(step: MigrationStep): step is MigrationScript {
  return 'file' in step;
}
