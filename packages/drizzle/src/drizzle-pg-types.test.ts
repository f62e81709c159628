import { describe, expect, it } from 'vitest';
import { pgDefault } from './drizzle-pg-expressions.js';
import { pgColumnType } from './drizzle-pg-types.js';

describe('pgColumnType', () => {
  it.each([
    ['integer', { rawType: 'integer', kind: 'integer' }],
    ['serial', { rawType: 'integer', kind: 'integer', serial: true }],
    ['bigserial', { rawType: 'bigint', kind: 'bigint', serial: true }],
    ['smallserial', { rawType: 'smallint', kind: 'smallint', serial: true }],
    ['varchar(50)', { rawType: 'character varying(50)', kind: 'varchar', length: 50 }],
    ['varchar', { rawType: 'character varying', kind: 'varchar' }],
    ['char', { rawType: 'character(1)', kind: 'char', length: 1 }],
    ['char(3)', { rawType: 'character(3)', kind: 'char', length: 3 }],
    ['numeric(10, 2)', { rawType: 'numeric(10,2)', kind: 'decimal', precision: 10, scale: 2 }],
    ['numeric(8)', { rawType: 'numeric(8,0)', kind: 'decimal', precision: 8, scale: 0 }],
    ['numeric', { rawType: 'numeric', kind: 'decimal' }],
    ['double precision', { rawType: 'double precision', kind: 'double' }],
    ['timestamp', { rawType: 'timestamp without time zone', kind: 'timestamp' }],
    ['timestamp (3)', { rawType: 'timestamp(3) without time zone', kind: 'timestamp', fractionalSeconds: 3 }],
    ['timestamp(6) with time zone', { rawType: 'timestamp(6) with time zone', kind: 'timestamptz', fractionalSeconds: 6 }],
    ['time with time zone', { rawType: 'time with time zone', kind: 'timetz' }],
    ['interval day to second(3)', { rawType: 'interval day to second(3)', kind: 'interval', fractionalSeconds: 3 }],
    ['text[]', { rawType: 'text[]', kind: 'text', arrayDimensions: 1 }],
    // format_type prints one [] whatever the dimensions.
    ['integer[][]', { rawType: 'integer[]', kind: 'integer', arrayDimensions: 2 }],
    ['varchar(20)[]', { rawType: 'character varying(20)[]', kind: 'varchar', length: 20, arrayDimensions: 1 }],
    ['vector(3)', { rawType: 'vector(3)', kind: 'vector', length: 3 }],
    ['geometry(point)', { rawType: 'geometry(point)', kind: 'spatial' }],
    ['my_custom_type', { rawType: 'my_custom_type', kind: 'other' }],
  ])('%s', (drizzle, expected) => {
    expect(pgColumnType(drizzle)).toMatchObject({ arrayDimensions: 0, ...expected });
  });

  it('enum columns carry the qualified enum name, and the type is printed schema-qualified', () => {
    expect(pgColumnType('mood', 'public')).toEqual({ rawType: 'public.mood', kind: 'enum', enum: 'public.mood', arrayDimensions: 0 });
    expect(pgColumnType('Mood', 'app')).toEqual({ rawType: 'app."Mood"', kind: 'enum', enum: 'app.Mood', arrayDimensions: 0 });
    expect(pgColumnType('mood[]', 'public')).toMatchObject({ rawType: 'public.mood[]', arrayDimensions: 1 });
  });
});

describe('pgDefault', () => {
  const text = pgColumnType('text');
  it('casts quoted constants to the column type, as PostgreSQL prints them', () => {
    expect(pgDefault("'x'", text)).toEqual({ kind: 'literal', value: "'x'::text" });
    expect(pgDefault("'0'", pgColumnType('numeric(10, 2)'))).toEqual({ kind: 'literal', value: "'0'::numeric" });
    expect(pgDefault("'{}'::jsonb", pgColumnType('jsonb'))).toEqual({ kind: 'literal', value: "'{}'::jsonb" });
  });
  it('numbers and booleans are literals; negative numbers are quoted and cast', () => {
    expect(pgDefault(5, pgColumnType('integer'))).toEqual({ kind: 'literal', value: '5' });
    expect(pgDefault(-1, pgColumnType('integer'))).toEqual({ kind: 'literal', value: "'-1'::integer" });
    expect(pgDefault(false, pgColumnType('boolean'))).toEqual({ kind: 'literal', value: 'false' });
  });
  it('functions are expressions, nextval is a sequence, NULL is no default', () => {
    expect(pgDefault('now()', text)).toEqual({ kind: 'expression', expression: 'now()' });
    expect(pgDefault("nextval('s'::regclass)", text)).toMatchObject({ kind: 'sequence' });
    expect(pgDefault('NULL', text)).toBeUndefined();
  });
});
