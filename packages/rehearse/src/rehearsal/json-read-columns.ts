/**
 * Text columns the pending migrations read as JSON (`data::json -> 'trigger'`,
 * `CAST(payload AS jsonb)`): the seed fills them with JSON documents, as the
 * application that wrote them did, so that the migration meets the data it
 * expects and not "invalid input syntax for type json" on random words
 * (harbor's `retention_policy.data text`, read by 0040 as `data::json`).
 * Only columns of a table the statement names, of an unbounded text type or
 * a varchar of at least 100 characters.
 *
 * @example
 * ```ts
 * jsonReadColumns(pending, schema); // [{ table: 'public.retention_policy', column: 'data', at: '0040_2.1.0_schema.up.sql:79' }]
 * ```
 */
import type { Schema } from '@understudy/core';
import { isMigrationScript, type Migration } from '../migration-model.js';

export interface JsonReadColumn {
  readonly table: string;
  readonly column: string;
  /** `file:line` of the first statement that reads it as JSON. */
  readonly at: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|\x60(?:[^\x60]|\x60\x60)+\x60|[A-Za-z_][A-Za-z0-9_$]*)`;
const TEXT_KINDS = new Set(['text', 'varchar', 'citext']);
/** MySQL and MariaDB functions whose first argument is a JSON document and second a path (`JSON_EXTRACT(doc, '$.k')`). */
const MYSQL_JSON_READS = String.raw`(?:json_extract|json_value|json_query|json_contains_path|json_keys|json_length|json_type|json_search)`;

function bare(name: string): string {
  return /^["\x60]/.test(name) ? name.slice(1, -1) : name;
}

function stripStrings(sql: string): string {
  return sql
    .replace(/\$([A-Za-z_]*)\$/g, ' ')
    .replace(/[eE]'(?:[^'\\]|\\.|'')*'/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** See the module comment. */
export function jsonReadColumns(pending: readonly Migration[], schema: Schema): JsonReadColumn[] {
  const found = new Map<string, JsonReadColumn>();
  const casts = [
    new RegExp(String.raw`(?:${IDENT}\s*\.\s*)?(${IDENT})\s*::\s*jsonb?\b`, 'gi'),
    new RegExp(String.raw`\bcast\s*\(\s*(?:${IDENT}\s*\.\s*)?(${IDENT})\s+as\s+jsonb?\s*\)`, 'gi'),
    // MySQL and MariaDB read text as JSON in their JSON functions and in `col->'$.k'` (a text column has no arrow on PostgreSQL).
    new RegExp(String.raw`\b${MYSQL_JSON_READS}\s*\(\s*(?:${IDENT}\s*\.\s*)?(${IDENT})\s*,`, 'gi'),
    new RegExp(String.raw`(?:${IDENT}\s*\.\s*)?(${IDENT})\s*->>?\s*''`, 'gi'),
  ];
  for (const m of pending) {
    if (!isMigrationScript(m.up)) continue;
    for (const statement of m.up.statements) {
      if (!/json/i.test(statement.text)) continue;
      const text = stripStrings(statement.text);
      const names = new Set<string>();
      for (const pattern of casts) for (const c of text.matchAll(pattern)) names.add(bare(c[1]!));
      if (names.size === 0) continue;
      for (const [key, table] of Object.entries(schema.tables)) {
        if (!new RegExp(`(^|[^\\w$])"?${table.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?([^\\w$]|$)`, 'i').test(text)) continue;
        for (const column of table.columns) {
          if (!names.has(column.name) || column.generated || !TEXT_KINDS.has(column.kind)) continue;
          if (column.kind === 'varchar' && column.length !== undefined && column.length < 100) continue;
          const id = `${key}.${column.name}`;
          if (!found.has(id)) found.set(id, { table: key, column: column.name, at: `${m.up.file}:${statement.line}` });
        }
      }
    }
  }
  return [...found.values()];
}

/**
 * A key a pending migration reads from a JSON column of the baseline (`request_data ->> 'client_id'`,
 * `payload::jsonb #>> '{actor,account}'`, `json_extract_path_text(doc, 'grant', 'client')`): the
 * seed puts it into the documents, so that the migration meets rows that have it. When the SQL
 * matches it with another column, directly (`WHERE a.id = (e.payload ->> 'account')::uuid`, `IN
 * (SELECT c.id FROM clients c)`) or through a column it is copied into (`SET client_id = request_data
 * ->> 'client_id'`, then `clients.id = sessions.client_id` or a foreign key on `client_id`), `from`
 * names that column of the baseline, whose values the key takes.
 */
