/**
 * The rehearsal report: everything a rehearsal found, as plain JSON validated
 * with zod. The terminal summary, `--json`, `--junit` and `--markdown` are all
 * renderings of this one value, and the exit code is computed from it
 * (`rehearsalExitCode`).
 *
 * @example
 * ```ts
 * const report = RehearsalReportModel.parse(JSON.parse(await readFile('rehearsal.json', 'utf8')));
 * report.migrations.filter((m) => m.status === 'failed').map((m) => m.failure?.error);
 * ```
 */
import { DIALECT_NAMES } from '@understudy/core';
import { z } from 'zod';

/** The current version of the saved report format. */
export const REHEARSAL_REPORT_VERSION = 1;

/**
 * A lock a statement's session held: the engine's mode name, its strength among the engine's
 * modes (0 weakest; -1 unknown), its documented label, and what others wait for while it is held
 * (the dialect fills these in: see `HeldLock`).
 */
export const ReportLock = z.object({
  relation: z.string(),
  mode: z.string(),
  rank: z.number().int(),
  label: z.string(),
  blocks: z.enum(['nothing', 'writes', 'reads and writes']),
});
export const ReportRewrite = z.object({ relation: z.string(), kind: z.enum(['table', 'index']) });

export const StatementReport = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  /** The statement, shortened to one line of at most 200 characters. */
  sql: z.string(),
  durationMs: z.number().nonnegative(),
  rowsAffected: z.number().int().nullable(),
  locks: z.array(ReportLock),
  rewrites: z.array(ReportRewrite),
  /** MySQL/MariaDB ALTER: the cheapest ALGORITHM and LOCK the server accepted. */
  alter: z.object({ algorithm: z.enum(['INSTANT', 'INPLACE', 'COPY']), lock: z.enum(['NONE', 'SHARED', 'EXCLUSIVE']) }).optional(),
  /** Rows of each table the statement read or wrote, where the target counts them (PostgreSQL inside a transaction). */
  reads: z.array(z.object({ relation: z.string(), rows: z.number().int().nonnegative() })).optional(),
});
export type StatementReport = z.infer<typeof StatementReport>;

export const OffendingRowsReport = z.object({
  description: z.string(),
  query: z.string(),
  rows: z.array(z.record(z.string(), z.string().nullable())),
  total: z.number().int().nonnegative(),
});

export const FailureReport = z.object({
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  sql: z.string().optional(),
  /** The database's error message (or the command's exit status and stderr tail). */
  error: z.string(),
  offendingRows: OffendingRowsReport.optional(),
});
export type FailureReport = z.infer<typeof FailureReport>;

/** A statement the rehearsal did not run because it acts on the server beyond the rehearsal database. */
export const SkippedStatementReport = z.object({
  file: z.string(),
  line: z.number().int().positive(),
  sql: z.string(),
  /** What it would have done: `drops database other_db`, `creates role app`. */
  effect: z.string(),
});
export type SkippedStatementReport = z.infer<typeof SkippedStatementReport>;

/**
 * A `--command` step: the tool's exit status and output, and how it was watched. Its `statements`
 * are those seen running in the rehearsal database (file `command`, line: the order they were first
 * seen in), each with the locks its session held.
 */
export const CommandReport = z.object({
  command: z.string(),
  exitCode: z.number().int(),
  /** The last 4,000 characters of stdout and stderr, every secret of the database URL removed. */
  output: z.string(),
  /** Output before those characters was cut off. */
  outputTruncated: z.boolean(),
  /** Samples of pg_locks / PROCESSLIST taken while it ran, and their interval. */
  samples: z.number().int().nonnegative(),
  intervalMs: z.number().nonnegative(),
  /** Tables and indexes whose storage changed while it ran. */
  rewrites: z.array(ReportRewrite),
  /** What could not be watched. */
  notes: z.array(z.string()),
});
export type CommandReport = z.infer<typeof CommandReport>;

export const MigrationReport = z.object({
  id: z.string(),
  name: z.string(),
  /** `skipped`: not run because an earlier one failed. */
  status: z.enum(['passed', 'failed', 'skipped']),
  /** The time the database spent: its statements' and its COMMIT's, not the tracing around them (a command's: its wall time). */
  durationMs: z.number().nonnegative(),
  statements: z.array(StatementReport),
  failure: FailureReport.optional(),
  /** Statements not run because they act on the server beyond the rehearsal database (`server-level` hazards). */
  skipped: z.array(SkippedStatementReport).optional(),
  /** A `--command` step: its exit status, output and the watch of its sessions. */
  command: CommandReport.optional(),
  /** Hazards found in this migration (see `Hazard`). */
  hazards: z.array(z.string()).default([]),
});
export type MigrationReport = z.infer<typeof MigrationReport>;

export const SchemaChange = z.object({
  change: z.enum(['added', 'removed', 'changed']),
  object: z.enum(['table', 'column', 'primary key', 'unique', 'foreign key', 'check', 'index', 'enum', 'sequence', 'view']),
  /** `public.users`, `public.users.email`, `public.users.users_email_key`. */
  name: z.string(),
  /** For `changed`: what differs, e.g. `type varchar(255) → varchar(50)`, `nullable → NOT NULL`. */
  detail: z.string().optional(),
});
export type SchemaChange = z.infer<typeof SchemaChange>;

