import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteTemplatePath, startPglite } from './pglite-start.js';

describe('startPglite', () => {
  let cacheDir: string;
  const previous = process.env['UNDERSTUDY_CACHE_DIR'];

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'understudy-cache-'));
    process.env['UNDERSTUDY_CACHE_DIR'] = cacheDir;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env['UNDERSTUDY_CACHE_DIR'];
    else process.env['UNDERSTUDY_CACHE_DIR'] = previous;
    await rm(cacheDir, { recursive: true, force: true });
  });

  it('makes the initialised-cluster cache on first start and starts working instances from it', async () => {
    const first = await startPglite();
    await first.close();
    const template = await stat(pgliteTemplatePath());
    expect(template.size).toBeGreaterThan(100_000);

    const second = await startPglite();
    try {
      await second.exec('CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t VALUES (1, $$a$$), (2, $$b$$);');
      expect((await second.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]?.n).toBe(2);
      expect((await second.query<{ v: string }>('SHOW server_version')).rows[0]).toBeDefined();
    } finally {
      await second.close();
    }
    // The template is never written after a statement has run: it stays a pristine cluster.
    expect((await stat(pgliteTemplatePath())).mtimeMs).toBe(template.mtimeMs);
  });

  it('creates a new data directory from the cache and reopens it with its data', async () => {
    const dataDir = join(cacheDir, 'db');
    const created = await startPglite({ dataDir });
    await created.exec('CREATE TABLE kept (x int); INSERT INTO kept VALUES (42);');
    await created.close();
    const reopened = await startPglite({ dataDir });
    try {
      expect((await reopened.query<{ x: number }>('SELECT x FROM kept')).rows).toEqual([{ x: 42 }]);
    } finally {
      await reopened.close();
    }
  });

  it('replaces a damaged cache file instead of failing', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(pgliteTemplatePath(), 'not a tarball');
    const pglite = await startPglite();
    try {
      expect((await pglite.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pglite.close();
    }
    expect((await stat(pgliteTemplatePath())).size).toBeGreaterThan(100_000);
  });
});
