/**
 * Loads a DDL file (hand-written or a `pg_dump --schema-only` dump) into a
 * database, one statement at a time, so a failure names the file and line.
 *
 * It tolerates what dumps contain: psql meta-commands (`\connect`, `\restrict`)
 * are skipped; COPY statements and their data are skipped (rows are not schema),
 * unless `loadCopy` is given (a dump's rows into the database a seed keeps them in);
 * CREATE / ALTER / DROP DATABASE (`pg_dump --create`) are skipped, since the file
 * is loaded into the database we were given;
 * `SET` lines run (and a parameter the server does not know is skipped);
 * `OWNER TO` / `GRANT` / `AUTHORIZATION` naming a role that does not exist
 * creates that role (NOLOGIN) when `createMissingRoles` is set (an embedded
 * PGlite), and otherwise fails like psql would. Afterwards the session is
 * `RESET ALL`, since dumps empty `search_path`.
 *
 * @example
 * ```ts
 * const { statements } = await readSqlFile('schema.sql');
 * const report = await runSqlStatements(db, 'schema.sql', statements, { createMissingRoles: true });
 * console.log(report.notes); // ['skipped COPY data for public.actor (line 120)']
 * ```
 */
import { readTextFile, splitSql, SqlFileError, type SqlStatement } from '@understudy/core';
import { sql, type Kysely } from 'kysely';
import { isPgliteExtension, PGLITE_EXTENSIONS } from './pglite-extensions.js';
import { sessionSettingValue } from './postgres-session-settings.js';

export interface SqlFile {
  readonly file: string;
  readonly statements: readonly SqlStatement[];
}

/**
 * Reads and splits a SQL file.
 * @throws UsageError naming the path when it cannot be read.
 * @example
 * ```ts
 * const { statements } = await readSqlFile('schema.sql'); // [{ kind: 'sql', text: 'CREATE TABLE …', line: 3 }, …]
 * ```
 */
export async function readSqlFile(file: string): Promise<SqlFile> {
  const text = await readTextFile(file, `SQL file ${file}`, 'Give the path of a .sql file holding the DDL (CREATE TABLE …), e.g. --from db/schema.sql.');
  return { file, statements: splitSql(text, 'postgres') };
}

export interface ExtensionUse {
  readonly name: string;
  readonly line: number;
}

/** `CREATE EXTENSION` anywhere in a statement: also inside a `DO $$ … $$` block that creates it when missing (temporal's schemas). */
const CREATE_EXTENSION = /\bCREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$-]*))/gi;

/**
 * The extensions a file creates (`CREATE EXTENSION …`), with the line of each.
 * @example
 * ```ts
 * scanExtensions(splitSql('CREATE EXTENSION citext;', 'postgres')); // [{ name: 'citext', line: 1 }]
 * ```
 */
export function scanExtensions(statements: readonly SqlStatement[]): ExtensionUse[] {
  const uses: ExtensionUse[] = [];
  for (const s of statements) {
    if (s.kind !== 'sql') continue;
    for (const match of s.text.matchAll(CREATE_EXTENSION)) {
      const name = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2]!.toLowerCase();
      uses.push({ name, line: s.line });
    }
  }
  return uses;
}

/**
 * Checks that PGlite can run every extension the file creates, and returns their names.
 * @throws SqlFileError at the first `CREATE EXTENSION` PGlite cannot run.
 * @example
 * ```ts
 * const pglite = await openPglite({ extensions: assertPgliteCanLoad(await readSqlFile('schema.sql')) });
 * ```
 */
export function assertPgliteCanLoad(file: SqlFile): string[] {
  const uses = scanExtensions(file.statements);
  const missing = uses.find((u) => !isPgliteExtension(u.name) && !OPERATIONAL_EXTENSIONS.has(u.name));
  if (missing) {
    throw new SqlFileError(file.file, missing.line, `extension "${missing.name}" is not available in the embedded PGlite engine`, {
      hint:
        `Introspect a PostgreSQL server that has "${missing.name}" installed instead: pass --url postgres://… ` +
        `(Understudy loads the file into a throwaway database there). PGlite ships: ${PGLITE_EXTENSIONS.join(', ')}.`,
    });
  }
  return [...new Set(uses.filter((u) => isPgliteExtension(u.name)).map((u) => u.name))];
}

/**
 * Extensions that add operations only (partition maintenance, job schedulers, auditing, statistics,
 * hints, logical replication), no type, table or operator a schema's tables use: a schema loads
 * into PGlite without them (lago's `pg_partman`), and the load says it skipped them.
 */
