import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory, removeAbandonedTemps, tempPathFor } from './output-files.js';

describe('makeDirectory', () => {
  it('makes missing parents, accepts an existing folder, and fails (never spins) where nothing can be made', async () => {
    const root = await mkdtemp(join(tmpdir(), 'understudy-mkdir-'));
    await makeDirectory(join(root, 'a', 'b', 'c'));
    await makeDirectory(join(root, 'a', 'b', 'c'));
    expect(await readdir(join(root, 'a', 'b'))).toEqual(['c']);
    await writeFile(join(root, 'file'), 'x');
    await expect(makeDirectory(join(root, 'file'))).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(makeDirectory(join(root, 'file', 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    // Node's own mkdir(…, { recursive: true }) never returns here (Node 20 and 22).
    const started = Date.now();
    await expect(makeDirectory('/proc/understudy-x/y')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('temporary files', () => {
  it('are named after the writing process, and only those of processes that are gone are removed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'understudy-temps-'));
    const mine = tempPathFor(join(dir, 'public.film.csv'));
    expect(mine).toMatch(new RegExp(`/\\.public\\.film\\.csv\\.${process.pid}-[0-9a-f]{8}\\.tmp$`));
    // A process that has ended: its pid is free (spawnSync waited for it).
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const abandoned = `.public.actor.csv.${gone}-0badf00d.tmp`;
    const alive = `.public.city.csv.${process.ppid}-0badf00d.tmp`;
    for (const name of [abandoned, alive, 'public.actor.csv', '.other.tmp']) await writeFile(join(dir, name), 'x');
    await writeFile(mine, 'x');
    expect(await removeAbandonedTemps(dir)).toEqual([abandoned]);
    expect((await readdir(dir)).sort()).toEqual([alive, '.other.tmp', mine.slice(dir.length + 1), 'public.actor.csv'].sort());
  });
});
