/**
 * A settings table as real schemas write it (elabftw's `users`, Synapse's `users`): small
 * integers that default to 0 or 1 are flags, and a constant default is what most rows hold;
 * a count that defaults to 0, a key, and a column a CHECK shapes are left as they were.
 * Checked on the generated rows.
 */
import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { check, col, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { literalValue } from './literal-defaults.js';

const literal = (value: string) => ({ default: { kind: 'literal' as const, value } });
const ROWS = 2000;

function rowsOf() {
  const columns = [
    col('id', 'integer'),
    col('deactivated', 'smallint', literal('0')),
    col('notif_comment_created', 'tinyint', literal('1')),
    col('use_markdown', 'tinyint', literal('0')),
    col('login_count', 'smallint', literal('0')),
    col('retries', 'tinyint', literal('0')),
    col('device_threads', 'tinyint', literal('1')),
    col('limit_nb', 'tinyint', literal('15')),
    col('sort', 'varchar', { length: 255, ...literal('desc') }),
    col('lang', 'varchar', { length: 5, ...literal('en_GB') }),
    col('status', 'varchar', { length: 20, ...literal('pending') }),
    col('first_name', 'varchar', { length: 40, ...literal('nobody') }),
    col('grade', 'smallint', literal('3')),
  ];
  const schema = schemaOf([tableOf('public', 'users', columns, { primaryKey: ['id'], checks: [check('grade_range', 'grade BETWEEN 1 AND 5')] })]);
  const plan = buildPlan(schema, { seed: 3, rows: ROWS, referenceTime: new Date('2026-01-01T00:00:00Z') });
  const names = columns.map((c) => c.name);
  const rows = generateRows(plan, 'public.users', 0, ROWS).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
  const reason = (name: string) => plan.tables['public.users']!.columns.find((c) => c.name === name)!.reason;
  return { rows, reason };
}

const share = (rows: Array<Record<string, unknown>>, column: string, value: unknown) => rows.filter((r) => r[column] === value).length / rows.length;

describe('constant defaults on a schema-only seed', () => {
  const { rows, reason } = rowsOf();

  it('a small integer defaulting to 0 or 1 under a name that counts nothing is a flag, mostly at its default', () => {
    for (const [column, usual] of [
      ['deactivated', 0],
      ['notif_comment_created', 1],
      ['use_markdown', 0],
    ] as const) {
      expect(new Set(rows.map((r) => r[column])), column).toEqual(new Set([0, 1]));
      expect(share(rows, column, usual), column).toBeGreaterThan(0.75);
      expect(reason(column)).toMatch(/a flag/);
    }
  });

  it('a count or a number that defaults to 0 stays a number, with the default in most rows', () => {
    for (const column of ['login_count', 'retries', 'device_threads']) {
      expect(new Set(rows.map((r) => r[column])).size, column).toBeGreaterThan(5);
      expect(reason(column)).not.toMatch(/a flag/);
    }
    expect(share(rows, 'limit_nb', 15)).toBeGreaterThan(0.5);
    expect(new Set(rows.map((r) => r['limit_nb'])).size).toBeGreaterThan(5);
  });

  it('text with a constant default holds it in most rows, other values in the rest; a language in 5 characters is a locale code', () => {
    expect(share(rows, 'sort', 'desc')).toBeGreaterThan(0.5);
    expect(share(rows, 'sort', 'desc')).toBeLessThan(0.7);
    expect(share(rows, 'status', 'pending')).toBeGreaterThan(0.5);
    expect(share(rows, 'lang', 'en_GB')).toBeGreaterThan(0.5);
    for (const r of rows) expect(String(r['lang'])).toMatch(/^[a-z]{2}_[A-Z]{2}$/);
  });

  it('a name with a meaning of its own (a first name) and a column a CHECK shapes keep their generators', () => {
    expect(share(rows, 'first_name', 'nobody')).toBe(0);
    expect(reason('first_name')).not.toMatch(/DEFAULT/);
    for (const r of rows) expect(Number(r['grade'])).toBeGreaterThanOrEqual(1);
    expect(reason('grade')).not.toMatch(/DEFAULT/);
  });

  it('reads a default as PostgreSQL prints it and as MySQL does', () => {
    expect(literalValue("'en_GB'::character varying")).toBe('en_GB');
    expect(literalValue("'it''s'::text")).toBe("it's");
    expect(literalValue("'15'::smallint")).toBe('15');
    expect(literalValue('(-1)')).toBe('-1');
    expect(literalValue("'{}'::character varying(10)[]")).toBe('{}');
    expect(literalValue('desc')).toBe('desc');
  });
});
