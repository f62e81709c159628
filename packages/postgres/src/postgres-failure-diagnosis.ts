/**
 * After a migration statement failed, finds the rows that stopped it, for the
 * failures with a known shape (by SQLSTATE and the statement's form):
 *
 * - 23502 not_null_violation, `ALTER TABLE t ALTER COLUMN c SET NOT NULL` (or `ADD PRIMARY KEY`):
 *   rows where c IS NULL; `INSERT INTO t (…, c, …) SELECT …`: the rows the query would insert
 *   with c NULL;
 * - 23505 unique_violation, `CREATE UNIQUE INDEX … ON t (a, b)`, `ADD … UNIQUE (a, b)`,
 *   `ADD PRIMARY KEY (a, b)`: the duplicate groups with their counts;
 * - 22P02 / 22003 / 22007 / 22008 (a value that does not convert), `ALTER COLUMN c TYPE T`:
 *   rows whose value is not valid input for T (`pg_input_is_valid` where the server has it,
 *   PostgreSQL 16+ and PGlite; a pattern for integer and numeric types elsewhere);
 * - 22001 string_data_right_truncation, `ALTER COLUMN c TYPE varchar(n)` (or `char(n)`): rows whose
 *   value is longer than n (trailing spaces aside, which the cast drops); and, without
 *   `pg_input_is_valid`, 22003 under `TYPE numeric(p,s)`: rows whose value rounds to p-s digits or more
 *   before the point;
 * - 23514 check_violation, `ADD … CHECK (expr)`: rows where NOT (expr);
 * - 23503 foreign_key_violation, `ADD [CONSTRAINT n] FOREIGN KEY (a, b) REFERENCES p [(x, y)]` or
 *   `VALIDATE CONSTRAINT n`: rows whose (a, b), all non-NULL, has no match in p.
 *
 * A failed `CREATE [UNIQUE] INDEX CONCURRENTLY` leaves an INVALID index behind, which a retry with
 * `IF NOT EXISTS` would silently keep: the diagnosis names it and says to drop it, after the rows that
 * stopped the build (the duplicates), or on its own when no rows are to blame.
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
  const bare = element
    .replace(/\s+(asc|desc)\b/gi, '')
    .replace(/\s+nulls\s+(first|last)\b/gi, '')
    .replace(/\s+collate\s+\S+/gi, '')
    .trim();
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

/** The statement without its comments (`-- …`, `/* … *\/`), strings and quoted names kept. */
function withoutComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      out += ' ';
      i = end < 0 ? text.length : end - 1;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      out += ' ';
      i = end < 0 ? text.length : end + 1;
    } else out += ch;
  }
  return out;
}

/** Where a top-level keyword (outside parentheses and quotes) first appears in `text`, or -1. */
function topLevelKeyword(text: string, keyword: RegExp): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && /\w/.test(ch) && !/\w/.test(text[i - 1] ?? '') && keyword.test(text.slice(i))) return i;
  }
  return -1;
}

/** `INSERT INTO t (a, b, …) SELECT …`: the table, the columns and the query (without ON CONFLICT / RETURNING). */
function insertSelect(statement: string): { table: string; columns: string[]; query: string; items?: string[] } | undefined {
  const text = withoutComments(statement);
  const head = new RegExp(String.raw`^\s*insert\s+into\s+${QUALIFIED}\s*(?:as\s+${IDENT}\s*)?\(`, 'i').exec(text);
  if (!head) return undefined;
  const list = parenthesized(text, head[0].length - 1);
  if (list === undefined) return undefined;
  let query = text.slice(head[0].length + list.length + 1);
  if (!/^\s*(select|with)\b/i.test(query)) return undefined;
  const tail = topLevelKeyword(query, /^(on\s+conflict|returning)\b/i);
  if (tail >= 0) query = query.slice(0, tail);
  // The select list, when the query is a plain SELECT: which inserted values are plain columns.
  const select = /^\s*select\s+(?:all\s+)?/i.exec(query);
  const from = select ? topLevelKeyword(query, /^from\b/i) : -1;
  const items = select && from > 0 ? splitTopLevel(query.slice(select[0].length, from)) : undefined;
  return { table: head[1]!, columns: splitTopLevel(list).map(unquote), query: query.trim(), ...(items ? { items } : {}) };
}

/**
 * A NOT NULL violation of `INSERT INTO t (…) SELECT …` (documenso's TemplateMeta copied into
 * DocumentMeta): the rows the query would insert with that column NULL, with the id-like
 * columns that say which they are.
 */
