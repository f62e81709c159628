import { describe, expect, it } from 'vitest';
import { OrderedChunks, writeInOrder } from './ordered-chunks.js';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('OrderedChunks', () => {
  it('hands chunks back in task order whatever order they finish in, with a bounded number ahead', async () => {
    let running = 0;
    let most = 0;
    const chunks = new OrderedChunks(
      30,
      async (i) => {
        running++;
        most = Math.max(most, running);
        await delay((30 - i) % 7);
        running--;
        return new Uint8Array([i]);
      },
      { maxAhead: 4 },
    );
    const got: number[] = [];
    for (let i = 0; i < 30; i++) got.push((await chunks.next())[0]!);
    await chunks.settle();
    expect(got).toEqual([...Array(30).keys()]);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('keeps working ahead while the consumer is busy elsewhere, up to the byte budget', async () => {
    const started: number[] = [];
    const chunks = new OrderedChunks(
      100,
      async (i) => {
        started.push(i);
        return new Uint8Array(1000);
      },
      { maxAhead: 50, maxBufferedBytes: 10_000 },
    );
    await chunks.next();
    await delay(20); // the consumer "rebuilds an index": producers fill the budget, no more
    // 10 finished chunks reach the budget; the one taken does not count.
    expect(started.length).toBeGreaterThanOrEqual(10);
    expect(started.length).toBeLessThanOrEqual(12);
    for (let i = 1; i < 100; i++) await chunks.next();
    expect(started).toEqual([...Array(100).keys()]);
    await chunks.settle();
  });

  it('still makes progress when one chunk is larger than the whole budget', async () => {
    const chunks = new OrderedChunks(5, async () => new Uint8Array(100), { maxAhead: 4, maxBufferedBytes: 10 });
    for (let i = 0; i < 5; i++) expect((await chunks.next()).byteLength).toBe(100);
    await chunks.settle();
  });

  it('rejects with the failing task, starts nothing after it, and settles what was started', async () => {
    const started: number[] = [];
    const chunks = new OrderedChunks(
      20,
      async (i) => {
        started.push(i);
        if (i === 2) throw new Error('boom');
        await delay(5);
        return new Uint8Array([i]);
      },
      { maxAhead: 3 },
    );
    await chunks.next();
    await chunks.next();
    await expect(chunks.next()).rejects.toThrow('boom');
    await chunks.settle();
    expect(Math.max(...started)).toBeLessThan(8);
  });
});

describe('writeInOrder', () => {
  it('writes results in task order, and stops at the first failure and at an abort', async () => {
    const written: number[] = [];
    await writeInOrder(10, 3, async (i) => new Uint8Array([i]), async (bytes) => void written.push(bytes[0]!));
    expect(written).toEqual([...Array(10).keys()]);
    await expect(writeInOrder(5, 2, async (i) => (i === 2 ? Promise.reject(new Error('boom')) : new Uint8Array([i])), async () => undefined)).rejects.toThrow('boom');
    const controller = new AbortController();
    controller.abort();
    await expect(writeInOrder(5, 2, async (i) => new Uint8Array([i]), async () => undefined, controller.signal)).rejects.toThrow();
  });
});
