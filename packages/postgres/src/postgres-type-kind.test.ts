import { describe, expect, it } from 'vitest';
import { classifyDefault, isLiteralExpression } from './postgres-column-default.js';
import { resolveType, type PgTypeRow } from './postgres-type-kind.js';

function type(oid: string, name: string, extra: Partial<PgTypeRow> = {}): PgTypeRow {
  return {
    oid,
    schema: 'pg_catalog',
    name,
    typtype: 'b',
    typcategory: 'N',
    typelem: '0',
    isArray: false,
    typbasetype: '0',
    typtypmod: -1,
    typnotnull: false,
    rangeSubtype: null,
    fromExtension: false,
    ...extra,
  };
}

const types = new Map<string, PgTypeRow>(
  [
    type('23', 'int4'),
    type('1007', '_int4', { isArray: true, typelem: '23', typcategory: 'A' }),
    type('1043', 'varchar'),
    type('1700', 'numeric'),
    type('1186', 'interval'),
    type('1184', 'timestamptz'),
    type('17', 'bytea'),
    type('3904', 'int4range', { typtype: 'r', rangeSubtype: 'integer' }),
    type('5000', 'mood', { schema: 'public', typtype: 'e' }),
    type('5001', '_mood', { schema: 'public', isArray: true, typelem: '5000', typcategory: 'A' }),
    type('5002', 'short_code', { schema: 'public', typtype: 'd', typbasetype: '1043', typtypmod: 12, typnotnull: true }),
    type('5003', 'citext', { schema: 'public', fromExtension: true }),
    type('5004', 'address', { schema: 'public', typtype: 'c' }),
    type('5005', 'mystery', { schema: 'public', fromExtension: true }),
  ].map((t) => [t.oid, t]),
);

describe('resolveType', () => {
  it('decodes type modifiers', () => {
    expect(resolveType(types, '1043', 54)).toMatchObject({ kind: 'varchar', length: 50 });
    expect(resolveType(types, '1700', (10 << 16) + 2 + 4)).toMatchObject({ kind: 'decimal', precision: 10, scale: 2 });
    expect(resolveType(types, '1184', 3)).toMatchObject({ kind: 'timestamptz', fractionalSeconds: 3 });
    expect(resolveType(types, '1186', -1)).toEqual({ kind: 'interval', arrayDimensions: 0 });
    expect(resolveType(types, '17', -1)).toEqual({ kind: 'blob', arrayDimensions: 0 });
  });

  it('unwraps arrays (at least one dimension), enums, ranges and domains', () => {
    expect(resolveType(types, '1007', -1, 0)).toMatchObject({ kind: 'integer', arrayDimensions: 1 });
    expect(resolveType(types, '1007', -1, 2)).toMatchObject({ kind: 'integer', arrayDimensions: 2 });
    expect(resolveType(types, '5001', -1)).toMatchObject({ kind: 'enum', enum: 'public.mood', arrayDimensions: 1 });
    expect(resolveType(types, '3904', -1)).toMatchObject({ kind: 'range', elementType: 'integer' });
    expect(resolveType(types, '5002', -1)).toMatchObject({
      kind: 'varchar',
      length: 8,
      domain: 'public.short_code',
      domainNotNull: true,
    });
  });

  it('knows extension types by name and flags what it cannot generate', () => {
    expect(resolveType(types, '5003', -1)).toMatchObject({ kind: 'citext' });
    expect(resolveType(types, '5004', -1)).toMatchObject({ kind: 'other', unsupported: expect.stringContaining('composite') });
    expect(resolveType(types, '5005', -1)).toMatchObject({ kind: 'other', unsupported: expect.stringContaining('public.mystery') });
  });
});

describe('classifyDefault', () => {
  it.each([
    "'G'::public.mpaa_rating",
    '0',
    '4.99',
    'true',
    "'{}'::text[]",
    "'{}'::jsonb",
    "'-1'::integer",
    "('x'::character varying)::text",
    "'00:15:00'::interval",
    'NULL::timestamp(3) with time zone',
  ])('%s is a literal', (text) => {
    expect(isLiteralExpression(text)).toBe(true);
    expect(classifyDefault(text)).toEqual({ kind: 'literal', value: text });
  });

  it.each(['now()', 'CURRENT_TIMESTAMP', "('a'::text || 'b'::text)", 'gen_random_uuid()', '(0)::numeric + 1'])('%s is an expression', (text) => {
    expect(classifyDefault(text)).toEqual({ kind: 'expression', expression: text });
  });

  it('recognises nextval as a sequence', () => {
    expect(classifyDefault("nextval('public.actor_actor_id_seq'::regclass)", 'public.actor_actor_id_seq')).toEqual({
      kind: 'sequence',
      sequence: 'public.actor_actor_id_seq',
      expression: "nextval('public.actor_actor_id_seq'::regclass)",
    });
  });
});
