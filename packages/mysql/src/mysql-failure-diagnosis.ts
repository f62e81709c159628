/**
 * After a migration statement failed on MySQL/MariaDB, the rows that made it fail,
 * found by asking the database with a query the user can run on production too:
 * - `MODIFY/CHANGE … NOT NULL` over NULLs (1138 invalid use of NULL, 1265 data
 *   truncated, 1048): the rows where the column IS NULL;
 * - `MODIFY … INT/DECIMAL/VARCHAR(n)/BINARY(n)/TINYTEXT/ENUM(…)` over values that do not
 *   convert or fit (1265 data truncated, 1366 incorrect integer value, 1292 truncated
 *   incorrect value, 1264 out of range, 1406 data too long): the values that are not
 *   numbers, out of range, too long (characters, or bytes for binary and TEXT/BLOB
 *   types) or not among the ENUM's values;
 * - `ADD [CONSTRAINT n] FOREIGN KEY (a) REFERENCES p (x)` over rows without a parent
 *   (1452): the rows whose (a), all non-NULL, has no match in p;
 * - `ADD UNIQUE` / `ADD PRIMARY KEY` / `CREATE UNIQUE INDEX` over duplicates (1062):
 *   the duplicate groups;
 * - `ADD CHECK` that existing rows violate (4025 on MariaDB, 3819 on MySQL 8): those rows.
 *
 * An ALTER with several clauses is tried clause by clause; the first clause whose
 * query finds rows is the answer.
 *
 * @example
 * ```ts
 * const found = await diagnoseMysqlFailure(db, 'ALTER TABLE users MODIFY email varchar(255) NOT NULL', error, schema);
 * found?.query; // 'SELECT `id`, `email` FROM `users` WHERE `email` IS NULL'
 * ```
 */
import type { Column, OffendingRows, Schema, Table } from '@understudy/core';
import { sql } from 'kysely';
import { qualifiedNameAt } from './mysql-alter-probe.js';
import { asDriverError } from './mysql-errors.js';
import { quoteId } from './mysql-load-sql.js';
import type { MysqlKysely } from './mysql-pool.js';
import { asText } from './mysql-snapshot.js';
import { isIdentifier, isPunct, isWord, splitTopLevel, tokenize, type Token } from './mysql-sql-file-rewrite.js';

/** Errors a NOT NULL over NULLs gives (MySQL says 1138, MariaDB 1265, an UPDATE 1048). */
const NULL_ERRORS = new Set([1138, 1265, 1263, 1048]);
/** Errors of a value that does not convert or fit the new type. */
const CONVERSION_ERRORS = new Set([1265, 1366, 1292, 1264, 1406]);
const DUPLICATE_ERRORS = new Set([1062, 1586]);
const CHECK_ERRORS = new Set([4025, 3819]);
/** Cannot add or update a child row: a foreign key constraint fails (1216 on old servers). */
const FOREIGN_KEY_ERRORS = new Set([1452, 1216]);

/** Offending rows shown at most. */
const ROW_LIMIT = 10;

/** What one clause of a failed statement would need of existing rows. */
export type FailedClause =
  | {
      readonly kind: 'column';
      readonly column: string;
      readonly type: string;
      readonly args: readonly number[];
      /** The quoted values of an `ENUM(…)`/`SET(…)`, when the type has them. */
      readonly values?: readonly string[];
      readonly unsigned: boolean;
      readonly notNull: boolean;
    }
  | { readonly kind: 'foreign-key'; readonly columns: readonly string[]; readonly parent: string; readonly parentColumns: readonly string[] }
  | { readonly kind: 'unique'; readonly columns: readonly string[]; readonly prefixes: readonly (number | undefined)[] }
  | { readonly kind: 'check'; readonly expression: string };

export interface FailedStatement {
  readonly table: string;
  readonly clauses: readonly FailedClause[];
}

