/**
 * `understudy introspect --from schema.sql --url mysql://…`: there is no embedded
 * MySQL, so a DDL file is loaded into throwaway databases (`understudy_tmp_<random>`)
 * on a server the user names, introspected there, and dropped afterwards, also when
 * loading fails.
 *
 * Everything runs on one connection, so `SET NAMES`, `SQL_MODE`, `FOREIGN_KEY_CHECKS`
 * and `USE` hold from one statement to the next as they do in the mysql client. A file
 * that creates or uses databases of its own (`DROP SCHEMA IF EXISTS sakila; CREATE
 * SCHEMA sakila; USE sakila;`) gets one throwaway database per name, and its
 * `sakila.film` references are redirected there: a real `sakila` on the server is never
 * touched. The Schema names namespaces as the file does (`sakila`); statements outside
 * any `USE` go to the namespace named like the URL's database (or the file, without
 * `.sql`, when the URL names none).
 *
 * @example
 * ```ts
 * const schema = await introspectMysqlSqlFile('fixtures/schemas/sakila-mysql/schema.sql', {
 *   url: 'mysql://root@127.0.0.1:3306/test',
 * });
 * console.log(Object.keys(schema.tables)); // ['sakila.actor', 'sakila.address', …]
 * ```
 */
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { ConnectionError, normalizeSchema, readTextFile, splitSql, SqlFileError, UsageError, type Schema, type SqlFileOptions } from '@understudy/core';
import { sql } from 'kysely';
import { asDriverError, driverMessage, isPrivilegeError } from './mysql-errors.js';
import { engineSyntaxHint } from './mysql-engine-syntax.js';
import { introspectMysql } from './mysql-introspector.js';
import { text as textOf } from './mysql-introspect-queries.js';
import { openMysql, type MysqlKysely } from './mysql-pool.js';
import { planStatement, renameDatabaseToken, rewriteReferences, tokenize, writtenDatabases } from './mysql-sql-file-rewrite.js';
import { parseMysqlUrl, type MysqlTarget } from './mysql-url.js';

/** Prefix of every database Understudy creates to load a file; safe to drop when found. */
export const TEMP_DATABASE_PREFIX = 'understudy_tmp_';

const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/** What one file load has done to the server so far: the throwaway databases it may have created. */
class ThrowawayDatabases {
  readonly #tag = randomBytes(6).toString('hex');
  #count = 0;
  /** Name in the file → throwaway database. */
  readonly byName = new Map<string, string>();
  /** Every name handed out (possibly created), in order, for the cleanup. */
  readonly all: string[] = [];

  /** A fresh throwaway name for `name`, remembered but not created. */
  assign(name: string): string {
    this.#count++;
    const temp = `${TEMP_DATABASE_PREFIX}${this.#tag}_${this.#count}`;
    this.byName.set(name, temp);
    this.all.push(temp);
    return temp;
  }
}

function privilegeError(target: MysqlTarget, error: unknown, url: string): ConnectionError {
  return new ConnectionError(`user "${target.user}" may not create databases on the MySQL/MariaDB server at ${target.address}, ` + `which loading a SQL file needs (${driverMessage(error, url)})`, {
    cause: error,
    hint:
      `Point --url at a server where the user has the CREATE privilege (a local or disposable server), or grant it ` +
      `for throwaway databases only: GRANT ALL ON \`understudy\\_tmp\\_%\`.* TO '${target.user}'@'%';`,
  });
}

const SYNTAX_ERROR_LINE = /at line (\d+)\s*$/;

/** The line of the statement's first code character, or of a syntax error inside it when the server says. */
function errorLine(statement: { text: string; line: number }, error: unknown): number {
  const e = asDriverError(error);
  const at = e.errno === 1064 ? SYNTAX_ERROR_LINE.exec(e.sqlMessage ?? '') : null;
  if (at) return statement.line + Number(at[1]) - 1;
  const first = tokenize(statement.text)[0];
  return statement.line + (first ? (statement.text.slice(0, first.start).match(/\n/g) ?? []).length : 0);
}

