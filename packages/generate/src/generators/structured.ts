/**
 * Structured generators, each in PostgreSQL's input syntax where it has one:
 * JSON documents, XML, ranges and multiranges, tsvector/tsquery, geometric
 * shapes, hstore, ltree and pgvector vectors.
 *
 * @example
 * ```ts
 * json.create({}, env)(rnd.at(0), 0);                           // '{"name":"amber","count":7,"active":true}'
 * range.create({ element: 'integer' }, env)(rnd.at(0), 0);     // '[14,92)'
 * geometric.create({ shape: 'point' }, env)(rnd.at(0), 0);     // '(12.5,-40.25)'
 * ```
 */
import { z } from 'zod';
import type { AddressRandom } from '../random/address-random.js';
import type { BoundFaker } from '../random/faker-randomizer.js';
import { defineGenerator } from './generator-types.js';
import { formatDate, formatTimestamp } from './time-format.js';
import { wordPool } from './word-pool.js';

const JSON_KEYS = ['name', 'count', 'active', 'tags', 'score', 'color', 'note', 'level', 'source', 'enabled'] as const;

function word(faker: BoundFaker, rnd: AddressRandom): string {
  const list = wordPool(faker.faker).words;
  return list[rnd.index(list.length)]!;
}

function jsonValue(key: string, faker: BoundFaker, rnd: AddressRandom): unknown {
  switch (key) {
    case 'count':
    case 'level':
      return rnd.int(0, 100);
    case 'active':
    case 'enabled':
      return rnd.fraction() < 0.7;
    case 'score':
      return Math.round(rnd.float() * 10000) / 100;
    case 'tags': {
      const n = rnd.int(0, 3);
      const tags: string[] = [];
      for (let k = 0; k < n; k++) tags.push(word(faker, rnd));
      return tags;
    }
    default:
      return word(faker, rnd);
  }
}

/** A field the document must hold (read by a generated column): its path and the value's type. */
const JsonFieldParam = z.object({
  path: z.array(z.string()).min(1),
  type: z.enum(['boolean', 'integer', 'number', 'timestamp', 'date', 'time', 'interval', 'uuid', 'text', 'enum', 'object']),
  values: z.array(z.string()).optional(),
  maxLength: z.number().int().min(1).optional(),
  /**
   * The value of a row of another table's column (`request_data ->> 'client_id'` matched to
   * `oidc_clients.id`): a row drawn at random among that table's planned or kept rows; the field's
   * type decides where there are none, or the row's value is NULL.
   */
  from: z.object({ table: z.string(), column: z.string() }).optional(),
});
type JsonFieldParam = z.infer<typeof JsonFieldParam>;

const DAY_SECONDS = 86400;

function hex(rnd: AddressRandom, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rnd.index(16)];
  return s;
}

/** A value of a required field, as JSON: what the generated column's cast or function accepts. */
function fieldValue(field: JsonFieldParam, faker: BoundFaker, rnd: AddressRandom, referenceSeconds: number): unknown {
  switch (field.type) {
    case 'boolean':
      return rnd.fraction() < 0.5;
    case 'integer':
      return rnd.int(0, 1000);
    case 'number':
      return Math.round(rnd.float() * 100000) / 100;
    case 'timestamp': {
      const t = referenceSeconds - rnd.int(0, 365 * DAY_SECONDS);
      return new Date(t * 1000).toISOString();
    }
    case 'date':
      return formatDate(Math.floor((referenceSeconds - rnd.int(0, 365 * DAY_SECONDS)) / DAY_SECONDS));
    case 'time':
      return formatTimestamp(rnd.int(0, DAY_SECONDS - 1), 0, 0, false).slice(11);
    case 'interval':
      return `PT${rnd.int(1, 3600)}S`;
    case 'uuid':
      return `${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-${'89ab'[rnd.index(4)]}${hex(rnd, 3)}-${hex(rnd, 12)}`;
    case 'enum':
      return field.values && field.values.length > 0 ? field.values[rnd.index(field.values.length)] : word(faker, rnd);
    case 'object':
      return { [word(faker, rnd)]: word(faker, rnd) };
    case 'text': {
      const w = word(faker, rnd);
      return field.maxLength !== undefined ? [...w].slice(0, field.maxLength).join('') : w;
    }
  }
}

