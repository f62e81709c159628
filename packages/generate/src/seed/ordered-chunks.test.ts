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

  it("counts a running chunk at its own table's bytes per row, so small first chunks do not let large ones overrun the budget", async () => {
    // Table a: one 10-row chunk of 10 bytes per row; table b: 40 chunks of 100 rows at 100 bytes per row (10,000 bytes each).
    const size = (i: number) => (i === 0 ? { group: 'a', rows: 10 } : { group: 'b', rows: 100 });
    const bytesOf = (i: number) => (i === 0 ? 100 : 10_000);
    let held = 0; // finished and not taken, or running: what the budget is for
    let most = 0;
    const chunks = new OrderedChunks(
      41,
      async (i) => {
        held += bytesOf(i);
        most = Math.max(most, held);
        await delay(1);
        return new Uint8Array(bytesOf(i));
      },
      { maxAhead: 40, maxBufferedBytes: 50_000, sizeOf: size, initialAhead: 1 },
    );
    for (let i = 0; i < 41; i++) {
      const bytes = await chunks.next();
      if (i === 0) await delay(30); // the writer is busy: the producers run ahead
      held -= bytes.byteLength;
    }
    await chunks.settle();
    // Counted at the last chunk's size (100 bytes), 40 chunks of 10,000 would start at once: 400,000 bytes.
    expect(most).toBeLessThanOrEqual(50_000 + 10_000);
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
    await writeInOrder(
      10,
      3,
      async (i) => new Uint8Array([i]),
      async (bytes) => void written.push(bytes[0]!),
    );
    expect(written).toEqual([...Array(10).keys()]);
    await expect(
      writeInOrder(
        5,
        2,
        async (i) => (i === 2 ? Promise.reject(new Error('boom')) : new Uint8Array([i])),
        async () => undefined,
      ),
    ).rejects.toThrow('boom');
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeInOrder(
        5,
        2,
        async (i) => new Uint8Array([i]),
        async () => undefined,
        controller.signal,
      ),
    ).rejects.toThrow();
  });
});
