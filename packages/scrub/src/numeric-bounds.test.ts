import { builtInDictionaries, type ScrubPolicy } from '@understudy/core';
import { col, schemaOf, tableOf } from '@understudy/test-helpers';
import { describe, expect, it } from 'vitest';
import { numericBounds } from './numeric-bounds.js';
import { ScrubKey } from './scrub-key.js';
import { planScrub } from './scrub-plan.js';
import { createLineRewriter } from './scrub-lines.js';

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

describe('noise and CHECK (lo < hi)', () => {
  const plain = { transform: 'keep' as const };
  const noise = { transform: 'noise' as const, noise: { relative: 1 } };
  const codec = { parseField: (f: string) => (f === '\\N' ? null : f), formatField: (v: string | null) => v ?? '\\N' };
  const rows = Array.from({ length: 2000 }, (_, i) => [String(i), '3', '50.00', '4', null, String(10 + (i % 50)), String(11 + (i % 50) + (i % 3))]);

  it.each([
    ['lo with noise, hi kept', { lo: noise, hi: plain }],
    ['hi with noise, lo kept', { lo: plain, hi: noise }],
    ['both with noise', { lo: noise, hi: noise }],
  ])('%s: every row keeps lo < hi, in the line path as in transformRow', (_name, rules) => {
    const policy: ScrubPolicy = { version: 1, tables: { 'public.m': { columns: { id: plain, rating: plain, pct: plain, level: plain, ratio: plain, ...rules } } } };
    const plan = planScrub(schema, policy, { key: new ScrubKey(Buffer.from('a test key that is long enough')), dictionaries: builtInDictionaries() });
    const t = plan.tables[0]!;
    const rewrite = createLineRewriter(t, codec);
    let changed = 0;
    for (const row of rows) {
      const out = t.transformRow(row);
      expect(Number(out[5]), `${row.join(',')} → ${out.join(',')}`).toBeLessThan(Number(out[6]));
      expect(rewrite(`${row.map(codec.formatField).join('\t')}\n`)).toBe(`${out.map(codec.formatField).join('\t')}\n`);
      if (out[5] !== row[5] || out[6] !== row[6]) changed++;
    }
    expect(changed).toBeGreaterThan(1500);
  });
});