/** The tokens inside the parentheses that open at `tokens[at]`, and the index after the `)`. */
function parenthesized(tokens: readonly Token[], at: number): { inner: Token[]; next: number } | undefined {
  if (!isPunct(tokens[at], '(')) return undefined;
  let depth = 0;
  for (let i = at; i < tokens.length; i++) {
    if (isPunct(tokens[i], '(')) depth++;
    if (isPunct(tokens[i], ')') && --depth === 0) return { inner: tokens.slice(at + 1, i), next: i + 1 };
  }
  return undefined;
}

/** `(a, b(10) DESC)` → columns and prefix lengths. */
function keyColumns(inner: readonly Token[]): { columns: string[]; prefixes: (number | undefined)[] } {
  const columns: string[] = [];
  const prefixes: (number | undefined)[] = [];
  for (const part of splitTopLevel(inner)) {
    if (!isIdentifier(part[0])) continue;
    columns.push(part[0].value);
    prefixes.push(isPunct(part[1], '(') && part[2]?.kind === 'number' ? Number(part[2].value) : undefined);
  }
  return { columns, prefixes };
}

/** A column definition after its name: type, its arguments, UNSIGNED, NOT NULL. */
function columnClause(column: string, definition: readonly Token[]): FailedClause | undefined {
  const type = definition[0];
  if (!type || type.kind !== 'word') return undefined;
  const args = parenthesized(definition, 1);
  const numbers = (args?.inner ?? []).filter((t) => t.kind === 'number').map((t) => Number(t.value));
  const values = (args?.inner ?? []).filter((t) => t.kind === 'string').map((t) => t.value.replace(/''/g, "'").replace(/\\(.)/g, '$1'));
  let notNull = false;
  for (let i = 0; i + 1 < definition.length; i++) if (isWord(definition[i], 'NOT') && isWord(definition[i + 1], 'NULL')) notNull = true;
  return { kind: 'column', column, type: type.value.toLowerCase(), args: numbers, ...(values.length > 0 ? { values } : {}), unsigned: definition.some((t) => isWord(t, 'UNSIGNED')), notNull };
}

/** `FOREIGN KEY [name] (a, b) REFERENCES [db.]p (x, y)`, read from after `KEY`. */
function foreignKeyClause(clause: readonly Token[], at: number): FailedClause | undefined {
  const open = isPunct(clause[at], '(') ? at : at + 1;
  const own = parenthesized(clause, open);
  if (!own || !isWord(clause[own.next], 'REFERENCES')) return undefined;
  const parent = qualifiedNameAt(clause, own.next + 1);
  if (!parent) return undefined;
  const theirs = parenthesized(clause, own.next + (parent.database === undefined ? 2 : 4));
  const columns = keyColumns(own.inner).columns;
  const parentColumns = theirs ? keyColumns(theirs.inner).columns : [];
  return columns.length > 0 && columns.length === parentColumns.length ? { kind: 'foreign-key', columns, parent: parent.name, parentColumns } : undefined;
}

function alterClause(clause: readonly Token[], source: string): FailedClause | undefined {
  let i = 0;
  if (isWord(clause[0], 'MODIFY', 'CHANGE')) {
    const change = isWord(clause[0], 'CHANGE');
    i = 1;
    if (isWord(clause[i], 'COLUMN')) i++;
    if (isWord(clause[i], 'IF') && isWord(clause[i + 1], 'EXISTS')) i += 2;
    const column = clause[i];
    if (!isIdentifier(column)) return undefined;
    return columnClause(column.value, clause.slice(i + (change ? 2 : 1)));
  }
  if (!isWord(clause[0], 'ADD')) return undefined;
  i = 1;
  if (isWord(clause[i], 'CONSTRAINT')) {
    i++;
    if (isIdentifier(clause[i]) && !isWord(clause[i], 'UNIQUE', 'PRIMARY', 'CHECK', 'FOREIGN')) i++;
  }
  if (isWord(clause[i], 'FOREIGN') && isWord(clause[i + 1], 'KEY')) return foreignKeyClause(clause, i + 2);
  if (isWord(clause[i], 'CHECK')) {
    const inner = parenthesized(clause, i + 1);
    if (!inner || inner.inner.length === 0) return undefined;
    return { kind: 'check', expression: source.slice(inner.inner[0]!.start, inner.inner[inner.inner.length - 1]!.end) };
  }
  if (isWord(clause[i], 'UNIQUE', 'PRIMARY')) {
    const open = clause.findIndex((t, j) => j > i && isPunct(t, '('));
    const inner = open < 0 ? undefined : parenthesized(clause, open);
    return inner ? { kind: 'unique', ...keyColumns(inner.inner) } : undefined;
  }
  return undefined;
}

