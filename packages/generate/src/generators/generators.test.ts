import type { Column, ColumnKind } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { PlanError } from '../plan/plan-errors.js';
import { generateRows } from '../row/row-generator.js';
import { check, col, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { scalarProblem } from '../test-support/value-checks.js';

const ROWS = 600;

/** One column per kind and interesting variant. */
const KIND_COLUMNS: Column[] = [
  col('c_tinyint', 'tinyint'),
  col('c_tinyint_u', 'tinyint', { unsigned: true }),
  col('c_smallint', 'smallint'),
  col('c_mediumint', 'mediumint'),
  col('c_integer', 'integer'),
  col('c_integer_u', 'integer', { unsigned: true }),
  col('c_bigint', 'bigint'),
  col('c_decimal', 'decimal', { precision: 5, scale: 2 }),
  col('c_decimal_small', 'decimal', { precision: 3, scale: 3 }),
  col('c_numeric', 'decimal'),
  col('c_real', 'real'),
  col('c_double', 'double'),
  col('c_money', 'money'),
  col('c_boolean', 'boolean'),
  col('c_char1', 'char', { length: 1 }),
  col('c_char10', 'char', { length: 10 }),
  col('c_varchar5', 'varchar', { length: 5 }),
  col('c_varchar1', 'varchar', { length: 1 }),
  col('c_varchar200', 'varchar', { length: 200 }),
  col('c_text', 'text'),
  col('c_citext', 'citext'),
  col('c_binary', 'binary', { length: 16 }),
  col('c_varbinary', 'varbinary', { length: 4 }),
  col('c_blob', 'blob'),
  col('c_bit', 'bit', { length: 8 }),
  col('c_varbit', 'varbit', { length: 5 }),
  col('c_date', 'date'),
  col('c_time', 'time'),
  col('c_time3', 'time', { fractionalSeconds: 3 }),
  col('c_timetz', 'timetz', { fractionalSeconds: 6 }),
  col('c_timestamp', 'timestamp'),
  col('c_timestamp6', 'timestamp', { fractionalSeconds: 6 }),
  col('c_timestamptz2', 'timestamptz', { fractionalSeconds: 2 }),
  col('c_interval', 'interval'),
  col('c_year', 'year'),
  col('c_uuid', 'uuid'),
  col('c_json', 'json'),
  col('c_jsonb', 'jsonb'),
  col('c_xml', 'xml'),
  col('c_inet', 'inet'),
  col('c_cidr', 'cidr'),
  col('c_macaddr', 'macaddr'),
  col('c_macaddr8', 'macaddr8'),
  col('c_enum_pg', 'enum', { enum: 'public.mood', rawType: 'public.mood' }),
  col('c_enum_my', 'enum', { values: ['small', 'medium', 'large'], rawType: "enum('small','medium','large')" }),
  col('c_set', 'set', { values: ['a', 'b', 'c', 'd'], rawType: "set('a','b','c','d')" }),
  col('c_int4range', 'range', { rawType: 'int4range', elementType: 'integer' }),
  col('c_numrange', 'range', { rawType: 'numrange', elementType: 'numeric' }),
  col('c_daterange', 'range', { rawType: 'daterange', elementType: 'date' }),
  col('c_tstzrange', 'range', { rawType: 'tstzrange', elementType: 'timestamp with time zone' }),
  col('c_multirange', 'multirange', { rawType: 'int4multirange', elementType: 'integer' }),
  col('c_tsvector', 'tsvector'),
  col('c_tsquery', 'tsquery'),
  col('c_point', 'geometric', { rawType: 'point' }),
  col('c_polygon', 'geometric', { rawType: 'polygon' }),
  col('c_circle', 'geometric', { rawType: 'circle' }),
  col('c_box', 'geometric', { rawType: 'box' }),
  col('c_line', 'geometric', { rawType: 'line' }),
  col('c_lseg', 'geometric', { rawType: 'lseg' }),
  col('c_path', 'geometric', { rawType: 'path' }),
  col('c_hstore', 'hstore'),
  col('c_ltree', 'ltree'),
  col('c_vector', 'vector', { rawType: 'vector(4)' }),
  col('c_oid', 'oid'),
  col('c_text_array', 'text', { arrayDimensions: 1, rawType: 'text[]' }),
  col('c_int_matrix', 'integer', { arrayDimensions: 2, rawType: 'integer[]' }),
  col('c_varchar3_array', 'varchar', { arrayDimensions: 1, length: 3, rawType: 'character varying(3)[]' }),
  col('c_domain', 'integer', { domain: 'public.year', rawType: 'public.year' }),
  col('c_other_nullable', 'other', { nullable: true, rawType: 'public.my_composite' }),
  col('c_spatial_nullable', 'spatial', { nullable: true, rawType: 'geometry' }),
];

/** Semantic columns squeezed into small types: the name's generator must still fit. */
const TIGHT_COLUMNS: Column[] = [
  col('email', 'varchar', { length: 5 }),
  col('billing_email', 'varchar', { length: 12 }),
  col('first_name', 'varchar', { length: 3 }),
  col('website', 'varchar', { length: 4 }),
  col('uuid', 'varchar', { length: 10 }),
  col('phone', 'varchar', { length: 6 }),
  col('country_code', 'char', { length: 2 }),
  col('gender', 'char', { length: 1 }),
  col('price', 'decimal', { precision: 3, scale: 1 }),
  col('rating', 'decimal', { precision: 2, scale: 1 }),
  col('amount', 'decimal', { precision: 4, scale: 0 }),
  col('quantity', 'tinyint'),
  col('file_size', 'smallint'),
  col('description', 'varchar', { length: 7 }),
  col('user_agent', 'varchar', { length: 9 }),
  col('latitude', 'decimal', { precision: 4, scale: 2 }),
  col('postal_code', 'varchar', { length: 3 }),
  col('language', 'char', { length: 2 }),
  col('hash', 'char', { length: 40 }),
  col('port', 'smallint', { unsigned: true }),
  col('age', 'tinyint', { unsigned: true }),
  col('created_at', 'timestamptz'),
  col('updated_at', 'timestamptz'),
  col('birth_date', 'date'),
  col('is_active', 'tinyint', { rawType: 'tinyint(1)' }),
  col('bio', 'varchar', { length: 10, charset: 'utf8mb3' }),
  col('city', 'varchar', { length: 8, charset: 'latin1' }),
];

const schema = schemaOf([tableOf('public', 'kinds', KIND_COLUMNS), tableOf('public', 'tight', TIGHT_COLUMNS)], {
  enums: { 'public.mood': { schema: 'public', name: 'mood', values: ['sad', 'ok', 'happy'] } },
  domains: {
    'public.year': {
      schema: 'public',
      name: 'year',
      baseType: 'integer',
      kind: 'integer',
      arrayDimensions: 0,
      notNull: false,
      checks: [{ name: 'year_check', expression: '((VALUE >= 1901) AND (VALUE <= 2155))' }],
    },
  },
});

const plan = buildPlan(schema, { seed: 'kinds', rows: ROWS });

const rowsByTable = new Map<string, unknown[][]>();

function columnValues(table: string, name: string): unknown[] {
  const planned = plan.tables[table]!;
  const index = planned.columns.filter((c) => c.load).findIndex((c) => c.name === name);
  let rows = rowsByTable.get(table);
  if (!rows) rowsByTable.set(table, (rows = generateRows(plan, table, 0, ROWS)));
  return rows.map((r) => r[index]);
}

describe('every column kind', () => {
  it.each(KIND_COLUMNS.map((c) => [c.name, c] as const))('%s produces values that fit', (_name, column) => {
    const values = columnValues('public.kinds', column.name);
    if (column.kind === 'other' || column.kind === 'spatial') {
      expect(values.every((v) => v === null)).toBe(true);
      return;
    }
    expect(values.some((v) => v !== null)).toBe(true);
    for (const v of values) {
      if (column.arrayDimensions > 0) {
        expect(Array.isArray(v)).toBe(true);
        const flat = column.arrayDimensions === 2 ? (v as unknown[][]).flat() : (v as unknown[]);
        if (column.arrayDimensions === 2) expect(new Set((v as unknown[][]).map((r) => r.length)).size).toBeLessThanOrEqual(1);
        for (const item of flat) expect(scalarProblem({ ...column, arrayDimensions: 0 } as Column, item)).toBeUndefined();
        continue;
      }
      const problem = scalarProblem(column, v, column.kind === 'enum' && column.enum ? ['sad', 'ok', 'happy'] : undefined);
      expect(problem).toBeUndefined();
    }
    if (column.name === 'c_domain') expect(values.every((v) => v === null || ((v as number) >= 1901 && (v as number) <= 2155))).toBe(true);
  });

  it.each(TIGHT_COLUMNS.map((c) => [c.name, c] as const))('semantic %s fits its small type', (_name, column) => {
    for (const v of columnValues('public.tight', column.name)) expect(scalarProblem(column, v)).toBeUndefined();
  });

  it('keeps utf8mb3 text in the BMP and latin1 text in ASCII', () => {
    for (const v of columnValues('public.tight', 'bio')) if (v !== null) expect(/[\ud800-\udfff]/.test(v as string)).toBe(false);
    for (const v of columnValues('public.tight', 'city')) if (v !== null) expect(/^[\x20-\x7e]*$/.test(v as string)).toBe(true);
  });

  it('makes updated_at ≥ created_at in the same row', () => {
    const created = columnValues('public.tight', 'created_at');
    const updated = columnValues('public.tight', 'updated_at');
    for (let i = 0; i < ROWS; i++)
      if (created[i] !== null && updated[i] !== null)
        expect(Date.parse(String(updated[i]).replace(' ', 'T').replace('+00', 'Z')) >= Date.parse(String(created[i]).replace(' ', 'T').replace('+00', 'Z'))).toBe(true);
  });

  it('gives NOT NULL columns no NULLs and nullable columns some', () => {
    const nullable = schemaOf([tableOf('public', 'n', [col('a', 'integer', { nullable: true }), col('b', 'integer')])]);
    const p = buildPlan(nullable, { seed: 1, rows: 2000 });
    const rows = generateRows(p, 'public.n', 0, 2000);
    const nulls = rows.filter((r) => r[0] === null).length;
    expect(nulls).toBeGreaterThan(100);
    expect(nulls).toBeLessThan(350);
    expect(rows.every((r) => r[1] !== null)).toBe(true);
  });

  it('reports a NOT NULL column it cannot generate, naming it and suggesting config', () => {
    const bad = schemaOf([
      tableOf('public', 'geo', [col('id', 'integer'), col('shape', 'spatial', { rawType: 'geometry' }), col('thing', 'other', { rawType: 'public.pair' })], { primaryKey: ['id'] }),
    ]);
    try {
      buildPlan(bad, { seed: 1 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PlanError);
      const e = error as PlanError;
      expect(e.problems.map((p) => [p.code, p.column])).toEqual([
        ['unsupported-column', 'shape'],
        ['unsupported-column', 'thing'],
      ]);
      expect(e.message).toContain('public.geo.shape');
      expect(e.problems[0]!.hint).toContain('config');
      expect(e.exitCode).toBe(2);
    }
    // With a config generator the same schema plans.
    const fixed = buildPlan(bad, {
      seed: 1,
      config: { tables: { geo: { columns: { shape: { values: ['POINT(0 0)'] }, thing: { generator: 'template', params: { pattern: '(#,#)' } } } } } },
    });
    expect(fixed.tables['public.geo']!.columns.map((c) => c.reason)).toEqual(['primary key: rowIndex + 1', 'config', 'config']);
  });
});

describe('generators by themselves', () => {
  it('kinds the model lists all have a default', () => {
    const kinds = new Set(KIND_COLUMNS.map((c) => c.kind));
    const all: ColumnKind[] = [
      'tinyint',
      'smallint',
      'mediumint',
      'integer',
      'bigint',
      'decimal',
      'real',
      'double',
      'money',
      'boolean',
      'char',
      'varchar',
      'text',
      'citext',
      'binary',
      'varbinary',
      'blob',
      'bit',
      'varbit',
      'date',
      'time',
      'timetz',
      'timestamp',
      'timestamptz',
      'interval',
      'year',
      'uuid',
      'json',
      'jsonb',
      'xml',
      'inet',
      'cidr',
      'macaddr',
      'macaddr8',
      'enum',
      'set',
      'range',
      'multirange',
      'tsvector',
      'tsquery',
      'geometric',
      'spatial',
      'oid',
      'vector',
      'hstore',
      'ltree',
      'other',
    ];
    for (const k of all) expect(kinds.has(k), k).toBe(true);
  });

  it('honours a CHECK with a LIKE, a length and a case on text', () => {
    const s = schemaOf([
      tableOf('public', 'codes', [col('code', 'varchar', { length: 12 }), col('mail', 'text')], {
        checks: [
          check('code_like', "((code)::text ~~ 'SKU-%'::text)"),
          check('code_len', 'char_length(code) >= 6'),
          check('code_upper', '((code)::text = upper((code)::text))'),
          check('mail_at', "(mail ~~ '%@%')"),
        ],
      }),
    ]);
    const p = buildPlan(s, { seed: 3, rows: 500 });
    for (const [code, mail] of generateRows(p, 'public.codes', 0, 500)) {
      expect(code).toMatch(/^SKU-/);
      expect((code as string).length).toBeGreaterThanOrEqual(6);
      expect((code as string).length).toBeLessThanOrEqual(12);
      expect(code).toBe((code as string).toUpperCase());
      if (mail !== null) expect(mail).toContain('@');
    }
  });
});