export interface JsonReadKey {
  readonly table: string;
  readonly column: string;
  readonly path: readonly string[];
  /** What the extracted text is cast to (`::uuid`, `::integer`), when it is. */
  readonly type?: 'boolean' | 'integer' | 'number' | 'timestamp' | 'date' | 'uuid' | 'text';
  /** A baseline column the key is matched with: its values are the key's. */
  readonly from?: { readonly table: string; readonly column: string };
  /** `file:line` of the first statement that reads it. */
  readonly at: string;
}

const QNAME = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;
const CAST_TYPE = String.raw`(?:character varying|double precision|timestamp(?:\(\d\))? with(?:out)? time zone|[A-Za-z_][\w$]*)(?:\(\d+(?:,\s*\d+)?\))?`;
const JSON_KINDS = new Set(['json', 'jsonb']);
/** Words that follow a table name in FROM, JOIN, UPDATE … and are not its alias. */
const NOT_ALIAS = new Set(
  'where set on using join inner left right full cross natural lateral group order limit offset having window union except intersect returning values select default as only for fetch with when then else end and or not in is on conflict do nothing add alter drop rename owner'.split(
    ' ',
  ),
);

/** Words a parenthesis may follow without being a call's (`WHERE (x ->> 'k')::int`). */
/** Functions that take any text and keep it text: a key read through them is a text key. */
const TEXT_FUNCTIONS = new Set('coalesce nullif lower upper trim btrim ltrim rtrim concat'.split(' '));
const KEYWORDS = new Set('where and or not select on when then else set by in is as from join using return returning values having case distinct all any some exists like between'.split(' '));

interface Ref {
  readonly table: string;
  readonly column: string;
}

function stripComments(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'|--[^\n]*|\/\*[\s\S]*?\*\//g, (m) => (m.startsWith("'") ? m : ' '));
}

/** `'a'` → a; `'{a,b}'` → [a, b] (an array path of #> / #>>). */
function literal(text: string): string {
  return text.slice(1, -1).replace(/''/g, "'");
}

