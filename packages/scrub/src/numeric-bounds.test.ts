import { builtInDictionaries, type ScrubPolicy } from '@understudy/core';
import { col, schemaOf, tableOf } from '@understudy/test-helpers';
import { describe, expect, it } from 'vitest';
import { numericBounds } from './numeric-bounds.js';
import { ScrubKey } from './scrub-key.js';
import { planScrub } from './scrub-plan.js';

const checks = [
  { name: 'r', expression: 'rating BETWEEN 1 AND 5' },
  { name: 'p', expression: '(0 < pct) AND (pct <= 100)' },
  { name: 'l', expression: 'level IN (2, 4, 8)' },
  { name: 'o', expression: 'lo < hi' },
];
const table = tableOf(
  'public',
  'm',
  [col('id', 'integer'), col('rating', 'smallint'), col('pct', 'decimal', { precision: 5, scale: 2 }), col('level', 'integer'), col('ratio', 'double'), col('lo', 'integer'), col('hi', 'integer')],
  { primaryKey: ['id'], checks },
);
const schema = schemaOf({ 'public.m': table });

describe('numericBounds', () => {
  it("reads a column's bounds with the seed's CHECK interpreter", () => {
    expect(numericBounds(schema, table, table.columns[1]!)).toEqual({ min: { value: 1, exclusive: false }, max: { value: 5, exclusive: false } });
    expect(numericBounds(schema, table, table.columns[2]!)).toEqual({ min: { value: 0, exclusive: true }, max: { value: 100, exclusive: false } });
    expect(numericBounds(schema, table, table.columns[3]!)).toEqual({ values: [2, 4, 8] });
    expect(numericBounds(schema, table, table.columns[4]!)).toEqual({});
  });
});

describe('noise inside the CHECKs', () => {
  it('keeps every value within bounds, an IN list, the scale, and changes most of them', () => {
    const noise = { transform: 'noise' as const, noise: { relative: 1 } };
    const policy: ScrubPolicy = {
      version: 1,
      tables: { 'public.m': { columns: { id: { transform: 'keep' }, rating: noise, pct: noise, level: noise, ratio: { transform: 'keep' }, lo: { transform: 'keep' }, hi: { transform: 'keep' } } } },
    };
    const plan = planScrub(schema, policy, { key: new ScrubKey(Buffer.from('a test key that is long enough')), dictionaries: builtInDictionaries() });
    let changed = 0;
    for (let i = 1; i <= 2000; i++) {
      const source = [String(i), String(1 + (i % 5)), (80 + (i % 2000) / 100).toFixed(2), String([2, 4, 8][i % 3]), null, '1', '2'];
      const [, rating, pct, level] = plan.tables[0]!.transformRow(source);
      expect(Number(rating)).toBeGreaterThanOrEqual(1);
      expect(Number(rating)).toBeLessThanOrEqual(5);
      expect(Number(pct)).toBeGreaterThan(0);
      expect(Number(pct)).toBeLessThanOrEqual(100);
      expect(pct).toMatch(/^\d+\.\d\d$/);
      expect(['2', '4', '8']).toContain(level);
      if (pct !== source[2]) changed++;
    }
    expect(changed).toBeGreaterThan(1900);
  });
});
