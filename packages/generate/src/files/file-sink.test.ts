import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileSink, tableFileName } from './file-sink.js';

const target = { table: 'public.t', columns: [{ name: 'id', kind: 'integer' as const, arrayDimensions: 0, rawType: 'integer' }], rows: 2 };

describe('file sink', () => {
  it('names files per table (and shard) and makes them visible only at commit', async () => {
    expect(tableFileName('public.film', 'csv')).toBe('public.film.csv');
    expect(tableFileName('public.film', 'jsonl', { number: 2, count: 3 })).toBe('public.film.shard-2-of-3.jsonl');
    const dir = await mkdtemp(join(tmpdir(), 'understudy-files-'));
    const sink = await openFileSink({ dir, format: 'csv' });
    const writer = await sink.beginTable(target);
    await writer.write(Buffer.from('1\r\n2\r\n'));
    await writer.end();
    expect((await readdir(dir)).filter((f) => !f.startsWith('.'))).toEqual([]);
    await sink.commit({ advanceSequences: true });
    expect(await readdir(dir)).toEqual(['public.t.csv']);
    expect(await readFile(join(dir, 'public.t.csv'), 'utf8')).toBe('id\r\n1\r\n2\r\n');
  });

  it('leaves no file behind on rollback', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-files-'));
    const sink = await openFileSink({ dir, format: 'jsonl' });
    const writer = await sink.beginTable(target);
    await writer.write(Buffer.from('{"id":1}\n'));
    await sink.rollback();
    expect(await readdir(dir)).toEqual([]);
  });
});
