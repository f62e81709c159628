import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { normalizeSchema, parseSchema, serializeSchema } from './schema-file.js';
import { col, schemaOf, tableOf } from '@understudy/test-helpers';

const schema = schemaOf({
  'public.zeta': tableOf('public', 'zeta', [col('id', 'integer')]),
  'public.alpha': tableOf('public', 'alpha', [col('b', 'text'), col('a', 'text')]),
});

describe('schema files', () => {
  it('round-trips and writes records in key order, columns in declared order', () => {
    const text = serializeSchema(schema);
    expect(parseSchema(text)).toEqual(normalizeSchema(schema));
    expect(text.indexOf('"public.alpha"')).toBeLessThan(text.indexOf('"public.zeta"'));
    expect(text.indexOf('"name": "b"')).toBeLessThan(text.indexOf('"name": "a"'));
    // Two serialisations of equal models are byte-identical whatever the insertion order.
    const reordered = { ...schema, tables: { 'public.alpha': schema.tables['public.alpha']!, 'public.zeta': schema.tables['public.zeta']! } };
    expect(serializeSchema(reordered)).toBe(text);
  });

  it('refuses a newer version, a missing version and invalid JSON with messages that name the file', () => {
    const newer = JSON.stringify({ ...schema, version: 99 });
    expect(() => parseSchema(newer, 'old.json')).toThrow(/old\.json is Schema version 99, newer than this Understudy/);
    expect(() => parseSchema('{"tables":{}}', 'x.json')).toThrow(/x\.json has no numeric "version"/);
    expect(() => parseSchema('{nope', 'x.json')).toThrow(UsageError);
    expect(() => parseSchema('{nope', 'x.json')).toThrow(/x\.json is not valid JSON/);
  });

  it('says where a hand-edited file stops fitting the model', () => {
    const broken = JSON.parse(serializeSchema(schema));
    broken.tables['public.zeta'].columns[0].kind = 'integr';
    expect(() => parseSchema(JSON.stringify(broken), 's.json')).toThrow(/s\.json does not fit the Schema model at tables\.public\.zeta\.columns\.0\.kind/);
  });
});