/**
 * Reads what a failed ALTER TABLE or CREATE UNIQUE INDEX asked of existing rows.
 * @example
 * ```ts
 * parseFailedStatement('ALTER TABLE t MODIFY a int NOT NULL, ADD UNIQUE (b)');
 * // { table: 't', clauses: [{ kind: 'column', column: 'a', type: 'int', … notNull: true }, { kind: 'unique', columns: ['b'], … }] }
 * ```
 */
export function parseFailedStatement(statement: string): FailedStatement | undefined {
  const tokens = tokenize(statement).filter((t) => !isPunct(t, ';'));
  if (isWord(tokens[0], 'ALTER')) {
    let i = 1;
    while (isWord(tokens[i], 'ONLINE', 'OFFLINE', 'IGNORE')) i++;
    if (!isWord(tokens[i], 'TABLE')) return undefined;
    const name = qualifiedNameAt(tokens, i + 1);
    if (!name) return undefined;
    const rest = tokens.slice(i + 1 + (name.database === undefined ? 1 : 3));
    const clauses = splitTopLevel(rest)
      .map((c) => alterClause(c, statement))
      .filter((c): c is FailedClause => c !== undefined);
    return { table: name.name, clauses };
  }
  if (isWord(tokens[0], 'CREATE')) {
    const unique = tokens.findIndex((t) => isWord(t, 'UNIQUE'));
    const on = tokens.findIndex((t) => isWord(t, 'ON'));
    if (unique < 0 || on < 0 || !tokens.slice(unique, on).some((t) => isWord(t, 'INDEX', 'KEY'))) return undefined;
    const name = qualifiedNameAt(tokens, on + 1);
    const open = tokens.findIndex((t, j) => j > on && isPunct(t, '('));
    const inner = open < 0 ? undefined : parenthesized(tokens, open);
    if (!name || !inner) return undefined;
    return { table: name.name, clauses: [{ kind: 'unique', ...keyColumns(inner.inner) }] };
  }
  return undefined;
}

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  tinyint: [-128n, 127n],
  smallint: [-32_768n, 32_767n],
  mediumint: [-8_388_608n, 8_388_607n],
  int: [-2_147_483_648n, 2_147_483_647n],
  integer: [-2_147_483_648n, 2_147_483_647n],
  bigint: [-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n],
};
/** The most bytes a TEXT or BLOB type of each size holds. */
const BYTE_LIMITS: Readonly<Record<string, number>> = {
  tinytext: 255,
  tinyblob: 255,
  text: 65_535,
  blob: 65_535,
  mediumtext: 16_777_215,
  mediumblob: 16_777_215,
};
const TEXT_SOURCE_KINDS = new Set<Column['kind']>(['char', 'varchar', 'text', 'enum', 'set', 'json']);
const INTEGER_TEXT = `'^[[:space:]]*[-+]?[0-9]+[[:space:]]*$'`;
const DECIMAL_TEXT = `'^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$'`;

