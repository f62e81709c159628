/**
 * Independent validators for generated values (tests only): does a value fit
 * its column's kind, length, precision and scale?
 *
 * @example
 * ```ts
 * expect(valueProblem(col('c', 'varchar', { length: 5 }), 'abcdef')).toMatch(/longer/);
 * ```
 */
import type { Column } from '@understudy/core';

const INT_RANGES: Record<string, [number, number, number, number]> = {
  tinyint: [-128, 127, 0, 255],
  smallint: [-32768, 32767, 0, 65535],
  mediumint: [-8388608, 8388607, 0, 16777215],
  integer: [-2147483648, 2147483647, 0, 4294967295],
  bigint: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 0, Number.MAX_SAFE_INTEGER],
};

const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?$/;

function fraction(text: string): number {
  const m = /:\d{2}\.(\d+)/.exec(text);
  return m ? m[1]!.length : 0;
}

function validDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

type ScalarColumn = Pick<Column, 'kind' | 'length' | 'precision' | 'scale' | 'unsigned' | 'fractionalSeconds' | 'values' | 'rawType'>;

/** The kinds with a structure of their own: XML, network addresses, labels and sets, ranges, text search, extension types. */
function structuredProblem(column: ScalarColumn, value: unknown, enumValues: readonly string[] | undefined, fail: (why: string) => string): string | undefined {
  switch (column.kind) {
    case 'xml':
      return typeof value === 'string' && /^<item[\s\S]*<\/item>$/.test(value) ? undefined : fail('is not XML');
    case 'inet':
      return typeof value === 'string' && /^(\d{1,3})(\.\d{1,3}){3}$/.test(value) && value.split('.').every((p) => Number(p) <= 255) ? undefined : fail('is not an IPv4 address');
    case 'cidr': {
      const m = typeof value === 'string' ? /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(value) : null;
      if (!m) return fail('is not a cidr');
      const address = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
      const prefix = Number(m[5]);
      const hostMask = prefix === 32 ? 0 : (0xffffffff >>> prefix) >>> 0;
      return (address & hostMask) === 0 ? undefined : fail('has host bits set');
    }
    case 'macaddr':
      return typeof value === 'string' && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(value) ? undefined : fail('is not a macaddr');
    case 'macaddr8':
      return typeof value === 'string' && /^([0-9a-f]{2}:){7}[0-9a-f]{2}$/.test(value) ? undefined : fail('is not a macaddr8');
    case 'enum':
      return (enumValues ?? column.values ?? []).includes(String(value)) ? undefined : fail('is not a label');
    case 'set': {
      const list = column.values ?? [];
      if (value === '') return undefined;
      const parts = String(value).split(',');
      const idx = parts.map((p) => list.indexOf(p));
      return idx.every((i, n) => i >= 0 && (n === 0 || i > idx[n - 1]!)) ? undefined : fail('is not an ordered subset');
    }
    case 'range': {
      const m = typeof value === 'string' ? /^\[("?)([^",]+)\1,("?)([^",]+)\3\)$/.exec(value) : null;
      if (!m) return fail('is not a range');
      const lo = m[2]!;
      const hi = m[4]!;
      const less = /^-?[\d.]+$/.test(lo) ? Number(lo) < Number(hi) : lo < hi;
      return less ? undefined : fail('has lower ≥ upper');
    }
    case 'multirange':
      return typeof value === 'string' && /^\{(\[[^)]+\),?)+\}$/.test(value) ? undefined : fail('is not a multirange');
    case 'tsvector':
      return typeof value === 'string' && /^'[a-z]+'( '[a-z]+')*$/.test(value) ? undefined : fail('is not a tsvector');
    case 'tsquery':
      return typeof value === 'string' && /^[a-z]+( [&|] [a-z]+)*$/.test(value) ? undefined : fail('is not a tsquery');
    case 'geometric':
      return typeof value === 'string' && /^[([{<]/.test(value) ? undefined : fail('is not a geometric value');
    case 'hstore':
      return typeof value === 'string' && /^"[a-z]+"=>"[a-z]+"(, "[a-z]+"=>"[a-z]+")*$/.test(value) ? undefined : fail('is not an hstore');
    case 'ltree':
      return typeof value === 'string' && /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(value) ? undefined : fail('is not an ltree');
    case 'vector':
      return typeof value === 'string' && /^\[-?[\d.]+(,-?[\d.]+)*\]$/.test(value) ? undefined : fail('is not a vector');
    default:
      return undefined;
  }
}

/** Why `value` does not fit `column` (scalar kinds), or undefined when it fits. */
export function scalarProblem(column: ScalarColumn, value: unknown, enumValues?: readonly string[]): string | undefined {
  const k = column.kind;
  const fail = (why: string): string => `${k}${column.length ? `(${column.length})` : ''}: ${JSON.stringify(value)} ${why}`;
  if (value === null) return undefined;
  switch (k) {
    case 'tinyint':
    case 'smallint':
    case 'mediumint':
    case 'integer':
    case 'bigint': {
      const [smin, smax, umin, umax] = INT_RANGES[k]!;
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('is not an integer');
      const [lo, hi] = column.unsigned ? [umin, umax] : [smin, smax];
      return value < lo || value > hi ? fail(`is outside [${lo}, ${hi}]`) : undefined;
    }
    case 'decimal': {
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) return fail('is not a decimal text');
      const [whole, frac = ''] = value.replace('-', '').split('.') as [string, string?];
      const scale = column.scale ?? (column.precision !== undefined ? 0 : Infinity);
      if (frac.length > scale) return fail(`has more than ${scale} fraction digits`);
      if (column.precision !== undefined && whole.replace(/^0+(?=\d)/, '').length > column.precision - (column.scale ?? 0) && whole !== '0')
        return fail(`has too many integer digits for (${column.precision},${column.scale ?? 0})`);
      return undefined;
    }
    case 'money':
      return typeof value === 'string' && /^-?\d+\.\d{2}$/.test(value) ? undefined : fail('is not money');
    case 'real':
    case 'double':
    case 'oid':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : fail('is not a finite number');
    case 'boolean':
      return typeof value === 'boolean' ? undefined : fail('is not a boolean');
    case 'char':
    case 'varchar':
    case 'text':
    case 'citext':
      if (typeof value !== 'string') return fail('is not text');
      if (column.length !== undefined && [...value].length > column.length) return fail(`is longer than ${column.length}`);
      return undefined;
    case 'binary':
      return Buffer.isBuffer(value) && value.length === (column.length ?? 1) ? undefined : fail('is not a fixed-length buffer');
    case 'varbinary':
    case 'blob':
      return Buffer.isBuffer(value) && (column.length === undefined || value.length <= column.length) ? undefined : fail('is not a buffer within its length');
    case 'bit':
      return typeof value === 'string' && new RegExp(`^[01]{${column.length ?? 1}}$`).test(value) ? undefined : fail('is not a bit string of its length');
    case 'varbit':
      return typeof value === 'string' && /^[01]*$/.test(value) && (column.length === undefined || value.length <= column.length) ? undefined : fail('is not a bit string within its length');
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && validDate(value) ? undefined : fail('is not a date');
    case 'time':
    case 'timetz': {
      if (typeof value !== 'string') return fail('is not a time');
      const body = k === 'timetz' ? value.replace(/\+00$/, '') : value;
      if (k === 'timetz' && !value.endsWith('+00')) return fail('has no zone');
      if (!TIME.test(body) || Number(body.slice(0, 2)) > 23) return fail('is not a time of day');
      return fraction(body) === (column.fractionalSeconds ?? 0) ? undefined : fail('has the wrong fraction digits');
    }
    case 'timestamp':
    case 'timestamptz': {
      if (typeof value !== 'string') return fail('is not a timestamp');
      const body = k === 'timestamptz' ? value.replace(/\+00$/, '') : value;
      if (k === 'timestamptz' && !value.endsWith('+00')) return fail('has no zone');
      if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(body) || !validDate(body)) return fail('is not a timestamp');
      return fraction(body) === Math.min(column.fractionalSeconds ?? 0, 6) ? undefined : fail('has the wrong fraction digits');
    }
    case 'interval':
      return typeof value === 'string' && /^\d+ days \d{2}:\d{2}:\d{2}$/.test(value) ? undefined : fail('is not an interval');
    case 'year':
      return typeof value === 'number' && value >= 1901 && value <= 2155 ? undefined : fail('is not a YEAR');
    case 'uuid':
      return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(value) ? undefined : fail('is not a v4 uuid');
    case 'json':
    case 'jsonb':
      try {
        JSON.parse(String(value));
        return undefined;
      } catch {
        return fail('is not JSON');
      }
    default:
      return structuredProblem(column, value, enumValues, fail);
  }
}
