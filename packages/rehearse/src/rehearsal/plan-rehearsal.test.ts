/**
 * planRehearsal is pure: the same inputs give the same plain-JSON plan, and it decides the seed
 * sizes, the estimate's second size and targets, the thresholds and the notes without any I/O.
 * judgeRehearsal is pure too: the same plan and observations give the same report.
 */
import { join } from 'node:path';
import type { Profile } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../test-folders.js';
import { selectPending } from '../pending.js';
import { readMigrations } from '../read-migrations.js';
import { DEFAULT_LOCK_THRESHOLD_MS } from './hazards.js';
import { formatRehearsalPlan, MIN_ESTIMATE_ROWS, planRehearsal } from './plan-rehearsal.js';

async function inputs(fixture = 'rewrite', pending?: number) {
  const set = await readMigrations(join(FIXTURES, 'rehearse', fixture));
  return { set, selection: await selectPending(set, pending !== undefined ? { pending } : {}) };
}

/** A profile with only what the planner reads: row estimates. */
function profileWith(rows: Record<string, number>): Profile {
  return { tables: Object.fromEntries(Object.entries(rows).map(([k, n]) => [k, { rowEstimate: n }])) } as unknown as Profile;
}

describe('planRehearsal', () => {
  it('is plain data: baseline, pending, default sizes and thresholds', async () => {
    const plan = planRehearsal(await inputs());
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
    expect(plan.baseline.map((m) => m.id)).toEqual(['001']);
    expect(plan.pending).toEqual([{ id: '002', name: 'orders_id_bigint', traced: true }]);
    expect(plan.seed).toEqual({ seed: 1, rows: 1000, size: { rows: 1000 } });
    expect(plan.estimate).toBeUndefined();
    expect(plan.lockThresholdRows).toBe(10_000);
    expect(plan.lockThresholdMs).toBe(DEFAULT_LOCK_THRESHOLD_MS);
    expect(plan.down).toBe(true);
    expect(plan.notes).toContain(`pending: ${plan.pendingReason}`);
  });

  it('an estimate seeds 4 × the first size, at least MIN_ESTIMATE_ROWS, or what it is told', async () => {
    const base = await inputs();
    expect(planRehearsal({ ...base, rows: 1000, estimate: { targetRows: 2_000_000, source: '--target-rows' } }).estimate).toMatchObject({ rows: MIN_ESTIMATE_ROWS, size: { rows: MIN_ESTIMATE_ROWS } });
    expect(planRehearsal({ ...base, rows: 5000, estimate: { targetRows: 2_000_000, source: '--target-rows' } }).estimate?.rows).toBe(20_000);
    expect(planRehearsal({ ...base, rows: 5000, estimate: { targetRows: { orders: 9 }, source: 'x', rows: 6000 } }).estimate).toMatchObject({ rows: 6000, targetRows: { orders: 9 } });
    expect(() => planRehearsal({ ...base, rows: 5000, estimate: { targetRows: 9, source: 'x', rows: 5000 } })).toThrow(/must be more than the first seed size/);
  });

  it('with a profile, the biggest table gets the rows and the others follow its scale', async () => {
    const plan = planRehearsal({
      ...(await inputs()),
      rows: 2000,
      profile: profileWith({ 'public.orders': 400_000, 'public.users': 10_000 }),
      profileSource: 'prod.json',
      estimate: { targetRows: { 'public.orders': 400_000 }, source: 'prod.json' },
    });
    expect(plan.seed).toMatchObject({ rows: 2000, size: { profileScale: 2000 / 400_000 }, profile: 'prod.json' });
    expect(plan.estimate).toMatchObject({ rows: 10_000, size: { profileScale: 10_000 / 400_000 } });
    expect(formatRehearsalPlan(plan)).toContain('Seed: 2,000 rows in the biggest table, to the shape of prod.json');
  });

  it('the same inputs give the same plan', async () => {
    const a = planRehearsal({ ...(await inputs('not-null', 2)), seed: 'x', lockThresholdRows: 5, lockThresholdMs: 7, down: false });
    const b = planRehearsal({ ...(await inputs('not-null', 2)), seed: 'x', lockThresholdRows: 5, lockThresholdMs: 7, down: false });
    expect(a).toEqual(b);
    expect(a).toMatchObject({ baseline: [], seed: { seed: 'x' }, lockThresholdRows: 5, lockThresholdMs: 7, down: false });
    expect(a.pending.map((m) => m.id)).toEqual(['001', '002']);
  });
});

describe('judgeRehearsal', () => {
  it('judges one run under other thresholds without running it again, and the same way twice', async () => {
    const { postgresDialect } = await import('@understudy/postgres');
    const { runRehearsal } = await import('./run-rehearsal.js');
    const { judgeRehearsal } = await import('./judge-rehearsal.js');
    const { set, selection } = await inputs('clean');
    const plan = planRehearsal({ set, selection, rows: 200 });
    const run = await runRehearsal(plan, { set, selection, dialect: postgresDialect });
    const first = judgeRehearsal(plan, run, selection, set);
    expect(judgeRehearsal(plan, run, selection, set)).toEqual(first);
    expect(first.hazards).toEqual([]);
    // The same observations, a stricter plan: the ACCESS EXCLUSIVE lock on 200 rows of users is now a hazard.
    const strict = judgeRehearsal({ ...plan, lockThresholdRows: 10 }, run, selection, set);
    expect(strict.hazards.map((h) => h.kind)).toEqual(['long-lock']);
    expect(strict.schemaChanges).toEqual(first.schemaChanges);
  }, 120_000);
});
