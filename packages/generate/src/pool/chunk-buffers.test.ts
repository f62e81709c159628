import { describe, expect, it } from 'vitest';
import { ChunkBuffers, chunkMemory } from './chunk-buffers.js';

const chunk = (capacity: number, bytes = capacity) => new Uint8Array(new ArrayBuffer(capacity), 0, bytes);

describe('chunkMemory', () => {
  it('fills the given buffer when the chunk fits, and otherwise makes one with room to spare', () => {
    const into = new ArrayBuffer(1000);
    const fits = chunkMemory(600, into);
    expect(fits.buffer).toBe(into);
    expect([fits.byteOffset, fits.byteLength]).toEqual([0, 600]);
    const fresh = chunkMemory(1500, into);
    expect(fresh.buffer).not.toBe(into);
    expect(fresh.byteLength).toBe(1500);
    // A slightly larger chunk of the same table fits it next time.
    expect(fresh.buffer.byteLength).toBeGreaterThanOrEqual(1500 * 1.125);
  });
});

describe('ChunkBuffers', () => {
  it('hands back the smallest free buffer that fits, never one of more than twice the chunk', () => {
    const buffers = new ChunkBuffers(1 << 20);
    const small = chunk(10_000);
    const middle = chunk(30_000);
    const large = chunk(200_000);
    for (const c of [large, middle, small]) buffers.give(c);
    expect(buffers.take(9000)).toBe(small.buffer);
    expect(buffers.take(9000)).toBeUndefined(); // 30,000 is more than twice 9,000 and a page
    expect(buffers.take(25_000)).toBe(middle.buffer);
    expect(buffers.take(0)).toBeUndefined(); // size not known yet
    expect(buffers.bytes).toBe(200_000);
  });

  it('keeps at most its budget of free memory, letting the oldest go', () => {
    const buffers = new ChunkBuffers(25_000);
    const first = chunk(10_000);
    buffers.give(first);
    buffers.give(chunk(10_000));
    buffers.give(chunk(10_000));
    expect(buffers.bytes).toBe(20_000);
    buffers.take(10_000);
    buffers.take(10_000);
    expect(buffers.take(10_000)).toBeUndefined(); // the first was let go
  });

  it('does not keep a view into memory it does not own from the start', () => {
    const buffers = new ChunkBuffers(1 << 20);
    buffers.give(new Uint8Array(new ArrayBuffer(8192), 100, 50)); // like a small Buffer from Node's pool
    buffers.give(new Uint8Array(new SharedArrayBuffer(8192)));
    expect(buffers.bytes).toBe(0);
  });
});