/** The condition under which a row's value does not fit the clause's new type, and what it means. */
function conversionCondition(clause: Extract<FailedClause, { kind: 'column' }>, existing: Column | undefined): { where: string; what: string } | undefined {
  const c = quoteId(clause.column);
  const fromText = existing === undefined || TEXT_SOURCE_KINDS.has(existing.kind);
  const range = INTEGER_RANGES[clause.type];
  if (range) {
    const [min, max] = clause.unsigned ? [0n, range[1] * 2n + 1n] : range;
    const outOfRange = `CAST(${c} AS DECIMAL(65,0)) NOT BETWEEN ${min} AND ${max}`;
    const where = fromText ? `${c} IS NOT NULL AND (${c} NOT REGEXP ${INTEGER_TEXT} OR ${outOfRange})` : `${c} IS NOT NULL AND ${outOfRange}`;
    return { where, what: `values that are not ${clause.type}${clause.unsigned ? ' unsigned' : ''} integers` };
  }
  if (clause.type === 'decimal' || clause.type === 'numeric' || clause.type === 'dec') {
    const [precision = 10, scale = 0] = clause.args;
    const outOfRange = `ABS(CAST(${c} AS DECIMAL(65,30))) >= 1e${precision - scale}`;
    const where = fromText ? `${c} IS NOT NULL AND (${c} NOT REGEXP ${DECIMAL_TEXT} OR ${outOfRange})` : `${c} IS NOT NULL AND ${outOfRange}`;
    return { where, what: `values that do not fit decimal(${precision},${scale})` };
  }
  if ((clause.type === 'varchar' || clause.type === 'char') && clause.args.length > 0) {
    return { where: `CHAR_LENGTH(${c}) > ${clause.args[0]}`, what: `values longer than ${clause.type}(${clause.args[0]})` };
  }
  if ((clause.type === 'varbinary' || clause.type === 'binary') && clause.args.length > 0) {
    return { where: `LENGTH(${c}) > ${clause.args[0]}`, what: `values longer than ${clause.type}(${clause.args[0]}) (in bytes)` };
  }
  const bytes = BYTE_LIMITS[clause.type];
  if (bytes !== undefined) return { where: `LENGTH(${c}) > ${bytes}`, what: `values longer than ${clause.type} holds (${bytes.toLocaleString('en-US')} bytes)` };
  if (clause.type === 'enum' && clause.values) {
    const list = clause.values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(', ');
    return { where: `${c} IS NOT NULL AND CAST(${c} AS CHAR) NOT IN (${list})`, what: `values that are not one of ENUM(${list})` };
  }
  return undefined;
}

function findTable(schema: Schema, name: string): [string, Table] | undefined {
  const entries = Object.entries(schema.tables);
  return entries.find(([, t]) => t.name === name) ?? entries.find(([, t]) => t.name.toLowerCase() === name.toLowerCase());
}

async function offending(db: MysqlKysely, description: string, select: string, countSql: string): Promise<OffendingRows | undefined> {
  const total = Number((await sql.raw<{ n: unknown }>(countSql).execute(db)).rows[0]?.n ?? 0);
  if (total === 0) return undefined;
  const found = await sql.raw<Record<string, unknown>>(`${select} LIMIT ${ROW_LIMIT}`).execute(db);
  const rows = found.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, asText(v)])));
  return { description, query: select, rows, total };
}