const OPERATIONAL_EXTENSIONS = new Set([
  'pg_partman',
  'pg_cron',
  'pgaudit',
  'pg_repack',
  'pg_stat_kcache',
  'pg_qualstats',
  'pg_hint_plan',
  'pglogical',
  'pg_squeeze',
  'pg_wait_sampling',
  'pg_prewarm',
  'pgstattuple',
  'pg_stat_monitor',
  'pg_show_plans',
  'pg_partman_bgw',
]);

/**
 * The `CREATE EXTENSION`s of a file that PGlite does not ship but that a schema does not need
 * (see `OPERATIONAL_EXTENSIONS`): `runSqlStatements` skips them when given as `skipExtensions`.
 * @example
 * ```ts
 * skippedPgliteExtensions(await readSqlFile('structure.sql')); // [{ name: 'pg_partman', line: 1383 }]
 * ```
 */
export function skippedPgliteExtensions(file: SqlFile): ExtensionUse[] {
  return scanExtensions(file.statements).filter((u) => !isPgliteExtension(u.name) && OPERATIONAL_EXTENSIONS.has(u.name));
}

/** `CREATE EXTENSION name` or `COMMENT ON EXTENSION name` as a whole statement: the extension's name. */
const EXTENSION_STATEMENT = /^\s*(?:CREATE\s+EXTENSION\s+(?:IF\s+NOT\s+EXISTS\s+)?|COMMENT\s+ON\s+EXTENSION\s+)(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$-]*))/i;

export interface RunSqlOptions {
  /** Create a NOLOGIN role when a statement names one that does not exist (for a throwaway embedded database). */
  readonly createMissingRoles?: boolean;
  /**
   * Loads a `COPY … FROM stdin` block's rows: `copySql` reads them from `'/dev/blob'` (PGlite's way
   * to stream rows in), `data` is the block as the file holds it. Without it COPY blocks are skipped.
   */
  readonly loadCopy?: (copySql: string, data: string) => Promise<void>;
  /** Extensions whose `CREATE EXTENSION` / `COMMENT ON EXTENSION` are skipped with a note (see `skippedPgliteExtensions`). */
  readonly skipExtensions?: readonly ExtensionUse[];
}

export interface SqlRunReport {
  /** Statements that ran. */
  readonly executed: number;
  /** What was skipped or worked around, with lines. */
  readonly notes: string[];
  /** The notes of `skipExtensions` statements skipped: what a user must be told (the schema lacks them). */
  readonly skippedExtensions: string[];
}

/**
 * Runs `statements` on one connection of `db`, in order.
 * @throws SqlFileError naming the file and line of the first statement the database rejects.
 * @example
 * ```ts
 * const { statements } = await readSqlFile('schema.sql');
 * const { executed, notes } = await runSqlStatements(conn.db, 'schema.sql', statements);
 * ```
 */
export async function runSqlStatements(db: Kysely<any>, file: string, statements: readonly SqlStatement[], options: RunSqlOptions = {}): Promise<SqlRunReport> {
  const notes: string[] = [];
  const skippedExtensions: string[] = [];
  let executed = 0;
  await db.connection().execute(async (conn) => {
    try {
      for (const [index, statement] of statements.entries()) {
        if (statement.kind === 'meta') {
          notes.push(`skipped psql command ${statement.text.split(/\s+/)[0]} (line ${statement.line})`);
          continue;
        }
        if (statement.kind === 'copy-data') continue;
        const copy = /^COPY\s+((?:"(?:[^"]|"")*"|[^\s(])+)/i.exec(statement.text);
        if (copy) {
          const next = statements[index + 1];
          const fromStdin = /\bFROM\s+stdin\b/i;
          if (options.loadCopy && fromStdin.test(statement.text) && next?.kind === 'copy-data') {
            try {
              await options.loadCopy(statement.text.replace(fromStdin, "FROM '/dev/blob'"), next.text.endsWith('\n') || next.text === '' ? next.text : `${next.text}\n`);
            } catch (error) {
              throw new SqlFileError(file, statement.line, `loading the rows of COPY ${copy[1]} failed: ${(error as Error).message}`, {
                hint: 'Fix the data block in the file, or load the file into a server with psql and seed it with --url.',
              });
            }
            executed++;
            continue;
          }
          notes.push(`skipped COPY data for ${copy[1]} (line ${statement.line}): rows are not schema`);
          continue;
        }
        const extension = EXTENSION_STATEMENT.exec(statement.text);
        const extensionName = extension ? (extension[1]?.replace(/""/g, '"') ?? extension[2]!.toLowerCase()) : undefined;
        if (extensionName !== undefined && options.skipExtensions?.some((e) => e.name === extensionName)) {
          if (/^\s*CREATE/i.test(statement.text)) skippedExtensions.push(`skipped CREATE EXTENSION ${extensionName} (line ${statement.line}): PGlite does not ship it, and tables do not need it`);
          continue;
        }
        const database = /^(CREATE|ALTER|DROP)\s+DATABASE\b/i.exec(statement.text);
        if (database) {
          // pg_dump --create output: the objects go into the database we were given, not a new one.
          notes.push(`skipped ${database[1]!.toUpperCase()} DATABASE (line ${statement.line}): the file is loaded into this database`);
          continue;
        }
        if (await runOne(conn, file, statement, options, notes, statements)) executed++;
      }
    } finally {
      // Dumps empty search_path and set other session state; leave the connection as we found it.
      await sql`reset all`.execute(conn).catch(() => undefined);
    }
  });
  return { executed, notes: [...notes, ...skippedExtensions], skippedExtensions };
}

