/**
 * The fields a JSON document must hold so that the table's generated columns
 * over it are valid. A column `deleted bool NOT NULL GENERATED ALWAYS AS
 * ((value ->> 'deleted')::boolean) STORED` needs every `value` to carry a
 * `deleted` that casts to boolean; `start_date timestamp NOT NULL GENERATED
 * ALWAYS AS (parse_iso8601_datetime(value #>> '{state,startDate}'))` needs a
 * `state.startDate` timestamp. Read from the expressions as PostgreSQL prints
 * them (`pg_get_expr`) and as they are written (`CAST(x AS t)`, `#>> '{a, b}'`).
 *
 * The type of each field is, in order: an explicit cast of the extracted text
 * (`::integer`, `CAST(… AS bool)`), the function it is passed to when its name
 * says what it parses (`…duration…`/`…interval…`, `…datetime…`/`…timestamp…`,
 * `…date…`, `…bool…`), else the generated column's own type (an enum column
 * gets one of its labels, a varchar(150) a text of at most 150 characters).
 *
 * @example
 * ```ts
 * jsonFieldsFor('value', [{ name: 'deleted', expression: "((value ->> 'deleted'::text))::boolean", shape }]);
 * // [{ path: ['deleted'], type: 'boolean' }]
 * ```
 */
import type { ColumnKind } from '@understudy/core';
import type { ColumnShape } from './column-shape.js';

export type JsonFieldType = 'boolean' | 'integer' | 'number' | 'timestamp' | 'date' | 'time' | 'interval' | 'uuid' | 'text' | 'enum' | 'object';

export interface JsonField {
  readonly path: readonly string[];
  readonly type: JsonFieldType;
  /** Enum labels (type `enum`). */
  readonly values?: readonly string[];
  /** Longest text (type `text`). */
  readonly maxLength?: number;
}