async function diagnoseClause(db: MysqlKysely, errno: number, clause: FailedClause, tableName: string, key: string, table: Table | undefined): Promise<OffendingRows | undefined> {
  const t = quoteId(tableName);
  const pk = (table?.primaryKey?.columns ?? []).map(quoteId);
  if (clause.kind === 'column') {
    const c = quoteId(clause.column);
    const shown = [...pk.filter((k) => k !== c), c].join(', ');
    if (clause.notNull && NULL_ERRORS.has(errno)) {
      const found = await offending(db, `rows of ${key} where ${clause.column} IS NULL`, `SELECT ${shown} FROM ${t} WHERE ${c} IS NULL`, `SELECT COUNT(*) AS n FROM ${t} WHERE ${c} IS NULL`);
      if (found) return found;
    }
    if (CONVERSION_ERRORS.has(errno)) {
      const condition = conversionCondition(
        clause,
        table?.columns.find((col) => col.name.toLowerCase() === clause.column.toLowerCase()),
      );
      if (!condition) return undefined;
      return offending(
        db,
        `rows of ${key} whose ${clause.column} has ${condition.what}`,
        `SELECT ${shown} FROM ${t} WHERE ${condition.where}`,
        `SELECT COUNT(*) AS n FROM ${t} WHERE ${condition.where}`,
      );
    }
    return undefined;
  }
  if (clause.kind === 'unique' && DUPLICATE_ERRORS.has(errno) && clause.columns.length > 0) {
    const exprs = clause.columns.map((name, i) => (clause.prefixes[i] ? `LEFT(${quoteId(name)}, ${clause.prefixes[i]})` : quoteId(name)));
    const named = exprs.map((e, i) => (clause.prefixes[i] ? `${e} AS ${quoteId(clause.columns[i]!)}` : e));
    const where = exprs.map((e) => `${e} IS NOT NULL`).join(' AND ');
    const groups = `FROM ${t} WHERE ${where} GROUP BY ${exprs.join(', ')} HAVING COUNT(*) > 1`;
    return offending(
      db,
      `groups of rows of ${key} with the same ${clause.columns.join(', ')}`,
      `SELECT ${named.join(', ')}, COUNT(*) AS \`rows\` ${groups} ORDER BY COUNT(*) DESC, ${exprs.join(', ')}`,
      `SELECT COUNT(*) AS n FROM (SELECT 1 ${groups}) AS duplicate_groups`,
    );
  }
  if (clause.kind === 'foreign-key' && FOREIGN_KEY_ERRORS.has(errno)) {
    const own = clause.columns.map((name) => `child.${quoteId(name)}`);
    const matches = clause.parentColumns.map((name, i) => `parent.${quoteId(name)} = ${own[i]}`).join(' AND ');
    const shown = [...new Set([...pk, ...clause.columns.map(quoteId)])].map((col) => `child.${col}`).join(', ');
    const where = `${own.map((col) => `${col} IS NOT NULL`).join(' AND ')} AND NOT EXISTS (SELECT 1 FROM ${quoteId(clause.parent)} AS parent WHERE ${matches})`;
    return offending(
      db,
      `rows of ${key} whose (${clause.columns.join(', ')}) has no match in ${clause.parent} (${clause.parentColumns.join(', ')})`,
      `SELECT ${shown} FROM ${t} AS child WHERE ${where}`,
      `SELECT COUNT(*) AS n FROM ${t} AS child WHERE ${where}`,
    );
  }
  if (clause.kind === 'check' && CHECK_ERRORS.has(errno)) {
    const where = `NOT (${clause.expression})`;
    return offending(db, `rows of ${key} that violate CHECK (${clause.expression})`, `SELECT * FROM ${t} WHERE ${where}`, `SELECT COUNT(*) AS n FROM ${t} WHERE ${where}`);
  }
  return undefined;
}

/**
 * The rows that made `statement` fail with `error`, or `undefined` when the failure has
 * no known shape. Queries run on `db`'s current database, with the table named as the
 * statement names it (so the reported query runs on production as it is).
 * @example
 * ```ts
 * const found = await diagnoseMysqlFailure(db, 'ALTER TABLE t ADD UNIQUE (email)', error, schema);
 * found?.total; // 2 groups of duplicates
 * ```
 */
export async function diagnoseMysqlFailure(db: MysqlKysely, statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
  const errno = asDriverError(error).errno;
  if (errno === undefined) return undefined;
  const parsed = parseFailedStatement(statement);
  if (!parsed) return undefined;
  const found = findTable(schema, parsed.table);
  const key = found?.[0] ?? parsed.table;
  for (const clause of parsed.clauses) {
    try {
      const rows = await diagnoseClause(db, errno, clause, parsed.table, key, found?.[1]);
      if (rows) return rows;
    } catch {
      // A query that cannot run (a column the statement renames, an expression of a newer server) tells nothing.
    }
  }
  return undefined;
}