/** A generated value as JSON: numbers and strings as they are, bigints and dates as text; undefined for bytes and NULL. */
function jsonOf(value: unknown): unknown {
  if (value === null || value === undefined || value instanceof Uint8Array) return undefined;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

function place(doc: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let at = doc;
  for (const key of path.slice(0, -1)) {
    const next = at[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path[path.length - 1]!] = value;
}

export const json = defineGenerator({
  name: 'json',
  summary: 'a small JSON object (text) with 2…5 common keys, plus the fields generated columns read from it; an array of small objects, a string, a number… when a CHECK asks for that JSON type',
  params: z.object({
    minKeys: z.number().int().min(0).default(2),
    maxKeys: z.number().int().min(0).default(5),
    fields: z.array(JsonFieldParam).default([]),
    /** The document's JSON type when a CHECK asks for one other than an object (`jsonb_typeof(x) = 'array'`): an array holds 1…3 small objects. */
    kind: z.enum(['object', 'array', 'string', 'number', 'boolean', 'null']).default('object'),
    /** Keys the document must not have (`NOT (doc ? 'key')`). */
    absent: z.array(z.string()).default([]),
  }),
  create(p, env) {
    const referenceSeconds = Math.floor(env.referenceTime / 1000);
    const small = (rnd: AddressRandom): Record<string, unknown> => {
      const key = JSON_KEYS[rnd.index(JSON_KEYS.length)]!;
      return { [key]: jsonValue(key, env.faker, rnd) };
    };
    if (p.kind === 'array') return (rnd) => JSON.stringify(Array.from({ length: rnd.int(1, 3) }, () => small(rnd)));
    if (p.kind === 'string') return (rnd) => JSON.stringify(word(env.faker, rnd));
    if (p.kind === 'number') return (rnd) => JSON.stringify(rnd.int(0, 1000));
    if (p.kind === 'boolean') return (rnd) => JSON.stringify(rnd.fraction() < 0.5);
    if (p.kind === 'null') return () => 'null';
    // Fields drawn from another table's rows: that table's column, and how many rows it has.
    const sources = p.fields.map((f) => {
      const rows = f.from ? env.rows?.(f.from.table, f.from.column) : undefined;
      return f.from && rows !== undefined && rows > 0 ? { rows, value: env.parent(f.from.table, f.from.column) } : undefined;
    });
    return (rnd) => {
      const n = rnd.int(p.minKeys, Math.max(p.minKeys, p.maxKeys));
      const start = rnd.index(JSON_KEYS.length);
      const doc: Record<string, unknown> = {};
      for (let k = 0; k < n && k < JSON_KEYS.length; k++) {
        const key = JSON_KEYS[(start + k) % JSON_KEYS.length]!;
        if (!p.absent.includes(key)) doc[key] = jsonValue(key, env.faker, rnd);
      }
      for (const [k, field] of p.fields.entries()) {
        const from = sources[k];
        const value = from ? jsonOf(from.value(rnd.index(from.rows))) : undefined;
        place(doc, field.path, value !== undefined ? value : fieldValue(field, env.faker, rnd, referenceSeconds));
      }
      return JSON.stringify(doc);
    };
  },
});

export const xml = defineGenerator({
  name: 'xml',
  summary: 'a small XML element',
  params: z.object({}),
  create(_p, env) {
    return (rnd) => `<item id="${rnd.int(1, 100000)}"><name>${word(env.faker, rnd)}</name><quantity>${rnd.int(0, 100)}</quantity></item>`;
  },
});

export const RangeElement = z.enum(['integer', 'bigint', 'numeric', 'date', 'timestamp', 'timestamptz', 'uuid']);
export type RangeElement = z.infer<typeof RangeElement>;

/** The element of a range type from its element type name or its own type name. */
export function rangeElementOf(elementType: string | undefined, rawType: string): RangeElement {
  const t = `${elementType ?? ''} ${rawType}`.toLowerCase();
  // A range type of the user's over uuid (`CREATE TYPE uuidrange AS RANGE (SUBTYPE = uuid)`).
  if (/\buuid\b/.test((elementType ?? '').toLowerCase())) return 'uuid';
  if (/tstz|with time zone|timestamptz/.test(t)) return 'timestamptz';
  if (/\bts|timestamp/.test(t)) return 'timestamp';
  if (/date/.test(t)) return 'date';
  if (/num|decimal/.test(t)) return 'numeric';
  if (/int8|bigint/.test(t)) return 'bigint';
  return 'integer';
}

const BASE_DAY = 18262; // 2020-01-01

/** Sorted, distinct bounds for `count` ranges: [lo0, hi0, lo1, hi1, …] as element texts. */
function rangeBounds(element: RangeElement, count: number, rnd: AddressRandom): string[] {
  const points: number[] = [];
  let cursor = element === 'date' || element === 'uuid' || element.startsWith('timestamp') ? 0 : rnd.int(-50, 100);
  for (let k = 0; k < count * 2; k++) {
    cursor += rnd.int(1, element === 'numeric' ? 500 : 60);
    points.push(cursor);
  }
  return points.map((x) => rangePoint(element, x, rnd));
}

/** A point of a range's element, from its position on a line of steps (days for dates and times). */
function rangePoint(element: RangeElement, x: number, rnd: AddressRandom): string {
  switch (element) {
    case 'numeric':
      return (x / 4).toFixed(2);
    case 'date':
      return formatDate(BASE_DAY + x);
    case 'timestamp':
      return `"${formatTimestamp((BASE_DAY + x) * 86400 + rnd.int(0, 86399), 0, 0, false)}"`;
    case 'timestamptz':
      return `"${formatTimestamp((BASE_DAY + x) * 86400 + rnd.int(0, 86399), 0, 0, true)}"`;
    case 'uuid':
      // A fixed prefix and the point in hex: uuids compare as their bytes, so in the points' order.
      return `00000000-0000-4000-8000-${x.toString(16).padStart(12, '0')}`;
    default:
      return `${x}`;
  }
}

/** Row `row`'s own slot of the line, apart from every other row's: ranges that never overlap. */
function disjointBounds(element: RangeElement, row: number, rnd: AddressRandom): [string, string] {
  const time = element === 'date' || element.startsWith('timestamp');
  const lo = time ? row * 2 : row * 8 + rnd.int(0, 3);
  const hi = time ? lo + 1 : row * 8 + rnd.int(4, 7);
  return [rangePoint(element, lo, rnd), rangePoint(element, hi, rnd)];
}

export const range = defineGenerator({
  name: 'range',
  summary: 'a non-empty range [lower, upper) of its element type; `disjoint`: no two rows overlap (an exclusion constraint)',
  params: z.object({ element: RangeElement.default('integer'), disjoint: z.boolean().optional() }),
  create(p) {
    return (rnd, row) => {
      const [lo, hi] = p.disjoint ? disjointBounds(p.element, row, rnd) : rangeBounds(p.element, 1, rnd);
      return `[${lo},${hi})`;
    };
  },
});

export const multirange = defineGenerator({
  name: 'multirange',
  summary: '1…3 disjoint, ordered ranges',
  params: z.object({ element: RangeElement.default('integer') }),
  create(p) {
    return (rnd) => {
      const n = rnd.int(1, 3);
      const b = rangeBounds(p.element, n, rnd);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(`[${b[2 * k]},${b[2 * k + 1]})`);
      return `{${parts.join(',')}}`;
    };
  },
});

function lexeme(faker: BoundFaker, rnd: AddressRandom): string {
  return (
    word(faker, rnd)
      .toLowerCase()
      .replace(/[^a-z]/g, '') || 'word'
  );
}

export const tsvector = defineGenerator({
  name: 'tsvector',
  summary: "a tsvector of 2…8 quoted lexemes ('word' 'other')",
  params: z.object({}),
  create(_p, env) {
    return (rnd) => {
      const n = rnd.int(2, 8);
      const out: string[] = [];
      for (let k = 0; k < n; k++) out.push(`'${lexeme(env.faker, rnd)}'`);
      return out.join(' ');
    };
  },
});

export const tsquery = defineGenerator({
  name: 'tsquery',
  summary: 'a tsquery of 1…3 lexemes joined by & or |',
  params: z.object({}),
  create(_p, env) {
    return (rnd) => {
      const n = rnd.int(1, 3);
      let out = lexeme(env.faker, rnd);
      for (let k = 1; k < n; k++) out += ` ${rnd.fraction() < 0.7 ? '&' : '|'} ${lexeme(env.faker, rnd)}`;
      return out;
    };
  },
});

export const GeometricShape = z.enum(['point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle']);

function coordinate(rnd: AddressRandom): string {
  return `${Math.round((rnd.float() * 200 - 100) * 100) / 100}`;
}

function point(rnd: AddressRandom): string {
  return `(${coordinate(rnd)},${coordinate(rnd)})`;
}

export const geometric = defineGenerator({
  name: 'geometric',
  summary: 'a PostgreSQL geometric value: point, line, lseg, box, path, polygon or circle',
  params: z.object({ shape: GeometricShape.default('point') }),
  create(p) {
    return (rnd) => {
      switch (p.shape) {
        case 'point':
          return point(rnd);
        case 'line': {
          const a = rnd.int(1, 10);
          return `{${a},${rnd.int(-10, 10)},${coordinate(rnd)}}`;
        }
        case 'lseg':
          return `[${point(rnd)},${point(rnd)}]`;
        case 'box':
          return `${point(rnd)},${point(rnd)}`;
        case 'path': {
          const n = rnd.int(2, 5);
          const pts: string[] = [];
          for (let k = 0; k < n; k++) pts.push(point(rnd));
          return `[${pts.join(',')}]`;
        }
        case 'polygon': {
          const n = rnd.int(3, 6);
          const pts: string[] = [];
          for (let k = 0; k < n; k++) pts.push(point(rnd));
          return `(${pts.join(',')})`;
        }
        case 'circle':
          return `<${point(rnd)},${rnd.int(1, 50)}>`;
      }
    };
  },
});

/** The geometric shape of a PostgreSQL type name (`point`, `box`, …). */
export function geometricShapeOf(rawType: string): z.infer<typeof GeometricShape> {
  const t = rawType.toLowerCase().replace(/^.*\./, '').trim();
  const parsed = GeometricShape.safeParse(t);
  return parsed.success ? parsed.data : 'point';
}

export const hstore = defineGenerator({
  name: 'hstore',
  summary: 'an hstore of 1…4 "key"=>"value" pairs',
  params: z.object({}),
  create(_p, env) {
    return (rnd) => {
      const n = rnd.int(1, 4);
      const start = rnd.index(JSON_KEYS.length);
      const pairs: string[] = [];
      for (let k = 0; k < n; k++) pairs.push(`"${JSON_KEYS[(start + k) % JSON_KEYS.length]}"=>"${lexeme(env.faker, rnd)}"`);
      return pairs.join(', ');
    };
  },
});

export const ltree = defineGenerator({
  name: 'ltree',
  summary: 'a label path of 1…4 labels (Top.Science.Astronomy)',
  params: z.object({}),
  create(_p, env) {
    return (rnd) => {
      const n = rnd.int(1, 4);
      const labels: string[] = ['Top'];
      for (let k = 1; k < n; k++) {
        const w = lexeme(env.faker, rnd);
        labels.push(w.charAt(0).toUpperCase() + w.slice(1));
      }
      return labels.join('.');
    };
  },
});

export const vector = defineGenerator({
  name: 'vector',
  summary: 'a pgvector value of `dimensions` floats in [-1, 1]',
  params: z.object({ dimensions: z.number().int().min(1).default(3) }),
  create(p) {
    return (rnd) => {
      const parts: string[] = [];
      for (let k = 0; k < p.dimensions; k++) parts.push(`${Math.round((rnd.float() * 2 - 1) * 10000) / 10000}`);
      return `[${parts.join(',')}]`;
    };
  },
});
