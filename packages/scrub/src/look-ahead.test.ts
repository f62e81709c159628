import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLookAhead, type LookAhead } from './look-ahead.js';

const dir = mkdtempSync(join(tmpdir(), 'understudy-look-ahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Chunk i: 1,000 bytes of (i + k) mod 251, so any reordering or corruption shows. */
const chunk = (i: number): Uint8Array => Uint8Array.from({ length: 1000 }, (_, k) => (i + k) % 251);

/** Puts `n` chunks (then 'end'), counting those the reader put before the writer took the first. */
async function produce(ahead: LookAhead, n: number, log: string[]): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (!(await ahead.put({ out: Promise.resolve(chunk(i)), rows: 1, bytes: 1000 }))) return;
    log.push(`put ${i}`);
  }
  await ahead.put('end');
}

/** Takes every chunk after `delayMs` (a target busy with an index), checking each. */
async function consume(ahead: LookAhead, n: number, log: string[], delayMs: number): Promise<void> {
  await new Promise((r) => setTimeout(r, delayMs));
  log.push('writer starts');
  let i = 0;
  for (let item = await ahead.take(); item !== 'end'; item = await ahead.take()) {
    expect(Buffer.from(await item.out).equals(Buffer.from(chunk(i))), `chunk ${i}`).toBe(true);
    ahead.release(item.bytes);
    i++;
  }
  expect(i).toBe(n);
}

describe('createLookAhead', () => {
  it('goes on into the spill file while the writer is busy, and gives every chunk back in order', async () => {
    const ahead = createLookAhead({ memoryBytes: 5000, spillBytes: 1 << 20, spillDir: dir });
    const log: string[] = [];
    let listed: string[] = ['not listed'];
    const producing = produce(ahead, 100, log).then(() => (listed = readdirSync(dir)));
    await Promise.all([producing, consume(ahead, 100, log, 50)]);
    // the reader put all 100 before the writer started: 5 in memory, the rest spilled
    expect(log.indexOf('writer starts')).toBe(100);
    expect(ahead.spilled).toBe(95 * 1000);
    // the file was never visible in the folder (unlinked once open)
    expect(listed).toEqual([]);
    ahead.stop();
  });

  it('waits for the writer, with no file, when the spill bound is 0', async () => {
    const ahead = createLookAhead({ memoryBytes: 5000, spillBytes: 0, spillDir: dir });
    const log: string[] = [];
    await Promise.all([produce(ahead, 40, log), consume(ahead, 40, log, 50)]);
    expect(log.indexOf('writer starts')).toBe(5);
    expect(ahead.spilled).toBe(0);
    ahead.stop();
  });

  it('holds at most the spill bound in the file at once, and uses its space again once it is emptied', async () => {
    const ahead = createLookAhead({ memoryBytes: 2000, spillBytes: 10_000, spillDir: dir });
    const log: string[] = [];
    // the writer takes one chunk every few milliseconds: the file fills, empties and fills again
    const slow = (async () => {
      await new Promise((r) => setTimeout(r, 30));
      let i = 0;
      for (let item = await ahead.take(); item !== 'end'; item = await ahead.take()) {
        expect(Buffer.from(await item.out).equals(Buffer.from(chunk(i++)))).toBe(true);
        ahead.release(item.bytes);
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 20));
      }
      return i;
    })();
    await produce(ahead, 200, log);
    expect(await slow).toBe(200);
    // more went through the file than it may hold at once
    expect(ahead.spilled).toBeGreaterThan(10_000);
    ahead.stop();
  });

  it('stops the reader once stopped, and hands the reader’s failure to the writer after what was queued', async () => {
    const stopped = createLookAhead({ memoryBytes: 1000, spillBytes: 0, spillDir: dir });
    stopped.stop();
    expect(await stopped.put({ out: Promise.resolve(chunk(0)), rows: 1, bytes: 1000 })).toBe(false);

    const failing = createLookAhead({ memoryBytes: 1 << 20, spillBytes: 0, spillDir: dir });
    await failing.put({ out: Promise.resolve(chunk(0)), rows: 1, bytes: 1000 });
    failing.fail(new Error('source went away'));
    expect(await failing.take()).not.toBe('end');
    await expect(failing.take()).rejects.toThrow('source went away');
    failing.stop();
  });

  it('goes on without the file where it cannot be made (no such folder, a full disk): the reader waits, nothing is lost', async () => {
    const ahead = createLookAhead({ memoryBytes: 5000, spillBytes: 1 << 20, spillDir: join(dir, 'no-such-folder') });
    const log: string[] = [];
    await Promise.all([produce(ahead, 40, log), consume(ahead, 40, log, 50)]);
    expect(log.indexOf('writer starts')).toBe(5);
    expect(ahead.spilled).toBe(0);
    ahead.stop();
  });
});
