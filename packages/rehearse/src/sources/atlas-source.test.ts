import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

describe('Atlas', () => {
  it('reads hatchet: the files atlas.sum lists, in version order, each in a transaction unless -- atlas:txmode none', async () => {
    const set = await readMigrations(join(FIXTURES, 'atlas-hatchet'));
    expect(set.format).toBe('atlas');
    expect(set.problems).toEqual([]);
    expect(set.migrations).toHaveLength(82);
    expect(set.migrations.slice(0, 2).map((m) => [m.id, m.name])).toEqual([
      ['20240115180414', 'init'],
      ['20240122014727', 'v0_6_0'],
    ]);
    const none = set.migrations.filter((m) => script(m.up).transaction === 'none').map((m) => m.id);
    expect(none).toContain('20240703194656');
    expect(script(set.migrations.find((m) => m.id === '20240703194656')!.up).statements.every((s) => !s.transactional)).toBe(true);
    expect(script(set.migrations[0]!.up).transactionHint).toBe('Atlas runs each file in a transaction: start 20240115180414_init.sql with "-- atlas:txmode none"');
  });

  it('reports files missing from atlas.sum or absent from the folder, and splits on -- atlas:delimiter', async () => {
    const dir = await tempFolder('understudy-atlas-');
    await writeFile(join(dir, 'atlas.sum'), 'h1:abc=\n1_a.sql h1:x=\n3_gone.sql h1:y=\n');
    await writeFile(join(dir, '1_a.sql'), '-- atlas:delimiter -- end\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n-- end\nSELECT 2;\n');
    await writeFile(join(dir, '2_b.sql'), 'SELECT 1;');
    const set = await readMigrations(dir);
    expect(set.format).toBe('atlas');
    expect(script(set.migrations[0]!.up).statements.map((s) => [s.line, s.text])).toEqual([
      [2, 'CREATE TABLE a (id int);\nINSERT INTO a VALUES (1)'],
      [5, 'SELECT 2'],
    ]);
    expect(set.problems).toEqual([
      '2_b.sql is not in atlas.sum: atlas migrate apply refuses the directory until "atlas migrate hash" is run',
      'atlas.sum lists 3_gone.sql, which is not in the folder: atlas migrate apply refuses the directory',
    ]);
  });
});