export const ColumnDataChange = z.object({
  column: z.string(),
  /** Rows whose value in this column changed (compared by primary key), when known. */
  changedRows: z.number().int().nonnegative().nullable(),
  nullsBefore: z.number().int().nonnegative(),
  nullsAfter: z.number().int().nonnegative(),
  distinctBefore: z.number().int().nonnegative(),
  distinctAfter: z.number().int().nonnegative(),
  /** Values now shorter (longest length went down) or numbers rounded: a sign of truncation. */
  truncated: z.boolean().default(false),
  /** Column dropped: every value is lost. */
  dropped: z.boolean().default(false),
  /** Dropped or emptied, its values found elsewhere: where, and by which migration (`public.users.display_name (002)`). */
  movedTo: z.string().optional(),
});
export type ColumnDataChange = z.infer<typeof ColumnDataChange>;

export const TableDataChange = z.object({
  table: z.string(),
  rowsBefore: z.number().int().nonnegative(),
  rowsAfter: z.number().int().nonnegative(),
  /** Rows whose key disappeared / appeared (when the table was small enough to key every row). */
  rowsLost: z.number().int().nonnegative().nullable(),
  rowsAdded: z.number().int().nonnegative().nullable(),
  columns: z.array(ColumnDataChange),
  /** The table was dropped: all its rows are lost. */
  dropped: z.boolean().default(false),
  /** The primary key changed (other columns, or a new key): rows are not matched by key, so none is counted lost or added. */
  rekeyed: z.boolean().optional(),
  /** A partitioned parent: its rows are its partitions' (a detached partition keeps its rows), not matched by key. */
  partitioned: z.boolean().optional(),
  /** Dropped, or rows gone, found elsewhere: where, and by which migration (`public.memos (002)`). */
  movedTo: z.string().optional(),
});
export type TableDataChange = z.infer<typeof TableDataChange>;

export const DownReport = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['passed', 'failed', 'missing', 'skipped']),
  durationMs: z.number().nonnegative(),
  failure: FailureReport.optional(),
});
export type DownReport = z.infer<typeof DownReport>;

export const UserCheckReport = z.object({
  name: z.string(),
  query: z.string(),
  /** Results as JSON-able rows, at A (before), B (after up) and C (after down). */
  before: z.unknown(),
  after: z.unknown(),
  afterDown: z.unknown().optional(),
  changed: z.boolean(),
  expectChange: z.boolean(),
  /** Passed when `changed === expectChange` and the query ran. */
  status: z.enum(['passed', 'failed']),
  error: z.string().optional(),
});
export type UserCheckReport = z.infer<typeof UserCheckReport>;

/** A step's duration and lock time estimated at production size. */
export const EstimateReport = z.object({
  migration: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  sql: z.string(),
  table: z.string().optional(),
  targetRows: z.number().int().nonnegative(),
  estimatedMs: z.number().nonnegative(),
  /** The strongest lock held on `table` after the statement (PostgreSQL), or `ALGORITHM=… LOCK=…` (MySQL). */
  lockMode: z.string().optional(),
  /** How long that lock is estimated to be held: this statement and the later ones of its transaction that still hold it. */
  lockMs: z.number().nonnegative().optional(),
  /** The two sizes' times differed by no more than the timer's noise: a constant, not extrapolated. */
  noiseBound: z.boolean().optional(),
  /**
   * Rows of each table the statement is estimated to read or write at production size (from the rows
   * it read at the two seed sizes), where the target counts them; `{}`: it reads no table's rows.
   */
  rowsRead: z.record(z.string(), z.number().nonnegative()).optional(),
  /** How it was estimated: `linear fit over 1,000 and 10,000 rows; target rows from profile.json`. */
  basis: z.string(),
});
export type EstimateReport = z.infer<typeof EstimateReport>;

export const Hazard = z.object({
  /** `failed`, `data-lost`, `down-mismatch`, `long-lock`, `check-failed`, `server-level` (a statement not run: it acts on the whole server). */
  kind: z.enum(['failed', 'data-lost', 'down-mismatch', 'long-lock', 'check-failed', 'server-level']),
  migration: z.string().optional(),
  message: z.string(),
});
export type Hazard = z.infer<typeof Hazard>;

export const RehearsalReportModel = z.object({
  version: z.literal(REHEARSAL_REPORT_VERSION),
  /** `PGlite (in memory)`, or the throwaway database's URL without password. */
  environment: z.string(),
  dialect: z.enum(DIALECT_NAMES),
  migrationsDir: z.string(),
  format: z.string(),
  baseline: z.array(z.object({ id: z.string(), name: z.string() })),
  seed: z.object({ rows: z.number().int().nonnegative(), tables: z.number().int().nonnegative(), durationMs: z.number().nonnegative() }),
  migrations: z.array(MigrationReport),
  schemaChanges: z.array(SchemaChange),
  dataChanges: z.array(TableDataChange),
  /** Absent when the down check was not run (`--no-down`, or an up failed). */
  down: z
    .object({
      steps: z.array(DownReport),
      /** Schema after the downs equals the schema before the ups. */
      restored: z.boolean(),
      /** What still differs between C and A. */
      differences: z.array(SchemaChange),
    })
    .optional(),
  checks: z.array(UserCheckReport).default([]),
  estimates: z.array(EstimateReport).default([]),
  hazards: z.array(Hazard),
  /** Problems reading the folder, warnings. */
  notes: z.array(z.string()).default([]),
  durationMs: z.number().nonnegative(),
});
export type RehearsalReport = z.infer<typeof RehearsalReportModel>;

/**
 * The exit code for a report: 1 when it holds any hazard (a failed migration, data lost
 * that no check declared, a down that does not restore, a long lock on a big table, a
 * failed user check), else 0.
 * @example
 * ```ts
 * process.exitCode = rehearsalExitCode(report);
 * ```
 */
export function rehearsalExitCode(report: RehearsalReport): 0 | 1 {
  return report.hazards.length > 0 ? 1 : 0;
}
