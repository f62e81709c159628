/**
 * After a migration statement failed, finds the rows that stopped it, for the
 * failures with a known shape (by SQLSTATE and the statement's form):
 *
 * - 23502 not_null_violation, `ALTER TABLE t ALTER COLUMN c SET NOT NULL` (or `ADD PRIMARY KEY`):
 *   rows where c IS NULL;
 * - 23505 unique_violation, `CREATE UNIQUE INDEX … ON t (a, b)`, `ADD … UNIQUE (a, b)`,
 *   `ADD PRIMARY KEY (a, b)`: the duplicate groups with their counts;
 * - 22P02 / 22003 / 22007 / 22008 (a value that does not convert), `ALTER COLUMN c TYPE T`:
 *   rows whose value is not valid input for T (`pg_input_is_valid` where the server has it,
 *   PostgreSQL 16+ and PGlite; a pattern for integer and numeric types elsewhere);
 * - 23514 check_violation, `ADD … CHECK (expr)`: rows where NOT (expr).
 *
 * The query is returned too, so the user can run it on production.
 *
 * @example
 * ```ts
 * const rows = await diagnosePostgresFailure(db, 'alter table users alter column email set not null', error, schema);
 * rows?.description; // 'rows of public.users where email IS NULL'
 * ```
 */
import type { OffendingRows, Schema, Table } from '@understudy/core';
import { sql, type Kysely } from 'kysely';
import { qualifiedTable, quoteIdent } from './postgres-snapshot.js';

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`(${IDENT}(?:\s*\.\s*${IDENT})?)`;
const LIMIT = 10;

function unquote(identifier: string): string {
  const t = identifier.trim();
  return t.startsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t.toLowerCase();
}

function splitQualified(name: string): string[] {
  return (name.match(new RegExp(IDENT, 'g')) ?? []).map(unquote);
}

/**
 * The Schema table a statement names (`users`, `public.users`, `"Users"`); unqualified names prefer `public`.
 * @example
 * ```ts
 * findTable(schema, 'Users')?.name;    // 'users' (unquoted names fold to lower case)
 * findTable(schema, '"Users"')?.name;  // 'Users'
 * ```
 */
export function findTable(schema: Schema, name: string): Table | undefined {
  const parts = splitQualified(name);
  if (parts.length === 2) return schema.tables[`${parts[0]}.${parts[1]}`];
  const matches = Object.values(schema.tables).filter((t) => t.name === parts[0]);
  return matches.find((t) => t.schema === 'public') ?? matches[0];
}

/** The text inside the parentheses that open at `open`, or undefined. */
function parenthesized(text: string, open: number): string | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return undefined;
}

/** Splits on commas outside parentheses and quotes. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** An index element without ordering options, as SQL (a quoted column or an expression). */
function keyExpression(element: string, table: Table): string {
  const bare = element.replace(/\s+(asc|desc)\b/gi, '').replace(/\s+nulls\s+(first|last)\b/gi, '').replace(/\s+collate\s+\S+/gi, '').trim();
  if (new RegExp(`^${IDENT}$`).test(bare)) {
    const name = unquote(bare);
    const column = table.columns.find((c) => c.name === name);
    return quoteIdent(column?.name ?? name);
  }
  return bare;
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function alterTableName(statement: string): string | undefined {
  return new RegExp(String.raw`^\s*alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${QUALIFIED}`, 'i').exec(statement)?.[1];
}

function keyColumns(table: Table): string[] {
  return (table.primaryKey?.columns ?? []).map(quoteIdent);
}

async function run(db: Kysely<any>, description: string, query: string): Promise<OffendingRows> {
  const rows = await sql.raw<Record<string, unknown>>(`${query} limit ${LIMIT}`).execute(db);
  const counted = await sql.raw<{ n: string | number }>(`select count(*) as n from (${query}) offending`).execute(db);
  return {
    description,
    query,
    rows: rows.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]))),
    total: Number(counted.rows[0]?.n ?? 0),
  };
}

function selectList(table: Table, columns: readonly string[]): string {
  const wanted = [...new Set([...keyColumns(table), ...columns])];
  return wanted.map((c) => `${c}::text as ${c}`).join(', ');
}

async function notNull(db: Kysely<any>, statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
  const tableName = alterTableName(statement);
  const table = tableName ? findTable(schema, tableName) : undefined;
  if (!table) return undefined;
  const fromMessage = /column "((?:[^"]|"")+)"/.exec(errorMessage(error))?.[1];
  const fromStatement = new RegExp(String.raw`alter\s+(?:column\s+)?(${IDENT})\s+set\s+not\s+null`, 'i').exec(statement)?.[1];
  const name = fromMessage ?? (fromStatement ? unquote(fromStatement) : undefined);
  if (!name) return undefined;
  const c = quoteIdent(name);
  return run(db, `rows of ${table.schema}.${table.name} where ${name} IS NULL`, `select ${selectList(table, [c])} from ${qualifiedTable(table)} where ${c} is null`);
}