interface PgErrorLike {
  readonly code?: string;
  readonly message: string;
  readonly position?: string | number;
  readonly hint?: string;
  readonly detail?: string;
}

async function runOne(conn: Kysely<any>, file: string, statement: SqlStatement, options: RunSqlOptions, notes: string[], statements: readonly SqlStatement[]): Promise<boolean> {
  const created = new Set<string>();
  const settings = new Set<string>();
  for (;;) {
    try {
      await sql.raw(statement.text).execute(conn);
      return true;
    } catch (raw) {
      const error = raw as PgErrorLike;
      const role = /^role "((?:[^"]|"")+)" does not exist$/.exec(error.message)?.[1];
      if (error.code === '42704' && role !== undefined && options.createMissingRoles && !created.has(role)) {
        created.add(role);
        await sql`create role ${sql.id(role)} nologin`.execute(conn);
        notes.push(`created missing role "${role}" for line ${statement.line}`);
        continue;
      }
      if (error.code === '42704' && /^SET\s/i.test(statement.text) && /configuration parameter/.test(error.message)) {
        notes.push(`skipped ${statement.text} (line ${statement.line}): ${error.message}`);
        return false;
      }
      // A custom setting (`app.current_tenant`) that a DEFAULT or a function reads with current_setting():
      // the application sets it per session, the file does not. Set it for the load, to a value of the type
      // the file casts it to, and say so.
      const setting = /^unrecognized configuration parameter "([A-Za-z_][\w$]*\.[\w$.]+)"$/.exec(error.message)?.[1];
      if (error.code === '42704' && setting !== undefined && !settings.has(setting)) {
        settings.add(setting);
        const value = sessionSettingValue(
          setting,
          statements.filter((st) => st.kind === 'sql').map((st) => st.text),
        );
        await sql`select set_config(${setting}, ${value}, false)`.execute(conn);
        notes.push(
          `set ${setting} = '${value}' for the load from line ${statement.line}: the file reads it with current_setting() ` + `(a setting its application sets per session) and does not set it`,
        );
        continue;
      }
      throw sqlFileError(file, statement, error, raw, options.skipExtensions);
    }
  }
}

function sqlFileError(file: string, statement: SqlStatement, error: PgErrorLike, cause: unknown, skipped: readonly ExtensionUse[] = []): SqlFileError {
  // The server reports a 1-based character position inside the statement; turn it into a file line.
  const position = Number(error.position);
  const before = Number.isInteger(position) && position > 0 ? statement.text.slice(0, position - 1) : '';
  const line = statement.line + (before.match(/\n/g)?.length ?? 0);
  const firstLine = statement.text.split('\n')[0]!;
  const excerpt = firstLine.length > 80 ? `${firstLine.slice(0, 77)}...` : firstLine;
  const advice = [error.detail, error.hint].filter((s): s is string => Boolean(s)).join(' ');
  return new SqlFileError(file, line, error.message, {
    hint:
      `${advice ? `${advice} ` : ''}The statement starting "${excerpt}" (line ${statement.line}) failed. ` +
      (skipped.length > 0
        ? `PGlite does not ship ${skipped.map((e) => `${e.name} (line ${e.line})`).join(', ')}, skipped: if the statement needs it, introspect a server that has it with --url. `
        : '') +
      'Fix it in the file, or introspect the live database with --url instead.',
    cause,
  });
}