function fieldTypeOfCast(name: string | undefined): JsonReadKey['type'] | undefined {
  if (name === undefined) return undefined;
  const base = name.trim().toLowerCase().replace(/\(.*$/, '').trim();
  if (/^(bool|boolean)$/.test(base)) return 'boolean';
  if (/^(int|int2|int4|int8|integer|smallint|bigint|signed|unsigned|signed integer|unsigned integer)$/.test(base)) return 'integer';
  if (/^(float4|float8|real|double precision|double|float|numeric|decimal)$/.test(base)) return 'number';
  if (/^(timestamp|datetime)/.test(base)) return 'timestamp';
  if (base === 'date') return 'date';
  if (base === 'uuid') return 'uuid';
  if (/^(text|varchar|character varying|char|bpchar)$/.test(base)) return 'text';
  return undefined;
}

/** The tables a statement names (FROM, JOIN, UPDATE, INTO, USING, ALTER TABLE), by alias and by name; the first is its target. */
function relationsOf(text: string, schema: Schema): { aliases: Map<string, string>; tables: string[] } {
  const aliases = new Map<string, string>();
  const tables: string[] = [];
  const pattern = new RegExp(String.raw`\b(?:from|join|update|into|using|alter\s+table(?:\s+if\s+exists)?)\s+(?:only\s+)?(${QNAME})(?:\s+(?:as\s+)?(${IDENT}))?`, 'gi');
  const index = new RegExp(String.raw`\bindex\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?(?:${IDENT}\s+)?on\s+(?:only\s+)?(${QNAME})()`, 'gi');
  for (const m of [...text.matchAll(pattern), ...text.matchAll(index)]) {
    const key = tableKey(schema, m[1]!);
    if (key === undefined) continue;
    if (!tables.includes(key)) tables.push(key);
    aliases.set(bare(m[1]!.split('.').pop()!.trim()).toLowerCase(), key);
    const alias = m[2] ? bare(m[2]) : undefined;
    if (alias !== undefined && alias !== '' && !NOT_ALIAS.has(alias.toLowerCase())) aliases.set(alias.toLowerCase(), key);
  }
  return { aliases, tables };
}

/** A table of the schema by its (possibly qualified) name, as written. */
function tableKey(schema: Schema, qname: string): string | undefined {
  const parts = qname.split(/\s*\.\s*/).map((p) => bare(p.trim()));
  const name = parts[parts.length - 1]!;
  const inSchema = parts.length > 1 ? parts[0] : undefined;
  const same = (a: string, b: string): boolean => a === b || a.toLowerCase() === b.toLowerCase();
  const found = Object.entries(schema.tables).filter(([, t]) => same(t.name, name) && (inSchema === undefined || same(t.schema, inSchema)));
  if (found.length === 1) return found[0]![0];
  return found.find(([, t]) => t.schema === 'public')?.[0] ?? found[0]?.[0];
}

/** A column reference as written (`a.id`, `client_id`), resolved against the statement's tables. */
function resolve(ref: string, relations: { aliases: Map<string, string>; tables: string[] }, schema: Schema): Ref | undefined {
  const parts = ref.split(/\s*\.\s*/).map((p) => bare(p.trim()));
  const column = parts[parts.length - 1]!;
  if (parts.length >= 2) {
    const table = relations.aliases.get(parts[parts.length - 2]!.toLowerCase());
    return table === undefined ? undefined : { table, column };
  }
  const having = relations.tables.filter((t) => schema.tables[t]!.columns.some((c) => c.name === column));
  if (having.length === 1) return { table: having[0]!, column };
  // A column the pending migrations add (`SET client_id = …` just after `ADD COLUMN client_id`): the statement's target.
  if (having.length === 0 && relations.tables.length > 0) return { table: relations.tables[0]!, column };
  return undefined;
}

/** The subqueries (`(SELECT … FROM …)`) around position `at`, innermost first. */
function enclosingSelects(text: string, at: number): string[] {
  const masked = stripStrings(text.replace(/'(?:[^']|'')*'/g, (m) => "'" + ' '.repeat(m.length - 2) + "'"));
  const out: string[] = [];
  const opens: number[] = [];
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] === '(') opens.push(i);
    else if (masked[i] === ')') {
      const open = opens.pop();
      if (open !== undefined && open < at && i > at) {
        const block = masked.slice(open + 1, i);
        if (/^\s*select\b[\s\S]*\bfrom\b/i.test(block)) out.push(block);
      }
    }
  }
  return out.sort((a, b) => a.length - b.length);
}

/** A column reference at `at`, resolved in the innermost subquery that names its table, else in the statement. */
function resolveAt(text: string, at: number, ref: string, relations: { aliases: Map<string, string>; tables: string[] }, schema: Schema): Ref | undefined {
  const exists = (r: Ref | undefined): r is Ref => r !== undefined && (schema.tables[r.table]?.columns.some((c) => c.name === r.column) ?? false);
  for (const block of enclosingSelects(text, at)) {
    const found = resolve(ref, relationsOf(block, schema), schema);
    if (exists(found)) return found;
  }
  return resolve(ref, relations, schema);
}

interface Extraction {
  readonly ref: string;
  readonly path: string[];
  /** The column was cast to json first (`payload::jsonb`). */
  readonly castToJson: boolean;
  readonly start: number;
  readonly end: number;
}