function uniqueTarget(statement: string, schema: Schema): { table: Table; elements: string[] } | undefined {
  const index = new RegExp(String.raw`^\s*create\s+unique\s+index\s+(?:concurrently\s+)?(?:(?:if\s+not\s+exists\s+)?${IDENT}\s+)?on\s+(?:only\s+)?${QUALIFIED}\s*(?:using\s+\w+\s*)?\(`, 'i').exec(statement);
  const constraint = new RegExp(String.raw`\badd\s+(?:constraint\s+${IDENT}\s+)?(?:unique(?:\s+nulls\s+(?:not\s+)?distinct)?|primary\s+key)\s*\(`, 'i').exec(statement);
  const tableName = index?.[1] ?? (constraint ? alterTableName(statement) : undefined);
  const match = index ?? constraint;
  if (!match || !tableName) return undefined;
  const table = findTable(schema, tableName);
  const list = parenthesized(statement, match.index + match[0].length - 1);
  if (!table || list === undefined) return undefined;
  return { table, elements: splitTopLevel(list) };
}

async function duplicates(db: Kysely<any>, statement: string, schema: Schema): Promise<OffendingRows | undefined> {
  const target = uniqueTarget(statement, schema);
  if (!target) return undefined;
  const { table, elements } = target;
  const keys = elements.map((e) => keyExpression(e, table));
  const where = /nulls\s+not\s+distinct/i.test(statement) ? '' : ` where ${keys.map((k) => `${k} is not null`).join(' and ')}`;
  const select = keys.map((k, i) => `${k}::text as ${/^"/.test(k) ? k : quoteIdent(`key${i + 1}`)}`).join(', ');
  return run(
    db,
    `duplicate (${elements.join(', ')}) groups in ${table.schema}.${table.name}`,
    `select ${select}, count(*) as count from ${qualifiedTable(table)}${where} group by ${keys.join(', ')} having count(*) > 1 order by count(*) desc, ${keys.join(', ')}`,
  );
}

const INTEGER_RANGES: Readonly<Record<string, readonly [string, string]>> = {
  smallint: ['-32768', '32767'], int2: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'], int: ['-2147483648', '2147483647'], int4: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'], int8: ['-9223372036854775808', '9223372036854775807'],
};

async function hasInputIsValid(db: Kysely<any>): Promise<boolean> {
  const { rows } = await sql<{ ok: boolean }>`select exists (select 1 from pg_catalog.pg_proc where proname = 'pg_input_is_valid') as ok`.execute(db);
  return rows[0]?.ok === true;
}

async function badCasts(db: Kysely<any>, statement: string, schema: Schema): Promise<OffendingRows | undefined> {
  const tableName = alterTableName(statement);
  const table = tableName ? findTable(schema, tableName) : undefined;
  const match = new RegExp(String.raw`alter\s+(?:column\s+)?(${IDENT})\s+(?:set\s+data\s+)?type\s+(.+?)(?:\s+collate\s+\S+)?(?:\s+using\s+.*)?$`, 'is').exec(statement.split(/,\s*alter\s/i)[0]!);
  if (!table || !match) return undefined;
  const name = unquote(match[1]!);
  const type = match[2]!.trim();
  const c = quoteIdent(name);
  const literal = `'${type.replace(/'/g, "''")}'`;
  let test: string | undefined;
  if (await hasInputIsValid(db)) test = `not pg_input_is_valid(${c}::text, ${literal})`;
  else {
    const range = INTEGER_RANGES[type.toLowerCase()];
    if (range) test = `case when ${c}::text ~ '^\\s*[-+]?\\d{1,20}\\s*$' then ${c}::text::numeric not between ${range[0]} and ${range[1]} else true end`;
    else if (/^(numeric|decimal)\b/i.test(type)) test = `${c}::text !~ '^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$'`;
  }
  if (!test) return undefined;
  return run(db, `rows of ${table.schema}.${table.name} whose ${name} is not a valid ${type}`, `select ${selectList(table, [c])} from ${qualifiedTable(table)} where ${c} is not null and ${test}`);
}

async function checkViolations(db: Kysely<any>, statement: string, schema: Schema): Promise<OffendingRows | undefined> {
  const tableName = alterTableName(statement);
  const table = tableName ? findTable(schema, tableName) : undefined;
  const match = new RegExp(String.raw`\badd\s+(?:constraint\s+${IDENT}\s+)?check\s*\(`, 'i').exec(statement);
  if (!table || !match) return undefined;
  const expression = parenthesized(statement, match.index + match[0].length - 1);
  if (expression === undefined) return undefined;
  const columns = table.columns.map((c) => quoteIdent(c.name));
  return run(db, `rows of ${table.schema}.${table.name} that violate CHECK (${expression})`, `select ${selectList(table, columns)} from ${qualifiedTable(table)} where not (${expression})`);
}

/**
 * See the file comment. Never throws: a diagnosis that cannot be made is `undefined`.
 * @example
 * ```ts
 * const found = await diagnosePostgresFailure(db, statement, error, schema);
 * if (found) console.log(found.total, found.rows);
 * ```
 */
export async function diagnosePostgresFailure(db: Kysely<any>, statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
  try {
    switch (sqlState(error)) {
      case '23502':
        return await notNull(db, statement, error, schema);
      case '23505':
        return await duplicates(db, statement, schema);
      case '22P02':
      case '22003':
      case '22007':
      case '22008':
        return await badCasts(db, statement, schema);
      case '23514':
        return await checkViolations(db, statement, schema);
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
