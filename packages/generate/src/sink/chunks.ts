/**
 * Splitting a table's rows into chunks (for a worker pool) and into shards (for
 * `--shard i/n` across machines). Because every row is a pure function of its
 * index, any split gives the same rows in total.
 *
 * @example
 * ```ts
 * planChunks(10, 4);      // [{ start: 0, end: 4 }, { start: 4, end: 8 }, { start: 8, end: 10 }]
 * shardRange(10, 1, 3);   // { start: 4, end: 7 }
 * ```
 */
import { UsageError } from '@understudy/core';

export interface RowRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Consecutive ranges of at most `chunkSize` rows covering [0, rows).
 *
 * @example
 * ```ts
 * planChunks(10, 4); // [{ start: 0, end: 4 }, { start: 4, end: 8 }, { start: 8, end: 10 }]
 * ```
 */
export function planChunks(rows: number, chunkSize: number, start = 0): RowRange[] {
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new UsageError(`chunk size must be a positive integer, got ${chunkSize}`);
  const out: RowRange[] = [];
  for (let s = start; s < rows; s += chunkSize) out.push({ start: s, end: Math.min(rows, s + chunkSize) });
  return out;
}

/**
 * Like `planChunks`, but a table's first two chunks are a tenth and three tenths of
 * `chunkSize`: the target starts on a table's rows sooner (a 10,000-row chunk of a
 * wide table takes a cold worker 0.1–0.2 s), and the rest goes in full chunks.
 *
 * @example
 * ```ts
 * rampedChunks(10_000, 4000); // [0, 400), [400, 1600), [1600, 5600), [5600, 9600), [9600, 10000)
 * ```
 */
export function rampedChunks(rows: number, chunkSize: number, start = 0): RowRange[] {
  const out: RowRange[] = [];
  let at = start;
  for (const size of [Math.ceil(chunkSize / 10), Math.ceil((chunkSize * 3) / 10)]) {
    if (at >= rows) return out;
    out.push({ start: at, end: Math.min(rows, at + size) });
    at += size;
  }
  return at < rows ? [...out, ...planChunks(rows, chunkSize, at)] : out;
}

/**
 * Shard `index` (0-based) of `count` shards of [0, rows): contiguous, balanced, together covering every row once.
 *
 * @example
 * ```ts
 * shardRange(10, 1, 3); // { start: 3, end: 6 }
 * ```
 */
export function shardRange(rows: number, index: number, count: number): RowRange {
  if (!Number.isInteger(count) || count <= 0 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new UsageError(`shard ${index}/${count} is not valid: use i/n with 0 ≤ i < n`);
  }
  return { start: Math.floor((rows * index) / count), end: Math.floor((rows * (index + 1)) / count) };
}
