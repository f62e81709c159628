import { describe, expect, it } from 'vitest';
import { buildPlan } from '../plan/build-plan.js';
import { col, schemaOf, tableOf } from '../test-support/schema-builders.js';
import { SMALL_PLAN_ROWS, workersFor } from './seed.js';

const schema = schemaOf([tableOf('public', 'a', [col('id', 'integer')], { primaryKey: ['id'] }), tableOf('public', 'b', [col('id', 'integer')], { primaryKey: ['id'] })]);

describe('workersFor (the worker count when none is given)', () => {
  it('makes a small run in this thread and a large one in workers, counting the rows of this shard only', () => {
    expect(workersFor(buildPlan(schema, { seed: 1, rows: SMALL_PLAN_ROWS / 2 }))).toBe(0);
    const large = buildPlan(schema, { seed: 1, rows: SMALL_PLAN_ROWS });
    expect(workersFor(large)).toBeGreaterThanOrEqual(1);
    expect(workersFor(large, { index: 0, count: 2 })).toBe(0);
  });
});