async function insertedNulls(db: Kysely<any>, statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
  const insert = insertSelect(statement);
  const name = /column "((?:[^"]|"")+)"/.exec(errorMessage(error))?.[1]?.replace(/""/g, '"');
  if (!insert || name === undefined || !insert.columns.includes(name)) return undefined;
  // Id-like columns copied as they are (not a gen_random_uuid() made up for the new row).
  const plain = new RegExp(String.raw`^(?:${IDENT}\s*\.\s*)?${IDENT}$`);
  const copied = (i: number): boolean => insert.items === undefined || insert.items.length !== insert.columns.length || plain.test(insert.items[i]!);
  const ids = insert.columns.filter((c, i) => c !== name && /(^id$|id$|_id$)/i.test(c) && copied(i)).slice(0, 3);
  const table = findTable(schema, insert.table);
  const shown = table ? `${table.schema}.${table.name}` : splitQualified(insert.table).join('.');
  const q = (c: string): string => `q.${quoteIdent(c)}::text as ${quoteIdent(c)}`;
  return run(
    db,
    `rows the INSERT … SELECT would put into ${shown} with ${name} NULL`,
    `select ${[...ids, name].map(q).join(', ')} from (${insert.query.replace(/\s+/g, ' ')}) as q(${insert.columns.map(quoteIdent).join(', ')}) where q.${quoteIdent(name)} is null`,
  );
}

