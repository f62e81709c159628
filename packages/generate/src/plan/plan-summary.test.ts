import { describe, expect, it } from 'vitest';
import { generateRows } from '../row/row-generator.js';
import { col, fk, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { buildPlan } from './build-plan.js';
import { formatPlanSummary } from './plan-summary.js';

describe('formatPlanSummary', () => {
  const schema = schemaOf([
    tableOf('public', 'parent', [col('id', 'integer')], { primaryKey: ['id'] }),
    tableOf('public', 'child', [col('id', 'integer'), col('parent_id', 'integer'), col('backup_id', 'integer', { nullable: true }), col('boss_id', 'integer', { nullable: true })], {
      primaryKey: ['id'],
      foreignKeys: [
        fk('child_parent_fk', ['parent_id'], 'public.parent', ['id']),
        fk('child_backup_fk', ['backup_id'], 'public.parent', ['id']),
        fk('child_boss_fk', ['boss_id'], 'public.child', ['id']),
      ],
    }),
  ]);

  it('gives a nullable foreign key the NULL rate its rows get, and a NOT NULL one none', () => {
    const plan = buildPlan(schema, { seed: 1, rows: 2000, nullRate: 0.2 });
    const lines = formatPlanSummary(plan).split('\n');
    const line = (name: string) => lines.find((l) => l.trimStart().startsWith(`${name} `))!;
    expect(line('parent_id')).toMatch(/\snot null\s/);
    expect(line('backup_id')).toMatch(/\snull 20%\s/);
    expect(line('boss_id')).toMatch(/\snull 20%\s/); // a tree: its roots are NULL
    // What the summary says is what the rows hold.
    const rows = generateRows(plan, 'public.child', 0, 2000);
    const nullShare = (i: number) => rows.filter((r) => r[i] === null).length / rows.length;
    expect(nullShare(1)).toBe(0);
    expect(nullShare(2)).toBeGreaterThan(0.17);
    expect(nullShare(2)).toBeLessThan(0.23);
    expect(nullShare(3)).toBeGreaterThan(0.17);
    expect(nullShare(3)).toBeLessThan(0.23);
  });
});
