/** `postgresDialect.openSink('pglite://dir')`: a load into a PGlite data directory, kept after close. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dialectForUrl, UsageError } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { pgliteDataDir } from './pglite-copy-sink.js';
import { openPglite, postgresDialect } from './postgres-dialect.js';
import { columnsOf, loadRows } from './test-load-targets.js';

describe('PGlite sink through pglite:// URLs', () => {
  it('reads the data directory from the URL', () => {
    expect(pgliteDataDir('pglite://./dev-db')).toBe('./dev-db');
    expect(pgliteDataDir('pglite:///var/db')).toBe('/var/db');
    expect(pgliteDataDir('pglite://memory')).toBeUndefined();
    expect(() => pgliteDataDir('pglite://')).toThrow(UsageError);
    expect(dialectForUrl([postgresDialect], 'pglite://./dev-db')).toBe(postgresDialect);
  });

  it('loads into a data directory and commits durably', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'understudy-pglite-sink-')), 'db');
    const setup = await openPglite({ dataDir: dir });
    await setup.pglite.exec(`CREATE TABLE items (id serial PRIMARY KEY, label text NOT NULL)`);
    const schema = await setup.introspect({ schemas: ['public'] });
    await setup.close();

    const sink = await postgresDialect.openSink!(`pglite://${dir}`, { schema, truncate: false });
    expect(sink.description).toBe(`PGlite (${dir})`);
    expect(sink.encoding.module).toBe('@understudy/postgres/copy-encoder');
    await loadRows(sink, { table: 'public.items', columns: columnsOf(schema, 'public.items'), rows: 3 }, [
      [1, 'a'],
      [2, 'b\tc'],
      [3, ''],
    ]);
    await sink.commit({ advanceSequences: true });

    const check = (await postgresDialect.connect(`pglite://${dir}`)) as Awaited<ReturnType<typeof openPglite>>;
    try {
      expect((await check.pglite.query(`SELECT id, label FROM items ORDER BY id`)).rows).toEqual([
        { id: 1, label: 'a' },
        { id: 2, label: 'b\tc' },
        { id: 3, label: '' },
      ]);
      expect((await check.pglite.query(`INSERT INTO items (label) VALUES ('d') RETURNING id`)).rows).toEqual([{ id: 4 }]);
    } finally {
      await check.close();
    }
  });
});
