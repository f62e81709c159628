import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../read-migrations.js';
import { FIXTURES, script, tempFolder } from '../test-folders.js';

describe('temporal-sql-tool', () => {
  it('reads version folders in numeric order, each running its manifest files in order, outside any transaction', async () => {
    const set = await readMigrations(join(FIXTURES, 'temporal-sql-tool', 'visibility', 'versioned'));
    expect(set.format).toBe('temporal-sql-tool');
    expect(set.problems).toEqual([]);
    expect(set.migrations.map((m) => m.id)).toEqual(['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11', '1.12', '1.13', '1.14']);
    const v13 = set.migrations[3]!;
    expect(script(v13.up).file).toBe('v1.3/manifest.json');
    expect([...new Set(script(v13.up).statements.map((s) => s.file))]).toEqual(['v1.3/add_history_size_bytes.sql', 'v1.3/add_build_ids_search_attribute.sql']);
    expect(set.migrations.every((m) => script(m.up).transaction === 'none' && m.down === undefined)).toBe(true);
  });

  it('names the sub-folders that hold histories when given their parent', async () => {
    const error = await readMigrations(join(FIXTURES, 'temporal-sql-tool')).catch((e: { hint?: string }) => e);
    expect((error as { hint?: string }).hint).toMatch(/^Did you mean .*temporal-sql-tool\/temporal\/versioned or .*temporal-sql-tool\/visibility\/versioned\?/);
  });

  it('reports a manifest that lists a missing file', async () => {
    const dir = await tempFolder('understudy-temporal-');
    await mkdir(join(dir, 'v1.0'));
    await writeFile(join(dir, 'v1.0', 'manifest.json'), JSON.stringify({ CurrVersion: '1.0', Description: 'base', SchemaUpdateCqlFiles: ['schema.sql', 'gone.sql'] }));
    await writeFile(join(dir, 'v1.0', 'schema.sql'), 'CREATE TABLE a (id int);');
    const set = await readMigrations(dir);
    expect(set.problems).toEqual(['v1.0/manifest.json lists gone.sql, which is missing']);
    expect(script(set.migrations[0]!.up).statements).toHaveLength(1);
  });
});
