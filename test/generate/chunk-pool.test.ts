/**
 * The built worker pool (`@understudy/generate`, real worker threads): while its worker
 * starts, the main thread makes the first chunks itself, and every chunk's bytes are the
 * same whoever made it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Schema } from '@understudy/core';
import { buildPlan, createChunkPool, loadTarget, planChunks, type ChunkPool } from '@understudy/generate';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.js';

let schema: Schema;

beforeAll(async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'understudy-pool-')), 'pagila.json');
  const result = await runCli(['introspect', '--from', 'fixtures/schemas/pagila/schema.sql', '--out', file]);
  expect(result.code).toBe(0);
  schema = JSON.parse(await readFile(file, 'utf8')) as Schema;
});

/** Every chunk of `public.film` (100,000 rows in 200 chunks), asked for at once, as CSV: each chunk's hash. */
async function allChunks(pool: ChunkPool, plan: ReturnType<typeof buildPlan>): Promise<string[]> {
  const target = loadTarget(plan.tables['public.film']!);
  const chunks = planChunks(target.rows, 500);
  const encoding = { module: '@understudy/generate/csv-encoder' };
  const bytes = await Promise.all(chunks.map((c) => pool.run({ table: 'public.film', kind: 'rows', start: c.start, end: c.end, encoding, columns: target.columns })));
  return bytes.map((b) => createHash('sha256').update(b).digest('hex'));
}

describe('the chunk pool', () => {
  it('makes the first chunks in this thread while its worker starts, the rest in the worker, the same bytes as either alone', async () => {
    const plan = buildPlan(schema, { seed: 5, rows: 100_000 });
    const inThread = await createChunkPool(plan, { workers: 0 });
    const expected = await allChunks(inThread, plan);
    expect(inThread.chunksMadeHere).toBe(200);

    const warm = await createChunkPool(plan, { workers: 1 });
    try {
      expect(await allChunks(warm, plan)).toEqual(expected);
      expect(warm.chunksMadeHere).toBeGreaterThan(0);
      expect(warm.chunksMadeHere).toBeLessThan(200);
    } finally {
      await warm.close();
    }

    const cold = await createChunkPool(plan, { workers: 1, warmStart: false });
    try {
      expect(await allChunks(cold, plan)).toEqual(expected);
      expect(cold.chunksMadeHere).toBe(0);
    } finally {
      await cold.close();
    }
  });
});