/** Where the string literals of `text` are (`[start, end)`), so that what they hold is not read as SQL. */
function stringSpans(text: string): Array<[number, number]> {
  return [...text.matchAll(/[eE]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'/g)].map((m) => [m.index, m.index + m[0].length]);
}

function extractionsIn(text: string): Extraction[] {
  const strings = stringSpans(text);
  const inString = (at: number): boolean => strings.some(([a, b]) => at >= a && at < b);
  return extractionsAnywhere(text).filter((e) => !inString(e.start));
}

function extractionsAnywhere(text: string): Extraction[] {
  const out: Extraction[] = [];
  const operator = new RegExp(String.raw`(?<![\w$."])(${QNAME})(\s*::\s*jsonb?\b)?((?:\s*(?:->>|->|#>>|#>)\s*'(?:[^']|'')*')+)`, 'gi');
  for (const m of text.matchAll(operator)) {
    const path: string[] = [];
    for (const step of m[3]!.matchAll(/(->>|->|#>>|#>)\s*('(?:[^']|'')*')/g)) {
      const key = literal(step[2]!);
      if (step[1]!.startsWith('#')) path.push(...arrayPath(key));
      else path.push(key);
    }
    // MySQL's `col->>'$.a.b'` is one JSON path: its keys (an array index or a wildcard in it: not read).
    const mysql = path.length === 1 && path[0]!.startsWith('$') ? mysqlPath(path[0]!) : undefined;
    if (mysql) out.push({ ref: m[1]!, path: mysql, castToJson: true, start: m.index, end: m.index + m[0].length });
    else if (path.length > 0 && !path.some((k) => k.startsWith('$'))) out.push({ ref: m[1]!, path, castToJson: m[2] !== undefined, start: m.index, end: m.index + m[0].length });
  }
  // MySQL's and MariaDB's `JSON_EXTRACT(doc, '$.k')`, `JSON_VALUE(doc, '$.a.b')`.
  const mysqlCall = new RegExp(String.raw`\b(?:json_extract|json_value|json_query)\s*\(\s*(${QNAME})\s*,\s*('(?:[^']|'')*')\s*\)`, 'gi');
  for (const m of text.matchAll(mysqlCall)) {
    const path = mysqlPath(literal(m[2]!));
    if (path) out.push({ ref: m[1]!, path, castToJson: true, start: m.index, end: m.index + m[0].length });
  }
  const call = new RegExp(String.raw`\bjsonb?_extract_path(?:_text)?\s*\(\s*(${QNAME})(\s*::\s*jsonb?\b)?((?:\s*,\s*'(?:[^']|'')*')+)\s*\)`, 'gi');
  for (const m of text.matchAll(call)) {
    const path = [...m[3]!.matchAll(/'(?:[^']|'')*'/g)].map((k) => literal(k[0]));
    out.push({ ref: m[1]!, path, castToJson: m[2] !== undefined, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** The keys of a MySQL JSON path of members only (`$.a.b`, `$."a b"`); undefined for `$`, `$[0]`, `$.*`, `$**.k`. */
export function mysqlPath(path: string): string[] | undefined {
  const steps = /^\$((?:\s*\.\s*(?:[A-Za-z_$][\w$]*|"(?:[^"\\]|\\.)*"))+)\s*$/.exec(path.trim());
  if (!steps) return undefined;
  return [...steps[1]!.matchAll(/\.\s*(?:([A-Za-z_$][\w$]*)|"((?:[^"\\]|\\.)*)")/g)].map((k) => k[1] ?? k[2]!.replace(/\\(.)/g, '$1'));
}

function arrayPath(literalText: string): string[] {
  const inner = literalText.trim().replace(/^\{/, '').replace(/\}$/, '');
  return inner === '' ? [] : inner.split(',').map((k) => k.trim().replace(/^"(.*)"$/, '$1'));
}

/** The extraction widened over its casts and the parentheses around it; the cast type the text gets. */
function widen(text: string, start: number, end: number): { start: number; end: number; cast?: string } {
  let cast: string | undefined;
  for (;;) {
    const after = text.slice(end);
    const c = new RegExp(String.raw`^\s*::\s*(${CAST_TYPE})`, 'i').exec(after);
    if (c) {
      cast = c[1];
      end += c[0].length;
      continue;
    }
    const before = text.slice(0, start);
    const open = /\(\s*$/.exec(before);
    const close = /^\s*\)/.exec(after);
    // CAST(x AS t)
    const castCall = open ? /\bcast\s*$/i.exec(before.slice(0, open.index)) : null;
    if (open && castCall) {
      const as = new RegExp(String.raw`^\s*as\s+(${CAST_TYPE})\s*\)`, 'i').exec(after);
      if (!as) break;
      cast = as[1];
      start = castCall.index;
      end += as[0].length;
      continue;
    }
    if (open && close) {
      const head = before.slice(0, open.index);
      // A call's own parentheses (`lower(x)`) end it.
      const word = /([\w$]+)\s*$/.exec(head)?.[1];
      // MySQL's JSON_UNQUOTE(JSON_EXTRACT(…)) is the key's text, as PostgreSQL's `->>`.
      if (word !== undefined && word.toLowerCase() === 'json_unquote') {
        start = head.trimEnd().length - word.length;
        end += close[0].length;
        continue;
      }
      if (word !== undefined && !KEYWORDS.has(word.toLowerCase())) break;
      start = open.index;
      end += close[0].length;
      continue;
    }
    break;
  }
  return { start, end, ...(cast !== undefined ? { cast } : {}) };
}

const OPERAND = String.raw`(${QNAME})(?:\s*::\s*${CAST_TYPE})*`;

/** The column the widened extraction is matched with (`= a.id`, `a.id =`, `IN (SELECT c.id FROM clients c`). */
function peerOf(text: string, span: { start: number; end: number }, relations: { aliases: Map<string, string>; tables: string[] }, schema: Schema): Ref | undefined {
  const after = text.slice(span.end);
  const right = new RegExp(String.raw`^\s*=\s*(?:\(\s*)*${OPERAND}(?![\w$."(:]|\s*(?:->|#>|\(|::))`, 'i').exec(after);
  if (right) return resolve(right[1]!, relations, schema);
  const left = new RegExp(String.raw`(?:^|[^\w$.":])${OPERAND}\s*=\s*$`, 'i').exec(text.slice(0, span.start));
  if (left) return resolve(left[1]!, relations, schema);
  const inSelect = new RegExp(String.raw`^\s*(?:not\s+)?in\s*\(\s*select\s+(?:distinct\s+)?${OPERAND}\s+from\s+(?:only\s+)?(${QNAME})(?:\s+(?:as\s+)?(${IDENT}))?`, 'i').exec(after);
  if (inSelect) {
    const key = tableKey(schema, inSelect[2]!);
    if (key === undefined) return undefined;
    const aliases = new Map([[bare(inSelect[2]!.split('.').pop()!.trim()).toLowerCase(), key]]);
    if (inSelect[3] !== undefined && !NOT_ALIAS.has(bare(inSelect[3]).toLowerCase())) aliases.set(bare(inSelect[3]).toLowerCase(), key);
    return resolve(inSelect[1]!, { aliases, tables: [key] }, schema);
  }
  return undefined;
}

/** Column pairs the pending SQL matches: `x.a = y.b` (casts and parentheses aside), and single-column foreign keys it adds. */
function matchedColumns(statements: ReadonlyArray<{ text: string; relations: { aliases: Map<string, string>; tables: string[] } }>, schema: Schema): Array<[Ref, Ref]> {
  const pairs: Array<[Ref, Ref]> = [];
  const equal = new RegExp(String.raw`(?<![\w$."':])${OPERAND}\s*\)*\s*=\s*\(*\s*${OPERAND}(?![\w$."(:]|\s*(?:->|#>|::))`, 'gi');
  const foreignKey = new RegExp(String.raw`\bforeign\s+key\s*\(\s*(${IDENT})\s*\)\s*references\s+(${QNAME})\s*\(\s*(${IDENT})\s*\)`, 'gi');
  const inline = new RegExp(String.raw`\badd\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?(${IDENT})\s+[^,;]*?\breferences\s+(${QNAME})(?:\s*\(\s*(${IDENT})\s*\))?`, 'gi');
  for (const { text, relations } of statements) {
    const stripped = stripStrings(text);
    for (const m of stripped.matchAll(equal)) {
      const a = resolve(m[1]!, relations, schema);
      const b = resolve(m[2]!, relations, schema);
      if (a && b) pairs.push([a, b]);
    }
    const target = relations.tables[0];
    if (!/^\s*alter\s+table\b/i.test(stripped) || target === undefined) continue;
    for (const pattern of [foreignKey, inline]) {
      for (const m of stripped.matchAll(pattern)) {
        const parent = tableKey(schema, m[2]!);
        const column = m[3] !== undefined ? bare(m[3]) : schema.tables[parent ?? '']?.primaryKey?.columns[0];
        if (parent !== undefined && column !== undefined)
          pairs.push([
            { table: target, column: bare(m[1]!) },
            { table: parent, column },
          ]);
      }
    }
  }
  return pairs;
}

/** See `JsonReadKey`. */
export function jsonReadKeys(pending: readonly Migration[], schema: Schema): JsonReadKey[] {
  const statements: Array<{ text: string; at: string; relations: { aliases: Map<string, string>; tables: string[] } }> = [];
  for (const m of pending) {
    if (!isMigrationScript(m.up)) continue;
    for (const statement of m.up.statements) {
      const text = stripComments(statement.text);
      statements.push({ text, at: `${m.up.file}:${statement.line}`, relations: relationsOf(stripStrings(text), schema) });
    }
  }
  const pairs = matchedColumns(statements, schema);
  const exists = (r: Ref): boolean => schema.tables[r.table]?.columns.some((c) => c.name === r.column) ?? false;
  const id = (r: Ref): string => `${r.table}.${r.column}`;
  /** The first baseline column reached from `peer` through the matched pairs, other than `self`. */
  const source = (peer: Ref, self: Ref): Ref | undefined => {
    const seen = new Set([id(peer)]);
    const queue = [peer];
    while (queue.length > 0) {
      const at = queue.shift()!;
      if (exists(at) && id(at) !== id(self)) return at;
      for (const [a, b] of pairs) {
        const next = id(a) === id(at) ? b : id(b) === id(at) ? a : undefined;
        if (next && !seen.has(id(next))) {
          seen.add(id(next));
          queue.push(next);
        }
      }
    }
    return undefined;
  };
  const found = new Map<string, JsonReadKey>();
  for (const { text, at, relations } of statements) {
    if (!/->|#>|_extract_path|json_extract|json_value|json_query/i.test(text)) continue;
    for (const e of extractionsIn(text)) {
      const ref = resolveAt(text, e.start, e.ref, relations, schema);
      const column = ref && schema.tables[ref.table]?.columns.find((c) => c.name === ref.column);
      if (!ref || !column || column.generated || column.arrayDimensions > 0) continue;
      if (!JSON_KINDS.has(column.kind) && !(e.castToJson && TEXT_KINDS.has(column.kind))) continue;
      // A column its CHECKs shape (`jsonb_typeof(doc) = 'array'`, `doc ? 'kind'`) keeps the generator that follows them.
      const shaped = new RegExp(`(^|[^\\w$])"?${ref.column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?([^\\w$]|$)`);
      // MariaDB's `json_valid(col)`, the CHECK its JSON type is, shapes nothing.
      const validOnly = /^\s*\(?\s*json_valid\s*\(\s*[`"]?[\w$]+[`"]?\s*\)\s*\)?\s*$/i;
      if (JSON_KINDS.has(column.kind) && (schema.tables[ref.table]?.checks ?? []).some((c) => shaped.test(c.expression) && !validOnly.test(c.expression))) continue;
      const span = widen(text, e.start, e.end);
      let peer = peerOf(text, span, relations, schema);
      let cast = span.cast;
      // An output column of a subquery (`… ->> 'job_id' AS schedule_id`, then `schedule.id = retention.schedule_id::int`): read where it is used.
      const named = new RegExp(String.raw`^\s+as\s+(${IDENT})`, 'i').exec(text.slice(span.end));
      if (named && (!peer || cast === undefined)) {
        const name = bare(named[1]!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const defined = span.end + named[0].length;
        for (const use of text.matchAll(new RegExp(String.raw`(?<![\w$".])(?:${IDENT}\s*\.\s*)?"?${name}"?(?![\w$"])`, 'gi'))) {
          if (use.index >= span.end && use.index < defined) continue;
          const w = widen(text, use.index, use.index + use[0].length);
          cast ??= w.cast;
          peer ??= peerOf(text, w, relations, schema);
        }
      }
      // The argument of a function that says nothing of its type (`convert_ts(doc ->> 'at')`,
      // `jsonb_array_elements(doc -> 'items')`): left out, as an absent key is NULL, which the function
      // takes, where a value of a guessed type may fail it.
      const call = /([\w$]+)\s*\(\s*$/.exec(text.slice(0, span.start))?.[1]?.toLowerCase();
      if (call !== undefined && !KEYWORDS.has(call) && !TEXT_FUNCTIONS.has(call) && cast === undefined && !peer) continue;
      const from = peer ? source(peer, ref) : undefined;
      const type = fieldTypeOfCast(cast);
      const key = `${id(ref)}:${JSON.stringify(e.path)}`;
      const prior = found.get(key);
      if (prior && (prior.from || !from)) continue;
      found.set(key, { table: ref.table, column: ref.column, path: e.path, ...(type ? { type } : prior?.type ? { type: prior.type } : {}), ...(from ? { from } : {}), at: prior?.at ?? at });
    }
  }
  // A path that is also the parent of another (`a` and `a.b`) stays an object.
  const all = [...found.values()];
  return all.filter((k) => !all.some((o) => o !== k && o.table === k.table && o.column === k.column && o.path.length > k.path.length && k.path.every((p, i) => o.path[i] === p)));
}
