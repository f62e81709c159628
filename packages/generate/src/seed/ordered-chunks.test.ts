import { describe, expect, it } from 'vitest';
import { writeInOrder } from './ordered-chunks.js';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('writeInOrder', () => {
  it('writes results in task order whatever order they finish in, with a bounded number in flight', async () => {
    const written: number[] = [];
    let inFlight = 0;
    let most = 0;
    await writeInOrder(
      20,
      4,
      async (i) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await delay((20 - i) % 7);
        inFlight--;
        return new Uint8Array([i]);
      },
      async (bytes) => void written.push(bytes[0]!),
    );
    expect(written).toEqual([...Array(20).keys()]);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('stops at the first failure and at an abort', async () => {
    await expect(writeInOrder(5, 2, async (i) => (i === 2 ? Promise.reject(new Error('boom')) : new Uint8Array([i])), async () => undefined)).rejects.toThrow('boom');
    const controller = new AbortController();
    controller.abort();
    await expect(writeInOrder(5, 2, async (i) => new Uint8Array([i]), async () => undefined, controller.signal)).rejects.toThrow();
  });
});