export interface GeneratedOver {
  readonly name: string;
  readonly expression: string;
  readonly shape: ColumnShape;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function typeOfKind(kind: ColumnKind): JsonFieldType {
  switch (kind) {
    case 'boolean':
      return 'boolean';
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'integer':
    case 'bigint':
    case 'year':
      return 'integer';
    case 'decimal':
    case 'real':
    case 'double':
    case 'money':
      return 'number';
    case 'timestamp':
    case 'timestamptz':
      return 'timestamp';
    case 'date':
      return 'date';
    case 'time':
    case 'timetz':
      return 'time';
    case 'interval':
      return 'interval';
    case 'uuid':
      return 'uuid';
    case 'enum':
      return 'enum';
    case 'json':
    case 'jsonb':
      return 'object';
    default:
      return 'text';
  }
}

/** A cast's type name (`integer`, `character varying(150)`, `bool`, `FLOAT`). */
function typeOfCast(name: string): { type: JsonFieldType; maxLength?: number } | undefined {
  const t = name.trim().toLowerCase().replace(/"/g, '');
  const length = /\((\d+)\)\s*$/.exec(t);
  const base = t.replace(/\(.*$/, '').trim();
  if (/^(bool|boolean)$/.test(base)) return { type: 'boolean' };
  if (/^(int|int2|int4|int8|integer|smallint|bigint|serial|bigserial)$/.test(base)) return { type: 'integer' };
  if (/^(float|float4|float8|real|double precision|numeric|decimal)$/.test(base)) return { type: 'number' };
  if (/^timestamp/.test(base)) return { type: 'timestamp' };
  if (base === 'date') return { type: 'date' };
  if (/^time( |$)|^timetz$/.test(base)) return { type: 'time' };
  if (base === 'interval') return { type: 'interval' };
  if (base === 'uuid') return { type: 'uuid' };
  if (base === 'json' || base === 'jsonb') return { type: 'object' };
  if (/^(text|varchar|character varying|char|character|bpchar|citext)$/.test(base)) return length ? { type: 'text', maxLength: Number(length[1]) } : { type: 'text' };
  return undefined;
}

function typeOfFunction(name: string): JsonFieldType | undefined {
  const n = name.toLowerCase();
  if (/duration|interval/.test(n)) return 'interval';
  if (/datetime|timestamp/.test(n)) return 'timestamp';
  if (/date/.test(n)) return 'date';
  if (/bool/.test(n)) return 'boolean';
  return undefined;
}

/** A type name as a cast writes it: `integer`, `character varying(150)`, `timestamp with time zone`, `"my_type"`. */
const TYPE_NAME = String.raw`(?:character varying|double precision|bit varying|(?:timestamp|time)(?:\(\d\))? with(?:out)? time zone|"[^"]+"|[a-z_][\w$]*)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?`;

/** `{state, current}`, `{"a b",c}` → its keys. */
function arrayPath(literal: string): string[] {
  const inner = literal.trim().replace(/^\{/, '').replace(/\}$/, '');
  if (inner === '') return [];
  return inner.split(',').map((k) => k.trim().replace(/^"(.*)"$/, '$1'));
}

interface Extraction {
  readonly path: string[];
  /** A text extraction (`->>`, `#>>`): the field's value is read as text. */
  readonly text: boolean;
  readonly start: number;
  readonly end: number;
}

/** Every path extraction from `column` in `expression`. */
function extractions(column: string, expression: string): Extraction[] {
  const found: Extraction[] = [];
  const head = new RegExp(`(?<![\\w$."])(?:"?[\\w$]+"?\\.)?"?${escapeRegex(column)}"?(?![\\w$"])`, 'g');
  const step = /^[\s)]*(->>|->|#>>|#>)\s*'((?:[^']|'')*)'(?:\s*::\s*(?:text\[\]|text|jsonpath))?/i;
  for (let m = head.exec(expression); m; m = head.exec(expression)) {
    let at = m.index + m[0].length;
    const path: string[] = [];
    let text = false;
    for (;;) {
      const s = step.exec(expression.slice(at));
      if (!s) break;
      const literal = s[2]!.replace(/''/g, "'");
      if (s[1]!.startsWith('#')) path.push(...arrayPath(literal));
      else path.push(literal);
      text = s[1]!.endsWith('>>');
      at += s[0].length;
    }
    if (path.length > 0) found.push({ path, text, start: m.index, end: at });
  }
  return found;
}

/** What the extracted value feeds: a cast right after it, or the function it is passed to. */
function consumer(expression: string, e: Extraction): { type: JsonFieldType; maxLength?: number } | undefined {
  // The parentheses opened right before the column (not a call's own).
  const before = expression.slice(0, e.start);
  const opened = /(\(\s*)*$/.exec(before)![0];
  let parens = (opened.match(/\(/g) ?? []).length;
  const callee = /([\w$]+)\s*$/.exec(before.slice(0, before.length - opened.length));
  const castCall = /\bcast\s*$/i.test(before.slice(0, before.length - opened.length));
  if (callee && !castCall && parens > 0) parens--;
  // Casts after the extraction, inside those parentheses: `((value ->> 'n'))::integer`.
  let rest = expression.slice(e.end);
  for (;;) {
    const cast = new RegExp(`^\\s*::\\s*(${TYPE_NAME})`, 'i').exec(rest);
    if (cast) {
      const type = typeOfCast(cast[1]!);
      // A cast to text only passes the text on (`convert_ts((value ->> 'd')::varchar)`): what reads it decides.
      if (type?.type !== 'text') return type;
      rest = rest.slice(cast[0].length);
      continue;
    }
    if (castCall) {
      const as = new RegExp(`^\\s*\\)*\\s*as\\s+(${TYPE_NAME})`, 'i').exec(rest);
      if (as) return typeOfCast(as[1]!);
    }
    const close = /^\s*\)/.exec(rest);
    if (!close || parens === 0) break;
    parens--;
    rest = rest.slice(close[0].length);
  }
  if (callee && !castCall) {
    const t = typeOfFunction(callee[1]!);
    if (t) return { type: t };
  }
  return undefined;
}

/** See the module comment. Fields in the order first seen; a field read two ways keeps the narrower type. */
export function jsonFieldsFor(column: string, generated: readonly GeneratedOver[]): JsonField[] {
  const fields = new Map<string, JsonField>();
  for (const g of generated) {
    for (const e of extractions(column, g.expression)) {
      const seen = consumer(g.expression, e);
      const own = typeOfKind(g.shape.kind);
      let field: JsonField;
      if (seen) field = { path: e.path, type: seen.type, ...(seen.maxLength !== undefined ? { maxLength: seen.maxLength } : {}) };
      else if (own === 'enum' && g.shape.values && g.shape.values.length > 0) field = { path: e.path, type: 'enum', values: [...g.shape.values] };
      else if (own === 'enum') field = { path: e.path, type: 'text' };
      else field = { path: e.path, type: own, ...(own === 'text' && g.shape.length !== undefined ? { maxLength: g.shape.length } : {}) };
      // A text read as a varchar(n) column is at most n characters, even through a plain cast.
      if (field.type === 'text' && g.shape.length !== undefined && typeOfKind(g.shape.kind) === 'text') {
        field = { ...field, maxLength: Math.min(field.maxLength ?? g.shape.length, g.shape.length) };
      }
      const key = JSON.stringify(e.path);
      const prior = fields.get(key);
      if (!prior) fields.set(key, field);
      else if (prior.type === 'text' && field.type !== 'text') fields.set(key, field);
      else if (prior.type === 'text' && field.type === 'text' && field.maxLength !== undefined) {
        fields.set(key, { ...prior, maxLength: Math.min(prior.maxLength ?? field.maxLength, field.maxLength) });
      }
    }
  }
  // A path that is also the parent of another (`a` and `a.b`) stays an object.
  const all = [...fields.values()];
  return all.filter((f) => !all.some((o) => o !== f && o.path.length > f.path.length && f.path.every((k, i) => o.path[i] === k)));
}
