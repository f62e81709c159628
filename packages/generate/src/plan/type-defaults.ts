/**
 * What a column gets from its type alone, when neither its name nor a CHECK
 * says more: a realistic default for every column kind of the model.
 *
 * @example
 * ```ts
 * typeDefaultIntent(shapeOf('varchar', { length: 30 }), now); // { type: 'text', generator: { name: 'words', … } }
 * ```
 */
import type { ColumnShape } from './column-shape.js';
import type { SemanticIntent } from '../infer/semantic-intents.js';
import { geometricShapeOf, rangeElementOf } from '../generators/structured.js';

const YEAR = 365.25 * 86400;

/** Integer defaults: small, realistic magnitudes, clipped to the type later. */
const INTEGER_DEFAULT_MAX: Record<string, number> = { tinyint: 100, smallint: 1000, mediumint: 100000, integer: 100000, bigint: 1000000 };

function vectorDimensions(shape: ColumnShape): number {
  if (shape.length !== undefined && shape.length > 0) return shape.length;
  const m = /\((\d+)\)/.exec(shape.rawType);
  return m ? Number(m[1]) : 3;
}

/**
 * The type-based intent, or `{ unsupported }` with the reason. `arrayElement`: `shape` is the
 * element of an array column; a text element is a tag or label of a word or two (`text[]`
 * columns hold tags, labels, roles, feature names), not a paragraph.
 */
export function typeDefaultIntent(shape: ColumnShape, now: number, options: { readonly arrayElement?: boolean } = {}): SemanticIntent | { readonly unsupported: string } {
  const gen = (name: string, params: Record<string, unknown> = {}): SemanticIntent => ({ type: 'generator', generator: { name, params } });
  const text = (name: string, params: Record<string, unknown> = {}): SemanticIntent => ({ type: 'text', generator: { name, params } });
  const length = shape.length !== undefined && shape.length > 0 ? shape.length : undefined;
  switch (shape.kind) {
    case 'tinyint':
      if (/^tinyint\(1\)/i.test(shape.rawType)) return gen('values', { values: [0, 1] });
      return { type: 'number', min: 0, max: INTEGER_DEFAULT_MAX.tinyint! };
    case 'smallint':
    case 'mediumint':
    case 'integer':
    case 'bigint': {
      // A MySQL display width of one digit is a flag, as tinyint(1) is (zen cart's `status int(1)`); of a few, that many digits.
      const width = Number(/^(?:small|medium|big)?int\((\d+)\)/i.exec(shape.rawType)?.[1] ?? 0);
      if (width === 1) return gen('values', { values: [0, 1] });
      return { type: 'number', min: 1, max: width > 1 && width <= 4 ? Math.min(10 ** width - 1, INTEGER_DEFAULT_MAX[shape.kind]!) : INTEGER_DEFAULT_MAX[shape.kind]! };
    }
    case 'decimal':
      return { type: 'number', min: 0, max: 10000, digits: shape.scale ?? 2 };
    case 'money':
      return { type: 'number', min: 0, max: 10000, digits: 2 };
    case 'real':
      return { type: 'number', min: 0, max: 1000, digits: 4 };
    case 'double':
      return { type: 'number', min: 0, max: 1000, digits: 6 };
    case 'boolean':
      return { type: 'boolean', trueRate: 0.5 };
    case 'char':
      if (length === undefined || length <= 4) return text('letters', { alphabet: 'upper', minLength: length ?? 1, maxLength: length ?? 1 });
      return text('words', { min: 1, max: 3 });
    case 'varchar':
    case 'text':
    case 'citext':
      if (options.arrayElement) return text('words', { min: 1, max: length !== undefined && length <= 10 ? 1 : 2 });
      if (length !== undefined && length <= 10) return text('words', { min: 1, max: 1 });
      if (length !== undefined && length <= 40) return text('words', { min: 1, max: 3 });
      if (length !== undefined && length <= 255) return text('sentences', { min: 1, max: 1 });
      return text('sentences', { min: 1, max: 2 });
    case 'binary':
      return gen('bytes', { minLength: length ?? 1, maxLength: length ?? 1 });
    case 'varbinary':
      return gen('bytes', { minLength: 1, maxLength: Math.min(length ?? 32, 32) });
    case 'blob':
      return gen('bytes', { minLength: 8, maxLength: Math.min(length ?? 64, 64) });
    case 'bit':
      return gen('bits', { minLength: length ?? 1, maxLength: length ?? 1 });
    case 'varbit':
      return gen('bits', { minLength: 1, maxLength: Math.min(length ?? 16, 64) });
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return { type: 'time', from: now - 5 * YEAR, to: now };
    case 'time':
    case 'timetz':
      return gen('time', { fractionalSeconds: Math.min(shape.fractionalSeconds ?? 0, 6), withZone: shape.kind === 'timetz' });
    case 'interval':
      return gen('interval', { maxDays: 30 });
    case 'year':
      return { type: 'number', min: 1970, max: new Date(now * 1000).getUTCFullYear() };
    case 'uuid':
      return gen('uuid');
    case 'json':
    case 'jsonb':
      return gen('json');
    case 'xml':
      return gen('xml');
    case 'inet':
      return gen('inet');
    case 'cidr':
      return gen('cidr');
    case 'macaddr':
      return gen('macaddr', { bytes: 6 });
    case 'macaddr8':
      return gen('macaddr', { bytes: 8 });
    case 'enum':
      return shape.values && shape.values.length > 0 ? gen('values', { values: [...shape.values] }) : { unsupported: 'enum type with no known labels' };
    case 'set':
      return shape.values && shape.values.length > 0 ? gen('set', { values: [...shape.values] }) : { unsupported: 'SET with no known values' };
    case 'range':
      return gen('range', { element: rangeElementOf(shape.elementType, shape.rawType) });
    case 'multirange':
      return gen('multirange', { element: rangeElementOf(shape.elementType, shape.rawType) });
    case 'tsvector':
      return gen('tsvector');
    case 'tsquery':
      return gen('tsquery');
    case 'geometric':
      return gen('geometric', { shape: geometricShapeOf(shape.rawType) });
    case 'oid':
      return { type: 'number', min: 16384, max: 1000000 };
    case 'vector':
      return gen('vector', { dimensions: vectorDimensions(shape) });
    case 'hstore':
      return gen('hstore');
    case 'ltree':
      return gen('ltree');
    case 'spatial':
      return { unsupported: `spatial type ${shape.rawType} has no generator` };
    case 'other':
      return { unsupported: `type ${shape.rawType} has no generator` };
  }
}