/** The server's message, with a syntax error's "at line N" (counted in the statement) counted in the file. */
function errorMessage(statement: { text: string; line: number }, error: unknown, url: string): string {
  const message = driverMessage(error, url);
  return asDriverError(error).errno === 1064 ? message.replace(SYNTAX_ERROR_LINE, `at line ${errorLine(statement, error)}`) : message;
}

/** The first line of a statement, shortened, for a note. */
function excerpt(statement: string): string {
  const first = statement
    .replace(/^(\s*(--[^\n]*|#[^\n]*)?\n)+/, '')
    .split('\n')[0]!
    .trim();
  return first.length > 80 ? `${first.slice(0, 77)}...` : first;
}

/** Replaces every throwaway database name in a Schema by the name the file gave it. */
function renameNamespaces(schema: Schema, names: ReadonlyMap<string, string>): Schema {
  let json = JSON.stringify(schema);
  for (const [temp, name] of names) json = json.split(temp).join(JSON.stringify(name).slice(1, -1));
  return JSON.parse(json) as Schema;
}

/**
 * Loads `file` into throwaway databases on the server at `options.url` and introspects them.
 * @example
 * ```ts
 * const schema = await introspectMysqlSqlFile('schema.sql', { url: 'mysql://root@127.0.0.1/test' });
 * ```
 * @throws UsageError without `url`, or when the file cannot be read.
 * @throws SqlFileError naming the file and line of a statement the server rejects.
 * @throws ConnectionError when the server cannot be reached or the user may not create databases.
 */
export async function introspectMysqlSqlFile(file: string, options: SqlFileOptions = {}): Promise<Schema> {
  const url = options.url;
  if (!url) {
    throw new UsageError(`cannot read ${file} without a MySQL/MariaDB server: there is no embedded MySQL`, {
      hint: 'Pass --url mysql://user@host/anydb of a server where Understudy may create a throwaway database ' + `(${TEMP_DATABASE_PREFIX}…); it is dropped when the file has been read.`,
    });
  }
  const target = parseMysqlUrl(url);
  const source = await readTextFile(file, `SQL file ${file}`, 'Give the path of a .sql file holding the DDL (CREATE TABLE …), e.g. --from db/schema.sql.');
  const statements = splitSql(source, 'mysql');
  const defaultName = target.database ?? basename(file).replace(/\.sql$/i, '');

  const { db, version } = await openMysql(target, url, { database: null, connectionLimit: 1 });
  const temps = new ThrowawayDatabases();
  const notes: string[] = [];
  let failure: unknown;
  try {
    return await db.connection().execute(async (conn) => {
      const run = (statement: string): Promise<unknown> => sql.raw(statement).execute(conn);
      const charset = await databaseDefaults(conn, target.database);
      const create = async (name: string): Promise<string> => {
        const temp = temps.assign(name);
        try {
          await run(`CREATE DATABASE ${quoteId(temp)}${charset}`);
        } catch (error) {
          throw isPrivilegeError(error) ? privilegeError(target, error, url) : error;
        }
        return temp;
      };
      await run(`USE ${quoteId(await create(defaultName))}`);

      for (const statement of statements) {
        if (statement.kind !== 'sql') continue;
        const plan = planStatement(statement.text);
        try {
          switch (plan.kind) {
            case 'skip':
              notes.push(`${file}:${errorLine(statement, undefined)}: not run on the throwaway server (${plan.reason}): ${excerpt(plan.sql)}`);
              break;
            case 'use':
              await run(`USE ${quoteId(temps.byName.get(plan.name.value) ?? (await create(plan.name.value)))}`);
              break;
            case 'create-database': {
              const temp = temps.byName.get(plan.name.value) ?? temps.assign(plan.name.value);
              try {
                await run(renameDatabaseToken(plan, temp));
              } catch (error) {
                throw isPrivilegeError(error) ? privilegeError(target, error, url) : error;
              }
              break;
            }
            case 'drop-database': {
              const temp = temps.byName.get(plan.name.value);
              if (temp) await run(renameDatabaseToken(plan, temp));
              break;
            }
            case 'alter-database':
              await run(renameDatabaseToken(plan, temps.byName.get(plan.name.value) ?? (await create(plan.name.value))));
              break;
            case 'other':
              for (const name of writtenDatabases(plan)) if (!temps.byName.has(name)) await create(name);
              await run(rewriteReferences(plan, (name) => temps.byName.get(name)));
              break;
          }
        } catch (error) {
          if (error instanceof ConnectionError) throw error;
          const hint = asDriverError(error).errno === 1064 ? engineSyntaxHint(statement.text, version) : undefined;
          throw new SqlFileError(file, errorLine(statement, error), errorMessage(statement, error, url), { cause: error, ...(hint !== undefined ? { hint } : {}) });
        }
      }

      const filled = await databasesWithObjects(conn, [...temps.byName.values()]);
      const wanted = [...temps.byName.entries()].filter(([, temp]) => filled.has(temp));
      const chosen = wanted.length > 0 ? wanted : [...temps.byName.entries()].slice(0, 1);
      const selected = options.schemas ? chosen.filter(([name]) => options.schemas!.includes(name)) : chosen;
      if (options.schemas) {
        const missing = options.schemas.filter((s) => !chosen.some(([name]) => name === s));
        if (missing.length > 0) {
          throw new UsageError(`${file} creates no database named ${missing.map((m) => `"${m}"`).join(', ')}`, {
            hint: `It fills: ${chosen.map(([name]) => name).join(', ')}.`,
          });
        }
      }
      const schema = await introspectMysql(conn, {
        schemas: selected.map(([, temp]) => temp),
        version,
        source: `file:${file}`,
      });
      const renamed = renameNamespaces(schema, new Map([...temps.byName].map(([name, temp]) => [temp, name])));
      renamed.namespaces = [...renamed.namespaces].sort();
      renamed.notes = [...renamed.notes, ...notes].sort();
      return normalizeSchema(renamed);
    });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    await dropAll(db, temps.all, failure === undefined).finally(() => db.destroy().catch(() => undefined));
  }
}

/** ` CHARACTER SET x COLLATE y` of the URL's database, so a file loads as it would into that database. */
export async function databaseDefaults(db: MysqlKysely, database: string | undefined): Promise<string> {
  if (!database) return '';
  const found = await sql<{ cs: unknown; co: unknown }>`
    SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co
    FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${database}`.execute(db);
  const row = found.rows[0];
  const cs = textOf(row?.cs);
  const co = textOf(row?.co);
  if (!cs || !co || !/^\w+$/.test(cs) || !/^\w+$/.test(co)) return '';
  return ` CHARACTER SET ${cs} COLLATE ${co}`;
}

async function databasesWithObjects(db: MysqlKysely, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const found = await sql<{ s: unknown }>`
    SELECT DISTINCT TABLE_SCHEMA AS s FROM information_schema.TABLES
    WHERE TABLE_SCHEMA IN (${sql.join(names.map((n) => sql`${n}`))})`.execute(db);
  return new Set(found.rows.map((r) => textOf(r.s) ?? ''));
}

/**
 * Drops the throwaway databases. When loading succeeded a failure here is reported;
 * when loading failed, the loading error is the one the user sees.
 */
async function dropAll(db: MysqlKysely, names: readonly string[], report: boolean): Promise<void> {
  const left: string[] = [];
  for (const name of names) {
    try {
      await sql.raw(`DROP DATABASE IF EXISTS ${quoteId(name)}`).execute(db);
    } catch {
      left.push(name);
    }
  }
  if (left.length > 0 && report) {
    throw new ConnectionError(`could not drop the throwaway database(s) ${left.join(', ')}`, {
      hint: `Drop them by hand: ${left.map((n) => `DROP DATABASE ${quoteId(n)};`).join(' ')}`,
    });
  }
}