async function notNull(db: Kysely<any>, statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
  if (/^\s*insert\b/i.test(withoutComments(statement))) return insertedNulls(db, statement, error, schema);
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
  const index = new RegExp(String.raw`^\s*create\s+unique\s+index\s+(?:concurrently\s+)?(?:(?:if\s+not\s+exists\s+)?${IDENT}\s+)?on\s+(?:only\s+)?${QUALIFIED}\s*(?:using\s+\w+\s*)?\(`, 'i').exec(
    statement,
  );
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
  smallint: ['-32768', '32767'],
  int2: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  int: ['-2147483648', '2147483647'],
  int4: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
  int8: ['-9223372036854775808', '9223372036854775807'],
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
  const length = /^(?:(?:character\s+)?varying|varchar|character|char|bpchar)\s*\(\s*(\d+)\s*\)$/i.exec(type);
  const precision = /^(?:numeric|decimal)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/i.exec(type);
  if (await hasInputIsValid(db)) test = `not pg_input_is_valid(${c}::text, ${literal})`;
  else if (length) test = `length(rtrim(${c}::text, ' ')) > ${length[1]}`;
  else {
    const range = INTEGER_RANGES[type.toLowerCase()];
    const numeric = `${c}::text ~ '^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$'`;
    if (range) test = `case when ${c}::text ~ '^\\s*[-+]?\\d{1,20}\\s*$' then ${c}::text::numeric not between ${range[0]} and ${range[1]} else true end`;
    else if (precision) {
      const [p, s] = [Number(precision[1]), Number(precision[2] ?? 0)];
      test = `case when ${numeric} then abs(round(${c}::text::numeric, ${s})) >= 1e${p - s} else true end`;
    } else if (/^(numeric|decimal)\b/i.test(type)) test = `not (${numeric})`;
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

/** The parenthesized column list starting at `at` in `text`, unquoted. */
function columnList(text: string, at: number): string[] | undefined {
  const open = text.indexOf('(', at);
  if (open < 0 || text.slice(at, open).trim() !== '') return undefined;
  const list = parenthesized(text, open);
  return list === undefined ? undefined : splitTopLevel(list).map(unquote);
}

/** `ADD [CONSTRAINT n] FOREIGN KEY (a, b) REFERENCES p [(x, y)]`, or `VALIDATE CONSTRAINT n` of a NOT VALID key in the schema. */
function foreignKeyTarget(statement: string, table: Table, schema: Schema): { columns: string[]; parent: Table; parentColumns: string[] } | undefined {
  const add = new RegExp(String.raw`\badd\s+(?:constraint\s+${IDENT}\s+)?foreign\s+key\s*`, 'i').exec(statement);
  if (add) {
    const columns = columnList(statement, add.index + add[0].length);
    const references = new RegExp(String.raw`\)\s*references\s+${QUALIFIED}\s*`, 'iy');
    references.lastIndex = statement.indexOf(')', add.index + add[0].length);
    const ref = references.exec(statement);
    const parent = ref ? findTable(schema, ref[1]!) : undefined;
    if (!columns || !ref || !parent) return undefined;
    const parentColumns = columnList(statement, ref.index + ref[0].length) ?? parent.primaryKey?.columns ?? [];
    return parentColumns.length === columns.length ? { columns, parent, parentColumns } : undefined;
  }
  const validate = new RegExp(String.raw`\bvalidate\s+constraint\s+(${IDENT})`, 'i').exec(statement);
  const key = validate ? table.foreignKeys.find((fk) => fk.name === unquote(validate[1]!)) : undefined;
  const parent = key ? schema.tables[key.references.table] : undefined;
  return key && parent ? { columns: key.columns, parent, parentColumns: key.references.columns } : undefined;
}

async function orphans(db: Kysely<any>, statement: string, schema: Schema): Promise<OffendingRows | undefined> {
  const tableName = alterTableName(statement);
  const table = tableName ? findTable(schema, tableName) : undefined;
  const target = table ? foreignKeyTarget(statement, table, schema) : undefined;
  if (!table || !target) return undefined;
  const columns = target.columns.map(quoteIdent);
  const matches = target.parentColumns.map((p, i) => `p.${quoteIdent(p)} = t.${columns[i]}`).join(' and ');
  const select = [...new Set([...keyColumns(table), ...columns])].map((c) => `t.${c}::text as ${c}`).join(', ');
  return run(
    db,
    `rows of ${table.schema}.${table.name} whose (${target.columns.join(', ')}) has no match in ${target.parent.schema}.${target.parent.name} (${target.parentColumns.join(', ')})`,
    `select ${select} from ${qualifiedTable(table)} t where ${columns.map((c) => `t.${c} is not null`).join(' and ')} and not exists (select 1 from ${qualifiedTable(target.parent)} p where ${matches})`,
  );
}

/** Finds the INVALID indexes of the table a failed `CREATE INDEX CONCURRENTLY` was building. */
const INVALID_INDEXES = `select i.indexrelid::regclass::text as index, i.indrelid::regclass::text as "table" from pg_catalog.pg_index i where not i.indisvalid`;

async function invalidIndexLeft(db: Kysely<any>, statement: string, schema: Schema): Promise<{ names: string[]; query: string } | undefined> {
  const match = new RegExp(String.raw`^\s*create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?(?:(${IDENT})\s+)?on\s+(?:only\s+)?${QUALIFIED}`, 'i').exec(statement);
  const table = match ? findTable(schema, match[2]!) : undefined;
  if (!match || !table) return undefined;
  const name = match[1] === undefined ? undefined : unquote(match[1]);
  const query = `${INVALID_INDEXES} and i.indrelid = '${qualifiedTable(table).replace(/'/g, "''")}'::regclass${name === undefined ? '' : ` and i.indexrelid::regclass::text in ('${name.replace(/'/g, "''")}', '${`${quoteIdent(table.schema)}.${quoteIdent(name)}`.replace(/'/g, "''")}', '${`${table.schema}.${name}`.replace(/'/g, "''")}')`}`;
  const { rows } = await sql.raw<{ index: string }>(query).execute(db);
  return rows.length === 0 ? undefined : { names: rows.map((r) => r.index), query: INVALID_INDEXES };
}

/** The rows behind the failure, by SQLSTATE (see the file comment). */
async function offendingRows(db: Kysely<any>, statement: string, error: unknown, schema: Schema): Promise<OffendingRows | undefined> {
  switch (sqlState(error)) {
    case '23502':
      return notNull(db, statement, error, schema);
    case '23505':
      return duplicates(db, statement, schema);
    case '22P02':
    case '22003':
    case '22007':
    case '22008':
    case '22001':
      return badCasts(db, statement, schema);
    case '23514':
      return checkViolations(db, statement, schema);
    case '23503':
      return orphans(db, statement, schema);
    default:
      return undefined;
  }
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
  // Read without its comments: a runner's template marks sit where names are (River's `ALTER TABLE /* TEMPLATE: schema */river_leader`).
  const text = withoutComments(statement);
  const rows = await offendingRows(db, text, error, schema).catch(() => undefined);
  const invalid = await invalidIndexLeft(db, text, schema).catch(() => undefined);
  if (!invalid) return rows;
  const left =
    `the failed build left the INVALID index ${invalid.names.join(', ')} behind, which slows every write and which a retry with IF NOT EXISTS would keep: ` +
    `drop it first (DROP INDEX CONCURRENTLY ${invalid.names[0]})`;
  if (rows) return { ...rows, description: `${rows.description}; ${left}` };
  const found = await run(db, left.replace(/^the failed build left/, 'the failed CREATE INDEX CONCURRENTLY left'), invalid.query).catch(() => undefined);
  return found;
}
